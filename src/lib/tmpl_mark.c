/* tmpl_mark.c: find the tags that work on whole paragraphs, rows and
 * cells.
 *
 * Step 3 of the template compiler (tmpl_parse.c). nb_tmpl_normalise walks
 * a part, joining the tags of each paragraph (tmpl_join.c), which marks
 * the paragraphs that hold nothing but section tags: those tags work on
 * whole paragraphs and the paragraph itself disappears. Inside a table, a
 * row whose cells hold nothing but section tags works on whole rows, and
 * so do such paragraphs at the start of a row's first cell and at the end
 * of its last, and an opening tag that starts the row's text with the tag
 * that closes it at the end (docxtemplater's and poi-tl's row loops); such
 * paragraphs whose sections open and close in one cell work on that
 * cell's paragraphs instead. The serialiser reads the marks.
 */
#include "tmpl_compile.h"

#include <stdlib.h>
#include <string.h>

/* The markers of tmpl_compile.h */
char nb_tmpl_mark_control;
char nb_tmpl_mark_cell_control;
char nb_tmpl_mark_blank;
char nb_tmpl_mark_lone_field;
char nb_tmpl_mark_control_row;
char nb_tmpl_mark_row_edge;
char nb_tmpl_mark_loop_table;
char nb_tmpl_mark_cell_loop;
char nb_tmpl_mark_loop_cell;

/* ==== Table rows ==== */

bool nb_tmpl_is_block(const xmlNode *n)
{
    return is_w(n, "p") || is_w(n, "tbl") || is_w(n, "sdt") ||
           is_w(n, "customXml") || is_w(n, "altChunk");
}

/* Content of a row (ECMA-376 EG_ContentCellContent); other children,
 * such as w:trPr and bookmarks, are not. */
static bool is_cell_slot(const xmlNode *n)
{
    return is_w(n, "tc") || is_w(n, "sdt") || is_w(n, "customXml");
}

xmlNode *nb_tmpl_edge_child(const xmlNode *parent, bool last,
                            bool (*kind)(const xmlNode *))
{
    xmlNode *k;
    xmlNode *found = NULL;

    for (k = parent->children; k != NULL; k = k->next) {
        if (!kind(k))
            continue;
        found = k;
        if (!last)
            break;
    }
    return found;
}

xmlNode *nb_tmpl_row_table(const xmlNode *tr)
{
    xmlNode *k;

    for (k = tr->parent; k != NULL && k->type == XML_ELEMENT_NODE;
         k = k->parent)
        if (is_w(k, "tbl"))
            return k;
    return NULL;
}

/* Do the cells of 'tr' hold only paragraphs of section tags and blank
 * paragraphs, with at least one tag? */
static bool is_control_row(const xmlNode *tr)
{
    const xmlNode *tc;
    const xmlNode *q;
    bool any = false;

    for (tc = tr->children; tc != NULL; tc = tc->next) {
        if (tc->type != XML_ELEMENT_NODE || is_w(tc, "trPr") ||
            is_w(tc, "tblPrEx"))
            continue;
        if (!is_w(tc, "tc"))
            return false;
        for (q = tc->children; q != NULL; q = q->next) {
            if (q->type != XML_ELEMENT_NODE || is_w(q, "tcPr"))
                continue;
            if (!is_w(q, "p"))
                return false;
            if (q->_private == &nb_tmpl_mark_cell_control)
                any = true;
            else if (q->_private != &nb_tmpl_mark_blank)
                return false;
        }
    }
    return any;
}

xmlNode *nb_tmpl_row_cell(const xmlNode *tr, bool last)
{
    xmlNode *k = nb_tmpl_edge_child(tr, last, is_cell_slot);
    int depth;

    for (depth = 0; k != NULL && !is_w(k, "tc") && depth < 8; depth++) {
        if (is_w(k, "sdt")) {
            xmlNode *sc;

            for (sc = k->children; sc != NULL && !is_w(sc, "sdtContent");
                 sc = sc->next)
                ;
            k = sc;
        }
        k = k != NULL ? nb_tmpl_edge_child(k, last, is_cell_slot) : NULL;
    }
    return is_w(k, "tc") ? k : NULL;
}

xmlNode *nb_tmpl_row_edge(const xmlNode *tr, bool last, const void *mark)
{
    const xmlNode *tc = nb_tmpl_row_cell(tr, last);
    xmlNode *p;

    if (tc == NULL)
        return NULL;
    p = nb_tmpl_edge_child(tc, last, nb_tmpl_is_block);
    return p != NULL && p->_private == mark ? p : NULL;
}

static bool ptag_push(ptag_list *l, const ptag *t)
{
    if (l->n == l->alloc) {
        size_t na = l->alloc == 0 ? 8 : l->alloc * 2;
        ptag *nv = realloc(l->v, na * sizeof(*nv));

        if (nv == NULL)
            return false;
        l->v = nv;
        l->alloc = na;
    }
    l->v[l->n++] = *t;
    return true;
}

nb_status nb_tmpl_paragraph_tags(compiler *c, xmlNode *p, ptag_list *out)
{
    wt_list l = {NULL, 0, 0};
    bool plain = true;
    bool blank = true;
    nb_status st = NB_OK;
    size_t i;

    out->n = 0;
    if (!nb_tmpl_collect_wt(p, &l, &plain)) {
        free(l.v);
        return NB_ERR_NOMEM;
    }
    for (i = 0; i < l.n && st == NB_OK; i++) {
        xmlChar *all = xmlNodeGetContent(l.v[i]);
        const char *s = all != NULL ? (const char *)all : "";
        size_t pos = 0;
        ptag t;

        while (st == NB_OK) {
            const char *open = strstr(s + pos, "{{");
            const char *close = open != NULL ? strstr(open + 2, "}}") : NULL;
            size_t end = open != NULL ? (size_t)(open - s) : strlen(s);

            for (; pos < end; pos++)
                blank = blank && nb_is_blank(s[pos]);
            if (open == NULL)
                break;
            t.wt = l.v[i];
            t.off = end;
            t.len = close != NULL ? (size_t)(close + 2 - open) : 0;
            t.blank_before = blank;
            if (close == NULL ||
                !nb_tmpl_parse_tag(c, &t.tg, open + 2, t.len - 4,
                                   nb_xml_line(p))) {
                out->n = 0;
                st = c->oom ? NB_ERR_NOMEM : NB_ERR_FORMAT;
            } else if (!ptag_push(out, &t)) {
                st = NB_ERR_NOMEM;
            }
            pos = end + t.len;
            blank = true;
        }
        xmlFree(all);
    }
    free(l.v);
    out->blank_after = blank;
    return st == NB_ERR_FORMAT ? NB_OK : st;
}

/* The tag at the start of a row's first paragraph that opens a section
 * the paragraph does not close (last = false), or the tag at the end of
 * its last paragraph that closes one the paragraph did not open; NULL if
 * none. */
static const ptag *row_edge_tag(const ptag_list *l, bool last)
{
    const ptag *t;
    size_t i;
    size_t depth = 0;

    if (l->n == 0)
        return NULL;
    t = last ? &l->v[l->n - 1] : &l->v[0];
    if (last ? !l->blank_after || t->tg.kind != TAG_CLOSE
             : !t->blank_before ||
                   (t->tg.kind != TAG_OPEN && t->tg.kind != TAG_INVERTED))
        return NULL;
    for (i = 0; i < l->n; i++) {
        const ptag *k = &l->v[last ? l->n - 1 - i : i];
        bool opens = k->tg.kind == TAG_OPEN || k->tg.kind == TAG_INVERTED;

        if (!opens && k->tg.kind != TAG_CLOSE)
            continue;
        if (opens != last)
            depth++;
        else if (--depth == 0)
            return NULL; /* matched inside the paragraph */
    }
    return t;
}

/* Move tag 't' of paragraph 'p' into a new paragraph before 'p' (or after
 * it), marked as a cell paragraph of section tags only. */
static nb_status split_edge_tag(xmlNode *p, const ptag *t, bool after)
{
    xmlChar *all = xmlNodeGetContent(t->wt);
    size_t len = all != NULL ? strlen((const char *)all) : 0;
    xmlChar *text = NULL;
    xmlNode *np = NULL;
    xmlNode *r = NULL;
    char *rest = NULL;
    nb_status st = NB_ERR_NOMEM;

    if (all == NULL || t->off + t->len > len)
        goto done;
    text = xmlStrndup(all + t->off, (int)t->len);
    np = xmlNewDocNode(p->doc, p->ns, (const xmlChar *)"p", NULL);
    r = np != NULL ? xmlNewChild(np, p->ns, (const xmlChar *)"r", NULL) : NULL;
    rest = malloc(len - t->len + 1);
    if (text == NULL || r == NULL || rest == NULL ||
        xmlNewTextChild(r, p->ns, (const xmlChar *)"t", text) == NULL)
        goto done;
    memcpy(rest, all, t->off);
    memcpy(rest + t->off, all + t->off + t->len, len - t->off - t->len);
    nb_tmpl_set_text(t->wt, rest, len - t->len);
    np->line = p->line;
    np->_private = &nb_tmpl_mark_cell_control;
    if (after)
        xmlAddNextSibling(p, np);
    else
        xmlAddPrevSibling(p, np);
    np = NULL;
    st = NB_OK;
done:
    xmlFreeNode(np);
    free(rest);
    xmlFree(text);
    xmlFree(all);
    return st;
}

/* The row form written inline, as docxtemplater users do:
 * "{{#rows}}{{name}}" in the first cell and "{{text}}{{/rows}}" in the
 * last. An opening tag that starts the row's first paragraph without
 * closing there, and a closing tag that ends its last paragraph without
 * opening there, move into paragraphs of their own, which then work on
 * rows. */
static nb_status split_row_edges(compiler *c, xmlNode *tr)
{
    const xmlNode *first = nb_tmpl_row_cell(tr, false);
    const xmlNode *last = nb_tmpl_row_cell(tr, true);
    xmlNode *hp = first != NULL
                      ? nb_tmpl_edge_child(first, false, nb_tmpl_is_block)
                      : NULL;
    xmlNode *tp = last != NULL
                      ? nb_tmpl_edge_child(last, true, nb_tmpl_is_block)
                      : NULL;
    ptag_list hl = {NULL, 0, 0, false};
    ptag_list tl = {NULL, 0, 0, false};
    const ptag *h;
    const ptag *t;
    nb_status st = NB_OK;
    bool quiet = c->quiet;

    if (!is_w(hp, "p") || !is_w(tp, "p") || hp == tp ||
        hp->_private == &nb_tmpl_mark_cell_loop ||
        tp->_private == &nb_tmpl_mark_cell_loop)
        return NB_OK;
    c->quiet = true; /* nb_tmpl_normalise_paragraph reported their bad tags */
    st = nb_tmpl_paragraph_tags(c, hp, &hl);
    if (st == NB_OK)
        st = nb_tmpl_paragraph_tags(c, tp, &tl);
    c->quiet = quiet;
    h = st == NB_OK ? row_edge_tag(&hl, false) : NULL;
    t = st == NB_OK ? row_edge_tag(&tl, true) : NULL;
    /* one edge alone: its other tag is in another row (Carbone's
     * "[i]" and "[i+1]" rows, or a row of section tags) */
    if (h != NULL && hp->_private != &nb_tmpl_mark_cell_control)
        st = split_edge_tag(hp, h, false);
    if (st == NB_OK && t != NULL && tp->_private != &nb_tmpl_mark_cell_control)
        st = split_edge_tag(tp, t, true);
    free(hl.v);
    free(tl.v);
    return st;
}

/* A cell's control paragraphs, and how many of their section tags open
 * or close a section of the same cell. */
typedef struct cell_par {
    xmlNode *p;
    size_t n_tags;
    size_t n_matched;
} cell_par;

typedef struct open_tag {
    size_t par;       /* index into the cell_par array */
    const char *path; /* the tag's path_text, in the arena */
    size_t path_len;
} open_tag;

/* Match the section tags of the cell's control paragraphs in order; 'pv'
 * holds those paragraphs. */
static nb_status match_cell_tags(compiler *c, cell_par *pv, size_t n)
{
    ptag_list l = {NULL, 0, 0, false};
    open_tag *stack = NULL;
    size_t depth = 0;
    size_t alloc = 0;
    size_t i;
    size_t j;
    nb_status st = NB_OK;
    bool quiet = c->quiet;

    c->quiet = true; /* nb_tmpl_normalise_paragraph reported their bad tags */
    for (i = 0; i < n && st == NB_OK; i++) {
        st = nb_tmpl_paragraph_tags(c, pv[i].p, &l);
        for (j = 0; j < l.n && st == NB_OK; j++) {
            const tag *tg = &l.v[j].tg;
            open_tag *top = depth > 0 ? &stack[depth - 1] : NULL;

            if (tg->kind == TAG_COMMENT || tg->kind == TAG_FIELD ||
                tg->kind == TAG_INCLUDE)
                continue;
            pv[i].n_tags++;
            if (tg->kind == TAG_CLOSE) {
                if (top != NULL && top->path_len == tg->path_len &&
                    memcmp(top->path, tg->path_text, tg->path_len) == 0) {
                    pv[top->par].n_matched++;
                    pv[i].n_matched++;
                    depth--;
                }
                continue;
            }
            if (depth == alloc) {
                size_t na = alloc == 0 ? 8 : alloc * 2;
                open_tag *nv = realloc(stack, na * sizeof(*nv));

                if (nv == NULL) {
                    st = NB_ERR_NOMEM;
                    break;
                }
                stack = nv;
                alloc = na;
            }
            stack[depth].par = i;
            stack[depth].path = tg->path_text;
            stack[depth].path_len = tg->path_len;
            depth++;
        }
    }
    c->quiet = quiet;
    free(stack);
    free(l.v);
    return st;
}

/* Section tags alone in paragraphs of one cell that open and close in
 * that cell work on the cell's paragraphs (the smallest thing that holds
 * both tags repeats, as in docxtemplater). Such paragraphs and their cell
 * are marked; tags that close in another cell still work on rows. */
static nb_status mark_cell(compiler *c, xmlNode *tc)
{
    cell_par *pv = NULL;
    size_t n = 0;
    size_t alloc = 0;
    xmlNode *q;
    size_t i;
    nb_status st = NB_OK;

    for (q = tc->children; q != NULL; q = q->next) {
        if (q->_private != &nb_tmpl_mark_cell_control)
            continue;
        if (n == alloc) {
            size_t na = alloc == 0 ? 8 : alloc * 2;
            cell_par *nv = realloc(pv, na * sizeof(*nv));

            if (nv == NULL) {
                free(pv);
                return NB_ERR_NOMEM;
            }
            pv = nv;
            alloc = na;
        }
        pv[n].p = q;
        pv[n].n_tags = 0;
        pv[n].n_matched = 0;
        n++;
    }
    if (n > 1)
        st = match_cell_tags(c, pv, n);
    for (i = 0; i < n && st == NB_OK; i++) {
        if (pv[i].n_tags == 0 || pv[i].n_matched != pv[i].n_tags)
            continue;
        pv[i].p->_private = &nb_tmpl_mark_cell_loop;
        tc->_private = &nb_tmpl_mark_loop_cell;
    }
    free(pv);
    return st;
}

/* Decide whether the tags of row 'tr' work on rows: all of them in a
 * control row, or those of the paragraphs at its edges. The cells were
 * read already. */
static nb_status mark_row(compiler *c, xmlNode *tr)
{
    xmlNode *tbl = nb_tmpl_row_table(tr);
    xmlNode *head;
    xmlNode *tail;
    nb_status st;

    if (tbl == NULL)
        return NB_OK;
    if (is_control_row(tr)) {
        tr->_private = &nb_tmpl_mark_control_row;
        tbl->_private = &nb_tmpl_mark_loop_table;
        return NB_OK;
    }
    st = split_row_edges(c, tr);
    if (st != NB_OK)
        return st;
    head = nb_tmpl_row_edge(tr, false, &nb_tmpl_mark_cell_control);
    tail = nb_tmpl_row_edge(tr, true, &nb_tmpl_mark_cell_control);
    if (head != NULL)
        head->_private = &nb_tmpl_mark_row_edge;
    if (tail != NULL && tail != head)
        tail->_private = &nb_tmpl_mark_row_edge;
    if (head != NULL || tail != NULL)
        tbl->_private = &nb_tmpl_mark_loop_table;
    return NB_OK;
}

/* Join the tags of every paragraph of 'n', its siblings and all they
 * hold. */
static nb_status join_all(compiler *c, xmlNode *n)
{
    xmlNode *k;
    nb_status st;

    for (k = n; k != NULL; k = k->next) {
        bool fallback = nb_xml_is(k, MC_NS, "Fallback");

        if (k->type != XML_ELEMENT_NODE)
            continue;
        if (is_w(k, "p")) {
            c->paragraph++;
            st = nb_tmpl_normalise_paragraph(c, k);
            if (st != NB_OK)
                return st;
        }
        c->in_fallback += fallback;
        st = join_all(c, k->children);
        c->in_fallback -= fallback;
        if (st != NB_OK)
            return st;
    }
    return NB_OK;
}

/* Mark the cells and rows whose tags work on paragraphs or rows. */
static nb_status mark_all(compiler *c, xmlNode *n)
{
    xmlNode *k;
    nb_status st = NB_OK;

    for (k = n; k != NULL && st == NB_OK; k = k->next) {
        if (k->type != XML_ELEMENT_NODE)
            continue;
        st = mark_all(c, k->children);
        if (st == NB_OK && is_w(k, "tc"))
            st = mark_cell(c, k);
        if (st == NB_OK && is_w(k, "tr"))
            st = mark_row(c, k);
    }
    return st;
}

nb_status nb_tmpl_normalise(compiler *c, xmlNode *n)
{
    nb_status st = join_all(c, n);

    if (st == NB_OK)
        st = nb_tmpl_split_sections(c, n);
    if (st == NB_OK)
        st = mark_all(c, n);
    return st;
}
