/* check_figures.c: figures as reports write them, number printing and
 * rate formulas (src/lib/figures.c), metric references in text
 * (src/lib/model.c), and the built-in catalog's formulas and rules. */
#include "testlib.h"

#include "catalog.h"
#include "figures.h"
#include "model.h"

#include <string.h>

START_TEST(test_quantity_plain_and_approximate)
{
    static const struct {
        const char *in;
        double num;
        bool approx;
        unsigned decimals;
    } ok[] = {
        {"130", 130, false, 0},       {"20.5", 20.5, false, 1},
        {"0", 0, false, 0},           {"1234.", 1234, false, 0},
        {".5", 0.5, false, 1},        {"+5", 5, false, 0},
        {"1万余", 10000, true, 0},    {"3530余", 3530, true, 0},
        {"17.8万余", 178000, true, 1}, {"近千", 1000, true, 0},
        {"约200", 200, true, 0},      {"超98", 98, true, 0},
        {"1.2亿", 120000000, false, 1}, {"4381多", 4381, true, 0},
        {"逾万", 10000, true, 0},     {"2万", 20000, false, 0},
        {"万余", 10000, true, 0},     {"千", 1000, true, 0},
    };
    static const char *const bad[] = {"", "十二", "1,000", "12件", "万千",
                                      "1234567890123456",
                                      "1.2.3", "-", "近", "1万万", "5余多",
                                      "abc", "1e5", "近-千"};
    nb_quantity q;
    size_t i;

    for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
        ck_assert_msg(nb_quantity_parse(&q, ok[i].in), "%s", ok[i].in);
        ck_assert_msg(q.num == ok[i].num, "%s: %g", ok[i].in, q.num);
        ck_assert_int_eq(q.approx, ok[i].approx);
        ck_assert_uint_eq(q.decimals, ok[i].decimals);
    }
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        ck_assert_msg(!nb_quantity_parse(&q, bad[i]), "%s", bad[i]);
    ck_assert(nb_quantity_parse(&q, "-3"));
    ck_assert(q.negative);
    ck_assert(q.num == -3);
}
END_TEST

/* Figures in prose: whole units ("2.2个百分点", "30场次"), no
 * thresholds ("500人以上"). */
START_TEST(test_figure_next_takes_whole_units_and_skips_thresholds)
{
    static const char text[] =
        "败诉率同比下降2.2个百分点，开展讲座30场次，覆盖500人以上，"
        "受理行政复议申请93件，参与17.8万余人次，满意度超98%。";
    static const char *const want[] = {"2.2个百分点", "30场次", "93件",
                                       "17.8万余人次", "超98%"};
    size_t pos = 0;
    size_t k = 0;
    nb_figure f;

    while (nb_figure_next(&f, text, strlen(text), &pos)) {
        ck_assert_uint_lt(k, 5);
        ck_assert_int_eq((int)f.len, (int)strlen(want[k]));
        ck_assert(memcmp(text + f.start, want[k], f.len) == 0);
        k++;
    }
    ck_assert_uint_eq(k, 5);
    ck_assert_uint_eq(pos, strlen(text));
    pos = 0;
    ck_assert(!nb_figure_next(&f, "10件以下", strlen("10件以下"), &pos));
    pos = 0;
    ck_assert(!nb_figure_next(&f, "", 0, &pos));
    pos = 0;
    /* a cut text ends a figure where the text ends */
    ck_assert(nb_figure_next(&f, "93件次", 5, &pos));
    ck_assert_int_eq((int)f.len, 5);
    ck_assert_str_eq(f.unit, "件");
}
END_TEST

START_TEST(test_number_format_rounds_and_trims)
{
    static const struct {
        double v;
        int decimals;
        const char *out;
    } cases[] = {
        {99.0888, 1, "99.1"}, {99.0888, 0, "99"},   {100.0, 1, "100"},
        {98.10, 2, "98.1"},   {9.756, 1, "9.8"},    {0.05, 1, "0.1"},
        {-2.25, 1, "-2.3"},   {-0.01, 1, "0"},      {1428, 6, "1428"},
        {95.238, 2, "95.24"}, {0.000001, 6, "0.000001"},
        {9000000001186.0, 6, "9000000001186"}, {1e20, 2, "100000000000000000000"},
    };
    char buf[64];
    size_t i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        nb_number_format(buf, sizeof(buf), cases[i].v, cases[i].decimals);
        ck_assert_str_eq(buf, cases[i].out);
    }
}
END_TEST

static bool lookup(double *out, const char *code, size_t len, void *ctx)
{
    (void)ctx;
    if (len == 1 && code[0] == 'a') {
        *out = 3251;
        return true;
    }
    if (len == 1 && code[0] == 'b') {
        *out = 3314;
        return true;
    }
    if (len == 4 && memcmp(code, "zero", 4) == 0) {
        *out = 0;
        return true;
    }
    return false;
}

START_TEST(test_formula_evaluates_and_fails_cleanly)
{
    double v;

    ck_assert_int_eq(nb_formula_eval(&v, "a / b * 100", lookup, NULL),
                     NB_FX_OK);
    ck_assert(v > 98.09 && v < 98.10);
    ck_assert_int_eq(nb_formula_eval(&v, "(a + b) / 2", lookup, NULL),
                     NB_FX_OK);
    ck_assert(v == 3282.5);
    ck_assert_int_eq(nb_formula_eval(&v, "b - a - 13", lookup, NULL),
                     NB_FX_OK);
    ck_assert(v == 50);
    ck_assert_int_eq(nb_formula_eval(&v, "a / zero", lookup, NULL),
                     NB_FX_ZERO);
    ck_assert_int_eq(nb_formula_eval(&v, "a / c", lookup, NULL),
                     NB_FX_MISSING);
    ck_assert_int_eq(nb_formula_eval(&v, "(a / b", lookup, NULL),
                     NB_FX_SYNTAX);
    ck_assert_int_eq(nb_formula_eval(&v, "a b", lookup, NULL), NB_FX_SYNTAX);
    ck_assert_int_eq(nb_formula_eval(&v, "", lookup, NULL), NB_FX_SYNTAX);
    ck_assert_int_eq(nb_formula_eval(&v, "a / c +", lookup, NULL),
                     NB_FX_SYNTAX);
    /* deep nesting is refused, not recursed into */
    ck_assert_int_eq(
        nb_formula_eval(&v,
                        "((((((((((((((((((((((((((((((((((a))))))))))))))))"
                        "))))))))))))))))))",
                        lookup, NULL),
        NB_FX_SYNTAX);
}
END_TEST

static bool is_indicator(const char *code, size_t len, void *ctx)
{
    char buf[72];

    (void)ctx;
    ck_assert_uint_lt(len, sizeof(buf));
    memcpy(buf, code, len);
    buf[len] = '\0';
    ck_assert_msg(nb_indicator_find(buf) != NULL, "unknown code %s", buf);
    return true;
}

START_TEST(test_builtin_formulas_and_rules_name_indicators)
{
    size_t i;
    double v;

    for (i = 0; i < nb_indicator_count(); i++) {
        const nb_indicator *ind = nb_indicator_at(i);

        if (strcmp(ind->type, "rate") == 0)
            ck_assert_msg(ind->formula != NULL, "rate %s has no formula",
                          ind->code);
        if (ind->formula == NULL)
            continue;
        ck_assert_int_ne(nb_formula_eval(&v, ind->formula, NULL, NULL),
                         NB_FX_SYNTAX);
        ck_assert(nb_formula_codes(ind->formula, is_indicator, NULL));
    }
    ck_assert_uint_gt(nb_catalog_rule_count(NULL), 0);
    for (i = 0; i < nb_catalog_rule_count(NULL); i++) {
        const nb_catalog_rule *ru = nb_catalog_rule_at(NULL, i);

        ck_assert(nb_formula_codes(ru->whole, is_indicator, NULL));
        ck_assert(nb_formula_codes(ru->parts, is_indicator, NULL));
        ck_assert_ptr_nonnull(ru->source);
    }
}
END_TEST

START_TEST(test_csv_references_become_markers_and_back)
{
    nb_arena *a = nb_arena_new();
    nb_diag_list *dl = nb_diag_list_new();
    nb_loc loc = {"narrative.csv", 3, 0, NULL};
    bool oom = false;
    const char *t;
    const char *p;
    nb_ref ref;
    const char *next;
    size_t n;

    t = nb_refs_from_csv(a, "收到{{fy_received}},成功率{{调解成功率}}。", NULL,
                         &loc, "内容", dl, &oom);
    ck_assert_str_eq(t, "收到\x1e" "fy_received\x1f,成功率\x1e"
                        "tj_success_rate\x1f。");
    ck_assert_uint_eq(nb_diag_list_count(dl), 0);
    n = nb_ref_scan(t, &ref, &next);
    ck_assert_uint_eq(n, strlen("收到"));
    ck_assert_uint_eq(ref.code_len, strlen("fy_received"));
    ck_assert_uint_eq(ref.field_len, 0);
    p = next;
    n = nb_ref_scan(p, &ref, &next);
    ck_assert_uint_eq(n, strlen(",成功率"));
    n = nb_ref_scan(next, &ref, &next);
    ck_assert_ptr_null(next);
    ck_assert_str_eq(nb_refs_from_csv(a, "{{ tj_cases.value }}", NULL, &loc,
                                      "内容", dl, &oom),
                     "\x1etj_cases.value\x1f");
    /* text without references is returned as it is */
    p = "没有引用 {单括号}";
    ck_assert_ptr_eq(nb_refs_from_csv(a, p, NULL, &loc, "内容", dl, &oom), p);
    ck_assert_ptr_null(
        nb_refs_from_csv(a, "{{fy_received", NULL, &loc, "内容", dl, &oom));
    NB_ASSERT_ONE_DIAG(dl, NB_RULE_REF_SYNTAX, 3);
    ck_assert_ptr_null(
        nb_refs_from_csv(a, "{{}}", NULL, &loc, "内容", dl, &oom));
    ck_assert_ptr_null(nb_refs_from_csv(a, "{{不存在的指标}}", NULL, &loc,
                                        "内容", dl, &oom));
    NB_ASSERT_HAS_DIAG(dl, NB_RULE_REF_UNKNOWN);
    ck_assert(!oom);
    nb_diag_list_free(dl);
    nb_arena_free(a);
}
END_TEST

Suite *nb_test_suite(void)
{
    Suite *s = suite_create("figures");
    TCase *tc = tcase_create("figures");

    tcase_add_test(tc, test_quantity_plain_and_approximate);
    tcase_add_test(tc, test_number_format_rounds_and_trims);
    tcase_add_test(tc, test_figure_next_takes_whole_units_and_skips_thresholds);
    tcase_add_test(tc, test_formula_evaluates_and_fails_cleanly);
    tcase_add_test(tc, test_builtin_formulas_and_rules_name_indicators);
    tcase_add_test(tc, test_csv_references_become_markers_and_back);
    suite_add_tcase(s, tc);
    return s;
}
