/* import_docx.c: a Word draft (.docx as Word, WPS and LibreOffice save it).
 *
 * Reads word/document.xml within the zip limits: each paragraph's text
 * (runs, inserted text; deleted text, field codes and comments are not
 * read, so tracked changes read as accepted), table cells and text boxes
 * as paragraphs of their own, footnotes after the paragraph citing them.
 * Automatic numbering (numbering.xml: decimal, chineseCounting and their
 * lvlText, "%1、" "（%1）") is computed and put before the text, as Word
 * shows it; Heading styles (styles.xml: outline level or a "heading N"
 * name) give the level.
 *
 * word/document.xml and word/footnotes.xml are streamed through libxml2's
 * SAX2 push parser (nb_xml_stream): no tree is built, and each part's
 * unpacked bytes are released as soon as it is read, so memory holds the
 * paragraphs read, not the markup around them. numbering.xml and
 * styles.xml are small and read as trees, each freed before the body is
 * read.
 */
#include "import.h"
#include "xml_io.h"
#include "zip_io.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define W_NS "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#define MAX_NUMS 512
#define MAX_STYLES 1024

static bool w(const xmlNode *n, const char *name)
{
    return n != NULL && n->type == XML_ELEMENT_NODE &&
           nb_xml_is(n, W_NS, name);
}

static const xmlNode *child(const xmlNode *n, const char *name)
{
    const xmlNode *c;

    for (c = n != NULL ? n->children : NULL; c != NULL; c = c->next)
        if (w(c, name))
            return c;
    return NULL;
}

/* w:val (or another attribute in the w namespace) into out[0..cap). */
static bool wval(const xmlNode *n, const char *attr, char *out, size_t cap)
{
    xmlChar *v;

    if (n == NULL)
        return false;
    v = xmlGetNsProp(n, (const xmlChar *)attr, (const xmlChar *)W_NS);
    if (v == NULL)
        return false;
    snprintf(out, cap, "%s", (const char *)v);
    xmlFree(v);
    return true;
}

static int ival(const xmlNode *n, const char *attr, int dflt)
{
    char v[32];

    return wval(n, attr, v, sizeof(v)) ? (int)strtol(v, NULL, 10) : dflt;
}

/* ==== Numbering ==== */

typedef struct lvl {
    char fmt[24];   /* numFmt: decimal, chineseCounting, … */
    char text[64];  /* lvlText: "%1、" */
    int start;
} lvl;

typedef struct num {
    int id;
    lvl lv[9];
    int count[9];
} num;

typedef struct style {
    char id[64];
    unsigned level; /* outline level + 1, 0 none */
} style;

/* What an open element is, for the streamed parts. */
typedef enum kind {
    K_SKIP,  /* its content is not read */
    K_BLOCK, /* holds paragraphs: body, table cells, text boxes, notes */
    K_PARA,  /* w:p */
    K_RUNS,  /* within a paragraph: runs, hyperlinks, insertions */
    K_PPR,   /* the paragraph's properties */
    K_NUMPR, /* its numbering */
    K_RPR,   /* a run's properties */
    K_TEXT   /* w:t */
} kind;

#define MAX_DEPTH 512 /* elements open at once that are followed */
#define MAX_OPEN 16   /* paragraphs open at once (text boxes in text boxes) */
#define MAX_REFS 16   /* footnotes cited by one paragraph */

/* A paragraph read, waiting for its place: text boxes come after the
 * paragraph that anchors them, footnotes after the paragraph citing them. */
typedef struct rec {
    char *text; /* NULL: the footnote 'note' */
    size_t len;
    unsigned level;
    int note;
    unsigned face; /* how its runs set it: see strength() */
} rec;

/* A paragraph being read. */
typedef struct para {
    nb_buf t;
    size_t slot; /* its place in ctx.recs */
    int num_id;
    int ilvl;
    int outline; /* outlineLvl, or -1 */
    char style[64];
    int refs[MAX_REFS];
    size_t n_refs;
    /* the run being read: bold, in 黑体, in 楷体 (GB/T 9704's first and
     * second heading levels) */
    bool r_bold, r_hei, r_kai;
    /* of all runs with text so far: every one bold or in 黑体/楷体, every
     * one in 黑体, every one in 楷体; and how many */
    bool all_strong, all_hei, all_kai;
    size_t seen;
} para;

typedef struct ctx {
    nb_idoc *d;
    size_t max_text;
    num *nums;
    size_t n_nums;
    style *styles;
    size_t n_styles;
    uint32_t line;
    /* the stream */
    bool in_notes; /* reading footnotes.xml: paragraphs kept as notes */
    int note_id;   /* of the w:footnote being read */
    unsigned char kinds[MAX_DEPTH];
    size_t depth;     /* elements open */
    size_t skip;      /* elements open beyond the followed ones */
    para open[MAX_OPEN];
    size_t n_open;
    rec *recs; /* paragraphs waiting: the outermost paragraph's group */
    size_t n_recs;
    size_t cap_recs;
    rec *notes; /* footnotes' paragraphs, 'note' their id */
    size_t n_notes;
    size_t cap_notes;
} ctx;

static void read_lvls(lvl *lv, const xmlNode *abs)
{
    const xmlNode *c;

    for (c = abs->children; c != NULL; c = c->next) {
        int i = ival(c, "ilvl", -1);

        if (!w(c, "lvl") || i < 0 || i > 8)
            continue;
        wval(child(c, "numFmt"), "val", lv[i].fmt, sizeof(lv[i].fmt));
        wval(child(c, "lvlText"), "val", lv[i].text, sizeof(lv[i].text));
        lv[i].start = ival(child(c, "start"), "val", 1);
    }
}

static void read_numbering(ctx *x, const xmlNode *root)
{
    const xmlNode *c;
    const xmlNode *a;

    size_t n = 1;

    for (c = root != NULL ? root->children : NULL; c != NULL; c = c->next)
        n += w(c, "num") && n < MAX_NUMS;
    x->nums = calloc(n, sizeof(num));
    if (x->nums == NULL || root == NULL)
        return;
    for (c = root->children; c != NULL && x->n_nums < n; c = c->next) {
        int abs_id;

        if (!w(c, "num"))
            continue;
        abs_id = ival(child(c, "abstractNumId"), "val", -1);
        for (a = root->children; a != NULL; a = a->next)
            if (w(a, "abstractNum") && ival(a, "abstractNumId", -2) == abs_id)
                break;
        x->nums[x->n_nums].id = ival(c, "numId", -1);
        if (a != NULL)
            read_lvls(x->nums[x->n_nums].lv, a);
        x->n_nums++;
    }
}

/* The number k in numFmt 'fmt' appended to t. */
static void format_num(nb_buf *t, const char *fmt, int k)
{
    if (strncmp(fmt, "chinese", 7) == 0 || strncmp(fmt, "ideograph", 9) == 0 ||
        strcmp(fmt, "taiwaneseCounting") == 0)
        nb_cn_number(t, (unsigned long)(k > 0 ? k : 0));
    else if (strcmp(fmt, "none") != 0 && strcmp(fmt, "bullet") != 0)
        nb_buf_printf(t, "%d", k);
}

/* The ordinal automatic numbering gives the paragraph: lvlText with %N
 * replaced by the counters. */
static void ordinal(ctx *x, nb_buf *t, int num_id, int ilvl)
{
    num *n = NULL;
    size_t i;
    const char *p;

    if (ilvl < 0 || ilvl > 8 || num_id <= 0)
        return;
    for (i = 0; i < x->n_nums; i++)
        if (x->nums[i].id == num_id)
            n = &x->nums[i];
    if (n == NULL || strcmp(n->lv[ilvl].fmt, "bullet") == 0)
        return;
    n->count[ilvl] = n->count[ilvl] == 0 ? n->lv[ilvl].start
                                         : n->count[ilvl] + 1;
    for (i = (size_t)ilvl + 1; i < 9; i++)
        n->count[i] = 0;
    for (p = n->lv[ilvl].text; *p != '\0'; p++) {
        if (p[0] == '%' && p[1] >= '1' && p[1] <= '9') {
            int l = p[1] - '1';

            format_num(t, n->lv[l].fmt[0] ? n->lv[l].fmt : "decimal",
                       n->count[l] > 0 ? n->count[l] : n->lv[l].start);
            p++;
        } else {
            nb_buf_addc(t, *p);
        }
    }
}

/* ==== Styles ==== */

static unsigned heading_level(const xmlNode *s)
{
    char name[64] = "";
    int ol = ival(child(child(s, "pPr"), "outlineLvl"), "val", -1);

    if (ol >= 0 && ol < 9)
        return (unsigned)ol + 1;
    wval(child(s, "name"), "val", name, sizeof(name));
    if (strncasecmp(name, "heading ", 8) == 0 && name[8] >= '1' &&
        name[8] <= '9')
        return (unsigned)(name[8] - '0');
    return 0;
}

static void read_styles(ctx *x, const xmlNode *root)
{
    const xmlNode *c;

    size_t n = 1;

    for (c = root != NULL ? root->children : NULL; c != NULL; c = c->next)
        n += w(c, "style") && n < MAX_STYLES;
    x->styles = calloc(n, sizeof(style));
    if (x->styles == NULL || root == NULL)
        return;
    for (c = root->children; c != NULL && x->n_styles < n; c = c->next) {
        style *s = &x->styles[x->n_styles];

        if (!w(c, "style") || !wval(c, "styleId", s->id, sizeof(s->id)))
            continue;
        s->level = heading_level(c);
        x->n_styles++;
    }
}

static unsigned style_level(const ctx *x, const para *p)
{
    size_t i;

    if (p->outline >= 0 && p->outline < 9)
        return (unsigned)p->outline + 1;
    for (i = 0; p->style[0] != '\0' && i < x->n_styles; i++)
        if (strcmp(x->styles[i].id, p->style) == 0)
            return x->styles[i].level;
    return 0;
}

/* ==== Paragraphs, streamed ==== */

static bool wattr(int n_attrs, const xmlChar **attrs, const char *name,
                  char *out, size_t cap)
{
    return nb_xml_sax_attr(n_attrs, attrs, W_NS, name, out, cap);
}

static int wint(int n_attrs, const xmlChar **attrs, const char *name,
                int dflt)
{
    char v[32];

    return wattr(n_attrs, attrs, name, v, sizeof(v))
               ? (int)strtol(v, NULL, 10)
               : dflt;
}

static bool push_rec(ctx *x, rec **v, size_t *n, size_t *cap, rec r)
{
    if (*n == *cap) {
        size_t c = *cap ? *cap * 2 : 16;
        size_t bytes;
        rec *nv = nb_size_mul(&bytes, c, sizeof(rec)) ? realloc(*v, bytes)
                                                       : NULL;

        if (nv == NULL) {
            free(r.text);
            return !(x->d->oom = true);
        }
        *v = nv;
        *cap = c;
    }
    (*v)[(*n)++] = r;
    return true;
}

/* A paragraph opens: its place is kept among those waiting. */
static kind open_para(ctx *x)
{
    para *p;
    rec empty = {NULL, 0, 0, -1, 0};

    if (x->n_open == MAX_OPEN)
        return K_RUNS; /* nested too deep: its text joins its anchor's */
    p = &x->open[x->n_open];
    if (p->t.max == 0)
        nb_buf_init(&p->t, x->max_text);
    nb_buf_reset(&p->t);
    p->slot = x->n_recs;
    p->num_id = 0;
    p->ilvl = 0;
    p->outline = -1;
    p->style[0] = '\0';
    p->n_refs = 0;
    p->r_bold = p->r_hei = p->r_kai = false;
    p->all_strong = p->all_hei = p->all_kai = true;
    p->seen = 0;
    if (!push_rec(x, &x->recs, &x->n_recs, &x->cap_recs, empty))
        return K_SKIP;
    x->n_open++;
    return K_PARA;
}

/* A paragraph's text into the draft, with how its runs set it. */
static void add_text(ctx *x, const rec *r)
{
    size_t n = x->d->n;

    nb_idoc_add(x->d, r->text, r->len, x->line, r->level, r->face > 0);
    if (x->d->n > n)
        x->d->p[n].face = r->face < 3 ? r->face : 0;
}

/* How a paragraph's runs set it: 1 all in 黑体, 2 all in 楷体, 3 all
 * bold otherwise (or mixing the two faces), 0 not all (or no text). */
static unsigned strength(const para *p)
{
    if (p->seen == 0)
        return 0;
    if (p->all_hei)
        return 1;
    if (p->all_kai)
        return 2;
    return p->all_strong ? 3 : 0;
}

/* The footnote 'id' cited: its paragraphs, each a line. */
static void add_note(ctx *x, int id)
{
    size_t i;

    for (i = 0; i < x->n_notes; i++) {
        if (x->notes[i].note != id)
            continue;
        x->line++;
        add_text(x, &x->notes[i]);
    }
}

/* The outermost paragraph closed: it and all that waited on it go to the
 * draft (or, in footnotes.xml, to the notes), in order. */
static void flush(ctx *x)
{
    size_t i;

    for (i = 0; i < x->n_recs; i++) {
        rec *r = &x->recs[i];

        if (x->in_notes) {
            r->note = x->note_id;
            if (r->text != NULL &&
                push_rec(x, &x->notes, &x->n_notes, &x->cap_notes, *r))
                r->text = NULL;
        } else if (r->text != NULL) {
            x->line++;
            add_text(x, r);
        } else if (r->note >= 0) {
            add_note(x, r->note);
        }
        free(r->text);
    }
    x->n_recs = 0;
}

/* A paragraph closes: its text into its place, then the footnotes it
 * cites after the text boxes it anchors. */
static void close_para(ctx *x)
{
    para *p = &x->open[--x->n_open];
    rec *r = &x->recs[p->slot];
    size_t i;

    if (p->t.st != NB_OK)
        x->d->oom = true;
    r->level = style_level(x, p);
    r->face = strength(p);
    r->len = p->t.len;
    r->text = malloc(p->t.len + 1);
    if (r->text == NULL)
        x->d->oom = true;
    else
        memcpy(r->text, p->t.data != NULL ? p->t.data : "", p->t.len + 1);
    for (i = 0; i < p->n_refs && !x->in_notes; i++) {
        rec note = {NULL, 0, 0, p->refs[i], 0};

        push_rec(x, &x->recs, &x->n_recs, &x->cap_recs, note);
    }
    if (x->n_open == 0)
        flush(x);
}

static bool is(const char *local, const char *name)
{
    return strcmp(local, name) == 0;
}

/* What an element of the w namespace is, within a paragraph's runs. */
static kind in_runs(ctx *x, const char *local, int n_attrs,
                    const xmlChar **attrs)
{
    para *p = &x->open[x->n_open - 1];

    if (is(local, "t")) {
        p->seen++;
        p->all_strong &= p->r_bold || p->r_hei || p->r_kai;
        p->all_hei &= p->r_hei;
        p->all_kai &= p->r_kai;
        return K_TEXT;
    }
    if (is(local, "r")) {
        p->r_bold = p->r_hei = p->r_kai = false;
        return K_RUNS;
    }
    if (is(local, "rPr"))
        return K_RPR;
    if (is(local, "tab")) {
        nb_buf_addc(&p->t, ' ');
        return K_SKIP;
    }
    if (is(local, "txbxContent"))
        return K_BLOCK;
    if (is(local, "footnoteReference")) {
        if (p->n_refs < MAX_REFS)
            p->refs[p->n_refs++] = wint(n_attrs, attrs, "id", -1);
        return K_SKIP;
    }
    if (is(local, "del") || is(local, "instrText") || is(local, "delText") ||
        is(local, "pPr") ||
        is(local, "commentReference") || is(local, "fallback"))
        return K_SKIP;
    return K_RUNS;
}

/* A run's property: w:b (unless val is 0 or false), w:rFonts' eastAsia
 * face. */
static kind in_rpr(ctx *x, const char *local, int n_attrs,
                   const xmlChar **attrs)
{
    para *p = &x->open[x->n_open - 1];
    char v[64];

    if (is(local, "b")) {
        p->r_bold = !(wattr(n_attrs, attrs, "val", v, sizeof(v)) &&
                      (strcmp(v, "0") == 0 || strcmp(v, "false") == 0));
    } else if (is(local, "rFonts") &&
               wattr(n_attrs, attrs, "eastAsia", v, sizeof(v))) {
        p->r_hei = strstr(v, "黑体") != NULL;
        p->r_kai = strstr(v, "楷体") != NULL;
    }
    return K_SKIP;
}

/* What an element of the w namespace is, within a paragraph's pPr. */
static kind in_ppr(ctx *x, kind parent, const char *local, int n_attrs,
                   const xmlChar **attrs)
{
    para *p = &x->open[x->n_open - 1];

    if (parent == K_NUMPR) {
        if (is(local, "ilvl"))
            p->ilvl = wint(n_attrs, attrs, "val", 0);
        else if (is(local, "numId"))
            p->num_id = wint(n_attrs, attrs, "val", 0);
        return K_SKIP;
    }
    if (is(local, "numPr"))
        return K_NUMPR;
    if (is(local, "pStyle"))
        wattr(n_attrs, attrs, "val", p->style, sizeof(p->style));
    else if (is(local, "outlineLvl"))
        p->outline = wint(n_attrs, attrs, "val", -1);
    return K_SKIP;
}

static kind classify(ctx *x, kind parent, const char *local, const char *uri,
                     int n_attrs, const xmlChar **attrs)
{
    if (uri == NULL || strcmp(uri, W_NS) != 0)
        return is(local, "Fallback") || parent == K_BLOCK ||
                       parent == K_NUMPR || parent == K_PPR ||
                       parent == K_RPR || parent == K_TEXT
                   ? K_SKIP
                   : K_RUNS; /* mc:AlternateContent, drawings: followed */
    switch (parent) {
    case K_BLOCK:
        if (is(local, "p"))
            return open_para(x);
        if (is(local, "footnote"))
            x->note_id = wint(n_attrs, attrs, "id", -1);
        return is(local, "document") || is(local, "body") ||
                       is(local, "tbl") || is(local, "tr") ||
                       is(local, "tc") || is(local, "sdt") ||
                       is(local, "sdtContent") || is(local, "ins") ||
                       is(local, "customXml") || is(local, "footnotes") ||
                       is(local, "footnote")
                   ? K_BLOCK
                   : K_SKIP;
    case K_PARA:
        return is(local, "pPr") ? K_PPR : in_runs(x, local, n_attrs, attrs);
    case K_RUNS:
        return in_runs(x, local, n_attrs, attrs);
    case K_PPR:
    case K_NUMPR:
        return in_ppr(x, parent, local, n_attrs, attrs);
    case K_RPR:
        return in_rpr(x, local, n_attrs, attrs);
    default:
        return K_SKIP;
    }
}

static void on_start(void *u, const char *local, const char *uri,
                     int n_attrs, const xmlChar **attrs)
{
    ctx *x = u;
    kind k;

    if (x->skip > 0 || x->depth == MAX_DEPTH || x->d->oom) {
        x->skip++;
        return;
    }
    k = classify(x, x->depth > 0 ? (kind)x->kinds[x->depth - 1] : K_BLOCK,
                 local, uri, n_attrs, attrs);
    if (k == K_SKIP) {
        x->skip++;
        return;
    }
    x->kinds[x->depth++] = (unsigned char)k;
}

static void on_end(void *u)
{
    ctx *x = u;
    kind k;

    if (x->skip > 0) {
        x->skip--;
        return;
    }
    if (x->depth == 0)
        return;
    k = (kind)x->kinds[--x->depth];
    if (k == K_PPR) { /* the ordinal, before the paragraph's text */
        para *p = &x->open[x->n_open - 1];

        if (p->num_id > 0)
            ordinal(x, &p->t, p->num_id, p->ilvl);
    } else if (k == K_PARA) {
        close_para(x);
    }
}

static void on_text(void *u, const char *s, size_t len)
{
    ctx *x = u;

    if (x->skip == 0 && x->depth > 0 && x->kinds[x->depth - 1] == K_TEXT &&
        x->n_open > 0)
        nb_buf_add(&x->open[x->n_open - 1].t, s, len);
}

static const nb_xml_handlers handlers = {on_start, on_end, on_text};

static void stream_fini(ctx *x)
{
    size_t i;

    for (i = 0; i < MAX_OPEN; i++)
        nb_buf_fini(&x->open[i].t);
    for (i = 0; i < x->n_recs; i++)
        free(x->recs[i].text);
    for (i = 0; i < x->n_notes; i++)
        free(x->notes[i].text);
    free(x->recs);
    free(x->notes);
}

/* ==== The package ==== */

static nb_zip_entry *entry(nb_zip_entry *v, size_t n, const char *name)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (strcmp(v[i].name, name) == 0)
            return &v[i];
    return NULL;
}

/* The unpacked bytes of a part read, released at once. */
static void release(nb_zip_entry *e)
{
    if (e != NULL) {
        free(e->data);
        e->data = NULL;
        e->len = 0;
    }
}

/* Parse a part into a tree (NULL when absent; a broken optional part is
 * reported), then release its bytes. */
static nb_status part(xmlDocPtr *out, nb_zip_entry *e, ctx *x,
                      const nb_limits *lim, nb_diag_list *dl)
{
    nb_status st;

    *out = NULL;
    if (e == NULL)
        return NB_OK;
    st = nb_xml_parse(out, (const char *)e->data, e->len, x->d->r->file,
                      e->name, NB_IMPORT_UNREADABLE, lim->xml_huge, lim, dl);
    release(e);
    return st;
}

/* Stream a part's paragraphs (nothing when absent), then release its
 * bytes. */
static nb_status stream(ctx *x, nb_zip_entry *e, bool notes,
                        const nb_limits *lim, nb_diag_list *dl)
{
    nb_status st;

    if (e == NULL)
        return NB_OK;
    x->in_notes = notes;
    x->depth = 0;
    x->skip = 0;
    x->n_open = 0;
    x->d->where = e->name;
    st = nb_xml_stream((const char *)e->data, e->len, &handlers, x,
                       x->d->r->file, e->name, NB_IMPORT_UNREADABLE, lim, dl);
    release(e);
    x->n_open = 0;
    flush(x); /* what a broken part left open */
    return st;
}

/* numbering.xml and styles.xml into their tables. */
static nb_status read_tables(ctx *x, nb_zip_entry *v, size_t n,
                             const nb_limits *lim, nb_diag_list *dl)
{
    xmlDocPtr doc = NULL;
    nb_status st;

    st = part(&doc, entry(v, n, "word/numbering.xml"), x, lim, dl);
    if (st == NB_OK)
        read_numbering(x, doc != NULL ? xmlDocGetRootElement(doc) : NULL);
    xmlFreeDoc(doc);
    doc = NULL;
    if (st == NB_OK)
        st = part(&doc, entry(v, n, "word/styles.xml"), x, lim, dl);
    if (st == NB_OK)
        read_styles(x, doc != NULL ? xmlDocGetRootElement(doc) : NULL);
    xmlFreeDoc(doc);
    if (st == NB_OK && (x->nums == NULL || x->styles == NULL))
        x->d->oom = true;
    return st;
}

static nb_status read_parts(ctx *x, nb_zip_entry *v, size_t n,
                            const nb_limits *lim, nb_diag_list *dl)
{
    nb_zip_entry *body = entry(v, n, "word/document.xml");
    nb_status st;

    if (body == NULL) {
        nb_loc loc = {x->d->r->file, 0, 0, NULL};

        nb_diag_add(dl, NB_IMPORT_UNREADABLE, &loc, "%s",
                    _("the zip has no word/document.xml: not a Word "
                      "document"));
        return NB_ERR_FORMAT;
    }
    st = read_tables(x, v, n, lim, dl);
    if (st == NB_OK && !x->d->oom)
        st = stream(x, entry(v, n, "word/footnotes.xml"), true, lim, dl);
    if (st == NB_OK && !x->d->oom)
        st = stream(x, body, false, lim, dl);
    x->d->where = "word/document.xml";
    return st;
}

/* The parts read; pictures and the rest are never unpacked. */
static const char *const parts[] = {"word/document.xml", "word/numbering.xml",
                                    "word/styles.xml", "word/footnotes.xml",
                                    NULL};

nb_status nb_import_docx(nb_idoc *d, const char *data, size_t len,
                         const nb_limits *lim, nb_diag_list *dl)
{
    nb_zip_entry *v = NULL;
    size_t n = 0;
    ctx x;
    nb_status st;

    memset(&x, 0, sizeof(x));
    x.d = d;
    x.max_text = lim->max_part_bytes;
    st = nb_zip_read_some(&v, &n, data, len, d->r->file, lim, parts, dl);
    if (st != NB_OK)
        return st;
    st = read_parts(&x, v, n, lim, dl);
    stream_fini(&x);
    free(x.nums);
    free(x.styles);
    nb_zip_entries_free(v, n);
    if (st == NB_OK && d->oom)
        st = nb_diag_nomem(dl, d->r->file);
    return st;
}
