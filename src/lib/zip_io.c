/* zip_io.c: libzip with limits for reading, reproducible archives for
 * writing.
 *
 * Reading: a template is untrusted. Before any entry is inflated its
 * declared size is checked against the part and total caps (zip bombs), and
 * reading stops one byte past the declared size, so an entry that lies
 * about its size is caught too. Entry names are never used as file paths,
 * but unsafe ones are refused anyway: the output package must not carry
 * them (OPC part names are relative, no ".."). A zipped submission's
 * names may be GBK, as Chinese Windows writes them (nb_zip_names).
 * Deflated entries are unpacked by libdeflate from their stored stream,
 * in one call, and checked against their size and CRC-32 as libzip would;
 * a template keeps those streams to copy its unchanged parts as they are.
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
#include <zip.h>

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

/* What the entries of one archive are read with. */
typedef struct reader {
    zip_t *za;
    size_t len; /* the archive's size: no stored stream is larger */
    const char *file;
    bool keep; /* keep the deflate streams (nb_zip_entry.packed) */
    const char *const *want; /* the entries unpacked (NULL-ended), or NULL:
                                all */
    struct libdeflate_decompressor *dec;
    nb_diag_list *dl;
} reader;

/* "cannot read entry" with libzip's words for its error 'code'. */
static nb_status entry_error(const reader *rd, const nb_zip_entry *e,
                             int code)
{
    nb_loc loc = {rd->file, 0, 0, e->name};
    zip_error_t ze;

    zip_error_init_with_code(&ze, code);
    nb_diag_add(rd->dl, NB_ZIP_CORRUPT, &loc, _("cannot read entry: %s"),
                zip_error_strerror(&ze));
    zip_error_fini(&ze);
    return NB_ERR_FORMAT;
}

static nb_status size_lie(const reader *rd, const nb_zip_entry *e,
                          size_t declared)
{
    nb_loc loc = {rd->file, 0, 0, e->name};

    nb_diag_add(rd->dl, NB_ZIP_CORRUPT, &loc,
                _("entry unpacks to a size other than the %zu bytes its "
                  "header declares"),
                declared);
    return NB_ERR_FORMAT;
}

/* The stored deflate stream of entry idx into *out (free()). */
static nb_status read_stream(unsigned char **out, const reader *rd,
                             const nb_zip_entry *e, zip_uint64_t idx,
                             size_t packed_len)
{
    unsigned char *packed;
    zip_file_t *zf;
    zip_int64_t n;

    *out = NULL;
    if (packed_len > rd->len)
        return entry_error(rd, e, ZIP_ER_INCONS);
    packed = malloc(packed_len > 0 ? packed_len : 1);
    if (packed == NULL)
        return nb_diag_nomem(rd->dl, rd->file);
    zf = zip_fopen_index(rd->za, idx, ZIP_FL_COMPRESSED);
    n = zf != NULL ? zip_fread(zf, packed, (zip_uint64_t)packed_len) : -1;
    if (zf != NULL)
        zip_fclose(zf);
    if (n < 0 || (zip_uint64_t)n != packed_len) {
        free(packed);
        return entry_error(rd, e, ZIP_ER_READ);
    }
    *out = packed;
    return NB_OK;
}

/* A deflated entry: its stream inflated in one call by libdeflate into
 * exactly the declared size, then its CRC-32 checked. */
static nb_status inflate_entry(nb_zip_entry *e, reader *rd, zip_uint64_t idx,
                               const zip_stat_t *zs, size_t declared)
{
    size_t packed_len = (size_t)zs->comp_size;
    unsigned char *packed = NULL;
    unsigned char *buf;
    size_t used = 0;
    size_t got = 0;
    enum libdeflate_result res;
    nb_status st;

    if (rd->dec == NULL && (rd->dec = libdeflate_alloc_decompressor()) == NULL)
        return nb_diag_nomem(rd->dl, rd->file);
    st = read_stream(&packed, rd, e, idx, packed_len);
    if (st != NB_OK)
        return st;
    buf = malloc(declared + 2);
    if (buf == NULL) {
        free(packed);
        return nb_diag_nomem(rd->dl, rd->file);
    }
    res = libdeflate_deflate_decompress_ex(rd->dec, packed, packed_len, buf,
                                           declared, &used, &got);
    if (res == LIBDEFLATE_INSUFFICIENT_SPACE ||
        (res == LIBDEFLATE_SUCCESS && got != declared))
        st = size_lie(rd, e, declared);
    else if (res != LIBDEFLATE_SUCCESS)
        st = entry_error(rd, e, ZIP_ER_COMPRESSED_DATA);
    else if ((uint32_t)libdeflate_crc32(0, buf, declared) != zs->crc)
        st = entry_error(rd, e, ZIP_ER_CRC);
    if (st != NB_OK) {
        free(buf);
        free(packed);
        return st;
    }
    buf[declared] = '\0';
    e->data = buf;
    e->len = declared;
    /* a stream with bytes after its end is not copied as it is */
    if (rd->keep && used == packed_len) {
        e->packed = packed;
        e->packed_len = packed_len;
        e->crc = zs->crc;
    } else {
        free(packed);
    }
    return NB_OK;
}

/* Is the entry deflated, unencrypted, with its sizes and CRC known? */
static bool plainly_deflated(const zip_stat_t *zs)
{
    const zip_uint64_t need = ZIP_STAT_COMP_SIZE | ZIP_STAT_COMP_METHOD |
                              ZIP_STAT_CRC | ZIP_STAT_ENCRYPTION_METHOD;

    return (zs->valid & need) == need && zs->comp_method == ZIP_CM_DEFLATE &&
           zs->encryption_method == ZIP_EM_NONE;
}

/* Any other entry (stored, or another method): through libzip, which
 * checks its CRC-32. */
static nb_status read_entry(nb_zip_entry *e, const reader *rd,
                            zip_uint64_t idx, size_t declared)
{
    nb_loc loc = {rd->file, 0, 0, e->name};
    zip_file_t *zf;
    zip_int64_t n;
    unsigned char *buf;

    buf = malloc(declared + 2);
    if (buf == NULL)
        return nb_diag_nomem(rd->dl, rd->file);
    zf = zip_fopen_index(rd->za, idx, 0);
    if (zf == NULL) {
        nb_diag_add(rd->dl, NB_ZIP_CORRUPT, &loc, _("cannot open entry: %s"),
                    zip_strerror(rd->za));
        free(buf);
        return NB_ERR_FORMAT;
    }
    /* ask for one byte more than declared: an entry that inflates to more
     * than its header says is a lie, and we stop there */
    n = zip_fread(zf, buf, (zip_uint64_t)declared + 1);
    if (n < 0) {
        nb_diag_add(rd->dl, NB_ZIP_CORRUPT, &loc, _("cannot read entry: %s"),
                    zip_file_strerror(zf));
        zip_fclose(zf);
        free(buf);
        return NB_ERR_FORMAT;
    }
    zip_fclose(zf);
    if ((zip_uint64_t)n != declared) {
        free(buf);
        return size_lie(rd, e, declared);
    }
    buf[declared] = '\0';
    e->data = buf;
    e->len = declared;
    return NB_OK;
}

/* The entry's name as 'names' says, in a new string (free()). */
static nb_status entry_name(char **out, zip_t *za, zip_uint64_t idx,
                            const char *stat_name, nb_zip_names names)
{
    size_t len = strlen(stat_name);

    if (names == NB_ZIP_NAMES_GB18030 && !nb_utf8_valid(stat_name, len, NULL)) {
        nb_status st = nb_gb18030_dup(out, stat_name, len);
        const char *guess;

        if (st != NB_ERR_FORMAT)
            return st;
        /* neither UTF-8 nor GB18030: what libzip makes of it */
        guess = zip_get_name(za, idx, ZIP_FL_ENC_GUESS);
        if (guess != NULL)
            stat_name = guess;
    }
    *out = strdup(stat_name);
    return *out != NULL ? NB_OK : NB_ERR_NOMEM;
}

/* The checks on the last entry of v[0..n) before it is unpacked: its
 * name, and its size against the caps (*total: the sizes so far). */
static nb_status check_entry(const nb_zip_entry *v, size_t n, zip_uint64_t size,
                             size_t *total, const char *file,
                             const nb_limits *lim, nb_diag_list *dl)
{
    const char *name = v[n - 1].name;
    nb_loc loc = {file, 0, 0, name};
    size_t k;

    if (unsafe_name(name)) {
        nb_diag_add(dl, NB_ZIP_BAD_NAME, &loc, "%s",
                    _("entry name is absolute, contains \"..\", a "
                      "backslash or a control character"));
        return NB_ERR_FORMAT;
    }
    for (k = 0; k + 1 < n; k++) {
        if (nb_ascii_casecmp(v[k].name, name) == 0) {
            nb_diag_add(dl, NB_ZIP_BAD_NAME, &loc, "%s",
                        _("entry name appears twice in the archive"));
            return NB_ERR_FORMAT;
        }
    }
    if (size > lim->max_part_bytes) {
        nb_diag_add(dl, NB_LIMIT_ZIP, &loc,
                    _("entry unpacks to %ju bytes, more than the limit "
                      "of %zu"),
                    (uintmax_t)size, lim->max_part_bytes);
        return NB_ERR_LIMIT;
    }
    if (size > lim->max_total_bytes - *total) {
        nb_diag_add(dl, NB_LIMIT_ZIP, &loc,
                    _("archive unpacks to more than the limit of %zu "
                      "bytes"),
                    lim->max_total_bytes);
        return NB_ERR_LIMIT;
    }
    *total += (size_t)size;
    return NB_OK;
}

static nb_status open_archive(zip_t **out, const void *data, size_t len,
                              const char *file, nb_diag_list *dl)
{
    nb_loc loc = {file, 0, 0, NULL};
    zip_error_t ze;
    zip_source_t *src;

    zip_error_init(&ze);
    src = zip_source_buffer_create(data, len, 0, &ze);
    if (src == NULL) {
        zip_error_fini(&ze);
        return nb_diag_nomem(dl, file);
    }
    *out = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &ze);
    if (*out == NULL) {
        nb_diag_add(dl, NB_ZIP_CORRUPT, &loc,
                    _("not a readable zip archive: %s"),
                    zip_error_strerror(&ze));
        zip_source_free(src);
    }
    zip_error_fini(&ze);
    return *out != NULL ? NB_OK : NB_ERR_FORMAT;
}

/* Entry i into v[*n] (a folder entry is skipped), checked and unpacked. */
static bool wanted(const reader *rd, const char *name)
{
    const char *const *w;

    for (w = rd->want; w != NULL && *w != NULL; w++)
        if (strcmp(*w, name) == 0)
            return true;
    return rd->want == NULL;
}

static nb_status read_index(nb_zip_entry *v, size_t *n, reader *rd,
                            zip_uint64_t i, size_t *total, const nb_limits *lim,
                            nb_zip_names names)
{
    nb_loc loc = {rd->file, 0, 0, NULL};
    zip_flags_t stat_flags = names == NB_ZIP_NAMES_GB18030 ? ZIP_FL_ENC_RAW : 0;
    zip_stat_t zs;
    nb_status st;

    if (zip_stat_index(rd->za, i, stat_flags, &zs) != 0 ||
        (zs.valid & (ZIP_STAT_NAME | ZIP_STAT_SIZE)) !=
            (ZIP_STAT_NAME | ZIP_STAT_SIZE)) {
        nb_diag_add(rd->dl, NB_ZIP_CORRUPT, &loc, _("unreadable entry #%ju"),
                    (uintmax_t)i);
        return NB_ERR_FORMAT;
    }
    /* '/' is ASCII in GBK too: no second byte of a character is 0x2F */
    if (zs.name[0] != '\0' && zs.name[strlen(zs.name) - 1] == '/')
        return NB_OK; /* a folder entry */
    if (entry_name(&v[*n].name, rd->za, i, zs.name, names) != NB_OK)
        return nb_diag_nomem(rd->dl, rd->file);
    (*n)++;
    st = check_entry(v, *n, zs.size, total, rd->file, lim, rd->dl);
    if (st != NB_OK || !wanted(rd, v[*n - 1].name))
        return st;
    if (plainly_deflated(&zs))
        return inflate_entry(&v[*n - 1], rd, i, &zs, (size_t)zs.size);
    return read_entry(&v[*n - 1], rd, i, (size_t)zs.size);
}

static nb_status read_archive(nb_zip_entry **out, size_t *n_out,
                              const void *data, size_t len, const char *file,
                              const nb_limits *lim, nb_zip_names names,
                              bool keep, const char *const *want,
                              nb_diag_list *dl)
{
    nb_loc loc = {file, 0, 0, NULL};
    reader rd = {NULL, len, file, keep, want, NULL, dl};
    zip_int64_t n_all;
    nb_zip_entry *v = NULL;
    size_t n = 0;
    size_t total = 0;
    zip_uint64_t i;
    nb_status st = NB_OK;

    *out = NULL;
    *n_out = 0;
    st = open_archive(&rd.za, data, len, file, dl);
    if (st != NB_OK)
        return st;
    n_all = zip_get_num_entries(rd.za, 0);
    if (n_all < 0 || (zip_uint64_t)n_all > lim->max_zip_entries) {
        nb_diag_add(dl, NB_LIMIT_ZIP, &loc,
                    _("archive has %jd entries, more than the limit of %zu"),
                    (intmax_t)n_all, lim->max_zip_entries);
        st = NB_ERR_LIMIT;
        goto done;
    }
    v = calloc((size_t)n_all + 1, sizeof(*v));
    if (v == NULL) {
        st = nb_diag_nomem(dl, file);
        goto done;
    }
    for (i = 0; i < (zip_uint64_t)n_all && st == NB_OK; i++)
        st = read_index(v, &n, &rd, i, &total, lim, names);
    if (st == NB_OK) {
        *out = v;
        *n_out = n;
        v = NULL;
    }
done:
    nb_zip_entries_free(v, n);
    libdeflate_free_decompressor(rd.dec);
    zip_discard(rd.za);
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

/* The writer is written here rather than with libzip: rendering copies
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
