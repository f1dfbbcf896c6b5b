/* zip_read.c: the zip reader (APPNOTE.TXT 6.3), over a buffer or a file.
 *
 * An archive is untrusted. Opening it reads only its directory: the end
 * record (searched for in the last 64 KiB + 22 bytes, so a comment is
 * skipped), the zip64 end record when the end record points to one, and
 * every central header, each bounds-checked against the archive and the
 * entry count bounded by the `entries` limit before anything is
 * allocated. Each entry's local header is then checked against its
 * central one (name, method, sizes), its data must lie before the central
 * directory, and no two entries' data may overlap (the "zip bomb by
 * overlap" class). Only stored and deflated entries are read; encrypted
 * ones, split archives and entries not on disk 0 are refused, each with a
 * message naming the entry and why. Zip64 is read (sizes and offsets from
 * the zip64 extra field, the zip64 end record), since writers such as
 * .NET's System.IO.Packaging use it for parts of any size; its values are
 * bounded by the archive like any other.
 *
 * Unpacking never writes past the declared size and checks the CRC-32:
 * whole entries are inflated by libdeflate in one call, streamed ones
 * (a workbook's sheets, which can be hundreds of megabytes) by zlib in
 * chunks. A file is read with pread, never loaded whole.
 */
#include "zip_io.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libdeflate.h>
#include <zlib.h>

#define LOCAL_SIG 0x04034b50u
#define CENTRAL_SIG 0x02014b50u
#define END_SIG 0x06054b50u
#define Z64_END_SIG 0x06064b50u
#define Z64_LOC_SIG 0x07064b50u
#define END_LEN 22u
#define Z64_END_LEN 56u
#define Z64_LOC_LEN 20u
#define CENTRAL_LEN 46u
#define LOCAL_LEN 30u
#define MAX_COMMENT 65535u
#define FLAG_ENCRYPTED 0x0001u
#define FLAG_DESCRIPTOR 0x0008u
#define FLAG_STRONG 0x0040u
#define FLAG_UTF8 0x0800u
#define METHOD_STORED 0u
#define METHOD_DEFLATE 8u
#define U16_MAX 0xFFFFu
#define U32_MAX 0xFFFFFFFFu
#define CHUNK 65536u

struct nb_zip_archive {
    const unsigned char *mem; /* the archive in memory, or NULL */
    int fd;                   /* else the file it is read from */
    uint64_t size;
    uint64_t cd_off; /* where the central directory starts */
    const char *file;
    nb_code corrupt;     /* code of a damaged archive or entry */
    const char *not_zip; /* the words before why it cannot be read */
    nb_diag_list *dl;
    nb_zip_dirent *v;
    size_t n;
    struct libdeflate_decompressor *dec;
};

static uint16_t le16(const unsigned char *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t le32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

static uint64_t le64(const unsigned char *p)
{
    return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32;
}

/* ==== The source: a buffer or a file ==== */

/* len bytes at 'off' into buf; false when they are not all in the
 * archive or cannot be read. */
static bool src_read(const nb_zip_archive *a, uint64_t off, void *buf,
                     size_t len)
{
    unsigned char *p = buf;

    if (off > a->size || len > a->size - off)
        return false;
    if (a->mem != NULL) {
        memcpy(buf, a->mem + off, len);
        return true;
    }
    while (len > 0) {
        ssize_t got = pread(a->fd, p, len, (off_t)off);

        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            return false;
        p += got;
        off += (uint64_t)got;
        len -= (size_t)got;
    }
    return true;
}

/* The bytes at off[0..len): a pointer into the buffer, or read into a
 * new block (*owned, free()). NULL when out of the archive or unreadable;
 * *nomem set when it could not be allocated. */
static const unsigned char *src_view(const nb_zip_archive *a, uint64_t off,
                                     size_t len, unsigned char **owned,
                                     bool *nomem)
{
    *owned = NULL;
    *nomem = false;
    if (off > a->size || len > a->size - off)
        return NULL;
    if (a->mem != NULL)
        return a->mem + off;
    *owned = malloc(len > 0 ? len : 1);
    if (*owned == NULL) {
        *nomem = true;
        return NULL;
    }
    if (!src_read(a, off, *owned, len)) {
        free(*owned);
        *owned = NULL;
        return NULL;
    }
    return *owned;
}

/* ==== Findings ==== */

static nb_status bad_archive(const nb_zip_archive *a, const char *why)
{
    nb_loc loc = {a->file, 0, 0, NULL};

    nb_diag_add(a->dl, a->corrupt, &loc, "%s: %s", a->not_zip, why);
    return NB_ERR_FORMAT;
}

/* A finding on entry 'name' (or entry #i when it has none yet). */
static nb_status bad_entry(const nb_zip_archive *a, const char *name,
                           size_t i, const char *why)
{
    nb_loc loc = {a->file, 0, 0, name};

    if (name != NULL)
        nb_diag_add(a->dl, a->corrupt, &loc, "%s", why);
    else
        nb_diag_add(a->dl, a->corrupt, &loc, _("entry #%zu: %s"), i + 1, why);
    return NB_ERR_FORMAT;
}

static const char *method_name(unsigned m)
{
    switch (m) {
    case 1: return "Shrink";
    case 6: return "Implode";
    case 9: return "Deflate64";
    case 12: return "bzip2";
    case 14: return "LZMA";
    case 93: return "Zstandard";
    case 95: return "xz";
    case 98: return "PPMd";
    case 99: return "AES";
    default: return "unknown";
    }
}

/* ==== Names ==== */

/* CP437's upper half, as APPNOTE.TXT says names without the UTF-8 flag
 * are written. */
static const uint16_t cp437[128] = {
    0x00C7, 0x00FC, 0x00E9, 0x00E2, 0x00E4, 0x00E0, 0x00E5, 0x00E7, 0x00EA,
    0x00EB, 0x00E8, 0x00EF, 0x00EE, 0x00EC, 0x00C4, 0x00C5, 0x00C9, 0x00E6,
    0x00C6, 0x00F4, 0x00F6, 0x00F2, 0x00FB, 0x00F9, 0x00FF, 0x00D6, 0x00DC,
    0x00A2, 0x00A3, 0x00A5, 0x20A7, 0x0192, 0x00E1, 0x00ED, 0x00F3, 0x00FA,
    0x00F1, 0x00D1, 0x00AA, 0x00BA, 0x00BF, 0x2310, 0x00AC, 0x00BD, 0x00BC,
    0x00A1, 0x00AB, 0x00BB, 0x2591, 0x2592, 0x2593, 0x2502, 0x2524, 0x2561,
    0x2562, 0x2556, 0x2555, 0x2563, 0x2551, 0x2557, 0x255D, 0x255C, 0x255B,
    0x2510, 0x2514, 0x2534, 0x252C, 0x251C, 0x2500, 0x253C, 0x255E, 0x255F,
    0x255A, 0x2554, 0x2569, 0x2566, 0x2560, 0x2550, 0x256C, 0x2567, 0x2568,
    0x2564, 0x2565, 0x2559, 0x2558, 0x2552, 0x2553, 0x256B, 0x256A, 0x2518,
    0x250C, 0x2588, 0x2584, 0x258C, 0x2590, 0x2580, 0x03B1, 0x00DF, 0x0393,
    0x03C0, 0x03A3, 0x03C3, 0x00B5, 0x03C4, 0x03A6, 0x0398, 0x03A9, 0x03B4,
    0x221E, 0x03C6, 0x03B5, 0x2229, 0x2261, 0x00B1, 0x2265, 0x2264, 0x2320,
    0x2321, 0x00F7, 0x2248, 0x00B0, 0x2219, 0x00B7, 0x221A, 0x207F, 0x00B2,
    0x25A0, 0x00A0};

static char *cp437_dup(const unsigned char *s, size_t len)
{
    char *out = malloc(len * 3 + 1);
    char *p = out;
    size_t i;

    if (out == NULL)
        return NULL;
    for (i = 0; i < len; i++) {
        unsigned c = s[i] < 0x80 ? s[i] : cp437[s[i] - 0x80];

        if (c < 0x80) {
            *p++ = (char)c;
        } else if (c < 0x800) {
            *p++ = (char)(0xC0 | c >> 6);
            *p++ = (char)(0x80 | (c & 0x3F));
        } else {
            *p++ = (char)(0xE0 | c >> 12);
            *p++ = (char)(0x80 | ((c >> 6) & 0x3F));
            *p++ = (char)(0x80 | (c & 0x3F));
        }
    }
    *p = '\0';
    return out;
}

/* The entry's name in UTF-8: as stored when valid UTF-8 (whether or not
 * the flag says so: OPC names are), else GB18030 when 'names' asks for
 * it, else CP437. */
static nb_status name_dup(char **out, const unsigned char *raw, size_t len,
                          nb_zip_names names)
{
    *out = NULL;
    if (nb_utf8_valid((const char *)raw, len, NULL)) {
        *out = malloc(len + 1);
        if (*out == NULL)
            return NB_ERR_NOMEM;
        memcpy(*out, raw, len);
        (*out)[len] = '\0';
        return NB_OK;
    }
    if (names == NB_ZIP_NAMES_GB18030) {
        nb_status st = nb_gb18030_dup(out, (const char *)raw, len);

        if (st != NB_ERR_FORMAT)
            return st;
    }
    *out = cp437_dup(raw, len);
    return *out != NULL ? NB_OK : NB_ERR_NOMEM;
}

/* ==== The directory ==== */

/* Where the central directory is and how many entries it has. */
typedef struct dir_loc {
    uint64_t off;
    uint64_t size;
    uint64_t count;
    uint64_t end; /* where the (zip64) end record starts: the CD's limit */
} dir_loc;

/* The zip64 end record that the locator before the end record at 'eocd'
 * points to, into *d. */
static nb_status read_z64_end(const nb_zip_archive *a, uint64_t eocd,
                              dir_loc *d)
{
    unsigned char loc[Z64_LOC_LEN];
    unsigned char rec[Z64_END_LEN];
    uint64_t off;

    if (eocd < Z64_LOC_LEN || !src_read(a, eocd - Z64_LOC_LEN, loc,
                                        Z64_LOC_LEN) ||
        le32(loc) != Z64_LOC_SIG)
        return bad_archive(a, _("the end record asks for zip64 values but "
                                "there is no zip64 end locator"));
    off = le64(loc + 8);
    if (le32(loc + 4) != 0 || le32(loc + 16) > 1)
        return bad_archive(a, _("a split (multi-disk) archive"));
    if (off > eocd - Z64_LOC_LEN ||
        eocd - Z64_LOC_LEN - off < Z64_END_LEN ||
        !src_read(a, off, rec, Z64_END_LEN) || le32(rec) != Z64_END_SIG)
        return bad_archive(a, _("the zip64 end locator points outside the "
                                "archive or to no zip64 end record"));
    if (le32(rec + 16) != 0 || le32(rec + 20) != 0 ||
        le64(rec + 24) != le64(rec + 32))
        return bad_archive(a, _("a split (multi-disk) archive"));
    d->count = le64(rec + 32);
    d->size = le64(rec + 40);
    d->off = le64(rec + 48);
    d->end = off;
    return NB_OK;
}

/* The end of central directory record: the last signature in the tail
 * whose comment ends within the archive. */
static nb_status find_end(const nb_zip_archive *a, dir_loc *d)
{
    size_t tail = a->size < END_LEN + MAX_COMMENT ? (size_t)a->size
                                                  : END_LEN + MAX_COMMENT;
    uint64_t base = a->size - tail;
    unsigned char *owned;
    bool nomem;
    const unsigned char *t = src_view(a, base, tail, &owned, &nomem);
    size_t i;
    const unsigned char *e = NULL;
    nb_status st = NB_OK;

    if (t == NULL)
        return nomem ? nb_diag_nomem(a->dl, a->file)
                     : bad_archive(a, _("the file cannot be read"));
    for (i = tail >= END_LEN ? tail - END_LEN + 1 : 0; i-- > 0;)
        if (le32(t + i) == END_SIG && i + END_LEN + le16(t + i + 20) <= tail) {
            e = t + i;
            break;
        }
    if (e == NULL) {
        free(owned);
        return bad_archive(a, _("no end of central directory record (not "
                                "a zip archive or a truncated one)"));
    }
    d->count = le16(e + 10);
    d->size = le32(e + 12);
    d->off = le32(e + 16);
    d->end = base + i;
    if (le16(e + 4) != 0 || le16(e + 6) != 0 || le16(e + 8) != le16(e + 10))
        st = bad_archive(a, _("a split (multi-disk) archive"));
    else if (d->count == U16_MAX || d->size == U32_MAX || d->off == U32_MAX)
        st = read_z64_end(a, base + i, d);
    free(owned);
    if (st == NB_OK && (d->off > d->end || d->size != d->end - d->off))
        st = bad_archive(a, _("the central directory lies outside the "
                              "archive, or not just before its end record"));
    return st;
}

/* The zip64 extra field of a central header: the values that are
 * 0xFFFFFFFF there, in order. */
static bool z64_extra(nb_zip_dirent *e, const unsigned char *x, size_t len,
                      bool want_u, bool want_c, bool want_off)
{
    while (len >= 4) {
        unsigned id = le16(x);
        size_t n = le16(x + 2);
        const unsigned char *p = x + 4;
        size_t need = 8u * (want_u + want_c + want_off);

        if (n > len - 4)
            return false;
        if (id == 0x0001) {
            if (n < need)
                return false;
            if (want_u) {
                e->usize = le64(p);
                p += 8;
            }
            if (want_c) {
                e->csize = le64(p);
                p += 8;
            }
            if (want_off)
                e->local_off = le64(p);
            return true;
        }
        x += 4 + n;
        len -= 4 + n;
    }
    return !want_u && !want_c && !want_off;
}

/* Central header #i at h[0..left) into e; *used its length. */
static nb_status read_central(nb_zip_archive *a, nb_zip_dirent *e, size_t i,
                              const unsigned char *h, size_t left,
                              size_t *used, nb_zip_names names)
{
    size_t name_len;
    size_t extra_len;
    nb_status st;

    if (left < CENTRAL_LEN || le32(h) != CENTRAL_SIG)
        return bad_entry(a, NULL, i, _("its central header is missing or "
                                       "damaged"));
    name_len = le16(h + 28);
    extra_len = le16(h + 30);
    if (name_len + extra_len + le16(h + 32) > left - CENTRAL_LEN)
        return bad_entry(a, NULL, i, _("its central header runs past the "
                                       "central directory"));
    *used = CENTRAL_LEN + name_len + extra_len + le16(h + 32);
    if (memchr(h + CENTRAL_LEN, '\0', name_len) != NULL || name_len == 0)
        return bad_entry(a, NULL, i, _("its name is empty or holds a NUL "
                                       "byte"));
    st = name_dup(&e->name, h + CENTRAL_LEN, name_len, names);
    if (st != NB_OK)
        return nb_diag_nomem(a->dl, a->file);
    e->raw_name_len = name_len;
    e->flags = le16(h + 8);
    e->method = le16(h + 10);
    e->crc = le32(h + 16);
    e->csize = le32(h + 20);
    e->usize = le32(h + 24);
    e->local_off = le32(h + 42);
    e->is_dir = e->name[strlen(e->name) - 1] == '/';
    if (!z64_extra(e, h + CENTRAL_LEN + name_len, extra_len,
                   e->usize == U32_MAX, e->csize == U32_MAX,
                   e->local_off == U32_MAX))
        return bad_entry(a, e->name, i, _("its zip64 extra field is "
                                          "missing or damaged"));
    if (le16(h + 34) != 0 && le16(h + 34) != U16_MAX)
        return bad_entry(a, e->name, i, _("the entry is on another disk "
                                          "(a split archive)"));
    return NB_OK;
}

/* What nianbao can unpack: not encrypted, stored or deflated, with
 * sizes that agree. */
static nb_status check_method(const nb_zip_archive *a, const nb_zip_dirent *e)
{
    nb_loc loc = {a->file, 0, 0, e->name};

    if (e->flags & (FLAG_ENCRYPTED | FLAG_STRONG))
        return bad_entry(a, e->name, 0, _("the entry is encrypted: nianbao "
                                          "reads no encrypted archive"));
    if (e->method != METHOD_STORED && e->method != METHOD_DEFLATE) {
        nb_diag_add(a->dl, a->corrupt, &loc,
                    _("the entry is compressed with method %u (%s): nianbao "
                      "reads only stored (0) and deflated (8) entries; save "
                      "the file again with its usual program"),
                    e->method, method_name(e->method));
        return NB_ERR_FORMAT;
    }
    if (e->method == METHOD_STORED && e->csize != e->usize)
        return bad_entry(a, e->name, 0, _("a stored entry whose packed and "
                                          "unpacked sizes differ"));
    return NB_OK;
}

/* The local header of e: the same name and method, sizes and CRC-32 that
 * agree where it gives them, and data that lies before the central
 * directory. Sets e->data_off. */
static nb_status check_local(nb_zip_archive *a, nb_zip_dirent *e,
                             const unsigned char *raw_name)
{
    unsigned char h[LOCAL_LEN];
    unsigned char name[U16_MAX];
    uint64_t off;
    uint32_t csize;
    uint32_t usize;

    if (e->local_off > a->cd_off || a->cd_off - e->local_off < LOCAL_LEN ||
        !src_read(a, e->local_off, h, LOCAL_LEN) || le32(h) != LOCAL_SIG)
        return bad_entry(a, e->name, 0, _("its local header is missing: "
                                          "the central directory points "
                                          "elsewhere"));
    off = e->local_off + LOCAL_LEN + le16(h + 26) + le16(h + 28);
    if (le16(h + 26) != e->raw_name_len || off > a->cd_off ||
        !src_read(a, e->local_off + LOCAL_LEN, name, e->raw_name_len) ||
        memcmp(name, raw_name, e->raw_name_len) != 0)
        return bad_entry(a, e->name, 0, _("its local header names another "
                                          "entry"));
    csize = le32(h + 18);
    usize = le32(h + 22);
    if (le16(h + 8) != e->method ||
        ((le16(h + 6) & FLAG_DESCRIPTOR) == 0 &&
         (le32(h + 14) != e->crc ||
          (csize != U32_MAX && csize != e->csize) ||
          (usize != U32_MAX && usize != e->usize))))
        return bad_entry(a, e->name, 0, _("its local header and the central "
                                          "directory disagree on its method, "
                                          "sizes or CRC-32"));
    if (e->csize > a->cd_off - off)
        return bad_entry(a, e->name, 0, _("its data runs into the central "
                                          "directory or past the end of "
                                          "the archive"));
    e->data_off = off;
    return NB_OK;
}

static int by_offset(const void *x, const void *y)
{
    const nb_zip_dirent *a = *(const nb_zip_dirent *const *)x;
    const nb_zip_dirent *b = *(const nb_zip_dirent *const *)y;

    return a->local_off < b->local_off ? -1 : a->local_off > b->local_off;
}

static int by_name(const void *x, const void *y)
{
    const nb_zip_dirent *a = *(const nb_zip_dirent *const *)x;
    const nb_zip_dirent *b = *(const nb_zip_dirent *const *)y;
    int c = nb_ascii_casecmp(a->name, b->name);

    return c != 0 ? c : (a < b ? -1 : a > b);
}

/* No two entries' bytes overlap, and no name is there twice (OPC part
 * names ignore ASCII case). */
static nb_status check_overlap_dups(nb_zip_archive *a)
{
    nb_zip_dirent **s;
    size_t i;
    nb_status st = NB_OK;

    if (a->n < 2)
        return NB_OK;
    s = malloc(a->n * sizeof(*s));
    if (s == NULL)
        return nb_diag_nomem(a->dl, a->file);
    for (i = 0; i < a->n; i++)
        s[i] = &a->v[i];
    qsort(s, a->n, sizeof(*s), by_offset);
    for (i = 0; i + 1 < a->n && st == NB_OK; i++)
        if (s[i]->data_off + s[i]->csize > s[i + 1]->local_off)
            st = bad_entry(a, s[i + 1]->name, 0,
                           _("its bytes overlap another entry's (a zip "
                             "bomb, or a damaged archive)"));
    qsort(s, a->n, sizeof(*s), by_name);
    for (i = 0; i + 1 < a->n && st == NB_OK; i++)
        if (!s[i]->is_dir && nb_ascii_casecmp(s[i]->name, s[i + 1]->name) == 0) {
            nb_loc loc = {a->file, 0, 0, s[i + 1]->name};

            nb_diag_add(a->dl, NB_ZIP_BAD_NAME, &loc, "%s",
                        _("entry name appears twice in the archive"));
            st = NB_ERR_FORMAT;
        }
    free(s);
    return st;
}

/* Every central header of the directory at d, then each entry's local
 * header. */
static nb_status read_dir(nb_zip_archive *a, const dir_loc *d,
                          nb_zip_names names)
{
    unsigned char *owned;
    bool nomem;
    const unsigned char *cd = src_view(a, d->off, (size_t)d->size, &owned,
                                       &nomem);
    size_t pos = 0;
    size_t i;
    nb_status st = NB_OK;

    if (cd == NULL)
        return nomem ? nb_diag_nomem(a->dl, a->file)
                     : bad_archive(a, _("the central directory cannot be "
                                        "read"));
    a->cd_off = d->off;
    for (i = 0; i < (size_t)d->count && st == NB_OK; i++) {
        size_t used = 0;

        st = read_central(a, &a->v[i], i, cd + pos, (size_t)d->size - pos,
                          &used, names);
        if (st == NB_OK)
            st = check_method(a, &a->v[i]);
        if (st == NB_OK)
            st = check_local(a, &a->v[i], cd + pos + CENTRAL_LEN);
        a->n = i + 1;
        pos += used;
    }
    if (st == NB_OK && pos != d->size)
        st = bad_archive(a, _("the central directory holds more entries "
                              "than its end record counts"));
    free(owned);
    return st == NB_OK ? check_overlap_dups(a) : st;
}

static nb_status open_dir(nb_zip_archive *a, const nb_limits *lim,
                          nb_zip_names names)
{
    nb_loc loc = {a->file, 0, 0, NULL};
    dir_loc d = {0, 0, 0, 0};
    nb_status st = find_end(a, &d);

    if (st != NB_OK)
        return st;
    if (d.count > lim->max_zip_entries) {
        nb_diag_add(a->dl, NB_LIMIT_ZIP, &loc,
                    _("archive has %jd entries, more than the limit of %zu"),
                    (intmax_t)d.count, lim->max_zip_entries);
        return NB_ERR_LIMIT;
    }
    if (d.count > d.size / CENTRAL_LEN)
        return bad_archive(a, _("the end record counts more entries than "
                                "the central directory can hold"));
    a->v = calloc((size_t)d.count + 1, sizeof(*a->v));
    if (a->v == NULL)
        return nb_diag_nomem(a->dl, a->file);
    return read_dir(a, &d, names);
}

nb_status nb_zip_open(nb_zip_archive **out, const nb_zip_source *src,
                      const nb_limits *lim, nb_diag_list *dl)
{
    nb_zip_archive *a = calloc(1, sizeof(*a));
    nb_status st;

    *out = NULL;
    if (a == NULL)
        return nb_diag_nomem(dl, src->file);
    a->mem = src->data;
    a->fd = src->fd;
    a->size = src->data != NULL ? (uint64_t)src->len : src->file_size;
    a->file = src->file;
    a->corrupt = src->corrupt != 0 ? src->corrupt : NB_ZIP_CORRUPT;
    a->not_zip = src->not_zip != NULL ? src->not_zip
                                      : _("not a readable zip archive");
    a->dl = dl;
    if (a->mem == NULL && a->fd < 0)
        a->size = 0;
    st = open_dir(a, lim, src->names);
    if (st != NB_OK) {
        nb_zip_close(a);
        return st;
    }
    *out = a;
    return NB_OK;
}

void nb_zip_close(nb_zip_archive *a)
{
    size_t i;

    if (a == NULL)
        return;
    for (i = 0; i < a->n; i++)
        free(a->v[i].name);
    free(a->v);
    libdeflate_free_decompressor(a->dec);
    free(a);
}

size_t nb_zip_count(const nb_zip_archive *a)
{
    return a->n;
}

const nb_zip_dirent *nb_zip_at(const nb_zip_archive *a, size_t i)
{
    return i < a->n ? &a->v[i] : NULL;
}

long nb_zip_find(const nb_zip_archive *a, const char *name)
{
    size_t i;

    for (i = 0; i < a->n; i++)
        if (nb_ascii_casecmp(a->v[i].name, name) == 0)
            return (long)i;
    return -1;
}

/* ==== Unpacking whole ==== */

static nb_status size_lie(const nb_zip_archive *a, const nb_zip_dirent *e)
{
    nb_loc loc = {a->file, 0, 0, e->name};

    nb_diag_add(a->dl, a->corrupt, &loc,
                _("entry unpacks to a size other than the %zu bytes its "
                  "header declares"),
                (size_t)e->usize);
    return NB_ERR_FORMAT;
}

static nb_status crc_wrong(const nb_zip_archive *a, const nb_zip_dirent *e,
                           uint32_t got)
{
    nb_loc loc = {a->file, 0, 0, e->name};

    nb_diag_add(a->dl, a->corrupt, &loc,
                _("entry is damaged: its CRC-32 is %08x, its header says "
                  "%08x"),
                (unsigned)got, (unsigned)e->crc);
    return NB_ERR_FORMAT;
}

/* Inflate e's stream p[0..len) into buf (exactly e->usize bytes). */
static nb_status inflate_whole(nb_zip_archive *a, const nb_zip_dirent *e,
                               const unsigned char *p, size_t len,
                               unsigned char *buf, size_t *used)
{
    size_t got = 0;
    enum libdeflate_result res;

    if (a->dec == NULL && (a->dec = libdeflate_alloc_decompressor()) == NULL)
        return nb_diag_nomem(a->dl, a->file);
    res = libdeflate_deflate_decompress_ex(a->dec, p, len, buf,
                                           (size_t)e->usize, used, &got);
    if (res == LIBDEFLATE_INSUFFICIENT_SPACE ||
        (res == LIBDEFLATE_SUCCESS && got != e->usize))
        return size_lie(a, e);
    if (res != LIBDEFLATE_SUCCESS)
        return bad_entry(a, e->name, 0, _("entry is damaged: its deflate "
                                          "stream is invalid"));
    return NB_OK;
}

nb_status nb_zip_extract(nb_zip_archive *a, size_t i, unsigned char **out,
                         size_t *len_out, nb_zip_blob *keep)
{
    const nb_zip_dirent *e = &a->v[i];
    unsigned char *owned = NULL;
    bool nomem = false;
    const unsigned char *p;
    unsigned char *buf = NULL;
    size_t used = 0;
    uint32_t crc;
    nb_status st = NB_OK;

    *out = NULL;
    *len_out = 0;
    if (keep != NULL)
        memset(keep, 0, sizeof(*keep));
    if (e->usize > SIZE_MAX - 2)
        return size_lie(a, e);
    p = src_view(a, e->data_off, (size_t)e->csize, &owned, &nomem);
    if (p == NULL)
        return nomem ? nb_diag_nomem(a->dl, a->file)
                     : bad_entry(a, e->name, 0, _("its data cannot be read"));
    buf = malloc((size_t)e->usize + 2);
    if (buf == NULL)
        st = nb_diag_nomem(a->dl, a->file);
    else if (e->method == METHOD_STORED)
        memcpy(buf, p, (size_t)e->usize);
    else
        st = inflate_whole(a, e, p, (size_t)e->csize, buf, &used);
    if (st == NB_OK &&
        (crc = (uint32_t)libdeflate_crc32(0, buf, (size_t)e->usize)) != e->crc)
        st = crc_wrong(a, e, crc);
    /* a stream with bytes after its end is not copied as it is */
    if (st == NB_OK && keep != NULL && e->method == METHOD_DEFLATE &&
        used == e->csize) {
        keep->data = owned != NULL ? owned : malloc(used > 0 ? used : 1);
        if (keep->data == NULL) {
            st = nb_diag_nomem(a->dl, a->file);
        } else {
            if (owned == NULL)
                memcpy(keep->data, p, used);
            owned = NULL;
            keep->len = used;
            keep->ulen = (size_t)e->usize;
            keep->crc = e->crc;
        }
    }
    free(owned);
    if (st != NB_OK) {
        free(buf);
        return st;
    }
    buf[e->usize] = '\0';
    *out = buf;
    *len_out = (size_t)e->usize;
    return NB_OK;
}

/* ==== Unpacking in chunks ==== */

struct nb_zip_stream {
    nb_zip_archive *a;
    const nb_zip_dirent *e;
    uint64_t in_off; /* next packed byte to read */
    uint64_t in_left;
    uint64_t out; /* bytes unpacked so far */
    uint32_t crc;
    bool ended;
    z_stream z;
    bool z_init;
    unsigned char in[CHUNK];
};

nb_status nb_zip_stream_open(nb_zip_stream **out, nb_zip_archive *a,
                             size_t i)
{
    nb_zip_stream *s = calloc(1, sizeof(*s));

    *out = NULL;
    if (s == NULL)
        return nb_diag_nomem(a->dl, a->file);
    s->a = a;
    s->e = &a->v[i];
    s->in_off = s->e->data_off;
    s->in_left = s->e->csize;
    if (s->e->method == METHOD_DEFLATE) {
        if (inflateInit2(&s->z, -MAX_WBITS) != Z_OK) {
            free(s);
            return nb_diag_nomem(a->dl, a->file);
        }
        s->z_init = true;
    }
    *out = s;
    return NB_OK;
}

/* More packed bytes for zlib, when it has used what it had. */
static bool stream_feed(nb_zip_stream *s)
{
    size_t n = s->in_left < CHUNK ? (size_t)s->in_left : CHUNK;

    if (s->z.avail_in > 0 || n == 0)
        return true;
    if (s->a->mem != NULL) {
        s->z.next_in = (unsigned char *)(uintptr_t)(s->a->mem + s->in_off);
    } else {
        if (!src_read(s->a, s->in_off, s->in, n))
            return false;
        s->z.next_in = s->in;
    }
    s->z.avail_in = (uInt)n;
    s->in_off += n;
    s->in_left -= n;
    return true;
}

/* Up to len unpacked bytes of a deflated entry into buf. */
static nb_status stream_inflate(nb_zip_stream *s, unsigned char *buf,
                                size_t len, size_t *got)
{
    int r;

    s->z.next_out = buf;
    s->z.avail_out = (uInt)len;
    do {
        if (!stream_feed(s))
            return bad_entry(s->a, s->e->name, 0,
                             _("its data cannot be read"));
        if (s->z.avail_in == 0 && s->in_left == 0)
            return bad_entry(s->a, s->e->name, 0,
                             _("entry is damaged: its deflate stream ends "
                               "early"));
        r = inflate(&s->z, Z_NO_FLUSH);
        if (r != Z_OK && r != Z_STREAM_END && r != Z_BUF_ERROR)
            return bad_entry(s->a, s->e->name, 0,
                             _("entry is damaged: its deflate stream is "
                               "invalid"));
    } while (r != Z_STREAM_END && s->z.avail_out > 0);
    *got = len - s->z.avail_out;
    s->ended = r == Z_STREAM_END;
    return NB_OK;
}

nb_status nb_zip_stream_read(nb_zip_stream *s, void *buf, size_t len,
                             size_t *got)
{
    const nb_zip_dirent *e = s->e;
    nb_status st = NB_OK;

    *got = 0;
    if (len > CHUNK)
        len = CHUNK;
    if (e->method == METHOD_STORED) {
        size_t n = s->in_left < len ? (size_t)s->in_left : len;

        if (!src_read(s->a, s->in_off, buf, n))
            return bad_entry(s->a, e->name, 0, _("its data cannot be read"));
        s->in_off += n;
        s->in_left -= n;
        s->ended = s->in_left == 0;
        *got = n;
    } else if (!s->ended) {
        st = stream_inflate(s, buf, len, got);
    }
    if (st != NB_OK)
        return st;
    s->out += *got;
    if (s->out > e->usize)
        return size_lie(s->a, e);
    s->crc = (uint32_t)libdeflate_crc32(s->crc, buf, *got);
    if (*got == 0) {
        /* the end: all of it, and what it should be */
        if (!s->ended || s->out != e->usize)
            return size_lie(s->a, e);
        if (s->crc != e->crc)
            return crc_wrong(s->a, e, s->crc);
    }
    return NB_OK;
}

void nb_zip_stream_close(nb_zip_stream *s)
{
    if (s == NULL)
        return;
    if (s->z_init)
        inflateEnd(&s->z);
    free(s);
}
