/* catalog.h: the indicator catalog (schemas/indicators.xml), compiled into
 * the library as a constant table by tools/catalog2c. */
#ifndef NIANBAO_SRC_LIB_CATALOG_H
#define NIANBAO_SRC_LIB_CATALOG_H

#include "internal.h"

extern const nb_indicator nb_catalog[];
extern const size_t nb_catalog_len;

/* The catalog code closest to 'code' (edit distance at most 3), for a
 * "did you mean" hint, or NULL. */
const char *nb_indicator_suggest(const char *code);

/* Check a metric against its indicator: a known code, a count a whole
 * number >= 0, an amount >= 0, a rate 0 to 100, the unit the catalog's.
 * 'what' names the value in messages (the column, or "the value").
 * Returns false when an error was reported. */
bool nb_metric_check(const char *code, const char *value, const char *unit,
                     const nb_loc *loc, const char *code_col,
                     const char *value_col, nb_diag_list *dl);

#endif /* NIANBAO_SRC_LIB_CATALOG_H */
