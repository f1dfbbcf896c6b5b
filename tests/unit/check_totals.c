/* check_totals.c: metrics summed over reports (src/lib/totals.c): exact
 * sums whatever the order, rates from summed counts, figures left out,
 * merging, taking a report back, the totals file written and read back,
 * and sums past 64 bits. */
#include "testlib.h"

#include "totals.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A report of 'year' with these <metric> elements. */
static nb_report *report(int year, const char *metrics)
{
    char xml[4096];
    nb_diag_list *dl = nb_diag_list_new();
    nb_report *r = NULL;
    int n = snprintf(xml, sizeof(xml),
                     "<report xmlns=\"urn:nianbao:report:1\" version=\"1\">"
                     "<meta><issuer>某区司法局</issuer><year>%d</year></meta>"
                     "<section kind=\"measures\"><intro><p>正文。</p></intro>"
                     "</section><metrics>%s</metrics></report>",
                     year, metrics);

    ck_assert(n > 0 && (size_t)n < sizeof(xml));
    ck_assert_int_eq(
        nb_report_read_xml_memory(&r, xml, (size_t)n, "r.xml", NULL, dl),
        NB_OK);
    ck_assert_msg(r != NULL, "%s",
                  nb_diag_list_count(dl) > 0 ? nb_diag_list_at(dl, 0)->msg
                                             : "no report");
    ck_assert_int_eq(nb_report_check(r, NULL, dl), NB_OK);
    nb_diag_list_free(dl);
    return r;
}

/* The totals file's text, without its BOM. */
static char *totals_text(const nb_totals *t)
{
    char path[] = "/tmp/check_totals.XXXXXX";
    int fd = mkstemp(path);
    nb_diag_list *dl = nb_diag_list_new();
    FILE *f;
    char *text = calloc(1, 65536);
    size_t n;

    ck_assert(fd >= 0 && text != NULL);
    close(fd);
    ck_assert_int_eq(nb_totals_write_csv(t, path, dl), NB_OK);
    f = fopen(path, "rb");
    ck_assert(f != NULL);
    n = fread(text, 1, 65535, f);
    fclose(f);
    unlink(path);
    nb_diag_list_free(dl);
    ck_assert(n > 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0);
    memmove(text, text + 3, n - 2);
    return text;
}

static bool has_line(const char *text, const char *line)
{
    size_t n = strlen(line);
    const char *p = text;

    while ((p = strstr(p, line)) != NULL) {
        if ((p == text || p[-1] == '\n') && strncmp(p + n, "\r\n", 2) == 0)
            return true;
        p += n;
    }
    return false;
}

static const char *const amounts[] = {
    "<metric code=\"tj_amount\">1234567.89</metric>",
    "<metric code=\"tj_amount\">0.1</metric>",
    "<metric code=\"tj_amount\">0.2</metric>",
    "<metric code=\"tj_amount\">98765432109.99</metric>",
};

START_TEST(test_sums_exact_in_any_order)
{
    nb_totals *a = nb_totals_new(NULL);
    nb_totals *b = nb_totals_new(NULL);
    nb_report *r[4];
    char *ta;
    char *tb;
    size_t i;

    for (i = 0; i < 4; i++)
        r[i] = report(2022, amounts[i]);
    for (i = 0; i < 4; i++)
        ck_assert_int_eq(nb_totals_add(a, r[i], NULL), NB_OK);
    for (i = 4; i-- > 0;)
        ck_assert_int_eq(nb_totals_add(b, r[i], NULL), NB_OK);
    ta = totals_text(a);
    tb = totals_text(b);
    ck_assert_str_eq(ta, tb);
    /* 0.1 + 0.2 is 0.3 here, and the cents of billions are kept */
    ck_assert_msg(has_line(ta, "2022,tj_amount,人民调解协议金额,元,amount,"
                               "98766666678.18,4,0,"),
                  "%s", ta);
    ck_assert(has_line(ta, "2022,*,报告数,份,count,4,4,0,"));
    ck_assert_uint_eq(nb_totals_reports(a), 4);
    free(ta);
    free(tb);
    for (i = 0; i < 4; i++)
        nb_report_free(r[i]);
    nb_totals_free(a);
    nb_totals_free(b);
}
END_TEST

START_TEST(test_rates_from_summed_counts)
{
    nb_totals *t = nb_totals_new(NULL);
    nb_report *r1 =
        report(2022, "<metric code=\"tj_cases\">2195</metric>"
                     "<metric code=\"tj_success\">2175</metric>"
                     "<metric code=\"tj_success_rate\">99</metric>");
    nb_report *r2 = report(2022, "<metric code=\"tj_cases\">3314</metric>"
                                 "<metric code=\"tj_success\">3251</metric>");
    /* a rate without its counts, and an approximate count */
    nb_report *r3 =
        report(2022, "<metric code=\"tj_success_rate\">97</metric>"
                     "<metric code=\"pf_people\">17.8万余</metric>");
    nb_diag_list *dl = nb_diag_list_new();
    char *text;

    ck_assert_int_eq(nb_totals_add(t, r1, dl), NB_OK);
    ck_assert_int_eq(nb_totals_add(t, r2, dl), NB_OK);
    ck_assert_uint_eq(nb_diag_list_count(dl), 0);
    ck_assert_int_eq(nb_totals_add(t, r3, dl), NB_OK);
    ck_assert_uint_eq(nb_diag_list_count(dl), 2);
    NB_ASSERT_HAS_DIAG(dl, NB_AGGREGATE_NOT_SUMMED);
    ck_assert_uint_eq(nb_totals_left_out(t), 2);
    text = totals_text(t);
    /* 5426 / 5509 = 98.49%: not the average of 99 and 98.1 */
    ck_assert_msg(has_line(text, "2022,tj_success_rate,调解成功率,%,rate,98.5,"
                                 "2,1,tj_success=5426; tj_cases=5509"),
                  "%s", text);
    ck_assert(has_line(text, "2022,tj_cases,人民调解纠纷,件,count,5509,2,0,"));
    ck_assert(has_line(text, "2022,pf_people,普法参与,人次,count,,0,1,"));
    free(text);
    nb_report_free(r1);
    nb_report_free(r2);
    nb_report_free(r3);
    nb_diag_list_free(dl);
    nb_totals_free(t);
}
END_TEST

START_TEST(test_merge_remove_and_read_back)
{
    nb_totals *one = nb_totals_new(NULL);
    nb_totals *a = nb_totals_new(NULL);
    nb_totals *b = nb_totals_new(NULL);
    nb_totals *back = nb_totals_new(NULL);
    nb_report *r1 = report(2021, amounts[0]);
    nb_report *r2 = report(2022, "<metric code=\"tj_cases\">10</metric>"
                                 "<metric code=\"tj_success\">7</metric>");
    nb_report *r3 = report(2022, amounts[3]);
    nb_diag_list *dl = nb_diag_list_new();
    char path[] = "/tmp/check_totals.XXXXXX";
    int fd = mkstemp(path);
    char *t1;
    char *t2;

    ck_assert(fd >= 0);
    close(fd);
    nb_totals_add(one, r1, NULL);
    nb_totals_add(one, r2, NULL);
    nb_totals_add(a, r1, NULL);
    nb_totals_add(b, r2, NULL);
    /* added, then taken back: as if never added */
    nb_totals_add(b, r3, NULL);
    ck_assert_int_eq(nb_totals_remove(b, r3), NB_OK);
    ck_assert_int_eq(nb_totals_merge(a, b, dl), NB_OK);
    t1 = totals_text(one);
    t2 = totals_text(a);
    ck_assert_str_eq(t1, t2);
    free(t2);
    /* the file reads back into the same totals */
    ck_assert_int_eq(nb_totals_write_csv(one, path, dl), NB_OK);
    ck_assert_int_eq(nb_totals_read_csv(back, path, dl), NB_OK);
    t2 = totals_text(back);
    ck_assert_str_eq(t1, t2);
    ck_assert_uint_eq(nb_totals_reports(back), 2);
    ck_assert_uint_eq(nb_diag_list_count(dl), 0);
    free(t1);
    free(t2);
    unlink(path);
    nb_report_free(r1);
    nb_report_free(r2);
    nb_report_free(r3);
    nb_diag_list_free(dl);
    nb_totals_free(one);
    nb_totals_free(a);
    nb_totals_free(b);
    nb_totals_free(back);
}
END_TEST

START_TEST(test_not_a_totals_file)
{
    static const char *const bad[] = {
        "",
        "a,b,c\r\n",
        "年度,代码,指标,单位,类型,合计,报送单位数,未计入,计算依据\r\n"
        "2022,no_such_code,x,件,count,1,1,0,\r\n",
        "年度,代码,指标,单位,类型,合计,报送单位数,未计入,计算依据\r\n"
        "2022,tj_cases,x,件,count,1.5.5,1,0,\r\n",
        "年度,代码,指标,单位,类型,合计,报送单位数,未计入,计算依据\r\n"
        "2022,tj_success_rate,x,%,rate,9,1,0,tj_cases=1\r\n",
        "年度,代码,指标,单位,类型,合计,报送单位数,未计入,计算依据\r\n"
        "twenty,tj_cases,x,件,count,1,1,0,\r\n",
    };
    size_t i;

    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        char path[] = "/tmp/check_totals.XXXXXX";
        int fd = mkstemp(path);
        nb_totals *t = nb_totals_new(NULL);
        nb_diag_list *dl = nb_diag_list_new();

        ck_assert(fd >= 0);
        ck_assert(write(fd, bad[i], strlen(bad[i])) == (ssize_t)strlen(bad[i]));
        close(fd);
        ck_assert_msg(nb_totals_read_csv(t, path, dl) != NB_OK, "case %zu", i);
        NB_ASSERT_HAS_DIAG(dl, NB_AGGREGATE_TOTALS_FILE);
        unlink(path);
        nb_diag_list_free(dl);
        nb_totals_free(t);
    }
}
END_TEST

START_TEST(test_sums_past_64_bits)
{
    nb_totals *t = nb_totals_new(NULL);
    nb_totals *back = nb_totals_new(NULL);
    nb_report *r = report(2022, "<metric code=\"tj_cases\">999999999999999"
                                "</metric>"
                                "<metric code=\"tj_amount\">1.2亿</metric>");
    nb_diag_list *dl = nb_diag_list_new();
    char path[] = "/tmp/check_totals.XXXXXX";
    int fd = mkstemp(path);
    char *text;
    char *again;
    size_t i;

    ck_assert(fd >= 0);
    close(fd);
    /* 9,300 times 10^15 - 1 is past 2^63: still exact */
    for (i = 0; i < 9300; i++)
        ck_assert_int_eq(nb_totals_add(t, r, dl), NB_OK);
    ck_assert_uint_eq(nb_diag_list_count(dl), 0);
    text = totals_text(t);
    ck_assert_msg(has_line(text, "2022,tj_cases,人民调解纠纷,件,count,"
                                 "9299999999999990700,9300,0,"),
                  "%s", text);
    ck_assert(has_line(text, "2022,tj_amount,人民调解协议金额,元,amount,"
                             "1116000000000,9300,0,"));
    /* and it reads back, and is taken back exactly */
    ck_assert_int_eq(nb_totals_write_csv(t, path, dl), NB_OK);
    ck_assert_int_eq(nb_totals_read_csv(back, path, dl), NB_OK);
    again = totals_text(back);
    ck_assert_str_eq(text, again);
    for (i = 0; i < 9299; i++)
        ck_assert_int_eq(nb_totals_remove(t, r), NB_OK);
    free(text);
    text = totals_text(t);
    ck_assert(has_line(text, "2022,tj_cases,人民调解纠纷,件,count,"
                             "999999999999999,1,0,"));
    free(text);
    free(again);
    unlink(path);
    nb_report_free(r);
    nb_diag_list_free(dl);
    nb_totals_free(t);
    nb_totals_free(back);
}
END_TEST

Suite *nb_test_suite(void)
{
    Suite *s = suite_create("totals");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, test_sums_exact_in_any_order);
    tcase_add_test(tc, test_rates_from_summed_counts);
    tcase_add_test(tc, test_merge_remove_and_read_back);
    tcase_add_test(tc, test_not_a_totals_file);
    tcase_add_test(tc, test_sums_past_64_bits);
    suite_add_tcase(s, tc);
    return s;
}
