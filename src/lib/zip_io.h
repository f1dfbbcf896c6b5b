/* zip_io.h: reading and writing zip packages (OPC) with libzip. */
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
    NB_ZIP_NAMES_GUESS = 0,  /* libzip's guess: UTF-8 if valid, else CP437,
                                as APPNOTE.TXT says (OPC packages) */
    NB_ZIP_NAMES_GB18030 = 1 /* UTF-8 if valid, else GB18030, else as
                                GUESS: zips made on Chinese Windows store
                                names in GBK without the flag */
} nb_zip_names;

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
