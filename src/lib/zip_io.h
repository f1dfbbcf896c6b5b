/* zip_io.h: reading and writing zip packages (OPC): zip_read.c reads
 * them, zip_io.c unpacks them whole with limits and writes them. */
#ifndef NIANBAO_SRC_LIB_ZIP_IO_H
#define NIANBAO_SRC_LIB_ZIP_IO_H

#include "internal.h"

typedef struct nb_zip_entry {
    char *name;          /* part name as stored, e.g. "word/document.xml" */
    unsigned char *data; /* unpacked bytes (NUL-terminated for convenience) */
    size_t len;
    unsigned char *packed; /* nb_zip_read_template: the entry's deflate
                              stream as stored, exactly what inflated to
                              'data'; NULL when not deflated */
    size_t packed_len;
    uint32_t crc; /* CRC-32 of 'data', when 'packed' */
} nb_zip_entry;

/* How the names of entries without the UTF-8 flag (general purpose bit
 * 11) are read. */
typedef enum nb_zip_names {
    NB_ZIP_NAMES_GUESS = 0,  /* UTF-8 if valid, else CP437, as
                                APPNOTE.TXT says (OPC packages) */
    NB_ZIP_NAMES_GB18030 = 1 /* UTF-8 if valid, else GB18030, else as
                                GUESS: zips made on Chinese Windows store
                                names in GBK without the flag */
} nb_zip_names;

/* ==== The reader (zip_read.c) ==== */

/* An entry of the central directory, checked against its local header. */
typedef struct nb_zip_dirent {
    char *name; /* in UTF-8, decoded as nb_zip_source.names says */
    size_t raw_name_len;
    uint64_t csize; /* packed size */
    uint64_t usize; /* unpacked size, as declared */
    uint64_t local_off; /* its local header */
    uint64_t data_off;  /* its packed bytes */
    uint32_t crc;
    unsigned flags;
    unsigned method; /* 0 stored or 8 deflated: no other is let in */
    bool is_dir;     /* the name ends in '/' */
} nb_zip_dirent;

/* Where an archive is: 'data' (len bytes), or when that is NULL the
 * regular file open on 'fd' (file_size bytes), read as it is unpacked. */
typedef struct nb_zip_source {
    const void *data;
    size_t len;
    int fd;
    uint64_t file_size;
    const char *file; /* the archive in messages */
    nb_zip_names names;
    nb_code corrupt;     /* a damaged archive's code; 0: NB_ZIP_CORRUPT */
    const char *not_zip; /* what a damaged archive is said to be; NULL:
                            "not a readable zip archive" */
} nb_zip_source;

typedef struct nb_zip_archive nb_zip_archive;

/* Read and check the archive's directory (the file or buffer must outlive
 * the archive). Entry count bounded by lim->max_zip_entries; duplicate
 * names (ASCII case ignored), overlapping entries, encrypted ones and
 * methods other than stored and deflate refused, each reported naming
 * the entry. */
nb_status nb_zip_open(nb_zip_archive **out, const nb_zip_source *src,
                      const nb_limits *lim, nb_diag_list *dl);
void nb_zip_close(nb_zip_archive *a);
size_t nb_zip_count(const nb_zip_archive *a);
const nb_zip_dirent *nb_zip_at(const nb_zip_archive *a, size_t i);
/* The index of the entry named 'name' (ASCII case ignored), or -1. */
long nb_zip_find(const nb_zip_archive *a, const char *name);

struct nb_zip_blob;
/* Entry i unpacked whole into *out (free(); NUL-terminated), its size and
 * CRC-32 checked. The caller bounds its declared size (usize) first. With
 * 'keep' a deflated entry's stream is also copied into it (empty when the
 * entry is stored or its stream has bytes after its end). */
nb_status nb_zip_extract(nb_zip_archive *a, size_t i, unsigned char **out,
                         size_t *len_out, struct nb_zip_blob *keep);

/* Entry i unpacked in chunks: nb_zip_stream_read gives up to len bytes
 * (at most 64 KiB), 0 at the end, where its size and CRC-32 are checked;
 * never more than the declared size. */
typedef struct nb_zip_stream nb_zip_stream;
nb_status nb_zip_stream_open(nb_zip_stream **out, nb_zip_archive *a,
                             size_t i);
nb_status nb_zip_stream_read(nb_zip_stream *s, void *buf, size_t len,
                             size_t *got);
void nb_zip_stream_close(nb_zip_stream *s);

/* ==== Unpacking whole, with limits (zip_io.c) ==== */

/* Unpack every file entry of the zip archive in data[0..len), in archive
 * order, checking the limits before reading anything: entry count, each
 * entry's declared and actual size, the total. Folder entries are skipped;
 * absolute, "..", backslash and duplicate names are refused (once decoded
 * as 'names' says). Errors are reported against 'file'. On NB_OK the
 * caller frees with nb_zip_entries_free(). */
nb_status nb_zip_read_entries(nb_zip_entry **out, size_t *n_out,
                              const void *data, size_t len, const char *file,
                              const nb_limits *lim, nb_zip_names names,
                              nb_diag_list *dl);

/* nb_zip_read_entries with NB_ZIP_NAMES_GUESS: a template's parts. */
nb_status nb_zip_read_all(nb_zip_entry **out, size_t *n_out, const void *data,
                          size_t len, const char *file, const nb_limits *lim,
                          nb_diag_list *dl);
/* nb_zip_read_all that unpacks only the entries named in 'want' (a
 * NULL-ended list); the others are listed and checked against the limits
 * as they are, with no data (a draft's pictures are never unpacked). */
nb_status nb_zip_read_some(nb_zip_entry **out, size_t *n_out, const void *data,
                           size_t len, const char *file, const nb_limits *lim,
                           const char *const *want, nb_diag_list *dl);
/* nb_zip_read_all that also keeps each deflated entry's stream
 * (nb_zip_entry.packed): a template's parts copied unchanged are written
 * into every render as the template stored them, never deflated again. */
nb_status nb_zip_read_template(nb_zip_entry **out, size_t *n_out,
                               const void *data, size_t len, const char *file,
                               const nb_limits *lim, nb_diag_list *dl);
void nb_zip_entries_free(nb_zip_entry *v, size_t n);

/* An entry deflated once, to be written into many packages (the parts a
 * template copies unchanged). */
typedef struct nb_zip_blob {
    unsigned char *data; /* raw deflate stream */
    size_t len;          /* compressed size */
    size_t ulen;         /* uncompressed size */
    uint32_t crc;        /* CRC-32 of the uncompressed bytes */
} nb_zip_blob;

/* Deflate state (libdeflate's compressor), made once and used for every
 * part of a package or a template. Not shared between threads. */
typedef struct nb_zip_deflater nb_zip_deflater;

/* NULL when out of memory. */
nb_zip_deflater *nb_zip_deflater_new(void);
void nb_zip_deflater_free(nb_zip_deflater *z);

/* Deflate data[0..len) into *out with z (caller frees with
 * nb_zip_blob_fini). */
nb_status nb_zip_blob_make(nb_zip_blob *out, nb_zip_deflater *z,
                           const void *data, size_t len);
/* The blob of an entry read by nb_zip_read_template: its stored stream,
 * taken from 'e' (which keeps its unpacked bytes); false when it has
 * none. */
bool nb_zip_blob_take(nb_zip_blob *out, nb_zip_entry *e);
void nb_zip_blob_fini(nb_zip_blob *b);

/* A package being written in memory, reproducibly: entries keep the order
 * they are added in, all carry the same DOS timestamp (1980-01-01) and no
 * extra fields, and are deflated whole by libdeflate (level 6). Sizes are
 * limited to the classic (non-ZIP64) format: 4 GiB, 65535 entries. */
typedef struct nb_zip_writer nb_zip_writer;

nb_status nb_zip_writer_new(nb_zip_writer **out, nb_diag_list *dl);
/* Deflate and add an entry. With 'take' the writer frees 'data' (malloc'd)
 * even on failure. */
nb_status nb_zip_writer_add(nb_zip_writer *w, const char *name,
                            const void *data, size_t len, bool take);
/* Add an entry deflated beforehand; the blob is copied. */
nb_status nb_zip_writer_add_blob(nb_zip_writer *w, const char *name,
                                 const nb_zip_blob *blob);
/* Finish the archive; *out (nb_free) holds its bytes. The writer is freed,
 * whatever the result. */
nb_status nb_zip_writer_finish(nb_zip_writer *w, void **out, size_t *len_out);
void nb_zip_writer_free(nb_zip_writer *w);

#endif /* NIANBAO_SRC_LIB_ZIP_IO_H */
