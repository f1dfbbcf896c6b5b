/* form.h: CSV forms checked against their schemas (schemas/forms/ JSON,
 * Frictionless Table Schema), one row at a time.
 *
 * A form's header names its columns by field name or Chinese title; every
 * data row is checked cell by cell (required, type, enum, pattern, range,
 * length, key uniqueness) and handed on with normalised values: enum
 * labels mapped to codes, numbers without group separators or full-width
 * digits, dates as YYYY-MM-DD.
 */
#ifndef NIANBAO_SRC_LIB_FORM_H
#define NIANBAO_SRC_LIB_FORM_H

#include "csv_io.h"

#include <libxml/xmlregexp.h>

typedef enum nb_form_id {
    NB_FORM_META = 0,
    NB_FORM_NARRATIVE = 1,
    NB_FORM_METRICS = 2,
    NB_N_FORMS = 3
} nb_form_id;

typedef enum nb_ftype {
    NB_FT_STRING,
    NB_FT_INTEGER,
    NB_FT_NUMBER,
    NB_FT_DATE
} nb_ftype;

typedef struct nb_field {
    const char *name;  /* "value" */
    const char *title; /* "数值" */
    nb_ftype type;
    bool required;        /* the cell may not be empty */
    bool optional_column; /* the column may be left out of the header */
    bool percent;         /* "bareNumber": false: a trailing % is allowed */
    bool approximate;     /* "approximate": true: 1万余, 近千 (figures.h) */
    bool has_min;
    bool has_max;
    double min;
    double max;
    size_t max_length; /* in characters; 0 = none */
    const char *pattern_src;
    xmlRegexpPtr pattern; /* XML Schema regex, as Frictionless uses */
    const char **enum_vals;
    const char **enum_codes; /* the code each enum value stands for */
    size_t n_enum;
} nb_field;

typedef struct nb_form_schema {
    nb_arena *arena;
    nb_form_id id;
    const char *name;  /* "metrics": the file is metrics.csv */
    const char *title; /* "指标": or 指标.csv */
    nb_field *fields;
    size_t n_fields;
    size_t pk[4]; /* primary key fields */
    size_t n_pk;
} nb_form_schema;

/* Load a built-in form schema. Caller frees with nb_form_schema_free. */
nb_status nb_form_schema_load(nb_form_schema **out, nb_form_id id,
                              nb_diag_list *dl);
void nb_form_schema_free(nb_form_schema *s);

/* The form a file's base name is ("metrics.csv", "指标.csv"), or -1. */
int nb_form_by_filename(const char *base);

/* One data row of a form. Borrowed: valid during the callback. */
typedef struct nb_form_row {
    uint32_t row;
    const char *const *val; /* per field: normalised value, NULL if empty */
    const char *const *raw; /* per field: the cell trimmed, NULL if empty */
    const bool *bad;        /* per field: a finding was reported */
    const char *const *col; /* per field: its column as the header names it */
    const char *path;
} nb_form_row;

typedef bool (*nb_form_row_fn)(const nb_form_row *row, void *payload);

/* Read 'path' as form 's': header checks, then every row checked and
 * handed to 'fn'. 'key_default' stands for an empty first field of a
 * composite primary key (a form set's issuer for an empty 填报单位), or
 * NULL. Findings go to 'dl'; returns as nb_csv_read. */
nb_status nb_form_read(const char *path, const nb_form_schema *s,
                       const nb_csv_opts *o, const char *key_default,
                       nb_form_row_fn fn, void *payload, nb_diag_list *dl);

/* ==== Form sets (read_forms.c) ==== */

/* The files of a form set, found in a folder or in a zip. */
typedef struct nb_form_files {
    char *path[NB_N_FORMS];       /* each form's name in messages
                                     ("dir/meta.csv", "a.zip/meta.csv"),
                                     or NULL; owned */
    const char *data[NB_N_FORMS]; /* its bytes (a zip entry), borrowed;
                                     NULL: read the file at path */
    size_t len[NB_N_FORMS];
    /* not NULL: the form is a sheet of a workbook, its rows read by
       rows(rows_ctx, ...) (nb_csv_opts.rows) */
    nb_status (*rows[NB_N_FORMS])(void *rows_ctx, nb_csv_row_fn fn,
                                  void *payload, nb_diag_list *dl);
    void *rows_ctx[NB_N_FORMS];
} nb_form_files;

/* A file of a form set's folder, 'base' its name there: kept when it is
 * a form; reported when it is a second file of the same form, or a CSV
 * file that is no form; otherwise ignored. Takes ownership of 'path',
 * even on failure; 'data' (or NULL) as in nb_form_files. */
void nb_form_files_add(nb_form_files *ff, const char *base, char *path,
                       const char *data, size_t len, nb_diag_list *dl);
void nb_form_files_fini(nb_form_files *ff);

/* True for a file no form set holds: hidden ones (.DS_Store) and Office's
 * lock files (~$meta.csv). */
bool nb_form_ignored_name(const char *base);

/* Read the forms found (a missing meta or narrative form is reported
 * against 'set', the folder or the zip). Results as
 * nb_report_read_forms. */
nb_status nb_form_files_read(nb_report **out, const nb_form_files *ff,
                             const char *set, const nb_read_opts *opts,
                             nb_diag_list *dl);

/* Check one form on its own, streaming, as nb_form_validate does once
 * the form is known: 'o' says where its rows come from. */
nb_status nb_form_check(const char *path, nb_form_id id, const nb_csv_opts *o,
                        const nb_read_opts *opts, nb_diag_list *dl);

/* The A1 name of a cell, "C14", from its 0-based column and its row;
 * 'buf' holds at least 16 bytes. */
const char *nb_cell_ref(char *buf, size_t size, size_t col, uint32_t row);

/* The forms of 'r' as UTF-8 CSV without a BOM, into bufs (meta,
 * narrative, metrics; each initialised here, the caller finishes them
 * with nb_buf_fini); 'r' NULL: the blank forms of init, with 'issuer'
 * (or NULL) and 'year' (or 0) (write_forms.c). */
nb_status nb_forms_csv(nb_buf bufs[NB_N_FORMS], const nb_report *r,
                       const char *issuer, int year, nb_diag_list *dl);

/* Which form a header row is: the one whose fields name every non-blank
 * header cell; -1 if none. */
int nb_form_by_header(const nb_csv_row *hdr, nb_form_schema *const *schemas);

/* The value as an xs:decimal: full-width digits made ASCII, group commas
 * ("1,234") and surrounding blanks dropped, a trailing % kept apart; the
 * sign and the digits otherwise as written ("+5", "5.", ".5"). False when
 * it is not a plain decimal; *sci_out is set when it is scientific
 * notation ("1.2E+07", Excel's display of wide numbers). 'out' and 's'
 * may be the same buffer. */
bool nb_number_norm(char *out, size_t size, const char *s, bool *percent_out,
                    bool *sci_out);

/* The date as YYYY-MM-DD from 2023-02-08, 2023/2/8, 2023.2.8 or
 * 2023年2月8日; false when it is none of these or not a real day. */
bool nb_date_norm(char *out, size_t size, const char *s);

#endif /* NIANBAO_SRC_LIB_FORM_H */
