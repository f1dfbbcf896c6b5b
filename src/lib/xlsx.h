/* xlsx.h: the workbook reader's parts, shared by read_xlsx.c (the
 * package: relationships, workbook, styles, the form set) and
 * xlsx_sheet.c (what is streamed: shared strings and sheets). */
#ifndef NIANBAO_SRC_LIB_XLSX_H
#define NIANBAO_SRC_LIB_XLSX_H

#include "form.h"
#include "internal.h"
#include "zip_io.h"

#define MAX_SHEETS 256 /* Excel allows 255 beside the workbook */

/* What a cell style makes of a number. */
typedef enum numkind { K_NUMBER = 0, K_PERCENT, K_DATE } numkind;

typedef struct sheet {
    struct book *b;
    char *name; /* "指标", as the tab shows it */
    char *part; /* "xl/worksheets/sheet1.xml" */
    char *path; /* "报告.xlsx/指标": the sheet in messages */
    int form;   /* nb_form_id, or -1 */
} sheet;

typedef struct book {
    const char *name; /* the workbook in messages */
    int fd;            /* the file read as it is unpacked, or -1 */
    uint64_t fd_size;
    nb_zip_archive *za;
    nb_limits lim;
    nb_diag_list *dl;
    bool date1904;
    nb_buf sst;        /* shared strings, each NUL-terminated */
    size_t *sst_off;   /* where each starts in sst */
    size_t n_sst;
    size_t sst_alloc;
    unsigned char *xf; /* numkind per cellXfs index */
    size_t n_xf;
    sheet sheets[MAX_SHEETS];
    size_t n_sheets;
} book;

static inline nb_loc xlsx_part_at(const book *b, const char *part)
{
    nb_loc loc = {b->name, 0, 0, part};

    return loc;
}

/* The part's index in the zip, or -1. OPC part names ignore case. */
long xlsx_part_index(const book *b, const char *part);

/* Its unpacked size as the zip declares it, checked against 'max' before
 * anything is read ('code' when it is over). */
nb_status xlsx_part_size(uint64_t *out, book *b, long i,
                         const char *part, size_t max, nb_code code);

/* The shared-string table of 'part' into b->sst, within the limit. */
nb_status xlsx_read_sst(book *b, const char *part);

/* The row source of a sheet (nb_csv_opts.rows; ctx a sheet): every row
 * with a value goes to 'fn', cells empty where the sheet has none. */
nb_status xlsx_sheet_rows(void *ctx, nb_csv_row_fn fn, void *payload,
                          nb_diag_list *dl);

#endif
