/* read_forms.c: a form set (a folder of CSV forms, docs/forms.md) ->
 * report model; and nb_report_read, which tells a folder, a zip
 * (read_zip.c) and report XML apart.
 *
 * meta.csv gives the metadata, narrative.csv the text in reading order
 * (one row a paragraph, grouped by 部分 and 方面), metrics.csv the
 * figures. Each form is checked against its schema row by row (form.c);
 * the narrative rows are then put together into sections, areas and items,
 * and every row that does not fit is reported with its row number. As with
 * report XML, a form set with errors gives no model. The forms are found
 * (in a folder here, in a zip by read_zip.c), then read the same way.
 */
#include "catalog.h"
#include "form.h"
#include "model.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ==== Rows kept from the forms ==== */

typedef struct nrow {
    uint32_t row;
    const char *section; /* preamble, measures, … */
    int area;            /* 0: none */
    const char *item;    /* "2" or "2.1", or NULL */
    const char *type;    /* title, p, summary, item, closing */
    const char *layout;  /* or NULL */
    const char *numbering;
    const char *lead;
    const char *text;
} nrow;

enum {
    N_SECTION,
    N_AREA,
    N_ITEM,
    N_TYPE,
    N_LAYOUT,
    N_NUMBERING,
    N_LEAD,
    N_TEXT,
    N_FIELDS
};

typedef struct build {
    nb_report *r;
    nb_diag_list *dl;
    const char *path;      /* the form being read */
    const char *set;       /* the set's folder or zip */
    const char *file_kept; /* the same, in the report's arena: node locs */
    nrow *rows;
    size_t n_rows;
    size_t alloc;
    char *cols[N_FIELDS]; /* narrative columns as the header names them */
    bool oom;
    bool bad_rows;           /* a narrative row had a cell finding */
    const char *issuer_seen; /* meta's issuer, for metrics' 填报单位 */
    bool check_only;         /* metrics are checked, not kept */
    bool issuer_row;         /* meta had an issuer row (maybe blank) */
    bool year_row;
    const nb_catalog *catalog;
    nb_buf unread;           /* codes of metric rows left out, "a b " */
    size_t metric_rows;      /* rows of metrics.csv handed over */
    size_t diags_before;     /* findings when metrics.csv was opened */
} build;

/* An error in the header row (line 1 or none) among the findings since
 * 'from': the columns are not known, so neither is any figure. */
static bool header_error(const nb_diag_list *dl, size_t from)
{
    size_t i;

    for (i = from; i < nb_diag_list_count(dl); i++) {
        const nb_diag *d = nb_diag_list_at(dl, i);

        if (d->sev == NB_SEV_ERROR && d->loc.line <= 1)
            return true;
    }
    return false;
}

/* A metric row left out for its findings: its code, so that the rules
 * skip what depends on it (NULL: a row whose code is not known). */
static void unread_metric(build *b, const char *code)
{
    if (code == NULL)
        b->r->unread_metric = true;
    else
        nb_buf_printf(&b->unread, "%s ", code);
}

static const char *keep(build *b, const char *s)
{
    const char *c;

    if (s == NULL)
        return NULL;
    c = nb_arena_strdup(b->r->arena, s);
    if (c == NULL)
        b->oom = true;
    return c;
}

static nb_loc at(const build *b, uint32_t row)
{
    nb_loc loc = {b->path, row, 0, NULL};

    return loc;
}

/* ==== meta.csv ==== */

static bool on_meta(const nb_form_row *row, void *payload)
{
    build *b = payload;
    nb_meta *m = &b->r->meta;
    const char *key = row->val[0];
    const char *v = row->val[1];
    nb_loc loc = at(b, row->row);

    if (key != NULL && strcmp(key, "issuer") == 0)
        b->issuer_row = true;
    if (key != NULL && strcmp(key, "year") == 0)
        b->year_row = true;
    if (key == NULL || row->bad[1])
        return !b->oom;
    if (v == NULL) {
        if (strcmp(key, "issuer") == 0 || strcmp(key, "year") == 0)
            nb_diag_add(b->dl, NB_CSV_REQUIRED, &loc,
                        _("%s: required for '%s', but the cell is empty"),
                        row->col[1], row->raw[0]);
        return true; /* an optional item left blank */
    }
    nb_meta_check_length(key, v, &loc, b->dl);
    if (strcmp(key, "issuer") == 0) {
        m->issuer = nb_name_keep(b->r->arena, v, &loc, &b->oom, b->dl);
    } else if (strcmp(key, "year") == 0) {
        char *end;
        long y = strtol(v, &end, 10);

        if (*end != '\0' || end == v || y < 1949 || y > 2999)
            nb_diag_add(b->dl, NB_CSV_TYPE, &loc,
                        _("%s: year '%s' is not a year from 1949 to 2999"),
                        row->col[1], v);
        else {
            m->year = (int)y;
            m->year_text = nb_arena_printf(b->r->arena, "%ld", y);
        }
    } else if (strcmp(key, "date") == 0) {
        char iso[16];

        if (!nb_date_norm(iso, sizeof(iso), v))
            nb_diag_add(b->dl, NB_CSV_TYPE, &loc,
                        _("%s: '%s' is not a date (write 2023-02-08, "
                          "2023/2/8 or 2023年2月8日)"),
                        row->col[1], v);
        else {
            m->date = keep(b, iso);
            m->date_loc = loc;
            m->date_loc.file = b->file_kept;
        }
    } else if (strcmp(key, "index_number") == 0) {
        m->index_number = keep(b, v);
    } else if (strcmp(key, "doc_number") == 0) {
        m->doc_number = keep(b, v);
    } else if (strcmp(key, "disclosure") == 0) {
        m->disclosure = keep(b, v);
    } else if (strcmp(key, "topic") == 0) {
        m->topic = keep(b, v);
    } else if (strcmp(key, "published") == 0) {
        m->published = keep(b, v);
    } else if (strcmp(key, "addressee") == 0) {
        m->addressee = keep(b, v);
    } else if (strcmp(key, "signer") == 0) {
        m->signer = keep(b, v);
    } else if (strcmp(key, "title") == 0) {
        b->r->title = keep(b, v);
    } else if (strcmp(key, "seal") == 0) {
        m->seal = strcmp(v, "是") == 0 || strcmp(v, "true") == 0;
        if (!m->seal && strcmp(v, "否") != 0 && strcmp(v, "false") != 0)
            nb_diag_add(b->dl, NB_CSV_ENUM, &loc,
                        _("%s: '%s' is not 是 or 否 (sealed or not)"),
                        row->col[1], v);
    } else if (strcmp(key, "figures_table") == 0) {
        if (!nb_figures_table_parse(v, &m->figures_table))
            nb_diag_add(b->dl, NB_CSV_ENUM, &loc,
                        _("%s: '%s' is not 是, 分类 or 否 (a table of the "
                          "figures as an appendix: in the catalog's order, "
                          "by group, or none)"),
                        row->col[1], v);
    } else if (strcmp(key, "numbering") == 0) {
        if (!nb_numbering_parse(v, &m->numbering))
            nb_diag_add(b->dl, NB_CSV_ENUM, &loc,
                        _("%s: '%s' is not a numbering style: write 一是, "
                          "1., （1）, 第一, 不编号 or 自动"),
                        row->col[1], v);
    } else if (strcmp(key, "profile") == 0) {
        if (!nb_profile_parse(&m->profile, v))
            nb_diag_add(b->dl, NB_CSV_ENUM, &loc,
                        _("%s: '%s' is not a report type: write 年度报告 "
                          "(annual-report) or 工作总结 (work-summary)"),
                        row->col[1], v);
    }
    return !b->oom;
}

/* ==== metrics.csv ==== */

enum {
    M_OFFICE,
    M_CODE,
    M_NAME,
    M_VALUE,
    M_UNIT,
    M_NOTE,
    M_ALLOW,
    M_REASON,
    M_ROUNDING
};

/* "98%" or "98％": the form of a rate (the cell is trimmed). */
static bool ends_in_percent(const char *v)
{
    size_t n = strlen(v);

    return (n >= 1 && v[n - 1] == '%') ||
           (n >= 3 && memcmp(v + n - 3, "％", 3) == 0);
}

static bool on_metric(const nb_form_row *row, void *payload)
{
    build *b = payload;
    nb_report *r = b->r;
    nb_loc loc = at(b, row->row);
    const char *code = row->val[M_CODE];
    const char *value = row->val[M_VALUE];
    const char *office = row->val[M_OFFICE];
    const nb_indicator *ind;
    nb_metric *m;

    if (b->metric_rows++ == 0 && header_error(b->dl, b->diags_before))
        b->r->unread_metric = true;
    if (office != NULL && b->issuer_seen != NULL &&
        !nb_same_name(office, b->issuer_seen, &b->oom))
        nb_diag_add(b->dl, NB_FORM_STRUCTURE, &loc,
                    _("%s '%s' is not the issuer '%s' of the form set: a "
                      "form set holds one office's report"),
                    row->col[M_OFFICE], office, b->issuer_seen);
    if (code == NULL || row->bad[M_VALUE]) {
        if (row->bad[M_CODE] || row->bad[M_VALUE])
            unread_metric(b, row->bad[M_CODE] ? NULL : code);
        return true;
    }
    if (!nb_metric_check(&ind, b->catalog, code, value, row->val[M_UNIT], &loc,
                         row->col[M_CODE], row->col[M_VALUE], b->dl)) {
        unread_metric(b, code);
        return true;
    }
    if (value != NULL && row->raw[M_VALUE] != NULL &&
        strcmp(ind->type, "rate") != 0 && ends_in_percent(row->raw[M_VALUE])) {
        nb_diag_add(b->dl, NB_RULE_METRIC_VALUE, &loc,
                    _("%s '%s' has a %%, but %s (%s) is not a rate"),
                    row->col[M_VALUE], row->raw[M_VALUE], ind->name, code);
        unread_metric(b, code);
        return true;
    }
    if (value == NULL || b->check_only)
        return true; /* a blank value: the figure is not reported */
    if (r->n_metrics % 64 == 0) {
        nb_metric *v = nb_arena_array(r->arena, r->n_metrics + 64, sizeof(*v));

        if (v == NULL)
            return !(b->oom = true);
        if (r->n_metrics > 0)
            memcpy(v, r->metrics, r->n_metrics * sizeof(*v));
        r->metrics = v;
    }
    m = &r->metrics[r->n_metrics++];
    m->code = keep(b, code);
    m->value = keep(b, value);
    m->unit = keep(b, row->val[M_UNIT]);
    m->note = keep(b, row->val[M_NOTE]);
    m->allow = keep(b, row->val[M_ALLOW]);
    m->reason = keep(b, row->val[M_REASON]);
    m->truncate = row->val[M_ROUNDING] != NULL &&
                  strcmp(row->val[M_ROUNDING], "truncate") == 0;
    m->loc = loc;
    m->loc.file = b->file_kept;
    if (!b->oom)
        nb_metric_settle(m, b->catalog);
    return !b->oom;
}

/* ==== narrative.csv: collecting ==== */

static bool on_narrative(const nb_form_row *row, void *payload)
{
    build *b = payload;
    nrow *n;
    size_t k;

    if (b->n_rows == 0 && b->cols[0] == NULL)
        for (k = 0; k < N_FIELDS; k++)
            if ((b->cols[k] = (char *)keep(b, row->col[k])) == NULL)
                return false;
    for (k = 0; k < N_FIELDS; k++)
        if (row->bad[k])
            b->bad_rows = true;
    if (row->val[N_SECTION] == NULL || row->val[N_TYPE] == NULL) {
        b->bad_rows = true; /* reported as required, or the column is */
        return true;
    }
    if (b->n_rows == b->alloc) {
        size_t alloc = b->alloc == 0 ? 64 : b->alloc * 2;
        nrow *v = realloc(b->rows, alloc * sizeof(*v));

        if (v == NULL)
            return !(b->oom = true);
        b->rows = v;
        b->alloc = alloc;
    }
    n = &b->rows[b->n_rows++];
    n->row = row->row;
    n->section = keep(b, row->val[N_SECTION]);
    n->area =
        row->val[N_AREA] != NULL ? (int)strtol(row->val[N_AREA], NULL, 10) : 0;
    n->item = keep(b, row->val[N_ITEM]);
    n->type = keep(b, row->val[N_TYPE]);
    n->layout = keep(b, row->val[N_LAYOUT]);
    n->numbering = keep(b, row->val[N_NUMBERING]);
    n->lead = keep(b, row->val[N_LEAD]);
    n->text = keep(b, row->val[N_TEXT]);
    if (n->text != NULL && n->type != NULL && strcmp(n->type, "title") != 0) {
        nb_loc loc = at(b, row->row);
        const char *t = nb_refs_from_csv(b->r->arena, n->text, b->catalog, &loc,
                                         row->col[N_TEXT], b->dl, &b->oom);

        if (t != NULL)
            n->text = t; /* else reported; the row keeps its text */
    }
    return !b->oom;
}

/* ==== narrative.csv: putting the rows together ==== */

static bool is(const char *a, const char *b)
{
    return a != NULL && strcmp(a, b) == 0;
}

/* The Chinese label of a row type, as the forms write it. */
static const char *type_label(const char *code)
{
    static const char *const map[][2] = {{"title", "标题"},
                                         {"p", "段落"},
                                         {"summary", "引导语"},
                                         {"item", "事项"},
                                         {"closing", "结束语"}};
    size_t i;

    for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
        if (strcmp(code, map[i][0]) == 0)
            return map[i][1];
    return code;
}

static void problem(build *b, const nrow *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void problem(build *b, const nrow *n, const char *fmt, ...)
{
    nb_loc loc = at(b, n->row);
    va_list ap;

    va_start(ap, fmt);
    nb_diag_addv(b->dl, NB_FORM_STRUCTURE, &loc, fmt, ap);
    va_end(ap);
}

/* Cells a row of this type does not use must be empty. */
static void check_unused(build *b, const nrow *n, bool lead, bool layout,
                         bool numbering)
{
    if (!lead && n->lead != NULL)
        problem(b, n, _("%s is only read on 事项 rows; move '%s' to %s"),
                b->cols[N_LEAD], n->lead, b->cols[N_TEXT]);
    if (!layout && n->layout != NULL)
        problem(b, n,
                _("%s '%s' does not apply to this row (it is read on the "
                  "标题 row of a 方面 and on 事项 rows)"),
                b->cols[N_LAYOUT], n->layout);
    if (!numbering && n->numbering != NULL)
        problem(b, n,
                _("%s '%s' does not apply to this row (it is read on the "
                  "标题 row of a 方面 and on 事项 rows)"),
                b->cols[N_NUMBERING], n->numbering);
}

static const char *need_text(build *b, const nrow *n)
{
    if (n->text == NULL)
        problem(b, n, _("%s is empty: a %s row needs its text"),
                b->cols[N_TEXT], type_label(n->type));
    return n->text;
}

static void *array(build *b, size_t n, size_t size)
{
    return nb_arena_array_or_flag(b->r->arena, n, size, &b->oom);
}

/* Item keys: "2" (top level) or "2.1" (the first nested in item 2). */
static bool item_key(const char *key, long *top, long *sub)
{
    char *end;

    *top = strtol(key, &end, 10);
    *sub = 0;
    if (*end == '.')
        *sub = strtol(end + 1, &end, 10);
    return *end == '\0';
}

/* True when row 'r' is an item nested in top-level item 'top'. */
static bool nested_in(const nrow *r, long top)
{
    long t;
    long s;

    return is(r->type, "item") && r->item != NULL &&
           item_key(r->item, &t, &s) && s > 0 && t == top;
}

/* An item row with neither lead nor text (and no nested items): report
 * XML allows it, so it is only a warning, but it prints an empty item. */
static void empty_item(build *b, const nrow *r)
{
    nb_loc loc = at(b, r->row);

    nb_diag_add_sev(b->dl, NB_FORM_STRUCTURE, NB_SEV_WARNING, &loc,
                    _("事项 %s has neither %s nor %s: it prints as an empty "
                      "item"),
                    r->item, b->cols[N_LEAD], b->cols[N_TEXT]);
}

/* True when an item row before rows[i] of the area has the same key. */
static bool key_seen(const nrow *rows, size_t i, const char *key)
{
    size_t k;

    for (k = 0; k < i; k++)
        if (is(rows[k].type, "item") && is(rows[k].item, key))
            return true;
    return false;
}

static nb_para *add_para(build *b, nb_para **v, size_t *n, const nrow *r);

/* The numbering style a row's 编号 names (the form schema has checked the
 * value); AUTO when empty. */
static nb_numbering row_numbering(const nrow *r)
{
    nb_numbering n = NB_NUM_AUTO;

    if (r->numbering != NULL)
        nb_numbering_parse(r->numbering, &n);
    return n;
}

/* A 段落 row after an item: a paragraph that continues the item 'last'
 * (key 'last_key'), or the item its 事项 names. */
static void item_para(build *b, nb_item *last, const char *last_key,
                      const nrow *r)
{
    check_unused(b, r, false, false, false);
    if (r->item != NULL && !is(r->item, last_key)) {
        problem(b, r,
                _("段落 with 事项 %s follows 事项 %s: a paragraph continues "
                  "the item just above it; leave 事项 empty or move the row"),
                r->item, last_key);
        return;
    }
    add_para(b, &last->paras, &last->n_paras, r);
}

/* Item 'it' from row 'r' of its list numbered 'num'. */
static void item_from_row(build *b, nb_item *it, const nrow *r,
                          nb_numbering num)
{
    it->lead = r->lead;
    it->text = r->text;
    it->numbering = num;
    it->numbered = num != NB_NUM_NONE;
    it->run_in = !is(r->layout, "paragraph");
    it->loc = at(b, r->row);
    it->loc.file = b->file_kept;
}

/* Room for one more nested item in 'top'; false when out of memory. */
static bool nested_room(build *b, nb_item *top)
{
    nb_item *v;

    if (top->n_items % 16 != 0)
        return true;
    v = array(b, top->n_items + 16, sizeof(nb_item));
    if (v == NULL)
        return false;
    if (top->n_items > 0)
        memcpy(v, top->items, top->n_items * sizeof(nb_item));
    top->items = v;
    return true;
}

/* A top-level item row: checks of its key and layout, then the item. */
static nb_item *top_item(build *b, nb_area *a, const nrow *r)
{
    nb_item *top;

    if (is(r->layout, "heading"))
        problem(b, r,
                _("%s '%s' is for 方面; an item's nested items are "
                  "run-in (连排) or paragraph (分段)"),
                b->cols[N_LAYOUT], r->layout);
    top = &a->items[a->n_items++];
    item_from_row(b, top, r, a->numbering);
    return top;
}

static void build_items(build *b, nb_area *a, const nrow *rows, size_t n)
{
    size_t n_top = 0;
    size_t i;
    nb_item *top = NULL;
    nb_item *last = NULL;
    const char *last_key = NULL;
    long top_key = 0;

    for (i = 0; i < n; i++) {
        long t;
        long s;

        if (is(rows[i].type, "item") && rows[i].item != NULL &&
            item_key(rows[i].item, &t, &s) && s == 0)
            n_top++;
    }
    a->items = array(b, n_top, sizeof(nb_item));
    for (i = 0; i < n && !b->oom; i++) {
        const nrow *r = &rows[i];
        long t;
        long s;

        if (is(r->type, "p") && last != NULL) {
            item_para(b, last, last_key, r);
            continue;
        }
        if (!is(r->type, "item"))
            continue; /* reported by build_area */
        if (r->item == NULL) {
            problem(b, r,
                    _("%s is empty: number the items of a 方面 1, 2, "
                      "3 (2.1 for the first item inside item 2)"),
                    b->cols[N_ITEM]);
            continue;
        }
        item_key(r->item, &t, &s);
        if (r->lead == NULL && r->text == NULL &&
            !(s == 0 && i + 1 < n && nested_in(&rows[i + 1], t)))
            empty_item(b, r);
        if (key_seen(rows, i, r->item)) {
            problem(b, r, _("事项 %s appears twice in 方面 %d"), r->item,
                    r->area);
            continue;
        }
        if (s == 0) {
            last = top = top_item(b, a, r);
            last_key = r->item;
            top_key = t;
            continue;
        }
        check_unused(b, r, true, false, false);
        if (top == NULL || t != top_key) {
            problem(b, r,
                    _("事项 %s is nested in item %ld, but the item before it "
                      "is not %ld"),
                    r->item, t, t);
            continue;
        }
        if (!nested_room(b, top))
            return;
        last = &top->items[top->n_items++];
        last_key = r->item;
        item_from_row(b, last, r, NB_NUM_AUTO);
        last->run_in = true;
    }
    /* the numbering written on an item row is for its nested items */
    for (i = 0, top = a->items; i < n && top != NULL; i++) {
        long t;
        long s;
        size_t k;

        if (!is(rows[i].type, "item") || rows[i].item == NULL ||
            !item_key(rows[i].item, &t, &s) || s != 0)
            continue;
        for (k = 0; k < a->n_items; k++)
            if (a->items[k].loc.line == rows[i].row)
                break;
        if (k == a->n_items)
            continue;
        for (s = 0; (size_t)s < a->items[k].n_items; s++) {
            a->items[k].items[s].numbering = row_numbering(&rows[i]);
            a->items[k].items[s].numbered =
                a->items[k].items[s].numbering != NB_NUM_NONE;
        }
    }
}

static void build_area(build *b, nb_area *a, const nrow *rows, size_t n)
{
    const nrow *t = &rows[0];
    size_t i;
    size_t n_p = 0;
    size_t first_item = n;

    a->loc = at(b, t->row);
    a->loc.file = b->file_kept;
    a->numbered = true;
    if (!is(t->type, "title")) {
        problem(b, t,
                _("方面 %d starts with a %s row: its first row is its 标题"),
                t->area, type_label(t->type));
        return;
    }
    check_unused(b, t, false, true, true);
    if (is(t->layout, "paragraph"))
        problem(b, t,
                _("%s '%s' is for items; a 方面 is heading (标题行) or "
                  "run-in (连排)"),
                b->cols[N_LAYOUT], t->layout);
    a->title = need_text(b, t);
    a->run_in = is(t->layout, "run-in");
    a->numbering = row_numbering(t);
    a->numbered = a->numbering != NB_NUM_NONE;
    for (i = 1; i < n; i++) {
        const nrow *r = &rows[i];

        if (is(r->type, "item")) {
            if (first_item == n)
                first_item = i;
        } else if (is(r->type, "p")) {
            if (first_item == n) { /* else an item's: build_items */
                check_unused(b, r, false, false, false);
                n_p++;
                need_text(b, r);
            }
        } else {
            problem(b, r,
                    _("a %s row cannot be inside 方面 %d (only 标题 first, "
                      "then 段落 and 事项)"),
                    type_label(r->type), r->area);
        }
    }
    a->paras = array(b, n_p, sizeof(nb_para));
    for (i = 1; i <= n_p && a->paras != NULL; i++) {
        a->paras[a->n_paras].text = rows[i].text;
        a->paras[a->n_paras].loc = at(b, rows[i].row);
        a->paras[a->n_paras].loc.file = b->file_kept;
        a->n_paras++;
    }
    if (first_item < n)
        build_items(b, a, rows + first_item, n - first_item);
}

static nb_section_kind kind_of(const char *code)
{
    static const char *const kinds[] = {"measures", "shortcomings", "duties",
                                        "plans", "other"};
    size_t i;

    for (i = 0; i < 5; i++)
        if (strcmp(code, kinds[i]) == 0)
            return (nb_section_kind)i;
    return NB_SECTION_OTHER;
}

static nb_para *add_para(build *b, nb_para **v, size_t *n, const nrow *r)
{
    nb_para *p;

    if (*n % 16 == 0) {
        nb_para *bigger = array(b, *n + 16, sizeof(nb_para));

        if (bigger == NULL)
            return NULL;
        if (*n > 0)
            memcpy(bigger, *v, *n * sizeof(nb_para));
        *v = bigger;
    }
    p = &(*v)[(*n)++];
    p->text = need_text(b, r);
    p->loc = at(b, r->row);
    p->loc.file = b->file_kept;
    return p;
}

static void build_section(build *b, nb_section *sec, const nrow *rows, size_t n)
{
    size_t i = 0;
    size_t n_areas = 0;
    bool closing = false;

    sec->kind = kind_of(rows[0].section);
    sec->loc = at(b, rows[0].row);
    sec->loc.file = b->file_kept;
    for (i = 0; i < n; i++)
        if (rows[i].area > 0 && (i == 0 || rows[i].area != rows[i - 1].area))
            n_areas++;
    sec->areas = array(b, n_areas, sizeof(nb_area));
    for (i = 0; i < n && !b->oom;) {
        const nrow *r = &rows[i];
        size_t j;
        size_t k;

        if (r->area > 0) {
            for (j = i; j < n && rows[j].area == r->area; j++)
                ;
            if (closing)
                problem(b, r,
                        _("方面 %d comes after the closing paragraphs of "
                          "its 部分: keep them last"),
                        r->area);
            for (k = 0; k < i; k++)
                if (rows[k].area == r->area) {
                    problem(b, r,
                            _("方面 %d already has rows above (from row "
                              "%u): keep an area's rows together"),
                            r->area, (unsigned)rows[k].row);
                    break;
                }
            build_area(b, &sec->areas[sec->n_areas++], r, j - i);
            i = j;
            continue;
        }
        if (r->item != NULL)
            problem(b, r, _("%s '%s' without a %s: items belong to a 方面"),
                    b->cols[N_ITEM], r->item, b->cols[N_AREA]);
        check_unused(b, r, false, false, false);
        if (is(r->type, "title")) {
            if (i > 0)
                problem(b, r, "%s",
                        _("the 标题 row of a 部分 must be its first row"));
            sec->title = r->text;
        } else if (is(r->type, "summary")) {
            if (sec->summary != NULL || sec->n_areas > 0 || closing)
                problem(b, r, "%s",
                        _("a 部分 has one 引导语, after its opening 段落 and "
                          "before its 方面"));
            sec->summary = need_text(b, r);
            sec->summary_loc = at(b, r->row);
            sec->summary_loc.file = b->file_kept;
        } else if (is(r->type, "closing") ||
                   (is(r->type, "p") &&
                    (sec->n_areas > 0 || sec->summary != NULL))) {
            closing = true;
            add_para(b, &sec->closing, &sec->n_closing, r);
        } else if (is(r->type, "p")) {
            add_para(b, &sec->intro, &sec->n_intro, r);
        } else {
            problem(b, r, _("a %s row needs a %s"), type_label(r->type),
                    b->cols[N_AREA]);
        }
        i++;
    }
    sec->title_default = sec->title == NULL;
    if (sec->title == NULL && !b->oom)
        sec->title = nb_section_default_title(b->r, sec->kind, b->r->meta.year);
}

static void build_narrative(build *b)
{
    nb_report *r = b->r;
    size_t i = 0;
    size_t n_sec = 0;

    for (; i < b->n_rows && is(b->rows[i].section, "preamble"); i++) {
        const nrow *n = &b->rows[i];

        check_unused(b, n, false, false, false);
        if (!is(n->type, "p") || n->area > 0 || n->item != NULL)
            problem(b, n, "%s",
                    _("前言 rows are paragraphs (段落) with no 方面 or 事项"));
        else
            add_para(b, &r->preamble, &r->n_preamble, n);
    }
    for (size_t k = i; k < b->n_rows; k++)
        if (k == i || strcmp(b->rows[k].section, b->rows[k - 1].section) != 0)
            n_sec++;
    if (n_sec == 0) {
        nb_loc loc = at(b, 0);

        nb_diag_add(b->dl, NB_FORM_STRUCTURE, &loc, "%s",
                    _("no rows for any 部分: the report needs its sections "
                      "(举措成效, 存在不足, 第一责任人, 下年安排)"));
        return;
    }
    r->sections = array(b, n_sec, sizeof(nb_section));
    while (i < b->n_rows && r->sections != NULL && !b->oom) {
        size_t j = i;

        while (j < b->n_rows &&
               strcmp(b->rows[j].section, b->rows[i].section) == 0)
            j++;
        if (is(b->rows[i].section, "preamble"))
            problem(b, &b->rows[i], "%s",
                    _("前言 rows must come before the first 部分"));
        build_section(b, &r->sections[r->n_sections++], b->rows + i, j - i);
        i = j;
    }
}

/* ==== The form set ==== */

bool nb_form_ignored_name(const char *base)
{
    return base[0] == '.' || strncmp(base, "~$", 2) == 0;
}

void nb_form_files_add(nb_form_files *ff, const char *base, char *path,
                       const char *data, size_t len, nb_diag_list *dl)
{
    int id = nb_form_by_filename(base);
    nb_loc loc = {path, 0, 0, NULL};

    if (id >= 0 && ff->path[id] == NULL) {
        ff->path[id] = path;
        ff->data[id] = data;
        ff->len[id] = len;
        return;
    }
    if (id >= 0)
        nb_diag_add(dl, NB_FORM_STRUCTURE, &loc,
                    _("'%s' and '%s' are the same form; keep one"),
                    ff->path[id], path);
    else if (nb_has_suffix(base, ".csv"))
        nb_diag_add(dl, NB_FORM_UNKNOWN_FILE, &loc, "%s",
                    _("not a form of the set (meta.csv/基本信息.csv, "
                      "narrative.csv/正文.csv, metrics.csv/指标.csv); "
                      "ignored"));
    free(path);
}

void nb_form_files_fini(nb_form_files *ff)
{
    int id;

    for (id = 0; id < NB_N_FORMS; id++)
        free(ff->path[id]);
    memset(ff, 0, sizeof(*ff));
}

/* Find the forms in 'dir', in a fixed order whatever readdir's. */
static nb_status find_forms(nb_form_files *ff, const char *dir,
                            nb_diag_list *dl)
{
    nb_loc loc = {dir, 0, 0, NULL};
    struct dirent **list = NULL;
    int n;
    int i;
    nb_status st = NB_OK;

    n = scandir(dir, &list, NULL, alphasort);
    if (n < 0) {
        nb_diag_add(dl, NB_IO_OPEN, &loc, _("cannot open the folder: %s"),
                    strerror(errno));
        return NB_ERR_IO;
    }
    for (i = 0; i < n; i++) {
        const char *name = list[i]->d_name;

        /* . .. and hidden files, editors' locks */
        if (!nb_form_ignored_name(name)) {
            char *path = nb_path_join(dir, name);

            if (path == NULL)
                st = nb_diag_nomem(dl, dir);
            else
                nb_form_files_add(ff, name, path, NULL, 0, dl);
        }
        free(list[i]);
    }
    free(list);
    return st;
}

static nb_csv_opts csv_opts_of(const nb_read_opts *opts, bool capped)
{
    nb_limits lim = nb_limits_resolve(opts != NULL ? opts->limits : NULL);
    nb_csv_opts o;

    memset(&o, 0, sizeof(o));
    o.encoding = opts != NULL ? opts->encoding : NB_ENC_AUTO;
    o.max_cell_bytes = lim.max_cell_bytes;
    o.max_cells = lim.max_row_cells;
    o.max_bytes = capped ? lim.max_input_bytes : 0;
    return o;
}

static nb_status read_one(build *b, const nb_form_files *ff, nb_form_id id,
                          const nb_csv_opts *opts, nb_form_row_fn fn)
{
    const char *path = ff->path[id];
    nb_csv_opts o = *opts;
    nb_form_schema *s = NULL;
    nb_status st = nb_form_schema_load(&s, id, b->dl);

    if (st != NB_OK)
        return st;
    o.data = ff->data[id];
    o.data_len = ff->len[id];
    o.set_dir = o.data == NULL ? b->set : NULL;
    o.rows = ff->rows[id];
    o.rows_ctx = ff->rows_ctx[id];
    b->path = path;
    b->file_kept = keep(b, path);
    st =
        nb_form_read(path, s, &o, id == NB_FORM_METRICS ? b->issuer_seen : NULL,
                     fn, b, b->dl);
    nb_form_schema_free(s);
    if (st == NB_OK && b->oom)
        st = nb_diag_nomem(b->dl, path);
    return st;
}

static void finish_meta(build *b, const char *meta_path)
{
    nb_report *r = b->r;
    nb_loc loc = {meta_path, 0, 0, NULL};

    if (r->meta.issuer == NULL && !b->issuer_row)
        nb_diag_add(b->dl, NB_CSV_REQUIRED, &loc, "%s",
                    _("no 发布机构 (issuer) row: the report needs its issuer"));
    if (r->meta.year_text == NULL && !b->year_row)
        nb_diag_add(b->dl, NB_CSV_REQUIRED, &loc, "%s",
                    _("no 年度 (year) row: the report needs the year it "
                      "reports on"));
    r->meta.signer_default = r->meta.signer == NULL;
    if (r->meta.signer == NULL)
        r->meta.signer = r->meta.issuer;
    b->issuer_seen = r->meta.issuer;
}

/* Every form read, each checked row by row; a form that cannot be read
 * as CSV at all is reported and the others are still read. */
static nb_status read_forms(build *b, const nb_form_files *ff,
                            const nb_csv_opts *o)
{
    static const nb_form_row_fn fns[NB_N_FORMS] = {on_meta, on_narrative,
                                                   on_metric};
    nb_status st = NB_OK;
    int id;

    for (id = 0; id < NB_N_FORMS && st == NB_OK; id++) {
        size_t errors = nb_diag_errors(b->dl);

        if (ff->path[id] == NULL)
            continue;
        b->diags_before = nb_diag_list_count(b->dl);
        st = read_one(b, ff, (nb_form_id)id, o, fns[id]);
        /* a narrative row with a finding (even one the reader dropped,
         * as for a stray quote) leaves the structure to check later */
        if (id == NB_FORM_NARRATIVE && nb_diag_errors(b->dl) > errors)
            b->bad_rows = true;
        if (id == NB_FORM_META && nb_diag_errors(b->dl) > errors)
            b->r->unread_meta = true;
        /* metrics.csv with findings and not one row read (its header, its
         * encoding): any figure may be missing */
        if (id == NB_FORM_METRICS && nb_diag_errors(b->dl) > errors &&
            b->metric_rows == 0)
            b->r->unread_metric = true;
        if (st == NB_ERR_FORMAT) {
            /* not readable as CSV (reported); the other forms still are */
            st = NB_OK;
            if (id == NB_FORM_NARRATIVE)
                b->bad_rows = true;
            continue;
        }
        if (id == NB_FORM_META)
            finish_meta(b, ff->path[id]);
    }
    return st;
}

nb_status nb_form_files_read(nb_report **out, const nb_form_files *ff,
                             const char *set, const nb_read_opts *opts,
                             nb_diag_list *dl)
{
    nb_csv_opts o = csv_opts_of(opts, true);
    build b;
    size_t errors_before = nb_diag_errors(dl);
    nb_status st = NB_OK;
    int id;

    *out = NULL;
    memset(&b, 0, sizeof(b));
    nb_buf_init(&b.unread, NB_TEXT_MAX);
    b.dl = dl;
    b.set = set;
    b.catalog = opts != NULL ? opts->catalog : NULL;
    for (id = 0; id < NB_FORM_METRICS; id++) {
        if (ff->path[id] == NULL) {
            nb_loc loc = {set, 0, 0, NULL};

            nb_diag_add(dl, NB_FORM_MISSING, &loc,
                        id == NB_FORM_META
                            ? _("no meta.csv (基本信息.csv) in the form set "
                                "(nianbao init makes a blank one)")
                            : _("no narrative.csv (正文.csv) in the form set "
                                "(nianbao init makes a blank one)"));
        }
    }
    if (nb_diag_errors(dl) > errors_before)
        goto done;
    b.r = nb_report_new(set);
    if (b.r == NULL) {
        st = nb_diag_nomem(dl, set);
        goto done;
    }
    st = read_forms(&b, ff, &o);
    if (st != NB_OK)
        goto done;
    b.path = ff->path[NB_FORM_NARRATIVE];
    b.file_kept = keep(&b, b.path);
    /* rows with bad cells are left out, so the structure would report
     * what follows from them: put the rows together once the cells are
     * right */
    if (!b.bad_rows) {
        size_t before = nb_diag_errors(dl);

        build_narrative(&b);
        /* rows out of place may have left a part out: its checks wait */
        b.bad_rows = nb_diag_errors(dl) > before;
    }
    b.r->title_default = b.r->title == NULL;
    if (b.r->title == NULL && b.r->meta.issuer != NULL)
        b.r->title = nb_report_default_title(b.r);
    if (b.oom) {
        st = nb_diag_nomem(dl, set);
        goto done;
    }
    if (nb_diag_errors(dl) > errors_before && opts != NULL && opts->partial) {
        /* what could be read, for the rules; never rendered */
        b.r->partial = true;
        b.r->unread_narrative = b.bad_rows;
        if (b.unread.st != NB_OK)
            b.r->unread_metric = true; /* too many to list: any */
        b.r->unread_codes = keep(&b, b.unread.data != NULL ? b.unread.data
                                                           : "");
        if (b.oom) {
            st = nb_diag_nomem(dl, set);
            goto done;
        }
    }
    if (nb_diag_errors(dl) == errors_before || (b.r != NULL && b.r->partial)) {
        *out = b.r;
        b.r = NULL;
    }
done:
    nb_buf_fini(&b.unread);
    free(b.rows);
    nb_report_free(b.r);
    return st;
}

nb_status nb_report_read_forms(nb_report **out, const char *dir,
                               const nb_read_opts *opts, nb_diag_list *dl)
{
    nb_form_files ff;
    nb_status st;

    *out = NULL;
    memset(&ff, 0, sizeof(ff));
    st = find_forms(&ff, dir, dl);
    if (st == NB_OK)
        st = nb_form_files_read(out, &ff, dir, opts, dl);
    nb_form_files_fini(&ff);
    return st;
}

static bool starts_as_zip(const char *data, size_t len)
{
    return len >= 4 && memcmp(data, "PK\3\4", 4) == 0;
}

nb_input_kind nb_input_kind_of(const char *path)
{
    struct stat sb;
    char magic[4];
    size_t got;
    FILE *f;

    if (strcmp(path, "-") == 0)
        return NB_INPUT_XML;
    if (stat(path, &sb) != 0)
        return NB_INPUT_MISSING;
    if (S_ISDIR(sb.st_mode))
        return NB_INPUT_FOLDER;
    /* by the name first: a CSV form may be streamed from a pipe */
    if (nb_has_suffix(path, ".zip"))
        return NB_INPUT_ZIP;
    if (nb_has_suffix(path, ".xlsx") || nb_has_suffix(path, ".xlsm"))
        return NB_INPUT_XLSX;
    if (nb_has_suffix(path, ".csv"))
        return NB_INPUT_CSV;
    if (!S_ISREG(sb.st_mode))
        return NB_INPUT_OTHER;
    f = fopen(path, "rb");
    if (f == NULL)
        return NB_INPUT_XML; /* reading it will say why it cannot be */
    got = fread(magic, 1, sizeof(magic), f);
    fclose(f);
    return starts_as_zip(magic, got) ? NB_INPUT_ZIP : NB_INPUT_XML;
}

/* The file at 'path', read whole: a zip (by its name or its first bytes)
 * of a report XML or a form set, or else report XML. */
static nb_status read_file(nb_report **out, const char *path,
                           const nb_read_opts *opts, nb_diag_list *dl)
{
    nb_limits lim = nb_limits_resolve(opts != NULL ? opts->limits : NULL);
    bool zip_named = nb_has_suffix(path, ".zip");
    char *data = NULL;
    size_t len = 0;
    nb_status st;

    st = nb_file_read(&data, &len, path, lim.max_input_bytes,
                      zip_named ? NB_LIMIT_ZIP : NB_XML_TOO_LARGE, dl);
    if (st != NB_OK)
        return st;
    if (zip_named || starts_as_zip(data, len))
        st = nb_read_zip_memory(out, data, len, path, opts, dl);
    else
        st = nb_read_xml_memory(out, data, len, path, opts, dl);
    free(data);
    return st;
}

nb_status nb_report_read(nb_report **out, const char *path,
                         const nb_read_opts *opts, nb_diag_list *dl)
{
    nb_input_kind kind = nb_input_kind_of(path);

    *out = NULL;
    if (kind == NB_INPUT_FOLDER)
        return nb_report_read_forms(out, path, opts, dl);
    if (nb_import_is_draft(path)) { /* .docx .html .htm .txt: import.c */
        nb_import_opts io = {0};

        io.limits = opts != NULL ? opts->limits : NULL;
        io.catalog = opts != NULL ? opts->catalog : NULL;
        return nb_import_file(out, path, &io, dl);
    }
    if (kind == NB_INPUT_XLSX)
        return nb_xlsx_read_report(out, path, opts, dl);
    if (kind == NB_INPUT_CSV) {
        nb_loc loc = {path, 0, 0, NULL};

        nb_diag_add(dl, NB_FORM_NOT_FORM, &loc, "%s",
                    _("one CSV form is not a whole report: give the folder "
                      "of its form set"));
        return NB_OK;
    }
    return read_file(out, path, opts, dl);
}

/* ==== One form on its own ==== */

typedef struct sniff {
    nb_form_schema *schemas[NB_N_FORMS];
    int id;
    bool header; /* the file has a header row */
} sniff;

static bool on_header(const nb_csv_row *row, void *payload)
{
    sniff *s = payload;

    s->header = true;
    s->id = nb_form_by_header(row, s->schemas);
    return false;
}

static bool on_skip(const nb_form_row *row, void *payload)
{
    (void)row;
    (void)payload;
    return true;
}

/* Read one form on its own with 'b' (check_only) as the metrics'
 * checker. */
static nb_status check_form(build *b, const char *path,
                            const nb_form_schema *s, const nb_csv_opts *o)
{
    b->r = nb_report_new(path);
    if (b->r == NULL)
        return nb_diag_nomem(b->dl, path);
    return nb_form_read(path, s, o, NULL,
                        s->id == NB_FORM_METRICS ? on_metric : on_skip, b,
                        b->dl);
}

nb_status nb_form_validate(const char *path, const nb_read_opts *opts,
                           nb_diag_list *dl)
{
    nb_csv_opts o = csv_opts_of(opts, false);
    const char *base = strrchr(path, '/');
    sniff sn;
    build b;
    nb_status st = NB_OK;
    int i;

    memset(&sn, 0, sizeof(sn));
    memset(&b, 0, sizeof(b));
    sn.id = nb_form_by_filename(base != NULL ? base + 1 : path);
    b.dl = dl;
    b.catalog = opts != NULL ? opts->catalog : NULL;
    b.path = path;
    b.check_only = true; /* metrics checked as in a set, not kept */
    for (i = 0; i < NB_N_FORMS && st == NB_OK; i++)
        st = nb_form_schema_load(&sn.schemas[i], (nb_form_id)i, dl);
    if (st == NB_OK && sn.id < 0) {
        nb_diag_list *quiet = nb_diag_list_new();

        if (quiet == NULL) {
            st = nb_diag_nomem(dl, path);
            goto done;
        }
        /* the header decides; its own findings come in the real read */
        st = nb_csv_read(path, &o, on_header, &sn, NULL, quiet);
        nb_diag_list_free(quiet);
        if (st == NB_OK && sn.id < 0) {
            nb_loc loc = {path, sn.header ? 1 : 0, 0, NULL};

            nb_diag_add(dl, NB_FORM_NOT_FORM, &loc, "%s",
                        sn.header ? _("not a nianbao form: name it meta.csv, "
                                      "narrative.csv or metrics.csv, or give "
                                      "it a form's header")
                                  : _("the file is empty: a form starts with "
                                      "its header row"));
            goto done;
        }
        if (st != NB_OK) {
            st = nb_csv_read(path, &o, on_header, &sn, NULL, dl);
            goto done;
        }
    }
    if (st == NB_OK)
        st = check_form(&b, path, sn.schemas[sn.id], &o);
done:
    for (i = 0; i < NB_N_FORMS; i++)
        nb_form_schema_free(sn.schemas[i]);
    nb_report_free(b.r);
    return st;
}

nb_status nb_form_check(const char *path, nb_form_id id, const nb_csv_opts *o,
                        const nb_read_opts *opts, nb_diag_list *dl)
{
    nb_form_schema *s = NULL;
    build b;
    nb_status st;

    memset(&b, 0, sizeof(b));
    b.dl = dl;
    b.catalog = opts != NULL ? opts->catalog : NULL;
    b.path = path;
    b.check_only = true;
    st = nb_form_schema_load(&s, id, dl);
    if (st == NB_OK)
        st = check_form(&b, path, s, o);
    nb_form_schema_free(s);
    nb_report_free(b.r);
    return st;
}
