/* check_import.c: the structure recogniser of drafts (src/lib/import.c),
 * the numbering styles (model.c) and the outline (outline.c). */
#include "import.h"
#include "testlib.h"

#include <stdlib.h>
#include <string.h>

static nb_report *import_text(const char *text, nb_diag_list *dl)
{
    nb_report *r = NULL;

    ck_assert_int_eq(nb_import_memory(&r, text, strlen(text), "d.txt", NULL,
                                      dl),
                     NB_OK);
    ck_assert_ptr_nonnull(r);
    return r;
}

static size_t count_code(const nb_diag_list *dl, nb_code code)
{
    size_t i;
    size_t n = 0;

    for (i = 0; i < nb_diag_list_count(dl); i++)
        n += nb_diag_list_at(dl, i)->code == code;
    return n;
}

START_TEST(test_cn_numerals)
{
    size_t len;

    ck_assert_uint_eq(nb_cn_numeral("三、", &len), 3);
    ck_assert_uint_eq(len, 3);
    ck_assert_uint_eq(nb_cn_numeral("十是", &len), 10);
    ck_assert_uint_eq(len, 3);
    ck_assert_uint_eq(nb_cn_numeral("十二是", &len), 12);
    ck_assert_uint_eq(len, 6);
    ck_assert_uint_eq(nb_cn_numeral("二十一", &len), 21);
    ck_assert_uint_eq(len, 9);
    ck_assert_uint_eq(nb_cn_numeral("是", &len), 0);
    ck_assert_uint_eq(len, 0);
}
END_TEST

START_TEST(test_numbering_styles)
{
    nb_numbering n = NB_NUM_AUTO;
    nb_buf b;

    ck_assert(nb_numbering_parse("（1）", &n) && n == NB_NUM_PAREN);
    ck_assert(nb_numbering_parse("(1)", &n) && n == NB_NUM_PAREN);
    ck_assert(nb_numbering_parse("不编号", &n) && n == NB_NUM_NONE);
    ck_assert(nb_numbering_parse("第一", &n) && n == NB_NUM_DIYI);
    ck_assert(!nb_numbering_parse("甲是", &n));
    ck_assert_str_eq(nb_numbering_name(NB_NUM_DECIMAL), "1.");
    ck_assert_int_eq(nb_numbering_resolve(NB_NUM_AUTO, NB_NUM_AUTO, true,
                                          true),
                     NB_NUM_YISHI);
    ck_assert_int_eq(nb_numbering_resolve(NB_NUM_AUTO, NB_NUM_DIYI, true,
                                          false),
                     NB_NUM_DIYI);
    ck_assert_int_eq(nb_numbering_resolve(NB_NUM_AUTO, NB_NUM_DIYI, false,
                                          false),
                     NB_NUM_PAREN);
    nb_buf_init(&b, 100);
    nb_ordinal_append(&b, NB_NUM_YISHI, 10);
    nb_ordinal_append(&b, NB_NUM_PAREN, 1);
    nb_ordinal_append(&b, NB_NUM_DIYI, 2);
    nb_ordinal_append(&b, NB_NUM_DECIMAL, 0);
    nb_ordinal_append(&b, NB_NUM_NONE, 5);
    ck_assert_str_eq(b.data, "十一是（2）第三，1.");
    nb_buf_fini(&b);
}
END_TEST

START_TEST(test_structure)
{
    nb_diag_list *dl = nb_diag_list_new();
    nb_report *r = import_text(
        "某县司法局2023年度法治政府建设情况报告\n"
        "县人民政府：\n"
        "前言。\n"
        "一、2023年推进法治政府建设的主要举措和成效\n"
        "（一）强化领导。全年研究4次。一是学法。二是述法。\n"
        "（二）规范执法\n"
        "1.推行三项制度。执法信息全部公示。\n"
        "续段。\n"
        "（1）公示。\n"
        "（2）记录。\n"
        "二、存在的不足\n"
        "不足。\n"
        "三、下一步工作打算\n"
        "打算。\n"
        "某县司法局\n"
        "2024年1月5日\n",
        dl);
    const nb_section *s = &r->sections[0];

    ck_assert_str_eq(r->title, "某县司法局2023年度法治政府建设情况报告");
    ck_assert_str_eq(r->meta.addressee, "县人民政府");
    ck_assert_str_eq(r->meta.issuer, "某县司法局");
    ck_assert_int_eq(r->meta.year, 2023);
    ck_assert_str_eq(r->meta.date, "2024-01-05");
    ck_assert_uint_eq(r->n_preamble, 1);
    ck_assert_uint_eq(r->n_sections, 3);
    ck_assert_int_eq(s->kind, NB_SECTION_MEASURES);
    ck_assert_int_eq(r->sections[1].kind, NB_SECTION_SHORTCOMINGS);
    ck_assert_int_eq(r->sections[2].kind, NB_SECTION_PLANS);
    ck_assert_uint_eq(s->n_areas, 2);
    ck_assert(s->areas[0].run_in);
    ck_assert_str_eq(s->areas[0].title, "强化领导");
    ck_assert_str_eq(s->areas[0].paras[0].text, "全年研究4次。");
    ck_assert_uint_eq(s->areas[0].n_items, 2);
    ck_assert_int_eq(s->areas[0].numbering, NB_NUM_YISHI);
    ck_assert_str_eq(s->areas[0].items[1].text, "述法。");
    ck_assert(!s->areas[1].run_in);
    ck_assert_int_eq(s->areas[1].numbering, NB_NUM_DECIMAL);
    ck_assert_uint_eq(s->areas[1].n_items, 1);
    ck_assert_str_eq(s->areas[1].items[0].lead, "推行三项制度");
    ck_assert_uint_eq(s->areas[1].items[0].n_paras, 1);
    ck_assert_uint_eq(s->areas[1].items[0].n_items, 2);
    ck_assert(!s->areas[1].items[0].run_in);
    ck_assert_int_eq(s->areas[1].items[0].items[1].numbering, NB_NUM_PAREN);
    /* run in, 署名, and no duties part: a work summary */
    ck_assert_uint_eq(count_code(dl, NB_IMPORT_GUESS), 3);
    ck_assert_int_eq(r->meta.profile, NB_PROFILE_SUMMARY);
    nb_report_free(r);
    nb_diag_list_free(dl);
}
END_TEST

START_TEST(test_ordinal_gap_and_kept_text)
{
    nb_diag_list *dl = nb_diag_list_new();
    nb_report *r = import_text("甲县2023年度法治政府建设情况报告\n"
                               "一、主要举措和成效\n"
                               "1.甲。\n"
                               "三、下一步安排\n"
                               "（1）乙。\n",
                               dl);

    ck_assert_uint_eq(r->n_sections, 2);
    ck_assert_uint_eq(count_code(dl, NB_IMPORT_ORDINALS), 1);
    ck_assert_uint_eq(count_code(dl, NB_IMPORT_KEPT_AS_TEXT), 2);
    ck_assert_str_eq(r->sections[0].intro[0].text, "1.甲。");
    ck_assert_str_eq(r->sections[1].intro[0].text, "（1）乙。");
    nb_report_free(r);
    nb_diag_list_free(dl);
}
END_TEST

START_TEST(test_bad_text)
{
    nb_diag_list *dl = nb_diag_list_new();
    nb_report *r = NULL;

    ck_assert_int_eq(nb_import_memory(&r, "\xff\xfe\x01", 3, "x.txt", NULL,
                                      dl),
                     NB_ERR_FORMAT);
    ck_assert_ptr_null(r);
    ck_assert_uint_eq(count_code(dl, NB_IMPORT_ENCODING), 1);
    ck_assert_int_eq(nb_import_memory(&r, "", 0, "x.txt", NULL, dl), NB_OK);
    ck_assert_ptr_null(r);
    ck_assert_uint_eq(count_code(dl, NB_IMPORT_NO_TEXT), 1);
    nb_diag_list_free(dl);
}
END_TEST

START_TEST(test_outline)
{
    nb_diag_list *dl = nb_diag_list_new();
    nb_report *r = import_text("乙县2022年度法治政府建设情况报告\n"
                               "一、主要举措和成效\n"
                               "（一）甲\n"
                               "第一，子。\n",
                               dl);
    char *t = NULL;

    ck_assert_int_eq(nb_report_outline(&t, r), NB_OK);
    ck_assert_str_eq(t, "title 乙县2022年度法治政府建设情况报告\n"
                        "  part 1 [measures] 主要举措和成效\n"
                        "    area 1 [heading, items 第一] 甲\n"
                        "      item 1 [第一] 子。\n");
    nb_free(t);
    nb_report_free(r);
    nb_diag_list_free(dl);
}
END_TEST

Suite *nb_test_suite(void)
{
    Suite *s = suite_create("import");
    TCase *tc = tcase_create("import");

    tcase_add_test(tc, test_cn_numerals);
    tcase_add_test(tc, test_numbering_styles);
    tcase_add_test(tc, test_structure);
    tcase_add_test(tc, test_ordinal_gap_and_kept_text);
    tcase_add_test(tc, test_bad_text);
    tcase_add_test(tc, test_outline);
    suite_add_tcase(s, tc);
    return s;
}
