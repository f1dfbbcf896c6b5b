/* model.c: the report model's lifecycle, accessors and derived defaults.
 *
 * Defaults follow 《法治政府建设与责任落实督察工作规定》 art. 25, which
 * names the report's five parts; the plans part is about the year after
 * the one reported on.
 */
#include "model.h"
#include "catalog.h"
#include "figures.h"

#include <stdlib.h>
#include <string.h>

nb_report *nb_report_new(const char *file)
{
    nb_report *r = calloc(1, sizeof(*r));

    if (r == NULL)
        return NULL;
    r->arena = nb_arena_new();
    if (r->arena == NULL) {
        free(r);
        return NULL;
    }
    r->file = nb_arena_strdup(r->arena, file != NULL ? file : "-");
    if (r->file == NULL) {
        nb_report_free(r);
        return NULL;
    }
    return r;
}

void nb_report_free(nb_report *r)
{
    if (r == NULL)
        return;
    nb_mindex_free(&r->mindex);
    nb_arena_free(r->arena);
    free(r);
}

/* ==== Numbering styles ==== */

static const struct {
    const char *name;
    nb_numbering n;
} numbering_names[] = {
    {"auto", NB_NUM_AUTO},     {"自动", NB_NUM_AUTO},
    {"none", NB_NUM_NONE},     {"不编号", NB_NUM_NONE},
    {"一是", NB_NUM_YISHI},    {"1.", NB_NUM_DECIMAL},
    {"1、", NB_NUM_DECIMAL},   {"1．", NB_NUM_DECIMAL},
    {"（1）", NB_NUM_PAREN},   {"(1)", NB_NUM_PAREN},
    {"第一", NB_NUM_DIYI},     {"第一，", NB_NUM_DIYI},
    {"yishi", NB_NUM_YISHI},   {"decimal", NB_NUM_DECIMAL},
    {"paren", NB_NUM_PAREN},   {"diyi", NB_NUM_DIYI}};

bool nb_numbering_parse(const char *s, nb_numbering *out)
{
    size_t i;

    for (i = 0; s != NULL && i < NB_COUNT(numbering_names); i++)
        if (strcmp(s, numbering_names[i].name) == 0) {
            *out = numbering_names[i].n;
            return true;
        }
    return false;
}

const char *nb_numbering_name(nb_numbering n)
{
    static const char *const names[] = {"auto", "none", "一是",
                                        "1.",   "（1）", "第一"};

    return (unsigned)n < NB_COUNT(names) ? names[n] : "auto";
}

bool nb_figures_table_parse(const char *s, nb_figures_table *out)
{
    static const struct {
        const char *name;
        nb_figures_table f;
    } names[] = {{"", NB_FIGTAB_CATALOG},      {"catalog", NB_FIGTAB_CATALOG},
                 {"true", NB_FIGTAB_CATALOG},  {"是", NB_FIGTAB_CATALOG},
                 {"group", NB_FIGTAB_GROUP},   {"分类", NB_FIGTAB_GROUP},
                 {"none", NB_FIGTAB_NONE},     {"false", NB_FIGTAB_NONE},
                 {"否", NB_FIGTAB_NONE}};
    size_t i;

    for (i = 0; s != NULL && i < NB_COUNT(names); i++)
        if (strcmp(s, names[i].name) == 0) {
            *out = names[i].f;
            return true;
        }
    return false;
}

const char *nb_figures_table_name(nb_figures_table f)
{
    return f == NB_FIGTAB_GROUP     ? "group"
           : f == NB_FIGTAB_CATALOG ? "catalog"
                                    : "none";
}

nb_numbering nb_numbering_resolve(nb_numbering n, nb_numbering dflt, bool top,
                                  bool run_in)
{
    if (n != NB_NUM_AUTO)
        return n;
    if (top && dflt != NB_NUM_AUTO)
        return dflt;
    if (run_in)
        return NB_NUM_YISHI;
    return top ? NB_NUM_DECIMAL : NB_NUM_PAREN;
}

void nb_ordinal_append(nb_buf *b, nb_numbering n, size_t i)
{
    switch (n) {
    case NB_NUM_YISHI:
        nb_cn_number(b, (unsigned long)i + 1);
        nb_buf_adds(b, "是");
        break;
    case NB_NUM_DECIMAL:
        nb_buf_printf(b, "%zu.", i + 1);
        break;
    case NB_NUM_PAREN:
        nb_buf_printf(b, "（%zu）", i + 1);
        break;
    case NB_NUM_DIYI:
        nb_buf_adds(b, "第");
        nb_cn_number(b, (unsigned long)i + 1);
        nb_buf_adds(b, "，");
        break;
    default:
        break;
    }
}

const char *nb_section_kind_name(nb_section_kind kind)
{
    static const char *const names[] = {"measures", "shortcomings", "duties",
                                        "plans", "other"};

    return (unsigned)kind < 5 ? names[kind] : "other";
}

const char *nb_section_default_title(nb_report *r, nb_section_kind kind,
                                     int year)
{
    switch (kind) {
    case NB_SECTION_MEASURES:
        return nb_arena_printf(r->arena,
                               "%d年度推进法治政府建设的主要举措和成效", year);
    case NB_SECTION_SHORTCOMINGS:
        return nb_arena_printf(r->arena,
                               "%d年度推进法治政府建设存在的不足和原因", year);
    case NB_SECTION_DUTIES:
        return nb_arena_printf(r->arena,
                               "%d年度党政主要负责人履行推进法治建设第一责任"
                               "人职责、加强法治政府建设的有关情况",
                               year);
    case NB_SECTION_PLANS:
        return nb_arena_printf(r->arena, "%d年度推进法治政府建设的主要安排",
                               year + 1);
    default:
        return "其他需要报告的情况";
    }
}

const char *nb_report_default_title(nb_report *r)
{
    return nb_arena_printf(r->arena, "%s%d年度法治政府建设情况报告",
                           r->meta.issuer != NULL ? r->meta.issuer : "",
                           r->meta.year);
}

/* ==== Bounds of the meta ==== */

/* 标题 of published reports run to about 100 characters, 发布机构 and
 * 署名 to about 50 (a joint report names two organs), 索引号 and 文号 to
 * about 30; a value past these is a paste gone wrong. */
static const nb_meta_bound meta_bounds[] = {
    {"issuer", "issuer", "发布机构", 100},
    {"signer", "signer", "署名", 100},
    {"title", "title", "标题", 200},
    {"addressee", "addressee", "主送机关", 200},
    {"index_number", "index-number", "索引号", 64},
    {"doc_number", "doc-number", "文号", 64},
    {"topic", "topic", "主题分类", 64},
    {"disclosure", "disclosure", "公开方式", 32},
    {"published", "published", "发布日期", 32},
};

const nb_meta_bound *nb_meta_bound_find(const char *name)
{
    size_t i;

    for (i = 0; name != NULL && i < sizeof(meta_bounds) / sizeof(meta_bounds[0]);
         i++)
        if (strcmp(name, meta_bounds[i].key) == 0 ||
            strcmp(name, meta_bounds[i].element) == 0)
            return &meta_bounds[i];
    return NULL;
}

bool nb_meta_check_length(const char *name, const char *value,
                          const nb_loc *loc, nb_diag_list *dl)
{
    const nb_meta_bound *mb = nb_meta_bound_find(name);
    size_t n = 0;
    const char *p;

    if (mb == NULL || value == NULL)
        return true;
    for (p = value; *p != '\0'; p++)
        n += ((unsigned char)*p & 0xC0) != 0x80;
    if (n <= mb->max_chars)
        return true;
    nb_meta_report_long(mb, n, loc, dl);
    return false;
}

void nb_meta_report_long(const nb_meta_bound *mb, size_t n,
                         const nb_loc *loc, nb_diag_list *dl)
{
    nb_diag_add(dl, NB_META_TOO_LONG, loc,
                _("%s (%s) is %zu characters long, more than the %zu it "
                  "may have: shorten it"),
                mb->label, mb->key, n, mb->max_chars);
}

const char *nb_report_title(const nb_report *r)
{
    return r->title;
}

const char *nb_report_issuer(const nb_report *r)
{
    return r->meta.issuer;
}

bool nb_report_partial(const nb_report *r)
{
    return r != NULL && r->partial;
}

bool nb_report_refuse_partial(const nb_report *r, nb_diag_list *dl)
{
    nb_loc loc = {r->file, 0, 0, NULL};

    if (!r->partial)
        return false;
    nb_diag_add(dl, NB_REPORT_PARTIAL, &loc, "%s",
                _("the report was read with errors, so only part of it is "
                  "there: correct them first"));
    return true;
}

int nb_report_year(const nb_report *r)
{
    return r->meta.year;
}

size_t nb_report_section_count(const nb_report *r)
{
    return r->n_sections;
}

void nb_metric_settle(nb_metric *m, const nb_catalog *c)
{
    nb_quantity q;

    m->ind = nb_catalog_find(c, m->code);
    if (m->value != NULL && nb_quantity_parse(&q, m->value)) {
        m->num = q.num;
        m->approx = q.approx;
        m->decimals = q.decimals;
    }
}

static bool code_is(const nb_metric *m, const char *code, size_t len)
{
    return strncmp(m->code, code, len) == 0 && m->code[len] == '\0';
}

bool nb_mindex_build(nb_mindex *ix, const nb_metric *m, size_t n, size_t cap)
{
    size_t i;

    for (ix->size = 16; ix->size < cap * 2; ix->size *= 2)
        if (ix->size > ((size_t)1 << 30))
            return false;
    ix->slot = calloc(ix->size, sizeof(*ix->slot));
    if (ix->slot == NULL)
        return false;
    for (i = 0; i < n; i++)
        nb_mindex_add(ix, m, i);
    return true;
}

void nb_mindex_add(nb_mindex *ix, const nb_metric *m, size_t i)
{
    size_t j = nb_str_hash_n(m[i].code, strlen(m[i].code)) & (ix->size - 1);

    while (ix->slot[j] != 0) {
        if (strcmp(m[ix->slot[j] - 1].code, m[i].code) == 0)
            return; /* the first one wins, as in a linear search */
        j = (j + 1) & (ix->size - 1);
    }
    ix->slot[j] = (uint32_t)i + 1;
}

const nb_metric *nb_mindex_find(const nb_mindex *ix, const nb_metric *m,
                                const char *code, size_t len)
{
    size_t j = nb_str_hash_n(code, len) & (ix->size - 1);

    while (ix->slot[j] != 0) {
        if (code_is(&m[ix->slot[j] - 1], code, len))
            return &m[ix->slot[j] - 1];
        j = (j + 1) & (ix->size - 1);
    }
    return NULL;
}

void nb_mindex_free(nb_mindex *ix)
{
    free(ix->slot);
    ix->slot = NULL;
    ix->size = 0;
}

const nb_metric *nb_report_metric_n(const nb_report *r, const char *code,
                                    size_t len)
{
    size_t i;

    if (r->mindex.slot != NULL)
        return nb_mindex_find(&r->mindex, r->metrics, code, len);
    for (i = 0; i < r->n_metrics; i++)
        if (code_is(&r->metrics[i], code, len))
            return &r->metrics[i];
    return NULL;
}

const nb_metric *nb_report_metric(const nb_report *r, const char *code)
{
    return nb_report_metric_n(r, code, strlen(code));
}

static bool each_para(const nb_para *p, size_t n, nb_text_fn fn, void *ctx)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (p[i].text != NULL && !fn(p[i].text, &p[i].loc, ctx))
            return false;
    return true;
}

static bool each_item(const nb_item *it, size_t n, nb_text_fn fn, void *ctx)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (it[i].text != NULL && !fn(it[i].text, &it[i].loc, ctx))
            return false;
        if (!each_para(it[i].paras, it[i].n_paras, fn, ctx))
            return false;
        if (!each_item(it[i].items, it[i].n_items, fn, ctx))
            return false;
    }
    return true;
}

bool nb_report_each_text(const nb_report *r, nb_text_fn fn, void *ctx)
{
    size_t i;
    size_t k;

    if (!each_para(r->preamble, r->n_preamble, fn, ctx))
        return false;
    for (i = 0; i < r->n_sections; i++) {
        const nb_section *s = &r->sections[i];

        if (!each_para(s->intro, s->n_intro, fn, ctx) ||
            (s->summary != NULL && !fn(s->summary, &s->summary_loc, ctx)))
            return false;
        for (k = 0; k < s->n_areas; k++) {
            const nb_area *a = &s->areas[k];

            if (!each_para(a->paras, a->n_paras, fn, ctx) ||
                !each_item(a->items, a->n_items, fn, ctx))
                return false;
        }
        if (!each_para(s->closing, s->n_closing, fn, ctx))
            return false;
    }
    return true;
}

size_t nb_ref_scan(const char *s, nb_ref *ref, const char **next)
{
    const char *open = strchr(s, NB_REF_OPEN);
    const char *close;
    const char *dot;

    *next = NULL;
    if (open == NULL)
        return strlen(s);
    close = strchr(open, NB_REF_CLOSE);
    if (close == NULL)
        return strlen(s); /* cannot happen: the readers build them whole */
    dot = memchr(open + 1, '.', (size_t)(close - open - 1));
    ref->code = open + 1;
    ref->code_len = (size_t)((dot != NULL ? dot : close) - ref->code);
    ref->field = dot != NULL ? dot + 1 : "";
    ref->field_len = dot != NULL ? (size_t)(close - dot - 1) : 0;
    *next = close + 1;
    return (size_t)(open - s);
}

bool nb_ref_field_is(const nb_ref *ref, const char *field)
{
    return strlen(field) == ref->field_len &&
           memcmp(ref->field, field, ref->field_len) == 0;
}

/* At most 200 bytes of s[0..len), cut before a UTF-8 character, not
 * inside one: for quoting in a message. */
static int excerpt_len(const char *s, size_t len)
{
    if (len <= 200)
        return (int)len;
    len = 200;
    while (len > 0 && ((unsigned char)s[len] & 0xC0) == 0x80)
        len--;
    return (int)len;
}

/* One {{…}} of a CSV text, its braces stripped: a reference added to 'b',
 * or {{"…"}}, a literal (the way a text writes "{{" itself). False when
 * it is neither, reported. */
static bool ref_from_csv(nb_buf *b, const char *inner, size_t len,
                         const nb_catalog *cat, const nb_loc *loc,
                         const char *col, nb_diag_list *dl)
{
    const char *name = inner;
    size_t name_len;
    const char *dot;
    const char *field = "";
    size_t field_len = 0;
    const nb_indicator *ind = NULL;
    bool code = true;
    size_t i;

    nb_trim(&name, &len);
    if (len >= 2 && name[0] == '"' && name[len - 1] == '"') {
        nb_buf_add(b, name + 1, len - 2);
        return true;
    }
    dot = memchr(name, '.', len);
    name_len = dot != NULL ? (size_t)(dot - name) : len;
    if (dot != NULL) {
        field = dot + 1;
        field_len = len - name_len - 1;
        nb_trim(&field, &field_len);
    }
    nb_trim(&name, &name_len);
    for (i = 0; i < name_len; i++)
        code = code && nb_is_code_byte(name[i]);
    code = code && name_len > 0 && name_len <= 64 && name[0] >= 'a' &&
           name[0] <= 'z';
    if (!(field_len == 0 ||
          (field_len == 5 && memcmp(field, "value", 5) == 0) ||
          (field_len == 3 && memcmp(field, "yoy", 3) == 0)) ||
        name_len == 0) {
        nb_diag_add(dl, NB_RULE_REF_SYNTAX, loc,
                    _("%s: {{%.*s}} is not a metric reference: write "
                      "{{code}}, {{code.value}} or {{code.yoy}}"),
                    col, excerpt_len(name, len), name);
        return false;
    }
    if (!code && (ind = nb_catalog_find_name(cat, name, name_len)) == NULL) {
        const nb_indicator *near =
            nb_diag_list_full(dl) ? NULL
                                  : nb_catalog_suggest_name(cat, name,
                                                            name_len);

        if (near != NULL) {
            nb_diag_add(dl, NB_RULE_REF_UNKNOWN, loc,
                        _("%s: {{%.*s}} names no indicator; did you mean "
                          "{{%s}} (%s)? (nianbao indicators --search "
                          "finds others)"),
                        col, excerpt_len(name, name_len), name, near->name,
                        near->code);
            return false;
        }
        nb_diag_add(dl, NB_RULE_REF_UNKNOWN, loc,
                    _("%s: {{%.*s}} names no indicator: write its code or "
                      "its name as 'nianbao indicators' lists it"),
                    col, excerpt_len(name, name_len), name);
        return false;
    }
    nb_buf_printf(b, "%c%.*s%s%.*s%c", NB_REF_OPEN,
                  (int)(ind != NULL ? strlen(ind->code) : name_len),
                  ind != NULL ? ind->code : name, field_len > 0 ? "." : "",
                  (int)field_len, field, NB_REF_CLOSE);
    return true;
}

const char *nb_refs_from_csv(nb_arena *a, const char *text,
                             const nb_catalog *cat, const nb_loc *loc,
                             const char *col, nb_diag_list *dl, bool *oom)
{
    nb_buf b;
    const char *p = text;
    const char *open;
    const char *out = NULL;
    bool ok = true;

    if (text == NULL || strstr(text, "{{") == NULL)
        return text;
    nb_buf_init(&b, NB_TEXT_MAX);
    while ((open = strstr(p, "{{")) != NULL) {
        const char *close = strstr(open + 2, "}}");

        nb_buf_add(&b, p, (size_t)(open - p));
        if (close == NULL) {
            nb_diag_add(dl, NB_RULE_REF_SYNTAX, loc,
                        _("%s: '{{' is not closed with '}}': a metric "
                          "reference is {{code}}, {{code.value}} or "
                          "{{code.yoy}}; a text writes {{ itself as "
                          "{{\"{{\"}}"),
                        col);
            ok = false;
            break;
        }
        if (!ref_from_csv(&b, open + 2, (size_t)(close - open - 2), cat, loc,
                          col, dl))
            ok = false; /* reported; the next ones are checked too */
        p = close + 2;
    }
    nb_buf_adds(&b, p);
    if (b.st != NB_OK)
        *oom = true;
    else if (ok && (out = nb_arena_strndup(a, b.data != NULL ? b.data : "",
                                           b.len)) == NULL)
        *oom = true;
    nb_buf_fini(&b);
    return out;
}
