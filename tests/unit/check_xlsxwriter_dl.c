/* check_xlsxwriter_dl.c: libxlsxwriter loaded when a workbook is written
 * (src/lib/xlsxwriter_dl.c): the real one resolves every function, and a
 * library that is not there is a located finding (NB9060) with dlerror's
 * words, never a crash. */
#include "testlib.h"

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

/* the loader under test, built here a second time to load a library that
 * does not exist */
#define NB_LXW_SONAME "libnianbao-absent-xlsxwriter.so.0"
#define nb_lxw_load absent_lxw_load
#include "xlsxwriter_dl.c"
#undef nb_lxw_load

static nb_diag_list *dl;

static void setup(void)
{
    dl = nb_diag_list_new();
}

static void teardown(void)
{
    nb_diag_list_free(dl);
}

START_TEST(test_lxw_absent_library_is_a_finding)
{
    const nb_diag *d;

    ck_assert_ptr_null(absent_lxw_load("out.xlsx", dl));
    /* asked again: the same answer, without loading again */
    ck_assert_ptr_null(absent_lxw_load("out.xlsx", dl));
    ck_assert_uint_eq(nb_diag_list_count(dl), 2);
    d = nb_diag_list_at(dl, 0);
    ck_assert_int_eq(d->code, NB_XLSXWRITER_MISSING);
    ck_assert_str_eq(d->loc.file, "out.xlsx");
    ck_assert_ptr_nonnull(strstr(d->msg, "libnianbao-absent-xlsxwriter.so.0"));
    ck_assert_ptr_nonnull(strstr(d->msg, "libxlsxwriter4"));
}
END_TEST

START_TEST(test_lxw_real_library_writes_a_workbook)
{
    char path[] = "/tmp/nb-lxw-XXXXXX";
    int fd = mkstemp(path);
    char head[4] = {0};

    ck_assert_int_ge(fd, 0);
    close(fd);
    /* the blank form set, through the library loaded on demand: a zip */
    ck_assert_int_eq(nb_forms_init_xlsx(path, "某某县司法局", 2023, dl), NB_OK);
    ck_assert_uint_eq(nb_diag_list_count(dl), 0);
    fd = open(path, O_RDONLY);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(read(fd, head, 4), 4);
    ck_assert_int_eq(memcmp(head, "PK\3\4", 4), 0);
    close(fd);
    unlink(path);
}
END_TEST

Suite *nb_test_suite(void)
{
    Suite *s = suite_create("xlsxwriter_dl");
    TCase *tc = tcase_create("load");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_lxw_absent_library_is_a_finding);
    tcase_add_test(tc, test_lxw_real_library_writes_a_workbook);
    suite_add_tcase(s, tc);
    return s;
}
