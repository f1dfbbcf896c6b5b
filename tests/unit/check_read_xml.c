/* check_read_xml.c: report XML -> model (src/lib/read_xml.c, xml_io.c,
 * schema_xsd.c). */
#include "model.h"
#include "testlib.h"
#include "xml_io.h"

#include <string.h>

#define HEAD "<report xmlns=\"urn:nianbao:report:1\" version=\"1\">\n"
#define META "<meta><issuer>常山县司法局</issuer><year>2022</year></meta>\n"

static nb_diag_list *dl;

static void setup(void)
{
    dl = nb_diag_list_new();
}

static void teardown(void)
{
    nb_diag_list_free(dl);
}

static nb_report *read_str(const char *xml)
{
    nb_report *r = NULL;

    ck_assert_int_eq(nb_report_read_xml_memory(&r, xml, strlen(xml), "t.xml",
                                               NULL, dl),
                     NB_OK);
    return r;
}

START_TEST(test_read_minimal_report_fills_defaults)
{
    nb_report *r = read_str(HEAD META "<section kind=\"plans\"/>\n"
                                      "</report>");

    ck_assert_ptr_nonnull(r);
    ck_assert_uint_eq(nb_diag_list_count(dl), 0);
    ck_assert_str_eq(nb_report_title(r),
                     "常山县司法局2022年度法治政府建设情况报告");
    ck_assert_int_eq(nb_report_year(r), 2022);
    ck_assert_str_eq(r->meta.signer, "常山县司法局");
    ck_assert_str_eq(r->sections[0].title,
                     "2023年度推进法治政府建设的主要安排");
    nb_report_free(r);
}
END_TEST

START_TEST(test_read_areas_items_and_layouts)
{
    nb_report *r = read_str(
        HEAD META
        "<section kind=\"measures\"><title>举措</title>\n"
        "<area layout=\"run-in\" numbering=\"none\"><title>甲</title>\n"
        "  <p>  第一段  </p><p>第二段</p>\n"
        "  <item><lead>强化</lead><text>正文</text></item></area>\n"
        "<area><title>乙</title><item layout=\"paragraph\" "
        "numbering=\"none\"><lead>一</lead>"
        "<item><text>子</text></item></item></area>\n"
        "</section></report>");
    const nb_section *s;

    ck_assert_ptr_nonnull(r);
    s = &r->sections[0];
    ck_assert_uint_eq(s->n_areas, 2);
    ck_assert(s->areas[0].run_in);
    ck_assert(!s->areas[1].run_in);
    ck_assert_str_eq(s->areas[0].paras[0].text, "第一段"); /* trimmed */
    ck_assert_uint_eq(s->areas[0].paras[0].loc.line, 5);
    ck_assert(!s->areas[0].items[0].numbered);
    ck_assert(s->areas[1].items[0].numbered);
    ck_assert(!s->areas[1].items[0].run_in);
    ck_assert_uint_eq(s->areas[1].items[0].n_items, 1);
    ck_assert(!s->areas[1].items[0].items[0].numbered);
    ck_assert_ptr_null(s->areas[1].items[0].items[0].lead);
    nb_report_free(r);
}
END_TEST

START_TEST(test_read_reports_every_schema_error)
{
    nb_report *r = read_str(HEAD
                            "<meta><issuer>x</issuer><year>20x2</year></meta>\n"
                            "<section kind=\"nonsense\"/>\n"
                            "<section kind=\"plans\"><p/></section>\n"
                            "</report>");
    size_t i;

    ck_assert_ptr_null(r);
    ck_assert_uint_ge(nb_diag_list_count(dl), 3);
    for (i = 0; i < nb_diag_list_count(dl); i++)
        ck_assert_int_eq(nb_diag_list_at(dl, i)->code, NB_XSD_INVALID);
    nb_diag_list_sort(dl);
    ck_assert_uint_eq(nb_diag_list_at(dl, 0)->loc.line, 2);
    /* the namespace is stripped from messages */
    ck_assert_ptr_null(strstr(nb_diag_list_at(dl, 0)->msg, "urn:nianbao"));
}
END_TEST

START_TEST(test_read_refuses_doctype_before_entities)
{
    nb_report *r = read_str(
        "<?xml version=\"1.0\"?>\n"
        "<!DOCTYPE r [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;\">"
        "]>\n<report>&b;</report>");

    ck_assert_ptr_null(r);
    NB_ASSERT_ONE_DIAG(dl, NB_XML_DTD_FORBIDDEN, 2);
}
END_TEST

START_TEST(test_read_malformed_has_line_and_column)
{
    nb_report *r = read_str(HEAD META "<section kind=\"plans\">\n"
                                      "  <title>a</titel>\n</section>"
                                      "</report>");

    ck_assert_ptr_null(r);
    ck_assert_uint_ge(nb_diag_list_count(dl), 1);
    ck_assert_int_eq(nb_diag_list_at(dl, 0)->code, NB_XML_MALFORMED);
    ck_assert_uint_eq(nb_diag_list_at(dl, 0)->loc.line, 4);
    ck_assert_uint_gt(nb_diag_list_at(dl, 0)->loc.col, 0);
}
END_TEST

START_TEST(test_read_not_utf8)
{
    /* "年" in GB18030, no encoding declared */
    nb_report *r = read_str(HEAD "<meta><issuer>\xc4\xea</issuer>"
                                 "<year>2022</year></meta></report>");

    ck_assert_ptr_null(r);
    NB_ASSERT_HAS_DIAG(dl, NB_XML_ENCODING);
}
END_TEST

START_TEST(test_read_wrong_root)
{
    nb_report *r = read_str("<html/>");

    ck_assert_ptr_null(r);
    NB_ASSERT_ONE_DIAG(dl, NB_XML_NOT_REPORT, 1);
}
END_TEST

START_TEST(test_read_missing_file_is_io_error)
{
    nb_report *r = NULL;

    ck_assert_int_eq(nb_report_read_xml(&r, "/nonexistent/r.xml", NULL, dl),
                     NB_ERR_IO);
    ck_assert_ptr_null(r);
    NB_ASSERT_ONE_DIAG(dl, NB_IO_OPEN, 0);
}
END_TEST

START_TEST(test_read_input_limit)
{
    nb_report *r = NULL;
    nb_limits lim = {0};
    const char *xml = HEAD META "<section kind=\"plans\"/></report>";

    lim.max_input_bytes = 10;
    ck_assert_int_eq(nb_report_read_xml_memory(&r, xml, strlen(xml), "t.xml",
                                               &lim, dl),
                     NB_ERR_LIMIT);
    NB_ASSERT_ONE_DIAG(dl, NB_XML_TOO_LARGE, 0);
}
END_TEST

START_TEST(test_read_example_changshan)
{
    nb_report *r = NULL;

    ck_assert_int_eq(
        nb_report_read_xml(&r,
                           nb_test_src("examples/changshan-2022/report.xml"),
                           NULL, dl),
        NB_OK);
    ck_assert_ptr_nonnull(r);
    ck_assert_uint_eq(nb_diag_list_count(dl), 0);
    ck_assert_uint_eq(nb_report_section_count(r), 4);
    ck_assert_str_eq(r->meta.date, "2023-02-08");
    ck_assert_str_eq(r->sections[0].summary, "我们的具体做法是：");
    nb_report_free(r);
}
END_TEST

START_TEST(test_xml_escape_modes)
{
    static const char in[] = "a&b<c>\"d\te\nf\rg\x01h";
    nb_buf b;

    nb_buf_init(&b, 4096);
    nb_xml_escape(&b, in, sizeof(in) - 1, NB_ESC_TEXT);
    ck_assert_str_eq(b.data, "a&amp;b&lt;c&gt;\"d\te\nf&#13;g\x01h");
    nb_buf_reset(&b);
    nb_xml_escape(&b, in, sizeof(in) - 1, NB_ESC_ATTR);
    ck_assert_str_eq(b.data,
                     "a&amp;b&lt;c&gt;&quot;d&#9;e&#10;f&#13;g\x01h");
    nb_buf_reset(&b);
    nb_xml_escape(&b, in, sizeof(in) - 1, NB_ESC_VALUE);
    ck_assert_str_eq(b.data, "a&amp;b&lt;c&gt;\"d\te\nfgh");
    nb_buf_reset(&b);
    nb_xml_escape(&b, in, sizeof(in) - 1, NB_ESC_WT_VALUE);
    ck_assert_str_eq(b.data,
                     "a&amp;b&lt;c&gt;\"d</w:t><w:tab/><w:t xml:space="
                     "\"preserve\">e</w:t><w:br/><w:t xml:space=\"preserve"
                     "\">fgh");
    nb_buf_fini(&b);
}
END_TEST

Suite *nb_test_suite(void)
{
    Suite *s = suite_create("read_xml");
    TCase *tc = tcase_create("read");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_read_minimal_report_fills_defaults);
    tcase_add_test(tc, test_read_areas_items_and_layouts);
    tcase_add_test(tc, test_read_reports_every_schema_error);
    tcase_add_test(tc, test_read_refuses_doctype_before_entities);
    tcase_add_test(tc, test_read_malformed_has_line_and_column);
    tcase_add_test(tc, test_read_not_utf8);
    tcase_add_test(tc, test_read_wrong_root);
    tcase_add_test(tc, test_read_missing_file_is_io_error);
    tcase_add_test(tc, test_read_input_limit);
    tcase_add_test(tc, test_read_example_changshan);
    tcase_add_test(tc, test_xml_escape_modes);
    suite_add_tcase(s, tc);
    return s;
}
