/* schema.h: schema validation of report XML (schema_xsd.c). */
#ifndef NIANBAO_SRC_LIB_SCHEMA_H
#define NIANBAO_SRC_LIB_SCHEMA_H

#include "internal.h"

#include <libxml/tree.h>

#define NB_REPORT_NS "urn:nianbao:report:1"

/* Validate 'doc' against schemas/report.xsd; every violation is added to
 * 'dl' against 'file' with its line. *n_errors is their number. Returns
 * NB_OK when validation ran (whatever it found). */
nb_status nb_xsd_validate_report(size_t *n_errors, xmlDocPtr doc,
                                 const char *file, nb_diag_list *dl);

#endif /* NIANBAO_SRC_LIB_SCHEMA_H */
