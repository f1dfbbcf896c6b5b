/* xlsxwriter_dl.h: libxlsxwriter, loaded when a workbook is written.
 *
 * Linking it would make every command map it and OpenSSL's libcrypto,
 * which it pulls in, at start-up (bench/startup.sh); only writing a
 * workbook needs it. Its header is still included, so that every call is
 * type-checked against it: after this header, the names below call
 * through the table nb_lxw_load() filled. */
#ifndef NIANBAO_SRC_LIB_XLSXWRITER_DL_H
#define NIANBAO_SRC_LIB_XLSXWRITER_DL_H

#include "internal.h"

#include <xlsxwriter.h>

#define NB_LXW_FUNCS(X)                                                        \
    X(format_set_align)                                                        \
    X(format_set_bold)                                                         \
    X(format_set_text_wrap)                                                    \
    X(lxw_strerror)                                                            \
    X(workbook_add_format)                                                     \
    X(workbook_add_worksheet)                                                  \
    X(workbook_close)                                                          \
    X(workbook_new_opt)                                                        \
    X(workbook_set_properties)                                                 \
    X(worksheet_data_validation_range)                                         \
    X(worksheet_freeze_panes)                                                  \
    X(worksheet_hide)                                                          \
    X(worksheet_set_column)                                                    \
    X(worksheet_write_formula_str)                                             \
    X(worksheet_write_number)                                                  \
    X(worksheet_write_string)

typedef struct nb_lxw {
#define NB_LXW_MEMBER(f) __typeof__(&f) f;
    NB_LXW_FUNCS(NB_LXW_MEMBER)
#undef NB_LXW_MEMBER
} nb_lxw;

/* The table, loaded once (thread-safe); NULL when the library or one of
 * its functions cannot be loaded, reported against 'file' (NB9060). */
const nb_lxw *nb_lxw_load(const char *file, nb_diag_list *dl);

#endif
