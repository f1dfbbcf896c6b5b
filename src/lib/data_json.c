/* data_json.c: any data for a template, read from JSON.
 *
 * `render --data FILE.json` merges a template with the JSON tree as it
 * is (docs/templates.md, "Any data: JSON"): objects are maps whose keys
 * keep their order, arrays are lists, strings stay strings, numbers are
 * written as JSON wrote them (integers) or with up to 15 significant
 * digits, true and false are booleans and null is missing. The shape of
 * the tree (the fields of every object, the fields of the elements of
 * every array, merged) is what check-template checks a template's paths
 * against, as it checks them against a report's view otherwise.
 */
#include "data_path.h"
#include "schema_json.h"
#include "tmpl.h"
#include "value.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct nb_data {
    nb_arena *arena;
    const char *name; /* names the data in messages */
    nb_value *root;
    const nb_vnode *shape;
    nb_data_dirs dirs; /* where pictures named in it may be read from */
};

/* ---- The value tree ---- */

static nb_value *number_text(nb_arena *a, const json_t *j)
{
    char buf[40];

    if (json_is_integer(j))
        snprintf(buf, sizeof(buf), "%" JSON_INTEGER_FORMAT,
                 json_integer_value(j));
    else
        snprintf(buf, sizeof(buf), "%.15g", json_real_value(j));
    return nb_v_str(a, nb_arena_strdup(a, buf));
}

static nb_value *to_value(nb_arena *a, const json_t *j)
{
    nb_value *v = NULL;
    size_t i;

    switch (json_typeof(j)) {
    case JSON_OBJECT: {
        const char *key;
        json_t *val;

        v = nb_v_map(a, json_object_size(j));
        json_object_foreach ((json_t *)j, key, val) {
            const char *k = nb_arena_strdup(a, key);

            if (v == NULL || k == NULL || !nb_v_map_set(v, k, to_value(a, val)))
                return NULL;
        }
        return v;
    }
    case JSON_ARRAY:
        v = nb_v_list(a, json_array_size(j));
        for (i = 0; v != NULL && i < json_array_size(j); i++) {
            v->items[i] = to_value(a, json_array_get(j, i));
            if (v->items[i] == NULL)
                return NULL;
        }
        return v;
    case JSON_STRING:
        return nb_v_str(a, nb_arena_strndup(a, json_string_value(j),
                                            json_string_length(j)));
    case JSON_INTEGER:
    case JSON_REAL:
        return number_text(a, j);
    case JSON_TRUE:
    case JSON_FALSE:
        return nb_v_bool(a, json_is_true(j));
    default:
        return nb_v_null(a);
    }
}

/* ---- Its shape ---- */

/* A null, or an empty array's elements, say nothing of their names: their
 * node is nb_vnode_any until a value of the same place says more. */

static bool shape_merge(nb_arena *a, const nb_vnode **slot, const nb_value *v);

/* The node at *slot, made or taken over from nb_vnode_any to be filled. */
static nb_vnode *fillable(nb_arena *a, const nb_vnode **slot)
{
    nb_vnode *n;

    if (*slot != NULL && *slot != &nb_vnode_any)
        return (nb_vnode *)*slot; /* made here, in the arena */
    n = nb_arena_alloc(a, sizeof(*n));
    if (n != NULL) {
        memset(n, 0, sizeof(*n));
        *slot = n;
    }
    return n;
}

static bool shape_map(nb_arena *a, nb_vnode *n, const nb_value *v)
{
    size_t i;
    size_t k;

    if (n->kind != NB_VK_MAP) {
        n->kind = NB_VK_MAP;
        n->fields = NULL;
        n->n_fields = 0;
    }
    for (i = 0; i < v->n; i++) {
        for (k = 0; k < n->n_fields; k++)
            if (strcmp(n->fields[k].name, v->kv[i].key) == 0)
                break;
        if (k == n->n_fields) { /* a new field: the array grows by one */
            nb_vfield *f = nb_arena_array(a, n->n_fields + 1, sizeof(*f));

            if (f == NULL)
                return false;
            if (n->n_fields > 0)
                memcpy(f, n->fields, n->n_fields * sizeof(*f));
            f[k].name = v->kv[i].key;
            f[k].node = NULL;
            n->fields = f;
            n->n_fields++;
        }
        if (!shape_merge(a, &((nb_vfield *)n->fields)[k].node, v->kv[i].val))
            return false;
    }
    return true;
}

static bool shape_merge(nb_arena *a, const nb_vnode **slot, const nb_value *v)
{
    nb_vnode *n;
    size_t i;

    if (v->type == NB_V_NULL || (v->type == NB_V_LIST && v->n == 0)) {
        if (*slot == NULL)
            *slot = &nb_vnode_any;
        if (v->type == NB_V_LIST && *slot == &nb_vnode_any) {
            n = fillable(a, slot);
            if (n == NULL)
                return false;
            n->kind = NB_VK_LIST;
            n->elem = &nb_vnode_any;
        }
        return true;
    }
    if (*slot != NULL && *slot != &nb_vnode_any && v->type != NB_V_MAP &&
        v->type != NB_V_LIST)
        return true; /* a scalar where something is known already */
    n = fillable(a, slot);
    if (n == NULL)
        return false;
    if (v->type == NB_V_MAP)
        return shape_map(a, n, v);
    if (v->type == NB_V_LIST) {
        if (n->kind != NB_VK_LIST)
            n->elem = NULL;
        n->kind = NB_VK_LIST;
        for (i = 0; i < v->n; i++)
            if (!shape_merge(a, &n->elem, v->items[i]))
                return false;
        return true;
    }
    n->kind = v->type == NB_V_BOOL ? NB_VK_BOOL : NB_VK_STR;
    return true;
}

/* ---- Loading ---- */

static void report_json(nb_diag_list *dl, const char *name,
                        const json_error_t *e)
{
    nb_loc loc = {name, e->line > 0 ? (uint32_t)e->line : 0,
                  e->column > 0 ? (uint32_t)e->column : 0, NULL};

    nb_diag_add(dl, NB_DATA_JSON_MALFORMED, &loc,
                _("not valid JSON: %s (a JSON file is UTF-8 text, each key "
                  "once in its object)"),
                e->text);
}

static nb_status build(nb_data *d, const json_t *j)
{
    d->root = to_value(d->arena, j);
    if (d->root == NULL || !shape_merge(d->arena, &d->shape, d->root))
        return NB_ERR_NOMEM;
    return NB_OK;
}

nb_status nb_data_load_memory(nb_data **out, const void *data, size_t len,
                              const char *name, const nb_limits *limits,
                              nb_diag_list *dl)
{
    nb_limits lim = nb_limits_resolve(limits);
    json_error_t err;
    json_t *j = NULL;
    nb_data *d = NULL;
    nb_status st = NB_OK;
    nb_loc loc = {name, 0, 0, NULL};

    *out = NULL;
    if (len > lim.max_input_bytes) {
        nb_diag_add(dl, NB_DATA_TOO_LARGE, &loc,
                    _("the data is %zu bytes, more than the limit of %zu"),
                    len, lim.max_input_bytes);
        return NB_ERR_LIMIT;
    }
    j = json_loadb(data, len, JSON_REJECT_DUPLICATES, &err);
    if (j == NULL) {
        report_json(dl, name, &err);
        goto done;
    }
    if (!json_is_object(j)) {
        nb_diag_add(dl, NB_DATA_JSON_ROOT, &loc, "%s",
                    json_is_array(j)
                        ? _("the data is a JSON array, not an object: a "
                            "template names the fields of an object "
                            "{\"name\": …}")
                        : _("the data is a single JSON value, not an "
                            "object: a template names the fields of an "
                            "object {\"name\": …}"));
        goto done;
    }
    d = calloc(1, sizeof(*d));
    if (d != NULL)
        d->arena = nb_arena_new();
    if (d != NULL && d->arena != NULL)
        d->name = nb_arena_strdup(d->arena, name);
    st = d != NULL && d->name != NULL ? build(d, j) : NB_ERR_NOMEM;
    if (st != NB_OK) {
        nb_data_free(d);
        st = nb_diag_nomem(dl, name);
        goto done;
    }
    /* a folder that cannot be resolved leaves no base: every path is
     * then refused */
    if (nb_data_dirs_init(&d->dirs, name) == NB_DPATH_NOMEM) {
        nb_data_free(d);
        st = nb_diag_nomem(dl, name);
        goto done;
    }
    *out = d;
done:
    json_decref(j);
    return st;
}

nb_status nb_data_load(nb_data **out, const char *path,
                       const nb_limits *limits, nb_diag_list *dl)
{
    nb_limits lim = nb_limits_resolve(limits);
    char *buf = NULL;
    size_t len = 0;
    nb_status st;

    *out = NULL;
    st = nb_file_read(&buf, &len, path, lim.max_input_bytes, NB_DATA_TOO_LARGE,
                      dl);
    if (st == NB_OK)
        st = nb_data_load_memory(out, buf, len, path, limits, dl);
    free(buf);
    return st;
}

nb_status nb_data_allow_dir(nb_data *d, const char *dir, nb_diag_list *dl)
{
    nb_loc loc = {dir, 0, 0, NULL};
    nb_dpath_err e = nb_data_dirs_allow(&d->dirs, dir);

    if (e == NB_DPATH_OK)
        return NB_OK;
    if (e == NB_DPATH_NOMEM)
        return nb_diag_nomem(dl, dir);
    nb_diag_add(dl, NB_DATA_PICTURE_PATH, &loc, "%s",
                e == NB_DPATH_MISSING
                    ? _("--allow-dir: the folder does not exist")
                    : _("--allow-dir: not a folder"));
    return NB_ERR_IO;
}

void nb_data_free(nb_data *d)
{
    if (d == NULL)
        return;
    nb_data_dirs_fini(&d->dirs);
    nb_arena_free(d->arena);
    free(d);
}

const nb_vnode *nb_data_shape(const nb_data *d)
{
    return d->shape;
}

nb_status nb_data_use_schema(nb_data **d, const nb_json_schema *s,
                             nb_diag_list *dl)
{
    nb_data *nd = NULL;
    const nb_vnode *shape;

    if (*d == NULL) {
        nd = calloc(1, sizeof(*nd));
        if (nd != NULL)
            nd->arena = nb_arena_new();
        if (nd != NULL && nd->arena != NULL) {
            nd->name = nb_arena_strdup(nd->arena, "-");
            nd->root = nb_v_map(nd->arena, 0);
        }
        if (nd == NULL || nd->name == NULL || nd->root == NULL) {
            nb_data_free(nd);
            return nb_diag_nomem(dl, NULL);
        }
        *d = nd;
    }
    shape = nb_json_schema_shape((*d)->arena, s);
    if (shape == NULL)
        return nb_diag_nomem(dl, NULL);
    (*d)->shape = shape;
    return NB_OK;
}

/* ---- Rendering ---- */

nb_status nb_render_data_memory(void **out, size_t *len_out,
                                const nb_template *t, const nb_data *d,
                                nb_diag_list *dl)
{
    *out = NULL;
    *len_out = 0;
    if (!nb_template_renderable(t)) {
        nb_loc loc = {t->file, 0, 0, NULL};

        nb_diag_add(dl, NB_DOCX_WRITE, &loc,
                    _("the template has errors and is not rendered"));
        return NB_ERR_FORMAT;
    }
    if (t->html)
        return nb_html_render_dirs(out, len_out, t, d->root, d->name, false,
                                   &d->dirs, dl);
    return nb_render_value_dirs(out, len_out, t, d->root, d->name, &d->dirs,
                                dl);
}

nb_status nb_render_data_file(const char *path, const nb_template *t,
                              const nb_data *d, nb_diag_list *dl)
{
    void *data = NULL;
    size_t len = 0;
    nb_status st = nb_render_data_memory(&data, &len, t, d, dl);

    if (st == NB_OK)
        st = nb_write_file_atomic(path, data, len, dl);
    nb_free(data);
    return st;
}
