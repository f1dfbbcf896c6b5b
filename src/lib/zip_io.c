/* zip_io.c: packages unpacked whole with limits, reproducible archives
 * for writing.
 *
 * Reading: a template is untrusted. Before any entry is inflated its
 * declared size is checked against the part and total caps (zip bombs), and
 * reading stops one byte past the declared size, so an entry that lies
 * about its size is caught too. Entry names are never used as file paths,
 * but unsafe ones are refused anyway: the output package must not carry
 * them (OPC part names are relative, no ".."). A zipped submission's
 * names may be GBK, as Chinese Windows writes them (nb_zip_names).
 * Entries are unpacked by zip_read.c (libdeflate, in one call, checked
 * against their size and CRC-32); a template keeps the deflate streams
 * to copy its unchanged parts as they are.
 * Writing: the same input must give the same bytes (DESIGN.md), so every
 * entry gets the same DOS time, no extra fields, and entries keep their
 * order; libdeflate deflates each part whole, with one compressor per
 * package.
 */
#include "zip_io.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libdeflate.h>

void nb_zip_entries_free(nb_zip_entry *v, size_t n)
{
    size_t i;

    if (v == NULL)
        return;
    for (i = 0; i < n; i++) {
        free(v[i].name);
        free(v[i].data);
        free(v[i].packed);
    }
    free(v);
}

static bool unsafe_name(const char *name)
{
    const char *p;

    if (name[0] == '\0' || name[0] == '/' || strchr(name, '\\') != NULL)
        return true;
    for (p = name; *p != '\0'; p++)
        if ((unsigned char)*p < 0x20)
            return true;
    /* any ".." path segment */
    for (p = name; p != NULL; p = strchr(p, '/')) {
        if (*p == '/')
            p++;
        if (p[0] == '.' && p[1] == '.' && (p[2] == '/' || p[2] == '\0'))
            return true;
    }
    return false;
}

/* The checks on entry e before it is unpacked: its name, and its size
 * against the caps (*total: the sizes so far). Duplicates were refused by
 * nb_zip_open. */
static nb_status check_entry(const nb_zip_dirent *e, size_t *total,
                             const char *file, const nb_limits *lim,
                             nb_diag_list *dl)
{
    nb_loc loc = {file, 0, 0, e->name};

    if (unsafe_name(e->name)) {
        nb_diag_add(dl, NB_ZIP_BAD_NAME, &loc, "%s",
                    _("entry name is absolute, contains \"..\", a "
                      "backslash or a control character"));
        return NB_ERR_FORMAT;
    }
    if (e->usize > lim->max_part_bytes) {
        nb_diag_add(dl, NB_LIMIT_ZIP, &loc,
                    _("entry unpacks to %ju bytes, more than the limit "
                      "of %zu"),
                    (uintmax_t)e->usize, lim->max_part_bytes);
        return NB_ERR_LIMIT;
    }
    if (e->usize > lim->max_total_bytes - *total) {
        nb_diag_add(dl, NB_LIMIT_ZIP, &loc,
                    _("archive unpacks to more than the limit of %zu "
                      "bytes"),
                    lim->max_total_bytes);
        return NB_ERR_LIMIT;
    }
    *total += (size_t)e->usize;
    return NB_OK;
}

/* Is 'name' in the NULL-ended list 'want' (NULL: every entry is)? */
static bool wanted(const char *const *want, const char *name)
{
    const char *const *w;

    for (w = want; w != NULL && *w != NULL; w++)
        if (strcmp(*w, name) == 0)
            return true;
    return want == NULL;
}

/* Entry i of the archive into *e, checked and, when wanted, unpacked;
 * 'keep': its deflate stream too. */
static nb_status read_index(nb_zip_entry *e, nb_zip_archive *za, size_t i,
                            size_t *total, const char *file,
                            const nb_limits *lim, bool keep,
                            const char *const *want, nb_diag_list *dl)
{
    const nb_zip_dirent *d = nb_zip_at(za, i);
    nb_zip_blob blob = {NULL, 0, 0, 0};
    nb_status st;

    e->name = strdup(d->name);
    if (e->name == NULL)
        return nb_diag_nomem(dl, file);
    st = check_entry(d, total, file, lim, dl);
    if (st != NB_OK || !wanted(want, d->name))
        return st;
    st = nb_zip_extract(za, i, &e->data, &e->len, keep ? &blob : NULL);
    if (st == NB_OK && keep) {
        e->packed = blob.data;
        e->packed_len = blob.len;
        e->crc = blob.crc;
    }
    return st;
}

static nb_status read_archive(nb_zip_entry **out, size_t *n_out,
                              const void *data, size_t len, const char *file,
                              const nb_limits *lim, nb_zip_names names,
                              bool keep, const char *const *want,
                              nb_diag_list *dl)
{
    nb_zip_source src = {data, len, -1, 0, file, names, 0, NULL};
    nb_zip_archive *za = NULL;
    nb_zip_entry *v = NULL;
    size_t n = 0;
    size_t total = 0;
    size_t i;
    nb_status st;

    *out = NULL;
    *n_out = 0;
    st = nb_zip_open(&za, &src, lim, dl);
    if (st != NB_OK)
        return st;
    v = calloc(nb_zip_count(za) + 1, sizeof(*v));
    if (v == NULL)
        st = nb_diag_nomem(dl, file);
    for (i = 0; st == NB_OK && i < nb_zip_count(za); i++)
        if (!nb_zip_at(za, i)->is_dir)
            st = read_index(&v[n++], za, i, &total, file, lim, keep, want,
                            dl);
    if (st == NB_OK) {
        *out = v;
        *n_out = n;
        v = NULL;
    }
    nb_zip_entries_free(v, n);
    nb_zip_close(za);
    return st;
}

nb_status nb_zip_read_entries(nb_zip_entry **out, size_t *n_out,
                              const void *data, size_t len, const char *file,
                              const nb_limits *lim, nb_zip_names names,
                              nb_diag_list *dl)
{
    return read_archive(out, n_out, data, len, file, lim, names, false, NULL,
                        dl);
}

nb_status nb_zip_read_all(nb_zip_entry **out, size_t *n_out, const void *data,
                          size_t len, const char *file, const nb_limits *lim,
                          nb_diag_list *dl)
{
    return read_archive(out, n_out, data, len, file, lim, NB_ZIP_NAMES_GUESS,
                        false, NULL, dl);
}

nb_status nb_zip_read_some(nb_zip_entry **out, size_t *n_out, const void *data,
                           size_t len, const char *file, const nb_limits *lim,
                           const char *const *want, nb_diag_list *dl)
{
    return read_archive(out, n_out, data, len, file, lim, NB_ZIP_NAMES_GUESS,
                        false, want, dl);
}

nb_status nb_zip_read_template(nb_zip_entry **out, size_t *n_out,
                               const void *data, size_t len, const char *file,
                               const nb_limits *lim, nb_diag_list *dl)
{
    return read_archive(out, n_out, data, len, file, lim, NB_ZIP_NAMES_GUESS,
                        true, NULL, dl);
}

/* ==== Writing ==== */

/* The writer is our own, not a zip library's: rendering copies
 * the same template parts into every package, and deflating them once per
 * template instead of once per render makes a render several times faster
 * (bench/run.sh). The format is the classic one of APPNOTE.TXT §4.3. */

#define LOCAL_SIG 0x04034b50u
#define CENTRAL_SIG 0x02014b50u
#define END_SIG 0x06054b50u
#define ZIP_VERSION 20u   /* 2.0: deflate */
#define FLAG_UTF8 0x0800u /* general purpose bit 11: UTF-8 name */
#define METHOD_DEFLATE 8u
#define MAX_ENTRIES 65535u
#define MAX_OFFSET 0xFFFFFFFFu

struct nb_zip_writer {
    nb_buf out;     /* local headers and data */
    nb_buf central; /* central directory, appended at the end */
    nb_zip_deflater *z; /* made at the first part deflated */
    size_t n;
    nb_diag_list *dl;
    nb_status st;
};

static void put16(nb_buf *b, unsigned v)
{
    unsigned char x[2] = {(unsigned char)(v & 0xFF),
                          (unsigned char)((v >> 8) & 0xFF)};

    nb_buf_add(b, x, 2);
}

static void put32(nb_buf *b, uint32_t v)
{
    unsigned char x[4] = {
        (unsigned char)(v & 0xFF), (unsigned char)((v >> 8) & 0xFF),
        (unsigned char)((v >> 16) & 0xFF), (unsigned char)((v >> 24) & 0xFF)};

    nb_buf_add(b, x, 4);
}

/* libdeflate's level 6, its default: within a few per cent of zlib's
 * default level in size, in half its time (bench/peers.sh). */
#define DEFLATE_LEVEL 6

struct nb_zip_deflater {
    struct libdeflate_compressor *c;
};

nb_zip_deflater *nb_zip_deflater_new(void)
{
    nb_zip_deflater *z = calloc(1, sizeof(*z));

    if (z != NULL && (z->c = libdeflate_alloc_compressor(DEFLATE_LEVEL)) ==
                         NULL) {
        free(z);
        z = NULL;
    }
    return z;
}

void nb_zip_deflater_free(nb_zip_deflater *z)
{
    if (z == NULL)
        return;
    libdeflate_free_compressor(z->c);
    free(z);
}

nb_status nb_zip_blob_make(nb_zip_blob *out, nb_zip_deflater *z,
                           const void *data, size_t len)
{
    size_t bound;

    memset(out, 0, sizeof(*out));
    if (len > MAX_OFFSET)
        return NB_ERR_LIMIT;
    bound = libdeflate_deflate_compress_bound(z->c, len);
    out->data = malloc(bound > 0 ? bound : 1);
    if (out->data == NULL)
        return NB_ERR_NOMEM;
    /* raw deflate (no zlib header), as ZIP stores it; 0 means the bound
       was too small, which libdeflate promises never happens */
    out->len = libdeflate_deflate_compress(z->c, data, len, out->data, bound);
    if (out->len == 0) {
        nb_zip_blob_fini(out);
        return NB_ERR_FORMAT;
    }
    out->ulen = len;
    out->crc = (uint32_t)libdeflate_crc32(0, data, len);
    return NB_OK;
}

bool nb_zip_blob_take(nb_zip_blob *out, nb_zip_entry *e)
{
    memset(out, 0, sizeof(*out));
    if (e->packed == NULL || e->packed_len > MAX_OFFSET || e->len > MAX_OFFSET)
        return false;
    out->data = e->packed;
    out->len = e->packed_len;
    out->ulen = e->len;
    out->crc = e->crc;
    e->packed = NULL;
    e->packed_len = 0;
    return true;
}

void nb_zip_blob_fini(nb_zip_blob *b)
{
    if (b == NULL)
        return;
    free(b->data);
    memset(b, 0, sizeof(*b));
}

static nb_status writer_fail(nb_zip_writer *w, nb_status st, const char *what)
{
    nb_loc loc = {"-", 0, 0, NULL};

    if (w->st == NB_OK) {
        if (st == NB_ERR_NOMEM)
            nb_diag_nomem(w->dl, "-");
        else
            nb_diag_add(w->dl,
                        st == NB_ERR_LIMIT ? NB_LIMIT_OUTPUT : NB_DOCX_WRITE,
                        &loc, _("cannot build the package: %s"), what);
        w->st = st;
    }
    return w->st;
}

nb_status nb_zip_writer_new(nb_zip_writer **out, nb_diag_list *dl)
{
    nb_zip_writer *w;

    *out = NULL;
    w = calloc(1, sizeof(*w));
    if (w == NULL)
        return nb_diag_nomem(dl, "-");
    nb_buf_init(&w->out, MAX_OFFSET);
    nb_buf_init(&w->central, MAX_OFFSET);
    w->dl = dl;
    *out = w;
    return NB_OK;
}

static bool ascii(const char *s)
{
    for (; *s != '\0'; s++)
        if ((unsigned char)*s >= 0x80)
            return false;
    return true;
}

nb_status nb_zip_writer_add_blob(nb_zip_writer *w, const char *name,
                                 const nb_zip_blob *blob)
{
    size_t name_len = strlen(name);
    size_t offset = w->out.len;
    unsigned flags = ascii(name) ? 0u : FLAG_UTF8;

    if (w->st != NB_OK)
        return w->st;
    if (w->n >= MAX_ENTRIES || name_len > 0xFFFF || blob->len > MAX_OFFSET ||
        blob->ulen > MAX_OFFSET)
        return writer_fail(w, NB_ERR_LIMIT, "more than 65535 entries or 4 GiB");
    /* local file header */
    put32(&w->out, LOCAL_SIG);
    put16(&w->out, ZIP_VERSION);
    put16(&w->out, flags);
    put16(&w->out, METHOD_DEFLATE);
    put16(&w->out, 0);              /* time 00:00:00 */
    put16(&w->out, (1u << 5) | 1u); /* date 1980-01-01 */
    put32(&w->out, blob->crc);
    put32(&w->out, (uint32_t)blob->len);
    put32(&w->out, (uint32_t)blob->ulen);
    put16(&w->out, (unsigned)name_len);
    put16(&w->out, 0); /* no extra field */
    nb_buf_add(&w->out, name, name_len);
    nb_buf_add(&w->out, blob->data, blob->len);
    /* its central directory record */
    put32(&w->central, CENTRAL_SIG);
    put16(&w->central, ZIP_VERSION); /* made by: MS-DOS, 2.0 */
    put16(&w->central, ZIP_VERSION);
    put16(&w->central, flags);
    put16(&w->central, METHOD_DEFLATE);
    put16(&w->central, 0);
    put16(&w->central, (1u << 5) | 1u);
    put32(&w->central, blob->crc);
    put32(&w->central, (uint32_t)blob->len);
    put32(&w->central, (uint32_t)blob->ulen);
    put16(&w->central, (unsigned)name_len);
    put16(&w->central, 0); /* extra */
    put16(&w->central, 0); /* comment */
    put16(&w->central, 0); /* disk */
    put16(&w->central, 0); /* internal attributes */
    put32(&w->central, 0); /* external attributes */
    put32(&w->central, (uint32_t)offset);
    nb_buf_add(&w->central, name, name_len);
    if (w->out.st != NB_OK || w->central.st != NB_OK)
        return writer_fail(w, w->out.st != NB_OK ? w->out.st : w->central.st,
                           "the package is larger than 4 GiB");
    w->n++;
    return NB_OK;
}

nb_status nb_zip_writer_add(nb_zip_writer *w, const char *name,
                            const void *data, size_t len, bool take)
{
    nb_zip_blob blob;
    nb_status st;

    if (w->st != NB_OK) {
        if (take)
            free((void *)data);
        return w->st;
    }
    if (w->z == NULL && (w->z = nb_zip_deflater_new()) == NULL)
        st = NB_ERR_NOMEM;
    else
        st = nb_zip_blob_make(&blob, w->z, data, len);
    if (take)
        free((void *)data);
    if (st != NB_OK)
        return writer_fail(w, st, "deflate failed");
    st = nb_zip_writer_add_blob(w, name, &blob);
    nb_zip_blob_fini(&blob);
    return st;
}

nb_status nb_zip_writer_finish(nb_zip_writer *w, void **out, size_t *len_out)
{
    size_t cd_offset = w->out.len;
    nb_status st;

    *out = NULL;
    *len_out = 0;
    if (w->st == NB_OK) {
        nb_buf_add(&w->out, w->central.data, w->central.len);
        put32(&w->out, END_SIG);
        put16(&w->out, 0); /* this disk */
        put16(&w->out, 0); /* disk with the central directory */
        put16(&w->out, (unsigned)w->n);
        put16(&w->out, (unsigned)w->n);
        put32(&w->out, (uint32_t)w->central.len);
        put32(&w->out, (uint32_t)cd_offset);
        put16(&w->out, 0); /* no comment */
        if (w->out.st != NB_OK)
            writer_fail(w, w->out.st, "the package is larger than 4 GiB");
    }
    st = w->st;
    if (st == NB_OK)
        *out = nb_buf_steal(&w->out, len_out);
    nb_zip_writer_free(w);
    return st;
}

void nb_zip_writer_free(nb_zip_writer *w)
{
    if (w == NULL)
        return;
    nb_buf_fini(&w->out);
    nb_buf_fini(&w->central);
    nb_zip_deflater_free(w->z);
    free(w);
}
