/* check_form.c: form schemas and cell values (src/lib/form.c): the three
 * built-in Table Schemas load, numbers and dates are read the ways Excel,
 * WPS and Chinese input methods write them, forms are known by name. */
#include "form.h"
#include "testlib.h"

#include <string.h>

static const struct {
    const char *in;
    const char *out; /* NULL: not a number */
    bool percent;
    bool sci;
} numbers[] = {
    {"130", "130", false, false},
    {" 20.5 ", "20.5", false, false},
    {"1,234", "1234", false, false},
    {"1,234,567.25", "1234567.25", false, false},
    {"-3", "-3", false, false},
    {"+7", "+7", false, false},
    {"98%", "98", true, false},
    {"１２３", "123", false, false},      /* full-width digits */
    {"３．５％", "3.5", true, false},     /* full-width point and percent */
    {"1.2E+07", NULL, false, true},       /* Excel's display of wide numbers */
    {"12件", NULL, false, false},
    {"1,23", NULL, false, false},         /* not a thousands grouping */
    {"12,3456", NULL, false, false},
    {"1.2.3", NULL, false, false},
    {"", NULL, false, false},
    {"五十九", NULL, false, false},
    {"5.", "5.", false, false},        /* xs:decimal allows both */
    {".5", ".5", false, false},
    {".", NULL, false, false},
};

START_TEST(test_number_norm)
{
    char out[64];
    bool pct = false;
    bool sci = false;
    bool ok = nb_number_norm(out, sizeof(out), numbers[_i].in, &pct, &sci);

    ck_assert_msg(ok == (numbers[_i].out != NULL), "'%s'", numbers[_i].in);
    if (ok) {
        ck_assert_str_eq(out, numbers[_i].out);
        ck_assert_int_eq(pct, numbers[_i].percent);
    }
    ck_assert_int_eq(sci, numbers[_i].sci);
}
END_TEST

static const struct {
    const char *in;
    const char *out;
} dates[] = {
    {"2023-02-08", "2023-02-08"}, {"2023/2/8", "2023-02-08"},
    {"2023.2.8", "2023-02-08"},   {"2023年2月8日", "2023-02-08"},
    {" 2024/2/29 ", "2024-02-29"}, {"2023-02-29", NULL},
    {"2023-13-01", NULL},         {"2023/2", NULL},
    {"23/2/8", NULL},             {"2023年2月8", NULL},
    {"2023-02-08x", NULL},
};

START_TEST(test_date_norm)
{
    char out[16];
    bool ok = nb_date_norm(out, sizeof(out), dates[_i].in);

    ck_assert_msg(ok == (dates[_i].out != NULL), "'%s'", dates[_i].in);
    if (ok)
        ck_assert_str_eq(out, dates[_i].out);
}
END_TEST

START_TEST(test_form_schemas_load)
{
    static const size_t n_fields[NB_N_FORMS] = {2, 8, 9};
    nb_diag_list *dl = nb_diag_list_new();
    nb_form_schema *s = NULL;

    ck_assert_int_eq(nb_form_schema_load(&s, (nb_form_id)_i, dl), NB_OK);
    ck_assert_ptr_nonnull(s);
    ck_assert_uint_eq(s->n_fields, n_fields[_i]);
    ck_assert_uint_eq(nb_diag_list_count(dl), 0);
    nb_form_schema_free(s);
    nb_diag_list_free(dl);
}
END_TEST

START_TEST(test_form_enum_labels_map_to_codes)
{
    nb_diag_list *dl = nb_diag_list_new();
    nb_form_schema *s = NULL;
    const nb_field *f;
    size_t i;

    ck_assert_int_eq(nb_form_schema_load(&s, NB_FORM_NARRATIVE, dl), NB_OK);
    f = &s->fields[0];
    ck_assert_str_eq(f->name, "section");
    ck_assert_str_eq(f->title, "部分");
    for (i = 0; i < f->n_enum; i++)
        if (strcmp(f->enum_vals[i], "第一责任人") == 0)
            break;
    ck_assert_uint_lt(i, f->n_enum);
    ck_assert_str_eq(f->enum_codes[i], "duties");
    nb_form_schema_free(s);
    nb_diag_list_free(dl);
}
END_TEST

START_TEST(test_form_by_filename)
{
    ck_assert_int_eq(nb_form_by_filename("meta.csv"), NB_FORM_META);
    ck_assert_int_eq(nb_form_by_filename("METRICS.CSV"), NB_FORM_METRICS);
    ck_assert_int_eq(nb_form_by_filename("正文.csv"), NB_FORM_NARRATIVE);
    ck_assert_int_eq(nb_form_by_filename("指标.csv"), NB_FORM_METRICS);
    ck_assert_int_eq(nb_form_by_filename("notes.csv"), -1);
}
END_TEST

Suite *nb_test_suite(void)
{
    Suite *s = suite_create("form");
    TCase *tc = tcase_create("form");

    tcase_add_loop_test(tc, test_number_norm, 0,
                        sizeof(numbers) / sizeof(numbers[0]));
    tcase_add_loop_test(tc, test_date_norm, 0,
                        sizeof(dates) / sizeof(dates[0]));
    tcase_add_loop_test(tc, test_form_schemas_load, 0, NB_N_FORMS);
    tcase_add_test(tc, test_form_enum_labels_map_to_codes);
    tcase_add_test(tc, test_form_by_filename);
    suite_add_tcase(s, tc);
    return s;
}
