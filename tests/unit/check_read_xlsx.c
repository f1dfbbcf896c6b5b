/* check_read_xlsx.c: a workbook's cells as the form reader sees them
 * (src/lib/read_xlsx.c): number formats, date systems, error values and
 * where findings point. Each test zips a one-sheet metrics workbook in
 * memory and reads it as a single form. */
#include "model.h"
#include "testlib.h"
#include "xml_io.h"
#include "zip_io.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static nb_diag_list *dl;

static void setup(void)
{
    dl = nb_diag_list_new();
}

static void teardown(void)
{
    nb_diag_list_free(dl);
}

#define REL_T "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"

/* A workbook of one sheet 基本信息 (meta form) whose rows are 'rows';
 * style 1 is 0.0%, style 2 a date; 'd1904' the date system. */
static void *book(const char *rows, bool d1904, size_t *len)
{
    char wb[512];
    char *sheet;
    size_t n;
    nb_zip_writer *w = NULL;
    void *out = NULL;
    static const char rels[] =
        "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/"
        "2006/relationships\"><Relationship Id=\"r1\" Type=\"" REL_T
        "officeDocument\" Target=\"/xl/workbook.xml\"/></Relationships>";
    static const char wb_rels[] =
        "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/"
        "2006/relationships\"><Relationship Id=\"r1\" Type=\"" REL_T
        "worksheet\" Target=\"worksheets/../worksheets/s.xml\"/>"
        "<Relationship Id=\"r3\" Type=\"" REL_T "styles\" "
        "Target=\"styles.xml\"/></Relationships>";
    static const char styles[] =
        "<styleSheet><numFmts><numFmt numFmtId=\"164\" formatCode=\"0.0%\"/>"
        "<numFmt numFmtId=\"165\" formatCode=\"[$-804]yyyy&quot;年&quot;m"
        "&quot;月&quot;d&quot;日&quot;\"/></numFmts><cellXfs><xf "
        "numFmtId=\"0\"/><xf numFmtId=\"164\"/><xf numFmtId=\"165\"/>"
        "</cellXfs></styleSheet>";

    snprintf(wb, sizeof(wb),
             "<workbook xmlns:r=\"http://schemas.openxmlformats.org/"
             "officeDocument/2006/relationships\"><workbookPr date1904=\"%s\"/>"
             "<sheets><sheet name=\"meta\" sheetId=\"1\" r:id=\"r1\"/>"
             "</sheets></workbook>",
             d1904 ? "1" : "false");
    n = strlen(rows) + 256;
    sheet = malloc(n);
    ck_assert_ptr_nonnull(sheet);
    snprintf(sheet, n, "<worksheet><sheetData><row r=\"1\"><c r=\"A1\" "
                   "t=\"inlineStr\"><is><t>项目</t></is></c><c r=\"B1\" "
                   "t=\"inlineStr\"><is><t>内容</t></is></c></row>%s"
                   "</sheetData></worksheet>",
            rows);
    ck_assert_int_eq(nb_zip_writer_new(&w, dl), NB_OK);
    ck_assert_int_eq(nb_zip_writer_add(w, "_rels/.rels", rels, strlen(rels),
                                       false), NB_OK);
    ck_assert_int_eq(nb_zip_writer_add(w, "xl/workbook.xml", wb, strlen(wb),
                                       false), NB_OK);
    ck_assert_int_eq(nb_zip_writer_add(w, "xl/_rels/workbook.xml.rels",
                                       wb_rels, strlen(wb_rels), false),
                     NB_OK);
    ck_assert_int_eq(nb_zip_writer_add(w, "xl/styles.xml", styles,
                                       strlen(styles), false), NB_OK);
    ck_assert_int_eq(nb_zip_writer_add(w, "xl/worksheets/s.xml", sheet,
                                       strlen(sheet), true), NB_OK);
    ck_assert_int_eq(nb_zip_writer_finish(w, &out, len), NB_OK);
    return out;
}

/* Read the meta sheet alone; the number of findings. */
static size_t read_rows(const char *rows, bool d1904)
{
    size_t len;
    void *z = book(rows, d1904, &len);
    nb_report *r = NULL;
    bool one = false;

    ck_assert_int_eq(nb_xlsx_read_memory(&r, &one, z, len, "b.xlsx", NULL, dl),
                     NB_OK);
    if (!one && nb_diag_list_count(dl) > 0)
        ck_abort_msg("%s", nb_diag_list_at(dl, 0)->msg);
    ck_assert(one);
    ck_assert_ptr_null(r);
    nb_free(z);
    return nb_diag_list_count(dl);
}

#define ROW(n, key, cell)                                                      \
    "<row r=\"" #n "\"><c r=\"A" #n "\" t=\"inlineStr\"><is><t>" key          \
    "</t></is></c>" cell "</row>"

START_TEST(test_xlsx_date_formats_read_as_dates)
{
    /* 44965 is 2023-02-08 from 1900, 43503 the same day from 1904; read
     * through the date format, they pass as text of the meta form */
    ck_assert_uint_eq(read_rows(ROW(2, "成文日期",
                                    "<c r=\"B2\" s=\"2\"><v>44965</v></c>"),
                                false),
                      0);
    ck_assert_uint_eq(read_rows(ROW(2, "成文日期",
                                    "<c r=\"B2\" s=\"2\"><v>43503.5</v></c>"),
                                true),
                      0);
    /* the 1900 system's day 60 (1900-02-29, Lotus's) is no date: the
     * number is kept */
    ck_assert_uint_eq(read_rows(ROW(2, "成文日期",
                                    "<c r=\"B2\" s=\"2\"><v>60</v></c>"),
                                false),
                      0);
}
END_TEST

START_TEST(test_xlsx_error_cell_located_by_reference)
{
    const nb_diag *d;

    read_rows(ROW(7, "年度", "<c r=\"B7\" t=\"e\"><f>1/0</f><v>#DIV/0!</v>"
                             "</c>"),
              false);
    d = nb_diag_list_at(dl, 0);
    ck_assert_ptr_nonnull(d);
    ck_assert_int_eq(d->code, NB_XLSX_CELL_ERROR);
    ck_assert_str_eq(d->loc.file, "b.xlsx/meta");
    ck_assert_uint_eq(d->loc.line, 7);
    ck_assert_uint_eq(d->loc.col, 2);
    ck_assert_str_eq(d->loc.where, "!B7");
}
END_TEST

START_TEST(test_xlsx_shared_text_and_escapes)
{
    /* a rich-text inline string in runs; _x000D_ is a line break; a
     * number with Excel's 17 digits is read to 15 */
    ck_assert_uint_eq(
        read_rows(ROW(2, "发布机构",
                      "<c r=\"B2\" t=\"inlineStr\"><is><r><t>常山县</t></r>"
                      "<r><t>司法局</t></r><rPh><t>x</t></rPh></is></c>")
                      ROW(3, "年度", "<c r=\"B3\"><v>2022.0000000000002</v>"
                                     "</c>"),
                  false),
        0);
}
END_TEST

START_TEST(test_xlsx_formula_without_value)
{
    read_rows(ROW(4, "年度", "<c r=\"B4\"><f>2000+22</f></c>"), false);
    NB_ASSERT_ONE_DIAG(dl, NB_XLSX_FORMULA_NO_VALUE, 4);
}
END_TEST

START_TEST(test_xlsx_not_a_zip)
{
    nb_report *r = NULL;

    ck_assert_int_eq(nb_xlsx_read_memory(&r, NULL, "PK\3\4junk", 8, "j.xlsx",
                                         NULL, dl),
                     NB_ERR_FORMAT);
    NB_ASSERT_ONE_DIAG(dl, NB_XLSX_NOT_WORKBOOK, 0);
}
END_TEST

/* Feed 's' a byte at a time, as a stream's chunks may split it. */
static bool scan_bytes(const char *s, bool no_doctype, bool *doctype)
{
    nb_attr_scan sc;
    bool ok = true;

    nb_attr_scan_init(&sc, NULL, false);
    sc.no_doctype = no_doctype;
    for (; *s != '\0' && ok; s++)
        ok = nb_attr_scan_feed(&sc, s, 1);
    *doctype = sc.doctype;
    return ok;
}

START_TEST(test_xlsx_scan_refuses_doctype_in_any_chunk)
{
    bool doctype = false;

    /* after a declaration, a comment and an instruction */
    ck_assert(!scan_bytes("<?xml version=\"1.0\"?><!-- c --><?pi ?>"
                          "<!DOCTYPE x [<!ENTITY a \"b\">]><x/>",
                          true, &doctype));
    ck_assert(doctype);
    /* "<!" in CDATA, a comment or a value is no declaration */
    ck_assert(scan_bytes("<x a=\"&lt;!y\"><![CDATA[<!DOCTYPE]]><!-- <!z -->"
                         "</x>",
                         true, &doctype));
    ck_assert(!doctype);
    /* HTML drafts keep their <!DOCTYPE html> */
    ck_assert(scan_bytes("<!DOCTYPE html><p hidden>x</p>", false, &doctype));
    ck_assert(!doctype);
}
END_TEST

Suite *nb_test_suite(void)
{
    Suite *s = suite_create("read_xlsx");
    TCase *tc = tcase_create("cells");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_xlsx_date_formats_read_as_dates);
    tcase_add_test(tc, test_xlsx_error_cell_located_by_reference);
    tcase_add_test(tc, test_xlsx_shared_text_and_escapes);
    tcase_add_test(tc, test_xlsx_formula_without_value);
    tcase_add_test(tc, test_xlsx_not_a_zip);
    tcase_add_test(tc, test_xlsx_scan_refuses_doctype_in_any_chunk);
    suite_add_tcase(s, tc);
    return s;
}
