/* inbox_write.c: the summary of a submissions folder as CSV (for Excel and
 * WPS), JSON (for programs) and a Word document (to forward upward), all
 * from the same rows (docs/inbox.md). */
#include "csv_io.h"
#include "model.h"
#include "tmpl.h"
#include "value.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The required parts missing, as 举措成效、存在不足; "" when none. */
static void missing_text(char *out, size_t size, unsigned missing,
                         const char *sep)
{
    unsigned bit;
    size_t len = 0;

    out[0] = '\0';
    for (bit = NB_PART_MEASURES; bit <= NB_PART_PLANS; bit <<= 1) {
        int n;

        if (!(missing & bit))
            continue;
        n = snprintf(out + len, size - len, "%s%s", len > 0 ? sep : "",
                     nb_part_label(bit));
        if (n < 0 || (size_t)n >= size - len)
            return;
        len += (size_t)n;
    }
}

/* The remarks on a submission, in 'buf': a duplicate, an office not
 * expected, findings the data acknowledges (kept as notes, NB5200). */
static const char *remark(char *buf, size_t size, const nb_submission *s)
{
    size_t n;

    snprintf(buf, size, "%s%s%s",
             s->duplicate ? "重复报送" : "",
             s->duplicate && s->unexpected ? ";" : "",
             s->unexpected ? "不在应报送名单" : "");
    n = strlen(buf);
    if (s->acknowledged > 0)
        snprintf(buf + n, size - n, "%s已确认%zu项问题(NB5200)",
                 n > 0 ? ";" : "", s->acknowledged);
    return buf;
}

/* ==== CSV ==== */

static void num_cell(nb_buf *b, size_t v)
{
    char s[32];

    snprintf(s, sizeof(s), "%zu", v);
    nb_csv_cell(b, s);
}

static nb_status write_bytes(const char *path, nb_buf *b, nb_diag_list *dl)
{
    char *bytes = NULL;
    size_t len = 0;
    nb_status st;

    if (b->st != NB_OK) {
        nb_buf_fini(b);
        return nb_diag_nomem(dl, path);
    }
    st = nb_csv_encode(&bytes, &len, b->data != NULL ? b->data : "", b->len,
                       NB_ENC_UTF8, path, dl);
    nb_buf_fini(b);
    if (st != NB_OK)
        return st;
    st = nb_write_file_atomic(path, bytes, len, dl);
    free(bytes);
    return st;
}

nb_status nb_inbox_write_csv(const nb_inbox *ib, const char *path,
                             nb_diag_list *dl)
{
    static const char *const header[] = {"报送文件", "单位", "年度",
                                         "状态",     "错误", "警告",
                                         "缺少部分", "备注", "首个错误"};
    nb_buf b;
    size_t i;

    nb_buf_init(&b, NB_TEXT_MAX);
    for (i = 0; i < sizeof(header) / sizeof(header[0]); i++)
        nb_csv_cell(&b, header[i]);
    nb_csv_end_row(&b);
    for (i = 0; i < nb_inbox_count(ib); i++) {
        const nb_submission *s = nb_inbox_at(ib, i);
        char year[16] = "";
        char missing[128];
        char remark_buf[160];

        if (s->year > 0)
            snprintf(year, sizeof(year), "%d", s->year);
        missing_text(missing, sizeof(missing), s->missing, "、");
        nb_csv_cell_text(&b, s->name);
        nb_csv_cell_text(&b, s->office);
        nb_csv_cell(&b, year);
        nb_csv_cell(&b, nb_sub_status_label(s->status));
        num_cell(&b, s->errors);
        num_cell(&b, s->warnings);
        nb_csv_cell(&b, missing);
        nb_csv_cell(&b, remark(remark_buf, sizeof(remark_buf), s));
        nb_csv_cell_text(&b, s->first_error);
        nb_csv_end_row(&b);
    }
    return write_bytes(path, &b, dl);
}

/* ==== JSON ==== */

static json_t *str_or_null(const char *s)
{
    return s != NULL ? json_string(s) : json_null();
}

static json_t *submission_json(const nb_submission *s)
{
    json_t *o = json_object();
    json_t *parts = json_array();
    unsigned bit;

    if (o == NULL || parts == NULL) {
        json_decref(o);
        json_decref(parts);
        return NULL;
    }
    for (bit = NB_PART_MEASURES; bit <= NB_PART_PLANS; bit <<= 1)
        if (s->missing & bit)
            json_array_append_new(parts, json_string(nb_part_name(bit)));
    json_object_set_new(o, "name", str_or_null(s->name));
    json_object_set_new(o, "form", str_or_null(s->form));
    json_object_set_new(o, "status",
                        json_string(nb_sub_status_name(s->status)));
    json_object_set_new(o, "office", str_or_null(s->office));
    json_object_set_new(o, "year",
                        s->year > 0 ? json_integer(s->year) : json_null());
    json_object_set_new(o, "errors", json_integer((json_int_t)s->errors));
    json_object_set_new(o, "warnings", json_integer((json_int_t)s->warnings));
    json_object_set_new(o, "acknowledged",
                        json_integer((json_int_t)s->acknowledged));
    json_object_set_new(o, "missing_parts", parts);
    json_object_set_new(o, "duplicate", json_boolean(s->duplicate));
    json_object_set_new(o, "unexpected", json_boolean(s->unexpected));
    json_object_set_new(o, "first_error", str_or_null(s->first_error));
    json_object_set_new(o, "output", str_or_null(s->output));
    if (s->output_error != NULL)
        json_object_set_new(o, "output_error", str_or_null(s->output_error));
    if (s->stale != NULL)
        json_object_set_new(o, "stale", str_or_null(s->stale));
    return o;
}

/* Streamed: one compact object per line, so that memory holds the text
 * of the summary and one submission's object at a time. */
nb_status nb_inbox_write_json(const nb_inbox *ib, const char *path,
                              nb_diag_list *dl)
{
    json_t *counts = json_object();
    char *text = NULL;
    nb_buf b;
    nb_status st;
    size_t i;
    int s;

    nb_buf_init(&b, NB_TEXT_MAX);
    if (counts == NULL)
        goto nomem;
    for (s = NB_SUB_VALID; s <= NB_SUB_MISSING; s++)
        json_object_set_new(
            counts, nb_sub_status_name((nb_sub_status)s),
            json_integer((json_int_t)nb_inbox_count_status(ib, s)));
    text = json_dumps(counts, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(counts);
    if (text == NULL)
        goto nomem;
    nb_buf_printf(&b, "{\n  \"counts\": %s,\n  \"submissions\": [", text);
    free(text);
    for (i = 0; i < nb_inbox_count(ib); i++) {
        json_t *o = submission_json(nb_inbox_at(ib, i));

        text = o != NULL ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER)
                         : NULL;
        json_decref(o);
        if (text == NULL)
            goto nomem;
        nb_buf_printf(&b, "%s\n    %s", i > 0 ? "," : "", text);
        free(text);
    }
    nb_buf_adds(&b, nb_inbox_count(ib) > 0 ? "\n  ]\n}\n" : "]\n}\n");
    if (b.st != NB_OK)
        goto nomem;
    st = nb_write_file_atomic(path, b.data, b.len, dl);
    nb_buf_fini(&b);
    return st;
nomem:
    nb_buf_fini(&b);
    return nb_diag_nomem(dl, path);
}

/* ==== The Word document ==== */

extern const unsigned char nb_summary_docx[];
extern const size_t nb_summary_docx_len;
extern const unsigned char nb_summary_html[];
extern const size_t nb_summary_html_len;

static nb_value *num_value(nb_arena *a, size_t v)
{
    char *s = nb_arena_printf(a, "%zu", v);

    return s != NULL ? nb_v_str(a, s) : NULL;
}

static nb_value *str_value(nb_arena *a, const char *s)
{
    char *copy = nb_arena_strdup(a, s != NULL ? s : "");

    return copy != NULL ? nb_v_str(a, copy) : NULL;
}

static bool set(nb_value *map, const char *key, nb_value *v)
{
    return v != NULL && nb_v_map_set(map, key, v);
}

/* One table row of the document. */
static nb_value *row_value(nb_arena *a, const nb_submission *s, size_t n)
{
    char remark_buf[160];
    nb_value *m = nb_v_map(a, 12);
    char missing[128];
    char year[16] = "";
    bool ok;

    if (m == NULL)
        return NULL;
    missing_text(missing, sizeof(missing), s->missing, "、");
    if (s->year > 0)
        snprintf(year, sizeof(year), "%d", s->year);
    ok = set(m, "n", num_value(a, n)) &&
         set(m, "name", str_value(a, s->name)) &&
         set(m, "office", str_value(a, s->office)) &&
         set(m, "who", str_value(a, s->office != NULL ? s->office : s->name)) &&
         set(m, "year", str_value(a, year)) &&
         set(m, "status", str_value(a, nb_sub_status_label(s->status))) &&
         set(m, "errors", num_value(a, s->errors)) &&
         set(m, "warnings", num_value(a, s->warnings)) &&
         set(m, "missing", str_value(a, missing)) &&
         set(m, "remark",
             str_value(a, remark(remark_buf, sizeof(remark_buf), s))) &&
         set(m, "first_error", str_value(a, s->first_error));
    return ok ? m : NULL;
}

static int by_int(const void *a, const void *b)
{
    int x = *(const int *)a;
    int y = *(const int *)b;

    return x < y ? -1 : x > y;
}

/* The year most submissions report on (the later one on a tie), for the
 * title; 0 when none, or out of memory. */
static int main_year(const nb_inbox *ib)
{
    int *years = calloc(nb_inbox_count(ib) + 1, sizeof(*years));
    size_t n = 0;
    size_t best_n = 0;
    int best = 0;
    size_t i;
    size_t k;

    if (years == NULL)
        return 0;
    for (i = 0; i < nb_inbox_count(ib); i++)
        if (nb_inbox_at(ib, i)->year > 0)
            years[n++] = nb_inbox_at(ib, i)->year;
    qsort(years, n, sizeof(*years), by_int);
    for (i = 0; i < n; i = k) {
        for (k = i; k < n && years[k] == years[i]; k++)
            ;
        if (k - i >= best_n) {
            best_n = k - i;
            best = years[i];
        }
    }
    free(years);
    return best;
}

/* "共收到报送材料12份，其中校验通过9份、有错误2份、无法读取1份；另有
 * 2个应报送单位未报送。" */
static char *summary_text(nb_arena *a, const nb_inbox *ib)
{
    static const nb_sub_status order[] = {NB_SUB_VALID, NB_SUB_INVALID,
                                          NB_SUB_UNREADABLE, NB_SUB_FAULT,
                                          NB_SUB_SKIPPED};
    static const char *const words[] = {"校验通过", "有错误", "无法读取",
                                        "本次无法访问", "不是报送材料"};
    size_t missing = nb_inbox_count_status(ib, NB_SUB_MISSING);
    nb_buf b;
    char *s;
    size_t i;
    bool first = true;

    nb_buf_init(&b, NB_TEXT_MAX);
    nb_buf_printf(&b, "共收到报送材料%zu份", nb_inbox_count(ib) - missing);
    for (i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
        size_t n = nb_inbox_count_status(ib, order[i]);

        if (n == 0)
            continue;
        nb_buf_printf(&b, "%s%s%zu份", first ? "，其中" : "、", words[i], n);
        first = false;
    }
    if (missing > 0)
        nb_buf_printf(&b, "；另有%zu个应报送单位未报送", missing);
    nb_buf_adds(&b, "。");
    s = b.st == NB_OK ? nb_arena_strdup(a, b.data) : NULL;
    nb_buf_fini(&b);
    return s;
}

/* {"list": [...]} for a part shown only when it has entries, or false. */
static nb_value *part_value(nb_arena *a, nb_value *list)
{
    nb_value *m;

    if (list->n == 0)
        return nb_v_bool(a, false);
    m = nb_v_map(a, 1);
    return m != NULL && set(m, "list", list) ? m : NULL;
}

static nb_value *summary_view(nb_arena *a, const nb_inbox *ib,
                              const char *issuer, const char *date)
{
    nb_value *root = nb_v_map(a, 13);
    size_t n = nb_inbox_count(ib);
    size_t n_missing = nb_inbox_count_status(ib, NB_SUB_MISSING);
    size_t n_problems = nb_inbox_count_status(ib, NB_SUB_INVALID) +
                        nb_inbox_count_status(ib, NB_SUB_UNREADABLE) +
                        nb_inbox_count_status(ib, NB_SUB_FAULT);
    nb_value *rows = nb_v_list(a, n - n_missing);
    nb_value *missing = nb_v_list(a, n_missing);
    nb_value *problems = nb_v_list(a, n_problems);
    int year = main_year(ib);
    size_t part = 1;
    size_t r = 0;
    size_t m = 0;
    size_t k = 0;
    size_t i;

    if (root == NULL || rows == NULL || missing == NULL || problems == NULL)
        return NULL;
    for (i = 0; i < n; i++) {
        const nb_submission *sub = nb_inbox_at(ib, i);
        nb_value *o;

        if (sub->status == NB_SUB_MISSING) {
            o = nb_v_map(a, 2);
            if (o == NULL || !set(o, "n", num_value(a, m + 1)) ||
                !set(o, "office", str_value(a, sub->office)))
                return NULL;
            missing->items[m++] = o;
            continue;
        }
        if ((rows->items[r] = row_value(a, sub, r + 1)) == NULL)
            return NULL;
        r++;
        if (sub->status != NB_SUB_INVALID &&
            sub->status != NB_SUB_UNREADABLE && sub->status != NB_SUB_FAULT)
            continue;
        o = row_value(a, sub, k + 1);
        if (o == NULL)
            return NULL;
        problems->items[k++] = o;
    }
    if (!set(root, "title",
             year > 0 ? nb_v_str(a, nb_arena_printf(
                                        a, "%d年度法治政府建设年度报告报送情况",
                                        year))
                      : str_value(a, "法治政府建设年度报告报送情况")) ||
        !set(root, "summary", nb_v_str(a, summary_text(a, ib))) ||
        !set(root, "issuer", str_value(a, issuer)) ||
        !set(root, "date", str_value(a, date)) || !set(root, "rows", rows) ||
        !set(root, "signature", nb_view_signature(a, issuer, date, false)) ||
        !set(root, "table_n", num_value(a, part++)) ||
        !set(root, "problems", part_value(a, problems)) ||
        !set(root, "problems_n", num_value(a, n_problems > 0 ? part++ : 0)) ||
        !set(root, "missing", part_value(a, missing)) ||
        !set(root, "missing_n", num_value(a, part)))
        return NULL;
    return root;
}

/* The summary merged into a built-in template: .docx or HTML. */
static nb_status write_summary(const nb_inbox *ib, const char *path,
                               const char *issuer, const char *date, bool html,
                               nb_diag_list *dl)
{
    nb_template *t = NULL;
    nb_arena *a = nb_arena_new();
    nb_value *root;
    void *data = NULL;
    size_t len = 0;
    nb_status st;

    if (a == NULL)
        return nb_diag_nomem(dl, path);
    st = html ? nb_template_load_memory(&t, nb_summary_html,
                                        nb_summary_html_len, "summary.html",
                                        NULL, dl)
              : nb_template_load_memory(&t, nb_summary_docx,
                                        nb_summary_docx_len, "summary.docx",
                                        NULL, dl);
    if (st == NB_OK && t == NULL)
        st = NB_ERR_FORMAT; /* the built-in template is broken: reported */
    root = st == NB_OK ? summary_view(a, ib, issuer, date) : NULL;
    if (st == NB_OK && root == NULL)
        st = nb_diag_nomem(dl, path);
    if (st == NB_OK)
        st = html ? nb_html_render(&data, &len, t, root, path, false, dl)
                  : nb_render_value(&data, &len, t, root, path, dl);
    if (st == NB_OK)
        st = nb_write_file_atomic(path, data, len, dl);
    nb_free(data);
    nb_template_free(t);
    nb_arena_free(a);
    return st;
}

nb_status nb_inbox_write_docx(const nb_inbox *ib, const char *path,
                              const char *issuer, const char *date,
                              nb_diag_list *dl)
{
    return write_summary(ib, path, issuer, date, false, dl);
}

nb_status nb_inbox_write_html(const nb_inbox *ib, const char *path,
                              const char *issuer, const char *date,
                              nb_diag_list *dl)
{
    return write_summary(ib, path, issuer, date, true, dl);
}
