/* totals.h: what the inbox needs of the totals beyond the public API
 * (totals.c). */
#ifndef NIANBAO_SRC_LIB_TOTALS_H
#define NIANBAO_SRC_LIB_TOTALS_H

#include "internal.h"

/* Take back what nb_totals_add added for 'r' (read and checked again the
 * same way): a submission found to be a duplicate leaves the totals. The
 * sums are exact, so this leaves them as if it had never been added. */
nb_status nb_totals_remove(nb_totals *t, const nb_report *r);

/* A hash of what a report gives the totals (its year and metrics as
 * written): the same report read again has the same digest. */
uint64_t nb_totals_digest(const nb_report *r);

#endif /* NIANBAO_SRC_LIB_TOTALS_H */
