/* catalog.h: the indicator catalog (schemas/indicators.xml), compiled into
 * the library as a constant table by tools/catalog2c. */
#ifndef NIANBAO_SRC_LIB_CATALOG_H
#define NIANBAO_SRC_LIB_CATALOG_H

#include "internal.h"

extern const nb_indicator nb_catalog[];
extern const size_t nb_catalog_len;
/* Open addressing over FNV-1a of the code: index + 1, 0 = empty. */
extern const unsigned short nb_catalog_hash[];
extern const size_t nb_catalog_hash_size; /* a power of two */

/* The catalog code closest to 'code' (edit distance at most 3), for a
 * "did you mean" hint, or NULL. */
const char *nb_indicator_suggest(const char *code);

/* Check a metric against its indicator: a known code, a count a whole
 * number >= 0, an amount >= 0, a rate 0 to 100, the unit the catalog's.
 * 'code_col' and 'value_col' name the code and the value in messages.
 * Returns false when an error was reported; *ind_out (if not NULL) is
 * the indicator, or NULL for an unknown code. */
bool nb_metric_check(const nb_indicator **ind_out, const char *code,
                     const char *value, const char *unit, const nb_loc *loc,
                     const char *code_col, const char *value_col,
                     nb_diag_list *dl);

#endif /* NIANBAO_SRC_LIB_CATALOG_H */
