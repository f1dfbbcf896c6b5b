/* tmpl_picture.c: pictures from data, `{{logo | picture:60mm,40mm}}`
 * (docs/templates.md, "Pictures from data").
 *
 * Part of the merge engine: tmpl_eval.c hands over a field whose last
 * filter is picture. Its value is a path (read through data_path.c, only
 * from the data file's folder or a folder the user allowed), a data URI,
 * or an object {"src", "alt", "width", "height"}. The picture's size
 * comes from its own header (picture.c); it is stored once per content
 * as a part of the package (docx_media.c) and written as an inline
 * w:drawing in the field's run, or as an <img> with a data URI in an
 * HTML template. Anything wrong with it is an error located by the
 * value's JSON pointer and the tag's place, and nothing is written.
 */
#include "data_path.h"
#include "docx_media.h"
#include "picture.h"
#include "tmpl.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NS_WP                                                                  \
    "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
#define NS_A "http://schemas.openxmlformats.org/drawingml/2006/main"
#define NS_PIC "http://schemas.openxmlformats.org/drawingml/2006/picture"
#define NS_R                                                                   \
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

#define DEFAULT_TEXT_WIDTH (156 * (int64_t)NB_EMU_PER_MM) /* GB/T 9704 */
#define MAX_POINTER_DEPTH 256

int nb_tmpl_picture_filter(const nb_tnode *node)
{
    size_t i;

    for (i = 0; i < node->n_filters; i++)
        if (node->filters[i].f == NB_FILTER_PICTURE)
            return (int)i;
    return -1;
}

/* What a picture field asks for. */
typedef struct pic_spec {
    const char *src; /* path or data URI */
    size_t src_len;
    const nb_value *at; /* the value that gave it (NULL: the field's) */
    const char *alt;    /* NULL: none */
    size_t alt_len;
    int64_t box_w;
    int64_t box_h;
} pic_spec;

/* ==== Where a value is ==== */

/* Append to 'b' the JSON pointer of 'target' under 'v' ("/people/1/photo");
 * false when it is not there. */
static bool pointer_to(nb_buf *b, const nb_value *v, const nb_value *target,
                       unsigned depth)
{
    size_t mark = b->len;
    size_t i;

    if (v == target)
        return true;
    if (v == NULL || depth > MAX_POINTER_DEPTH)
        return false;
    for (i = 0; i < v->n; i++) {
        const nb_value *c = v->type == NB_V_LIST  ? v->items[i]
                            : v->type == NB_V_MAP ? v->kv[i].val
                                                  : NULL;
        const char *k;

        if (c == NULL)
            continue;
        if (v->type == NB_V_LIST) {
            nb_buf_printf(b, "/%zu", i);
        } else {
            nb_buf_addc(b, '/');
            for (k = v->kv[i].key; *k != '\0'; k++) {
                if (*k == '~' || *k == '/')
                    nb_buf_adds(b, *k == '~' ? "~0" : "~1");
                else
                    nb_buf_addc(b, *k);
            }
        }
        if (pointer_to(b, c, target, depth + 1))
            return true;
        b->len = mark;
        if (b->data != NULL)
            b->data[mark] = '\0';
    }
    return false;
}

/* Report a problem with the picture of 'pf': located at the value (its
 * place in a report, or its JSON pointer in the data), naming the tag
 * and its place in the template. */
static void pic_error(const nb_pic_field *pf, const nb_value *at, nb_code code,
                      const char *src, size_t src_len, const char *why)
{
    const nb_template *t = pf->rs->t;
    nb_loc loc = {pf->rs->data != NULL ? pf->rs->data : "-", 0, 0, NULL};
    nb_buf ptr;
    nb_buf what;

    nb_buf_init(&ptr, 4096);
    nb_buf_init(&what, 1024);
    if (at == NULL)
        at = pf->value;
    if (at != NULL && at->loc != NULL && at->loc->file != NULL)
        loc = *at->loc;
    else if (at != NULL && pointer_to(&ptr, pf->root, at, 0) && ptr.st == NB_OK)
        loc.where = ptr.data != NULL ? ptr.data : "";
    if (src != NULL && src_len > 0)
        nb_tmpl_excerpt(&what, src, src_len);
    if (what.len > 0 && what.data != NULL)
        nb_diag_add(pf->dl, code, &loc, _("%s in %s(%s):%u: picture '%s': %s"),
                    pf->node->tag, t->file,
                    pf->part != NULL ? pf->part->name : "html", pf->node->line,
                    what.data, why);
    else
        nb_diag_add(pf->dl, code, &loc, _("%s in %s(%s):%u: picture: %s"),
                    pf->node->tag, t->file,
                    pf->part != NULL ? pf->part->name : "html", pf->node->line,
                    why);
    pf->rs->picture_errors++;
    nb_buf_fini(&ptr);
    nb_buf_fini(&what);
}

/* pic_error with the reason as a format. */
static void pic_errorf(const nb_pic_field *pf, const nb_value *at, nb_code code,
                       const char *src, size_t src_len, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

static void pic_errorf(const nb_pic_field *pf, const nb_value *at, nb_code code,
                       const char *src, size_t src_len, const char *fmt, ...)
{
    char why[512];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(why, sizeof(why), fmt, ap);
    va_end(ap);
    pic_error(pf, at, code, src, src_len, why);
}

/* ==== What the value asks for ==== */

static bool is_key(const char *k, const char *name)
{
    return strcmp(k, name) == 0;
}

/* An object {"src", "alt", "width", "height"}: its strings into 's'. */
static bool spec_of_map(const nb_pic_field *pf, const nb_value *v, pic_spec *s)
{
    size_t i;

    for (i = 0; i < v->n; i++) {
        const char *k = v->kv[i].key;
        const nb_value *e = v->kv[i].val;
        int64_t *box = is_key(k, "width")    ? &s->box_w
                       : is_key(k, "height") ? &s->box_h
                                             : NULL;

        if (!is_key(k, "src") && !is_key(k, "alt") && box == NULL) {
            pic_errorf(pf, e, NB_DATA_PICTURE_VALUE, NULL, 0,
                       _("the object has '%s', which is none of src, alt, "
                         "width and height"),
                       k);
            return false;
        }
        if (e == NULL || e->type == NB_V_NULL)
            continue;
        if (e->type != NB_V_STR) {
            pic_errorf(pf, e, NB_DATA_PICTURE_VALUE, NULL, 0,
                       _("'%s' of the object is not text"), k);
            return false;
        }
        if (is_key(k, "src")) {
            s->src = e->s;
            s->src_len = e->len;
            s->at = e;
        } else if (is_key(k, "alt")) {
            s->alt = e->s;
            s->alt_len = e->len;
        } else if (!nb_pic_length(e->s, e->len, box)) {
            pic_errorf(pf, e, NB_DATA_PICTURE_VALUE, e->s, e->len,
                       _("'%s' of the object is not a length such as 60mm, "
                         "5cm, 120pt or 300px"),
                       k);
            return false;
        }
    }
    return true;
}

/* The field's picture: its source, alternative text and box, the data's
 * over the template's. False when the value is refused (reported) or
 * empty. */
static bool spec_of(const nb_pic_field *pf, pic_spec *s)
{
    const nb_value *v = pf->value;
    int pic = nb_tmpl_picture_filter(pf->node);
    const nb_fcall *fc = &pf->node->filters[pic];
    pic_spec d;

    memset(s, 0, sizeof(*s));
    memset(&d, 0, sizeof(d));
    s->box_w = fc->box_w;
    s->box_h = fc->box_h;
    if ((size_t)pic + 1 < pf->node->n_filters) {
        s->alt = pf->node->filters[pic + 1].text;
        s->alt_len = pf->node->filters[pic + 1].text_len;
    }
    if (v != NULL && v->type == NB_V_MAP) {
        if (!spec_of_map(pf, v, &d))
            return false;
        if (d.alt != NULL) {
            s->alt = d.alt;
            s->alt_len = d.alt_len;
        }
        if (d.box_w > 0 || d.box_h > 0) {
            s->box_w = d.box_w;
            s->box_h = d.box_h;
        }
        s->src = d.src;
        s->src_len = d.src_len;
        s->at = d.at;
    } else if (v != NULL && (v->type == NB_V_LIST || v->type == NB_V_BOOL)) {
        pic_error(pf, NULL, NB_DATA_PICTURE_VALUE, NULL, 0,
                  v->type == NB_V_LIST
                      ? _("the value is a list, not a path or a data URI")
                      : _("the value is true or false, not a path or a "
                          "data URI"));
        return false;
    } else {
        s->src = pf->text;
        s->src_len = pf->text_len;
    }
    return s->src != NULL && s->src_len > 0;
}

/* ==== Reading it ==== */

static const char *path_why(nb_dpath_err e, int errnum, char *buf, size_t size)
{
    if (e == NB_DPATH_UNREADABLE && errnum != 0) {
        snprintf(buf, size, "%s: %s", nb_data_path_why(e), strerror(errnum));
        return buf;
    }
    return nb_data_path_why(e);
}

/* The file a path names, within the limits. */
static bool read_path(const nb_pic_field *pf, const pic_spec *s,
                      unsigned char **data, size_t *len)
{
    const nb_limits *lim = &pf->rs->t->limits;
    nb_data_dirs own;
    const nb_data_dirs *dirs = pf->rs->dirs;
    nb_dpath_err e = NB_DPATH_OK;
    char *path;
    char buf[512];
    int errnum = 0;

    path = memchr(s->src, '\0', s->src_len) != NULL
               ? NULL
               : strndup(s->src, s->src_len);
    memset(&own, 0, sizeof(own));
    if (dirs == NULL) {
        e = nb_data_dirs_init(&own, pf->rs->data);
        dirs = &own;
    }
    if (path == NULL)
        e = memchr(s->src, '\0', s->src_len) != NULL ? NB_DPATH_EMPTY
                                                     : NB_DPATH_NOMEM;
    if (e == NB_DPATH_OK)
        e = nb_data_path_read(dirs, path, lim->max_picture_bytes, data, len,
                              &errnum);
    free(path);
    nb_data_dirs_fini(&own);
    if (e == NB_DPATH_OK)
        return true;
    if (e == NB_DPATH_TOO_LARGE) {
        pic_errorf(pf, s->at, NB_DATA_PICTURE_LIMIT, s->src, s->src_len,
                   _("the file is larger than the limit of %zu bytes for a "
                     "picture (--limit picture=N)"),
                   lim->max_picture_bytes);
    } else {
        pic_error(pf, s->at, NB_DATA_PICTURE_PATH, s->src, s->src_len,
                  path_why(e, errnum, buf, sizeof(buf)));
    }
    return false;
}

/* The picture's bytes and what its header says; false when refused
 * (reported). */
static bool load(const nb_pic_field *pf, const pic_spec *s,
                 unsigned char **data, size_t *len, nb_pic_info *info)
{
    const nb_limits *lim = &pf->rs->t->limits;
    const char *why;
    bool limit = false;

    if (nb_pic_is_data_uri(s->src, s->src_len)) {
        why = nb_pic_data_uri(s->src, s->src_len, lim->max_picture_bytes, data,
                              len, &limit);
        if (why != NULL) {
            pic_error(pf, s->at,
                      limit ? NB_DATA_PICTURE_LIMIT : NB_DATA_PICTURE_URI,
                      s->src, s->src_len, why);
            return false;
        }
    } else if (!read_path(pf, s, data, len)) {
        return false;
    }
    why = nb_pic_probe(*data, *len, lim->max_picture_side, info, &limit);
    if (why != NULL) {
        if (limit)
            pic_errorf(pf, s->at, NB_DATA_PICTURE_LIMIT, s->src, s->src_len,
                       _("%s (%u × %u; --limit picture-side=N)"), why,
                       (unsigned)info->width, (unsigned)info->height);
        else
            pic_error(pf, s->at, NB_DATA_PICTURE_FORMAT, s->src, s->src_len,
                      why);
        free(*data);
        *data = NULL;
        return false;
    }
    return true;
}

/* ==== Writing it ==== */

/* s[0..len) escaped for an attribute value in quotes: markup, quotes and
 * newlines as references, characters XML cannot carry left out. */
static void put_attr(nb_buf *b, const char *s, size_t len)
{
    size_t i = 0;

    while (i < len) {
        unsigned char c = (unsigned char)s[i];
        uint32_t cp;
        size_t n;

        if (c < 0x80) {
            if (c == '&' || c == '<' || c == '>' || c == '"' || c == '\'')
                nb_buf_adds(b, c == '&'   ? "&amp;"
                               : c == '<' ? "&lt;"
                               : c == '>' ? "&gt;"
                               : c == '"' ? "&quot;"
                                          : "&#39;");
            else if (c == '\n' || c == '\r' || c == '\t')
                nb_buf_printf(b, "&#%u;", c);
            else if (c >= 0x20)
                nb_buf_addc(b, (char)c);
            i++;
            continue;
        }
        n = nb_utf8_decode(s + i, len - i, &cp);
        if (n == 0) {
            i++;
            continue;
        }
        if (!((cp >= 0xD800 && cp <= 0xDFFF) || cp == 0xFFFE || cp == 0xFFFF))
            nb_buf_add(b, s + i, n);
        i += n;
    }
}

/* The value of attribute 'name' in the last element 'elem' of xml[0..len),
 * in twentieths of a point; -1 if none. */
static long last_attr(const char *xml, size_t len, const char *elem,
                      const char *name)
{
    const char *found = NULL;
    const char *p = xml;
    const char *end;
    const char *a;
    size_t el = strlen(elem);

    while ((p = strstr(p, elem)) != NULL && (size_t)(p - xml) < len) {
        found = p;
        p += el;
    }
    if (found == NULL)
        return -1;
    end = strchr(found, '>');
    a = strstr(found, name);
    if (end == NULL || a == NULL || a > end)
        return -1;
    return strtol(a + strlen(name), NULL, 10);
}

/* The width of the body's text, from its last section's page size and
 * margins. */
static int64_t text_width(const nb_template *t)
{
    size_t i;

    for (i = 0; i < t->n_parts; i++) {
        const nb_tpart *p = &t->parts[i];
        long w;
        long l;
        long r;

        if (strcmp(p->name, "word/document.xml") != 0)
            continue;
        w = last_attr((const char *)p->raw, p->raw_len, "<w:pgSz ", "w:w=\"");
        l = last_attr((const char *)p->raw, p->raw_len, "<w:pgMar ",
                      "w:left=\"");
        r = last_attr((const char *)p->raw, p->raw_len, "<w:pgMar ",
                      "w:right=\"");
        if (w > 0 && l >= 0 && r >= 0 && w - l - r > 567)
            return (int64_t)(w - l - r) * 635; /* twips to EMU */
    }
    return DEFAULT_TEXT_WIDTH;
}

/* The largest drawing id ("docPr id" or "cNvPr id") in the parts that
 * are copied unchanged: tmpl_ids.c counts those of the merged ones. */
static uint32_t copied_max_drawing_id(const nb_template *t)
{
    static const char *const pats[] = {"docPr id=\"", "cNvPr id=\""};
    uint32_t max = 0;
    size_t i;
    size_t k;

    for (i = 0; i < t->n_parts; i++) {
        const nb_tpart *p = &t->parts[i];
        const char *s = (const char *)p->raw;
        const char *end = s + p->raw_len;

        if (p->merged || !nb_has_suffix(p->name, ".xml"))
            continue;
        for (k = 0; k < 2; k++) {
            size_t pl = strlen(pats[k]);
            const char *q;

            for (q = s; q + pl < end; q++) {
                unsigned long v = 0;

                if (memcmp(q, pats[k], pl) != 0)
                    continue;
                for (q += pl; q < end && *q >= '0' && *q <= '9'; q++)
                    v = v < UINT32_MAX / 10 ? v * 10 + (unsigned)(*q - '0')
                                            : UINT32_MAX;
                if (v > max && v < UINT32_MAX - 1000000)
                    max = (uint32_t)v;
            }
        }
    }
    return max;
}

static void write_drawing(nb_buf *out, const pic_spec *s, const char *rid,
                          uint32_t id, int64_t cx, int64_t cy)
{
    nb_buf_printf(out,
                  "</w:t><w:drawing><wp:inline distT=\"0\" distB=\"0\" "
                  "distL=\"0\" distR=\"0\" xmlns:wp=\"" NS_WP "\">"
                  "<wp:extent cx=\"%lld\" cy=\"%lld\"/>"
                  "<wp:effectExtent l=\"0\" t=\"0\" r=\"0\" b=\"0\"/>"
                  "<wp:docPr id=\"%u\" name=\"Picture %u\"",
                  (long long)cx, (long long)cy, (unsigned)id, (unsigned)id);
    if (s->alt != NULL && s->alt_len > 0) {
        nb_buf_adds(out, " descr=\"");
        put_attr(out, s->alt, s->alt_len);
        nb_buf_adds(out, "\"");
    }
    nb_buf_printf(out,
                  "/><wp:cNvGraphicFramePr><a:graphicFrameLocks "
                  "xmlns:a=\"" NS_A "\" noChangeAspect=\"1\"/>"
                  "</wp:cNvGraphicFramePr><a:graphic xmlns:a=\"" NS_A "\">"
                  "<a:graphicData uri=\"" NS_PIC
                  "\"><pic:pic xmlns:pic=\"" NS_PIC
                  "\"><pic:nvPicPr><pic:cNvPr id=\"0\" "
                  "name=\"Picture %u\"/><pic:cNvPicPr/></pic:nvPicPr>"
                  "<pic:blipFill><a:blip xmlns:r=\"" NS_R "\" r:embed=\"%s\"/>"
                  "<a:stretch><a:fillRect/></a:stretch></pic:blipFill>"
                  "<pic:spPr><a:xfrm><a:off x=\"0\" y=\"0\"/>"
                  "<a:ext cx=\"%lld\" cy=\"%lld\"/></a:xfrm>"
                  "<a:prstGeom prst=\"rect\"><a:avLst/></a:prstGeom>"
                  "</pic:spPr></pic:pic></a:graphicData></a:graphic>"
                  "</wp:inline></w:drawing><w:t xml:space=\"preserve\">",
                  (unsigned)id, rid, (long long)cx, (long long)cy);
}

static void write_img(nb_buf *out, const pic_spec *s, const nb_pic_info *info,
                      const unsigned char *data, size_t len, int64_t cx,
                      int64_t cy)
{
    nb_buf_printf(out, "<img src=\"data:%s;base64,", nb_pic_mime(info->format));
    nb_pic_base64(out, data, len);
    nb_buf_adds(out, "\" alt=\"");
    if (s->alt != NULL)
        put_attr(out, s->alt, s->alt_len);
    nb_buf_printf(out, "\" width=\"%lld\" height=\"%lld\">",
                  (long long)((cx + NB_EMU_PER_PX / 2) / NB_EMU_PER_PX),
                  (long long)((cy + NB_EMU_PER_PX / 2) / NB_EMU_PER_PX));
}

/* The picture into the package: false when the pictures together would
 * pass their limit (reported) or memory ran out (out->st). */
static bool store(nb_buf *out, const nb_pic_field *pf, const pic_spec *s,
                  const nb_pic_info *info, const unsigned char *data,
                  size_t len, const char **rid)
{
    nb_render_state *rs = pf->rs;
    size_t max = rs->t->limits.max_pictures_bytes;
    nb_status st;

    if (!nb_pkg_has_media(rs->pkg, data, len) &&
        (len > max || rs->pkg->bytes > max - len)) {
        pic_errorf(pf, s->at, NB_DATA_PICTURE_LIMIT, s->src, s->src_len,
                   _("the pictures of the document together are larger "
                     "than the limit of %zu bytes (--limit pictures=N)"),
                   max);
        return false;
    }
    st = nb_pkg_add_media(rs->pkg, pf->part->name, data, len,
                          nb_pic_ext(info->format), nb_pic_mime(info->format),
                          NB_REL_IMAGE, rid);
    if (st != NB_OK) {
        out->st = st;
        return false;
    }
    return true;
}

void nb_tmpl_picture(nb_buf *out, const nb_pic_field *pf)
{
    nb_render_state *rs = pf->rs;
    unsigned char *data = NULL;
    size_t len = 0;
    const char *rid = NULL;
    nb_pic_info info;
    pic_spec s;
    int64_t cx;
    int64_t cy;

    if (!rs->t->html && rs->pkg == NULL)
        return; /* a render without a package (text): no picture */
    if (!spec_of(pf, &s) || !load(pf, &s, &data, &len, &info))
        return;
    if (rs->text_width == 0) { /* the first picture of the render */
        uint32_t max = copied_max_drawing_id(rs->t);

        rs->text_width = text_width(rs->t);
        if (rs->next_drawing <= max)
            rs->next_drawing = max + 1;
    }
    nb_pic_fit(&info, s.box_w, s.box_h, rs->text_width, &cx, &cy);
    if (rs->t->html)
        write_img(out, &s, &info, data, len, cx, cy);
    else if (store(out, pf, &s, &info, data, len, &rid))
        write_drawing(out, &s, rid, rs->next_drawing++, cx, cy);
    free(data);
}
