/* csv_io.h: streaming CSV reading with encoding detection, and CSV
 * writing the way Excel and WPS read it.
 *
 * Reading is libcsv's tokenizer over the raw bytes (the delimiters are
 * ASCII, and no GB18030 or UTF-8 byte sequence contains them), one row in
 * memory at a time; each cell is then decoded to UTF-8 and checked, so a
 * bad byte is reported with its row and column.
 */
#ifndef NIANBAO_SRC_LIB_CSV_IO_H
#define NIANBAO_SRC_LIB_CSV_IO_H

#include "internal.h"

/* One row, as the row callback sees it. Borrowed: valid during the call. */
typedef struct nb_csv_row {
    uint32_t row;             /* the row number Excel shows; 1 = first */
    size_t n;                 /* cells */
    const char *const *cells; /* UTF-8, NUL-terminated, trimmed of blanks;
                                 CRLF and CR inside made LF */
    const size_t *lens;       /* byte lengths */
    const bool *bad;          /* the cell had bytes that were reported */
} nb_csv_row;

/* Called for every row that has at least one non-blank cell; the first
 * one is the header. Return false to stop reading. */
typedef bool (*nb_csv_row_fn)(const nb_csv_row *row, void *payload);

typedef struct nb_csv_opts {
    nb_encoding encoding;  /* NB_ENC_AUTO: BOM, then UTF-8, then GB18030 */
    size_t max_cell_bytes; /* default NB_DEFAULT_MAX_CELL_BYTES */
    size_t max_cells;      /* cells in a row; NB_DEFAULT_MAX_ROW_CELLS */
    size_t max_bytes;      /* the whole file; 0 = no limit (streaming) */
    const char *data;      /* not NULL: read data[0..data_len) (a zip
                              entry) instead of the file; borrowed */
    size_t data_len;
    const char *set_dir;   /* not NULL: 'path' is a form of the set in this
                              folder, opened by nb_open_in_set() */
    /* not NULL: the rows come from rows(rows_ctx, ...) (a sheet of a
       workbook, xlsx_sheet.c) instead of CSV; cells are then located by
       their A1 reference. nb_form_read uses it; nb_csv_read does not. */
    nb_status (*rows)(void *rows_ctx, nb_csv_row_fn fn, void *payload,
                      nb_diag_list *dl);
    void *rows_ctx;
} nb_csv_opts;

/* Read 'path' row by row, or opts->data when it is set ('path' then only
 * names it in messages). Undecodable bytes, control characters and
 * unclosed quotes are reported (NB_CSV_*) against the row and column;
 * header names, once read, name the columns in messages. Returns NB_OK
 * when the file was read to its end (findings or not), NB_ERR_FORMAT when
 * it cannot be read as CSV at all (UTF-16: reported), NB_ERR_IO,
 * NB_ERR_LIMIT (a cap hit: reported) or NB_ERR_NOMEM. *enc_out, if not
 * NULL, gets the encoding used. */
nb_status nb_csv_read(const char *path, const nb_csv_opts *opts,
                      nb_csv_row_fn fn, void *payload, nb_encoding *enc_out,
                      nb_diag_list *dl);

/* The column name for messages: the header cell, or "column N". */
const char *nb_csv_column_name(char *buf, size_t size, const nb_csv_row *hdr,
                               size_t col);

/* ==== Writing ==== */

/* Append one cell to 'b', quoted when it holds a comma, quote, CR, LF or
 * leading/trailing space (RFC 4180); LF inside a cell becomes CRLF. A
 * cell beginning with = + - @, a tab or a CR would be a formula to Excel
 * and WPS: it gets a leading apostrophe, as they write such text
 * themselves, unless it is a plain figure (-3, +2.5, -41.50%), which
 * Excel reads as the number it is. A text that really begins with
 * apostrophes before one of those characters gets one more, so that
 * reading undoes exactly what writing did (nb_csv_unescape). */
void nb_csv_cell(nb_buf *b, const char *s);

/* As nb_csv_cell, for names and text of the summaries: plain figures
 * get the apostrophe too, so that an office named "-3" stays text. */
void nb_csv_cell_text(nb_buf *b, const char *s);

/* 1 when the cell s[0..len) begins with the apostrophe nb_csv_cell puts
 * before a formula-like text (then the text is s + 1), else 0.
 * nb_csv_read drops it from every cell it reads. */
size_t nb_csv_unescape(const char *s, size_t len);

/* End a row: CRLF, as Excel writes. */
void nb_csv_end_row(nb_buf *b);

/* Convert a UTF-8 buffer for writing in 'enc' (UTF-8: a BOM is put in
 * front, so that Excel and WPS open it as UTF-8). Caller frees *out with
 * free(). NB_ERR_FORMAT when a character has no GB18030 form (reported
 * against 'path'). */
nb_status nb_csv_encode(char **out, size_t *len_out, const char *data,
                        size_t len, nb_encoding enc, const char *path,
                        nb_diag_list *dl);

#endif /* NIANBAO_SRC_LIB_CSV_IO_H */
