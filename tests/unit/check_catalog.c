/* check_catalog.c: names, aliases, accepted units and search in the
 * indicator catalog (src/lib/catalog.c, catalog_load.c). */
#include "testlib.h"

#include "catalog.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const nb_indicator *by_name(const nb_catalog *c, const char *name)
{
    return nb_catalog_lookup_name(c, name, strlen(name));
}

START_TEST(test_lookup_name_matches_names_and_aliases)
{
    ck_assert_str_eq(by_name(NULL, "行政复议纠错率")->code,
                     "fy_correction_rate");
    ck_assert_str_eq(by_name(NULL, "直接纠错率")->code, "fy_correction_rate");
    ck_assert_str_eq(by_name(NULL, "调处成功率")->code, "tj_success_rate");
    ck_assert_str_eq(by_name(NULL, "协调化解率")->code, "fy_mediated_rate");
    ck_assert_str_eq(by_name(NULL, "撤诉率")->code, "ys_withdrawal_rate");
    ck_assert_str_eq(by_name(NULL, "执法培训")->code, "zf_training");
    ck_assert_str_eq(by_name(NULL, "依申请公开")->code, "xxgk_requests");
    /* whole names only: a part of a name or an alias is no match */
    ck_assert_ptr_null(by_name(NULL, "纠错"));
    ck_assert_ptr_null(by_name(NULL, "直接纠错率率"));
    ck_assert_ptr_null(by_name(NULL, ""));
    ck_assert_ptr_null(nb_catalog_lookup_name(NULL, "直接纠错率", 6));
}
END_TEST

START_TEST(test_aliases_are_listed_one_by_one)
{
    const nb_indicator *ind = nb_indicator_find("fy_correction_rate");
    size_t len;
    const char *a;

    ck_assert_uint_eq(nb_indicator_alias_count(ind), 3);
    a = nb_indicator_alias_at(ind, 0, &len);
    ck_assert_int_eq((int)len, (int)strlen("直接纠错率"));
    ck_assert(memcmp(a, "直接纠错率", len) == 0);
    a = nb_indicator_alias_at(ind, 2, &len);
    ck_assert(len == strlen("纠错率") && memcmp(a, "纠错率", len) == 0);
    ck_assert_ptr_null(nb_indicator_alias_at(ind, 3, &len));
    ck_assert_uint_eq(len, 0);
    ind = nb_indicator_find("fy_void");
    ck_assert_uint_eq(nb_indicator_alias_count(ind), 0);
    ck_assert_ptr_null(nb_indicator_alias_at(ind, 0, &len));
}
END_TEST

START_TEST(test_unit_ok_accepts_alternatives_only)
{
    const nb_indicator *files = nb_indicator_find("zf_files_reviewed");
    const nb_indicator *rate = nb_indicator_find("zf_cert_rate");

    ck_assert(nb_indicator_unit_ok(files, "卷"));
    ck_assert(nb_indicator_unit_ok(files, "本"));
    ck_assert(!nb_indicator_unit_ok(files, "人"));
    ck_assert(!nb_indicator_unit_ok(files, "本件"));
    ck_assert(nb_indicator_unit_ok(rate, "%"));
    ck_assert(nb_indicator_unit_ok(rate, "％"));
    ck_assert(!nb_indicator_unit_ok(files, "%"));
    ck_assert(nb_indicator_unit_ok(nb_indicator_find("tj_mediators"), "人"));
}
END_TEST

START_TEST(test_search_substring_over_names_aliases_codes)
{
    size_t pos = 0;
    size_t n = 0;
    bool corr = false;
    const nb_indicator *ind;

    while ((ind = nb_catalog_search(NULL, "复议", &pos)) != NULL) {
        n++;
        ck_assert_str_eq(ind->group, "行政复议");
        corr = corr || strcmp(ind->code, "fy_correction_rate") == 0;
    }
    ck_assert_uint_ge(n, 15);
    ck_assert(corr);
    /* an alias alone finds it; ASCII in either case */
    pos = 0;
    ck_assert_str_eq(nb_catalog_search(NULL, "调处成功率", &pos)->code,
                     "tj_success_rate");
    ck_assert_ptr_null(nb_catalog_search(NULL, "调处成功率", &pos));
    pos = 0;
    ck_assert_str_eq(nb_catalog_search(NULL, "YS_LOSS", &pos)->code,
                     "ys_loss_rate");
    pos = 0;
    ck_assert_ptr_null(nb_catalog_search(NULL, "不存在的指标", &pos));
    pos = 0;
    n = 0;
    while (nb_catalog_search(NULL, "", &pos) != NULL)
        n++;
    ck_assert_uint_eq(n, nb_catalog_count(NULL));
}
END_TEST

START_TEST(test_builtin_names_and_aliases_are_unique)
{
    size_t n = nb_catalog_count(NULL);
    size_t i;

    for (i = 0; i < n; i++) {
        const nb_indicator *ind = nb_catalog_at(NULL, i);
        size_t k;

        ck_assert_ptr_eq(by_name(NULL, ind->name), ind);
        for (k = 0; k < nb_indicator_alias_count(ind); k++) {
            size_t len;
            const char *a = nb_indicator_alias_at(ind, k, &len);

            ck_assert_ptr_eq(nb_catalog_lookup_name(NULL, a, len), ind);
        }
    }
}
END_TEST

START_TEST(test_suggest_name_for_a_near_chinese_name)
{
    static const struct {
        const char *typed;
        const char *code;
    } near[] = {{"人民调解卷宗", "tj_cases"},
                {"行政复议纠错比率", "fy_correction_rate"},
                {"调处成功", "tj_success"},
                {"法律援助案件数量", "la_cases"}};
    size_t i;

    for (i = 0; i < sizeof(near) / sizeof(near[0]); i++) {
        const nb_indicator *ind = nb_catalog_suggest_name(
            NULL, near[i].typed, strlen(near[i].typed));

        ck_assert_msg(ind != NULL, "%s", near[i].typed);
        ck_assert_str_eq(ind->code, near[i].code);
    }
    ck_assert_ptr_null(nb_catalog_suggest_name(NULL, "天气", 6));
    ck_assert_ptr_null(nb_catalog_suggest_name(NULL, "", 0));
    ck_assert_ptr_null(nb_catalog_suggest_name(NULL, "\xff\xfe", 2));
}
END_TEST

/* A local catalog in a temporary file; the caller frees the catalog. */
static nb_catalog *load_local(const char *body, nb_diag_list *dl)
{
    char path[] = "/tmp/nbcatXXXXXX";
    int fd = mkstemp(path);
    FILE *f;
    nb_catalog *c = NULL;

    ck_assert_int_ge(fd, 0);
    f = fdopen(fd, "w");
    ck_assert_ptr_nonnull(f);
    fprintf(f, "<?xml version=\"1.0\"?>\n<indicators "
               "xmlns=\"urn:nianbao:indicators:1\" version=\"1\">\n%s"
               "</indicators>\n",
            body);
    fclose(f);
    ck_assert_int_eq(nb_catalog_load(&c, path, dl), NB_OK);
    unlink(path);
    return c;
}

START_TEST(test_local_aliases_and_units)
{
    nb_diag_list *dl = nb_diag_list_new();
    nb_catalog *c = load_local(
        "<indicator code=\"mm_hot\" type=\"count\" unit=\"件\" "
        "name=\"12345热线法律咨询\" aliases=\"热线咨询 热线来电\" "
        "units=\"人次 个\"/>\n",
        dl);

    ck_assert_ptr_nonnull(c);
    ck_assert_uint_eq(nb_diag_list_count(dl), 0);
    ck_assert_str_eq(by_name(c, "热线来电")->code, "mm_hot");
    ck_assert_str_eq(by_name(c, "直接纠错率")->code, "fy_correction_rate");
    ck_assert(nb_indicator_unit_ok(nb_catalog_find(c, "mm_hot"), "人次"));
    nb_catalog_free(c);
    nb_diag_list_free(dl);
}
END_TEST

START_TEST(test_local_alias_collision_is_an_error)
{
    nb_diag_list *dl = nb_diag_list_new();
    nb_catalog *c = load_local(
        "<indicator code=\"mm_a\" type=\"count\" unit=\"件\" name=\"甲\" "
        "aliases=\"调处成功率\"/>\n"
        "<indicator code=\"mm_b\" type=\"count\" unit=\"件\" name=\"乙\" "
        "aliases=\"丙\"/>\n"
        "<indicator code=\"mm_c\" type=\"count\" unit=\"件\" name=\"丙\"/>\n",
        dl);

    ck_assert_ptr_null(c);
    ck_assert_uint_eq(nb_diag_list_count(dl), 2);
    ck_assert_int_eq(nb_diag_list_at(dl, 0)->code, NB_CATALOG_COLLISION);
    ck_assert(strstr(nb_diag_list_at(dl, 0)->msg, "tj_success_rate") != NULL);
    ck_assert(strstr(nb_diag_list_at(dl, 1)->msg, "'mm_b'") != NULL);
    nb_diag_list_free(dl);
}
END_TEST

Suite *nb_test_suite(void)
{
    Suite *s = suite_create("catalog");
    TCase *tc = tcase_create("names");

    tcase_add_test(tc, test_lookup_name_matches_names_and_aliases);
    tcase_add_test(tc, test_aliases_are_listed_one_by_one);
    tcase_add_test(tc, test_unit_ok_accepts_alternatives_only);
    tcase_add_test(tc, test_search_substring_over_names_aliases_codes);
    tcase_add_test(tc, test_builtin_names_and_aliases_are_unique);
    tcase_add_test(tc, test_local_aliases_and_units);
    tcase_add_test(tc, test_suggest_name_for_a_near_chinese_name);
    tcase_add_test(tc, test_local_alias_collision_is_an_error);
    suite_add_tcase(s, tc);
    return s;
}
