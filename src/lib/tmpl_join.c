/* tmpl_join.c: join the tags that Word split over runs.
 *
 * Step 2 of the template compiler (tmpl_parse.c). Word breaks "{{name}}"
 * into runs when spell checking marks part of it, when an edit session
 * changes the rsid, or when the font changes halfway, and puts bookmarks,
 * comment ranges, fields, content controls, hyperlinks and tracked changes
 * between the pieces. The characters of every tag are moved into the
 * <w:t> where the tag starts, so the run that starts the tag gives the
 * value its formatting; deleted text (w:del) and field codes are not text.
 * Tags typed with a Chinese input method (full-width braces and spaces)
 * are folded to ASCII (tmpl_text.c). A tag cut by a paragraph break and a
 * "}}" without its "{{" are errors. Each paragraph is then marked by what
 * its text holds: section tags only, one field only, or nothing. Outside
 * WordprocessingML (the document properties) each text node is joined on
 * its own.
 */
#include "tmpl_compile.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#define EXCERPT 60 /* bytes of paragraph text quoted in a diagnostic */

/* ==== Joining tags split over runs ==== */

/* Elements a paragraph of section tags may hold and still disappear. */
static bool control_ok(const xmlNode *n)
{
    static const char *const ok[] = {"r",
                                     "t",
                                     "proofErr",
                                     "bookmarkStart",
                                     "bookmarkEnd",
                                     "lastRenderedPageBreak",
                                     "br",
                                     "cr",
                                     "tab",
                                     "softHyphen",
                                     "noBreakHyphen",
                                     "smartTag",
                                     "customXml",
                                     "ins",
                                     "del",
                                     "permStart",
                                     "permEnd",
                                     "rPr"};
    size_t i;

    if (n->ns == NULL || strcmp((const char *)n->ns->href, W_NS) != 0)
        return false;
    for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
        if (strcmp((const char *)n->name, ok[i]) == 0)
            return true;
    return false;
}

bool nb_tmpl_is_deleted(const xmlNode *n)
{
    return is_w(n, "del") || is_w(n, "moveFrom");
}

bool nb_tmpl_collect_wt(const xmlNode *n, wt_list *l, bool *plain)
{
    xmlNode *c;

    for (c = n->children; c != NULL; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (is_w(c, "p")) {
            *plain = false;
            continue;
        }
        if (is_w(c, "pPr")) {
            const xmlNode *k;

            for (k = c->children; k != NULL; k = k->next)
                if (is_w(k, "sectPr"))
                    *plain = false;
            continue;
        }
        if (is_w(c, "rPr"))
            continue;
        if (!control_ok(c))
            *plain = false;
        if (nb_tmpl_is_deleted(c))
            continue;
        if (is_w(c, "t")) {
            if (!nb_node_list_push(l, c))
                return false;
            continue;
        }
        if (!nb_tmpl_collect_wt(c, l, plain))
            return false;
    }
    return true;
}

bool nb_tmpl_is_tag_text(const compiler *c, const xmlNode *n)
{
    const xmlNode *k;

    if (!c->wml)
        return true;
    if (!is_w(n->parent, "t"))
        return false;
    for (k = n->parent; k != NULL && k->type == XML_ELEMENT_NODE;
         k = k->parent) {
        if (is_w(k, "p"))
            break;
        if (nb_tmpl_is_deleted(k))
            return false;
    }
    return true;
}

void nb_tmpl_set_text(xmlNode *t, const char *s, size_t len)
{
    xmlNode *txt;

    if (t->type != XML_ELEMENT_NODE) {
        xmlNodeSetContentLen(t, (const xmlChar *)s, (int)len);
        return;
    }
    xmlFreeNodeList(t->children);
    t->children = NULL;
    t->last = NULL;
    if (len == 0)
        return;
    txt = xmlNewTextLen((const xmlChar *)s, (int)len);
    if (txt != NULL)
        xmlAddChild(t, txt);
}

void nb_tmpl_excerpt(nb_buf *b, const char *s, size_t len)
{
    size_t n = len < EXCERPT ? len : EXCERPT;
    size_t i;

    /* cut on a UTF-8 boundary */
    while (n > 0 && n < len && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--;
    nb_buf_reset(b);
    for (i = 0; i < n; i++) /* a message is one line */
        nb_buf_addc(b, (unsigned char)s[i] < 0x20 ? ' ' : s[i]);
    if (n < len)
        nb_buf_adds(b, "…");
}

/* The last EXCERPT bytes of s[0..len), after "…" when cut. */
static void excerpt_tail(nb_buf *b, const char *s, size_t len)
{
    size_t from = len < EXCERPT ? 0 : len - EXCERPT;

    while (from < len && ((unsigned char)s[from] & 0xC0) == 0x80)
        from++;
    nb_buf_reset(b);
    if (from > 0)
        nb_buf_adds(b, "…");
    for (; from < len; from++) /* a message is one line */
        nb_buf_addc(b, (unsigned char)s[from] < 0x20 ? ' ' : s[from]);
}

bool nb_tmpl_in_cell(const xmlNode *p)
{
    const xmlNode *k;

    for (k = p->parent; k != NULL && k->type == XML_ELEMENT_NODE;
         k = k->parent) {
        if (is_w(k, "tc"))
            return true;
        if (is_w(k, "txbxContent") || is_w(k, "body"))
            return false;
    }
    return false;
}

/* Spaces only? Full-width ones count: Chinese text is indented with
 * them. */
static bool all_blank(const char *s, size_t len)
{
    size_t i = 0;
    size_t w;

    while (i < len) {
        w = nb_tmpl_space_at(s, len, i);
        if (w == 0)
            return false;
        i += w;
    }
    return true;
}

/* Mark paragraph 'p', which may vanish ('plain'), by what its text holds:
 * section tags and blanks only ('control'), or no tag and blanks only. */
static void classify_paragraph(xmlNode *p, bool plain, bool control, bool blank)
{
    if (!plain)
        return;
    if (control) {
        /* a paragraph repeated inside a cell could leave the cell without
         * one: such tags work inside their paragraph, or on the row */
        p->_private = nb_tmpl_in_cell(p) ? &nb_tmpl_mark_cell_control
                                         : &nb_tmpl_mark_control;
        return;
    }
    if (blank)
        p->_private = &nb_tmpl_mark_blank;
}

/* ---- A paragraph's text, byte by byte with the piece it came from ---- */

typedef struct ptext {
    nb_buf text;
    uint32_t *owner; /* text byte i came from piece owner[i] */
    size_t alloc;
} ptext;

static void ptext_init(ptext *t, size_t max)
{
    nb_buf_init(&t->text, max);
    t->owner = NULL;
    t->alloc = 0;
}

static void ptext_fini(ptext *t)
{
    nb_buf_fini(&t->text);
    free(t->owner);
}

/* Append s[0..n), byte i from piece owners[i] or, when 'owners' is NULL,
 * every byte from piece 'one'. Failures stick in t->text.st. */
static void ptext_add(ptext *t, const char *s, size_t n, const uint32_t *owners,
                      uint32_t one)
{
    size_t len = t->text.len;
    size_t i;

    if (nb_buf_add(&t->text, s, n) != NB_OK)
        return;
    if (t->text.len > t->alloc) {
        size_t na = t->alloc == 0 ? 256 : t->alloc;
        uint32_t *nv;

        while (na < t->text.len)
            na *= 2;
        nv = realloc(t->owner, na * sizeof(*nv));
        if (nv == NULL) {
            t->text.st = NB_ERR_NOMEM;
            return;
        }
        t->owner = nv;
        t->alloc = na;
    }
    for (i = 0; i < n; i++)
        t->owner[len + i] = owners != NULL ? owners[i] : one;
}

static nb_status ptext_read(ptext *t, const wt_list *l)
{
    size_t i;

    for (i = 0; i < l->n; i++) {
        xmlChar *s = xmlNodeGetContent(l->v[i]);

        if (s != NULL) {
            ptext_add(t, (const char *)s, strlen((const char *)s), NULL,
                      (uint32_t)i);
            xmlFree(s);
        }
    }
    return t->text.st;
}

/* Give every piece its bytes of 't'. They are in order: a tag moves into
 * the piece it starts in, and the text around it stays in its pieces. */
static void ptext_write(const ptext *t, const wt_list *l)
{
    size_t pos = 0;
    size_t i;

    for (i = 0; i < l->n; i++) {
        size_t end = pos;

        while (end < t->text.len && t->owner[end] == i)
            end++;
        nb_tmpl_set_text(l->v[i], t->text.data + pos, end - pos);
        pos = end;
    }
    assert(pos == t->text.len);
}

/* ---- Tags cut by a paragraph break, braces without a tag ---- */

/* The text box or note that paragraph 'p' is in; NULL for the body. */
static const xmlNode *story_of(const xmlNode *p)
{
    const xmlNode *k;

    for (k = p->parent; k != NULL && k->type == XML_ELEMENT_NODE; k = k->parent)
        if (is_w(k, "txbxContent") || is_w(k, "footnote") || is_w(k, "endnote"))
            return k;
    return NULL;
}

/* Where the brace that s[0..len) ends with (blanks aside) starts; len if
 * it ends otherwise. */
static size_t ends_with_brace(const char *s, size_t len, bool close)
{
    size_t n = len;

    while (n > 0 && nb_is_blank(s[n - 1]))
        n--;
    if (n > 0 && s[n - 1] == (close ? '}' : '{'))
        return n - 1;
    /* ｝ or ｛ */
    if (n >= 3 &&
        memcmp(s + n - 3, close ? "\xEF\xBD\x9D" : "\xEF\xBD\x9B", 3) == 0)
        return n - 3;
    return len;
}

size_t nb_tmpl_settle_open_end(compiler *c, const xmlNode *p, const char *s,
                               size_t len)
{
    struct open_end *o = &c->open;
    size_t end = SIZE_MAX; /* where the tag's end ends in 's' */
    size_t closed = SIZE_MAX;
    unsigned in_fallback = c->in_fallback;

    if (!o->unclosed && !o->brace)
        return SIZE_MAX;
    c->in_fallback = o->in_fallback; /* reported as from its paragraph */
    if (p != NULL && story_of(p) == o->story) {
        size_t cw;
        size_t aw;
        size_t f = nb_tmpl_find_delim(s, len, 0, true, &cw);
        size_t a = nb_tmpl_find_delim(s, len, 0, false, &aw);
        size_t k = 0;

        while (k < len && nb_is_blank(s[k]))
            k++;
        if (f < len && f < a) {
            end = f + cw;
            closed = f;
        } else if (o->unclosed && nb_tmpl_is_close_brace(s, len, k) &&
                   ends_with_brace(o->text.data, o->text.len, true) <
                       o->text.len) {
            /* "{{title}" and "}": the break is between the braces */
            end = k + (s[k] == '}' ? 1 : 3);
        }
    }
    if (end != SIZE_MAX) {
        nb_tmpl_excerpt(&c->scratch, o->text.data, o->text.len);
        excerpt_tail(&c->scratch2, s, end);
        nb_tmpl_report(
            c, NB_TMPL_TAG_ACROSS_PARAGRAPHS, o->line,
            _("'%s' and '%s' are one tag cut in two by a paragraph "
              "break (the second part at line %u): a tag must be whole "
              "inside one paragraph; delete the break inside it"),
            c->scratch.data, c->scratch2.data, nb_xml_line(p));
    } else if (o->unclosed) {
        nb_tmpl_excerpt(&c->scratch, o->text.data, o->text.len);
        nb_tmpl_report(
            c, NB_TMPL_TAG_UNCLOSED, o->line,
            _("'{{' without '}}' in this paragraph (a tag must be whole "
              "inside one paragraph): '%s'"),
            c->scratch.data);
    }
    o->unclosed = false;
    o->brace = false;
    c->in_fallback = in_fallback;
    return closed;
}

/* Remember that the text of paragraph 'p' ends with s[0..len), which
 * opens a tag ('unclosed') or may (a brace). */
static void open_end_set(compiler *c, const xmlNode *p, const char *s,
                         size_t len, bool unclosed)
{
    c->open.unclosed = unclosed;
    c->open.brace = !unclosed;
    c->open.story = story_of(p);
    c->open.in_fallback = c->in_fallback;
    c->open.line = nb_xml_line(p);
    nb_buf_reset(&c->open.text);
    nb_buf_add(&c->open.text, s, len);
    if (c->open.text.st != NB_OK)
        c->oom = true;
}

/* Report each "}}" in s[from..to) but the one at 'closed' (it ends the
 * tag of the paragraph before). */
static void report_stray(compiler *c, const xmlNode *p, const char *s,
                         size_t from, size_t to, size_t closed)
{
    size_t w;
    size_t k;

    for (k = nb_tmpl_find_delim(s, to, from, true, &w); k < to;
         k = nb_tmpl_find_delim(s, to, k + w, true, &w)) {
        if (k == closed)
            continue;
        excerpt_tail(&c->scratch, s, k + w);
        if (c->wml)
            nb_tmpl_report(
                c, NB_TMPL_TAG_STRAY_CLOSE, nb_xml_line(p),
                _("'}}' without '{{' before it in this paragraph: '%s'"),
                c->scratch.data);
        else
            nb_tmpl_report(
                c, NB_TMPL_TAG_STRAY_CLOSE, nb_xml_line(p),
                _("'}}' without '{{' before it in this property: '%s'"),
                c->scratch.data);
    }
}

/* A "{{" at s[a] that is not closed before the end, or before the next
 * "{{" ('inner'). At the end of a paragraph, the next paragraph may hold
 * the rest: nb_tmpl_settle_open_end reports it then. */
static void report_unclosed(compiler *c, const xmlNode *p, const char *s,
                            size_t a, size_t len, bool inner)
{
    if (c->wml && !inner) {
        open_end_set(c, p, s + a, len - a, true);
        return;
    }
    nb_tmpl_excerpt(&c->scratch, s + a, len - a);
    if (c->wml)
        nb_tmpl_report(
            c, NB_TMPL_TAG_UNCLOSED, nb_xml_line(p),
            _("'{{' without '}}' in this paragraph (a tag must be whole "
              "inside one paragraph): '%s'"),
            c->scratch.data);
    else
        nb_tmpl_report(c, NB_TMPL_TAG_UNCLOSED, nb_xml_line(p),
                       _("'{{' without '}}' in this property: '%s'"),
                       c->scratch.data);
}

/* ---- Joining ---- */

typedef struct joined {
    size_t n_tags;
    size_t n_fields;
    size_t n_sections; /* opening and closing tags */
    bool bad;          /* a tag is not closed or not valid */
    bool blank;        /* blanks only between and around the tags */
    bool changed;      /* a tag moved into the piece it starts in, or its
                          characters were folded */
} joined;

/* Join the tags in the text 'in' of paragraph 'p' (or, outside
 * WordprocessingML, of one text node) into 'out': every tag whole in the
 * piece it starts in, its characters folded (nb_tmpl_fold_tag), the text
 * between tags as it was. Its bad tags, stray "}}" and a tag the
 * paragraph before left open are reported. */
static void join_tags(compiler *c, const xmlNode *p, const ptext *in,
                      ptext *out, joined *j)
{
    const char *s = in->text.data;
    size_t len = in->text.len;
    size_t pos = 0;
    size_t closed = c->wml ? nb_tmpl_settle_open_end(c, p, s, len) : SIZE_MAX;

    memset(j, 0, sizeof(*j));
    j->blank = true;
    for (;;) {
        size_t ow;
        size_t cw;
        size_t aw;
        size_t a = nb_tmpl_find_delim(s, len, pos, false, &ow);
        size_t b;
        size_t again;
        uint32_t who;
        const char *f;
        tag tg;
        bool ok;

        report_stray(c, p, s, pos, a, closed);
        if (!all_blank(s + pos, a - pos))
            j->blank = false;
        ptext_add(out, s + pos, a - pos, in->owner + pos, 0);
        if (a == len)
            break;
        b = nb_tmpl_find_delim(s, len, a + ow, true, &cw);
        again = nb_tmpl_find_delim(s, len, a + ow, false, &aw);
        if (b == len || again < b) {
            report_unclosed(c, p, s, a, len, again < b);
            j->bad = true;
            ptext_add(out, s + a, len - a, in->owner + a, 0);
            return;
        }
        /* all of the tag goes to the piece it starts in */
        who = in->owner[a];
        nb_buf_reset(&c->fold);
        nb_tmpl_fold_tag(&c->fold, s + a + ow, b - a - ow);
        f = c->fold.data != NULL ? c->fold.data : "";
        ptext_add(out, "{{", 2, NULL, who);
        ptext_add(out, f, c->fold.len, NULL, who);
        ptext_add(out, "}}", 2, NULL, who);
        if (in->owner[b + cw - 1] != who || ow != 2 || cw != 2 ||
            c->fold.len != b - a - ow || memcmp(f, s + a + ow, c->fold.len))
            j->changed = true;
        j->n_tags++;
        ok = nb_tmpl_parse_tag(c, &tg, f, c->fold.len, nb_xml_line(p));
        nb_tmpl_record_tag(c, f, c->fold.len, &tg, ok, nb_xml_line(p), s, len,
                           a, b + cw);
        if (!ok)
            j->bad = true;
        else if (tg.kind == TAG_FIELD)
            j->n_fields++;
        else if (tg.kind != TAG_COMMENT)
            j->n_sections++;
        pos = b + cw;
    }
    pos = ends_with_brace(s, len, false);
    if (c->wml && pos < len)
        open_end_set(c, p, s + pos, len - pos, false);
}

/* Join the tags of the pieces 'l' of paragraph (or element) 'p'. *blank
 * says whether their text is blanks only. */
static nb_status join_pieces(compiler *c, const xmlNode *p, const wt_list *l,
                             joined *j, bool *blank)
{
    ptext in;
    ptext out;
    nb_status st;

    memset(j, 0, sizeof(*j));
    *blank = true;
    ptext_init(&in, c->t->limits.max_part_bytes);
    ptext_init(&out, c->t->limits.max_part_bytes);
    st = ptext_read(&in, l);
    if (st != NB_OK || in.text.len == 0)
        goto done;
    *blank = all_blank(in.text.data, in.text.len);
    if (!nb_tmpl_has_brace(in.text.data, in.text.len)) {
        if (c->wml)
            nb_tmpl_settle_open_end(c, p, in.text.data, in.text.len);
        goto done;
    }
    join_tags(c, p, &in, &out, j);
    st = c->oom ? NB_ERR_NOMEM : out.text.st;
    if (st == NB_OK && j->changed)
        ptext_write(&out, l);
done:
    ptext_fini(&in);
    ptext_fini(&out);
    return st;
}

nb_status nb_tmpl_normalise_paragraph(compiler *c, xmlNode *p)
{
    wt_list l = {NULL, 0, 0};
    bool plain = true;
    bool blank = true;
    joined j;
    nb_status st = NB_ERR_NOMEM;

    memset(&j, 0, sizeof(j));
    if (nb_tmpl_collect_wt(p, &l, &plain))
        st = join_pieces(c, p, &l, &j, &blank);
    if (st != NB_OK)
        goto done;
    /* one field and blanks: its value's lines may become paragraphs */
    if (!j.bad && j.blank && j.n_fields == 1 && j.n_sections == 0)
        p->_private = &nb_tmpl_mark_lone_field;
    classify_paragraph(
        p, plain, j.n_tags > 0 && j.blank && !j.bad && j.n_fields == 0, blank);
done:
    free(l.v);
    return st;
}

nb_status nb_tmpl_normalise_text(compiler *c, xmlNode *n)
{
    joined j;
    bool blank;
    nb_status st;

    for (; n != NULL; n = n->next) {
        if (n->type == XML_ELEMENT_NODE) {
            st = nb_tmpl_normalise_text(c, n->children);
            if (st != NB_OK)
                return st;
        } else if ((n->type == XML_TEXT_NODE ||
                    n->type == XML_CDATA_SECTION_NODE) &&
                   n->content != NULL &&
                   nb_tmpl_has_brace((const char *)n->content,
                                     strlen((const char *)n->content))) {
            xmlNode *one = n;
            wt_list l = {&one, 1, 1};

            st = join_pieces(c, n->parent, &l, &j, &blank);
            if (st != NB_OK)
                return st;
        }
    }
    return NB_OK;
}
