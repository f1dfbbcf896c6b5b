/* write_xml.c: report model -> report XML (schemas/report.xsd).
 *
 * The inverse of read_xml.c: what the data gave is written, and what the
 * model filled in by default (a section's title, the report's title, the
 * signer) is left out, so reading the output gives the same model. Two
 * spaces indent each level; text is escaped, never re-wrapped.
 */
#include "model.h"
#include "schema.h"
#include "xml_io.h"

#include <string.h>

static void indent(nb_buf *b, int depth)
{
    int i;

    for (i = 0; i < depth; i++)
        nb_buf_adds(b, "  ");
}

/* An element with its text; a metric reference in the text becomes
 * <m code="…"/> (model.h). */
static void element(nb_buf *b, int depth, const char *name, const char *text)
{
    const char *p = text;

    if (text == NULL)
        return;
    indent(b, depth);
    nb_buf_printf(b, "<%s>", name);
    while (p != NULL) {
        nb_ref ref;
        const char *next;
        size_t n = nb_ref_scan(p, &ref, &next);

        nb_xml_escape(b, p, n, NB_ESC_TEXT);
        if (next != NULL)
            nb_buf_printf(b, "<m code=\"%.*s\"%s%.*s%s/>", (int)ref.code_len,
                          ref.code, ref.field_len > 0 ? " show=\"" : "",
                          (int)ref.field_len, ref.field,
                          ref.field_len > 0 ? "\"" : "");
        p = next;
    }
    nb_buf_printf(b, "</%s>\n", name);
}

static void paras(nb_buf *b, int depth, const char *wrap, const nb_para *p,
                  size_t n)
{
    size_t i;

    if (n == 0)
        return;
    if (wrap != NULL) {
        indent(b, depth);
        nb_buf_printf(b, "<%s>\n", wrap);
        depth++;
    }
    for (i = 0; i < n; i++)
        element(b, depth, "p", p[i].text);
    if (wrap != NULL) {
        indent(b, depth - 1);
        nb_buf_printf(b, "</%s>\n", wrap);
    }
}

static void items(nb_buf *b, int depth, const nb_item *it, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        const nb_item *x = &it[i];

        indent(b, depth);
        nb_buf_adds(b, "<item");
        if (!x->run_in)
            nb_buf_adds(b, " layout=\"paragraph\"");
        if (x->n_items > 0 && x->items[0].numbering != NB_NUM_AUTO)
            nb_buf_printf(b, " numbering=\"%s\"",
                          nb_numbering_name(x->items[0].numbering));
        nb_buf_adds(b, ">\n");
        element(b, depth + 1, "lead", x->lead);
        element(b, depth + 1, "text", x->text);
        paras(b, depth + 1, NULL, x->paras, x->n_paras);
        items(b, depth + 1, x->items, x->n_items);
        indent(b, depth);
        nb_buf_adds(b, "</item>\n");
    }
}

static void area(nb_buf *b, const nb_area *a)
{
    indent(b, 2);
    nb_buf_adds(b, "<area");
    if (a->run_in)
        nb_buf_adds(b, " layout=\"run-in\"");
    if (a->numbering != NB_NUM_AUTO)
        nb_buf_printf(b, " numbering=\"%s\"", nb_numbering_name(a->numbering));
    nb_buf_adds(b, ">\n");
    element(b, 3, "title", a->title);
    paras(b, 3, NULL, a->paras, a->n_paras);
    items(b, 3, a->items, a->n_items);
    indent(b, 2);
    nb_buf_adds(b, "</area>\n");
}

static void section(nb_buf *b, const nb_section *s)
{
    size_t i;

    nb_buf_printf(b, "  <section kind=\"%s\">\n",
                  nb_section_kind_name(s->kind));
    if (!s->title_default)
        element(b, 2, "title", s->title);
    paras(b, 2, "intro", s->intro, s->n_intro);
    element(b, 2, "summary", s->summary);
    for (i = 0; i < s->n_areas; i++)
        area(b, &s->areas[i]);
    paras(b, 2, "closing", s->closing, s->n_closing);
    nb_buf_adds(b, "  </section>\n");
}

static size_t n_data_metrics(const nb_report *r)
{
    size_t i;
    size_t n = 0;

    for (i = 0; i < r->n_metrics; i++)
        n += !r->metrics[i].derived;
    return n;
}

static void attr(nb_buf *b, const char *name, const char *v)
{
    if (v == NULL)
        return;
    nb_buf_printf(b, " %s=\"", name);
    nb_xml_escape(b, v, strlen(v), NB_ESC_ATTR);
    nb_buf_addc(b, '"');
}

nb_status nb_report_to_xml(char **out, size_t *len_out, const nb_report *r,
                           nb_diag_list *dl)
{
    const nb_meta *m = &r->meta;
    nb_buf b;
    size_t i;

    *out = NULL;
    *len_out = 0;
    nb_buf_init(&b, NB_TEXT_MAX);
    nb_buf_printf(&b,
                  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                  "<report xmlns=\"%s\" version=\"1\">\n  <meta>\n",
                  NB_REPORT_NS);
    element(&b, 2, "issuer", m->issuer);
    element(&b, 2, "year", m->year_text);
    element(&b, 2, "date", m->date);
    element(&b, 2, "index-number", m->index_number);
    element(&b, 2, "doc-number", m->doc_number);
    element(&b, 2, "disclosure", m->disclosure);
    element(&b, 2, "topic", m->topic);
    element(&b, 2, "published", m->published);
    element(&b, 2, "addressee", m->addressee);
    if (!m->signer_default)
        element(&b, 2, "signer", m->signer);
    if (m->profile != NB_PROFILE_DEFAULT)
        element(&b, 2, "profile", nb_profile_name(m->profile));
    if (m->seal)
        element(&b, 2, "seal", "true");
    if (m->numbering != NB_NUM_AUTO)
        element(&b, 2, "numbering", nb_numbering_name(m->numbering));
    if (m->figures_table != NB_FIGTAB_NONE)
        element(&b, 2, "figures-table",
                nb_figures_table_name(m->figures_table));
    nb_buf_adds(&b, "  </meta>\n");
    if (!r->title_default)
        element(&b, 1, "title", r->title);
    paras(&b, 1, "preamble", r->preamble, r->n_preamble);
    for (i = 0; i < r->n_sections; i++)
        section(&b, &r->sections[i]);
    if (n_data_metrics(r) > 0) {
        nb_buf_adds(&b, "  <metrics>\n");
        for (i = 0; i < r->n_metrics; i++) {
            const nb_metric *x = &r->metrics[i];

            if (x->derived)
                continue; /* computed by the rules, not data */
            nb_buf_adds(&b, "    <metric");
            attr(&b, "code", x->code);
            attr(&b, "unit", x->unit);
            attr(&b, "note", x->note);
            attr(&b, "allow", x->allow);
            attr(&b, "reason", x->reason);
            attr(&b, "rounding", x->truncate ? "truncate" : NULL);
            nb_buf_adds(&b, ">");
            nb_xml_escape(&b, x->value, strlen(x->value), NB_ESC_TEXT);
            nb_buf_adds(&b, "</metric>\n");
        }
        nb_buf_adds(&b, "  </metrics>\n");
    }
    nb_buf_adds(&b, "</report>\n");
    if (b.st != NB_OK) {
        nb_status st = b.st;
        nb_loc loc = {r->file, 0, 0, NULL};

        nb_buf_fini(&b);
        if (st == NB_ERR_LIMIT)
            nb_diag_add(dl, NB_LIMIT_OUTPUT, &loc, "%s",
                        _("the report XML would be larger than the output "
                          "limit"));
        else
            nb_diag_nomem(dl, r->file);
        return st;
    }
    *out = nb_buf_steal(&b, len_out);
    return NB_OK;
}

nb_status nb_report_write_xml(const nb_report *r, const char *path,
                              nb_diag_list *dl)
{
    char *xml = NULL;
    size_t len = 0;
    nb_status st = nb_report_refuse_partial(r, dl)
                       ? NB_ERR_FORMAT
                       : nb_report_to_xml(&xml, &len, r, dl);

    if (st == NB_OK)
        st = nb_write_file_atomic(path, xml, len, dl);
    nb_free(xml);
    return st;
}
