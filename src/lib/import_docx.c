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

typedef struct ctx {
    nb_idoc *d;
    num *nums;
    size_t n_nums;
    style *styles;
    size_t n_styles;
    xmlDocPtr notes;
    uint32_t line;
    nb_buf t;
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

    x->nums = calloc(MAX_NUMS, sizeof(num));
    if (x->nums == NULL || root == NULL)
        return;
    for (c = root->children; c != NULL && x->n_nums < MAX_NUMS; c = c->next) {
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
static void ordinal(ctx *x, int num_id, int ilvl)
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

            format_num(&x->t, n->lv[l].fmt[0] ? n->lv[l].fmt : "decimal",
                       n->count[l] > 0 ? n->count[l] : n->lv[l].start);
            p++;
        } else {
            nb_buf_addc(&x->t, *p);
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

    x->styles = calloc(MAX_STYLES, sizeof(style));
    if (x->styles == NULL || root == NULL)
        return;
    for (c = root->children; c != NULL && x->n_styles < MAX_STYLES;
         c = c->next) {
        style *s = &x->styles[x->n_styles];

        if (!w(c, "style") || !wval(c, "styleId", s->id, sizeof(s->id)))
            continue;
        s->level = heading_level(c);
        x->n_styles++;
    }
}

static unsigned style_level(const ctx *x, const xmlNode *ppr)
{
    char id[64];
    size_t i;
    int ol = ival(child(ppr, "outlineLvl"), "val", -1);

    if (ol >= 0 && ol < 9)
        return (unsigned)ol + 1;
    if (!wval(child(ppr, "pStyle"), "val", id, sizeof(id)))
        return 0;
    for (i = 0; i < x->n_styles; i++)
        if (strcmp(x->styles[i].id, id) == 0)
            return x->styles[i].level;
    return 0;
}

/* ==== Paragraphs ==== */

static void block(ctx *x, const xmlNode *n, int depth);

/* The footnote with this id, as a paragraph of its own. */
static void footnote(ctx *x, int id)
{
    const xmlNode *root = x->notes ? xmlDocGetRootElement(x->notes) : NULL;
    const xmlNode *c;

    for (c = root != NULL ? root->children : NULL; c != NULL; c = c->next)
        if (w(c, "footnote") && ival(c, "id", -1) == id)
            block(x, c, 1);
}

typedef struct later {
    const xmlNode *boxes[16];
    int notes[16];
    size_t n_boxes;
    size_t n_notes;
} later;

/* The text of runs under n: w:t, tabs, breaks; not w:delText, w:instrText
 * or comments. Text boxes and footnotes wait in 'l'. */
static void runs(ctx *x, const xmlNode *n, later *l, int depth)
{
    const xmlNode *c;

    if (depth > 64)
        return;
    for (c = n->children; c != NULL; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (w(c, "t")) {
            xmlChar *s = xmlNodeGetContent(c);

            if (s != NULL)
                nb_buf_adds(&x->t, (const char *)s);
            xmlFree(s);
        } else if (w(c, "tab")) {
            nb_buf_addc(&x->t, ' ');
        } else if (w(c, "del") || w(c, "instrText") || w(c, "delText") ||
                   w(c, "pPr") || w(c, "rPr") ||
                   w(c, "commentReference")) {
            continue;
        } else if (w(c, "txbxContent")) {
            if (l->n_boxes < 16)
                l->boxes[l->n_boxes++] = c;
        } else if (w(c, "footnoteReference")) {
            if (l->n_notes < 16)
                l->notes[l->n_notes++] = ival(c, "id", -1);
        } else if (w(c, "fallback") || nb_xml_is(c, NULL, "Fallback")) {
            continue; /* mc:Fallback repeats the text box in VML */
        } else {
            runs(x, c, l, depth + 1);
        }
    }
}

/* Run properties that make a heading: bold, or a 黑体/楷体 face (GB/T
 * 9704's first and second levels). 'face' 1: 黑体 alone, 2: 楷体 alone. */
static bool strong(const xmlNode *rpr, unsigned face)
{
    static const char *const faces[] = {NULL, "黑体", "楷体"};
    const xmlNode *b = child(rpr, "b");
    char v[64];
    bool font = wval(child(rpr, "rFonts"), "eastAsia", v, sizeof(v));

    if (face > 0)
        return font && strstr(v, faces[face]) != NULL;
    if (font && (strstr(v, "黑体") != NULL || strstr(v, "楷体") != NULL))
        return true;
    return b != NULL && !(wval(b, "val", v, sizeof(v)) &&
                          (strcmp(v, "0") == 0 || strcmp(v, "false") == 0));
}

/* True when every run of n with text is strong (in 'face'), and one is. */
static bool all_strong(const xmlNode *n, unsigned face, int *seen, int depth)
{
    const xmlNode *c;

    if (depth > 64)
        return false;
    for (c = n->children; c != NULL; c = c->next) {
        if (c->type != XML_ELEMENT_NODE || w(c, "del") || w(c, "pPr"))
            continue;
        if (w(c, "r")) {
            if (child(c, "t") == NULL)
                continue;
            if (!strong(child(c, "rPr"), face))
                return false;
            (*seen)++;
        } else if (!all_strong(c, face, seen, depth + 1)) {
            return false;
        }
    }
    return true;
}

/* How the paragraph's runs set it: 1 all in 黑体, 2 all in 楷体, 3 all
 * bold otherwise, 0 not all strong. */
static unsigned strength(const xmlNode *p)
{
    unsigned face;

    for (face = 1; face <= 2; face++) {
        int seen = 0;

        if (all_strong(p, face, &seen, 0) && seen > 0)
            return face;
    }
    {
        int seen = 0;

        return all_strong(p, 0, &seen, 0) && seen > 0 ? 3 : 0;
    }
}

static void paragraph(ctx *x, const xmlNode *p, int depth)
{
    const xmlNode *ppr = child(p, "pPr");
    const xmlNode *numpr = child(ppr, "numPr");
    later l = {{NULL}, {0}, 0, 0};
    size_t i;

    x->line++;
    nb_buf_reset(&x->t);
    if (numpr != NULL)
        ordinal(x, ival(child(numpr, "numId"), "val", 0),
                ival(child(numpr, "ilvl"), "val", 0));
    runs(x, p, &l, 0);
    if (x->t.st != NB_OK)
        x->d->oom = true;
    else if (x->t.data != NULL) {
        unsigned face = strength(p);
        size_t n = x->d->n;

        nb_idoc_add(x->d, x->t.data, x->t.len, x->line, style_level(x, ppr),
                    face > 0);
        if (x->d->n > n)
            x->d->p[n].face = face < 3 ? face : 0;
    }
    for (i = 0; i < l.n_boxes; i++)
        block(x, l.boxes[i], depth + 1);
    for (i = 0; i < l.n_notes; i++)
        footnote(x, l.notes[i]);
}

/* The paragraphs of a body, a cell or a text box, in order. */
static void block(ctx *x, const xmlNode *n, int depth)
{
    const xmlNode *c;

    if (depth > 32)
        return;
    for (c = n->children; c != NULL && !x->d->oom; c = c->next) {
        if (w(c, "p"))
            paragraph(x, c, depth);
        else if (w(c, "tbl") || w(c, "tr") || w(c, "tc") || w(c, "sdt") ||
                 w(c, "sdtContent") || w(c, "ins") || w(c, "customXml"))
            block(x, c, depth + 1);
    }
}

/* ==== The package ==== */

static const nb_zip_entry *entry(const nb_zip_entry *v, size_t n,
                                 const char *name)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (strcmp(v[i].name, name) == 0)
            return &v[i];
    return NULL;
}

/* Parse a part (NULL when absent; a broken optional part is reported). */
static nb_status part(xmlDocPtr *out, const nb_zip_entry *e, ctx *x,
                      const nb_limits *lim, nb_diag_list *dl)
{
    *out = NULL;
    if (e == NULL)
        return NB_OK;
    return nb_xml_parse(out, (const char *)e->data, e->len, x->d->r->file,
                        e->name, NB_IMPORT_UNREADABLE, lim->xml_huge, lim, dl);
}

static nb_status read_parts(ctx *x, const nb_zip_entry *v, size_t n,
                            const nb_limits *lim, nb_diag_list *dl)
{
    xmlDocPtr body = NULL;
    xmlDocPtr numbering = NULL;
    xmlDocPtr styles = NULL;
    const xmlNode *b;
    nb_status st;

    st = part(&body, entry(v, n, "word/document.xml"), x, lim, dl);
    if (st == NB_OK && body == NULL) {
        nb_loc loc = {x->d->r->file, 0, 0, NULL};

        nb_diag_add(dl, NB_IMPORT_UNREADABLE, &loc, "%s",
                    _("the zip has no word/document.xml: not a Word "
                      "document"));
        return NB_ERR_FORMAT;
    }
    if (st == NB_OK)
        st = part(&numbering, entry(v, n, "word/numbering.xml"), x, lim, dl);
    if (st == NB_OK)
        st = part(&styles, entry(v, n, "word/styles.xml"), x, lim, dl);
    if (st == NB_OK)
        st = part(&x->notes, entry(v, n, "word/footnotes.xml"), x, lim, dl);
    if (st == NB_OK) {
        read_numbering(x, numbering ? xmlDocGetRootElement(numbering) : NULL);
        read_styles(x, styles ? xmlDocGetRootElement(styles) : NULL);
        b = child(xmlDocGetRootElement(body), "body");
        x->d->where = "word/document.xml";
        if (x->nums == NULL || x->styles == NULL)
            x->d->oom = true;
        else if (b != NULL)
            block(x, b, 0);
    }
    xmlFreeDoc(body);
    xmlFreeDoc(numbering);
    xmlFreeDoc(styles);
    xmlFreeDoc(x->notes);
    return st;
}

nb_status nb_import_docx(nb_idoc *d, const char *data, size_t len,
                         const nb_limits *lim, nb_diag_list *dl)
{
    nb_zip_entry *v = NULL;
    size_t n = 0;
    ctx x;
    nb_status st;

    memset(&x, 0, sizeof(x));
    x.d = d;
    st = nb_zip_read_all(&v, &n, data, len, d->r->file, lim, dl);
    if (st != NB_OK)
        return st;
    nb_buf_init(&x.t, lim->max_part_bytes);
    st = read_parts(&x, v, n, lim, dl);
    nb_buf_fini(&x.t);
    free(x.nums);
    free(x.styles);
    nb_zip_entries_free(v, n);
    if (st == NB_OK && d->oom)
        st = nb_diag_nomem(dl, d->r->file);
    return st;
}
