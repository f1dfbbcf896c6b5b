/* catalog_load.c: an office's local indicator catalog, read at run time on
 * top of the built-in one.
 *
 * The file is parsed as safely as report XML (xml_io.c) and validated
 * against schemas/indicators.xsd; then every local code is checked not to
 * collide with a built-in one, and every formula and rule to name known
 * indicators. Any error means no catalog: a half-loaded catalog would
 * check reports against rules nobody wrote.
 */
#include "catalog.h"
#include "figures.h"
#include "schema.h"
#include "xml_io.h"

#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

/* A catalog is a short list; this bounds a hostile one. */
#define MAX_CATALOG_BYTES (16u << 20)

typedef struct loader {
    nb_catalog *c;
    const char *file;
    nb_diag_list *dl;
    size_t errors;
    bool oom;
} loader;

static const char *attr(loader *L, const xmlNode *n, const char *name)
{
    return nb_xml_attr_dup(L->c->arena, n, name, &L->oom);
}

/* An attribute of type xs:token (or a list of codes), as the schema reads
 * it. */
static const char *token(loader *L, const xmlNode *n, const char *name)
{
    return nb_xml_token_dup(L->c->arena, n, name, &L->oom);
}

static bool is_el(const xmlNode *n, const char *name)
{
    return nb_xml_is(n, NB_INDICATORS_NS, name);
}

static size_t count_el(const xmlNode *root, const char *name)
{
    const xmlNode *n;
    size_t k = 0;

    for (n = root->children; n != NULL; n = n->next)
        k += is_el(n, name);
    return k;
}

typedef struct code_check {
    loader *L;
    const nb_loc *loc;
    const char *what;
} code_check;

static bool known_code(const char *code, size_t len, void *ctx)
{
    code_check *cc = ctx;
    char buf[72];

    if (len < sizeof(buf)) {
        memcpy(buf, code, len);
        buf[len] = '\0';
        if (nb_catalog_find(cc->L->c, buf) != NULL)
            return true;
    }
    nb_diag_add(cc->L->dl, NB_CATALOG_FORMULA, cc->loc,
                _("%s names '%.*s', which is not an indicator of the "
                  "catalog or of this file"),
                cc->what, (int)len, code);
    cc->L->errors++;
    return true; /* go on: report every unknown code */
}

static void check_codes(loader *L, const char *text, const nb_loc *loc,
                        const char *what)
{
    code_check cc = {L, loc, what};

    if (text != NULL)
        nb_formula_codes(text, known_code, &cc);
}

/* The slot of 'key' in one of the local tables: where it is, or the empty
 * slot where it goes. 'by_name' picks the name table. */
static size_t slot_of(const nb_catalog *c, const char *key, size_t len,
                      bool by_name)
{
    const uint32_t *t = by_name ? c->name_hash : c->code_hash;
    size_t mask = c->hash_size - 1;
    size_t j = nb_str_hash_n(key, len) & mask;

    while (t[j] != 0) {
        if (by_name) {
            const nb_catalog_name *e = &c->names[t[j] - 1];

            if (e->len == len && memcmp(e->key, key, len) == 0)
                break;
        } else {
            const char *k = c->local[t[j] - 1].code;

            if (strncmp(k, key, len) == 0 && k[len] == '\0')
                break;
        }
        j = (j + 1) & mask;
    }
    return j;
}

const nb_indicator *nb_catalog_local_find(const nb_catalog *c, const char *key,
                                          size_t len, bool by_name)
{
    const uint32_t *t;
    size_t j;

    if (c == NULL || c->hash_size == 0)
        return NULL;
    t = by_name ? c->name_hash : c->code_hash;
    j = slot_of(c, key, len, by_name);
    if (t[j] == 0)
        return NULL;
    return &c->local[by_name ? c->names[t[j] - 1].ind : t[j] - 1];
}

/* Enter one name or alias of the indicator just read
 * (c->local[c->n_local]) into the name table; false, reported, when
 * another indicator has it (a {{名称}} in a CSV text must name one
 * indicator). */
static bool index_name(loader *L, const nb_indicator *ind, const char *key,
                       size_t len, const nb_loc *loc)
{
    nb_catalog *c = L->c;
    const nb_indicator *same = nb_catalog_find_name(c, key, len);
    size_t j;

    if (same != NULL) {
        nb_diag_add(L->dl, NB_CATALOG_COLLISION, loc,
                    _("indicator '%s' is named '%.*s', as '%s' already is; "
                      "give it a name of its own"),
                    ind->code, (int)len, key, same->code);
        L->errors++;
        return false;
    }
    c->names[c->n_names].key = key;
    c->names[c->n_names].len = len;
    c->names[c->n_names].ind = (uint32_t)c->n_local;
    c->n_names++;
    j = slot_of(c, key, len, true);
    c->name_hash[j] = (uint32_t)c->n_names;
    return true;
}

/* Enter the indicator just read into the code and name tables; false,
 * reported, when its name or an alias is taken. The code is unique by
 * the schema. */
static bool index_local(loader *L, const nb_indicator *ind, const nb_loc *loc)
{
    nb_catalog *c = L->c;
    size_t n_names = c->n_names;
    bool ok = index_name(L, ind, ind->name, strlen(ind->name), loc);
    size_t i;
    size_t j;

    for (i = 0; i < nb_indicator_alias_count(ind); i++) {
        size_t len;
        const char *a = nb_indicator_alias_at(ind, i, &len);

        ok = index_name(L, ind, a, len, loc) && ok;
    }
    if (!ok) {
        /* not kept: its names leave the table again */
        while (c->n_names > n_names) {
            const nb_catalog_name *e = &c->names[--c->n_names];

            c->name_hash[slot_of(c, e->key, e->len, true)] = 0;
        }
        return false;
    }
    j = slot_of(c, ind->code, strlen(ind->code), false);
    c->code_hash[j] = (uint32_t)c->n_local + 1;
    return true;
}

/* Names and aliases of every indicator element: room in the name
 * table. */
static size_t count_names(loader *L, const xmlNode *root)
{
    const xmlNode *n;
    size_t k = 0;

    for (n = root->children; n != NULL; n = n->next) {
        nb_indicator tmp = {0};

        if (!is_el(n, "indicator"))
            continue;
        tmp.aliases = attr(L, n, "aliases");
        k += 1 + (tmp.aliases != NULL ? nb_indicator_alias_count(&tmp) : 0);
    }
    return k;
}

/* True when 'unit' (len bytes) is a percent sign. */
static bool is_percent(const char *unit, size_t len)
{
    return (len == 1 && unit[0] == '%') ||
           (len == 3 && memcmp(unit, "\xEF\xBC\x85", 3) == 0);
}

/* A rate is in %, a count or an amount never is: report each unit of
 * 'units' (separated by spaces) that is not. */
static bool units_fit(loader *L, const nb_indicator *ind, const char *units,
                      const nb_loc *loc)
{
    bool rate = strcmp(ind->type, "rate") == 0;
    bool ok = true;
    const char *p = units;

    while (p != NULL && *p != '\0') {
        size_t len = strcspn(p, " ");

        if (len > 0 && is_percent(p, len) != rate) {
            if (rate)
                nb_diag_add(L->dl, NB_CATALOG_UNIT, loc,
                            _("indicator '%s' is a rate, but its unit is "
                              "'%.*s': a rate is in %%"),
                            ind->code, (int)len, p);
            else
                nb_diag_add(L->dl, NB_CATALOG_UNIT, loc,
                            _("indicator '%s' is a %s, but its unit is "
                              "'%.*s': make it a rate, or give the unit it "
                              "counts in (件, 人, 元)"),
                            ind->code, ind->type, (int)len, p);
            ok = false;
        }
        p += len;
        p += strspn(p, " ");
    }
    return ok;
}

/* The bounds of an indicator narrow its type's (0 or more; a rate 0 to
 * 100) and min is not above max; its units fit its type. False, with
 * the findings reported, when not: the indicator is not kept. */
static bool sensible(loader *L, const nb_indicator *ind, const nb_loc *loc)
{
    double lo = ind->min != NULL ? nb_decimal_value(ind->min) : 0;
    double hi = ind->max != NULL ? nb_decimal_value(ind->max) : 100;
    bool rate = ind->type != NULL && strcmp(ind->type, "rate") == 0;
    bool ok = true;

    if (ind->type == NULL)
        return true; /* the schema reported it */
    if ((ind->min != NULL && lo < 0) || (ind->max != NULL && hi < 0) ||
        (rate && ((ind->max != NULL && hi > 100) ||
                  (ind->min != NULL && lo > 100))) ||
        (ind->min != NULL && ind->max != NULL && lo > hi)) {
        nb_diag_add(L->dl, NB_CATALOG_RANGE, loc,
                    _("indicator '%s' is from %s to %s, which no %s can be: "
                      "min is at most max, both 0 or more%s"),
                    ind->code, ind->min != NULL ? ind->min : "…",
                    ind->max != NULL ? ind->max : "…", ind->type,
                    rate ? _(", and a rate's at most 100") : "");
        ok = false;
    }
    if (ind->unit != NULL && !units_fit(L, ind, ind->unit, loc))
        ok = false;
    if (ind->units != NULL && !units_fit(L, ind, ind->units, loc))
        ok = false;
    if (!ok)
        L->errors++;
    return ok;
}

static void read_indicators(loader *L, const xmlNode *root)
{
    const xmlNode *n;
    nb_catalog *c = L->c;

    size_t n_ind = count_el(root, "indicator");
    size_t n_names = count_names(L, root);

    c->local =
        nb_arena_array_or_flag(c->arena, n_ind, sizeof(nb_indicator), &L->oom);
    c->names = nb_arena_array_or_flag(c->arena, n_names,
                                      sizeof(nb_catalog_name), &L->oom);
    if (c->names == NULL)
        return;
    for (c->hash_size = 16; c->hash_size < n_names * 2; c->hash_size *= 2)
        ;
    c->code_hash = nb_arena_array_or_flag(c->arena, c->hash_size,
                                          sizeof(uint32_t), &L->oom);
    c->name_hash = nb_arena_array_or_flag(c->arena, c->hash_size,
                                          sizeof(uint32_t), &L->oom);
    if (c->code_hash == NULL || c->name_hash == NULL) {
        c->hash_size = 0;
        return;
    }
    memset(c->code_hash, 0, c->hash_size * sizeof(uint32_t));
    memset(c->name_hash, 0, c->hash_size * sizeof(uint32_t));
    for (n = root->children; n != NULL && c->local != NULL; n = n->next) {
        nb_indicator *ind;
        const char *dec;
        nb_loc loc = {L->file, nb_xml_line(n), 0, NULL};

        if (!is_el(n, "indicator"))
            continue;
        ind = &c->local[c->n_local];
        ind->code = token(L, n, "code");
        if (ind->code == NULL)
            return;
        if (nb_indicator_find(ind->code) != NULL) {
            nb_diag_add(L->dl, NB_CATALOG_COLLISION, &loc,
                        _("indicator '%s' is already in the built-in "
                          "catalog (%s); give the local one a code of its "
                          "own, such as the office's prefix"),
                        ind->code, nb_indicator_find(ind->code)->name);
            L->errors++;
            continue;
        }
        ind->name = attr(L, n, "name");
        ind->unit = attr(L, n, "unit");
        ind->type = token(L, n, "type");
        ind->group = attr(L, n, "group");
        ind->formula = attr(L, n, "formula");
        dec = token(L, n, "decimals");
        ind->decimals = dec != NULL ? (int)strtol(dec, NULL, 10) : 1;
        ind->min = token(L, n, "min");
        ind->max = token(L, n, "max");
        ind->aliases = attr(L, n, "aliases");
        ind->units = attr(L, n, "units");
        if (!sensible(L, ind, &loc))
            continue;
        if (ind->name != NULL && !index_local(L, ind, &loc))
            continue;
        c->n_local++;
    }
}

static void read_rules(loader *L, const xmlNode *root)
{
    const xmlNode *n;
    nb_catalog *c = L->c;

    c->rules = nb_arena_array_or_flag(c->arena, count_el(root, "rule"),
                                      sizeof(nb_catalog_rule), &L->oom);
    for (n = root->children; n != NULL && c->rules != NULL; n = n->next) {
        nb_catalog_rule *ru;
        const char *ex;

        if (!is_el(n, "rule"))
            continue;
        ru = &c->rules[c->n_rules++];
        ru->id = token(L, n, "id");
        ru->whole = token(L, n, "whole");
        ru->parts = token(L, n, "parts");
        ru->source = attr(L, n, "source");
        ex = token(L, n, "exhaustive");
        ru->exhaustive =
            ex != NULL && (strcmp(ex, "true") == 0 || strcmp(ex, "1") == 0);
    }
}

/* Formulas and rules, once every local code is known. */
static void check_references(loader *L, const xmlNode *root)
{
    const xmlNode *n;
    size_t i = 0;
    size_t k = 0;

    for (n = root->children; n != NULL; n = n->next) {
        nb_loc loc = {L->file, nb_xml_line(n), 0, NULL};

        if (is_el(n, "indicator") && i < L->c->n_local) {
            const nb_indicator *ind = &L->c->local[i];
            double v;

            /* a colliding indicator was not kept: match by code */
            if (!nb_xml_token_is(n, "code", ind->code))
                continue;
            i++;
            if (ind->formula == NULL)
                continue;
            if (nb_formula_eval(&v, ind->formula, NULL, NULL) == NB_FX_SYNTAX) {
                nb_diag_add(L->dl, NB_CATALOG_FORMULA, &loc,
                            _("formula '%s' of '%s' is not a formula: use "
                              "codes, numbers, + - * / and parentheses"),
                            ind->formula, ind->code);
                L->errors++;
                continue;
            }
            check_codes(L, ind->formula, &loc, _("formula"));
        } else if (is_el(n, "rule") && k < L->c->n_rules) {
            const nb_catalog_rule *ru = &L->c->rules[k++];

            check_codes(L, ru->whole, &loc, _("rule"));
            check_codes(L, ru->parts, &loc, _("rule"));
        }
    }
}

nb_status nb_catalog_load(nb_catalog **out, const char *path, nb_diag_list *dl)
{
    loader L = {NULL, path, dl, 0, false};
    char *data = NULL;
    size_t len = 0;
    xmlDocPtr doc = NULL;
    const xmlNode *root;
    size_t n_errors = 0;
    nb_status st;

    *out = NULL;
    st = nb_file_read(&data, &len, path, MAX_CATALOG_BYTES, NB_XML_TOO_LARGE,
                      dl);
    if (st != NB_OK)
        return st;
    st = nb_xml_parse(&doc, data, len, path, NULL, NB_XML_MALFORMED, false, NULL, dl);
    free(data);
    if (st == NB_ERR_FORMAT)
        return NB_OK;
    if (st != NB_OK)
        return st;
    root = xmlDocGetRootElement(doc);
    if (!is_el(root, "indicators")) {
        nb_loc loc = {path, nb_xml_line(root), 0, NULL};

        nb_diag_add(dl, NB_CATALOG_INVALID, &loc,
                    _("root element is <%s>, expected <indicators "
                      "xmlns=\"%s\">"),
                    root != NULL ? (const char *)root->name : "",
                    NB_INDICATORS_NS);
        goto done;
    }
    st = nb_xsd_validate(&n_errors, doc, NB_SCHEMA_INDICATORS, path, dl);
    if (st != NB_OK || n_errors > 0)
        goto done;
    L.c = calloc(1, sizeof(*L.c));
    if (L.c == NULL || (L.c->arena = nb_arena_new()) == NULL) {
        st = nb_diag_nomem(dl, path);
        goto done;
    }
    L.c->file = nb_arena_strdup(L.c->arena, path);
    read_indicators(&L, root);
    read_rules(&L, root);
    if (!L.oom)
        check_references(&L, root);
    if (L.oom || L.c->file == NULL) {
        st = nb_diag_nomem(dl, path);
        goto done;
    }
    if (L.errors == 0) {
        *out = L.c;
        L.c = NULL;
    }
done:
    nb_catalog_free(L.c);
    xmlFreeDoc(doc);
    return st;
}

void nb_catalog_free(nb_catalog *c)
{
    if (c == NULL)
        return;
    nb_arena_free(c->arena);
    free(c);
}
