/* check_tmpl.c: template compilation and evaluation (src/lib/tmpl_parse.c,
 * tmpl_eval.c, view.c). Templates are built in memory from XML strings. */
#include "model.h"
#include "testlib.h"
#include "tmpl.h"
#include "value.h"
#include "zip_io.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define W                                                                      \
    "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/"            \
    "2006/main\""
#define CT                                                                     \
    "<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/" \
    "package/2006/content-types\"/>"
#define P(text) "<w:p><w:r><w:t>" text "</w:t></w:r></w:p>"
#define TBL(rows) "<w:tbl><w:tblPr/><w:tblGrid/>" rows "</w:tbl>"
#define TR(cells) "<w:tr>" cells "</w:tr>"
#define TC(paras) "<w:tc>" paras "</w:tc>"
/* a rendered cell of one paragraph holding 'text' */
#define OUT_TC(text)                                                           \
    "<w:tc><w:p><w:r><w:t xml:space=\"preserve\">" text                        \
    "</w:t></w:r></w:p></w:tc>"

static nb_diag_list *dl;
static nb_report *report;

static const char report_xml[] =
    "<report xmlns=\"urn:nianbao:report:1\" version=\"1\">"
    "<meta><issuer>A&amp;B司法局</issuer><year>2022</year>"
    "<date>2023-02-08</date></meta>"
    "<section kind=\"measures\"><title>举措</title>"
    "<area layout=\"run-in\"><title>甲</title>"
    "<item><lead>一</lead><text>x</text></item>"
    "<item><lead>二</lead><text>y</text></item></area>"
    "<area><title>乙</title><p>段</p></area></section>"
    "<section kind=\"plans\"/></report>";

static void setup(void)
{
    dl = nb_diag_list_new();
    ck_assert_int_eq(nb_report_read_xml_memory(&report, report_xml,
                                               strlen(report_xml), "r.xml",
                                               NULL, dl),
                     NB_OK);
    ck_assert_ptr_nonnull(report);
}

static void teardown(void)
{
    nb_report_free(report);
    nb_diag_list_free(dl);
}

/* A .docx in memory whose body is 'body'. Caller frees with nb_free. */
static void *make_docx(const char *body, size_t *len)
{
    nb_zip_writer *w = NULL;
    char *doc;
    void *out = NULL;
    size_t n = strlen(body) + 256;

    doc = malloc(n);
    ck_assert_ptr_nonnull(doc);
    snprintf(doc, n, "<w:document " W "><w:body>%s</w:body></w:document>",
             body);
    ck_assert_int_eq(nb_zip_writer_new(&w, dl), NB_OK);
    nb_zip_writer_add(w, "[Content_Types].xml", CT, strlen(CT), false);
    nb_zip_writer_add(w, "word/document.xml", doc, strlen(doc), true);
    ck_assert_int_eq(nb_zip_writer_finish(w, &out, len), NB_OK);
    return out;
}

/* Render 'body' with the test report; returns word/document.xml (free),
 * or NULL when the template did not load. */
static char *render_body(const char *body)
{
    size_t len;
    void *docx = make_docx(body, &len);
    nb_template *t = NULL;
    void *out = NULL;
    size_t out_len;
    nb_zip_entry *e = NULL;
    size_t n_e = 0;
    nb_limits lim = nb_limits_resolve(NULL);
    char *doc = NULL;
    size_t i;

    ck_assert_int_eq(nb_template_load_memory(&t, docx, len, "t.docx", NULL, dl),
                     NB_OK);
    nb_free(docx);
    if (t == NULL)
        return NULL;
    ck_assert_int_eq(nb_render_memory(&out, &out_len, t, report, dl), NB_OK);
    ck_assert_int_eq(nb_zip_read_all(&e, &n_e, out, out_len, "o", &lim, dl),
                     NB_OK);
    for (i = 0; i < n_e; i++)
        if (strcmp(e[i].name, "word/document.xml") == 0)
            doc = strdup((const char *)e[i].data);
    nb_zip_entries_free(e, n_e);
    nb_free(out);
    nb_template_free(t);
    ck_assert_ptr_nonnull(doc);
    return doc;
}

#define ASSERT_HAS(hay, needle)                                                \
    ck_assert_msg(strstr((hay), (needle)) != NULL, "'%s' not in '%s'",         \
                  (needle), (hay))
#define ASSERT_LACKS(hay, needle)                                              \
    ck_assert_msg(strstr((hay), (needle)) == NULL, "'%s' in '%s'", (needle),   \
                  (hay))

START_TEST(test_tag_split_over_runs_is_joined_into_first_run)
{
    char *doc = render_body(
        "<w:p><w:r><w:rPr><w:b/></w:rPr><w:t>[{</w:t></w:r><w:proofErr "
        "w:type=\"spellStart\"/><w:r><w:t>{ meta.is</w:t></w:r>"
        "<w:proofErr w:type=\"spellEnd\"/><w:r><w:rPr><w:i/></w:rPr>"
        "<w:t>suer }</w:t></w:r><w:r><w:t>}]</w:t></w:r></w:p>");

    ASSERT_HAS(doc, "<w:rPr><w:b/></w:rPr><w:t xml:space=\"preserve\">"
                    "[A&amp;B司法局</w:t>");
    ASSERT_HAS(doc, "<w:rPr><w:i/></w:rPr><w:t/>");
    ASSERT_HAS(doc, "<w:t>]</w:t>");
    ASSERT_LACKS(doc, "{{");
    free(doc);
}
END_TEST

START_TEST(test_paragraph_section_repeats_and_leaves_no_paragraph)
{
    char *doc = render_body(P("{{#sections}}") P("{{n|cn}}、{{title}}")
                                P("{{/sections}}") P("end"));

    ASSERT_HAS(doc, "<w:p><w:r><w:t xml:space=\"preserve\">一、举措</w:t>"
                    "</w:r></w:p><w:p><w:r><w:t xml:space=\"preserve\">"
                    "二、2023年度推进法治政府建设的主要安排</w:t></w:r></w:p>"
                    "<w:p><w:r><w:t>end</w:t></w:r></w:p>");
    ASSERT_LACKS(doc, "sections");
    free(doc);
}
END_TEST

START_TEST(test_inline_section_repeats_text_in_paragraph)
{
    char *doc = render_body(
        P("{{#sections}}") P("{{#areas}}{{#run_in}}({{n|cn}}){{title}}。"
                             "{{#items}}{{n|cn}}是{{lead}}。{{text}}{{/items}}"
                             "{{/run_in}}{{/areas}}") P("{{/sections}}"));

    ASSERT_HAS(doc, "(一)甲。一是一。x二是二。y");
    ASSERT_LACKS(doc, "(二)乙");
    free(doc);
}
END_TEST

START_TEST(test_inverted_dot_and_missing_values)
{
    char *doc = render_body(P("{{^meta.addressee}}none{{/meta.addressee}}|"
                              "{{#meta.date}}[{{.}}]{{/meta.date}}|"
                              "{{no.such.path}}|{{meta.date|cn_date}}"));

    ASSERT_HAS(doc, "none|[2023-02-08]||2023年2月8日");
    free(doc);
}
END_TEST

START_TEST(test_template_errors_all_reported)
{
    char *doc = render_body(P("{{#sections}}") P("{{title|nofilter}}") P(
        "{{/areas}}") P("{{a..b}}") P("{{#x}} and {{/x}") P("text"));
    ck_assert_ptr_null(doc);
    NB_ASSERT_HAS_DIAG(dl, NB_TMPL_FILTER_UNKNOWN);
    NB_ASSERT_HAS_DIAG(dl, NB_TMPL_SECTION_MISMATCH);
    NB_ASSERT_HAS_DIAG(dl, NB_TMPL_TAG_SYNTAX);
    NB_ASSERT_HAS_DIAG(dl, NB_TMPL_TAG_UNCLOSED);
    NB_ASSERT_HAS_DIAG(dl, NB_TMPL_SECTION_UNCLOSED);
}
END_TEST

START_TEST(test_section_levels_must_match)
{
    char *doc = render_body(P("{{#sections}}") P("x {{/sections}}"));

    ck_assert_ptr_null(doc);
    NB_ASSERT_HAS_DIAG(dl, NB_TMPL_SECTION_LEVEL);
}
END_TEST

START_TEST(test_control_rows_repeat_the_rows_between)
{
    char *doc = render_body(
        TBL(TR(TC(P("head"))) TR(TC(P("{{#sections}}")) TC("<w:p/>"))
                TR(TC(P("{{n}}")) TC(P("{{title}}")))
                    TR(TC(P(" {{/sections}} ")) TC(P("{{! end }}")))));

    ASSERT_HAS(doc, "<w:tr><w:tc><w:p><w:r><w:t>head</w:t></w:r></w:p></w:tc>"
                    "</w:tr><w:tr>" OUT_TC("1")
                        OUT_TC("举措") "</w:tr><w:tr>" OUT_TC("2")
                            OUT_TC("2023年度推进法治政府建设的主要"
                                   "安排") "</w:tr></w:tbl>");
    ASSERT_LACKS(doc, "sections");
    ASSERT_LACKS(doc, "end");
    free(doc);
}
END_TEST

START_TEST(test_row_edges_repeat_their_row)
{
    /* the opening tag with text, the closing tag alone in its paragraph */
    char *doc = render_body(TBL(
        TR(TC(P("{{#sections}}{{n}}")) TC(P("{{title}}") P("{{/sections}}")))));

    ASSERT_HAS(doc, "<w:tbl><w:tblPr/><w:tblGrid/><w:tr>" OUT_TC("1")
                        OUT_TC("举措") "</w:tr><w:tr>" OUT_TC("2"));
    ASSERT_LACKS(doc, "sections");
    free(doc);
}
END_TEST

START_TEST(test_row_edge_alone_in_its_cell_leaves_an_empty_paragraph)
{
    char *doc = render_body(TBL(
        TR(TC("<w:p><w:pPr><w:jc w:val=\"center\"/></w:pPr><w:r><w:t>"
              "{{#sections}}</w:t></w:r></w:p>") TC(P("{{title}}"))
               TC("<w:tbl><w:tblPr/><w:tblGrid/>" TR(TC(P("{{#areas}}"))) TR(
                   TC(P("{{title}}")))
                      TR(TC(P("{{/areas}}"))) "</w:tbl>" P("{{/sections}}")))));

    ASSERT_HAS(doc, "<w:tr><w:tc><w:p><w:pPr><w:jc w:val=\"center\"/>"
                    "</w:pPr></w:p></w:tc>" OUT_TC("举措") "<w:tc><w:tbl>");
    ASSERT_HAS(doc, OUT_TC("甲") "</w:tr><w:tr>" OUT_TC("乙") "</w:tr></w:tbl>"
                                                              "<w:p></w:p>");
    /* plans has no areas: its table goes, the cell keeps a paragraph */
    ASSERT_HAS(doc, OUT_TC("2023年度推进法治政府建设的主要安排") "<w:tc><w:p>"
                                                                 "</w:p>"
                                                                 "</w:tc>"
                                                                 "</w:tr>");
    free(doc);
}
END_TEST

START_TEST(test_table_left_without_rows_is_left_out)
{
    char *doc = render_body(P("a") TBL(TR(TC(P("{{#meta.addressee}}"))) TR(
        TC(P("{{.}}"))) TR(TC(P("{{/meta.addressee}}")))) P("b"));

    ASSERT_HAS(doc, "<w:p><w:r><w:t>a</w:t></w:r></w:p><w:p><w:r><w:t>b");
    free(doc);
}
END_TEST

START_TEST(test_inline_section_in_a_cell_stays_in_its_paragraph)
{
    char *doc = render_body(
        TBL(TR(TC(P("{{#sections}}{{n}};{{/sections}}")) TC(P("x")))));

    ASSERT_HAS(doc, "<w:tr>" OUT_TC("1;2;") "<w:tc>");
    free(doc);
}
END_TEST

START_TEST(test_row_section_levels_must_match)
{
    static const char *const bodies[] = {
        /* rows closed in a paragraph after the table */
        TBL(TR(TC(P("{{#sections}}"))) TR(TC(P("{{title}}"))))
            P("{{/sections}}"),
        /* rows of two tables */
        TBL(TR(TC(P("{{#sections}}"))) TR(TC(P("{{title}}")))) P("x")
            TBL(TR(TC(P("{{/sections}}")))),
        /* in a cell, a tag alone in its paragraph closed inside another */
        TBL(TR(TC(P("x") P("{{#sections}}") P("{{title}}{{/sections}}"))
                   TC(P("y"))))};
    size_t i;

    for (i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
        ck_assert_ptr_null(render_body(bodies[i]));
        NB_ASSERT_ONE_DIAG(dl, NB_TMPL_SECTION_LEVEL, 1);
        nb_diag_list_free(dl);
        dl = nb_diag_list_new();
    }
}
END_TEST

START_TEST(test_tag_split_across_paragraphs)
{
    char *doc = render_body(P("{{ti") P("tle}}"));

    ck_assert_ptr_null(doc);
    NB_ASSERT_ONE_DIAG(dl, NB_TMPL_TAG_UNCLOSED, 1);
}
END_TEST

START_TEST(test_values_are_escaped)
{
    char *doc = render_body(P("{{meta.issuer}}"));

    ASSERT_HAS(doc, "A&amp;B司法局");
    free(doc);
}
END_TEST

START_TEST(test_attributes_are_escaped_once)
{
    char *doc =
        render_body("<w:p><w:pPr><w:pStyle w:val=\"a&amp;b&lt;&quot;\"/>"
                    "</w:pPr><w:r><w:t>{{title}}</w:t></w:r></w:p>");

    ASSERT_HAS(doc, "<w:pStyle w:val=\"a&amp;b&lt;&quot;\"/>");
    free(doc);
}
END_TEST

static const struct {
    const char *in;
    const char *out;
} cn_cases[] = {
    {"0", "〇"},
    {"1", "一"},
    {"9", "九"},
    {"10", "十"},
    {"11", "十一"},
    {"20", "二十"},
    {"21", "二十一"},
    {"99", "九十九"},
    {"100", "一百"},
    {"101", "一百零一"},
    {"110", "一百一十"},
    {"1001", "一千零一"},
    {"1010", "一千零一十"},
    {"10000", "一万"},
    {"100010", "十万零一十"},
};

START_TEST(test_filter_cn)
{
    nb_buf scratch;
    size_t len;
    bool ok;
    const char *r;

    nb_buf_init(&scratch, 1024);
    r = nb_filter_apply(NB_FILTER_CN, cn_cases[_i].in, strlen(cn_cases[_i].in),
                        &len, &scratch, &ok);
    ck_assert(ok);
    ck_assert_str_eq(r, cn_cases[_i].out);
    nb_buf_fini(&scratch);
}
END_TEST

START_TEST(test_filter_rejects_bad_input)
{
    nb_buf scratch;
    size_t len;
    bool ok;

    nb_buf_init(&scratch, 1024);
    nb_filter_apply(NB_FILTER_CN, "x1", 2, &len, &scratch, &ok);
    ck_assert(!ok);
    nb_filter_apply(NB_FILTER_CN_DATE, "2023-13-01", 10, &len, &scratch, &ok);
    ck_assert(!ok);
    ck_assert_str_eq(
        nb_filter_apply(NB_FILTER_CN_DATE, "2023-01", 7, &len, &scratch, &ok),
        "2023年1月");
    ck_assert_int_eq(nb_filter_lookup("cn_date", 7), NB_FILTER_CN_DATE);
    ck_assert_int_eq(nb_filter_lookup("cnx", 3), -1);
    nb_buf_fini(&scratch);
}
END_TEST

START_TEST(test_malformed_part_without_tags_is_reported)
{
    static const char ct[] = CT;
    static const char doc[] =
        "<w:document " W "><w:body>" P("x") "</w:body></w:document>";
    static const char hdr[] = "<w:hdr " W "><w:p></w:hdr>";
    nb_zip_writer *w = NULL;
    void *docx = NULL;
    size_t len;
    nb_template *t = NULL;

    ck_assert_int_eq(nb_zip_writer_new(&w, dl), NB_OK);
    nb_zip_writer_add(w, "[Content_Types].xml", ct, strlen(ct), false);
    nb_zip_writer_add(w, "word/document.xml", doc, strlen(doc), false);
    nb_zip_writer_add(w, "word/header1.xml", hdr, strlen(hdr), false);
    ck_assert_int_eq(nb_zip_writer_finish(w, &docx, &len), NB_OK);
    ck_assert_int_eq(nb_template_load_memory(&t, docx, len, "t.docx", NULL, dl),
                     NB_OK);
    ck_assert_ptr_null(t);
    NB_ASSERT_HAS_DIAG(dl, NB_TMPL_PART_MALFORMED);
    nb_free(docx);
}
END_TEST

START_TEST(test_part_without_tags_is_copied_byte_for_byte)
{
    ck_assert(nb_tmpl_part_is_merged("word/document.xml"));
    ck_assert(nb_tmpl_part_is_merged("word/header2.xml"));
    ck_assert(nb_tmpl_part_is_merged("word/footer1.xml"));
    ck_assert(nb_tmpl_part_is_merged("docProps/core.xml"));
    ck_assert(!nb_tmpl_part_is_merged("word/styles.xml"));
    ck_assert(!nb_tmpl_part_is_merged("word/footer1.xml.rels"));
}
END_TEST

/* ==== The shape of the view (view.c) against real views ==== */

#define MAX_SEEN 256

typedef struct seen {
    const nb_vfield *f[MAX_SEEN]; /* fields of the table met in a view */
    size_t n;
} seen;

static bool kind_matches(const nb_value *v, const nb_vnode *n)
{
    switch (n->kind) {
    case NB_VK_STR:
        return v->type == NB_V_STR;
    case NB_VK_BOOL:
        return v->type == NB_V_BOOL;
    case NB_VK_LIST:
        return v->type == NB_V_LIST;
    default:
        return v->type == NB_V_MAP;
    }
}

/* Every key of 'v' is in the table at 'n', of the same kind; the fields
 * met are added to 'sn'. Returns a message for the first mismatch. */
static const char *walk_view(const nb_value *v, const nb_vnode *n, seen *sn)
{
    static char msg[256];
    size_t i;
    size_t k;

    if (!kind_matches(v, n))
        return "a value of another kind than the table says";
    if (n->kind == NB_VK_LIST || n->kind == NB_VK_BY_CODE) {
        for (i = 0; i < v->n; i++) {
            const nb_value *e =
                n->kind == NB_VK_LIST ? v->items[i] : v->kv[i].val;
            const char *bad;

            if (n->kind == NB_VK_BY_CODE &&
                nb_catalog_find(NULL, v->kv[i].key) == NULL)
                return "metric.<code> with a code not in the catalog";
            bad = walk_view(e, n->elem, sn);
            if (bad != NULL)
                return bad;
        }
        return NULL;
    }
    if (n->kind != NB_VK_MAP)
        return NULL;
    for (i = 0; i < v->n; i++) {
        const char *key = v->kv[i].key;
        const nb_vfield *f = NULL;
        const char *bad;

        for (k = 0; k < n->n_fields; k++)
            if (strcmp(n->fields[k].name, key) == 0)
                f = &n->fields[k];
        if (f == NULL) {
            snprintf(msg, sizeof(msg), "view key '%s' is not in the table",
                     key);
            return msg;
        }
        for (k = 0; k < sn->n && sn->f[k] != f; k++)
            ;
        if (k == sn->n && sn->n < MAX_SEEN)
            sn->f[sn->n++] = f;
        bad = walk_view(v->kv[i].val, f->node, sn);
        if (bad != NULL) {
            char inner[200];

            snprintf(inner, sizeof(inner), "%s", bad);
            snprintf(msg, sizeof(msg), "under '%s': %s", key, inner);
            return msg;
        }
    }
    return NULL;
}

/* Every field of the table at 'n' (and below) was met. */
static const char *all_seen(const nb_vnode *n, const seen *sn, size_t depth)
{
    static char msg[128];
    const nb_vnode *m = n->kind == NB_VK_MAP ? n : n->elem;
    size_t i;
    size_t k;

    if (m == NULL || m->kind != NB_VK_MAP || depth > 8)
        return NULL; /* items nest: their table is the same */
    for (i = 0; i < m->n_fields; i++) {
        const char *bad;

        for (k = 0; k < sn->n && sn->f[k] != &m->fields[i]; k++)
            ;
        if (k == sn->n) {
            snprintf(msg, sizeof(msg), "table field '%s' is in no view",
                     m->fields[i].name);
            return msg;
        }
        bad = all_seen(m->fields[i].node, sn, depth + 1);
        if (bad != NULL)
            return bad;
    }
    return NULL;
}

START_TEST(test_view_shape_matches_the_views_of_the_examples)
{
    static const char *const examples[] = {
        "examples/changshan-2022/report.xml",
        "examples/jiangbei-2021/report.xml",
        "examples/liangjiang-2022/report.xml"};
    seen sn;
    size_t i;

    memset(&sn, 0, sizeof(sn));
    for (i = 0; i < sizeof(examples) / sizeof(examples[0]); i++) {
        nb_report *r = NULL;
        nb_arena *a = nb_arena_new();
        const nb_value *root;
        const char *bad;

        ck_assert_int_eq(nb_report_read(&r, nb_test_src(examples[i]), NULL, dl),
                         NB_OK);
        ck_assert_ptr_nonnull(r);
        ck_assert_int_eq(nb_report_check(r, NULL, dl), NB_OK);
        root = nb_view_build(a, r);
        ck_assert_ptr_nonnull(root);
        bad = walk_view(root, &nb_view_shape, &sn);
        ck_assert_msg(bad == NULL, "%s: %s", examples[i], bad);
        nb_arena_free(a);
        nb_report_free(r);
    }
    {
        const char *bad = all_seen(&nb_view_shape, &sn, 0);

        ck_assert_msg(bad == NULL, "%s", bad);
    }
}
END_TEST

/* Check 'body' with nb_template_check_memory; the number of findings. */
static size_t check_body(const char *body)
{
    size_t len;
    void *docx = make_docx(body, &len);
    nb_template *t = NULL;
    size_t n;

    nb_diag_list_free(dl);
    dl = nb_diag_list_new();
    ck_assert_int_eq(
        nb_template_check_memory(&t, docx, len, "t.docx", NULL, dl), NB_OK);
    ck_assert_ptr_nonnull(t);
    n = nb_diag_list_count(dl);
    ck_assert(nb_template_renderable(t) ==
              (nb_diag_list_count_sev(dl, NB_SEV_ERROR) == 0));
    nb_template_free(t);
    nb_free(docx);
    return n;
}

START_TEST(test_paths_are_looked_up_in_every_enclosing_scope)
{
    /* a section's own field, an enclosing section's, the report's */
    ck_assert_uint_eq(check_body(P("{{#sections}}{{#areas}}{{#items}}{{lead}}"
                                   "{{title}}{{kind}}{{meta.year}}{{title}}"
                                   "{{#items}}{{n}}{{/items}}{{/items}}"
                                   "{{/areas}}{{/sections}}")),
                      0);
    /* an inverted section adds no scope; {{.}} and metric.CODE */
    ck_assert_uint_eq(check_body(P("{{^sections}}{{title}}{{/sections}}"
                                   "{{#meta.date}}{{.}}{{/meta.date}}"
                                   "{{#metric.fy_received}}{{text}}"
                                   "{{/metric.fy_received}}")),
                      0);
    /* outside the section over its list, 'lead' is nowhere in scope */
    ck_assert_uint_eq(check_body(P("{{#sections}}{{lead}}{{/sections}}")), 1);
    NB_ASSERT_HAS_DIAG(dl, NB_TMPL_PATH_SCOPE);
    /* a section over an unknown name is reported once, not its inside */
    ck_assert_uint_eq(check_body(P("{{#sectons}}{{n}}{{zz}}{{/sectons}}")), 1);
    NB_ASSERT_HAS_DIAG(dl, NB_TMPL_PATH_UNKNOWN);
    /* a section's scope ends at its closing tag */
    ck_assert_uint_eq(
        check_body(P("{{#sections}}") P("{{/sections}}") P("{{n}}")), 1);
    NB_ASSERT_HAS_DIAG(dl, NB_TMPL_PATH_SCOPE);
    ck_assert_uint_eq(check_body(P("{{metric.nope.text}}")), 1);
    NB_ASSERT_HAS_DIAG(dl, NB_TMPL_METRIC_UNKNOWN);
    ck_assert_uint_eq(check_body(P("{{meta.year.x}}{{sections.n}}")), 2);
    NB_ASSERT_HAS_DIAG(dl, NB_TMPL_PATH_LIST);
}
END_TEST

START_TEST(test_tags_of_one_cell_repeat_its_paragraphs)
{
    /* alone in paragraphs of one cell, the first and last of its row: the
     * paragraphs repeat, the row does not */
    char *doc = render_body(
        TBL(TR(TC(P("{{#sections}}") P("{{n}}") P("{{/sections}}")))));

    ASSERT_HAS(doc, "<w:tbl><w:tblPr/><w:tblGrid/><w:tr><w:tc><w:p><w:r><w:t "
                    "xml:space=\"preserve\">1</w:t></w:r></w:p><w:p><w:r><w:t "
                    "xml:space=\"preserve\">2</w:t></w:r></w:p></w:tc></w:tr>"
                    "</w:tbl>");
    free(doc);
    /* written with the text, the same tags repeat the row */
    doc = render_body(
        TBL(TR(TC(P("{{#sections}}{{n}}") P("{{title}}{{/sections}}")))));
    ASSERT_HAS(doc, "</w:tc></w:tr><w:tr><w:tc>");
    free(doc);
    /* an empty loop leaves the cell one empty paragraph, with the
     * properties of its last tag paragraph */
    doc = render_body(TBL(TR(TC(
        P("{{#meta.addressee}}") P("{{.}}")
            "<w:p><w:pPr><w:jc w:val=\"center\"/></w:pPr><w:r><w:t>"
            "{{/meta.addressee}}</w:t></w:r></w:p>"))));
    ASSERT_HAS(doc, "<w:tr><w:tc><w:p><w:pPr><w:jc w:val=\"center\"/>"
                    "</w:pPr></w:p></w:tc></w:tr>");
    free(doc);
}
END_TEST

Suite *nb_test_suite(void)
{
    Suite *s = suite_create("tmpl");
    TCase *tc = tcase_create("merge");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_tag_split_over_runs_is_joined_into_first_run);
    tcase_add_test(tc, test_paragraph_section_repeats_and_leaves_no_paragraph);
    tcase_add_test(tc, test_inline_section_repeats_text_in_paragraph);
    tcase_add_test(tc, test_inverted_dot_and_missing_values);
    tcase_add_test(tc, test_template_errors_all_reported);
    tcase_add_test(tc, test_section_levels_must_match);
    tcase_add_test(tc, test_control_rows_repeat_the_rows_between);
    tcase_add_test(tc, test_row_edges_repeat_their_row);
    tcase_add_test(tc,
                   test_row_edge_alone_in_its_cell_leaves_an_empty_paragraph);
    tcase_add_test(tc, test_table_left_without_rows_is_left_out);
    tcase_add_test(tc, test_inline_section_in_a_cell_stays_in_its_paragraph);
    tcase_add_test(tc, test_row_section_levels_must_match);
    tcase_add_test(tc, test_tag_split_across_paragraphs);
    tcase_add_test(tc, test_values_are_escaped);
    tcase_add_test(tc, test_attributes_are_escaped_once);
    tcase_add_loop_test(tc, test_filter_cn, 0,
                        sizeof(cn_cases) / sizeof(cn_cases[0]));
    tcase_add_test(tc, test_filter_rejects_bad_input);
    tcase_add_test(tc, test_part_without_tags_is_copied_byte_for_byte);
    tcase_add_test(tc, test_malformed_part_without_tags_is_reported);
    tcase_add_test(tc, test_view_shape_matches_the_views_of_the_examples);
    tcase_add_test(tc, test_paths_are_looked_up_in_every_enclosing_scope);
    tcase_add_test(tc, test_tags_of_one_cell_repeat_its_paragraphs);
    suite_add_tcase(s, tc);
    return s;
}
