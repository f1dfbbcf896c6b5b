/* text_write.c: the report as plain text: the paragraphs of the merged
 * word/document.xml of a .docx template, in reading order, one a line,
 * with the ordinals the template wrote (一、 （一） 1.), and a table row a
 * line, its cells separated by tabs. Being the DOCX's own
 * paragraphs, the text follows the template that is rendered, restyled or
 * not, and is what the published document says, for pasting, diffing and
 * searching.
 */
#include "tmpl_compile.h"

#include <stdlib.h>
#include <string.h>

typedef struct text_out {
    nb_buf *out;
    bool oom;
} text_out;

/* Is 'n' text nobody reads: deleted by a reviewer, a field's code, the
 * VML copy of a text box (mc:Fallback), a note's or comment's mark? */
static bool skipped(const xmlNode *n)
{
    return is_w(n, "del") || is_w(n, "moveFrom") || is_w(n, "delText") ||
           is_w(n, "instrText") || nb_xml_is(n, MC_NS, "Fallback");
}

static void paragraph(text_out *to, const xmlNode *p);
static void table_row(text_out *to, const xmlNode *tr);

/* The text of the elements from 'n' on, into 'b'; paragraphs met inside
 * (text boxes) are written as their own lines. */
static void collect(text_out *to, nb_buf *b, const xmlNode *n)
{
    for (; n != NULL; n = n->next) {
        if (n->type != XML_ELEMENT_NODE || skipped(n))
            continue;
        if (is_w(n, "p")) {
            paragraph(to, n);
        } else if (is_w(n, "tr")) {
            table_row(to, n);
        } else if (is_w(n, "t")) {
            xmlChar *s = xmlNodeGetContent(n);

            if (s != NULL)
                nb_buf_adds(b, (const char *)s);
            else
                to->oom = true;
            xmlFree(s);
        } else if (is_w(n, "tab") && !is_w(n->parent, "tabs")) {
            nb_buf_addc(b, '\t');
        } else if (is_w(n, "br") || is_w(n, "cr")) {
            /* a line break inside a paragraph (a title set on two
             * lines): nothing between Chinese characters, else a space */
            if (b->len > 0 && (unsigned char)b->data[b->len - 1] < 0x80 &&
                b->data[b->len - 1] != ' ')
                nb_buf_addc(b, ' ');
        } else if (is_w(n, "noBreakHyphen")) {
            nb_buf_addc(b, '-');
        } else {
            collect(to, b, n->children);
        }
    }
}

/* The paragraphs of a table cell into 'b', a space between two. */
static void cell(text_out *to, nb_buf *b, const xmlNode *tc)
{
    const xmlNode *n;
    size_t start = b->len;

    for (n = tc->children; n != NULL; n = n->next) {
        if (n->type != XML_ELEMENT_NODE || skipped(n))
            continue;
        if (is_w(n, "p")) {
            if (b->len > start)
                nb_buf_addc(b, ' ');
            collect(to, b, n->children);
        } else if (is_w(n, "sdt") || is_w(n, "sdtContent") ||
                   is_w(n, "customXml")) {
            cell(to, b, n);
        } else if (is_w(n, "tbl")) {
            collect(to, b, n->children); /* its rows: lines of their own */
        }
    }
}

/* The cells of 'row' (w:tc, or inside content controls) into 'b'. */
static void row_cells(text_out *to, nb_buf *b, const xmlNode *row, bool *first)
{
    const xmlNode *n;

    for (n = row->children; n != NULL; n = n->next) {
        if (n->type != XML_ELEMENT_NODE || skipped(n))
            continue;
        if (is_w(n, "tc")) {
            if (!*first)
                nb_buf_addc(b, '\t');
            *first = false;
            cell(to, b, n);
        } else if (is_w(n, "sdt") || is_w(n, "sdtContent") ||
                   is_w(n, "customXml")) {
            row_cells(to, b, n, first);
        }
    }
}

/* A table row, a line: its cells separated by tabs, as a spreadsheet
 * pastes them; a row with no text is left out. */
static void table_row(text_out *to, const xmlNode *tr)
{
    nb_buf b;
    bool first = true;
    size_t i;

    nb_buf_init(&b, to->out->max);
    row_cells(to, &b, tr, &first);
    if (b.st != NB_OK)
        to->oom = true;
    for (i = 0; i < b.len && (b.data[i] == '\t' || b.data[i] == ' '); i++)
        ;
    if (b.st == NB_OK && i < b.len) {
        nb_buf_add(to->out, b.data, b.len);
        nb_buf_addc(to->out, '\n');
    }
    nb_buf_fini(&b);
}

/* One paragraph, a line, unless it is empty. */
static void paragraph(text_out *to, const xmlNode *p)
{
    nb_buf b;

    nb_buf_init(&b, to->out->max);
    collect(to, &b, p->children);
    if (b.st != NB_OK)
        to->oom = true;
    else if (b.len > 0) {
        nb_buf_add(to->out, b.data, b.len);
        nb_buf_addc(to->out, '\n');
    }
    nb_buf_fini(&b);
}

static const nb_tpart *document_part(const nb_template *t)
{
    size_t i;

    for (i = 0; i < t->n_parts; i++)
        if (strcmp(t->parts[i].name, "word/document.xml") == 0)
            return &t->parts[i];
    return NULL;
}

nb_status nb_text_render(void **out, size_t *len_out, const nb_template *t,
                         const nb_value *root, const char *name,
                         nb_diag_list *dl)
{
    const nb_tpart *p = document_part(t);
    xmlDocPtr doc = NULL;
    nb_buf xml;
    nb_buf text;
    text_out to;
    nb_limits own = t->limits;
    nb_status st;

    *out = NULL;
    *len_out = 0;
    if (p == NULL) /* a loaded .docx template always has it */
        return nb_diag_nomem(dl, name);
    nb_buf_init(&xml, t->limits.max_output_bytes);
    nb_buf_init(&text, t->limits.max_output_bytes);
    st = p->merged ? nb_tmpl_eval_part(&xml, t, p, root, name, dl)
                   : nb_buf_add(&xml, p->raw, p->raw_len);
    /* the merged part is the library's own, within the output limit */
    own.max_elements = SIZE_MAX;
    if (st == NB_OK)
        st = nb_xml_parse(&doc, xml.data, xml.len, t->file, p->name,
                          NB_TMPL_PART_MALFORMED, true, &own, dl);
    if (st == NB_OK) {
        nb_buf stray; /* text outside paragraphs: none in a valid part */

        nb_buf_init(&stray, t->limits.max_output_bytes);
        to.out = &text;
        to.oom = false;
        collect(&to, &stray, xmlDocGetRootElement(doc));
        nb_buf_fini(&stray);
        st = to.oom || text.st == NB_ERR_NOMEM ? nb_diag_nomem(dl, name)
                                               : text.st;
    }
    if (st == NB_OK)
        *out = nb_buf_steal(&text, len_out);
    xmlFreeDoc(doc);
    nb_buf_fini(&xml);
    nb_buf_fini(&text);
    return st;
}
