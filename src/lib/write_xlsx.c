/* write_xlsx.c: report model (or the blank form set) -> one workbook an
 * office fills in Excel or WPS without reading docs, with libxlsxwriter.
 *
 * The rows are the CSV forms' (write_forms.c nb_forms_csv), read back
 * with the CSV reader and put one sheet per form, so the workbook reads
 * back to the same report as the forms do. Around them: a 填写说明 sheet
 * first, frozen bold headers and column widths, drop-down lists for every
 * enum column of the form schemas and for the indicator codes and names
 * (ranges of a hidden 目录 sheet), numeric validation of the figures (not
 * negative; rates 0-100) with Chinese messages. libxlsxwriter writes to a
 * file: it goes to a private temporary file, which is then read and
 * written to the destination atomically (nb_write_file_atomic). The
 * document date is fixed, so the same report gives the same bytes.
 * libxlsxwriter is loaded here, when a workbook is written
 * (xlsxwriter_dl.c), not at every start of the command.
 */
#include "catalog.h"
#include "form.h"
#include "model.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xlsxwriter_dl.h"

/* Every libxlsxwriter call goes through the table write_book loaded. */
#define NB_LXW_CALL(f) (nb_lxw_load(NULL, NULL)->f)
#define format_set_align NB_LXW_CALL(format_set_align)
#define format_set_bold NB_LXW_CALL(format_set_bold)
#define format_set_text_wrap NB_LXW_CALL(format_set_text_wrap)
#define lxw_strerror NB_LXW_CALL(lxw_strerror)
#define workbook_add_format NB_LXW_CALL(workbook_add_format)
#define workbook_add_worksheet NB_LXW_CALL(workbook_add_worksheet)
#define workbook_close NB_LXW_CALL(workbook_close)
#define workbook_new_opt NB_LXW_CALL(workbook_new_opt)
#define workbook_set_properties NB_LXW_CALL(workbook_set_properties)
#define worksheet_data_validation_range NB_LXW_CALL(worksheet_data_validation_range)
#define worksheet_freeze_panes NB_LXW_CALL(worksheet_freeze_panes)
#define worksheet_hide NB_LXW_CALL(worksheet_hide)
#define worksheet_set_column NB_LXW_CALL(worksheet_set_column)
#define worksheet_write_formula_str NB_LXW_CALL(worksheet_write_formula_str)
#define worksheet_write_number NB_LXW_CALL(worksheet_write_number)
#define worksheet_write_string NB_LXW_CALL(worksheet_write_string)

#define LIST_SHEET "目录"
#define SPARE_ROWS 200 /* rows below the data that keep the validations */

static const char *const sheet_names[NB_N_FORMS] = {"基本信息", "正文", "指标"};

static const char instructions[] =
    "本工作簿是一份法治政府建设年度报告的填报表格，可用 Excel、WPS 或 "
    "LibreOffice 打开、填写、保存（保存为 .xlsx）。\n"
    "基本信息：每行一项，必须填写“发布机构”和“年度”；成文日期写作 "
    "2023-02-08 或 2023年2月8日。\n"
    "正文：每行一段，按阅读顺序排列。部分、类型、版式、编号可从下拉列表选择；"
    "方面填同一部分中的第几个方面（1、2、3……），事项填方面中的第几项（1、2……），"
    "2.1 表示第 2 项中的第 1 小项。不要手工输入“一、”“（一）”“一是”等序号，"
    "生成时自动编号。\n"
    "指标：已列出全部标准指标，可从下拉列表选择指标代码或名称。“数值”列只填数字"
    "（如 130、20.5），比率填 0 到 100 的百分数（如 98.5），约数照报告写法填"
    "（如 1万余、近千）；没有的指标留空。\n"
    "正文引用指标：在“内容”中写 {{指标代码}}（如 {{fy_received}}）或 "
    "{{指标名称}}，生成时换成“数值+单位”。\n"
    "请勿修改工作表名称和各表第一行的列名；“" LIST_SHEET
    "”为隐藏的下拉列表来源，请勿修改。\n"
    "填好后检查：nianbao validate 本工作簿.xlsx\n"
    "生成报告：nianbao render 本工作簿.xlsx -o 报告.docx";

typedef struct wctx {
    lxw_workbook *wb;
    lxw_worksheet *list; /* the hidden 目录 sheet */
    lxw_format *bold;
    lxw_format *wrap;
    nb_form_schema *schemas[NB_N_FORMS];
    lxw_col_t list_col; /* next free column of 目录 */
    bool failed;
    /* the sheet being filled from its CSV rows */
    lxw_worksheet *ws;
    nb_form_id form;
    lxw_row_t rows;   /* rows written, header included */
    size_t value_col; /* metrics: the 数值 column, or -1 */
    size_t code_col;  /* metrics: the 指标代码 column, or -1 */
    size_t unit_col;  /* metrics: the 单位 column, or -1 */
    char cat_cols[2][16]; /* the catalog's code and unit columns on 目录 */
    lxw_worksheet *sheets[NB_N_FORMS];
    lxw_row_t n_rows[NB_N_FORMS];
    bool *rate_row;   /* metrics: the row's indicator is a rate */
    size_t n_rate_rows;
} wctx;

static void check(wctx *w, lxw_error e)
{
    if (e != LXW_NO_ERROR)
        w->failed = true;
}

/* ==== Cells ==== */

/* A figure written as a number when the number reads back as the same
 * text (130, 20.5); anything else (1万余, 近千) as text. */
static bool plain_number(const char *s, double *out)
{
    char back[64];
    char *end;
    double x;

    if (s[0] == '\0' || strlen(s) > 15 || strchr(s, 'e') != NULL ||
        strchr(s, 'E') != NULL || s[0] == '+' || s[0] == '.')
        return false;
    x = strtod(s, &end);
    if (*end != '\0')
        return false;
    snprintf(back, sizeof(back), "%.15g", x);
    *out = x;
    return strcmp(back, s) == 0;
}

/* Remember that row 'r' holds a rate, for its 0-100 check. */
static void note_rate(wctx *w, lxw_row_t r, const char *code)
{
    const nb_indicator *ind = nb_indicator_find(code);

    if (ind == NULL || strcmp(ind->type, "rate") != 0)
        return;
    if (r >= w->n_rate_rows) {
        size_t n = (size_t)r * 2 + 64;
        bool *v = realloc(w->rate_row, n * sizeof(*v));

        if (v == NULL) {
            w->failed = true;
            return;
        }
        memset(v + w->n_rate_rows, 0, (n - w->n_rate_rows) * sizeof(*v));
        w->rate_row = v;
        w->n_rate_rows = n;
    }
    w->rate_row[r] = true;
}

static bool on_row(const nb_csv_row *row, void *payload)
{
    wctx *w = payload;
    lxw_row_t r = w->rows;
    size_t i;

    for (i = 0; i < row->n && i < 64; i++) {
        const char *s = row->cells[i];
        double x;

        if (row->lens[i] == 0)
            continue;
        if (r == 0)
            check(w, worksheet_write_string(w->ws, r, (lxw_col_t)i, s,
                                            w->bold));
        else if (i == w->value_col && plain_number(s, &x))
            check(w, worksheet_write_number(w->ws, r, (lxw_col_t)i, x, NULL));
        else
            check(w, worksheet_write_string(w->ws, r, (lxw_col_t)i, s,
                                            w->wrap));
    }
    if (r == 0 && w->form == NB_FORM_METRICS)
        for (i = 0; i < row->n; i++) {
            if (strcmp(row->cells[i], "数值") == 0)
                w->value_col = i;
            if (strcmp(row->cells[i], "指标代码") == 0)
                w->code_col = i;
            if (strcmp(row->cells[i], "单位") == 0)
                w->unit_col = i;
        }
    if (r > 0 && w->form == NB_FORM_METRICS && w->code_col < row->n)
        note_rate(w, r, row->cells[w->code_col]);
    w->rows++;
    return !w->failed;
}

/* ==== The hidden lists ==== */

/* A range of 目录 in a formula: ='目录'!$C$2:$C$7. */
static void list_range(char *buf, size_t size, lxw_col_t col, size_t n)
{
    char ref[16];

    nb_cell_ref(ref, sizeof(ref), col, 1);
    snprintf(buf, size, "='" LIST_SHEET "'!$%.*s$2:$%.*s$%zu",
             (int)(strcspn(ref, "0123456789")), ref,
             (int)(strcspn(ref, "0123456789")), ref, n + 1);
}

/* A column of 目录 holding the values, under 'title'; the range it
 * fills goes to 'range'. */
static void list_column(wctx *w, const char *title, const char *const *v,
                        size_t n, char *range, size_t size)
{
    lxw_col_t c = w->list_col++;
    size_t i;

    check(w, worksheet_write_string(w->list, 0, c, title, w->bold));
    for (i = 0; i < n; i++)
        check(w, worksheet_write_string(w->list, (lxw_row_t)(i + 1), c, v[i],
                                        NULL));
    list_range(range, size, c, n);
}

/* The values a drop-down offers for an enum field: its Chinese labels
 * (举措成效), not the codes they stand for, when it has labels. */
static size_t enum_labels(const nb_field *fd, const char **out)
{
    size_t n = 0;
    size_t i;

    for (i = 0; i < fd->n_enum; i++)
        if ((unsigned char)fd->enum_vals[i][0] >= 0x80)
            out[n++] = fd->enum_vals[i];
    if (n > 0)
        return n;
    for (i = 0; i < fd->n_enum; i++)
        out[n++] = fd->enum_vals[i];
    return n;
}

static void validate_list(wctx *w, lxw_col_t col, const char *range,
                          const char *title, const char *msg)
{
    lxw_data_validation dv;

    memset(&dv, 0, sizeof(dv));
    dv.validate = LXW_VALIDATION_TYPE_LIST_FORMULA;
    dv.value_formula = (char *)range;
    dv.input_title = (char *)title;
    dv.input_message = (char *)msg;
    dv.error_title = (char *)title;
    dv.error_message = (char *)"请从下拉列表中选择。";
    dv.error_type = LXW_VALIDATION_ERROR_TYPE_STOP;
    check(w, worksheet_data_validation_range(w->ws, 1, col,
                                             w->rows + SPARE_ROWS, col, &dv));
}

/* Every enum column of the form: a drop-down from 目录. */
static void enum_validations(wctx *w, const nb_csv_row *hdr)
{
    const nb_form_schema *s = w->schemas[w->form];
    const char *labels[64];
    char range[96];
    size_t i;
    size_t k;

    for (i = 0; i < hdr->n; i++)
        for (k = 0; k < s->n_fields; k++) {
            const nb_field *fd = &s->fields[k];
            size_t n;

            if (fd->n_enum == 0 || fd->n_enum > 64 ||
                strcmp(hdr->cells[i], fd->title) != 0)
                continue;
            n = enum_labels(fd, labels);
            list_column(w, fd->title, labels, n, range, sizeof(range));
            validate_list(w, (lxw_col_t)i, range, fd->title,
                          "从下拉列表中选择。");
        }
}

static bool is_rate_row(const wctx *w, lxw_row_t r)
{
    return r < w->n_rate_rows && w->rate_row[r];
}

/* The figures: not negative, and 0-100 on the rows of rates; a warning
 * that lets "1万余" through. Ranges of rows of one kind each, as Excel
 * wants validations that do not overlap. */
static void value_validations(wctx *w)
{
    lxw_row_t last = w->rows + SPARE_ROWS;
    lxw_row_t from = 1;
    lxw_row_t r;

    for (r = 1; r <= last; r++) {
        lxw_data_validation dv;
        bool rate = is_rate_row(w, from);

        if (r < last && is_rate_row(w, r + 1) == rate)
            continue;
        memset(&dv, 0, sizeof(dv));
        dv.validate = LXW_VALIDATION_TYPE_DECIMAL;
        dv.criteria = rate ? LXW_VALIDATION_CRITERIA_BETWEEN
                           : LXW_VALIDATION_CRITERIA_GREATER_THAN_OR_EQUAL_TO;
        dv.minimum_number = 0;
        dv.maximum_number = 100;
        dv.input_title = (char *)"数值";
        dv.input_message =
            rate ? (char *)"比率：填 0 到 100 的百分数（如 98.5），不带 %。"
                 : (char *)"只填数字，不带单位（如 130、20.5）；约数如"
                           "“1万余”可照写。";
        dv.error_title = (char *)"数值";
        dv.error_message =
            rate ? (char *)"比率应在 0 到 100 之间。"
                 : (char *)"数值应为不小于 0 的数字。约数（如“1万余”）可选"
                           "“是”继续。";
        dv.error_type = LXW_VALIDATION_ERROR_TYPE_WARNING;
        check(w, worksheet_data_validation_range(
                     w->ws, from, (lxw_col_t)w->value_col, r,
                     (lxw_col_t)w->value_col, &dv));
        from = r + 1;
    }
}

/* The unit of a row added below the data, from the catalog once its code
 * is chosen. */
static void unit_formulas(wctx *w)
{
    char f[160];
    char code[16];
    lxw_row_t r;

    if (w->unit_col == (size_t)-1 || w->code_col == (size_t)-1)
        return;
    for (r = w->rows; r < w->rows + SPARE_ROWS; r++) {
        nb_cell_ref(code, sizeof(code), w->code_col, r + 1);
        snprintf(f, sizeof(f),
                 "=IF(%s=\"\",\"\",IFERROR(VLOOKUP(%s,'" LIST_SHEET
                 "'!$%s:$%s,3,FALSE),\"\"))",
                 code, code, w->cat_cols[0], w->cat_cols[1]);
        check(w, worksheet_write_formula_str(w->ws, r, (lxw_col_t)w->unit_col,
                                             f, NULL, ""));
    }
}

/* The catalog on 目录, and the metrics sheet's lists and figures. */
static void metric_validations(wctx *w)
{
    size_t n = nb_catalog_len;
    const char **codes = malloc((n + 1) * sizeof(*codes));
    const char **names = malloc((n + 1) * sizeof(*names));
    const char **units = malloc((n + 1) * sizeof(*units));
    char range[96];
    size_t i;

    if (codes == NULL || names == NULL || units == NULL) {
        w->failed = true;
        goto done;
    }
    for (i = 0; i < n; i++) {
        codes[i] = nb_catalog_table[i].code;
        names[i] = nb_catalog_table[i].name;
        units[i] = nb_catalog_table[i].unit;
    }
    nb_cell_ref(w->cat_cols[0], sizeof(w->cat_cols[0]), w->list_col, 1);
    nb_cell_ref(w->cat_cols[1], sizeof(w->cat_cols[1]), w->list_col + 2, 1);
    w->cat_cols[0][strcspn(w->cat_cols[0], "0123456789")] = '\0';
    w->cat_cols[1][strcspn(w->cat_cols[1], "0123456789")] = '\0';
    list_column(w, "指标代码", codes, n, range, sizeof(range));
    if (w->code_col != (size_t)-1)
        validate_list(w, (lxw_col_t)w->code_col, range, "指标代码",
                      "从下拉列表中选择指标代码，或在“指标名称”列选择名称。");
    list_column(w, "指标名称", names, n, range, sizeof(range));
    validate_list(w, (lxw_col_t)(w->code_col + 1), range, "指标名称",
                  "从下拉列表中选择指标名称。");
    list_column(w, "单位", units, n, range, sizeof(range));
    if (w->value_col == (size_t)-1)
        goto done;
    value_validations(w);
    unit_formulas(w);
done:
    free(codes);
    free(names);
    free(units);
}

/* ==== Sheets ==== */

static const double widths[NB_N_FORMS][8] = {
    {14, 60, 0, 0, 0, 0, 0, 0},
    {12, 6, 6, 8, 8, 8, 20, 80},
    {24, 30, 12, 8, 30, 0, 0, 0}};

static bool on_header(const nb_csv_row *row, void *payload)
{
    wctx *w = payload;

    enum_validations(w, row);
    return false;
}

static nb_csv_opts csv_of(const nb_buf *csv)
{
    nb_csv_opts o;

    memset(&o, 0, sizeof(o));
    o.encoding = NB_ENC_UTF8;
    o.data = csv->data != NULL ? csv->data : "";
    o.data_len = csv->len;
    return o;
}

/* The form's sheet with its rows, widths and frozen header. */
static nb_status form_sheet(wctx *w, nb_form_id id, const nb_buf *csv,
                            nb_diag_list *dl)
{
    nb_csv_opts o = csv_of(csv);
    size_t i;
    nb_status st;

    w->ws = workbook_add_worksheet(w->wb, sheet_names[id]);
    if (w->ws == NULL)
        return NB_ERR_NOMEM;
    w->form = id;
    w->rows = 0;
    st = nb_csv_read(sheet_names[id], &o, on_row, w, NULL, dl);
    for (i = 0; i < 8; i++)
        if (widths[id][i] > 0)
            check(w, worksheet_set_column(w->ws, (lxw_col_t)i, (lxw_col_t)i,
                                          widths[id][i], NULL));
    worksheet_freeze_panes(w->ws, 1, 0);
    w->sheets[id] = w->ws;
    w->n_rows[id] = w->rows;
    return st;
}

/* The form's drop-downs and checks, once 目录 exists. */
static nb_status form_validations(wctx *w, nb_form_id id, const nb_buf *csv,
                                  nb_diag_list *dl)
{
    nb_csv_opts o = csv_of(csv);
    nb_status st;

    w->ws = w->sheets[id];
    w->form = id;
    w->rows = w->n_rows[id];
    st = nb_csv_read(sheet_names[id], &o, on_header, w, NULL, dl);
    if (id == NB_FORM_METRICS)
        metric_validations(w);
    return st;
}

static void instructions_sheet(wctx *w)
{
    lxw_worksheet *ws = workbook_add_worksheet(w->wb, "填写说明");
    const char *p = instructions;
    lxw_row_t r = 1;

    if (ws == NULL) {
        w->failed = true;
        return;
    }
    check(w, worksheet_set_column(ws, 0, 0, 100, w->wrap));
    check(w, worksheet_write_string(ws, 0, 0, "填写说明", w->bold));
    while (*p != '\0') {
        size_t n = strcspn(p, "\n");
        char line[1024];

        snprintf(line, sizeof(line), "%.*s", (int)n, p);
        check(w, worksheet_write_string(ws, r++, 0, line, w->wrap));
        p += n + (p[n] == '\n');
    }
}

/* ==== The workbook ==== */

static nb_status build(wctx *w, const char *tmp, const nb_buf *csv,
                       nb_diag_list *dl)
{
    lxw_workbook_options wo = {0, NULL, 0};
    lxw_doc_properties props;
    nb_status st = NB_OK;
    int id;

    w->wb = workbook_new_opt(tmp, &wo);
    if (w->wb == NULL)
        return NB_ERR_IO;
    memset(&props, 0, sizeof(props));
    props.title = (char *)"法治政府建设年度报告填报表";
    props.created = 946684800; /* 2000-01-01: the same bytes every time */
    check(w, workbook_set_properties(w->wb, &props));
    w->bold = workbook_add_format(w->wb);
    w->wrap = workbook_add_format(w->wb);
    format_set_bold(w->bold);
    format_set_text_wrap(w->wrap);
    format_set_align(w->wrap, LXW_ALIGN_VERTICAL_TOP);
    w->value_col = w->code_col = w->unit_col = (size_t)-1;
    instructions_sheet(w);
    for (id = 0; id < NB_N_FORMS && st == NB_OK; id++)
        st = form_sheet(w, (nb_form_id)id, &csv[id], dl);
    if (st == NB_OK) {
        w->list = workbook_add_worksheet(w->wb, LIST_SHEET);
        if (w->list == NULL)
            st = NB_ERR_NOMEM;
    }
    for (id = 0; id < NB_N_FORMS && st == NB_OK; id++)
        st = form_validations(w, (nb_form_id)id, &csv[id], dl);
    return st;
}

/* A private file to let libxlsxwriter write into. */
static char *tmp_file(void)
{
    const char *dir = getenv("TMPDIR");
    char *path;
    int fd;

    if (dir == NULL || dir[0] == '\0')
        dir = "/tmp";
    path = nb_path_join(dir, "nianbao-xlsx-XXXXXX");
    if (path == NULL)
        return NULL;
    fd = mkstemp(path);
    if (fd < 0) {
        free(path);
        return NULL;
    }
    close(fd);
    return path;
}

static nb_status write_book(const char *path, const nb_report *r,
                            const char *issuer, int year, nb_diag_list *dl)
{
    nb_loc loc = {path, 0, 0, NULL};
    nb_buf csv[NB_N_FORMS];
    wctx w;
    char *tmp = NULL;
    char *data = NULL;
    size_t len = 0;
    nb_status st;
    lxw_error e = LXW_NO_ERROR;
    int id;

    memset(&w, 0, sizeof(w));
    memset(csv, 0, sizeof(csv));
    if (nb_lxw_load(path, dl) == NULL)
        return NB_ERR_IO;
    st = nb_forms_csv(csv, r, issuer, year, dl);
    for (id = 0; id < NB_N_FORMS && st == NB_OK; id++) {
        if (csv[id].st != NB_OK)
            st = nb_diag_nomem(dl, path);
        else
            st = nb_form_schema_load(&w.schemas[id], (nb_form_id)id, dl);
    }
    if (st != NB_OK)
        goto done;
    tmp = tmp_file();
    if (tmp == NULL) {
        nb_diag_add(dl, NB_IO_WRITE, &loc,
                    _("cannot create a temporary file: %s"), strerror(errno));
        st = NB_ERR_IO;
        goto done;
    }
    st = build(&w, tmp, csv, dl);
    if (w.list != NULL)
        worksheet_hide(w.list);
    if (w.wb != NULL)
        e = workbook_close(w.wb);
    if (st == NB_OK && (w.failed || e != LXW_NO_ERROR)) {
        nb_diag_add(dl, NB_XLSX_WRITE, &loc, _("libxlsxwriter: %s"),
                    lxw_strerror(e != LXW_NO_ERROR ? e
                                                   : LXW_ERROR_MEMORY_MALLOC_FAILED));
        st = NB_ERR_IO;
    }
    if (st == NB_OK)
        st = nb_file_read(&data, &len, tmp, (size_t)-1 / 2, NB_LIMIT_OUTPUT,
                          dl);
    if (st == NB_OK)
        st = nb_write_file_atomic(path, data, len, dl);
done:
    if (tmp != NULL)
        unlink(tmp);
    free(tmp);
    free(data);
    for (id = 0; id < NB_N_FORMS; id++) {
        nb_buf_fini(&csv[id]);
        nb_form_schema_free(w.schemas[id]);
    }
    free(w.rate_row);
    return st;
}

nb_status nb_report_write_xlsx(const nb_report *r, const char *path,
                               nb_diag_list *dl)
{
    if (nb_report_refuse_partial(r, dl))
        return NB_ERR_FORMAT;
    return write_book(path, r, NULL, 0, dl);
}

nb_status nb_forms_init_xlsx(const char *path, const char *issuer, int year,
                             nb_diag_list *dl)
{
    return write_book(path, NULL, issuer, year, dl);
}
