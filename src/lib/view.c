/* view.c: the report model presented as template data.
 *
 * Templates see a tree of maps, lists and strings (docs/templates.md); this
 * file builds it from the model, adding what a template needs but the data
 * never types: positions (n, for the ordinals 一、 (一) 一是 1.), the run-in
 * split of an area's first paragraph, and defaults already resolved in the
 * model (titles, signer). Built once per render in the render's arena.
 */
#include "catalog.h"
#include "figures.h"
#include "model.h"
#include "rules.h"
#include "typo.h"
#include "value.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ==== Values ==== */

nb_value *nb_v_null(nb_arena *a)
{
    return nb_arena_alloc(a, sizeof(nb_value));
}

nb_value *nb_v_bool(nb_arena *a, bool b)
{
    nb_value *v = nb_arena_alloc(a, sizeof(*v));

    if (v != NULL) {
        v->type = NB_V_BOOL;
        v->b = b;
    }
    return v;
}

nb_value *nb_v_str(nb_arena *a, const char *s)
{
    nb_value *v = nb_arena_alloc(a, sizeof(*v));

    if (v != NULL) {
        v->type = NB_V_STR;
        v->s = s != NULL ? s : "";
        v->len = strlen(v->s);
    }
    return v;
}

nb_value *nb_v_list(nb_arena *a, size_t n)
{
    nb_value *v = nb_arena_alloc(a, sizeof(*v));

    if (v == NULL)
        return NULL;
    v->type = NB_V_LIST;
    v->n = n;
    if (n > 0) {
        v->items = nb_arena_array(a, n, sizeof(nb_value *));
        if (v->items == NULL)
            return NULL;
    }
    return v;
}

nb_value *nb_v_map(nb_arena *a, size_t alloc)
{
    nb_value *v = nb_arena_alloc(a, sizeof(*v));

    if (v == NULL)
        return NULL;
    v->type = NB_V_MAP;
    v->alloc = alloc;
    if (alloc > 0) {
        v->kv = nb_arena_array(a, alloc, sizeof(nb_kv));
        if (v->kv == NULL)
            return NULL;
    }
    return v;
}

bool nb_v_map_set(nb_value *map, const char *key, nb_value *val)
{
    if (map == NULL || val == NULL || map->n >= map->alloc)
        return false;
    map->kv[map->n].key = key;
    map->kv[map->n].val = val;
    map->n++;
    return true;
}

const nb_value *nb_v_map_get(const nb_value *map, const char *key,
                             size_t key_len)
{
    size_t i;

    if (map == NULL || map->type != NB_V_MAP)
        return NULL;
    for (i = 0; i < map->n; i++) {
        const char *k = map->kv[i].key;

        if (strncmp(k, key, key_len) == 0 && k[key_len] == '\0')
            return map->kv[i].val;
    }
    return NULL;
}

bool nb_v_truthy(const nb_value *v)
{
    if (v == NULL)
        return false;
    switch (v->type) {
    case NB_V_BOOL:
        return v->b;
    case NB_V_STR:
        return v->len > 0;
    case NB_V_LIST:
        return v->n > 0;
    case NB_V_MAP:
        return true;
    default:
        return false;
    }
}

/* ==== The shape of the view ====
 * What nb_view_build below makes, as a table: tmpl_check.c checks the
 * paths of templates against it, and check_tmpl.c holds it to the view of
 * a real report, key for key, so the two cannot drift apart. */

#define FIELDS(f) f, sizeof(f) / sizeof(f[0])

static const nb_vnode v_str = {NB_VK_STR, NULL, 0, NULL};
static const nb_vnode v_bool = {NB_VK_BOOL, NULL, 0, NULL};

static const nb_vfield f_para[] = {{"text", &v_str}};
static const nb_vnode v_para = {NB_VK_MAP, FIELDS(f_para), NULL};
static const nb_vnode v_paras = {NB_VK_LIST, NULL, 0, &v_para};

static const nb_vnode v_item; /* items nest: defined below */
static const nb_vnode v_items = {NB_VK_LIST, NULL, 0, &v_item};
static const nb_vfield f_item[] = {
    {"n", &v_str},       {"numbered", &v_bool}, {"ordinal", &v_str},
    {"lead", &v_str},    {"text", &v_str},      {"paragraphs", &v_paras},
    {"run_in", &v_bool}, {"items", &v_items}};
static const nb_vnode v_item = {NB_VK_MAP, FIELDS(f_item), NULL};

static const nb_vfield f_area[] = {
    {"n", &v_str},        {"title", &v_str}, {"run_in", &v_bool},
    {"heading", &v_bool}, {"text", &v_str},  {"paragraphs", &v_paras},
    {"items", &v_items}};
static const nb_vnode v_area = {NB_VK_MAP, FIELDS(f_area), NULL};
static const nb_vnode v_areas = {NB_VK_LIST, NULL, 0, &v_area};

static const nb_vfield f_section[] = {{"n", &v_str},        {"kind", &v_str},
                                      {"title", &v_str},    {"intro", &v_paras},
                                      {"summary", &v_str},  {"areas", &v_areas},
                                      {"closing", &v_paras}};
static const nb_vnode v_section = {NB_VK_MAP, FIELDS(f_section), NULL};
static const nb_vnode v_sections = {NB_VK_LIST, NULL, 0, &v_section};

static const nb_vfield f_signature[] = {
    {"signer_pad", &v_str},   {"date_pad", &v_str}, {"signer_right", &v_str},
    {"date_right", &v_str},   {"date_text", &v_str}};
static const nb_vnode v_signature = {NB_VK_MAP, FIELDS(f_signature), NULL};

static const nb_vfield f_meta[] = {
    {"issuer", &v_str},       {"year", &v_str},       {"date", &v_str},
    {"index_number", &v_str}, {"doc_number", &v_str}, {"disclosure", &v_str},
    {"addressee", &v_str},    {"signer", &v_str},     {"seal", &v_bool},
    {"signature", &v_signature}, {"topic", &v_str},   {"published", &v_str},
    {"figures_table", &v_str}};
static const nb_vnode v_meta = {NB_VK_MAP, FIELDS(f_meta), NULL};

static const nb_vfield f_metric[] = {
    {"code", &v_str},    {"name", &v_str},      {"value", &v_str},
    {"unit", &v_str},    {"text", &v_str},      {"number", &v_str},
    {"approx", &v_bool}, {"derived", &v_bool},  {"note", &v_str},
    {"prev", &v_str},    {"prev_text", &v_str}, {"yoy", &v_str},
    {"yoy_pct", &v_str}, {"yoy_pp", &v_str},    {"up", &v_bool},
    {"down", &v_bool}};
static const nb_vnode v_metric = {NB_VK_MAP, FIELDS(f_metric), NULL};
static const nb_vnode v_metrics = {NB_VK_LIST, NULL, 0, &v_metric};
static const nb_vnode v_by_code = {NB_VK_BY_CODE, NULL, 0, &v_metric};

static const nb_vfield f_title_line[] = {{"text", &v_str}, {"last", &v_bool}};
static const nb_vnode v_title_line = {NB_VK_MAP, FIELDS(f_title_line), NULL};
static const nb_vnode v_title_lines = {NB_VK_LIST, NULL, 0, &v_title_line};

static const nb_vfield f_arow[] = {
    {"n", &v_str},    {"group", &v_bool}, {"name", &v_str},  {"value", &v_str},
    {"unit", &v_str}, {"prev", &v_str},   {"change", &v_str}};
static const nb_vnode v_arow = {NB_VK_MAP, FIELDS(f_arow), NULL};
static const nb_vnode v_arows = {NB_VK_LIST, NULL, 0, &v_arow};
static const nb_vfield f_appendix[] = {{"title", &v_str}, {"rows", &v_arows}};
static const nb_vnode v_appendix = {NB_VK_MAP, FIELDS(f_appendix), NULL};

static const nb_vfield f_root[] = {
    {"title", &v_str},         {"meta", &v_meta},       {"preamble", &v_paras},
    {"sections", &v_sections}, {"metrics", &v_metrics}, {"metric", &v_by_code},
    {"title_lines", &v_title_lines}, {"appendix", &v_appendix}};
const nb_vnode nb_view_shape = {NB_VK_MAP, FIELDS(f_root), NULL};

const nb_vnode *nb_vnode_field(const nb_vnode *n, const char *name, size_t len)
{
    size_t i;

    if (n == NULL || n->kind != NB_VK_MAP)
        return NULL;
    for (i = 0; i < n->n_fields; i++)
        if (strlen(n->fields[i].name) == len &&
            memcmp(n->fields[i].name, name, len) == 0)
            return n->fields[i].node;
    return NULL;
}

/* ==== Building the view ==== */

typedef struct vb {
    nb_arena *a;
    const nb_report *r;
    bool oom;
    char (*nums)[4]; /* "1" … "64" in the arena, shared by every list */
} vb;

static nb_value *chk(vb *b, nb_value *v)
{
    if (v == NULL)
        b->oom = true;
    return v;
}

static void set(vb *b, nb_value *map, const char *key, nb_value *val)
{
    if (map == NULL || !nb_v_map_set(map, key, val))
        b->oom = true;
}

/* A string that knows where it came from ('loc' NULL: as its map). */
static void set_str_loc(vb *b, nb_value *map, const char *key, const char *s,
                        const nb_loc *loc)
{
    nb_value *v = chk(b, nb_v_str(b->a, s));

    if (v != NULL)
        v->loc = loc;
    set(b, map, key, v);
}

static void set_str(vb *b, nb_value *map, const char *key, const char *s)
{
    set_str_loc(b, map, key, s, NULL);
}

/* A string built in the arena: NULL (and the build failed) when out of
 * memory. */
static const char *chk_s(vb *b, const char *s)
{
    if (s == NULL)
        b->oom = true;
    return s;
}

/* Narrative text, its metric references replaced by their figures. */
static void set_text(vb *b, nb_value *map, const char *key, const char *s,
                     const nb_loc *loc)
{
    const char *t = nb_text_resolve(b->a, b->r, s);

    if (t == NULL && s != NULL)
        b->oom = true;
    set_str_loc(b, map, key, t, loc);
}

static void set_bool(vb *b, nb_value *map, const char *key, bool v)
{
    set(b, map, key, chk(b, nb_v_bool(b->a, v)));
}

/* The 1-based position as text. */
static void set_n(vb *b, nb_value *map, size_t i)
{
    const char *s;

    if (i < 64) {
        s = b->nums[i];
    } else {
        s = nb_arena_printf(b->a, "%zu", i + 1);
        if (s == NULL) {
            b->oom = true;
            return;
        }
    }
    set_str(b, map, "n", s);
}

static nb_value *paras(vb *b, const nb_para *p, size_t n)
{
    nb_value *list = chk(b, nb_v_list(b->a, n));
    size_t i;

    for (i = 0; list != NULL && i < n; i++) {
        nb_value *m = chk(b, nb_v_map(b->a, 1));

        if (m != NULL)
            m->loc = &p[i].loc;
        set_text(b, m, "text", p[i].text, NULL);
        list->items[i] = m;
    }
    return list;
}

/* The ordinal the i-th item of a list prints in style 'num' ("" for none). */
static void set_ordinal(vb *b, nb_value *m, nb_numbering num, size_t i)
{
    nb_buf t;
    const char *s;

    nb_buf_init(&t, 64);
    nb_ordinal_append(&t, num, i);
    s = nb_arena_printf(b->a, "%s", t.data != NULL ? t.data : "");
    nb_buf_fini(&t);
    if (s == NULL)
        b->oom = true;
    else
        set_str(b, m, "ordinal", s);
}

/* The items of a list: 'top' for an area's, printed run in ('run_in') or
 * as paragraphs. */
static nb_value *items(vb *b, const nb_item *it, size_t n, bool top,
                       bool run_in)
{
    nb_value *list = chk(b, nb_v_list(b->a, n));
    size_t i;

    for (i = 0; list != NULL && i < n; i++) {
        nb_value *m = chk(b, nb_v_map(b->a, 8));
        nb_numbering num = nb_numbering_resolve(
            it[i].numbering, b->r->meta.numbering, top, run_in);

        if (m != NULL)
            m->loc = &it[i].loc;
        set_n(b, m, i);
        set_bool(b, m, "numbered", num != NB_NUM_NONE);
        set_ordinal(b, m, num, i);
        set_str(b, m, "lead", it[i].lead);
        set_text(b, m, "text", it[i].text, NULL);
        set(b, m, "paragraphs", paras(b, it[i].paras, it[i].n_paras));
        set_bool(b, m, "run_in", it[i].run_in);
        set(b, m, "items",
            items(b, it[i].items, it[i].n_items, false,
                  run_in || it[i].run_in));
        list->items[i] = m;
    }
    return list;
}

static nb_value *area(vb *b, const nb_area *a, size_t i)
{
    nb_value *m = chk(b, nb_v_map(b->a, 7));
    bool runin_text = a->run_in && a->n_paras > 0;

    if (m != NULL)
        m->loc = &a->loc;
    set_n(b, m, i);
    set_str(b, m, "title", a->title);
    set_bool(b, m, "run_in", a->run_in);
    set_bool(b, m, "heading", !a->run_in);
    set_text(b, m, "text", runin_text ? a->paras[0].text : NULL,
             runin_text ? &a->paras[0].loc : NULL);
    /* runin_text implies paras is not NULL: no offset of a NULL pointer */
    set(b, m, "paragraphs",
        runin_text ? paras(b, a->paras + 1, a->n_paras - 1)
                   : paras(b, a->paras, a->n_paras));
    set(b, m, "items", items(b, a->items, a->n_items, true, a->run_in));
    return m;
}

static nb_value *section(vb *b, const nb_section *s, size_t i)
{
    nb_value *m = chk(b, nb_v_map(b->a, 7));
    nb_value *list = chk(b, nb_v_list(b->a, s->n_areas));
    size_t k;

    if (m != NULL)
        m->loc = &s->loc;
    set_n(b, m, i);
    set_str(b, m, "kind", nb_section_kind_name(s->kind));
    set_str(b, m, "title", s->title);
    set(b, m, "intro", paras(b, s->intro, s->n_intro));
    set_text(b, m, "summary", s->summary, &s->summary_loc);
    for (k = 0; list != NULL && k < s->n_areas; k++)
        list->items[k] = area(b, &s->areas[k], k);
    set(b, m, "areas", list);
    set(b, m, "closing", paras(b, s->closing, s->n_closing));
    return m;
}

/* ==== Title lines and the signature block (typo.c computes them) ==== */

/* The title broken into balanced lines (GB/T 9704-2012 7.3.1). */
static nb_value *title_lines(vb *b, const nb_report *r)
{
    nb_typo_line lines[NB_TYPO_TITLE_MAX_LINES + 64];
    size_t n = nb_typo_title_lines(lines, sizeof(lines) / sizeof(*lines),
                                   r->title, r->meta.issuer, 0);
    nb_value *list;
    size_t i;

    if (n > sizeof(lines) / sizeof(*lines))
        n = sizeof(lines) / sizeof(*lines);
    list = chk(b, nb_v_list(b->a, n));
    for (i = 0; list != NULL && i < n; i++) {
        nb_value *m = chk(b, nb_v_map(b->a, 2));

        set_str(b, m, "text",
                nb_arena_strndup(b->a, r->title + lines[i].off, lines[i].len));
        set_bool(b, m, "last", i + 1 == n);
        list->items[i] = m;
    }
    return list;
}

/* 'h' hundredths of a character as full-width spaces and, for a half,
 * one half-width space. */
static const char *pad(vb *b, int h)
{
    int n = h / 100;
    char *s = nb_arena_alloc(b->a, (size_t)n * 3 + 2);
    int i;

    if (s == NULL) {
        b->oom = true;
        return NULL;
    }
    for (i = 0; i < n; i++)
        memcpy(s + 3 * i, "\xe3\x80\x80", 3);
    if (h % 100 >= 50)
        s[3 * n] = ' ';
    return s;
}

/* Hundredths of a character as a number of characters: "2", "3.5". */
static const char *chars(vb *b, int h)
{
    const char *s = h % 100 == 0   ? nb_arena_printf(b->a, "%d", h / 100)
                    : h % 10 == 0 ? nb_arena_printf(b->a, "%d.%d", h / 100,
                                                    h % 100 / 10)
                                  : nb_arena_printf(b->a, "%d.%02d", h / 100,
                                                    h % 100);

    if (s == NULL)
        b->oom = true;
    return s;
}

/* The signature block as GB/T 9704-2012 7.3.5 places it: the pads that
 * put the 署名 and the date in place on the standard 28-character line,
 * and the space right of each for writers that align right. */
nb_value *nb_view_signature(nb_arena *a, const char *signer, const char *date,
                            bool seal)
{
    vb b;
    nb_value *m;
    const char *text = NULL;
    nb_typo_sign sg;

    memset(&b, 0, sizeof(b));
    b.a = a;
    m = chk(&b, nb_v_map(a, 5));
    if (date != NULL && strlen(date) >= 10)
        text = nb_arena_printf(a, "%ld年%ld月%ld日", strtol(date, NULL, 10),
                               strtol(date + 5, NULL, 10),
                               strtol(date + 8, NULL, 10));
    nb_typo_sign_place(&sg, signer, text, seal, 0);
    set_str(&b, m, "signer_pad", pad(&b, sg.signer_pad));
    set_str(&b, m, "date_pad", pad(&b, sg.date_pad));
    set_str(&b, m, "signer_right", chars(&b, sg.signer_right));
    set_str(&b, m, "date_right", chars(&b, sg.date_right));
    set_str(&b, m, "date_text", text);
    return b.oom ? NULL : m;
}

static nb_value *signature(vb *b, const nb_meta *mt)
{
    return chk(b, nb_view_signature(b->a, mt->signer, mt->date, mt->seal));
}

static nb_value *meta(vb *b, const nb_meta *mt)
{
    nb_value *m = chk(b, nb_v_map(b->a, 13));

    set_str(b, m, "issuer", mt->issuer);
    /* the year as a number: XML takes "02022" for 2022 */
    set_str(b, m, "year",
            mt->year > 0 ? nb_arena_printf(b->a, "%d", mt->year)
                         : mt->year_text);
    set_str_loc(b, m, "date", mt->date, &mt->date_loc);
    set_str(b, m, "index_number", mt->index_number);
    set_str(b, m, "doc_number", mt->doc_number);
    set_str(b, m, "disclosure", mt->disclosure);
    set_str(b, m, "addressee", mt->addressee);
    set_str(b, m, "signer", mt->signer);
    set_bool(b, m, "seal", mt->seal);
    set(b, m, "signature", signature(b, mt));
    set_str(b, m, "topic", mt->topic);
    set_str(b, m, "published", mt->published);
    set_str(b, m, "figures_table",
            mt->figures_table != NB_FIGTAB_NONE
                ? nb_figures_table_name(mt->figures_table)
                : NULL);
    return m;
}

static const char *fmt(vb *b, double v, int decimals)
{
    char num[64];
    const char *s;

    nb_number_format(num, sizeof(num), v, decimals);
    s = nb_arena_strdup(b->a, num);
    if (s == NULL)
        b->oom = true;
    return s;
}

/* A figure as printed (nb_figure_shown), kept in the view's arena. */
static const char *shown_figure(vb *b, const char *value)
{
    char buf[80];
    const char *s = nb_figure_shown(buf, sizeof(buf), value);

    return s == buf ? nb_arena_strdup(b->a, buf) : s;
}

/* One metric: what the data says, what the rules derived, and its change
 * from last year (docs/templates.md, "metrics"). */
static nb_value *metric(vb *b, const nb_metric *mt)
{
    nb_value *m = chk(b, nb_v_map(b->a, 16));
    const char *unit = nb_metric_unit(mt);
    /* printed without the zeros typed before it (docs/templates.md) */
    const char *shown = shown_figure(b, mt->value);
    const char *prev = mt->has_prev ? shown_figure(b, mt->prev_value) : NULL;
    double pct;
    double pp;
    bool has_pct;
    bool has_pp;
    char yoy[96];

    if (m != NULL)
        m->loc = &mt->loc;
    set_str(b, m, "code", mt->code);
    set_str(b, m, "name", mt->ind != NULL ? mt->ind->name : NULL);
    set_str(b, m, "value", shown);
    set_str(b, m, "unit", unit);
    set_str(b, m, "text", nb_arena_printf(b->a, "%s%s", shown, unit));
    set_str(b, m, "number", fmt(b, mt->num, 6));
    set_bool(b, m, "approx", mt->approx);
    set_bool(b, m, "derived", mt->derived);
    set_str(b, m, "note", mt->note);
    set_str(b, m, "prev", prev);
    set_str(b, m, "prev_text",
            prev != NULL ? nb_arena_printf(b->a, "%s%s", prev, unit) : NULL);
    nb_metric_change(mt, &pct, &has_pct, &pp, &has_pp);
    set_str(b, m, "yoy",
            nb_metric_yoy(yoy, sizeof(yoy), mt) ? nb_arena_strdup(b->a, yoy)
                                                : NULL);
    set_str(b, m, "yoy_pct", has_pct ? fmt(b, pct, 2) : NULL);
    set_str(b, m, "yoy_pp", has_pp ? fmt(b, pp, 2) : NULL);
    set_bool(b, m, "up", has_pct ? pct > 0 : has_pp && pp > 0);
    set_bool(b, m, "down", has_pct ? pct < 0 : has_pp && pp < 0);
    return m;
}

/* metrics[] in data order, and metric.<code> for a template to name one. */
static void metrics(vb *b, nb_value *root, const nb_report *r)
{
    nb_value *list = chk(b, nb_v_list(b->a, r->n_metrics));
    nb_value *by_code = chk(b, nb_v_map(b->a, r->n_metrics));
    size_t i;

    for (i = 0; list != NULL && i < r->n_metrics; i++) {
        list->items[i] = metric(b, &r->metrics[i]);
        if (list->items[i] == NULL)
            return;
        set(b, by_code, r->metrics[i].code, list->items[i]);
    }
    set(b, root, "metrics", list);
    set(b, root, "metric", by_code);
}

/* ==== The appendix table of figures (meta figures_table) ==== */

/* A metric's place in the catalog: built-in indicators in catalog order,
 * then the others in data order. */
static size_t catalog_rank(const nb_metric *mt, size_t i)
{
    uintptr_t p = (uintptr_t)mt->ind;
    uintptr_t lo = (uintptr_t)nb_catalog_table;
    uintptr_t hi = (uintptr_t)(nb_catalog_table + nb_catalog_len);

    if (mt->ind != NULL && p >= lo && p < hi)
        return (size_t)(mt->ind - nb_catalog_table);
    return nb_catalog_len + i;
}

static bool is_rate(const nb_metric *mt)
{
    return (mt->ind != NULL && strcmp(mt->ind->type, "rate") == 0) ||
           strcmp(nb_metric_unit(mt), "%") == 0;
}

/* The change from last year as the table prints it: "+12", "-3.5" for
 * counts and amounts, "+2.5个百分点" for rates, 持平 for none; NULL when
 * last year's figure is unknown or either figure is approximate. */
static const char *table_change(vb *b, const nb_metric *mt)
{
    nb_quantity q;
    unsigned decimals = mt->decimals;
    double d;
    char num[64];

    if (!mt->has_prev || mt->approx || mt->prev_approx)
        return NULL;
    if (nb_quantity_parse(&q, mt->prev_value) && q.decimals > decimals)
        decimals = q.decimals;
    if (is_rate(mt) && decimals < 2)
        decimals = 2;
    d = mt->num - mt->prev_num;
    nb_number_format(num, sizeof(num), d < 0 ? -d : d, (int)decimals);
    if (strcmp(num, "0") == 0)
        return "持平";
    return chk_s(b, nb_arena_printf(b->a, "%s%s%s", d > 0 ? "+" : "-", num,
                                    is_rate(mt) ? "个百分点" : ""));
}

static nb_value *appendix_row(vb *b, const nb_metric *mt, size_t n)
{
    nb_value *m = chk(b, nb_v_map(b->a, 7));
    const char *value = shown_figure(b, mt->value);

    if (m != NULL)
        m->loc = &mt->loc;
    set_n(b, m, n);
    set_bool(b, m, "group", false);
    set_str(b, m, "name", mt->ind != NULL ? mt->ind->name : mt->code);
    set_str(b, m, "value", value);
    set_str(b, m, "unit", nb_metric_unit(mt));
    set_str(b, m, "prev",
            mt->has_prev ? shown_figure(b, mt->prev_value) : NULL);
    set_str(b, m, "change", table_change(b, mt));
    return m;
}

/* A heading row: the group's name across an otherwise empty row. */
static nb_value *appendix_group_row(vb *b, const char *name)
{
    static const char *const empty[] = {"n", "value", "unit", "prev",
                                        "change"};
    nb_value *m = chk(b, nb_v_map(b->a, 7));
    size_t i;

    set_bool(b, m, "group", true);
    set_str(b, m, "name", name);
    for (i = 0; i < NB_COUNT(empty); i++)
        set_str(b, m, empty[i], NULL);
    return m;
}

static const char *group_of(const nb_metric *mt)
{
    return mt->ind != NULL && mt->ind->group != NULL ? mt->ind->group
                                                       : "其他";
}

/* The metrics' indexes in catalog order (insertion sort: stable, and
 * reports have at most a few hundred figures), or NULL. */
static size_t *catalog_order(vb *b, const nb_report *r)
{
    size_t *ord = nb_arena_array(b->a, r->n_metrics + 1, sizeof(size_t));
    size_t i;
    size_t j;

    if (ord == NULL) {
        b->oom = true;
        return NULL;
    }
    for (i = 0; i < r->n_metrics; i++) {
        size_t rank = catalog_rank(&r->metrics[i], i);

        for (j = i; j > 0 && catalog_rank(&r->metrics[ord[j - 1]],
                                          ord[j - 1]) > rank;
             j--)
            ord[j] = ord[j - 1];
        ord[j] = i;
    }
    return ord;
}

/* appendix.rows in 'ord' order; with 'groups', a heading row before the
 * rows of each group, the groups in the order they first come. */
static nb_value *appendix_rows(vb *b, const nb_report *r, const size_t *ord,
                               bool groups)
{
    size_t n_rows = r->n_metrics;
    bool *done = nb_arena_array(b->a, r->n_metrics + 1, sizeof(bool));
    nb_value *list;
    size_t i;
    size_t j;
    size_t k = 0;
    size_t n = 0; /* figures so far, for the 序号 */

    for (i = 0; groups && i < r->n_metrics; i++) {
        for (j = 0; j < i; j++)
            if (strcmp(group_of(&r->metrics[ord[j]]),
                       group_of(&r->metrics[ord[i]])) == 0)
                break;
        n_rows += j == i;
    }
    list = chk(b, nb_v_list(b->a, n_rows));
    if (list == NULL || done == NULL)
        return chk(b, NULL);
    for (i = 0; i < r->n_metrics; i++) {
        const char *g = group_of(&r->metrics[ord[i]]);

        if (done[i])
            continue;
        if (groups)
            list->items[k++] = appendix_group_row(b, g);
        for (j = i; j < r->n_metrics; j++)
            if (!done[j] &&
                (!groups || strcmp(group_of(&r->metrics[ord[j]]), g) == 0)) {
                list->items[k++] = appendix_row(b, &r->metrics[ord[j]], n++);
                done[j] = true;
            }
    }
    return list;
}

/* appendix: its title and rows when the report asks for the table, an
 * empty list of rows when not. */
static nb_value *appendix(vb *b, const nb_report *r)
{
    nb_value *m = chk(b, nb_v_map(b->a, 2));
    const nb_meta *mt = &r->meta;
    const size_t *ord = NULL;

    set_str(b, m, "title",
            chk_s(b, mt->year > 0 ? nb_arena_printf(b->a, "%d年度主要指标",
                                                    mt->year)
                                  : nb_arena_printf(b->a, "主要指标")));
    if (mt->figures_table != NB_FIGTAB_NONE)
        ord = catalog_order(b, r);
    set(b, m, "rows",
        ord != NULL ? appendix_rows(b, r, ord,
                                    mt->figures_table == NB_FIGTAB_GROUP)
                    : chk(b, nb_v_list(b->a, 0)));
    return m;
}

nb_value *nb_view_build(nb_arena *a, const nb_report *r)
{
    vb b;
    nb_value *root;
    nb_value *list;
    size_t i;

    b.a = a;
    b.r = r;
    b.oom = false;
    b.nums = nb_arena_array(a, 64, sizeof(*b.nums));
    if (b.nums == NULL)
        return NULL;
    for (i = 0; i < 64; i++)
        snprintf(b.nums[i], sizeof(b.nums[i]), "%zu", i + 1);
    root = chk(&b, nb_v_map(a, 8));
    set_str(&b, root, "title", r->title);
    set(&b, root, "title_lines", title_lines(&b, r));
    set(&b, root, "meta", meta(&b, &r->meta));
    set(&b, root, "preamble", paras(&b, r->preamble, r->n_preamble));
    list = chk(&b, nb_v_list(a, r->n_sections));
    for (i = 0; list != NULL && i < r->n_sections; i++)
        list->items[i] = section(&b, &r->sections[i], i);
    set(&b, root, "sections", list);
    metrics(&b, root, r);
    set(&b, root, "appendix", appendix(&b, r));
    return b.oom ? NULL : root;
}
