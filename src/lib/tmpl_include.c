/* tmpl_include.c: another document's body in place of an include tag.
 *
 * Stage "merge engine" of DESIGN.md's pipeline. A paragraph of the body
 * holding only {{> name}} (a path in the data) or {{> "annex.docx"}} (a
 * file beside the template) is replaced by the paragraphs and tables of
 * that .docx, as they are: they are not a template, so an included
 * document never includes another and no cycle can form. What the body
 * needs comes with it, renamed where the report already uses the name
 * (docs/templates.md, "Including another document"): the styles it uses
 * (with their basedOn, link and next chains), its lists (w:abstractNum
 * and w:num, new ids), its pictures (media parts, one per distinct
 * content) and external hyperlinks (new relationships), and new IDs for
 * drawings, bookmarks and w14:paraId. Its final w:sectPr, section breaks,
 * footnotes, endnotes, comments and objects nianbao cannot carry over
 * (charts, OLE objects) are left out, with a warning for what the reader
 * would miss. The included package goes through the template's zip and
 * XML limits, and all included packages together through
 * nb_limits.max_include_bytes.
 */
#include "data_path.h"
#include "docx_media.h"
#include "tmpl_include.h"
#include "xml_io.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/tree.h>


/* ==== Small maps of strings ==== */
void nb_incl_kvs_fini(kvs *m)
{
    size_t i;

    for (i = 0; i < m->n; i++) {
        free(m->k[i]);
        free(m->v[i]);
    }
    free(m->k);
    free(m->v);
    memset(m, 0, sizeof(*m));
}

/* The value of 'k', or NULL; *found says whether 'k' is there. */
const char *nb_incl_kvs_get(const kvs *m, const char *k, bool *found)
{
    size_t i;

    for (i = 0; i < m->n; i++)
        if (strcmp(m->k[i], k) == 0) {
            if (found != NULL)
                *found = true;
            return m->v[i];
        }
    if (found != NULL)
        *found = false;
    return NULL;
}

bool nb_incl_kvs_has(const kvs *m, const char *k)
{
    bool found;

    nb_incl_kvs_get(m, k, &found);
    return found;
}

/* Add k (v may be NULL); false on OOM. */
bool nb_incl_kvs_put(kvs *m, const char *k, const char *v)
{
    if (m->n == m->alloc) {
        size_t na = m->alloc == 0 ? 16 : m->alloc * 2;
        char **nk = realloc(m->k, na * sizeof(*nk));
        char **nv;

        if (nk == NULL)
            return false;
        m->k = nk;
        nv = realloc(m->v, na * sizeof(*nv));
        if (nv == NULL)
            return false;
        m->v = nv;
        m->alloc = na;
    }
    m->k[m->n] = strdup(k);
    m->v[m->n] = v != NULL ? strdup(v) : NULL;
    if (m->k[m->n] == NULL || (v != NULL && m->v[m->n] == NULL)) {
        free(m->k[m->n]);
        free(m->v[m->n]);
        return false;
    }
    m->n++;
    return true;
}

/* ==== What a render's includes add to the package ==== */

void nb_incl_free(nb_incl *in)
{
    size_t i;

    if (in == NULL)
        return;
    nb_incl_kvs_fini(&in->doc_ns);
    nb_incl_kvs_fini(&in->style_def);
    nb_incl_kvs_fini(&in->style_names);
    nb_incl_kvs_fini(&in->renamed);
    free(in->main_default);
    free(in->main_defaults);
    nb_incl_kvs_fini(&in->rel_ids);
    nb_buf_fini(&in->styles);
    nb_buf_fini(&in->abstracts);
    nb_buf_fini(&in->nums);
    nb_buf_fini(&in->rels);
    nb_buf_fini(&in->types);
    for (i = 0; i < in->n_media; i++) {
        free(in->media[i].name);
        free(in->media[i].data);
    }
    free(in->media);
    free(in);
}

/* ==== One include ==== */

static void report(one *o, nb_code code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* A finding about this include, at the tag (or the data's value that
 * named the file). */
static void report(one *o, nb_code code, const char *fmt, ...)
{
    va_list ap;

    nb_buf_reset(&o->msg);
    va_start(ap, fmt);
    nb_buf_vprintf(&o->msg, fmt, ap);
    va_end(ap);
    nb_diag_add(o->dl, code, &o->rq->at, _("%s: %s"), o->rq->place,
                o->msg.data != NULL ? o->msg.data : "");
}

static const nb_zip_entry *entry_named(const one *o, const char *name)
{
    size_t i;

    for (i = 0; i < o->n_e; i++)
        if (strcmp(o->e[i].name, name) == 0)
            return &o->e[i];
    return NULL;
}

const char *nb_incl_wval(const xmlNode *n, const char *name)
{
    const xmlAttr *a;

    for (a = n->properties; a != NULL; a = a->next)
        if (a->ns != NULL && strcmp((const char *)a->ns->href, W_NS) == 0 &&
            strcmp((const char *)a->name, name) == 0)
            return a->children != NULL ? (const char *)a->children->content
                                       : "";
    return NULL;
}

void nb_incl_set_attr(xmlAttr *a, const char *v)
{
    if (a != NULL)
        xmlSetNsProp(a->parent, a->ns, a->name, (const xmlChar *)v);
}

xmlAttr *nb_incl_wattr(xmlNode *n, const char *name)
{
    xmlAttr *a;

    for (a = n->properties; a != NULL; a = a->next)
        if (a->ns != NULL && strcmp((const char *)a->ns->href, W_NS) == 0 &&
            strcmp((const char *)a->name, name) == 0)
            return a;
    return NULL;
}

/* Serialise 'n' into 'b'. */
void nb_incl_dump(one *o, nb_buf *b, xmlDocPtr doc, xmlNode *n)
{
    xmlBufferPtr xb = xmlBufferCreate();

    if (xb == NULL || xmlNodeDump(xb, doc, n, 0, 0) < 0) {
        o->oom = true;
    } else {
        nb_buf_add(b, xmlBufferContent(xb), (size_t)xmlBufferLength(xb));
    }
    xmlBufferFree(xb);
}

/* Parse part 'name' of the included package; NULL when it has none (or,
 * with *bad, when it is not XML nianbao reads). */
static xmlDocPtr parse_part(one *o, const char *name, bool *bad)
{
    const nb_zip_entry *en = entry_named(o, name);
    const nb_limits *lim = &o->rs->t->limits;
    xmlDocPtr d = NULL;

    if (en == NULL)
        return NULL;
    if (nb_xml_parse(&d, (const char *)en->data, en->len, o->file, name,
                     NB_TMPL_PART_MALFORMED, lim->xml_huge, lim,
                     o->dl) != NB_OK) {
        *bad = true;
        return NULL;
    }
    return d;
}

/* ==== Finding and reading the file ==== */

/* Is the file at 'real' the one the render writes? */
static bool is_output(const nb_render_state *rs, const char *real)
{
    char *out = rs->output != NULL ? realpath(rs->output, NULL) : NULL;
    bool same = out != NULL && real != NULL && strcmp(out, real) == 0;

    free(out);
    return same;
}

/* The real path of 'path' from the folder 'base' (NULL if none). */
static char *real_of(const char *base, const char *path)
{
    char *joined = path[0] == '/' ? strdup(path) : nb_path_join(base, path);
    char *real = joined != NULL ? realpath(joined, NULL) : NULL;

    free(joined);
    return real;
}

/* Where the file may be: the data's folders for a path in the data
 * (rs->dirs, with every --allow-dir), else the folder of rq->from and
 * the allowed ones. */
static nb_dpath_err dirs_of(const one *o, nb_data_dirs *d, bool *own)
{
    const nb_data_dirs *data = o->rs->dirs;
    nb_dpath_err e;
    size_t i;

    *own = !(o->rq->in_data && data != NULL);
    if (!*own) {
        *d = *data;
        return NB_DPATH_OK;
    }
    e = nb_data_dirs_init(d, o->rq->from);
    for (i = 0; e == NB_DPATH_OK && data != NULL && i < data->n_allowed; i++)
        e = nb_data_dirs_allow(d, data->allowed[i]);
    return e;
}

/* Read the file, through data_path.c: only from the folder it is
 * relative to or one the user allowed, a regular file, bounded. */
static nb_status read_file(one *o, char **data, size_t *len)
{
    const nb_limits *lim = &o->rs->t->limits;
    nb_data_dirs d;
    nb_dpath_err e;
    int errnum = 0;
    bool own = false;
    char *real;

    e = dirs_of(o, &d, &own);
    if (e == NB_DPATH_OK) {
        real = real_of(d.base, o->rq->path);
        if (is_output(o->rs, real)) {
            free(real);
            if (own)
                nb_data_dirs_fini(&d);
            report(o, NB_INCLUDE_OUTPUT,
                   _("'%s' is the file this render writes"), o->file);
            return NB_ERR_FORMAT;
        }
        free(real);
        e = nb_data_path_read(&d, o->rq->path, lim->max_total_bytes,
                              (unsigned char **)data, len, &errnum);
    }
    if (own)
        nb_data_dirs_fini(&d);
    if (e == NB_DPATH_OK)
        return NB_OK;
    if (e == NB_DPATH_NOMEM)
        return NB_ERR_NOMEM;
    if (e == NB_DPATH_TOO_LARGE) {
        report(o, NB_INCLUDE_LIMIT, _("'%s' is larger than %zu bytes"),
               o->file, lim->max_total_bytes);
        return NB_ERR_LIMIT;
    }
    if (e == NB_DPATH_UNREADABLE)
        report(o, NB_INCLUDE_PATH, _("'%s' cannot be read: %s"), o->file,
               strerror(errnum));
    else
        report(o, NB_INCLUDE_PATH, "'%s' %s", o->file, nb_data_path_why(e));
    return NB_ERR_IO;
}

/* Read and unpack the package. */
static nb_status load_package(one *o)
{
    const nb_limits *lim = &o->rs->t->limits;
    char *data = NULL;
    size_t len = 0;
    size_t i;
    size_t total = 0;
    nb_status st = read_file(o, &data, &len);

    if (st != NB_OK)
        return st;
    if (len >= 4 && memcmp(data, "\xD0\xCF\x11\xE0", 4) == 0) {
        report(o, NB_INCLUDE_NOT_DOCX,
               _("'%s' is an encrypted Word document or an old .doc: save "
                 "it in Word or WPS as a .docx without a password"),
               o->file);
        free(data);
        return NB_ERR_FORMAT;
    }
    st = len >= 2 && memcmp(data, "PK", 2) == 0
             ? nb_zip_read_all(&o->e, &o->n_e, data, len, o->file, lim, o->dl)
             : NB_ERR_FORMAT;
    free(data);
    if (st == NB_ERR_NOMEM)
        return st;
    if (st != NB_OK) {
        report(o, NB_INCLUDE_NOT_DOCX,
               _("'%s' is not a Word document (.docx) nianbao can read"),
               o->file);
        return NB_ERR_FORMAT;
    }
    for (i = 0; i < o->n_e; i++)
        total += o->e[i].len;
    if (total > lim->max_include_bytes - o->in->spent ||
        o->in->spent > lim->max_include_bytes) {
        report(o, NB_INCLUDE_LIMIT,
               _("the included documents would be more than %zu bytes "
                 "unpacked, with '%s' (%zu bytes)"),
               lim->max_include_bytes, o->file, total);
        return NB_ERR_LIMIT;
    }
    o->in->spent += total;
    return NB_OK;
}

/* ==== Relationships: pictures and hyperlinks ==== */

static xmlNode *rel_of(one *o, const char *id)
{
    xmlNode *r;

    if (o->rels == NULL)
        return NULL;
    for (r = xmlDocGetRootElement(o->rels)->children; r != NULL; r = r->next)
        if (is_el(r, PR_NS, "Relationship") && nb_xml_attr(r, "Id") != NULL &&
            strcmp(nb_xml_attr(r, "Id"), id) == 0)
            return r;
    return NULL;
}

static bool is_external(const xmlNode *r)
{
    const char *m = nb_xml_attr(r, "TargetMode");

    return m != NULL && strcmp(m, "External") == 0;
}

/* The part a relationship of word/document.xml points to: "media/a.png"
 * is word/media/a.png, "/word/x" word/x; ".." steps up. Into 'out'; false
 * when it leaves the package. */
static bool target_part(const char *target, char *out, size_t size)
{
    char buf[1024];
    char *seg[64] = {NULL};
    size_t n = 0;
    size_t i;
    char *p;

    if (target[0] == '/')
        snprintf(buf, sizeof(buf), "%s", target + 1);
    else
        snprintf(buf, sizeof(buf), "word/%s", target);
    for (p = buf; *p != '\0';) {
        char *e = strchr(p, '/');

        if (e != NULL)
            *e = '\0';
        if (strcmp(p, "..") == 0) {
            if (n == 0)
                return false;
            n--;
        } else if (*p != '\0' && strcmp(p, ".") != 0) {
            if (n == 64)
                return false;
            seg[n++] = p;
        }
        if (e == NULL)
            break;
        p = e + 1;
    }
    out[0] = '\0';
    for (i = 0; i < n; i++) {
        size_t l = strlen(out);

        snprintf(out + l, size - l, "%s%s", i > 0 ? "/" : "", seg[i]);
    }
    return n > 0;
}

/* The extension of a part name, lower case, letters and digits only
 * (at most 8); "bin" when it has none such. */
static void extension_of(const char *name, char *out, size_t size)
{
    const char *dot = strrchr(name, '.');
    size_t i = 0;

    if (dot != NULL && strchr(dot, '/') == NULL)
        for (dot++; dot[i] != '\0' && i + 1 < size && i < 8; i++) {
            if (!isalnum((unsigned char)dot[i])) {
                i = 0;
                break;
            }
            out[i] = (char)tolower((unsigned char)dot[i]);
        }
    out[i] = '\0';
    if (i == 0)
        snprintf(out, size, "bin");
}

/* The content type of a picture by its extension (static). */
static const char *image_type(const char *ext)
{
    static const char *const types[][2] = {
        {"png", "image/png"},   {"jpeg", "image/jpeg"},
        {"jpg", "image/jpeg"},  {"jpe", "image/jpeg"},
        {"gif", "image/gif"},   {"bmp", "image/bmp"},
        {"tif", "image/tiff"},  {"tiff", "image/tiff"},
        {"emf", "image/x-emf"}, {"wmf", "image/x-wmf"},
        {"svg", "image/svg+xml"},
    };
    size_t i;

    for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
        if (strcmp(types[i][0], ext) == 0)
            return types[i][1];
    return "application/octet-stream";
}

static void add_rel(nb_incl *in, const char *id, const char *type,
                    const char *target, bool external)
{
    nb_buf_printf(&in->rels, "<Relationship xmlns=\"" PR_NS "\" Id=\"%s\" "
                             "Type=\"%s\" Target=\"",
                  id, type);
    nb_xml_escape(&in->rels, target, strlen(target), NB_ESC_ATTR);
    nb_buf_printf(&in->rels, "\"%s/>",
                  external ? " TargetMode=\"External\"" : "");
}

/* A new relationship id of word/document.xml. */
static bool new_rel_id(nb_incl *in, char *out, size_t size)
{
    do
        snprintf(out, size, "rIdNbInclude%u", ++in->next_rel);
    while (nb_incl_kvs_has(&in->rel_ids, out));
    return nb_incl_kvs_put(&in->rel_ids, out, NULL);
}

/* The relationship of the picture 'en' from word/document.xml, its part
 * added once for the same bytes (docx_media.c). Without a package (a
 * render to text) the picture is not written: its id stays. NULL on
 * OOM. */
static const char *add_media(one *o, const nb_zip_entry *en, const char *id)
{
    const char *rid = NULL;
    char ext[16];

    if (o->rs->pkg == NULL)
        return id;
    extension_of(en->name, ext, sizeof(ext));
    if (nb_pkg_add_media(o->rs->pkg, "word/document.xml", en->data, en->len,
                         ext, image_type(ext), NB_REL_IMAGE, &rid) != NB_OK)
        return NULL;
    return rid;
}

/* The report's relationship for the included one 'id': NULL when what it
 * points to is not brought over (*known false when nothing says yet). */
static const char *map_rel(one *o, const char *id)
{
    bool found;
    const char *to = nb_incl_kvs_get(&o->rel_map, id, &found);
    xmlNode *r;
    const char *type;
    const char *target;
    char part[1024];
    char rid[48];

    if (found)
        return to;
    r = rel_of(o, id);
    type = r != NULL ? nb_xml_attr(r, "Type") : NULL;
    target = r != NULL ? nb_xml_attr(r, "Target") : NULL;
    to = NULL;
    if (type == NULL || target == NULL) {
        to = NULL;
    } else if (strcmp(type, REL_IMAGE) == 0 && !is_external(r)) {
        const nb_zip_entry *en =
            target_part(target, part, sizeof(part)) ? entry_named(o, part)
                                                    : NULL;

        if (en != NULL && (to = add_media(o, en, id)) == NULL)
            o->oom = true;
    } else if (strcmp(type, REL_LINK) == 0 && is_external(r)) {
        if (!new_rel_id(o->in, rid, sizeof(rid))) {
            o->oom = true;
        } else {
            add_rel(o->in, rid, REL_LINK, target, true);
            to = rid;
        }
    }
    if (!nb_incl_kvs_put(&o->rel_map, id, to))
        o->oom = true;
    return nb_incl_kvs_get(&o->rel_map, id, NULL);
}

static bool is_r_attr(const xmlAttr *a)
{
    return a->ns != NULL && strcmp((const char *)a->ns->href, R_NS) == 0 &&
           a->children != NULL;
}

/* Does run 'n' (or what it holds) need what is not brought over: a
 * footnote, endnote or comment reference, a chart, an object? Counts
 * what it finds. */
static bool must_go(one *o, xmlNode *n)
{
    for (; n != NULL; n = n->next) {
        xmlAttr *a;

        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (is_el(n, W_NS, "footnoteReference") ||
            is_el(n, W_NS, "endnoteReference")) {
            o->dropped_notes++;
            return true;
        }
        if (is_el(n, W_NS, "commentReference")) {
            o->dropped_comments++;
            return true;
        }
        for (a = n->properties; a != NULL; a = a->next)
            if (is_r_attr(a) &&
                map_rel(o, (const char *)a->children->content) == NULL) {
                o->dropped_objects++;
                return true;
            }
        if (must_go(o, n->children))
            return true;
    }
    return false;
}

/* ==== Taking the body in ==== */

/* Find what goes: runs that need what is not brought over, comment
 * ranges, section breaks, altChunks and subdocuments. */
static void find_dropped(one *o, xmlNode *n, nb_node_list *gone)
{
    for (; n != NULL && !o->oom; n = n->next) {
        bool go = false;

        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (is_el(n, W_NS, "r")) {
            go = must_go(o, n->children);
        } else if (is_el(n, W_NS, "commentRangeStart") ||
                   is_el(n, W_NS, "commentRangeEnd")) {
            go = true;
        } else if (is_el(n, W_NS, "sectPr")) {
            go = true; /* a section break: the report's sections rule */
        } else if (is_el(n, W_NS, "altChunk") || is_el(n, W_NS, "subDoc")) {
            o->dropped_objects++;
            go = true;
        }
        if (go) {
            if (!nb_node_list_push(gone, n))
                o->oom = true;
            continue;
        }
        find_dropped(o, n->children, gone);
    }
}

/* Point the relationships of what stays at the report's. */
static void remap_rels(one *o, xmlNode *n)
{
    for (; n != NULL && !o->oom; n = n->next) {
        xmlAttr *a;

        if (n->type != XML_ELEMENT_NODE)
            continue;
        for (a = n->properties; a != NULL; a = a->next) {
            const char *to;

            if (!is_r_attr(a))
                continue;
            to = map_rel(o, (const char *)a->children->content);
            if (to != NULL)
                nb_incl_set_attr(a, to);
        }
        remap_rels(o, n->children);
    }
}

/* New IDs where the report must not have two alike: drawings, bookmarks
 * (ids and names) and w14:paraId. */
static void renumber(one *o, xmlNode *n)
{
    char v[32];

    for (; n != NULL && !o->oom; n = n->next) {
        xmlAttr *a;

        if (n->type != XML_ELEMENT_NODE)
            continue;
        if ((xmlStrEqual(n->name, (const xmlChar *)"docPr") ||
             xmlStrEqual(n->name, (const xmlChar *)"cNvPr")) &&
            (a = xmlHasProp(n, (const xmlChar *)"id")) != NULL) {
            snprintf(v, sizeof(v), "%u", (unsigned)o->rs->next_drawing++);
            nb_incl_set_attr(a, v);
        }
        if ((is_el(n, W_NS, "bookmarkStart") || is_el(n, W_NS, "bookmarkEnd")) &&
            (a = nb_incl_wattr(n, "id")) != NULL && a->children != NULL) {
            const char *old = (const char *)a->children->content;
            const char *to = nb_incl_kvs_get(&o->mark_map, old, NULL);

            if (to == NULL) {
                snprintf(v, sizeof(v), "%u",
                         (unsigned)o->rs->next_bookmark++);
                o->oom = !nb_incl_kvs_put(&o->mark_map, old, v);
                to = v;
            }
            nb_incl_set_attr(a, to);
        }
        if (is_el(n, W_NS, "bookmarkStart") && (a = nb_incl_wattr(n, "name")) != NULL &&
            a->children != NULL) {
            const char *old = (const char *)a->children->content;
            const char *to = nb_render_bookmark_name(o->rs, old);

            if (to == NULL || (strcmp(to, old) != 0 &&
                               !nb_incl_kvs_put(&o->name_map, old, to)))
                o->oom = true;
            else
                nb_incl_set_attr(a, to);
        }
        for (a = n->properties; a != NULL; a = a->next)
            if (a->ns != NULL &&
                strcmp((const char *)a->ns->href, W14_NS) == 0 &&
                strcmp((const char *)a->name, "paraId") == 0) {
                uint32_t id = o->rs->next_para <= PARA_ID_LIMIT
                                  ? o->rs->next_para++
                                  : 0;

                snprintf(v, sizeof(v), "%08X", (unsigned)id);
                if (id != 0)
                    nb_incl_set_attr(a, v);
            }
        renumber(o, n->children);
    }
}

/* Hyperlinks to a bookmark renamed (renumber) go to its new name. */
static void remap_anchors(one *o, xmlNode *n)
{
    for (; n != NULL; n = n->next) {
        xmlAttr *a;
        const char *to;

        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (is_el(n, W_NS, "hyperlink") &&
            (a = nb_incl_wattr(n, "anchor")) != NULL && a->children != NULL &&
            (to = nb_incl_kvs_get(&o->name_map,
                                  (const char *)a->children->content,
                                  NULL)) != NULL)
            nb_incl_set_attr(a, to);
        remap_anchors(o, n->children);
    }
}

/* Does the body show anything: text, a table, a picture? */
static bool has_content(const xmlNode *n)
{
    for (; n != NULL; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (is_el(n, W_NS, "tbl") || is_el(n, W_NS, "drawing") ||
            is_el(n, W_NS, "pict") || is_el(n, W_NS, "object"))
            return true;
        if (is_el(n, W_NS, "t") && n->children != NULL &&
            n->children->content != NULL && n->children->content[0] != '\0')
            return true;
        if (has_content(n->children))
            return true;
    }
    return false;
}

static xmlNode *body_of(one *o)
{
    xmlNode *root = o->doc != NULL ? xmlDocGetRootElement(o->doc) : NULL;
    xmlNode *b;

    if (root == NULL || !is_el(root, W_NS, "document"))
        return NULL;
    for (b = root->children; b != NULL; b = b->next)
        if (is_el(b, W_NS, "body"))
            return b;
    return NULL;
}

/* Write the body's paragraphs and tables, without its final w:sectPr. */
static void write_body(one *o, nb_buf *out, xmlNode *body)
{
    xmlNode *root = xmlDocGetRootElement(o->doc);
    xmlNode *n;

    for (n = body->children; n != NULL && !o->oom; n = n->next) {
        if (n->type != XML_ELEMENT_NODE || is_el(n, W_NS, "sectPr"))
            continue;
        nb_incl_localise_ns(o, n, root, &o->in->doc_ns);
        nb_incl_dump(o, out, o->doc, n);
    }
}

static void warn_dropped(one *o)
{
    if (o->dropped_notes > 0)
        report(o, NB_INCLUDE_DROPPED,
               _("'%s': %u footnote or endnote references left out, with "
                 "their notes"),
               o->file, o->dropped_notes);
    if (o->dropped_comments > 0)
        report(o, NB_INCLUDE_DROPPED, _("'%s': %u comments left out"),
               o->file, o->dropped_comments);
    if (o->dropped_objects > 0)
        report(o, NB_INCLUDE_DROPPED,
               _("'%s': %u objects left out (charts, embedded or linked "
                 "objects, pictures it does not hold, altChunks)"),
               o->file, o->dropped_objects);
}

/* Parse the parts of the package the body needs; false (reported) when
 * one is not XML nianbao reads, or it has no body. */
static bool parse_package(one *o, xmlNode **body)
{
    bool bad = false;

    o->doc = parse_part(o, "word/document.xml", &bad);
    if (!bad)
        o->styles = parse_part(o, "word/styles.xml", &bad);
    if (!bad)
        o->numbering = parse_part(o, "word/numbering.xml", &bad);
    if (!bad)
        o->rels = parse_part(o, "word/_rels/document.xml.rels", &bad);
    *body = body_of(o);
    if (bad || *body == NULL) {
        report(o, NB_INCLUDE_NOT_DOCX,
               _("'%s' is not a Word document (.docx) nianbao can read: "
                 "its word/document.xml is missing, broken or has no "
                 "body"),
               o->file);
        return false;
    }
    if (!has_content((*body)->children)) {
        report(o, NB_INCLUDE_EMPTY, _("'%s' has nothing in its body"),
               o->file);
        return false;
    }
    return true;
}

/* Everything the body takes, then the body itself into 'out'. */
static void take_body(one *o, nb_buf *out, xmlNode *body)
{
    nb_node_list gone = {NULL, 0, 0};
    size_t i;

    find_dropped(o, body->children, &gone);
    for (i = 0; i < gone.n; i++) {
        xmlUnlinkNode(gone.v[i]);
        xmlFreeNode(gone.v[i]);
    }
    free(gone.v);
    nb_incl_take_styles_and_lists(o, body);
    remap_rels(o, body->children);
    renumber(o, body->children);
    if (o->name_map.n > 0)
        remap_anchors(o, body->children);
    if (!o->oom)
        write_body(o, out, body);
    if (!o->oom)
        warn_dropped(o);
}

static nb_incl *incl_new(size_t max)
{
    nb_incl *in = calloc(1, sizeof(*in));

    if (in == NULL)
        return NULL;
    nb_buf_init(&in->styles, max);
    nb_buf_init(&in->abstracts, max);
    nb_buf_init(&in->nums, max);
    nb_buf_init(&in->rels, max);
    nb_buf_init(&in->types, max);
    return in;
}

static void one_fini(one *o)
{
    nb_zip_entries_free(o->e, o->n_e);
    xmlFreeDoc(o->doc);
    xmlFreeDoc(o->styles);
    xmlFreeDoc(o->numbering);
    xmlFreeDoc(o->rels);
    nb_incl_kvs_fini(&o->style_map);
    nb_incl_kvs_fini(&o->num_map);
    nb_incl_kvs_fini(&o->abs_map);
    nb_incl_kvs_fini(&o->rel_map);
    nb_incl_kvs_fini(&o->mark_map);
    nb_incl_kvs_fini(&o->name_map);
    nb_buf_fini(&o->msg);
    free(o->file);
}

void nb_incl_write(nb_render_state *rs, nb_buf *out, const nb_incl_req *rq,
                   nb_diag_list *dl)
{
    const nb_limits *lim = &rs->t->limits;
    xmlNode *body = NULL;
    nb_status st;
    one o;

    memset(&o, 0, sizeof(o));
    o.rs = rs;
    o.dl = dl;
    o.rq = rq;
    nb_buf_init(&o.msg, 4096);
    if (rs->incl == NULL && (rs->incl = incl_new(lim->max_output_bytes)) == NULL) {
        out->st = NB_ERR_NOMEM;
        goto done;
    }
    o.in = rs->incl;
    if (rq->path[0] == '\0') {
        report(&o, NB_INCLUDE_PATH, "%s",
               _("the path of the document to include is empty"));
        goto failed;
    }
    o.file = strdup(rq->path);
    st = o.file != NULL ? nb_incl_read_main(o.in, rs->t, dl) : NB_ERR_NOMEM;
    if (st == NB_OK)
        st = load_package(&o);
    if (st == NB_ERR_NOMEM) {
        out->st = NB_ERR_NOMEM;
        goto done;
    }
    if (st != NB_OK || !parse_package(&o, &body))
        goto failed;
    take_body(&o, out, body);
    if (o.oom)
        out->st = NB_ERR_NOMEM;
    goto done;
failed:
    rs->include_failed = true;
done:
    one_fini(&o);
}

/* ==== The package's parts, once the render has written them ==== */

/* s[0..len) with 'ins' put at 'at', into *po (malloc'd; the old freed). */
static bool splice(nb_part_out *po, const char *s, size_t len, size_t at,
                   const nb_buf *ins)
{
    size_t n = ins->len;
    char *r;

    if (n == 0)
        return true;
    r = malloc(len + n + 1);
    if (r == NULL)
        return false;
    memcpy(r, s, at);
    memcpy(r + at, ins->data, n);
    memcpy(r + at + n, s + at, len - at);
    r[len + n] = '\0';
    nb_free(po->bytes); /* NULL when 's' is the template's own */
    po->bytes = r;
    po->len = len + n;
    return true;
}

/* Where the root element of the part closes: before its last "</". */
static size_t root_end(const char *s, size_t len)
{
    size_t i = len;

    while (i >= 2) {
        i--;
        if (s[i - 1] == '<' && s[i] == '/')
            return i - 1;
    }
    return len;
}

/* The first w:'name' of numbering.xml ("<w:num " or "<w:num>"): the
 * abstract lists go before the first w:num, the lists before
 * w:numIdMacAtCleanup, which ends it; else its end. */
static size_t first_el(const nb_incl *in, const char *s, size_t len,
                       const char *name)
{
    char tag[80];
    size_t tl;
    const char *p = s;

    snprintf(tag, sizeof(tag), "<%s%s%s", in->num_prefix,
             in->num_prefix[0] != '\0' ? ":" : "", name);
    tl = strlen(tag);
    for (; (size_t)(p - s) + tl < len; p++) {
        char c = p[tl];

        if (memcmp(p, tag, tl) == 0 &&
            (c == ' ' || c == '>' || c == '/' || c == '\t' || c == '\n' ||
             c == '\r'))
            return (size_t)(p - s);
    }
    return root_end(s, len);
}

/* The bytes of part i as the render wrote it. */
static const char *part_bytes(const nb_template *t, nb_part_out *po, size_t i,
                              size_t *len)
{
    if (po[i].bytes != NULL) {
        *len = po[i].len;
        return po[i].bytes;
    }
    *len = t->parts[i].raw_len;
    return (const char *)t->parts[i].raw;
}

/* A part the report lacks: made new, with its relationship and type. */
static bool add_part(nb_incl *in, const char *name, const char *root,
                     const nb_buf *body, const nb_buf *body2,
                     const char *rel_type, const char *ct)
{
    media *m;
    nb_buf b;
    char rid[48];

    if (body->len + (body2 != NULL ? body2->len : 0) == 0)
        return true;
    if (in->n_media == in->alloc_media) {
        size_t na = in->alloc_media == 0 ? 8 : in->alloc_media * 2;
        media *nv = realloc(in->media, na * sizeof(*nv));

        if (nv == NULL)
            return false;
        in->media = nv;
        in->alloc_media = na;
    }
    nb_buf_init(&b, SIZE_MAX);
    nb_buf_printf(&b,
                  "<?xml version=\"1.0\" encoding=\"UTF-8\" "
                  "standalone=\"yes\"?>\n<w:%s xmlns:w=\"" W_NS "\">",
                  root);
    nb_buf_add(&b, body->data, body->len);
    if (body2 != NULL)
        nb_buf_add(&b, body2->data, body2->len);
    nb_buf_printf(&b, "</w:%s>", root);
    m = &in->media[in->n_media];
    memset(m, 0, sizeof(*m));
    m->name = strdup(name);
    m->data = (unsigned char *)nb_buf_steal(&b, &m->len);
    if (m->name == NULL || m->data == NULL || !new_rel_id(in, rid, sizeof(rid))) {
        free(m->name);
        nb_free(m->data);
        return false;
    }
    in->n_media++;
    add_rel(in, rid, rel_type, name + 5, false);
    nb_buf_printf(&in->types,
                  "<Override xmlns=\"" CT_NS "\" PartName=\"/%s\" "
                  "ContentType=\"%s\"/>",
                  name, ct);
    return true;
}

nb_status nb_incl_finish(nb_render_state *rs, nb_part_out *po)
{
    const nb_template *t = rs->t;
    nb_incl *in = rs->incl;
    bool ok = true;
    size_t i;

    if (in == NULL)
        return NB_OK;
    if (!in->has_styles)
        ok = add_part(in, "word/styles.xml", "styles", &in->styles, NULL,
                      REL_STYLES, CT_STYLES);
    if (ok && !in->has_numbering)
        ok = add_part(in, "word/numbering.xml", "numbering", &in->abstracts,
                      &in->nums, REL_NUMBERING, CT_NUMBERING);
    for (i = 0; i < t->n_parts && ok; i++) {
        const char *name = t->parts[i].name;
        size_t len;
        const char *s = part_bytes(t, po, i, &len);

        if (strcmp(name, "word/styles.xml") == 0)
            ok = splice(&po[i], s, len, root_end(s, len), &in->styles);
        else if (strcmp(name, "word/numbering.xml") == 0) {
            ok = splice(&po[i], s, len, first_el(in, s, len, "num"),
                        &in->abstracts);
            s = part_bytes(t, po, i, &len);
            ok = ok && splice(&po[i], s, len,
                              first_el(in, s, len, "numIdMacAtCleanup"),
                              &in->nums);
        } else if (strcmp(name, "word/_rels/document.xml.rels") == 0)
            ok = splice(&po[i], s, len, root_end(s, len), &in->rels);
        else if (strcmp(name, "[Content_Types].xml") == 0)
            ok = splice(&po[i], s, len, root_end(s, len), &in->types);
    }
    if (!ok || in->styles.st != NB_OK || in->abstracts.st != NB_OK ||
        in->nums.st != NB_OK || in->rels.st != NB_OK || in->types.st != NB_OK)
        return NB_ERR_NOMEM;
    return NB_OK;
}

size_t nb_incl_extra_count(const nb_incl *in)
{
    return in != NULL ? in->n_media : 0;
}

const char *nb_incl_extra_at(const nb_incl *in, size_t i, const void **data,
                             size_t *len)
{
    *data = in->media[i].data;
    *len = in->media[i].len;
    return in->media[i].name;
}
