/* check_docx_write.c: templates loaded and rendered end to end
 * (src/lib/docx_write.c, file_io.c) with the built-in standard template. */
#include "testlib.h"
#include "zip_io.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static nb_diag_list *dl;
static nb_report *report;
static nb_template *tmpl;

static void setup(void)
{
    dl = nb_diag_list_new();
    ck_assert_int_eq(
        nb_report_read_xml(&report,
                           nb_test_src("examples/jiangbei-2021/report.xml"),
                           NULL, dl),
        NB_OK);
    ck_assert_ptr_nonnull(report);
    ck_assert_int_eq(nb_template_load_standard(&tmpl, dl), NB_OK);
    ck_assert_ptr_nonnull(tmpl);
}

static void teardown(void)
{
    nb_template_free(tmpl);
    nb_report_free(report);
    nb_diag_list_free(dl);
}

START_TEST(test_render_is_deterministic)
{
    void *a = NULL;
    void *b = NULL;
    size_t la;
    size_t lb;

    ck_assert_int_eq(nb_render_memory(&a, &la, tmpl, report, dl), NB_OK);
    ck_assert_int_eq(nb_render_memory(&b, &lb, tmpl, report, dl), NB_OK);
    ck_assert_uint_eq(la, lb);
    ck_assert_int_eq(memcmp(a, b, la), 0);
    ck_assert_uint_eq(nb_diag_list_count(dl), 0);
    nb_free(a);
    nb_free(b);
}
END_TEST

START_TEST(test_render_keeps_template_parts_and_order)
{
    void *out = NULL;
    size_t len;
    nb_zip_entry *e = NULL;
    size_t n = 0;
    size_t i;
    nb_limits lim = nb_limits_resolve(NULL);
    const char *doc = NULL;

    ck_assert_int_eq(nb_render_memory(&out, &len, tmpl, report, dl), NB_OK);
    ck_assert_int_eq(nb_zip_read_all(&e, &n, out, len, "o", &lim, dl), NB_OK);
    ck_assert_str_eq(e[0].name, "[Content_Types].xml");
    for (i = 0; i < n; i++)
        if (strcmp(e[i].name, "word/document.xml") == 0)
            doc = (const char *)e[i].data;
    ck_assert_ptr_nonnull(doc);
    /* the title in two lines (GB/T 9704-2012 7.3.1), after the year */
    ck_assert_ptr_nonnull(strstr(doc, "江北区司法局2021年度</w:t>"));
    ck_assert_ptr_nonnull(strstr(doc, "<w:br/>"));
    ck_assert_ptr_nonnull(strstr(doc, ">法治政府建设情况报告</w:t>"));
    ck_assert_ptr_nonnull(strstr(doc, "（一）坚持党的全面领导"));
    ck_assert_ptr_null(strstr(doc, "{{"));
    nb_zip_entries_free(e, n);
    nb_free(out);
}
END_TEST

START_TEST(test_render_file_to_missing_folder_leaves_nothing)
{
    ck_assert_int_eq(
        nb_render_file("/nonexistent-dir/out.docx", tmpl, report, dl),
        NB_ERR_IO);
    NB_ASSERT_ONE_DIAG(dl, NB_IO_WRITE, 0);
}
END_TEST

START_TEST(test_render_file_is_atomic_and_complete)
{
    char dir[] = "/tmp/nbtestXXXXXX";
    char path[256];
    void *mem = NULL;
    size_t len;
    FILE *f;
    char *back;
    long size;

    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/out.docx", dir);
    ck_assert_int_eq(nb_render_file(path, tmpl, report, dl), NB_OK);
    ck_assert_int_eq(nb_render_memory(&mem, &len, tmpl, report, dl), NB_OK);
    f = fopen(path, "rb");
    ck_assert_ptr_nonnull(f);
    fseek(f, 0, SEEK_END);
    size = ftell(f);
    rewind(f);
    ck_assert_uint_eq((size_t)size, len);
    back = malloc(len);
    ck_assert_uint_eq(fread(back, 1, len, f), len);
    fclose(f);
    ck_assert_int_eq(memcmp(back, mem, len), 0);
    free(back);
    nb_free(mem);
    unlink(path);
    ck_assert_int_eq(rmdir(dir), 0); /* no temporary file left beside it */
}
END_TEST

START_TEST(test_template_not_a_docx)
{
    nb_template *t = NULL;

    ck_assert_int_eq(nb_template_load_memory(&t, "hello", 5, "x.docx", NULL,
                                             dl),
                     NB_ERR_FORMAT);
    ck_assert_ptr_null(t);
    NB_ASSERT_ONE_DIAG(dl, NB_ZIP_CORRUPT, 0);
}
END_TEST

Suite *nb_test_suite(void)
{
    Suite *s = suite_create("docx_write");
    TCase *tc = tcase_create("render");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_render_is_deterministic);
    tcase_add_test(tc, test_render_keeps_template_parts_and_order);
    tcase_add_test(tc, test_render_file_to_missing_folder_leaves_nothing);
    tcase_add_test(tc, test_render_file_is_atomic_and_complete);
    tcase_add_test(tc, test_template_not_a_docx);
    suite_add_tcase(s, tc);
    return s;
}
