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
/* a line break in a rendered <w:t> */
#define WT_BR "</w:t><w:br/><w:t xml:space=\"preserve\">"
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
    /* a fragment of a report, for the template engine: not held to the
     * rules, which render would otherwise run (and refuse it for) */
    report->checked = true;
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

/* Render 'body' with 'root', a value tree built by the test as a program
 * using the library could (named "api" in messages), or with the test
 * report when 'root' is NULL; returns word/document.xml (free), or NULL
 * when the template did not load. */
static char *render_with(const char *body, const nb_value *root)
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
    if (root != NULL)
        ck_assert_int_eq(nb_render_value(&out, &out_len, t, root, "api", dl),
                         NB_OK);
    else
        ck_assert_int_eq(nb_render_memory(&out, &out_len, t, report, dl),
                         NB_OK);
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

static char *render_body(const char *body)
{
    return render_with(body, NULL);
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
    /* opened in the body, closed in a table cell */
    char *doc =
        render_body(P("{{#sections}}") TBL(TR(TC(P("x {{/sections}}")))));

    ck_assert_ptr_null(doc);
    NB_ASSERT_HAS_DIAG(dl, NB_TMPL_SECTION_LEVEL);
}
END_TEST

START_TEST(test_section_over_paragraphs_with_text_around_its_tags)
{
    /* the content between the tags repeats; the edge paragraphs are split
     * into the text before and after the tags */
    char *doc = render_body(
        P("Plans: {{#sections}}{{n}}.") P("{{title}}") P("end {{/sections}} done"));

    ASSERT_HAS(doc, "<w:p><w:r><w:t xml:space=\"preserve\">Plans: </w:t></w:r></w:p>"
                    "<w:p><w:r><w:t xml:space=\"preserve\">1.</w:t></w:r></w:p>"
                    "<w:p><w:r><w:t xml:space=\"preserve\">举措</w:t></w:r></w:p>"
                    "<w:p><w:r><w:t xml:space=\"preserve\">end </w:t></w:r></w:p>"
                    "<w:p><w:r><w:t xml:space=\"preserve\">2.</w:t></w:r></w:p>");
    ASSERT_HAS(doc, "<w:p><w:r><w:t xml:space=\"preserve\"> done</w:t></w:r></w:p>");
    ASSERT_LACKS(doc, "sections");
    free(doc);
    /* a condition over paragraphs that is false: they go, the text
     * around the tags stays */
    doc = render_body(P("a {{#meta.addressee}}") P("gone") P("{{/meta.addressee}} b"));
    ASSERT_HAS(doc, ">a </w:t>");
    ASSERT_HAS(doc, "> b</w:t>");
    ASSERT_LACKS(doc, "gone");
    free(doc);
    /* in a cell: the cell's paragraphs repeat */
    doc = render_body(TBL(TR(TC(P("x") P("{{#sections}}{{n}}") P("{{title}}{{/sections}}")) TC(P("y")))));
    ASSERT_HAS(doc, "举措</w:t></w:r></w:p><w:p><w:r><w:t xml:space=\"preserve\">2</w:t>");
    ASSERT_HAS(doc, "<w:tc><w:p><w:r><w:t>y</w:t></w:r></w:p></w:tc></w:tr></w:tbl>");
    free(doc);
}
END_TEST

START_TEST(test_row_loop_closed_in_the_next_row)
{
    /* Carbone's rows: the loop opens at the start of a row and closes in
     * the row after it, which goes */
    char *doc = render_body(TBL(TR(TC(P("{{#sections}}{{n}}")) TC(P("{{title}}")))
                                TR(TC(P("{{/sections}}")) TC("<w:p/>"))));

    ASSERT_HAS(doc, "<w:tbl><w:tblPr/><w:tblGrid/><w:tr>" OUT_TC("1")
                        OUT_TC("举措") "</w:tr><w:tr>" OUT_TC("2"));
    ASSERT_LACKS(doc, "sections");
    ck_assert_ptr_null(strstr(strstr(strstr(doc, "<w:tr>") + 1, "<w:tr>") + 1,
                              "<w:tr>"));
    free(doc);
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
        /* a row's first cell opens, a paragraph of its last closes */
        TBL(TR(TC(P("{{#sections}}") P("x"))
                   TC(P("{{/sections}} y") P("z"))))};
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
    NB_ASSERT_ONE_DIAG(dl, NB_TMPL_TAG_ACROSS_PARAGRAPHS, 1);
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

/* The severity of the first diagnostic of 'code' in 'dl'; -1 without. */
static int severity_of(nb_code code)
{
    size_t i;

    for (i = 0; i < nb_diag_list_count(dl); i++)
        if (nb_diag_list_at(dl, i)->code == code)
            return (int)nb_diag_list_at(dl, i)->sev;
    return -1;
}

START_TEST(test_dde_field_refuses_the_template_unless_allowed)
{
    static const char body[] =
        "<w:p><w:r><w:fldChar w:fldCharType=\"begin\"/></w:r>"
        "<w:r><w:instrText>dd</w:instrText></w:r>"
        "<w:r><w:instrText>eAuto x y</w:instrText></w:r>"
        "<w:r><w:fldChar w:fldCharType=\"end\"/></w:r></w:p>"
        "<w:p><w:fldSimple w:instr=\" INCLUDEPICTURE a.png \"/></w:p>";
    nb_limits lim;
    nb_template *t = NULL;
    size_t len;
    void *docx = make_docx(body, &len);

    ck_assert_int_eq(nb_template_load_memory(&t, docx, len, "t.docx", NULL, dl),
                     NB_OK);
    ck_assert_ptr_null(t); /* an error: not loaded */
    ck_assert_int_eq(severity_of(NB_TMPL_DDE_FIELD), NB_SEV_ERROR);
    ck_assert_int_eq(severity_of(NB_TMPL_INCLUDE_FIELD), NB_SEV_WARNING);
    nb_diag_list_free(dl);
    dl = nb_diag_list_new();
    memset(&lim, 0, sizeof(lim));
    lim.allow_external = true;
    ck_assert_int_eq(nb_template_load_memory(&t, docx, len, "t.docx", &lim, dl),
                     NB_OK);
    ck_assert_ptr_nonnull(t);
    ck_assert_int_eq(severity_of(NB_TMPL_DDE_FIELD), NB_SEV_NOTE);
    ck_assert_int_eq(severity_of(NB_TMPL_INCLUDE_FIELD), NB_SEV_NOTE);
    nb_template_free(t);
    nb_free(docx);
}
END_TEST

START_TEST(test_part_without_tags_is_copied_byte_for_byte)
{
    ck_assert(nb_tmpl_part_is_merged("word/document.xml"));
    ck_assert(nb_tmpl_part_is_merged("word/header2.xml"));
    ck_assert(nb_tmpl_part_is_merged("word/footer1.xml"));
    ck_assert(nb_tmpl_part_is_merged("docProps/core.xml"));
    ck_assert(nb_tmpl_part_is_merged("docProps/app.xml"));
    ck_assert(nb_tmpl_part_is_merged("word/footnotes.xml"));
    ck_assert(nb_tmpl_part_is_merged("word/endnotes.xml"));
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
        if (i == 2) /* one with the appendix table, by group */
            r->meta.figures_table = NB_FIGTAB_GROUP;
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

START_TEST(test_repeated_rows_get_their_own_ids)
{
    /* w14:paraId of a repeated row is unique in the part, as a
     * paragraph's is */
    char *doc = render_body(TBL(
        "<w:tr xmlns:w14=\"http://schemas.microsoft.com/office/word/2010/"
        "wordml\" w14:paraId=\"0000AAAA\">" TC(P("{{#sections}}{{n}}"))
            TC(P("{{title}}{{/sections}}")) "</w:tr>"));
    const char *first = strstr(doc, "w14:paraId=\"");

    ck_assert_ptr_nonnull(first);
    ck_assert_ptr_nonnull(strstr(first + 1, "w14:paraId=\""));
    ck_assert_ptr_null(strstr(strstr(doc, "0000AAAA") + 1, "0000AAAA"));
    free(doc);
    /* a row loop whose first cell is wrapped in a content control */
    doc = render_body(
        TBL(TR("<w:sdt><w:sdtPr/><w:sdtContent>" TC(P("{{#sections}}{{n}}"))
               "</w:sdtContent></w:sdt>" TC(P("{{title}}{{/sections}}")))));
    ASSERT_HAS(doc, "</w:sdt>" OUT_TC("举措") "</w:tr><w:tr>");
    ASSERT_LACKS(doc, "sections");
    free(doc);
}
END_TEST

START_TEST(test_condition_on_a_list)
{
    /* {{#list if}}: once when the list has elements, in the outer scope */
    char *doc = render_body(
        P("{{#sections if}}有{{meta.year}}{{/sections}}"
          "{{#meta.addressee if}}无{{/meta.addressee}}"));

    ASSERT_HAS(doc, ">有2022</w:t>");
    ASSERT_LACKS(doc, "无");
    free(doc);
    ck_assert_uint_eq(check_body(P("{{#sections if}}{{meta.year}}{{/sections}}")),
                      0);
    /* no element inside: a field of the elements needs a loop */
    ck_assert_uint_eq(check_body(P("{{#sections if}}{{n}}{{/sections}}")),
                      1);
    NB_ASSERT_HAS_DIAG(dl, NB_TMPL_PATH_SCOPE);
    ck_assert_uint_eq(check_body(P("{{^sections if}}x{{/sections}}")), 1);
    NB_ASSERT_HAS_DIAG(dl, NB_TMPL_SECTION_OPTION);
}
END_TEST

START_TEST(test_named_loops_reach_a_shadowed_field)
{
    /* areas have a title too: the section's stays reachable by its name */
    char *doc = render_body(P("{{#sections as s}}{{#areas}}{{title}}/{{s.title}}"
                              "{{s.n}};{{/areas}}{{/sections}}"));

    ASSERT_HAS(doc, ">甲/举措1;乙/举措1;</w:t>");
    free(doc);
    ck_assert_uint_eq(
        check_body(P("{{#sections as s}}{{#areas as a}}{{a.title}}{{s.title}}"
                     "{{s.n}}{{/areas}}{{/sections}}")),
        0);
    ck_assert_uint_eq(
        check_body(P("{{#sections as s}}{{s.nope}}{{/sections}}")), 1);
    NB_ASSERT_HAS_DIAG(dl, NB_TMPL_PATH_UNKNOWN);
    /* the name is known only inside its section */
    ck_assert_uint_eq(check_body(P("{{#sections as s}}{{/sections}}{{s.n}}")),
                      1);
    ck_assert_uint_eq(check_body(P("{{#sections as}}{{/sections}}")), 1);
    NB_ASSERT_HAS_DIAG(dl, NB_TMPL_SECTION_OPTION);
}
END_TEST

START_TEST(test_loop_positions)
{
    /* inline, innermost list first, filters apply */
    char *doc = render_body(P("{{#sections}}{{@index|cn}}{{#@first}}F{{/@first}}"
                              "{{#areas}}[{{@index}}{{#@last}}L{{/@last}}]"
                              "{{/areas}}{{^@last}};{{/@last}}{{/sections}}"));

    ASSERT_HAS(doc, ">一F[1][2L];二</w:t>");
    free(doc);
    /* rows */
    doc = render_body(TBL(TR(TC(P("{{#sections}}{{@index}}")) TC(P("{{#@last}}end{{/@last}}{{/sections}}")))));
    ASSERT_HAS(doc, "<w:tr>" OUT_TC("1"));
    ASSERT_HAS(doc, "<w:tr>" OUT_TC("2") OUT_TC("end") "</w:tr>");
    ck_assert_ptr_null(strstr(strstr(doc, ">end<") + 1, ">end<"));
    free(doc);
    /* checked: outside every list, and an unknown position */
    ck_assert_uint_eq(check_body(P("{{@index}}{{#meta}}{{@first}}{{/meta}}")), 2);
    NB_ASSERT_HAS_DIAG(dl, NB_TMPL_POSITION_OUTSIDE);
    ck_assert_uint_eq(check_body(P("{{#sections}}{{@count}}{{/sections}}")), 1);
    NB_ASSERT_HAS_DIAG(dl, NB_TMPL_POSITION_UNKNOWN);
    ck_assert_uint_eq(
        check_body(P("{{#sections}}{{@index}}{{#@first}}{{/@first}}{{#areas}}"
                     "{{@last}}{{/areas}}{{/sections}}")),
        0);
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

/* ==== Filters with arguments, and the values a merge writes ==== */

static const struct {
    nb_filter f;
    int decimals;
    const char *in;
    const char *out; /* NULL: does not convert */
} call_cases[] = {
    {NB_FILTER_CN_PAREN, -1, "1", "（一）"},
    {NB_FILTER_CN_DUN, -1, "10", "十、"},
    {NB_FILTER_CN_SHI, -1, "21", "二十一是"},
    {NB_FILTER_CN_DI, -1, "9999", "第九千九百九十九"},
    {NB_FILTER_CN_SHI, -1, "-1", NULL},
    {NB_FILTER_CN_DATE, -1, "2023-02-29", NULL},
    {NB_FILTER_CN_DATE, -1, "2023-+2-08", NULL},
    {NB_FILTER_CN_DATE, -1, "2000-02-29", "2000年2月29日"},
    {NB_FILTER_CN_DATE_HANZI, -1, "1900-02-29", NULL},
    {NB_FILTER_CN_DATE_HANZI, -1, "2020-10-31", "二〇二〇年十月三十一日"},
    {NB_FILTER_CN_DATE_HANZI, -1, "2023-11", "二〇二三年十一月"},
    {NB_FILTER_CN_DATE_HANZI, -1, "2023-04-31", NULL},
    {NB_FILTER_CN_YEAR, -1, "2008", "二〇〇八"},
    {NB_FILTER_CN_YEAR, -1, "22", NULL},
    {NB_FILTER_THOUSANDS, -1, "+1000", "+1,000"},
    {NB_FILTER_THOUSANDS, -1, "123", "123"},
    {NB_FILTER_THOUSANDS, -1, "-1234567.891", "-1,234,567.891"},
    {NB_FILTER_THOUSANDS, -1, "1,234", NULL},
    {NB_FILTER_THOUSANDS, -1, "12.", NULL},
    {NB_FILTER_FIXED, 2, "2.675", "2.68"},
    {NB_FILTER_FIXED, 2, "0.125", "0.13"},
    {NB_FILTER_FIXED, 2, "-0.125", "-0.13"},
    {NB_FILTER_FIXED, 0, "-0.5", "-1"},
    {NB_FILTER_FIXED, 0, "-0.4", "0"},
    {NB_FILTER_FIXED, 3, "7", "7.000"},
    {NB_FILTER_FIXED, 6, "0.0000005", "0.000001"},
    {NB_FILTER_FIXED, 1, "123456789012345", "123456789012345.0"},
    {NB_FILTER_FIXED, 1, "1234567890123456", NULL},
    {NB_FILTER_FIXED, 1, "93件", NULL},
    {NB_FILTER_PERCENT, -1, "-0.05", "-5%"},
    {NB_FILTER_PERCENT, -1, "0.98125", "98.1%"},
    {NB_FILTER_PERCENT, 1, "1", "100.0%"},
    {NB_FILTER_PERCENT, -1, "98%", NULL},
    {NB_FILTER_UPPER, -1, "aZ9é-x", "AZ9é-X"},
    {NB_FILTER_LOWER, -1, "aZ9É-X", "az9É-x"},
};

START_TEST(test_filter_calls)
{
    nb_fcall call = {call_cases[_i].f, call_cases[_i].decimals, NULL, 0, 0, 0};
    nb_buf scratch;
    size_t len;
    bool ok;
    const char *r;

    nb_buf_init(&scratch, 1024);
    r = nb_filter_call_apply(&call, call_cases[_i].in,
                             strlen(call_cases[_i].in), &len, &scratch, &ok);
    if (call_cases[_i].out == NULL) {
        ck_assert_msg(!ok, "%s '%s' gave '%s'", nb_filter_name(call.f),
                      call_cases[_i].in, r);
        ck_assert_ptr_eq(r, call_cases[_i].in);
    } else {
        ck_assert_msg(ok, "%s '%s' did not convert", nb_filter_name(call.f),
                      call_cases[_i].in);
        ck_assert_str_eq(r, call_cases[_i].out);
        ck_assert_uint_eq(len, strlen(call_cases[_i].out));
    }
    nb_buf_fini(&scratch);
}
END_TEST

START_TEST(test_filter_default_and_suggestions)
{
    nb_fcall call = {NB_FILTER_DEFAULT, -1, "无", strlen("无"), 0, 0};
    nb_buf scratch;
    size_t len;
    bool ok;

    nb_buf_init(&scratch, 1024);
    ck_assert_str_eq(nb_filter_call_apply(&call, "", 0, &len, &scratch, &ok),
                     "无");
    ck_assert(ok);
    ck_assert_str_eq(
        nb_filter_call_apply(&call, "有", strlen("有"), &len, &scratch, &ok),
        "有");
    nb_buf_fini(&scratch);
    ck_assert_str_eq(nb_filter_suggest("cn_dat", 6), "cn_date");
    ck_assert_str_eq(nb_filter_suggest("CN", 2), "cn");
    ck_assert_str_eq(nb_filter_suggest("percents", 8), "percent");
    ck_assert_ptr_null(nb_filter_suggest("x", 1));
    ck_assert_ptr_null(nb_filter_suggest("roman", 5));
    ck_assert_int_eq(nb_filter_arg(NB_FILTER_FIXED), NB_FARG_DECIMALS);
    ck_assert_int_eq(nb_filter_arg(NB_FILTER_CN), NB_FARG_NONE);
}
END_TEST

START_TEST(test_characters_xml_cannot_carry_are_dropped_and_reported)
{
    nb_arena *a = nb_arena_new();
    nb_value *root = nb_v_map(a, 5);
    nb_value *item = nb_v_map(a, 1);
    nb_value *list = nb_v_list(a, 1);
    nb_loc item_loc = {"data.json", 7, 3, NULL};
    char *doc;

    /* C0 controls, U+FFFE, a lone surrogate, a byte that is not UTF-8;
     * DEL and U+FFFD are allowed */
    nb_v_map_set(root, "a",
                 nb_v_str(a, "x\x01y\x1b\xef\xbf\xbez\xed\xa0\x80w\xc3!"));
    nb_v_map_set(root, "b", nb_v_str(a, "\x7f\xef\xbf\xbd&<>"));
    nb_v_map_set(root, "s", nb_v_str(a, "\xed\xb0\x81"));
    nb_v_map_set(root, "x", nb_v_str(a, "\xff"));
    nb_v_map_set(item, "t", nb_v_str(a, "p\xef\xbf\xbfq"));
    item->loc = &item_loc;
    list->items[0] = item;
    nb_v_map_set(root, "items", list);
    doc = render_with(
        P("{{a}}|{{b}}|{{#items}}{{t}}{{/items}}") P("[{{s}}{{x}}]"), root);
    ASSERT_HAS(doc, "xyzw!|\x7f\xef\xbf\xbd&amp;&lt;&gt;|pq</w:t>");
    ASSERT_HAS(doc, "[]</w:t>");
    ASSERT_LACKS(doc, "\x01");
    ASSERT_LACKS(doc, "\xef\xbf\xbe");
    ASSERT_LACKS(doc, "\xef\xbf\xbf");
    ASSERT_LACKS(doc, "\xed\xa0\x80");
    ASSERT_LACKS(doc, "\xff");
    /* sorted: "api" (the data as a whole) before data.json */
    nb_diag_list_sort(dl);
    ck_assert_uint_eq(nb_diag_list_count(dl), 4);
    ck_assert_int_eq(nb_diag_list_at(dl, 0)->code, NB_RENDER_BAD_CHAR);
    ck_assert_int_eq(nb_diag_list_at(dl, 0)->sev, NB_SEV_WARNING);
    ck_assert_str_eq(nb_diag_list_at(dl, 0)->loc.file, "api");
    ck_assert_uint_eq(nb_diag_list_at(dl, 0)->loc.line, 0);
    ck_assert_str_eq(nb_diag_list_at(dl, 0)->msg,
                     "{{a}} in t.docx(word/document.xml):1: the value holds "
                     "5 characters XML cannot carry, the first U+0001 "
                     "(character 2); dropped");
    ck_assert_str_eq(nb_diag_list_at(dl, 1)->msg,
                     "{{s}} in t.docx(word/document.xml):1: the value holds "
                     "U+DC01 (character 1), which XML cannot carry; dropped");
    ck_assert_str_eq(nb_diag_list_at(dl, 2)->msg,
                     "{{x}} in t.docx(word/document.xml):1: the value holds "
                     "byte 0xFF (not UTF-8) (character 1), which XML cannot "
                     "carry; dropped");
    ck_assert_str_eq(nb_diag_list_at(dl, 3)->loc.file, "data.json");
    ck_assert_uint_eq(nb_diag_list_at(dl, 3)->loc.line, 7);
    ck_assert_str_eq(nb_diag_list_at(dl, 3)->msg,
                     "{{t}} in t.docx(word/document.xml):1: the value holds "
                     "U+FFFF (character 2), which XML cannot carry; dropped");
    free(doc);
    nb_arena_free(a);
}
END_TEST

START_TEST(test_newlines_in_a_lone_field_start_paragraphs)
{
    nb_arena *a = nb_arena_new();
    nb_value *root = nb_v_map(a, 1);
    char *doc;

    nb_v_map_set(root, "v", nb_v_str(a, "a\rb\r\n\nc"));
    doc = render_with("<w:p><w:pPr><w:jc w:val=\"right\"/></w:pPr><w:r>"
                      "<w:rPr><w:i/></w:rPr><w:t>{{v}}</w:t></w:r></w:p>"
                      "<w:p><w:r><w:t>[{{v}}]</w:t></w:r></w:p>",
                      root);
#define PARA_I(text)                                                           \
    "<w:p><w:pPr><w:jc w:val=\"right\"/></w:pPr><w:r><w:rPr><w:i/></w:rPr>"    \
    "<w:t xml:space=\"preserve\">" text "</w:t></w:r></w:p>"
    ASSERT_HAS(doc, PARA_I("a") PARA_I("b") PARA_I("") PARA_I("c"));
#undef PARA_I
    ASSERT_HAS(doc, "[a" WT_BR "b" WT_BR WT_BR "c]");
    ck_assert_uint_eq(nb_diag_list_count(dl), 0);
    free(doc);
    nb_arena_free(a);
}
END_TEST

/* What a Chinese input method types inside a tag, and what the parser
 * reads; quoted text (filter arguments) and comments stay as written. */
static const struct {
    const char *in;
    const char *out;
} fold_cases[] = {
    {"\xE3\x80\x80title\xE3\x80\x80", " title "},
    {"\xC2\xA0title", " title"},
    {"\xEF\xBC\x83sections", "#sections"},
    {"\xEF\xBC\x8Fsections", "/sections"},
    {"\xE2\x80\xA6\xE2\x80\xA6meta.addressee", "^meta.addressee"},
    {"\xEF\xBD\x8D\xEF\xBD\x85\xEF\xBD\x94\xEF\xBD\x81\xE3\x80\x82year",
     "meta.year"},
    {"metric.ys\xE2\x80\x94\xE2\x80\x94loss_rate.text",
     "metric.ys_loss_rate.text"},
    {"n \xEF\xBD\x9C cn", "n | cn"},
    {"x | default:\xE2\x80\x9C\xE6\x97\xA0\xE3\x80\x80\xE6\x95\xB0\xE6\x8D\xAE"
     "\xE2\x80\x9D",
     "x | default:\xE2\x80\x9C\xE6\x97\xA0\xE3\x80\x80\xE6\x95\xB0\xE6\x8D\xAE"
     "\xE2\x80\x9D"},
    {"x|f:\"a\xE3\x80\x80|b\"\xE3\x80\x80|g", "x|f:\"a\xE3\x80\x80|b\" |g"},
    {"x|f:\xE2\x80\x9D\xEF\xBD\x9C\xE2\x80\x9D", "x|f:\xE2\x80\x9D\xEF\xBD\x9C"
                                                 "\xE2\x80\x9D"},
    {"x | f:\xEF\xBC\xA1", "x | f:\xEF\xBC\xA1"},
    {"\xEF\xBC\x81 \xE2\x80\x9C\xE6\xB3\xA8\xE2\x80\x9D\xE3\x80\x80",
     "! \xE2\x80\x9C\xE6\xB3\xA8\xE2\x80\x9D\xE3\x80\x80"},
};

START_TEST(test_fold_tag_reads_input_method_characters)
{
    nb_buf b;

    nb_buf_init(&b, 1024);
    nb_tmpl_fold_tag(&b, fold_cases[_i].in, strlen(fold_cases[_i].in));
    ck_assert_str_eq(b.data != NULL ? b.data : "", fold_cases[_i].out);
    nb_buf_fini(&b);
}
END_TEST

START_TEST(test_delimiters_mix_ascii_and_fullwidth_braces)
{
    const char *s = "a\xEF\xBD\x9B{b}\xEF\xBD\x9D c}";
    size_t len = strlen(s);
    size_t w;

    ck_assert_uint_eq(nb_tmpl_find_delim(s, len, 0, false, &w), 1);
    ck_assert_uint_eq(w, 4);
    ck_assert_uint_eq(nb_tmpl_find_delim(s, len, 0, true, &w), 6);
    ck_assert_uint_eq(w, 4);
    ck_assert_uint_eq(nb_tmpl_find_delim(s, len, 7, true, &w), len);
    ck_assert_uint_eq(w, 0);
    ck_assert(nb_tmpl_has_brace("x\xEF\xBD\x9D", 4));
    ck_assert(!nb_tmpl_has_brace("\xEF\xBD\x9C", 3));
}
END_TEST

START_TEST(test_fullwidth_braces_are_tags)
{
    char *doc = render_body(P("\xEF\xBD\x9B\xEF\xBD\x9B\xE3\x80\x80meta."
                              "issuer\xEF\xBD\x9D}"));

    ck_assert_ptr_nonnull(doc);
    ASSERT_HAS(doc, "<w:t xml:space=\"preserve\">A&amp;B司法局</w:t>");
    ck_assert_uint_eq(nb_diag_list_count(dl), 0);
    free(doc);
}
END_TEST

/* Deleted text is not part of a tag, and a tag inside it stays deleted;
 * field codes and the text between field characters are kept. */
START_TEST(test_tag_split_over_deleted_text_and_fields)
{
    char *doc = render_body(
        "<w:p><w:r><w:t>{{me</w:t></w:r>"
        "<w:del w:id=\"1\" w:author=\"a\"><w:r><w:delText>x{{#meta}}"
        "</w:delText></w:r></w:del>"
        "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r>"
        "<w:r><w:instrText>{{title}}</w:instrText></w:r>"
        "<w:r><w:fldChar w:fldCharType=\"separate\"/></w:r>"
        "<w:r><w:t>ta.iss</w:t></w:r>"
        "<w:r><w:fldChar w:fldCharType=\"end\"/></w:r>"
        "<w:r><w:t>uer}}</w:t></w:r></w:p>");

    ck_assert_ptr_nonnull(doc);
    ASSERT_HAS(doc, "<w:t xml:space=\"preserve\">A&amp;B司法局</w:t>");
    ASSERT_HAS(doc, "<w:delText>x{{#meta}}</w:delText>");
    ASSERT_HAS(doc, "<w:instrText>{{title}}</w:instrText>");
    ASSERT_HAS(doc, "<w:fldChar w:fldCharType=\"separate\"/></w:r><w:r><w:t/>"
                    "</w:r><w:r><w:fldChar w:fldCharType=\"end\"/>");
    ck_assert_uint_eq(nb_diag_list_count(dl), 0);
    free(doc);
}
END_TEST

START_TEST(test_close_without_open_is_an_error)
{
    ck_assert_ptr_null(render_body(P("{title}}")));
    NB_ASSERT_ONE_DIAG(dl, NB_TMPL_TAG_STRAY_CLOSE, 1);
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
    tcase_add_test(tc, test_section_over_paragraphs_with_text_around_its_tags);
    tcase_add_test(tc, test_row_loop_closed_in_the_next_row);
    tcase_add_test(tc, test_loop_positions);
    tcase_add_test(tc, test_named_loops_reach_a_shadowed_field);
    tcase_add_test(tc, test_condition_on_a_list);
    tcase_add_test(tc, test_repeated_rows_get_their_own_ids);
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
    tcase_add_loop_test(tc, test_filter_calls, 0,
                        sizeof(call_cases) / sizeof(call_cases[0]));
    tcase_add_test(tc, test_filter_default_and_suggestions);
    tcase_add_test(tc,
                   test_characters_xml_cannot_carry_are_dropped_and_reported);
    tcase_add_test(tc, test_newlines_in_a_lone_field_start_paragraphs);
    tcase_add_loop_test(tc, test_fold_tag_reads_input_method_characters, 0,
                        sizeof(fold_cases) / sizeof(fold_cases[0]));
    tcase_add_test(tc, test_delimiters_mix_ascii_and_fullwidth_braces);
    tcase_add_test(tc, test_fullwidth_braces_are_tags);
    tcase_add_test(tc, test_tag_split_over_deleted_text_and_fields);
    tcase_add_test(tc, test_close_without_open_is_an_error);
    tcase_add_test(tc, test_dde_field_refuses_the_template_unless_allowed);
    suite_add_tcase(s, tc);
    return s;
}
