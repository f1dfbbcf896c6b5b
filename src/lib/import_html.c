/* import_html.c: a 政府信息公开 article page saved from a browser.
 *
 * libxml2's HTML parser (no network, errors silenced: browsers' HTML is
 * rarely valid) builds the tree; the charset comes from the meta tag
 * (GB2312, GBK and GB18030 read as GB18030), else UTF-8 when the bytes are,
 * else GB18030. The article body is the element whose own paragraphs hold
 * the most text; scripts, styles and forms are never read. The metadata
 * table (索引号, 发布机构, 发文字号, 成文日期, 公开方式) fills meta.
 */
#include "form.h"
#include "import.h"
#include "xml_io.h"

#include <libxml/HTMLparser.h>
#include <string.h>
#include <strings.h>

/* ==== Charset ==== */

/* The charset a meta tag in the first 4 KiB declares, as iconv names it,
 * or NULL. */
static const char *declared(const char *s, size_t len)
{
    size_t n = len < 4096 ? len : 4096;
    size_t i;

    for (i = 0; i + 8 < n; i++) {
        if (strncasecmp(s + i, "charset=", 8) != 0)
            continue;
        i += 8;
        while (i < n && (s[i] == '"' || s[i] == '\'' || s[i] == ' '))
            i++;
        if (n - i >= 2 && strncasecmp(s + i, "gb", 2) == 0)
            return "GB18030";
        if (n - i >= 5 && strncasecmp(s + i, "utf-8", 5) == 0)
            return "UTF-8";
        if (n - i >= 4 && strncasecmp(s + i, "utf8", 4) == 0)
            return "UTF-8";
        return NULL;
    }
    return NULL;
}

/* ==== Text of elements ==== */

static bool is(const xmlNode *n, const char *name)
{
    return n->type == XML_ELEMENT_NODE &&
           strcasecmp((const char *)n->name, name) == 0;
}

static bool skipped(const xmlNode *n)
{
    static const char *const names[] = {"script", "style", "noscript",
                                        "select", "button", "iframe",
                                        "object", "template", "head",
                                        "textarea", NULL};
    const char *const *p;

    for (p = names; *p != NULL; p++)
        if (is(n, *p))
            return true;
    return false;
}

static bool block(const xmlNode *n)
{
    static const char *const names[] = {
        "p",  "div", "h1", "h2", "h3",    "h4",      "h5",  "h6",
        "li", "tr",  "td", "th", "table", "section", "ul",  "ol",
        "dl", "dd",  "dt", "article", "blockquote", "center", "form",
        "header", "footer", "nav", "pre", NULL};
    const char *const *p;

    if (n->type != XML_ELEMENT_NODE)
        return false;
    for (p = names; *p != NULL; p++)
        if (is(n, *p))
            return true;
    return false;
}

/* Append the inline text of n (not of its blocks) to t; depth-capped. */
static void inline_text(nb_buf *t, const xmlNode *n, int depth)
{
    const xmlNode *c;

    if (depth > 200)
        return;
    for (c = n->children; c != NULL; c = c->next) {
        if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE)
            nb_buf_adds(t, (const char *)c->content);
        else if (c->type == XML_ELEMENT_NODE && !skipped(c) && !block(c) &&
                 !is(c, "br"))
            inline_text(t, c, depth + 1);
    }
}

/* Text of n's own inline content, in bytes: how much article it holds. */
static size_t own_text(const xmlNode *n)
{
    nb_buf t;
    size_t len;

    nb_buf_init(&t, 1u << 20);
    inline_text(&t, n, 0);
    len = t.len;
    nb_buf_fini(&t);
    return len;
}

typedef struct best {
    const xmlNode *node;
    size_t score;
} best;

/* The element whose child paragraphs hold the most text. */
static void find_body(best *b, const xmlNode *n, int depth)
{
    const xmlNode *c;
    size_t score = 0;

    if (depth > 200 || skipped(n))
        return;
    for (c = n->children; c != NULL; c = c->next)
        if (is(c, "p") || (c->type == XML_TEXT_NODE))
            score += is(c, "p") ? own_text(c)
                                : (c->content ? strlen((char *)c->content)
                                              : 0);
        else if (is(c, "div") || is(c, "span") || is(c, "font"))
            score += own_text(c) / 2;
    if (score > b->score) {
        b->score = score;
        b->node = n;
    }
    for (c = n->children; c != NULL; c = c->next)
        if (c->type == XML_ELEMENT_NODE)
            find_body(b, c, depth + 1);
}

typedef struct walk {
    nb_idoc *d;
    nb_buf t;
    uint32_t line;
} walk;

static void flush(walk *w, const xmlNode *n)
{
    w->line = n != NULL && n->line > 0 ? (uint32_t)n->line : w->line;
    if (w->t.len > 0 && w->t.data != NULL)
        nb_idoc_add(w->d, w->t.data, w->t.len, w->line, 0, false);
    nb_buf_reset(&w->t);
}

/* Every paragraph of the body: a block or a <br> ends one. */
static void paragraphs(walk *w, const xmlNode *n, int depth)
{
    const xmlNode *c;

    if (depth > 200)
        return;
    for (c = n->children; c != NULL && !w->d->oom; c = c->next) {
        if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
            nb_buf_adds(&w->t, (const char *)c->content);
        } else if (c->type != XML_ELEMENT_NODE || skipped(c)) {
            continue;
        } else if (is(c, "br")) {
            flush(w, c);
        } else if (block(c)) {
            flush(w, c);
            paragraphs(w, c, depth + 1);
            flush(w, c);
        } else {
            paragraphs(w, c, depth + 1);
        }
    }
}

/* ==== Metadata ==== */

static const char *text_of(nb_idoc *d, const xmlNode *n)
{
    nb_buf t;
    const char *s;
    size_t len;

    nb_buf_init(&t, 4096);
    inline_text(&t, n, 0);
    s = t.data != NULL ? t.data : "";
    len = t.len;
    nb_idoc_trim(&s, &len); /* cells are padded with &nbsp; and U+3000 */
    s = len > 0 ? nb_arena_strndup(d->r->arena, s, len) : NULL;
    nb_buf_fini(&t);
    return s;
}

/* "索引号：xxx" in one cell, or "索引号：" then the value in the next. */
static void meta_cell(nb_idoc *d, const xmlNode *n)
{
    const char *s = text_of(d, n);
    size_t k = 0;
    const char **field;
    const char *v;
    const xmlNode *next;

    if (s == NULL ||
        (field = nb_import_meta_field(&d->r->meta, s, &k)) == NULL ||
        *field != NULL)
        return;
    v = s + k;
    if (strncmp(v, "：", 3) == 0)
        v += 3;
    else if (*v == ':')
        v++;
    while (*v == ' ')
        v++;
    for (next = n->next; *v == '\0' && next != NULL; next = next->next)
        if (next->type == XML_ELEMENT_NODE) {
            v = text_of(d, next);
            break;
        }
    if (v != NULL && *v != '\0' && strlen(v) < 200)
        *field = v;
}

static void find_meta(nb_idoc *d, const xmlNode *n, const xmlNode *body,
                      int depth)
{
    const xmlNode *c;

    if (depth > 200 || n == body)
        return;
    for (c = n->children; c != NULL; c = c->next) {
        if (c->type != XML_ELEMENT_NODE || skipped(c))
            continue;
        if (is(c, "td") || is(c, "th") || is(c, "li") || is(c, "span") ||
            is(c, "dt") || is(c, "dd") || is(c, "p") || is(c, "b") ||
            is(c, "strong") || is(c, "label"))
            meta_cell(d, c);
        find_meta(d, c, body, depth + 1);
    }
}

/* The date in meta, as YYYY-MM-DD when it is one. */
static void meta_date(nb_idoc *d)
{
    nb_meta *m = &d->r->meta;
    char iso[16];

    if (m->date != NULL && nb_date_norm(iso, sizeof(iso), m->date))
        m->date = nb_arena_strdup(d->r->arena, iso);
    else
        m->date = NULL;
    if (m->published != NULL && strlen(m->published) >= 10) {
        char day[11];

        memcpy(day, m->published, 10); /* "2024-03-28 09:18" */
        day[10] = '\0';
        m->published = nb_date_norm(iso, sizeof(iso), day)
                           ? nb_arena_strdup(d->r->arena, iso)
                           : NULL;
    } else {
        m->published = NULL;
    }
}

nb_status nb_import_html(nb_idoc *d, const char *data, size_t len,
                         const nb_limits *lim, nb_diag_list *dl)
{
    const char *enc = declared(data, len);
    size_t bad;
    htmlDocPtr doc;
    best b = {NULL, 0};
    nb_attr_scan scan;
    walk w;

    nb_attr_scan_init(&scan, lim, true);
    if (!nb_attr_scan_feed(&scan, data, len)) {
        /* libxml2's HTML parser checks attributes pairwise */
        nb_attr_scan_report(&scan, d->r->file, NULL, dl);
        return NB_ERR_LIMIT;
    }
    if (enc == NULL)
        enc = nb_utf8_valid(data, len, &bad) ? "UTF-8" : "GB18030";
    if (len > INT_MAX)
        return NB_ERR_LIMIT;
    doc = htmlReadMemory(data, (int)len, NULL, enc,
                         HTML_PARSE_NONET | HTML_PARSE_NOERROR |
                             HTML_PARSE_NOWARNING | HTML_PARSE_NOIMPLIED);
    if (doc == NULL || xmlDocGetRootElement(doc) == NULL) {
        nb_loc loc = {d->r->file, 0, 0, NULL};

        xmlFreeDoc(doc);
        nb_diag_add(dl, NB_IMPORT_UNREADABLE, &loc, "%s",
                    _("the page cannot be parsed as HTML"));
        return NB_ERR_FORMAT;
    }
    find_body(&b, xmlDocGetRootElement(doc), 0);
    find_meta(d, xmlDocGetRootElement(doc), b.node, 0);
    meta_date(d);
    w.d = d;
    w.line = 1;
    nb_buf_init(&w.t, 1u << 24);
    if (b.node != NULL)
        paragraphs(&w, b.node, 0);
    flush(&w, NULL);
    nb_buf_fini(&w.t);
    xmlFreeDoc(doc);
    return d->oom ? nb_diag_nomem(dl, d->r->file) : NB_OK;
}
