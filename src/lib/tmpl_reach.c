/* tmpl_reach.c: which parts of a template's package a reader's Word ever
 * shows, found by following the relationships.
 *
 * Stage "template parser", before the parts are compiled (docx_write.c's
 * load). From the package's own relationships (_rels/.rels) every
 * internal target is followed, and from each part reached its own
 * relationships part (dir/_rels/name.rels): word/document.xml, the
 * headers and footers its sections name, footnotes, the customXml data
 * stores, docProps. A part that no relationship reaches (a header left
 * behind when a section was deleted, or one added to the zip by hand) is
 * copied unchanged and never merged, so that its tags cost nothing and
 * reach nothing; when it holds tags, a warning says so.
 *
 * When a relationships part cannot be read (not well-formed, a DOCTYPE,
 * over a limit), the package's structure is unknown: every part is then
 * treated as referenced, as before this pass, and the part's own problem
 * is reported where the parts are compiled or scanned.
 */
#include "tmpl_compile.h"
#include "xml_io.h"

#include <stdlib.h>
#include <string.h>

#define REL_NS "http://schemas.openxmlformats.org/package/2006/relationships"
#define NAME_MAX_LEN 1024 /* a part name; longer targets are not followed */

typedef struct reach {
    nb_template *t;
    bool *seen;    /* per part: reached */
    size_t *queue; /* parts reached whose relationships are not read yet */
    size_t n_queue;
    bool unknown;  /* a relationships part could not be read */
} reach;

static size_t part_index(const nb_template *t, const char *name)
{
    size_t i;

    for (i = 0; i < t->n_parts; i++)
        if (strcmp(t->parts[i].name, name) == 0)
            return i;
    return (size_t)-1;
}

/* 'target' resolved against the folder 'dir' ("" for the package root,
 * else ending in '/') into 'out': "../x" climbs, "./" stays, a leading
 * '/' starts at the root. False when it climbs above the root or is too
 * long. */
static bool resolve(char *out, size_t size, const char *dir,
                    const char *target)
{
    size_t len = 0;
    const char *s;

    if (target[0] == '/')
        target++;
    else {
        len = strlen(dir);
        if (len >= size)
            return false;
        memcpy(out, dir, len);
    }
    for (s = target; *s != '\0';) {
        const char *end = strchr(s, '/');
        size_t seg = end != NULL ? (size_t)(end - s) : strlen(s);

        if (seg == 2 && s[0] == '.' && s[1] == '.') {
            if (len == 0)
                return false;
            len--; /* past the '/' that ends the folder */
            while (len > 0 && out[len - 1] != '/')
                len--;
        } else if (!(seg == 1 && s[0] == '.') && seg > 0) {
            if (len + seg + 1 >= size)
                return false;
            memcpy(out + len, s, seg);
            len += seg;
            if (end != NULL)
                out[len++] = '/';
        }
        s = end != NULL ? end + 1 : s + seg;
    }
    out[len] = '\0';
    return len > 0;
}

static void mark(reach *r, const char *name)
{
    size_t i = part_index(r->t, name);

    if (i == (size_t)-1 || r->seen[i])
        return;
    r->seen[i] = true;
    r->queue[r->n_queue++] = i;
}

static const char *attr(const xmlNode *n, const char *name)
{
    const xmlAttr *a;

    for (a = n->properties; a != NULL; a = a->next)
        if (a->ns == NULL && strcmp((const char *)a->name, name) == 0 &&
            a->children != NULL && a->children->type == XML_TEXT_NODE)
            return (const char *)a->children->content;
    return NULL;
}

/* Follow the relationships of the part named 'source' ("" for the
 * package): its .rels part, if there is one. */
static nb_status follow(reach *r, const char *source)
{
    char rels[NAME_MAX_LEN], dir[NAME_MAX_LEN], target[NAME_MAX_LEN];
    const char *base = strrchr(source, '/');
    size_t dlen = base != NULL ? (size_t)(base - source) + 1 : 0;
    nb_diag_list *quiet;
    xmlDocPtr doc = NULL;
    const xmlNode *n;
    size_t blen = strlen(source + dlen), i;
    nb_status st;

    if (dlen + blen + 12 >= sizeof(rels))
        return NB_OK; /* no part has so long a name */
    memcpy(dir, source, dlen);
    dir[dlen] = '\0';
    memcpy(rels, dir, dlen);
    memcpy(rels + dlen, "_rels/", 6);
    memcpy(rels + dlen + 6, source + dlen, blen);
    memcpy(rels + dlen + 6 + blen, ".rels", 6);
    i = part_index(r->t, rels);
    if (i == (size_t)-1)
        return NB_OK;
    r->seen[i] = true;
    if ((quiet = nb_diag_list_new()) == NULL)
        return NB_ERR_NOMEM;
    st = nb_xml_parse(&doc, (const char *)r->t->parts[i].raw,
                      r->t->parts[i].raw_len, r->t->file, rels,
                      NB_TMPL_PART_MALFORMED, r->t->limits.xml_huge,
                      &r->t->limits, quiet);
    nb_diag_list_free(quiet);
    if (st == NB_ERR_NOMEM)
        return st;
    if (doc == NULL) {
        r->unknown = true;
        return NB_OK;
    }
    for (n = xmlDocGetRootElement(doc)->children; n != NULL; n = n->next) {
        const char *t = attr(n, "Target"), *mode = attr(n, "TargetMode");

        if (n->type != XML_ELEMENT_NODE || n->ns == NULL ||
            strcmp((const char *)n->ns->href, REL_NS) != 0 || t == NULL ||
            (mode != NULL && strcmp(mode, "External") == 0))
            continue;
        if (resolve(target, sizeof(target), dir, t))
            mark(r, target);
    }
    xmlFreeDoc(doc);
    return NB_OK;
}

nb_status nb_tmpl_mark_unreferenced(nb_template *t)
{
    reach r = {t, NULL, NULL, 0, false};
    nb_status st = NB_OK;
    size_t i, doc;

    if (t->n_parts == 0)
        return NB_OK;
    r.seen = calloc(t->n_parts, sizeof(*r.seen));
    r.queue = calloc(t->n_parts, sizeof(*r.queue));
    if (r.seen == NULL || r.queue == NULL) {
        st = NB_ERR_NOMEM;
        goto done;
    }
    st = follow(&r, "");
    while (st == NB_OK && r.n_queue > 0 && !r.unknown)
        st = follow(&r, t->parts[r.queue[--r.n_queue]].name);
    doc = part_index(t, "word/document.xml");
    if (st != NB_OK || r.unknown || doc == (size_t)-1 || !r.seen[doc])
        goto done; /* structure unknown: every part counts as referenced */
    for (i = 0; i < t->n_parts; i++)
        t->parts[i].unreferenced = !r.seen[i] &&
                                   strcmp(t->parts[i].name,
                                          "[Content_Types].xml") != 0;
done:
    free(r.seen);
    free(r.queue);
    return st;
}
