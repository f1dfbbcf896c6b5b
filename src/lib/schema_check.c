/* schema_check.c: JSON data held to a JSON Schema (schema_json.c loads
 * it), and the schema's shape for check-template.
 *
 * Every finding names the JSON pointer of the value as its place, the
 * keyword that fails (and where it is in the schema), and what to do.
 * anyOf and oneOf try their alternatives quietly and report once.
 */
#include "schema_json.h"
#include "tmpl.h"

#include <math.h>
#include <regex.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct vc {
    const nb_json_schema *s;
    const char *file;
    nb_diag_list *dl;
    int quiet;     /* inside anyOf/oneOf: count, do not report */
    size_t failed; /* failures, reported or not */
    bool too_deep;
} vc;

static void fail(vc *c, const char *ptr, const char *kw, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void fail(vc *c, const char *ptr, const char *kw, const char *fmt, ...)
{
    nb_loc loc = {c->file, 0, 0, ptr[0] != '\0' ? ptr : "/"};
    char msg[1024];
    va_list ap;

    c->failed++;
    if (c->quiet > 0)
        return;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    nb_diag_add(c->dl, NB_DATA_SCHEMA_INVALID, &loc, _("%s [schema: %s]"), msg,
                kw);
}

static const char *type_of(const json_t *j)
{
    switch (json_typeof(j)) {
    case JSON_OBJECT:
        return "object";
    case JSON_ARRAY:
        return "array";
    case JSON_STRING:
        return "string";
    case JSON_INTEGER:
        return "integer";
    case JSON_REAL:
        return "number";
    case JSON_TRUE:
    case JSON_FALSE:
        return "boolean";
    default:
        return "null";
    }
}

static bool is_type(const json_t *j, const char *t)
{
    if (strcmp(t, "number") == 0)
        return json_is_number(j);
    if (strcmp(t, "integer") == 0)
        return json_is_integer(j) ||
               (json_is_real(j) && floor(json_real_value(j)) ==
                                       json_real_value(j));
    return strcmp(t, type_of(j)) == 0;
}

static void check(vc *c, const json_t *sch, const json_t *d, const char *ptr,
                  size_t depth);

static void check_type(vc *c, const json_t *t, const json_t *d,
                       const char *ptr)
{
    size_t i;
    char want[256] = "";

    if (json_is_string(t)) {
        if (!is_type(d, json_string_value(t)))
            fail(c, ptr, "type", _("a value of type %s where the schema wants %s"),
                 type_of(d), json_string_value(t));
        return;
    }
    for (i = 0; i < json_array_size(t); i++) {
        const char *n = json_string_value(json_array_get(t, i));

        if (n != NULL && is_type(d, n))
            return;
        if (n != NULL && strlen(want) + strlen(n) + 3 < sizeof(want))
            snprintf(want + strlen(want), sizeof(want) - strlen(want),
                     "%s%s", want[0] != '\0' ? ", " : "", n);
    }
    fail(c, ptr, "type", _("a value of type %s where the schema wants one of: %s"),
         type_of(d), want);
}

/* A value as JSON, short, for messages; caller frees. */
static char *shown(const json_t *j)
{
    char *s = json_dumps(j, JSON_ENCODE_ANY | JSON_COMPACT);

    if (s != NULL && strlen(s) > 60)
        memcpy(s + 56, "…", sizeof("…"));
    return s;
}

static void check_number(vc *c, const json_t *sch, const json_t *d,
                         const char *ptr)
{
    static const char *const kws[] = {"minimum", "maximum", "exclusiveMinimum",
                                      "exclusiveMaximum"};
    double v = json_number_value(d);
    size_t i;

    for (i = 0; i < NB_COUNT(kws); i++) {
        const json_t *b = json_object_get(sch, kws[i]);
        double x;
        bool ok;

        if (!json_is_number(b))
            continue;
        x = json_number_value(b);
        ok = i == 0 ? v >= x : i == 1 ? v <= x : i == 2 ? v > x : v < x;
        if (!ok)
            fail(c, ptr, kws[i], _("%g is out of range: the schema wants %s "
                                   "%g"),
                 v, i == 0 ? "≥" : i == 1 ? "≤" : i == 2 ? ">" : "<", x);
    }
}

static size_t code_points(const char *s)
{
    size_t n = 0;

    for (; *s != '\0'; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

/* YYYY-MM-DD, a day that exists (RFC 3339 full-date). */
static bool is_date(const char *s)
{
    static const int days[] = {31, 29, 31, 30, 31, 30,
                               31, 31, 30, 31, 30, 31};
    int y;
    int m;
    int d;
    size_t i;

    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return false;
    for (i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return false;
    y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
        (s[3] - '0');
    m = (s[5] - '0') * 10 + (s[6] - '0');
    d = (s[8] - '0') * 10 + (s[9] - '0');
    if (m < 1 || m > 12 || d < 1 || d > days[m - 1])
        return false;
    return m != 2 || d < 29 || (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0));
}

/* minLength and maxLength of a string of 'n' characters, or minItems and
 * maxItems of an array of 'n' elements ('items'). */
static void check_count(vc *c, const json_t *sch, const char *ptr, size_t n,
                        bool items)
{
    const char *lo_kw = items ? "minItems" : "minLength";
    const char *hi_kw = items ? "maxItems" : "maxLength";
    const json_t *lo = json_object_get(sch, lo_kw);
    const json_t *hi = json_object_get(sch, hi_kw);

    if (json_is_integer(lo) && (json_int_t)n < json_integer_value(lo))
        fail(c, ptr, lo_kw,
             items ? _("%zu elements, fewer than %lld: add more")
                   : _("%zu characters, fewer than %lld: write more"),
             n, (long long)json_integer_value(lo));
    if (json_is_integer(hi) && (json_int_t)n > json_integer_value(hi))
        fail(c, ptr, hi_kw,
             items ? _("%zu elements, more than %lld: remove some")
                   : _("%zu characters, more than %lld: shorten it"),
             n, (long long)json_integer_value(hi));
}

static void check_string(vc *c, const json_t *sch, const json_t *d,
                         const char *ptr)
{
    const char *v = json_string_value(d);
    size_t n = code_points(v);
    const json_t *k;
    regex_t re;

    check_count(c, sch, ptr, n, false);
    k = json_object_get(sch, "pattern");
    if (json_is_string(k) &&
        regcomp(&re, json_string_value(k), REG_EXTENDED | REG_NOSUB) == 0) {
        if (regexec(&re, v, 0, NULL, 0) != 0)
            fail(c, ptr, "pattern", _("'%s' does not match %s"), v,
                 json_string_value(k));
        regfree(&re);
    }
    k = json_object_get(sch, "format");
    if (json_is_string(k) && strcmp(json_string_value(k), "date") == 0 &&
        !is_date(v))
        fail(c, ptr, "format",
             _("'%s' is not a date: write YYYY-MM-DD, such as 2023-02-08"),
             v);
}

static void check_object(vc *c, const json_t *sch, const json_t *d,
                         const char *ptr, size_t depth)
{
    const json_t *props = json_object_get(sch, "properties");
    const json_t *extra = json_object_get(sch, "additionalProperties");
    const json_t *req = json_object_get(sch, "required");
    const char *key;
    json_t *val;
    size_t i;
    char sub[NB_JSON_PTR_MAX];

    for (i = 0; i < json_array_size(req); i++) {
        const char *name = json_string_value(json_array_get(req, i));

        if (name != NULL && json_object_get(d, name) == NULL)
            fail(c, ptr, "required", _("'%s' is missing: add it"), name);
    }
    json_object_foreach ((json_t *)d, key, val) {
        const json_t *p = json_is_object(props) ? json_object_get(props, key)
                                                : NULL;

        nb_json_ptr_join(sub, ptr, key);
        if (p != NULL)
            check(c, p, val, sub, depth + 1);
        else if (json_is_false(extra))
            fail(c, sub, "additionalProperties",
                 _("'%s' is not a property the schema allows: remove it or "
                   "check its spelling"),
                 key);
        else if (json_is_object(extra))
            check(c, extra, val, sub, depth + 1);
    }
}

static void check_array(vc *c, const json_t *sch, const json_t *d,
                        const char *ptr, size_t depth)
{
    const json_t *items = json_object_get(sch, "items");
    const json_t *prefix = json_object_get(sch, "prefixItems");
    size_t n = json_array_size(d);
    size_t i;
    char sub[NB_JSON_PTR_MAX];

    if (json_is_array(items)) /* draft-07 tuple */
        prefix = items;
    for (i = 0; i < n; i++) {
        const json_t *s = i < json_array_size(prefix)
                              ? json_array_get(prefix, i)
                          : items != prefix ? items
                                            : NULL;

        nb_json_ptr_index(sub, ptr, i);
        if (s != NULL)
            check(c, s, json_array_get(d, i), sub, depth + 1);
    }
    check_count(c, sch, ptr, n, true);
}

/* How many of the alternatives of 'kw' (anyOf, oneOf, allOf) 'd' meets,
 * tried quietly. */
static size_t alternatives(vc *c, const json_t *alts, const json_t *d,
                           const char *ptr, size_t depth)
{
    size_t ok = 0;
    size_t i;

    c->quiet++;
    for (i = 0; i < json_array_size(alts); i++) {
        size_t before = c->failed;

        check(c, json_array_get(alts, i), d, ptr, depth + 1);
        ok += c->failed == before;
    }
    c->quiet--;
    return ok;
}

static void check_combined(vc *c, const json_t *sch, const json_t *d,
                           const char *ptr, size_t depth)
{
    const json_t *k;
    size_t i;
    size_t ok;

    k = json_object_get(sch, "allOf");
    for (i = 0; i < json_array_size(k); i++)
        check(c, json_array_get(k, i), d, ptr, depth + 1);
    k = json_object_get(sch, "anyOf");
    if (json_array_size(k) > 0 && alternatives(c, k, d, ptr, depth) == 0)
        fail(c, ptr, "anyOf",
             _("the value fits none of the %zu alternatives: make it fit "
               "one"),
             json_array_size(k));
    k = json_object_get(sch, "oneOf");
    if (json_array_size(k) > 0) {
        ok = alternatives(c, k, d, ptr, depth);
        if (ok != 1)
            fail(c, ptr, "oneOf",
                 _("the value fits %zu of the %zu alternatives, not exactly "
                   "one: make it fit one"),
                 ok, json_array_size(k));
    }
}

static void check_enum(vc *c, const json_t *sch, const json_t *d,
                       const char *ptr)
{
    const json_t *k = json_object_get(sch, "enum");
    size_t i;
    char *v;

    if (json_is_array(k)) {
        for (i = 0; i < json_array_size(k); i++)
            if (json_equal(json_array_get(k, i), (json_t *)d))
                break;
        if (i == json_array_size(k)) {
            char *all = shown(k);

            v = shown(d);
            fail(c, ptr, "enum", _("%s is not one of %s"), v != NULL ? v : "",
                 all != NULL ? all : "");
            free(v);
            free(all);
        }
    }
    k = json_object_get(sch, "const");
    if (k != NULL && !json_equal((json_t *)k, (json_t *)d)) {
        char *want = shown(k);

        v = shown(d);
        fail(c, ptr, "const", _("%s is not %s, the only value allowed"),
             v != NULL ? v : "", want != NULL ? want : "");
        free(v);
        free(want);
    }
}

static void check(vc *c, const json_t *sch, const json_t *d, const char *ptr,
                  size_t depth)
{
    const json_t *k;

    if (json_is_false(sch)) {
        fail(c, ptr, "false", "%s", _("no value is allowed here: remove it"));
        return;
    }
    if (!json_is_object(sch))
        return;
    if (depth > NB_SCHEMA_EVAL_DEPTH) {
        c->too_deep = true;
        return;
    }
    k = json_object_get(sch, "$ref");
    if (json_is_string(k)) {
        const json_t *r = nb_json_schema_resolve(c->s, json_string_value(k));

        if (r != NULL)
            check(c, r, d, ptr, depth + 1);
    }
    k = json_object_get(sch, "type");
    if (k != NULL)
        check_type(c, k, d, ptr);
    check_enum(c, sch, d, ptr);
    if (json_is_number(d))
        check_number(c, sch, d, ptr);
    else if (json_is_string(d))
        check_string(c, sch, d, ptr);
    else if (json_is_object(d))
        check_object(c, sch, d, ptr, depth);
    else if (json_is_array(d))
        check_array(c, sch, d, ptr, depth);
    check_combined(c, sch, d, ptr, depth);
}

nb_status nb_json_schema_validate(const nb_json_schema *s,
                                  const char *data_path,
                                  const nb_limits *limits, nb_diag_list *dl)
{
    nb_limits lim = nb_limits_resolve(limits);
    char *buf = NULL;
    size_t len = 0;
    json_t *d = NULL;
    json_error_t err;
    vc c;
    nb_status st;

    if (!nb_json_schema_ok(s))
        return NB_OK; /* its errors are reported */
    st = nb_file_read(&buf, &len, data_path, lim.max_input_bytes,
                      NB_DATA_TOO_LARGE, dl);
    if (st != NB_OK)
        return st;
    d = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &err);
    free(buf);
    if (d == NULL)
        return NB_OK; /* nb_data_load reports it */
    memset(&c, 0, sizeof(c));
    c.s = s;
    c.file = data_path;
    c.dl = dl;
    check(&c, nb_json_schema_root(s), d, "", 0);
    if (c.too_deep) {
        nb_loc loc = {data_path, 0, 0, NULL};

        nb_diag_add(dl, NB_DATA_SCHEMA_REF, &loc,
                    _("the schema's references go deeper than %d schemas "
                      "for one value: the data is not fully checked; "
                      "simplify the schema's $ref, anyOf and oneOf"),
                    NB_SCHEMA_EVAL_DEPTH);
    }
    json_decref(d);
    return NB_OK;
}

/* ==== The shape ==== */

static const nb_vnode shape_str = {NB_VK_STR, NULL, 0, NULL};
static const nb_vnode shape_bool = {NB_VK_BOOL, NULL, 0, NULL};

/* The first of a type's names ("string", ["string", "null"]). */
static const char *first_type(const json_t *sch)
{
    const json_t *t = json_object_get(sch, "type");

    if (json_is_string(t))
        return json_string_value(t);
    if (json_is_array(t) && json_array_size(t) > 0) {
        const char *n = json_string_value(json_array_get(t, 0));

        if (n != NULL && strcmp(n, "null") == 0 && json_array_size(t) > 1)
            n = json_string_value(json_array_get(t, 1));
        return n;
    }
    return NULL;
}

static const nb_vnode *shape_of(nb_arena *a, const nb_json_schema *s,
                                const json_t *sch, size_t depth);

static const nb_vnode *shape_object(nb_arena *a, const nb_json_schema *s,
                                    const json_t *sch, size_t depth)
{
    const json_t *props = json_object_get(sch, "properties");
    const json_t *extra = json_object_get(sch, "additionalProperties");
    nb_vnode *n;
    nb_vfield *f;
    const char *key;
    json_t *val;
    size_t i = 0;

    if (!json_is_object(props) || json_object_size(props) == 0 ||
        (extra != NULL && !json_is_false(extra)))
        return &nb_vnode_any; /* names not known */
    n = nb_arena_alloc(a, sizeof(*n));
    f = nb_arena_array(a, json_object_size(props), sizeof(*f));
    if (n == NULL || f == NULL)
        return NULL;
    json_object_foreach ((json_t *)props, key, val) {
        f[i].name = nb_arena_strdup(a, key);
        f[i].node = shape_of(a, s, val, depth + 1);
        if (f[i].name == NULL || f[i].node == NULL)
            return NULL;
        i++;
    }
    n->kind = NB_VK_MAP;
    n->fields = f;
    n->n_fields = i;
    return n;
}

static const nb_vnode *shape_of(nb_arena *a, const nb_json_schema *s,
                                const json_t *sch, size_t depth)
{
    const json_t *k;
    const char *t;
    nb_vnode *n;

    if (!json_is_object(sch) || depth > NB_SCHEMA_EVAL_DEPTH)
        return &nb_vnode_any;
    k = json_object_get(sch, "$ref");
    if (json_is_string(k)) {
        const json_t *r = nb_json_schema_resolve(s, json_string_value(k));

        return r != NULL ? shape_of(a, s, r, depth + 1) : &nb_vnode_any;
    }
    t = first_type(sch);
    if (t == NULL && json_object_get(sch, "properties") != NULL)
        t = "object";
    if (t == NULL && json_object_get(sch, "items") != NULL)
        t = "array";
    if (t == NULL)
        return &nb_vnode_any; /* anyOf, oneOf, no type: anything */
    if (strcmp(t, "object") == 0)
        return shape_object(a, s, sch, depth);
    if (strcmp(t, "array") == 0) {
        k = json_object_get(sch, "items");
        n = nb_arena_alloc(a, sizeof(*n));
        if (n == NULL)
            return NULL;
        n->kind = NB_VK_LIST;
        n->elem = json_is_object(k) ? shape_of(a, s, k, depth + 1)
                                    : &nb_vnode_any;
        return n->elem != NULL ? n : NULL;
    }
    return strcmp(t, "boolean") == 0 ? &shape_bool : &shape_str;
}

const nb_vnode *nb_json_schema_shape(nb_arena *a, const nb_json_schema *s)
{
    if (!nb_json_schema_ok(s))
        return &nb_vnode_any;
    return shape_of(a, s, nb_json_schema_root(s), 0);
}
