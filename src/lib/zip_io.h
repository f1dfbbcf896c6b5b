/* zip_io.h: reading and writing zip packages (OPC) with libzip. */
#ifndef NIANBAO_SRC_LIB_ZIP_IO_H
#define NIANBAO_SRC_LIB_ZIP_IO_H

#include "internal.h"

typedef struct nb_zip_entry {
    char *name;          /* part name as stored, e.g. "word/document.xml" */
    unsigned char *data; /* unpacked bytes (NUL-terminated for convenience) */
    size_t len;
} nb_zip_entry;

/* Unpack every file entry of the zip archive in data[0..len), in archive
 * order, checking the limits before reading anything: entry count, each
 * entry's declared and actual size, the total. Folder entries are skipped;
 * absolute, "..", backslash and duplicate names are refused. Errors are
 * reported against 'file'. On NB_OK the caller frees with
 * nb_zip_entries_free(). */
nb_status nb_zip_read_all(nb_zip_entry **out, size_t *n_out, const void *data,
                          size_t len, const char *file, const nb_limits *lim,
                          nb_diag_list *dl);
void nb_zip_entries_free(nb_zip_entry *v, size_t n);

/* A package being written in memory, reproducibly: entries keep the order
 * they are added in and all carry the same DOS timestamp (1980-01-01). */
typedef struct nb_zip_writer nb_zip_writer;

nb_status nb_zip_writer_new(nb_zip_writer **out, nb_diag_list *dl);
/* Add a deflated entry. With 'take' the writer frees 'data' (malloc'd) even
 * on failure; without it, 'data' must live until nb_zip_writer_finish. */
nb_status nb_zip_writer_add(nb_zip_writer *w, const char *name,
                            const void *data, size_t len, bool take);
/* Close the archive; *out (nb_free) holds its bytes. The writer is freed. */
nb_status nb_zip_writer_finish(nb_zip_writer *w, void **out, size_t *len_out);
void nb_zip_writer_free(nb_zip_writer *w);

#endif /* NIANBAO_SRC_LIB_ZIP_IO_H */
