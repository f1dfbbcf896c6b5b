/* tmpl_parse.c: compile the parts of a DOCX template into node trees.
 *
 * Stage "template parser" of DESIGN.md's pipeline. For each part that can
 * hold tags (document, headers, footers, notes, core and app properties):
 *   1. parse the XML safely (xml_io.c);
 *   2. join tags that Word split over several runs, folding the ones typed
 *      with a Chinese input method to ASCII (tmpl_join.c); each tag is read
 *      and listed for check-template (tmpl_tag.c). A tag cut by a paragraph
 *      break and a "}}" without its "{{" are errors;
 *   3. mark paragraphs that hold nothing but section tags, which work on
 *      whole paragraphs, and the table rows and cells whose tags work on
 *      rows or on a cell's paragraphs (tmpl_mark.c);
 *   4. serialise the DOM (here), cutting it at tags into static byte runs,
 *      fields and sections (the docxtemplater idea: a section repeats the
 *      XML between its tags, which is balanced when both tags sit at the
 *      same level, checked here). What the render must decide is left as
 *      nodes too: the IDs of repeated content, the w:numId of lists that
 *      loops restart, bookmarks, and whether a cell still ends with a
 *      paragraph.
 * Everything found wrong is reported at once, located by part and line
 * (nb_tmpl_report). word/numbering.xml is compiled here too, cut where the
 * lists restarted by a render go (nb_tmpl_compile_numbering).
 */
#include "tmpl_compile.h"

#include <stdlib.h>
#include <string.h>

/* customXml/itemN.xml: a data store that content controls bind to
 * (w:dataBinding); Word shows its values over the controls' own text. */
static bool is_data_store(const char *name, size_t len)
{
    size_t i = 14; /* "customXml/item" */

    if (len <= i + 4 || strncmp(name, "customXml/item", i) != 0)
        return false;
    for (; i < len - 4; i++)
        if (name[i] < '0' || name[i] > '9')
            return false;
    return true;
}

bool nb_tmpl_part_is_merged(const char *name)
{
    size_t len = strlen(name);

    if (strcmp(name, "word/document.xml") == 0 ||
        strcmp(name, "word/footnotes.xml") == 0 ||
        strcmp(name, "word/endnotes.xml") == 0 ||
        strcmp(name, "docProps/core.xml") == 0 ||
        strcmp(name, "docProps/app.xml") == 0)
        return true;
    if (len < 4 || strcmp(name + len - 4, ".xml") != 0)
        return false;
    return is_data_store(name, len) || strncmp(name, "word/header", 11) == 0 ||
           strncmp(name, "word/footer", 11) == 0;
}

/* ==== Diagnostics ==== */

/* Has this part reported 'msg' with 'code' already? */
static bool reported(const compiler *c, nb_code code, const char *msg)
{
    size_t i;

    for (i = c->first_diag; i < nb_diag_list_count(c->dl); i++) {
        const nb_diag *d = nb_diag_list_at(c->dl, i);

        if (d->code == code && d->loc.where != NULL &&
            strcmp(d->loc.where, c->part->name) == 0 &&
            strcmp(d->msg, msg) == 0)
            return true;
    }
    return false;
}

void nb_tmpl_report(compiler *c, nb_code code, uint32_t line, const char *fmt,
                    ...)
{
    nb_loc loc = {c->t->file, line, 0, c->part->name};
    va_list ap;

    va_start(ap, fmt);
    if (c->in_fallback == 0) {
        nb_diag_addv(c->dl, code, &loc, fmt, ap);
    } else {
        nb_buf_reset(&c->msg);
        nb_buf_vprintf(&c->msg, fmt, ap);
        if (c->msg.st != NB_OK)
            c->oom = true;
        else if (!reported(c, code, c->msg.data))
            nb_diag_add(c->dl, code, &loc, "%s", c->msg.data);
    }
    va_end(ap);
}

/* ==== Node trees ==== */

/* What the tags of a section work on; both tags must agree. */
typedef enum sig_level {
    LEVEL_INLINE,     /* text inside one paragraph (or element) */
    LEVEL_CELL,       /* the same, in a paragraph of a table cell */
    LEVEL_PARAGRAPHS, /* whole paragraphs: control paragraphs */
    LEVEL_ROWS        /* whole rows of a table */
} sig_level;

typedef struct sig {
    const void *container; /* paragraph (inline, cell), parent (paragraphs)
                              or the rows' parent, the table (rows) */
    uint32_t path_hash;    /* element names from container down */
    sig_level level;
} sig;

typedef struct frame {
    nb_tnode *v; /* children so far */
    size_t n;
    size_t alloc;
    tag tg; /* the opening tag (not for the root frame) */
    sig where;
    uint32_t line;
    int64_t first_num; /* the w:numId of the body's first paragraph, 0 for
                          one without, -1 before the first */
    uint32_t *nums;    /* every w:numId of the body's paragraphs */
    size_t n_nums;
    size_t alloc_nums;
} frame;

static void frame_free(frame *f)
{
    free(f->v);
    free(f->nums);
    f->v = NULL;
    f->nums = NULL;
}

static bool frame_add_num(compiler *c, frame *f, uint32_t num)
{
    size_t i;

    for (i = 0; i < f->n_nums; i++)
        if (f->nums[i] == num)
            return true;
    if (f->n_nums == f->alloc_nums) {
        size_t na = f->alloc_nums == 0 ? 4 : f->alloc_nums * 2;
        uint32_t *nv = realloc(f->nums, na * sizeof(*nv));

        if (nv == NULL) {
            c->oom = true;
            return false;
        }
        f->nums = nv;
        f->alloc_nums = na;
    }
    f->nums[f->n_nums++] = num;
    return true;
}

/* A paragraph written in the current section body, numbered 'num' (0:
 * not in a list). */
static void frame_note_paragraph(compiler *c, uint32_t num)
{
    frame *f = &c->frames[c->n_frames - 1];

    if (f->first_num < 0)
        f->first_num = num;
    if (num != 0)
        frame_add_num(c, f, num);
}

/* The lists a closing section restarts in every element: those in its
 * body, except the list that the body begins with (a loop of that list's
 * items continues it), none with "continue". What the body holds counts
 * for the enclosing body too. */
static void frame_close_numbering(compiler *c, frame *f, nb_tnode *node)
{
    frame *up = &c->frames[c->n_frames - 2];
    uint32_t *r = NULL;
    size_t n = 0;
    size_t i;

    if (!f->tg.cont && f->tg.kind == TAG_OPEN && f->n_nums > 0) {
        r = nb_arena_array(c->t->arena, f->n_nums, sizeof(*r));
        if (r == NULL) {
            c->oom = true;
            return;
        }
        for (i = 0; i < f->n_nums; i++)
            if ((int64_t)f->nums[i] != f->first_num)
                r[n++] = f->nums[i];
    }
    node->restart = r;
    node->n_restart = n;
    if (up->first_num < 0)
        up->first_num = f->first_num;
    for (i = 0; i < f->n_nums; i++)
        if (!frame_add_num(c, up, f->nums[i]))
            return;
}

static bool frame_push_node(compiler *c, const nb_tnode *node)
{
    frame *f = &c->frames[c->n_frames - 1];

    if (f->n == f->alloc) {
        size_t na = f->alloc == 0 ? 8 : f->alloc * 2;
        nb_tnode *nv = realloc(f->v, na * sizeof(*nv));

        if (nv == NULL) {
            c->oom = true;
            return false;
        }
        f->v = nv;
        f->alloc = na;
    }
    f->v[f->n++] = *node;
    return true;
}

static bool open_frame(compiler *c, const tag *tg, sig where, uint32_t line)
{
    frame *f;

    if (c->n_frames == c->alloc_frames) {
        size_t na = c->alloc_frames == 0 ? 8 : c->alloc_frames * 2;
        frame *nv = realloc(c->frames, na * sizeof(*nv));

        if (nv == NULL) {
            c->oom = true;
            return false;
        }
        c->frames = nv;
        c->alloc_frames = na;
    }
    f = &c->frames[c->n_frames++];
    memset(f, 0, sizeof(*f));
    f->first_num = -1;
    if (tg != NULL)
        f->tg = *tg;
    f->where = where;
    f->line = line;
    return true;
}

/* Move a frame's children into the arena. */
static nb_tnode *seal(compiler *c, frame *f)
{
    nb_tnode *v = NULL;

    if (f->n > 0) {
        v = nb_arena_array(c->t->arena, f->n, sizeof(*v));
        if (v == NULL)
            c->oom = true;
        else
            memcpy(v, f->v, f->n * sizeof(*v));
    }
    free(f->v);
    f->v = NULL;
    return v;
}

static void flush_static(compiler *c)
{
    nb_tnode node;

    if (c->stat.st != NB_OK) {
        c->oom = true;
        return;
    }
    if (c->stat.len == 0)
        return;
    memset(&node, 0, sizeof(node));
    node.kind = NB_T_STATIC;
    node.s = nb_arena_strndup(c->t->arena, c->stat.data, c->stat.len);
    node.len = c->stat.len;
    if (node.s == NULL)
        c->oom = true;
    else
        frame_push_node(c, &node);
    nb_buf_reset(&c->stat);
}

static const char *tag_text(compiler *c, const tag *tg)
{
    const char *prefix = tg->kind == TAG_OPEN       ? "#"
                         : tg->kind == TAG_INVERTED ? "^"
                         : tg->kind == TAG_CLOSE    ? "/"
                                                    : "";
    const char *s = tg->kind == TAG_FIELD
                        ? nb_arena_printf(c->t->arena, "{{%.*s}}",
                                          (int)tg->text_len, tg->text)
                        : nb_arena_printf(c->t->arena, "{{%s%.*s}}", prefix,
                                          (int)tg->path_len, tg->path_text);

    if (s == NULL)
        c->oom = true;
    return s;
}

static bool same_sig(sig a, sig b)
{
    return a.container == b.container && a.path_hash == b.path_hash &&
           a.level == b.level;
}

/* Two tags of one section that are not at the same level: say how to put
 * them right. */
static void report_level(compiler *c, const frame *f, const tag *tg, sig where,
                         uint32_t line)
{
    char k = f->tg.kind == TAG_INVERTED ? '^' : '#';
    int n = (int)tg->path_len;
    const char *s = tg->path_text;

    if (f->where.level == LEVEL_ROWS && where.level == LEVEL_ROWS)
        nb_tmpl_report(
            c, NB_TMPL_SECTION_LEVEL, line,
            _("'{{%c%.*s}}' (line %u) and its closing tag repeat rows of "
              "different tables: put both in the same table"),
            k, n, s, f->line);
    else if (f->where.level == LEVEL_ROWS)
        nb_tmpl_report(
            c, NB_TMPL_SECTION_LEVEL, line,
            _("'{{%c%.*s}}' (line %u) repeats table rows, so its closing "
              "tag must end rows of the same table: put '{{/%.*s}}' in a "
              "row of its own, or alone in the last paragraph of a row's "
              "last cell"),
            k, n, s, f->line, n, s);
    else if (where.level == LEVEL_ROWS)
        nb_tmpl_report(
            c, NB_TMPL_SECTION_LEVEL, line,
            _("'{{/%.*s}}' ends table rows, so its opening tag (line %u) "
              "must start rows of the same table: put '{{%c%.*s}}' in a "
              "row of its own, or alone in the first paragraph of a row's "
              "first cell"),
            n, s, f->line, k, n, s);
    else if (f->where.level == LEVEL_CELL || where.level == LEVEL_CELL)
        nb_tmpl_report(
            c, NB_TMPL_SECTION_LEVEL, line,
            _("'{{%c%.*s}}' (line %u) and its closing tag are not at the "
              "same level: in a table cell, put both tags alone in "
              "paragraphs of the same cell (those paragraphs repeat) or "
              "both inside one paragraph, or repeat rows: begin a row's "
              "first cell with the opening tag and end that row's last "
              "cell with the closing tag, or put each tag in a row of its "
              "own"),
            k, n, s, f->line);
    else
        nb_tmpl_report(
            c, NB_TMPL_SECTION_LEVEL, line,
            _("'{{#%.*s}}' (line %u) and its closing tag are not at the "
              "same level: put both alone in their own paragraphs, or "
              "both inside one paragraph"),
            n, s, f->line);
}

/* Where a field is written: inside <w:t> or not, and what its newlines
 * become (nb_tnode.nl). */
typedef struct field_ctx {
    bool in_wt;
    const char *nl;
    size_t nl_len;
} field_ctx;

/* A picture goes in the text of a paragraph (inside <w:t>) or of an HTML
 * template; elsewhere (a document property, an attribute) it is
 * reported. */
static bool picture_fits(compiler *c, const tag *tg, const field_ctx *fx,
                         uint32_t line)
{
    size_t i;

    if (c->text || (fx != NULL && fx->in_wt))
        return true;
    for (i = 0; i < tg->n_filters; i++)
        if (tg->filters[i].f == NB_FILTER_PICTURE) {
            /* tags are serialised once: reported here, not when read */
            nb_tmpl_report(c, NB_TMPL_PICTURE_PLACE, line,
                           _("'{{%.*s}}': a picture goes only in the text "
                             "of a paragraph (of the body, a table, a "
                             "header or footer), not here"),
                           (int)tg->text_len, tg->text);
            return false;
        }
    return true;
}

/* A tag met while serialising: add its node or open/close a section.
 * 'fx' is NULL for the tags of control paragraphs, which hold no field. */
static void emit_tag(compiler *c, const tag *tg, sig where, const field_ctx *fx,
                     uint32_t line)
{
    nb_tnode node;
    frame *f;

    c->n_tags++;
    if (tg->kind == TAG_COMMENT)
        return;
    flush_static(c);
    memset(&node, 0, sizeof(node));
    node.line = line;
    if (tg->kind == TAG_FIELD) {
        node.kind = NB_T_FIELD;
        node.path = tg->path;
        node.n_path = tg->n_path;
        if (fx != NULL) {
            node.in_wt = fx->in_wt;
            node.nl = fx->nl;
            node.nl_len = fx->nl_len;
        }
        node.quotes = c->text;
        node.tag = tag_text(c, tg);
        if (!picture_fits(c, tg, fx, line))
            return;
        if (tg->n_filters > 0) {
            node.filters =
                nb_arena_array(c->t->arena, tg->n_filters, sizeof(nb_fcall));
            if (node.filters == NULL) {
                c->oom = true;
                return;
            }
            memcpy(node.filters, tg->filters, tg->n_filters * sizeof(nb_fcall));
            node.n_filters = tg->n_filters;
        }
        frame_push_node(c, &node);
        return;
    }
    if (tg->kind == TAG_OPEN || tg->kind == TAG_INVERTED) {
        /* reported once, at the first section too deep; it still opens,
         * so that the closing tags match and say nothing more */
        if (c->n_frames == c->t->limits.max_section_depth + 1)
            nb_tmpl_report(c, NB_TMPL_TOO_DEEP, line,
                           _("sections nested more than %zu deep"),
                           c->t->limits.max_section_depth);
        open_frame(c, tg, where, line);
        return;
    }
    /* closing tag */
    f = &c->frames[c->n_frames - 1];
    if (c->n_frames == 1) {
        nb_tmpl_report(c, NB_TMPL_SECTION_MISMATCH, line,
                       _("'{{/%.*s}}' closes a section that is not open"),
                       (int)tg->path_len, tg->path_text);
        return;
    }
    if (f->tg.path_len != tg->path_len ||
        memcmp(f->tg.path_text, tg->path_text, tg->path_len) != 0) {
        nb_tmpl_report(c, NB_TMPL_SECTION_MISMATCH, line,
                       _("'{{/%.*s}}' does not close the open section "
                         "'{{#%.*s}}' (line %u)"),
                       (int)tg->path_len, tg->path_text, (int)f->tg.path_len,
                       f->tg.path_text, f->line);
        return;
    }
    if (!same_sig(f->where, where))
        report_level(c, f, tg, where, line);
    node.kind = NB_T_SECTION;
    node.path = f->tg.path;
    node.n_path = f->tg.n_path;
    node.inverted = f->tg.kind == TAG_INVERTED;
    node.once = f->tg.once;
    node.alias = f->tg.alias;
    node.line = f->line;
    node.tag = tag_text(c, &f->tg);
    node.n_children = f->n;
    node.children = seal(c, f);
    frame_close_numbering(c, f, &node);
    frame_free(f);
    c->n_frames--;
    frame_push_node(c, &node);
}

/* ==== Serialising ==== */

static void put_escaped(nb_buf *b, const char *s, size_t len, bool attr)
{
    nb_xml_escape(b, s, len, attr ? NB_ESC_ATTR : NB_ESC_TEXT);
}

static void put_qname(nb_buf *b, const xmlNs *ns, const xmlChar *name)
{
    if (ns != NULL && ns->prefix != NULL) {
        nb_buf_adds(b, (const char *)ns->prefix);
        nb_buf_addc(b, ':');
    }
    nb_buf_adds(b, (const char *)name);
}

static uint32_t hash_step(uint32_t h, const char *s)
{
    for (; *s != '\0'; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return (h ^ '/') * 16777619u;
}

/* Where an inline tag in text node 'n' sits: its paragraph (or, outside
 * WordprocessingML, its element) and the element path down to it. */
static sig inline_sig(const compiler *c, const xmlNode *n)
{
    sig s = {NULL, 2166136261u, LEVEL_INLINE};
    const xmlNode *k;

    for (k = n->parent; k != NULL && k->type == XML_ELEMENT_NODE;
         k = k->parent) {
        if (c->wml && is_w(k, "p")) {
            s.container = k;
            if (nb_tmpl_in_cell(k))
                s.level = LEVEL_CELL;
            return s;
        }
        s.path_hash = hash_step(s.path_hash, (const char *)k->name);
        if (!c->wml) {
            s.container = k;
            return s;
        }
    }
    s.container = n->parent;
    return s;
}

static bool put_start_tag(compiler *c, const xmlNode *n, bool copy);
static void put_end_tag(compiler *c, const xmlNode *n);
static void put_element(compiler *c, const xmlNode *n);

/* The first child element of 'n', when it is w:'name'. */
static const xmlNode *first_child_is(const xmlNode *n, const char *name)
{
    const xmlNode *k = n->children;

    while (k != NULL && k->type != XML_ELEMENT_NODE)
        k = k->next;
    return is_w(k, name) ? k : NULL;
}

/* For a field in <w:t> 'wt' alone in its paragraph (nb_tmpl_mark_lone_field):
 * the bytes that end the paragraph and start a copy of it, with the
 * paragraph's and the run's properties, for each newline of the value
 * (nb_tnode.nl). NULL, and newlines are line breaks, when the run is not
 * simply in the paragraph or in a hyperlink there, or when the
 * paragraph ends a section of the document (its w:sectPr must not
 * repeat). */
static const char *paragraph_break(compiler *c, const xmlNode *wt,
                                   size_t *len_out)
{
    const xmlNode *r = wt->parent;
    const xmlNode *link = NULL;
    const xmlNode *p;
    const xmlNode *ppr;
    const xmlNode *rpr;
    nb_buf saved = c->stat;
    bool plain = c->plain;
    const char *nl = NULL;

    if (!is_w(r, "r"))
        return NULL;
    p = r->parent;
    if (is_w(p, "hyperlink")) {
        link = p;
        p = p->parent;
    }
    if (!is_w(p, "p") || p->_private != &nb_tmpl_mark_lone_field)
        return NULL;
    ppr = first_child_is(p, "pPr");
    if (ppr != NULL)
        for (rpr = ppr->children; rpr != NULL; rpr = rpr->next)
            if (is_w(rpr, "sectPr"))
                return NULL;
    rpr = first_child_is(r, "rPr");
    /* written with the serialiser's own functions, into a buffer of its
     * own, as static bytes: the copies leave Word's paragraph ids out, and
     * keep the rest of the properties as the template has them */
    nb_buf_init(&c->stat, c->t->limits.max_part_bytes);
    c->plain = true;
    put_end_tag(c, wt);
    put_end_tag(c, r);
    if (link != NULL)
        put_end_tag(c, link);
    put_end_tag(c, p);
    put_start_tag(c, p, true);
    nb_buf_addc(&c->stat, '>');
    if (ppr != NULL)
        put_element(c, ppr);
    if (link != NULL) {
        put_start_tag(c, link, true);
        nb_buf_addc(&c->stat, '>');
    }
    put_start_tag(c, r, true);
    nb_buf_addc(&c->stat, '>');
    if (rpr != NULL)
        put_element(c, rpr);
    nb_buf_addc(&c->stat, '<');
    put_qname(&c->stat, wt->ns, wt->name);
    nb_buf_adds(&c->stat, " xml:space=\"preserve\">");
    if (c->stat.st == NB_OK) {
        nl = nb_arena_strndup(c->t->arena, c->stat.data, c->stat.len);
        *len_out = c->stat.len;
    }
    if (nl == NULL)
        c->oom = true;
    nb_buf_fini(&c->stat);
    c->stat = saved;
    c->plain = plain;
    return nl;
}

/* The tags in s[0..len), each working at 'where'. With 'fx', the text of
 * element 'wt' holding fields: the text between the tags is written too;
 * without, the tags of a paragraph of section tags only. */
static void put_text_tags(compiler *c, const xmlNode *wt, const char *s,
                          size_t len, sig where, field_ctx *fx, uint32_t line)
{
    size_t pos = 0;

    while (pos < len) {
        const char *open = strstr(s + pos, "{{");
        const char *close;
        tag tg;

        if (open == NULL)
            break;
        close = strstr(open + 2, "}}");
        if (close == NULL)
            break; /* reported by nb_tmpl_normalise() */
        if (fx != NULL)
            put_escaped(&c->stat, s + pos, (size_t)(open - (s + pos)), false);
        if (nb_tmpl_parse_tag(c, &tg, open + 2, (size_t)(close - open - 2),
                              line)) {
            if (fx != NULL && tg.kind == TAG_FIELD && fx->in_wt &&
                fx->nl == NULL)
                fx->nl = paragraph_break(c, wt, &fx->nl_len);
            emit_tag(c, &tg, where, fx, line);
        }
        pos = (size_t)(close + 2 - s);
    }
    if (fx != NULL)
        put_escaped(&c->stat, s + pos, len - pos, false);
}

/* Text with tags: static pieces and tag nodes. */
static void put_text_with_tags(compiler *c, const xmlNode *n, const char *s,
                               size_t len)
{
    field_ctx fx = {c->wml && is_w(n->parent, "t"), NULL, 0};

    put_text_tags(c, n->parent, s, len, inline_sig(c, n), &fx,
                  nb_xml_line(n->parent));
}

static void put_start_tag_plain(compiler *c, const xmlNode *n);
static void put_element(compiler *c, const xmlNode *n);
static void put_end_tag(compiler *c, const xmlNode *n);

/* "<w:p>" and the properties of 'p' without its list numbering: the start
 * of a paragraph that stands for 'p' (its ID attributes are not copied, so
 * this may be written more than once). */
static void put_bare_paragraph_start(compiler *c, const xmlNode *p)
{
    const xmlNode *k = p->children;
    const xmlNode *q;
    bool plain = c->plain;

    while (k != NULL && k->type != XML_ELEMENT_NODE)
        k = k->next;
    nb_buf_addc(&c->stat, '<');
    put_qname(&c->stat, p->ns, p->name);
    nb_buf_addc(&c->stat, '>');
    if (!is_w(k, "pPr"))
        return;
    c->plain = true;
    put_start_tag_plain(c, k);
    nb_buf_addc(&c->stat, '>');
    for (q = k->children; q != NULL; q = q->next)
        if (q->type == XML_ELEMENT_NODE && !is_w(q, "numPr"))
            put_element(c, q);
    put_end_tag(c, k);
    c->plain = plain;
}

/* A page or column break of a control paragraph: the template asked for
 * it, so it stays, in a paragraph of its own. */
static bool is_hard_break(const xmlNode *n)
{
    return is_w(n, "br") && (nb_xml_token_is(n, "type", "page") ||
                             nb_xml_token_is(n, "type", "column"));
}

static void put_break_paragraph(compiler *c, const xmlNode *p,
                                const xmlNode *br)
{
    bool plain = c->plain;

    flush_static(c);
    put_bare_paragraph_start(c, p);
    c->plain = true;
    nb_buf_addc(&c->stat, '<');
    put_qname(&c->stat, br->ns, (const xmlChar *)"r");
    nb_buf_addc(&c->stat, '>');
    put_element(c, br);
    put_end_tag(c, br->parent);
    put_end_tag(c, p);
    c->plain = plain;
}

/* nb_tmpl_normalise() put each tag whole in one <w:t>; deleted text is not
 * read. */
static void put_tags_in(compiler *c, const xmlNode *p, const xmlNode *n,
                        sig where, bool breaks)
{
    const xmlNode *k;
    uint32_t line = nb_xml_line(p);

    for (k = n->children; k != NULL; k = k->next) {
        if (k->type != XML_ELEMENT_NODE || nb_tmpl_is_deleted(k))
            continue;
        if (is_w(k, "t")) {
            xmlChar *all = xmlNodeGetContent(k);

            if (all != NULL)
                put_text_tags(c, k, (const char *)all,
                              strlen((const char *)all), where, NULL, line);
            xmlFree(all);
        } else if (breaks && is_hard_break(k)) {
            put_break_paragraph(c, p, k);
        } else {
            put_tags_in(c, p, k, where, breaks);
        }
    }
}

/* A paragraph of section tags only: its tags, each working at 'where'; with
 * 'breaks', its page and column breaks stay, each in a paragraph of its
 * own, in their place among the tags. Soft line breaks, tabs, bookmarks
 * and Word's lastRenderedPageBreak go with the paragraph. */
static void put_tags(compiler *c, const xmlNode *p, sig where, bool breaks)
{
    put_tags_in(c, p, p, where, breaks);
}

static bool has_tag_text(const compiler *c, const xmlNode *el)
{
    const xmlNode *k;

    for (k = el->children; k != NULL; k = k->next)
        if ((k->type == XML_TEXT_NODE || k->type == XML_CDATA_SECTION_NODE) &&
            k->content != NULL && strstr((const char *)k->content, "{{") &&
            nb_tmpl_is_tag_text(c, k))
            return true;
    return false;
}

static void serialise(compiler *c, const xmlNode *n);

/* Word 2010's paragraph ids (w14:paraId, w14:textId): unique in a part,
 * so a paragraph written twice keeps them only once. */
#define W14_NS "http://schemas.microsoft.com/office/word/2010/wordml"

static bool is_paragraph_id(const xmlAttr *a)
{
    return a->ns != NULL && strcmp((const char *)a->ns->href, W14_NS) == 0 &&
           (strcmp((const char *)a->name, "paraId") == 0 ||
            strcmp((const char *)a->name, "textId") == 0);
}

/* "<name xmlns…="…" attr="…"", unclosed ('copy': a further copy of the
 * element, without Word's paragraph ids). True when it sets
 * xml:space="preserve". The IDs that repeated content must renumber
 * become nodes (tmpl_ids.c), unless c->plain. */
static bool put_start_tag(compiler *c, const xmlNode *n, bool copy)
{
    nb_buf *b = &c->stat;
    const xmlNs *ns;
    const xmlAttr *a;
    bool preserve = false;
    nb_tnode idn;

    nb_buf_addc(b, '<');
    put_qname(b, n->ns, n->name);
    for (ns = n->nsDef; ns != NULL; ns = ns->next) {
        nb_buf_adds(b, " xmlns");
        if (ns->prefix != NULL) {
            nb_buf_addc(b, ':');
            nb_buf_adds(b, (const char *)ns->prefix);
        }
        nb_buf_adds(b, "=\"");
        put_escaped(b, (const char *)ns->href, strlen((const char *)ns->href),
                    true);
        nb_buf_addc(b, '"');
    }
    for (a = n->properties; a != NULL; a = a->next) {
        /* the unescaped value (inLine = 1); put_escaped escapes it once */
        xmlChar *v;
        const char *vs;

        if (copy && is_paragraph_id(a))
            continue;
        v = xmlNodeListGetString(n->doc, a->children, 1);
        vs = v != NULL ? (const char *)v : "";

        nb_buf_addc(b, ' ');
        put_qname(b, a->ns, a->name);
        nb_buf_adds(b, "=\"");
        if (c->wml && !c->plain &&
            nb_tmpl_id_attr(&idn, n, a, vs, c->n_frames > 1, c->t->arena,
                            &c->oom)) {
            flush_static(c);
            frame_push_node(c, &idn);
        } else {
            put_escaped(b, vs, strlen(vs), true);
        }
        nb_buf_addc(b, '"');
        if (a->ns != NULL && a->ns->prefix != NULL &&
            strcmp((const char *)a->ns->prefix, "xml") == 0 &&
            strcmp((const char *)a->name, "space") == 0)
            preserve = true;
        xmlFree(v);
    }
    return preserve;
}

static void put_start_tag_plain(compiler *c, const xmlNode *n)
{
    bool plain = c->plain;

    c->plain = true;
    put_start_tag(c, n, false);
    c->plain = plain;
}

static void put_end_tag(compiler *c, const xmlNode *n)
{
    nb_buf_adds(&c->stat, "</");
    put_qname(&c->stat, n->ns, n->name);
    nb_buf_addc(&c->stat, '>');
}

/* An element as it is, its tags merged. */
static void put_element(compiler *c, const xmlNode *n)
{
    bool preserve = put_start_tag(c, n, false);

    if (c->wml && !preserve && is_w(n, "t") && has_tag_text(c, n))
        nb_buf_adds(&c->stat, " xml:space=\"preserve\"");
    if (n->children == NULL) {
        nb_buf_adds(&c->stat, "/>");
        return;
    }
    nb_buf_addc(&c->stat, '>');
    serialise(c, n->children);
    put_end_tag(c, n);
}

/* A node without bytes: the start of a table, a row, a cell, a block or
 * a mark. */
static nb_tnode *put_marker(compiler *c, nb_tnode_kind kind)
{
    nb_tnode node;
    frame *f;

    flush_static(c);
    memset(&node, 0, sizeof(node));
    node.kind = kind;
    node.len = SIZE_MAX; /* a span: not closed yet */
    if (!frame_push_node(c, &node))
        return NULL;
    f = &c->frames[c->n_frames - 1];
    return &f->v[f->n - 1]; /* valid until the next node is pushed */
}

/* The end of a table whose rows repeat (or of a cell, a mark): its node
 * spans the nodes written since. Sections opened in a table close in it
 * (their tags are in the table), so both are in the same frame; when they
 * are not, an error was reported and the part is not merged. */
static void close_span(compiler *c, nb_tnode_kind kind)
{
    frame *f = &c->frames[c->n_frames - 1];
    size_t i;

    flush_static(c);
    for (i = f->n; i-- > 0;) {
        if (f->v[i].kind == kind && f->v[i].len == SIZE_MAX) {
            f->v[i].len = f->n - i - 1;
            return;
        }
    }
}

/* The decimal WordprocessingML attribute 'name' of 'n' (w:id, w:val). */
static bool attr_num(const xmlNode *n, const char *name, uint32_t *out)
{
    xmlChar *v = xmlGetNsProp(n, (const xmlChar *)name, (const xmlChar *)W_NS);
    char *end = NULL;
    unsigned long id = v != NULL ? strtoul((const char *)v, &end, 10) : 0;
    bool ok = v != NULL && end != (char *)v && *end == '\0' &&
              id <= UINT32_MAX && v[0] != '-';

    xmlFree(v);
    *out = (uint32_t)id;
    return ok;
}

static bool mark_id(const xmlNode *n, uint32_t *out)
{
    return attr_num(n, "id", out);
}

static int mark_kind(const compiler *c, const xmlNode *n)
{
    if (!c->wml)
        return -1;
    if (is_w(n, "bookmarkStart"))
        return NB_MARK_BOOKMARK_START;
    if (is_w(n, "bookmarkEnd"))
        return NB_MARK_BOOKMARK_END;
    /* comment marks matter only where they repeat */
    if (c->n_frames > 1 &&
        (is_w(n, "commentRangeStart") || is_w(n, "commentRangeEnd") ||
         is_w(n, "commentReference")))
        return NB_MARK_COMMENT;
    return -1;
}

/* A bookmark or comment mark, in a span the render may leave out. */
static void put_mark(compiler *c, const xmlNode *n, int kind, uint32_t id)
{
    nb_tnode *m = put_marker(c, NB_T_MARK);

    if (m == NULL)
        return;
    m->sub = (uint8_t)kind;
    m->id = id;
    m->slot = NB_NO_SLOT;
    put_element(c, n);
    close_span(c, NB_T_MARK);
}

/* The bookmarks in 'n', which is not written: noted, so that their other
 * halves are left out too (tmpl_ids.c). */
static void note_vanished(compiler *c, const xmlNode *n)
{
    const xmlNode *k;
    int kind = mark_kind(c, n);
    uint32_t id;

    if (kind == NB_MARK_BOOKMARK_START || kind == NB_MARK_BOOKMARK_END) {
        nb_tnode *m = mark_id(n, &id) ? put_marker(c, NB_T_MARK) : NULL;

        if (m != NULL) {
            m->sub = (uint8_t)kind;
            m->id = id;
            m->slot = NB_NO_SLOT;
            m->len = 0;
            m->vanished = true;
        }
        return;
    }
    for (k = n->children; k != NULL; k = k->next)
        if (k->type == XML_ELEMENT_NODE)
            note_vanished(c, k);
}

/* The w:numId of paragraph 'p' (0: none). */
static uint32_t paragraph_num(const xmlNode *p)
{
    const xmlNode *k;
    const xmlNode *q;

    for (k = p->children; k != NULL; k = k->next) {
        if (!is_w(k, "pPr"))
            continue;
        for (q = k->children; q != NULL; q = q->next) {
            if (!is_w(q, "numPr"))
                continue;
            for (q = q->children; q != NULL; q = q->next) {
                uint32_t id;

                if (is_w(q, "numId") && attr_num(q, "val", &id))
                    return id;
            }
            return 0;
        }
    }
    return 0;
}

/* Should the row-edge paragraph 'p' stay as an empty paragraph? A cell
 * must end with a w:p (ECMA-376 §17.4.66 and Word), so it stays when it
 * is the last of its cell and no other paragraph would end the cell. */
static bool edge_keeps_paragraph(const xmlNode *p)
{
    const xmlNode *k;

    if (nb_tmpl_edge_child(p->parent, true, nb_tmpl_is_block) != p)
        return false;
    for (k = p->prev; k != NULL && !nb_tmpl_is_block(k); k = k->prev)
        ;
    return k == NULL || !is_w(k, "p") || k->_private == &nb_tmpl_mark_row_edge;
}

/* Paragraph 'p' without its content: its properties only. */
static void put_empty_paragraph(compiler *c, const xmlNode *p)
{
    const xmlNode *k = p->children;

    while (k != NULL && k->type != XML_ELEMENT_NODE)
        k = k->next;
    put_start_tag(c, p, false);
    nb_buf_addc(&c->stat, '>');
    if (is_w(k, "pPr"))
        put_element(c, k);
    put_end_tag(c, p);
}

/* A row: the tags of its edge paragraphs work before and after it. */
static void put_row(compiler *c, const xmlNode *tr)
{
    sig where = {tr->parent, 0, LEVEL_ROWS};
    const xmlNode *head = nb_tmpl_row_edge(tr, false, &nb_tmpl_mark_row_edge);
    const xmlNode *tail = nb_tmpl_row_edge(tr, true, &nb_tmpl_mark_row_edge);
    const xmlNode *tbl = nb_tmpl_row_table(tr);

    if (head != NULL)
        put_tags(c, head, where, false);
    if (tbl != NULL && tbl->_private == &nb_tmpl_mark_loop_table)
        put_marker(c, NB_T_ROW);
    put_element(c, tr);
    if (tail != NULL && tail != head)
        put_tags(c, tail, where, false);
}

/* A control row: only the tags of its cells remain, working on rows. */
static void put_control_row(compiler *c, const xmlNode *tr)
{
    sig where = {tr->parent, 0, LEVEL_ROWS};
    const xmlNode *tc;
    const xmlNode *p;

    for (tc = tr->children; tc != NULL; tc = tc->next) {
        if (!is_w(tc, "tc"))
            continue;
        for (p = tc->children; p != NULL; p = p->next)
            if (p->_private == &nb_tmpl_mark_cell_control)
                put_tags(c, p, where, false);
    }
}

static void serialise_node(compiler *c, const xmlNode *n);

/* Is 'p' a paragraph in a text box of another paragraph? */
static bool nested_paragraph(const xmlNode *p)
{
    const xmlNode *k;

    for (k = p->parent; k != NULL && k->type == XML_ELEMENT_NODE; k = k->parent)
        if (is_w(k, "p"))
            return true;
    return false;
}

/* A paragraph written as it is: noted for list numbering. */
static void note_paragraph(compiler *c, const xmlNode *p)
{
    if (c->wml && is_w(p, "p") && !nested_paragraph(p))
        frame_note_paragraph(c, paragraph_num(p));
}

/* Does cell paragraph 'p' of a cell whose paragraphs repeat go? */
static bool cell_paragraph_goes(const xmlNode *p)
{
    return p->_private == &nb_tmpl_mark_cell_loop ||
           p->_private == &nb_tmpl_mark_row_edge;
}

/* A cell whose paragraphs repeat. Word needs a w:p at the end of every
 * cell (ECMA-376 §17.4.66), which an empty loop could take away: the
 * render then writes an empty paragraph with the properties of the cell's
 * last control paragraph (NB_T_CELL). */
static void put_loop_cell(compiler *c, const xmlNode *tc)
{
    const xmlNode *k;
    const xmlNode *last = NULL;
    const char *fallback = NULL;
    nb_tnode *m;
    nb_buf saved = c->stat;

    for (k = tc->children; k != NULL; k = k->next)
        if (cell_paragraph_goes(k))
            last = k;
    if (last != NULL) {
        nb_buf_init(&c->stat, c->t->limits.max_part_bytes);
        put_bare_paragraph_start(c, last);
        put_end_tag(c, last);
        if (c->stat.st != NB_OK || c->stat.data == NULL ||
            (fallback = nb_arena_strndup(c->t->arena, c->stat.data,
                                         c->stat.len)) == NULL)
            c->oom = true;
        nb_buf_fini(&c->stat);
        c->stat = saved;
    }
    put_start_tag(c, tc, false);
    nb_buf_addc(&c->stat, '>');
    m = put_marker(c, NB_T_CELL);
    if (m != NULL)
        m->s = fallback;
    for (k = tc->children; k != NULL && !c->oom; k = k->next) {
        if (nb_tmpl_is_block(k) && !cell_paragraph_goes(k) &&
            k->_private != &nb_tmpl_mark_loop_table) {
            /* a table whose rows repeat says itself whether it was
             * written */
            m = put_marker(c, NB_T_BLOCK);
            if (m != NULL) {
                m->sub = is_w(k, "p");
                m->len = 0;
            }
        }
        serialise_node(c, k);
    }
    close_span(c, NB_T_CELL);
    put_end_tag(c, tc);
}

/* numbering.xml's root: the w:num of a render go after the template's,
 * before a w:numIdMacAtCleanup (CT_Numbering's order). */
static void put_nums_marker(compiler *c, const xmlNode *root)
{
    nb_tnode *m = put_marker(c, NB_T_NUMS);
    const char *prefix =
        root->ns != NULL ? (const char *)root->ns->prefix : NULL;

    if (m == NULL)
        return;
    /* the parse is freed after the compile: a copy */
    m->s = nb_arena_strdup(c->t->arena, prefix != NULL ? prefix : "");
    if (m->s == NULL)
        c->oom = true;
}

static void put_numbering_root(compiler *c, const xmlNode *root)
{
    const xmlNode *k;
    bool placed = false;

    put_start_tag(c, root, false);
    nb_buf_addc(&c->stat, '>');
    for (k = root->children; k != NULL && !c->oom; k = k->next) {
        if (!placed && is_w(k, "numIdMacAtCleanup")) {
            put_nums_marker(c, root);
            placed = true;
        }
        serialise_node(c, k);
    }
    if (!placed)
        put_nums_marker(c, root);
    put_end_tag(c, root);
}

static void serialise_element(compiler *c, const xmlNode *n)
{
    int mark = mark_kind(c, n);
    uint32_t id;
    bool fallback = nb_xml_is(n, MC_NS, "Fallback");

    c->in_fallback += fallback;
    if (n->_private == &nb_tmpl_mark_control) {
        note_vanished(c, n);
        put_tags(c, n, (sig){n->parent, 0, LEVEL_PARAGRAPHS}, true);
    } else if (n->_private == &nb_tmpl_mark_cell_loop) {
        /* Word does not break a page inside a table cell */
        note_vanished(c, n);
        put_tags(c, n, (sig){n->parent, 0, LEVEL_PARAGRAPHS}, false);
    } else if (n->_private == &nb_tmpl_mark_control_row) {
        note_vanished(c, n);
        put_control_row(c, n);
    } else if (n->_private == &nb_tmpl_mark_row_edge) {
        /* its tags went before or after the row */
        note_vanished(c, n);
        if (n->parent->_private != &nb_tmpl_mark_loop_cell &&
            edge_keeps_paragraph(n)) {
            note_paragraph(c, n);
            put_empty_paragraph(c, n);
        }
    } else if (n->_private == &nb_tmpl_mark_loop_table) {
        put_marker(c, NB_T_TABLE);
        put_element(c, n);
        close_span(c, NB_T_TABLE);
    } else if (n->_private == &nb_tmpl_mark_loop_cell) {
        put_loop_cell(c, n);
    } else if (c->wml && is_w(n, "tr")) {
        put_row(c, n);
    } else if (mark >= 0 && mark_id(n, &id)) {
        put_mark(c, n, mark, id);
    } else if (c->numbering && n->parent != NULL &&
               n->parent->type == XML_DOCUMENT_NODE) {
        put_numbering_root(c, n);
    } else {
        note_paragraph(c, n);
        put_element(c, n);
    }
    c->in_fallback -= fallback;
}

static void serialise_node(compiler *c, const xmlNode *n)
{
    switch (n->type) {
    case XML_ELEMENT_NODE:
        serialise_element(c, n);
        break;
    case XML_TEXT_NODE:
    case XML_CDATA_SECTION_NODE: {
        const char *s = (const char *)n->content;
        size_t len = s != NULL ? strlen(s) : 0;

        if (len > 0 && strstr(s, "{{") != NULL && nb_tmpl_is_tag_text(c, n))
            put_text_with_tags(c, n, s, len);
        else
            put_escaped(&c->stat, s, len, false);
        break;
    }
    default:
        break; /* comments and processing instructions are dropped */
    }
}

static void serialise(compiler *c, const xmlNode *n)
{
    for (; n != NULL && !c->oom; n = n->next)
        serialise_node(c, n);
}

static void compiler_init(compiler *c, nb_template *t, nb_tpart *part,
                          nb_diag_list *dl)
{
    memset(c, 0, sizeof(*c));
    c->t = t;
    c->part = part;
    c->dl = dl;
    c->first_diag = nb_diag_list_count(dl);
    nb_buf_init(&c->stat, t->limits.max_part_bytes);
    nb_buf_init(&c->scratch, 4096);
    nb_buf_init(&c->rec, t->limits.max_part_bytes);
    nb_buf_init(&c->scratch2, 4096);
    nb_buf_init(&c->fold, t->limits.max_part_bytes);
    nb_buf_init(&c->msg, 1u << 16);
    nb_buf_init(&c->open.text, t->limits.max_part_bytes);
}

/* Start compiling 'part': parse it into *doc (xmlFreeDoc). */
static nb_status compile_begin(compiler *c, xmlDocPtr *doc, nb_template *t,
                               nb_tpart *part, nb_diag_list *dl)
{
    compiler_init(c, t, part, dl);
    *doc = NULL;
    return nb_xml_parse(doc, (const char *)part->raw, part->raw_len, t->file,
                        part->name, NB_TMPL_PART_MALFORMED, t->limits.xml_huge,
                        &t->limits, dl);
}

/* Serialise 'root' into the root frame. */
static nb_status compile_root(compiler *c, const xmlNode *root)
{
    if (!open_frame(c, NULL, (sig){NULL, 0, LEVEL_PARAGRAPHS}, 0))
        return nb_diag_nomem(c->dl, c->t->file);
    nb_buf_adds(&c->stat, "<?xml version=\"1.0\" encoding=\"UTF-8\" "
                          "standalone=\"yes\"?>\r\n");
    serialise(c, root);
    flush_static(c);
    return NB_OK;
}

/* The root frame's nodes become the part's. */
static nb_status compile_seal(compiler *c)
{
    c->part->n_nodes = c->frames[0].n;
    c->part->nodes = seal(c, &c->frames[0]);
    return c->oom ? nb_diag_nomem(c->dl, c->t->file) : NB_OK;
}

static void compile_end(compiler *c, xmlDocPtr doc)
{
    size_t i;

    for (i = 0; i < c->n_frames; i++)
        frame_free(&c->frames[i]);
    free(c->frames);
    nb_buf_fini(&c->stat);
    nb_buf_fini(&c->scratch);
    nb_buf_fini(&c->rec);
    nb_buf_fini(&c->scratch2);
    nb_buf_fini(&c->fold);
    nb_buf_fini(&c->msg);
    nb_buf_fini(&c->open.text);
    xmlFreeDoc(doc);
}

/* Every section still open at the end of the part. */
static void report_unclosed(compiler *c)
{
    while (c->n_frames > 1) {
        frame *f = &c->frames[c->n_frames - 1];

        nb_tmpl_report(c, NB_TMPL_SECTION_UNCLOSED, f->line,
                       _("'{{%c%.*s}}' is never closed"),
                       f->tg.kind == TAG_INVERTED ? '^' : '#',
                       (int)f->tg.path_len, f->tg.path_text);
        frame_free(f);
        c->n_frames--;
    }
}

nb_status nb_tmpl_compile_part(nb_template *t, nb_tpart *part, nb_diag_list *dl)
{
    compiler c;
    xmlDocPtr doc = NULL;
    xmlNodePtr root;
    nb_status st;
    size_t errors_before = nb_diag_errors(dl);

    part->merged = false;
    st = compile_begin(&c, &doc, t, part, dl);
    if (st != NB_OK)
        goto done;
    root = xmlDocGetRootElement(doc);
    c.wml = root != NULL && root->ns != NULL &&
            strcmp((const char *)root->ns->href, W_NS) == 0;
    if (c.wml && !nb_tmpl_ids_scan(t, root)) {
        st = nb_diag_nomem(dl, t->file);
        goto done;
    }
    /* a part is parsed even without a brace in it, so that a broken part
     * is reported rather than copied into the output */
    if (!nb_tmpl_has_brace((const char *)part->raw, part->raw_len))
        goto done;
    if (c.wml) {
        st = nb_tmpl_normalise(&c, root);
        if (st == NB_OK)
            nb_tmpl_settle_open_end(&c, NULL, "", 0);
    } else {
        st = nb_tmpl_normalise_text(&c, root);
    }
    if (st == NB_OK && c.oom)
        st = NB_ERR_NOMEM;
    if (st != NB_OK) {
        nb_diag_nomem(dl, t->file);
        goto done;
    }
    /* nb_tmpl_normalise() has reported every bad tag of every paragraph */
    c.quiet = true;
    st = compile_root(&c, root);
    if (st != NB_OK)
        goto done;
    c.quiet = false;
    report_unclosed(&c);
    if (c.oom) {
        st = nb_diag_nomem(dl, t->file);
        goto done;
    }
    if (c.n_tags > 0) {
        part->merged = true;
        st = compile_seal(&c);
        if (st == NB_OK)
            nb_tmpl_ids_link(t, part);
    }
done:
    compile_end(&c, doc);
    if (st == NB_OK && nb_diag_errors(dl) > errors_before)
        part->merged = false;
    return st;
}

nb_status nb_tmpl_compile_numbering(nb_template *t, nb_tpart *part,
                                    nb_diag_list *dl)
{
    compiler c;
    xmlDocPtr doc = NULL;
    xmlNodePtr root;
    nb_status st;

    part->numbering = false;
    st = compile_begin(&c, &doc, t, part, dl);
    if (st != NB_OK)
        goto done;
    root = xmlDocGetRootElement(doc);
    /* a part of another kind under that name is copied as it is */
    if (!is_w(root, "numbering"))
        goto done;
    c.wml = true;
    c.numbering = true;
    c.plain = true;
    if (!nb_tmpl_numbering_read(t, root)) {
        st = nb_diag_nomem(dl, t->file);
        goto done;
    }
    st = compile_root(&c, root);
    if (st == NB_OK && c.oom)
        st = nb_diag_nomem(dl, t->file);
    if (st == NB_OK)
        st = compile_seal(&c);
    part->numbering = st == NB_OK;
done:
    compile_end(&c, doc);
    return st;
}

/* ==== Text templates ==== */

static const sig text_sig = {NULL, 0, LEVEL_PARAGRAPHS};

nb_status nb_tmpl_text_begin(compiler *c, nb_template *t, nb_tpart *part,
                             nb_diag_list *dl)
{
    compiler_init(c, t, part, dl);
    c->text = true;
    part->merged = false;
    if (!open_frame(c, NULL, text_sig, 0))
        return nb_diag_nomem(dl, t->file);
    return NB_OK;
}

void nb_tmpl_text_static(compiler *c, const char *s, size_t len)
{
    nb_buf_add(&c->stat, s, len);
}

void nb_tmpl_text_tag(compiler *c, const tag *tg, uint32_t line)
{
    emit_tag(c, tg, text_sig, NULL, line);
}

nb_status nb_tmpl_text_end(compiler *c)
{
    nb_status st = NB_OK;

    flush_static(c);
    report_unclosed(c);
    /* a template with errors is never rendered (t->broken) */
    if (c->oom) {
        st = nb_diag_nomem(c->dl, c->t->file);
    } else {
        c->part->merged = c->n_tags > 0;
        st = compile_seal(c);
    }
    compile_end(c, NULL);
    return st;
}
