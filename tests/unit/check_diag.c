/* check_diag.c: the diagnostics list and the code table (src/lib/diag.c). */
#include "internal.h"
#include "testlib.h"

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

START_TEST(test_diag_add_takes_severity_from_table)
{
    nb_loc loc = {"a.xml", 3, 7, NULL};

    nb_diag_add(dl, NB_XML_MALFORMED, &loc, "bad %s", "thing");
    nb_diag_add(dl, NB_TMPL_FILTER_INPUT, &loc, "soft");
    ck_assert_uint_eq(nb_diag_list_count(dl), 2);
    ck_assert_int_eq(nb_diag_list_at(dl, 0)->sev, NB_SEV_ERROR);
    ck_assert_int_eq(nb_diag_list_at(dl, 1)->sev, NB_SEV_WARNING);
    ck_assert_str_eq(nb_diag_list_at(dl, 0)->msg, "bad thing");
    ck_assert_uint_eq(nb_diag_list_count_sev(dl, NB_SEV_ERROR), 1);
    ck_assert_uint_eq(nb_diag_list_count_sev(dl, NB_SEV_WARNING), 1);
}
END_TEST

START_TEST(test_diag_copies_file_names)
{
    char name[16];
    nb_loc loc = {name, 1, 0, NULL};

    strcpy(name, "first.xml");
    nb_diag_add(dl, NB_XML_MALFORMED, &loc, "x");
    strcpy(name, "other.xml");
    ck_assert_str_eq(nb_diag_list_at(dl, 0)->loc.file, "first.xml");
}
END_TEST

START_TEST(test_diag_message_is_one_line)
{
    nb_loc loc = {"a", 1, 0, NULL};

    nb_diag_add(dl, NB_XML_MALFORMED, &loc, "two\nlines\r");
    ck_assert_str_eq(nb_diag_list_at(dl, 0)->msg, "two lines ");
}
END_TEST

START_TEST(test_diag_sort_by_file_line_col_then_order)
{
    nb_loc l1 = {"b.xml", 2, 1, NULL};
    nb_loc l2 = {"a.xml", 9, 1, NULL};
    nb_loc l3 = {"b.xml", 1, 5, NULL};
    nb_loc l4 = {"b.xml", 1, 5, NULL};

    nb_diag_add(dl, NB_XML_MALFORMED, &l1, "1");
    nb_diag_add(dl, NB_XML_MALFORMED, &l2, "2");
    nb_diag_add(dl, NB_XML_MALFORMED, &l3, "3");
    nb_diag_add(dl, NB_XML_MALFORMED, &l4, "4");
    nb_diag_list_sort(dl);
    ck_assert_str_eq(nb_diag_list_at(dl, 0)->msg, "2");
    ck_assert_str_eq(nb_diag_list_at(dl, 1)->msg, "3");
    ck_assert_str_eq(nb_diag_list_at(dl, 2)->msg, "4");
    ck_assert_str_eq(nb_diag_list_at(dl, 3)->msg, "1");
}
END_TEST

START_TEST(test_diag_cap_counts_dropped_entries)
{
    nb_loc loc = {"a", 1, 0, NULL};
    int i;

    nb_diag_list_set_cap(dl, 3);
    for (i = 0; i < 10; i++)
        nb_diag_add(dl, NB_XML_MALFORMED, &loc, "%d", i);
    ck_assert_uint_eq(nb_diag_list_count(dl), 3);
    ck_assert_uint_eq(nb_diag_list_dropped(dl), 7);
    ck_assert_uint_eq(nb_diag_list_count_sev(dl, NB_SEV_ERROR), 10);
}
END_TEST

START_TEST(test_code_table_lookups)
{
    ck_assert_str_eq(nb_code_id(NB_XML_MALFORMED), "NB2001");
    ck_assert_str_eq(nb_code_name(NB_XSD_INVALID), "XSD_INVALID");
    ck_assert_int_eq(nb_code_parse("NB4001"), NB_XSD_INVALID);
    ck_assert_int_eq(nb_code_parse("nb6003"), NB_TMPL_SECTION_UNCLOSED);
    ck_assert_int_eq(nb_code_parse("2001"), NB_XML_MALFORMED);
    ck_assert_int_eq(nb_code_parse("NB9999"), NB_CODE_NONE);
    ck_assert_int_eq(nb_code_parse("NB20x1"), NB_CODE_NONE);
    ck_assert_str_eq(nb_code_id((nb_code)1234), "NB0000");
    ck_assert_ptr_null(nb_code_name((nb_code)1234));
}
END_TEST

static void count_code(nb_code code, void *payload)
{
    (void)code;
    (*(int *)payload)++;
}

START_TEST(test_code_foreach_visits_every_code_once)
{
    int n = 0;

    nb_code_foreach(count_code, &n);
    ck_assert_int_ge(n, 20);
}
END_TEST

START_TEST(test_diag_free_null_is_noop)
{
    nb_diag_list_free(NULL);
}
END_TEST

/* Every code says what the user can do: a text of its own, with a verb
 * of action in it (a retired code points to the one that replaced it). */
static void has_help(nb_code code, void *payload)
{
    static const char *const verbs[] = {
        "add",   "ask",    "check",   "close",  "correct", "delete",
        "fill",  "fix",    "give",    "keep",   "move",    "name",
        "nest",  "open",   "put",     "reinstall", "remove", "rename",
        "reorder", "replace", "save", "split",  "title",   "use",
        "write", "zip",    "change",  "acknowledge", "see"};
    const char *help = nb_code_help(code);
    size_t *n = payload;
    size_t i;
    bool found = false;

    ck_assert_msg(help != NULL && help[0] != '\0', "%s has no help",
                  nb_code_id(code));
    ck_assert_msg(strcmp(help, nb_code_summary(code)) != 0,
                  "%s: the help repeats the summary", nb_code_id(code));
    for (i = 0; i < sizeof(verbs) / sizeof(verbs[0]) && !found; i++) {
        const char *p = help;
        size_t len = strlen(verbs[i]);

        for (; *p != '\0' && !found; p++)
            found = (p == help || p[-1] == ' ' || p[-1] == '(') &&
                    (strncmp(p, verbs[i], len) == 0 ||
                     (p[0] == verbs[i][0] - 32 &&
                      strncmp(p + 1, verbs[i] + 1, len - 1) == 0)) &&
                    (p[len] == ' ' || p[len] == ',' || p[len] == '\0' ||
                     p[len] == ':');
    }
    ck_assert_msg(found, "%s: the help names no action: %s", nb_code_id(code),
                  help);
    (*n)++;
}

START_TEST(test_every_code_says_what_to_do)
{
    size_t n = 0;

    nb_code_foreach(has_help, &n);
    ck_assert_uint_ge(n, 100);
    ck_assert_ptr_null(nb_code_help((nb_code)1));
    ck_assert_ptr_nonnull(strstr(nb_code_help(NB_RULE_SECTION_MISSING),
                                 "<profile>work-summary</profile>"));
    ck_assert_ptr_nonnull(
        strstr(nb_code_help(NB_RULE_SECTION_MISSING), "工作总结"));
}
END_TEST

Suite *nb_test_suite(void)
{
    Suite *s = suite_create("diag");
    TCase *tc = tcase_create("list");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_diag_add_takes_severity_from_table);
    tcase_add_test(tc, test_diag_copies_file_names);
    tcase_add_test(tc, test_diag_message_is_one_line);
    tcase_add_test(tc, test_diag_sort_by_file_line_col_then_order);
    tcase_add_test(tc, test_diag_cap_counts_dropped_entries);
    tcase_add_test(tc, test_code_table_lookups);
    tcase_add_test(tc, test_code_foreach_visits_every_code_once);
    tcase_add_test(tc, test_diag_free_null_is_noop);
    tcase_add_test(tc, test_every_code_says_what_to_do);
    suite_add_tcase(s, tc);
    return s;
}
