/* tmpl_split.c: sections whose tags sit in different paragraphs with text
 * around them.
 *
 * "Total: {{#items}}{{name}}" … "{{/items}} end." is how docxtemplater,
 * poi-tl, python-docx-template and Carbone users write a loop over
 * paragraphs: the content between the tags repeats. Here each such tag
 * moves into a paragraph of its own (a control paragraph, which works on
 * whole paragraphs), and its paragraph is split there into the text
 * before and the text after, each keeping the paragraph's and the run's
 * properties; a part left without text goes. Only tags whose section
 * opens and closes in paragraphs of one container (the body, a cell, a
 * text box, a note) are moved; the others keep the errors they had.
 */
#include "tmpl_compile.h"

#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 64 /* of a <w:t> below its paragraph */

/* Word 2010's paragraph ids, unique in a part: a copy goes without them */
#define W14_NS "http://schemas.microsoft.com/office/word/2010/wordml"

/* The section tags of one paragraph of a container, and which of them
 * open or close a section in another paragraph. */
typedef struct spar {
    xmlNode *p;
    ptag_list tags;
    bool *cross; /* tags.n flags */
} spar;

typedef struct sopen {
    size_t par;
    size_t tag;
} sopen;

/* ---- Splitting one paragraph ---- */

static size_t child_index(const xmlNode *n)
{
    size_t i = 0;

    for (n = n->prev; n != NULL; n = n->prev)
        i++;
    return i;
}

static xmlNode *child_at(xmlNode *parent, size_t i)
{
    xmlNode *k = parent->children;

    while (k != NULL && i-- > 0)
        k = k->next;
    return k;
}

/* Property elements (w:pPr, w:rPr…) that a split part keeps. */
static bool is_props(const xmlNode *n)
{
    size_t len;

    if (n->type != XML_ELEMENT_NODE)
        return false;
    len = strlen((const char *)n->name);
    return len > 2 && strcmp((const char *)n->name + len - 2, "Pr") == 0;
}

/* Remove what follows 'n' (after) or precedes it (!after, keeping
 * properties) at every level up to paragraph 'p'. */
static void cut_around(xmlNode *p, xmlNode *n, bool after)
{
    for (; n != p && n != NULL; n = n->parent) {
        xmlNode *k = after ? n->next : n->prev;

        while (k != NULL) {
            xmlNode *next = after ? k->next : k->prev;

            if (after || !is_props(k)) {
                xmlUnlinkNode(k);
                xmlFreeNode(k);
            }
            k = next;
        }
    }
}

static void remove_ids_and_breaks(xmlNode *p, bool ids, bool breaks)
{
    xmlNode *k;

    if (ids) {
        xmlUnsetNsProp(p, xmlSearchNsByHref(p->doc, p, (const xmlChar *)W14_NS),
                       (const xmlChar *)"paraId");
        xmlUnsetNsProp(p, xmlSearchNsByHref(p->doc, p, (const xmlChar *)W14_NS),
                       (const xmlChar *)"textId");
    }
    if (!breaks)
        return;
    for (k = p->children; k != NULL; k = k->next) {
        if (is_w(k, "pPr")) {
            xmlNode *s = k->children;

            while (s != NULL) {
                xmlNode *next = s->next;

                if (is_w(s, "sectPr")) {
                    xmlUnlinkNode(s);
                    xmlFreeNode(s);
                }
                s = next;
            }
        }
    }
}

static void use_ns(xmlNode *n, const xmlNs *from, xmlNs *to)
{
    xmlAttr *a;

    for (; n != NULL; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (n->ns == from)
            n->ns = to;
        for (a = n->properties; a != NULL; a = a->next)
            if (a->ns == from)
                a->ns = to;
        use_ns(n->children, from, to);
    }
}

/* A copy declares the namespaces it uses: those in scope where it went
 * are used instead. */
static void drop_redundant_ns(xmlNode *q)
{
    xmlNs **pp = &q->nsDef;

    while (*pp != NULL) {
        xmlNs *d = *pp;
        xmlNs *up = xmlSearchNs(q->doc, q->parent, d->prefix);

        if (up != NULL && xmlStrEqual(up->href, d->href)) {
            xmlNode *only = q;
            xmlNode *after = q->next;

            q->next = NULL; /* q and what it holds, not its siblings */
            use_ns(only, d, up);
            q->next = after;
            *pp = d->next;
            d->next = NULL;
            xmlFreeNs(d);
        } else {
            pp = &d->next;
        }
    }
}

/* A new paragraph holding only the tag text s[0..len), after 'p'. */
static xmlNode *add_control(xmlNode *p, const char *s, size_t len)
{
    xmlNode *np = xmlNewDocNode(p->doc, p->ns, (const xmlChar *)"p", NULL);
    xmlNode *r =
        np != NULL ? xmlNewChild(np, p->ns, (const xmlChar *)"r", NULL) : NULL;
    xmlNode *t =
        r != NULL ? xmlNewChild(r, p->ns, (const xmlChar *)"t", NULL) : NULL;

    if (t == NULL) {
        xmlFreeNode(np);
        return NULL;
    }
    nb_tmpl_set_text(t, s, len);
    np->line = p->line;
    np->_private = nb_tmpl_in_cell(p) ? &nb_tmpl_mark_cell_control
                                      : &nb_tmpl_mark_control;
    xmlAddNextSibling(p, np);
    return np;
}

/* Split 'p' at tag 'tg': 'p' keeps what comes before, a control paragraph
 * and a copy holding what comes after follow it. */
static nb_status split_at(xmlNode *p, const ptag *tg)
{
    size_t path[MAX_DEPTH];
    size_t depth = 0;
    size_t len;
    xmlNode *n;
    xmlNode *q = NULL;
    xmlChar *all = xmlNodeGetContent(tg->wt);
    nb_status st = NB_ERR_NOMEM;

    for (n = tg->wt; n != p && n != NULL && depth < MAX_DEPTH; n = n->parent)
        path[depth++] = child_index(n);
    len = all != NULL ? strlen((const char *)all) : 0;
    if (n != p || all == NULL || tg->off + tg->len > len) {
        st = n != p ? NB_OK : st; /* too deep: left as it is */
        goto done;
    }
    q = xmlDocCopyNode(p, p->doc, 1);
    if (q == NULL)
        goto done;
    for (n = q; depth > 0 && n != NULL; depth--)
        n = child_at(n, path[depth - 1]);
    if (n == NULL || add_control(p, (const char *)all + tg->off, tg->len) ==
                         NULL)
        goto done;
    nb_tmpl_set_text(n, (const char *)all + tg->off + tg->len,
                     len - tg->off - tg->len);
    xmlNodeSetSpacePreserve(n, 1); /* the blanks at the cut stay */
    cut_around(q, n, false);
    nb_tmpl_set_text(tg->wt, (const char *)all, tg->off);
    xmlNodeSetSpacePreserve(tg->wt, 1);
    cut_around(p, tg->wt, true);
    remove_ids_and_breaks(q, true, false);
    remove_ids_and_breaks(p, false, true); /* the last part keeps them */
    xmlAddNextSibling(p->next, q);
    drop_redundant_ns(q);
    q = NULL;
    st = NB_OK;
done:
    xmlFreeNode(q);
    xmlFree(all);
    return st;
}

/* ---- The parts of a split paragraph ---- */

/* Does 'n' hold an element 'name' (w:) below it? */
static bool holds(const xmlNode *n, const char *name)
{
    const xmlNode *k;

    for (k = n->children; k != NULL; k = k->next)
        if (k->type == XML_ELEMENT_NODE && (is_w(k, name) || holds(k, name)))
            return true;
    return false;
}

/* Nothing but runs of blank text: the part of a split paragraph goes. */
static bool is_empty_part(const xmlNode *n)
{
    const xmlNode *k;

    for (k = n->children; k != NULL; k = k->next) {
        if (k->type == XML_TEXT_NODE && is_w(n, "t")) {
            const char *s = (const char *)k->content;

            for (; s != NULL && *s != '\0'; s++)
                if (!nb_is_blank(*s))
                    return false;
            continue;
        }
        if (k->type != XML_ELEMENT_NODE || is_props(k) ||
            is_w(k, "proofErr") || is_w(k, "lastRenderedPageBreak"))
            continue;
        if (!(is_w(k, "r") || is_w(k, "t")) || !is_empty_part(k))
            return false;
    }
    return true;
}

/* Mark a part as nb_tmpl_normalise_paragraph marks a paragraph. */
static nb_status classify(compiler *c, xmlNode *p)
{
    ptag_list l = {NULL, 0, 0, false};
    wt_list w = {NULL, 0, 0};
    bool plain = true;
    bool blank;
    size_t fields = 0;
    size_t i;
    nb_status st = nb_tmpl_paragraph_tags(c, p, &l);

    if (st == NB_OK && !nb_tmpl_collect_wt(p, &w, &plain))
        st = NB_ERR_NOMEM;
    blank = l.blank_after;
    for (i = 0; i < l.n; i++) {
        blank = blank && l.v[i].blank_before;
        fields += l.v[i].tg.kind == TAG_FIELD;
    }
    p->_private = NULL;
    if (blank && fields == 1 && l.n == 1)
        p->_private = &nb_tmpl_mark_lone_field;
    else if (plain && blank && l.n > 0 && fields == 0)
        p->_private = nb_tmpl_in_cell(p) ? &nb_tmpl_mark_cell_control
                                         : &nb_tmpl_mark_control;
    else if (plain && blank && l.n == 0)
        p->_private = &nb_tmpl_mark_blank;
    free(l.v);
    free(w.v);
    return st;
}

/* Split paragraph 'sp' at each of its tags that cross paragraphs, then
 * drop or mark the parts. */
static nb_status split_paragraph(compiler *c, spar *sp)
{
    xmlNode *end = sp->p->next;
    xmlNode *k;
    size_t i;
    nb_status st = NB_OK;

    if (holds(sp->p, "p") || holds(sp->p, "fldChar"))
        return NB_OK; /* text boxes, fields: not cut */
    for (i = sp->tags.n; i-- > 0 && st == NB_OK;)
        if (sp->cross[i])
            st = split_at(sp->p, &sp->tags.v[i]);
    for (k = sp->p; k != NULL && k != end && st == NB_OK;) {
        xmlNode *next = k->next;

        if (is_w(k, "p") && k->_private != &nb_tmpl_mark_control &&
            k->_private != &nb_tmpl_mark_cell_control) {
            if (is_empty_part(k) && !holds(k, "sectPr")) {
                xmlUnlinkNode(k);
                xmlFreeNode(k);
            } else {
                st = classify(c, k);
            }
        }
        k = next;
    }
    return st;
}

/* ---- One container ---- */

static bool same_path(const tag *a, const tag *b)
{
    return a->path_len == b->path_len &&
           memcmp(a->path_text, b->path_text, a->path_len) == 0;
}

/* Pair the section tags of the paragraphs in order and flag those whose
 * other tag is in another paragraph. False when the tags do not nest
 * (the compiler reports that); *oom on OOM. */
static bool pair_tags(spar *pv, size_t n, bool *oom)
{
    sopen *stack = NULL;
    size_t depth = 0;
    size_t alloc = 0;
    size_t i;
    size_t j;
    bool ok = true;

    for (i = 0; i < n && ok; i++) {
        for (j = 0; j < pv[i].tags.n && ok; j++) {
            const tag *tg = &pv[i].tags.v[j].tg;

            if (tg->kind == TAG_FIELD || tg->kind == TAG_COMMENT ||
                tg->kind == TAG_INCLUDE)
                continue;
            if (tg->kind == TAG_CLOSE) {
                const sopen *top = depth > 0 ? &stack[depth - 1] : NULL;

                if (top == NULL)
                    continue; /* opened outside the container */
                ok = same_path(&pv[top->par].tags.v[top->tag].tg, tg);
                if (ok && top->par != i)
                    pv[top->par].cross[top->tag] = pv[i].cross[j] = true;
                depth--;
                continue;
            }
            if (depth == alloc) {
                size_t na = alloc == 0 ? 8 : alloc * 2;
                sopen *nv = realloc(stack, na * sizeof(*nv));

                if (nv == NULL) {
                    *oom = true;
                    ok = false;
                    break;
                }
                stack = nv;
                alloc = na;
            }
            stack[depth].par = i;
            stack[depth++].tag = j;
        }
    }
    free(stack);
    return ok;
}

static bool any(const bool *v, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (v[i])
            return true;
    return false;
}

static void spars_free(spar *pv, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        free(pv[i].tags.v);
        free(pv[i].cross);
    }
    free(pv);
}

/* Read the tags of the paragraphs among the children of 'parent'. */
static nb_status read_paragraphs(compiler *c, xmlNode *parent, spar **out,
                                 size_t *n_out)
{
    xmlNode *k;
    size_t n = 0;
    spar *pv;
    nb_status st = NB_OK;

    for (k = parent->children; k != NULL; k = k->next)
        n += is_w(k, "p");
    *out = NULL;
    *n_out = 0;
    if (n < 2)
        return NB_OK;
    pv = calloc(n, sizeof(*pv));
    if (pv == NULL)
        return NB_ERR_NOMEM;
    for (k = parent->children; k != NULL && st == NB_OK; k = k->next) {
        spar *sp = &pv[*n_out];

        if (!is_w(k, "p"))
            continue;
        sp->p = k;
        (*n_out)++;
        st = nb_tmpl_paragraph_tags(c, k, &sp->tags);
        sp->cross = st == NB_OK ? calloc(sp->tags.n + 1, sizeof(bool)) : NULL;
        if (sp->cross == NULL)
            st = NB_ERR_NOMEM;
    }
    *out = pv;
    return st;
}

/* The only cell of its row, its first paragraph opening a section that
 * its last closes: those tags repeat the row (tmpl_mark.c) and stay. */
static void keep_row_form(xmlNode *parent, spar *pv, size_t n)
{
    const xmlNode *tr = parent->parent;
    ptag_list *a = &pv[0].tags;
    ptag_list *b = &pv[n - 1].tags;

    while (tr != NULL && !is_w(tr, "tr") && !is_w(tr, "tbl"))
        tr = tr->parent;
    if (!is_w(parent, "tc") || !is_w(tr, "tr") ||
        nb_tmpl_row_cell(tr, false) != parent ||
        nb_tmpl_row_cell(tr, true) != parent || a->n == 0 || b->n == 0 ||
        !a->v[0].blank_before || !b->blank_after ||
        nb_tmpl_edge_child(parent, false, nb_tmpl_is_block) != pv[0].p ||
        nb_tmpl_edge_child(parent, true, nb_tmpl_is_block) != pv[n - 1].p)
        return;
    if ((a->v[0].tg.kind == TAG_OPEN || a->v[0].tg.kind == TAG_INVERTED) &&
        b->v[b->n - 1].tg.kind == TAG_CLOSE &&
        same_path(&a->v[0].tg, &b->v[b->n - 1].tg)) {
        pv[0].cross[0] = false;
        pv[n - 1].cross[b->n - 1] = false;
    }
}

static nb_status split_container(compiler *c, xmlNode *parent)
{
    spar *pv = NULL;
    size_t n = 0;
    size_t i;
    bool oom = false;
    nb_status st;
    bool quiet = c->quiet;

    c->quiet = true; /* nb_tmpl_normalise_paragraph reported the bad tags */
    st = read_paragraphs(c, parent, &pv, &n);
    if (st == NB_OK && pair_tags(pv, n, &oom)) {
        if (n > 0)
            keep_row_form(parent, pv, n);
        for (i = 0; i < n && st == NB_OK; i++)
            if (pv[i].p->_private != &nb_tmpl_mark_control &&
                pv[i].p->_private != &nb_tmpl_mark_cell_control &&
                any(pv[i].cross, pv[i].tags.n))
                st = split_paragraph(c, &pv[i]);
    }
    c->quiet = quiet;
    spars_free(pv, n);
    return oom ? NB_ERR_NOMEM : st;
}

nb_status nb_tmpl_split_sections(compiler *c, xmlNode *root)
{
    xmlNode *k;
    nb_status st = NB_OK;
    bool has_p = false;

    if (root == NULL || root->type != XML_ELEMENT_NODE)
        return NB_OK;
    for (k = root->children; k != NULL && st == NB_OK; k = k->next) {
        if (k->type != XML_ELEMENT_NODE)
            continue;
        has_p = has_p || is_w(k, "p");
        st = nb_tmpl_split_sections(c, k);
    }
    if (st == NB_OK && has_p)
        st = split_container(c, root);
    return st;
}
