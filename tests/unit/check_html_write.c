/* check_html_write.c: HTML templates (tmpl_html.c), the page and its
 * fragment (html_write.c), the text (text_write.c) and the format names. */
#define _GNU_SOURCE
#include "testlib.h"

#include "model.h"

#include <stdlib.h>
#include <string.h>

static nb_report *example(nb_diag_list *dl)
{
    nb_report *r = NULL;

    ck_assert_int_eq(nb_report_read(&r, nb_test_src("examples/changshan-2022/report.xml"),
                                    NULL, dl),
                     NB_OK);
    ck_assert_ptr_nonnull(r);
    return r;
}

/* Render 'tmpl' (an HTML template) over the example; the page, NUL-ended
 * (caller frees), or NULL when the render failed. */
static char *page(const char *tmpl, bool fragment, nb_diag_list *dl)
{
    nb_template *t = NULL;
    nb_report *r = example(dl);
    nb_render_opts o = {NB_FORMAT_HTML, fragment};
    void *out = NULL;
    size_t len = 0;
    char *s = NULL;

    ck_assert_int_eq(nb_template_load_memory(&t, tmpl, strlen(tmpl), "t.html",
                                             NULL, dl),
                     NB_OK);
    ck_assert_ptr_nonnull(t);
    ck_assert_int_eq(nb_template_format(t), NB_FORMAT_HTML);
    if (nb_render_memory_opts(&out, &len, t, r, &o, dl) == NB_OK) {
        s = malloc(len + 1);
        memcpy(s, out, len);
        s[len] = '\0';
    }
    nb_free(out);
    nb_template_free(t);
    nb_report_free(r);
    return s;
}

START_TEST(control_lines_vanish)
{
    nb_diag_list *dl = nb_diag_list_new();
    char *s = page("<ul>\n  {{#sections}}\n<li>{{n|cn}}、{{title}}</li>\n"
                   "  {{/sections}}  \n</ul>{{! note }}\n",
                   false, dl);

    ck_assert_ptr_nonnull(s);
    ck_assert_str_eq(s, "<ul>\n"
                        "<li>一、2022年推进法治政府建设的主要举措和成效</li>\n"
                        "<li>二、存在的不足和原因</li>\n"
                        "<li>三、党政主要负责人履行推进法治建设第一责任人职责的情况</li>\n"
                        "<li>四、2023年推进法治政府建设的主要工作安排</li>\n"
                        "</ul>\n");
    free(s);
    nb_diag_list_free(dl);
}
END_TEST

START_TEST(values_escaped)
{
    nb_diag_list *dl = nb_diag_list_new();
    nb_template *t = NULL;
    nb_report *r = example(dl);
    const char *tmpl = "<a title=\"{{meta.issuer}}\">{{meta.issuer}}</a>\n";
    nb_render_opts o = {NB_FORMAT_HTML, false};
    void *out = NULL;
    size_t len = 0;

    /* a value with every character that could end text or an attribute */
    ck_assert_int_eq(nb_report_check(r, NULL, dl), NB_OK);
    r->meta.issuer = "a\"b'c<i onclick=x>&amp;";
    ck_assert_int_eq(nb_template_load_memory(&t, tmpl, strlen(tmpl), "t.html",
                                             NULL, dl),
                     NB_OK);
    ck_assert_int_eq(nb_render_memory_opts(&out, &len, t, r, &o, dl), NB_OK);
    ck_assert_uint_eq(len, strlen(tmpl) + 2 * 42 - 2 * 15);
    ck_assert_int_eq(memcmp(out,
                            "<a title=\"a&quot;b&#39;c&lt;i onclick=x&gt;&amp;amp;\">"
                            "a&quot;b&#39;c&lt;i onclick=x&gt;&amp;amp;</a>\n",
                            len),
                     0);
    nb_free(out);
    nb_template_free(t);
    nb_report_free(r);
    nb_diag_list_free(dl);
}
END_TEST

START_TEST(fragment)
{
    nb_diag_list *dl = nb_diag_list_new();
    char *s = page("<html><body><p>x</p>\n<article class=\"a\"><h1>{{title}}</h1>"
                   "<article>in</article></article>\n<p>y</p></body></html>\n",
                   true, dl);

    ck_assert_ptr_nonnull(s);
    ck_assert_str_eq(s, "<article class=\"a\"><h1>常山县司法局2022年度法治政府建设情况报告"
                        "</h1><article>in</article></article>\n");
    free(s);
    s = page("<html><articles>{{title}}</articles></html>\n", true, dl);
    ck_assert_ptr_null(s);
    NB_ASSERT_HAS_DIAG(dl, NB_RENDER_NO_ARTICLE);
    nb_diag_list_free(dl);
}
END_TEST

START_TEST(bad_templates)
{
    nb_diag_list *dl = nb_diag_list_new();
    nb_template *t = NULL;
    const char bad_utf8[] = "<p>\xC3(</p>\n";
    const char *unclosed = "<p>\n{{#sections}}\n<b>{{title</b>\n";

    ck_assert_int_eq(nb_template_load_memory(&t, bad_utf8, strlen(bad_utf8),
                                             "b.html", NULL, dl),
                     NB_OK);
    ck_assert_ptr_null(t);
    NB_ASSERT_ONE_DIAG(dl, NB_TMPL_HTML_ENCODING, 0);
    nb_diag_list_free(dl);
    dl = nb_diag_list_new();
    ck_assert_int_eq(nb_template_load_memory(&t, unclosed, strlen(unclosed),
                                             "u.html", NULL, dl),
                     NB_OK);
    ck_assert_ptr_null(t);
    NB_ASSERT_HAS_DIAG(dl, NB_TMPL_TAG_UNCLOSED);
    NB_ASSERT_HAS_DIAG(dl, NB_TMPL_SECTION_UNCLOSED);
    nb_diag_list_free(dl);
}
END_TEST

START_TEST(text_and_formats)
{
    nb_diag_list *dl = nb_diag_list_new();
    nb_template *t = NULL;
    nb_report *r = example(dl);
    nb_render_opts o = {NB_FORMAT_TEXT, false};
    nb_format f;
    void *out = NULL;
    size_t len = 0;

    ck_assert_int_eq(nb_template_load_standard(&t, dl), NB_OK);
    ck_assert_int_eq(nb_render_memory_opts(&out, &len, t, r, &o, dl), NB_OK);
    ck_assert_ptr_nonnull(memmem(out, len, "\n一、2022年推进", 17));
    ck_assert_ptr_null(memmem(out, len, "\n\n", 2));
    ck_assert_ptr_null(memmem(out, len, "<", 1));
    nb_free(out);
    o.format = NB_FORMAT_HTML; /* a .docx template writes no HTML */
    ck_assert_int_eq(nb_render_memory_opts(&out, &len, t, r, &o, dl),
                     NB_ERR_FORMAT);
    NB_ASSERT_HAS_DIAG(dl, NB_RENDER_FORMAT);
    ck_assert(nb_format_of_path(&f, "a/B.HTM") && f == NB_FORMAT_HTML);
    ck_assert(nb_format_of_path(&f, "x.pdf") && f == NB_FORMAT_PDF);
    ck_assert(!nb_format_of_path(&f, "x.pdfx"));
    ck_assert(nb_format_lookup(&f, "txt") && f == NB_FORMAT_TEXT);
    ck_assert_str_eq(nb_format_name(NB_FORMAT_DOCX), "docx");
    nb_template_free(t);
    nb_report_free(r);
    nb_diag_list_free(dl);
}
END_TEST

Suite *nb_test_suite(void)
{
    Suite *s = suite_create("html_write");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, control_lines_vanish);
    tcase_add_test(tc, values_escaped);
    tcase_add_test(tc, fragment);
    tcase_add_test(tc, bad_templates);
    tcase_add_test(tc, text_and_formats);
    suite_add_tcase(s, tc);
    return s;
}
