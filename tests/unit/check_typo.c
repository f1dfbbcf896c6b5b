/* check_typo.c: widths, title lines, the signature block (typo.c) and the
 * safe fixes (typo_fix.c). The check itself is tested through the CLI
 * (tests/cli/typography.sh). */
#include "internal.h"
#include "testlib.h"
#include "typo.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

START_TEST(test_typo_width_counts_full_half_and_spacing)
{
    ck_assert_int_eq(nb_typo_width("司法局", strlen("司法局")), 300);
    ck_assert_int_eq(nb_typo_width("2023", 4), 200);
    /* 2023年2月8日: 3 Chinese, 6 digits, 5 changes between them */
    ck_assert_int_eq(nb_typo_width("2023年2月8日", strlen("2023年2月8日")),
                     300 + 300 + 100);
    ck_assert_int_eq(nb_typo_width("“一”……——", strlen("“一”……——")), 700);
}
END_TEST

/* The lines of 'title' joined with '/'. */
static void lines_of(char *out, size_t size, const char *title,
                     const char *issuer)
{
    nb_typo_line l[8];
    size_t n = nb_typo_title_lines(l, 8, title, issuer, 0);
    size_t i;

    out[0] = '\0';
    for (i = 0; i < n && i < 8; i++) {
        size_t used = strlen(out);

        snprintf(out + used, size - used, "%s%.*s", i > 0 ? "/" : "",
                 (int)l[i].len, title + l[i].off);
    }
}

START_TEST(test_typo_title_breaks_after_the_year_or_the_issuer)
{
    char got[512];

    lines_of(got, sizeof(got), "江北区司法局2021年度法治政府建设情况报告",
             "江北区司法局");
    ck_assert_str_eq(got, "江北区司法局2021年度/法治政府建设情况报告");
    lines_of(got, sizeof(got), "宁波市江北区司法局2022年度法治政府建设情况报告",
             "宁波市江北区司法局");
    ck_assert_str_eq(got, "宁波市江北区司法局2022年度/法治政府建设情况报告");
    lines_of(got, sizeof(got),
             "浙江省宁波市江北区人民政府办公室2022年度法治政府建设情况报告",
             "浙江省宁波市江北区人民政府办公室");
    ck_assert_str_eq(got, "浙江省宁波市江北区人民政府办公室/"
                          "2022年度法治政府建设情况报告");
    lines_of(got, sizeof(got), "司法局2022年度法治政府建设情况报告", "司法局");
    ck_assert_str_eq(got, "司法局2022年度法治政府建设情况报告");
}
END_TEST

START_TEST(test_typo_title_issuers_of_3_to_20_characters_balance)
{
    static const char *const han = "司法局江北区宁波市浙江省人民政府办公室"
                                   "委员会管理新区两江重庆";
    char issuer[128];
    char title[256];
    size_t n;

    for (n = 3; n <= 20; n++) {
        nb_typo_line l[8];
        size_t k;
        size_t i;
        int lo = 1 << 30;
        int hi = 0;

        memcpy(issuer, han, n * 3);
        issuer[n * 3] = '\0';
        snprintf(title, sizeof(title), "%s2022年度法治政府建设情况报告",
                 issuer);
        k = nb_typo_title_lines(l, 8, title, issuer, 0);
        ck_assert_uint_ge(k, 1);
        ck_assert_uint_le(k, 3);
        for (i = 0; i < k; i++) {
            int w = nb_typo_width(title + l[i].off, l[i].len);

            ck_assert_int_le(w, 2000);
            lo = w < lo ? w : lo;
            hi = w > hi ? w : hi;
        }
        ck_assert_msg(lo * 3 >= hi, "issuer of %zu: a line under a third", n);
    }
}
END_TEST

START_TEST(test_typo_title_explicit_breaks_win)
{
    char got[512];

    lines_of(got, sizeof(got), "关于2022年度\n法治政府建设情况的报告", NULL);
    ck_assert_str_eq(got, "关于2022年度/法治政府建设情况的报告");
}
END_TEST

START_TEST(test_typo_signature_unsealed_and_sealed)
{
    nb_typo_sign s;

    /* no seal: 署名 2 from the right when the date is short */
    nb_typo_sign_place(&s, "中华人民共和国某某省某某市司法局",
                       "2023年2月8日", false, 0);
    ck_assert_int_eq(s.signer_right, 200);
    ck_assert_int_eq(s.date_pad - s.signer_pad, 200);
    /* the date the longer: it is 右空二字, the 署名 moves left */
    nb_typo_sign_place(&s, "司法局", "2023年12月18日", false, 0);
    ck_assert_int_eq(s.date_pad - s.signer_pad, 200);
    ck_assert_int_ge(s.date_right, 175);
    ck_assert_int_le(s.date_right, 225);
    /* sealed: date 右空四字, 署名 centred within a quarter character */
    nb_typo_sign_place(&s, "常山县司法局", "2023年2月8日", true, 0);
    ck_assert_int_ge(s.date_right, 375);
    ck_assert_int_le(s.date_right, 425);
    ck_assert_int_le(abs((s.signer_pad * 2 + 600) -
                         (s.date_pad * 2 + nb_typo_width("2023年2月8日",
                                                         strlen("2023年2月8日")))),
                     50);
}
END_TEST

/* Fix 'in' as 'fmt'; the result, and the count in *n. */
static char *fixed(const char *in, nb_typo_format fmt, size_t *n)
{
    nb_diag_list *dl = nb_diag_list_new();
    char *out = NULL;
    size_t len = 0;

    ck_assert_int_eq(
        nb_typo_fix(&out, &len, n, in, strlen(in), fmt, "t", dl), NB_OK);
    ck_assert_uint_eq(nb_diag_list_count(dl), *n);
    nb_diag_list_free(dl);
    return out;
}

START_TEST(test_typo_fix_xml_text_only)
{
    size_t n;
    char *out = fixed("<p a=\"x,中\">强化领导,完善制度;A&amp;B(试行)。。"
                      "中 文（１）</p><!-- 中,文 -->",
                      NB_TYPO_XML, &n);

    ck_assert_str_eq(out, "<p a=\"x,中\">强化领导，完善制度；A&amp;B（试行）。"
                          "中文（1）</p><!-- 中,文 -->");
    ck_assert_uint_eq(n, 7);
    nb_free(out);
}
END_TEST

START_TEST(test_typo_fix_csv_keeps_separators)
{
    size_t n;
    char *out = fixed("标题,内容\n一,\"领导,制度\"\"x\"\"\"\n(一),1,234\n",
                      NB_TYPO_CSV, &n);

    ck_assert_str_eq(out, "标题,内容\n一,\"领导，制度\"\"x\"\"\"\n（一）,1,234\n");
    ck_assert_uint_eq(n, 3);
    nb_free(out);
}
END_TEST

START_TEST(test_typo_fix_is_idempotent)
{
    size_t n;
    char *once = fixed("<t>一是,二是(1)。。 三是</t>", NB_TYPO_XML, &n);
    char *twice;

    ck_assert_uint_gt(n, 0);
    twice = fixed(once, NB_TYPO_XML, &n);
    ck_assert_uint_eq(n, 0);
    ck_assert_str_eq(once, twice);
    nb_free(once);
    nb_free(twice);
}
END_TEST

Suite *nb_test_suite(void)
{
    Suite *s = suite_create("typo");
    TCase *tc = tcase_create("typo");

    tcase_add_test(tc, test_typo_width_counts_full_half_and_spacing);
    tcase_add_test(tc, test_typo_title_breaks_after_the_year_or_the_issuer);
    tcase_add_test(tc, test_typo_title_issuers_of_3_to_20_characters_balance);
    tcase_add_test(tc, test_typo_title_explicit_breaks_win);
    tcase_add_test(tc, test_typo_signature_unsealed_and_sealed);
    tcase_add_test(tc, test_typo_fix_xml_text_only);
    tcase_add_test(tc, test_typo_fix_csv_keeps_separators);
    tcase_add_test(tc, test_typo_fix_is_idempotent);
    suite_add_tcase(s, tc);
    return s;
}
