/* docx_media.c: parts a render adds to a .docx package, with their
 * relationships and content types (docx_media.h).
 */
#include "docx_media.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* memmem without _GNU_SOURCE */
static const void *find_bytes(const void *h, size_t hl, const void *n,
                              size_t nl)
{
    const unsigned char *s = h;
    size_t i;

    if (nl == 0)
        return h;
    for (i = 0; i + nl <= hl; i++)
        if (s[i] == *(const unsigned char *)n && memcmp(s + i, n, nl) == 0)
            return s + i;
    return NULL;
}

void nb_pkg_adds_init(nb_pkg_adds *p, const nb_zip_entry *parts, size_t n)
{
    memset(p, 0, sizeof(*p));
    p->existing = parts;
    p->n_existing = n;
}

void nb_pkg_adds_fini(nb_pkg_adds *p)
{
    size_t i;

    if (p == NULL)
        return;
    for (i = 0; i < p->n_parts; i++) {
        free(p->parts[i].name);
        free(p->parts[i].data);
    }
    free(p->parts);
    free(p->rels);
    memset(p, 0, sizeof(*p));
}

bool nb_pkg_adds_any(const nb_pkg_adds *p)
{
    return p != NULL && p->n_parts > 0;
}

/* FNV-1a, 64 bits: names parts by their content. */
static uint64_t hash_of(const unsigned char *d, size_t len)
{
    uint64_t h = 0xcbf29ce484222325ull;
    size_t i;

    for (i = 0; i < len; i++) {
        h ^= d[i];
        h *= 0x100000001b3ull;
    }
    return h;
}

static bool name_taken(const nb_pkg_adds *p, const char *name)
{
    size_t i;

    for (i = 0; i < p->n_existing; i++)
        if (strcasecmp(p->existing[i].name, name) == 0)
            return true;
    for (i = 0; i < p->n_parts; i++)
        if (strcasecmp(p->parts[i].name, name) == 0)
            return true;
    return false;
}

/* The index of the part holding data[0..len) (its hash 'h'), or
 * (size_t)-1. */
static size_t find_part(const nb_pkg_adds *p, const unsigned char *data,
                        size_t len, uint64_t h)
{
    size_t i;

    for (i = 0; i < p->n_parts; i++)
        if (p->parts[i].hash == h && p->parts[i].len == len &&
            memcmp(p->parts[i].data, data, len) == 0)
            return i;
    return (size_t)-1;
}

bool nb_pkg_has_media(const nb_pkg_adds *p, const void *data, size_t len)
{
    return find_part(p, data, len, hash_of(data, len)) != (size_t)-1;
}

/* The index of the part holding data[0..len), added if new; (size_t)-1
 * when out of memory. */
static size_t part_for(nb_pkg_adds *p, const unsigned char *data, size_t len,
                       const char *ext, const char *type)
{
    uint64_t h = hash_of(data, len);
    nb_pkg_part *np;
    char name[96];
    unsigned k;
    size_t i = find_part(p, data, len, h);

    if (i != (size_t)-1)
        return i;
    if (p->n_parts == p->alloc_parts) {
        size_t na = p->alloc_parts * 2 + 4;
        nb_pkg_part *nv = realloc(p->parts, na * sizeof(*nv));

        if (nv == NULL)
            return (size_t)-1;
        p->parts = nv;
        p->alloc_parts = na;
    }
    for (k = 1;; k++) {
        if (k == 1)
            snprintf(name, sizeof(name), "word/media/nianbao-%016llx.%s",
                     (unsigned long long)h, ext);
        else
            snprintf(name, sizeof(name), "word/media/nianbao-%016llx-%u.%s",
                     (unsigned long long)h, k, ext);
        if (!name_taken(p, name))
            break;
    }
    np = &p->parts[p->n_parts];
    memset(np, 0, sizeof(*np));
    np->name = strdup(name);
    np->data = malloc(len > 0 ? len : 1);
    if (np->name == NULL || np->data == NULL) {
        free(np->name);
        free(np->data);
        return (size_t)-1;
    }
    memcpy(np->data, data, len);
    np->len = len;
    np->hash = h;
    np->content_type = type;
    p->bytes += len;
    return p->n_parts++;
}

/* The template's relationships part of 'from', or NULL. */
static const nb_zip_entry *template_rels(const nb_pkg_adds *p, const char *from)
{
    char *name = nb_pkg_rels_name(from);
    const nb_zip_entry *e = NULL;
    size_t i;

    for (i = 0; name != NULL && i < p->n_existing && e == NULL; i++)
        if (strcmp(p->existing[i].name, name) == 0)
            e = &p->existing[i];
    free(name);
    return e;
}

/* Is 'id' the id of a relationship of 'from', added or the template's? */
static bool id_taken(const nb_pkg_adds *p, const char *from, const char *id)
{
    const nb_zip_entry *e = template_rels(p, from);
    char pat[48];
    size_t i;

    for (i = 0; i < p->n_rels; i++)
        if (strcmp(p->rels[i].from, from) == 0 &&
            strcmp(p->rels[i].id, id) == 0)
            return true;
    snprintf(pat, sizeof(pat), "\"%s\"", id);
    return e != NULL && find_bytes(e->data, e->len, pat, strlen(pat)) != NULL;
}

nb_status nb_pkg_add_media(nb_pkg_adds *p, const char *from, const void *data,
                           size_t len, const char *ext, const char *type,
                           const char *rel_type, const char **rid_out)
{
    size_t part = part_for(p, data, len, ext, type);
    nb_pkg_rel *r;
    size_t i;

    *rid_out = NULL;
    if (part == (size_t)-1)
        return NB_ERR_NOMEM;
    for (i = 0; i < p->n_rels; i++)
        if (p->rels[i].part == part && strcmp(p->rels[i].from, from) == 0 &&
            strcmp(p->rels[i].type, rel_type) == 0) {
            *rid_out = p->rels[i].id;
            return NB_OK;
        }
    if (p->n_rels == p->alloc_rels) {
        size_t na = p->alloc_rels * 2 + 4;
        nb_pkg_rel *nv = realloc(p->rels, na * sizeof(*nv));

        if (nv == NULL)
            return NB_ERR_NOMEM;
        p->rels = nv;
        p->alloc_rels = na;
    }
    r = &p->rels[p->n_rels];
    r->from = from;
    r->part = part;
    r->type = rel_type;
    /* a prefix no application writes, and none of the template's */
    for (i = 1;; i++) {
        snprintf(r->id, sizeof(r->id), "rIdNianbao%zu", i);
        if (!id_taken(p, from, r->id))
            break;
    }
    p->n_rels++;
    *rid_out = r->id;
    return NB_OK;
}

char *nb_pkg_rels_name(const char *part)
{
    const char *slash = strrchr(part, '/');
    size_t dir = slash != NULL ? (size_t)(slash - part) + 1 : 0;
    size_t n = strlen(part) + sizeof("_rels/.rels");
    char *out = malloc(n);

    if (out == NULL)
        return NULL;
    snprintf(out, n, "%.*s_rels/%s.rels", (int)dir, part, part + dir);
    return out;
}

/* The target of a relationship from 'from' to 'to': relative to from's
 * folder when 'to' is below it, else absolute ("/word/media/…"). */
static void rel_target(nb_buf *b, const char *from, const char *to)
{
    const char *slash = strrchr(from, '/');
    size_t dir = slash != NULL ? (size_t)(slash - from) + 1 : 0;

    if (strncmp(from, to, dir) == 0)
        nb_buf_adds(b, to + dir);
    else
        nb_buf_printf(b, "/%s", to);
}

/* The relationships of 'from' as XML elements, into 'b'. */
static void rels_xml(const nb_pkg_adds *p, const char *from, nb_buf *b)
{
    size_t i;

    for (i = 0; i < p->n_rels; i++) {
        const nb_pkg_rel *r = &p->rels[i];

        if (strcmp(r->from, from) != 0)
            continue;
        nb_buf_printf(b, "<Relationship Id=\"%s\" Type=\"%s\" Target=\"", r->id,
                      r->type);
        rel_target(b, from, p->parts[r->part].name);
        nb_buf_adds(b, "\"/>");
    }
}

/* The part whose relationships part is 'rels', among those with new
 * relationships; NULL if none. */
static const char *source_of(const nb_pkg_adds *p, const char *rels)
{
    size_t i;

    for (i = 0; i < p->n_rels; i++) {
        char *name = nb_pkg_rels_name(p->rels[i].from);
        bool same = name != NULL && strcmp(name, rels) == 0;

        free(name);
        if (same)
            return p->rels[i].from;
    }
    return NULL;
}

/* Insert 'add' before the closing tag 'close' of raw's root element (or
 * into a root written empty, "<Types …/>"). False when neither is
 * there. */
static bool insert_before_close(nb_buf *b, const unsigned char *raw, size_t len,
                                const char *close, const char *root,
                                const nb_buf *add)
{
    const char *s = (const char *)raw;
    size_t cl = strlen(close);
    size_t i;

    for (i = len; i >= cl; i--)
        if (memcmp(s + i - cl, close, cl) == 0) {
            nb_buf_add(b, s, i - cl);
            nb_buf_add(b, add->data, add->len);
            nb_buf_add(b, s + i - cl, len - (i - cl));
            return true;
        }
    /* <Relationships xmlns="…"/>: no relationship yet */
    for (i = len; i >= 2; i--)
        if (memcmp(s + i - 2, "/>", 2) == 0)
            break;
    if (i < 2 || find_bytes(s, len, root, strlen(root)) == NULL)
        return false;
    nb_buf_add(b, s, i - 2);
    nb_buf_adds(b, ">");
    nb_buf_add(b, add->data, add->len);
    nb_buf_adds(b, close);
    nb_buf_add(b, s + i, len - i);
    return true;
}

/* Is there a Default for extension 'ext' in [Content_Types].xml? */
static bool has_default(const unsigned char *raw, size_t len, const char *ext)
{
    char pat[48];
    size_t pl;
    size_t i;

    pl = (size_t)snprintf(pat, sizeof(pat), "Extension=\"%s\"", ext);
    for (i = 0; i + pl <= len; i++)
        if (strncasecmp((const char *)raw + i, pat, pl) == 0)
            return true;
    return false;
}

/* The extension of a new part's name. */
static const char *ext_of(const char *name)
{
    const char *dot = strrchr(name, '.');

    return dot != NULL ? dot + 1 : "";
}

static void types_xml(const nb_pkg_adds *p, const unsigned char *raw,
                      size_t len, nb_buf *b)
{
    size_t i;
    size_t k;

    if (p->n_rels > 0 && !has_default(raw, len, "rels"))
        nb_buf_adds(b, "<Default Extension=\"rels\" ContentType=\"application/"
                       "vnd.openxmlformats-package.relationships+xml\"/>");
    for (i = 0; i < p->n_parts; i++) {
        const char *ext = ext_of(p->parts[i].name);
        bool seen = has_default(raw, len, ext);

        for (k = 0; k < i && !seen; k++)
            seen = strcmp(ext_of(p->parts[k].name), ext) == 0;
        if (!seen)
            nb_buf_printf(b, "<Default Extension=\"%s\" ContentType=\"%s\"/>",
                          ext, p->parts[i].content_type);
    }
}

bool nb_pkg_patch(const nb_pkg_adds *p, const char *name,
                  const unsigned char *raw, size_t len, char **out,
                  size_t *out_len, nb_status *st)
{
    const char *from = NULL;
    nb_buf add;
    nb_buf b;
    bool ok;

    *st = NB_OK;
    *out = NULL;
    if (!nb_pkg_adds_any(p))
        return false;
    nb_buf_init(&add, (size_t)-1);
    if (strcmp(name, "[Content_Types].xml") == 0)
        types_xml(p, raw, len, &add);
    else if ((from = source_of(p, name)) != NULL)
        rels_xml(p, from, &add);
    if (add.len == 0 || add.st != NB_OK) {
        *st = add.st;
        nb_buf_fini(&add);
        return false;
    }
    nb_buf_init(&b, (size_t)-1);
    if (from != NULL)
        ok = insert_before_close(&b, raw, len, "</Relationships>",
                                 "<Relationships", &add);
    else
        ok = insert_before_close(&b, raw, len, "</Types>", "<Types", &add);
    nb_buf_fini(&add);
    if (!ok || b.st != NB_OK) {
        /* its root element cannot be found: the additions would be lost */
        *st = ok ? b.st : NB_ERR_FORMAT;
        nb_buf_fini(&b);
        return false;
    }
    *out = nb_buf_steal(&b, out_len);
    if (*out == NULL)
        *st = NB_ERR_NOMEM;
    return *out != NULL;
}

static bool exists(const nb_pkg_adds *p, const char *name)
{
    size_t i;

    for (i = 0; i < p->n_existing; i++)
        if (strcmp(p->existing[i].name, name) == 0)
            return true;
    return false;
}

/* A relationships part for 'from', which the template did not have. */
static nb_status write_rels(const nb_pkg_adds *p, nb_zip_writer *w,
                            const char *from, const char *name)
{
    nb_buf b;
    char *bytes;
    size_t len;

    nb_buf_init(&b, (size_t)-1);
    nb_buf_adds(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\" "
                    "standalone=\"yes\"?>\n<Relationships xmlns=\""
                    "http://schemas.openxmlformats.org/package/2006/"
                    "relationships\">");
    rels_xml(p, from, &b);
    nb_buf_adds(&b, "</Relationships>");
    bytes = nb_buf_steal(&b, &len);
    if (bytes == NULL)
        return NB_ERR_NOMEM;
    return nb_zip_writer_add(w, name, bytes, len, true);
}

nb_status nb_pkg_write_new(const nb_pkg_adds *p, nb_zip_writer *w)
{
    nb_status st = NB_OK;
    size_t i;
    size_t k;

    for (i = 0; i < p->n_rels && st == NB_OK; i++) {
        char *name = nb_pkg_rels_name(p->rels[i].from);
        bool first = true;

        for (k = 0; k < i && first; k++)
            first = strcmp(p->rels[k].from, p->rels[i].from) != 0;
        if (name == NULL)
            st = NB_ERR_NOMEM;
        else if (first && !exists(p, name))
            st = write_rels(p, w, p->rels[i].from, name);
        free(name);
    }
    for (i = 0; i < p->n_parts && st == NB_OK; i++)
        st = nb_zip_writer_add(w, p->parts[i].name, p->parts[i].data,
                               p->parts[i].len, false);
    return st;
}
