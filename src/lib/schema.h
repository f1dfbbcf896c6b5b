/* schema.h: schema validation of report XML (schema_xsd.c). */
#ifndef NIANBAO_SRC_LIB_SCHEMA_H
#define NIANBAO_SRC_LIB_SCHEMA_H

#include "internal.h"

#include <libxml/tree.h>

#define NB_REPORT_NS "urn:nianbao:report:1"
#define NB_INDICATORS_NS "urn:nianbao:indicators:1"

typedef enum nb_schema_id {
    NB_SCHEMA_REPORT = 0,    /* schemas/report.xsd */
    NB_SCHEMA_INDICATORS = 1 /* schemas/indicators.xsd */
} nb_schema_id;

/* Validate 'doc' against a built-in schema; every violation is added to
 * 'dl' against 'file' with its line. *n_errors is their number. Returns
 * NB_OK when validation ran (whatever it found). */
nb_status nb_xsd_validate(size_t *n_errors, xmlDocPtr doc, nb_schema_id id,
                          const char *file, nb_diag_list *dl);

#endif /* NIANBAO_SRC_LIB_SCHEMA_H */
