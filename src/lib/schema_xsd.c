/* schema_xsd.c: validate report XML against schemas/report.xsd, and local
 * indicator catalogs against schemas/indicators.xsd.
 *
 * The schemas are compiled into the library (report_xsd.c and
 * indicators_xsd.c are generated at build time), compiled once per process
 * on first use
 * and then shared read-only: libxml2 allows concurrent validation with one
 * xmlSchema and a validation context per call. Every violation is reported,
 * not only the first.
 */
#include "internal.h"
#include "schema.h"
#include "xml_io.h"

#include <pthread.h>
#include <string.h>

#include <libxml/xmlschemas.h>

extern const unsigned char nb_report_xsd[];
extern const size_t nb_report_xsd_len;
extern const unsigned char nb_indicators_xsd[];
extern const size_t nb_indicators_xsd_len;

static pthread_once_t report_once = PTHREAD_ONCE_INIT;
static pthread_once_t indicators_once = PTHREAD_ONCE_INIT;
static xmlSchemaPtr schemas[2];

static void quiet_serror(void *ctx, xmlErrorPtr err)
{
    (void)ctx;
    (void)err;
}

static xmlSchemaPtr compile_schema(const unsigned char *xsd, size_t len)
{
    xmlSchemaParserCtxtPtr pc;
    nb_xml_sink sink = {NULL, "xsd", NULL, NB_XSD_SCHEMA_BROKEN, 0, false};
    nb_xml_scope scope;
    xmlSchemaPtr schema = NULL;

    nb_xml_scope_begin(&scope, &sink);
    pc = xmlSchemaNewMemParserCtxt((const char *)xsd, (int)len);
    if (pc != NULL) {
        xmlSchemaSetParserStructuredErrors(
            pc, (xmlStructuredErrorFunc)quiet_serror, NULL);
        schema = xmlSchemaParse(pc);
        xmlSchemaFreeParserCtxt(pc);
    }
    nb_xml_scope_end(&scope);
    return schema;
}

static void compile_report(void)
{
    schemas[NB_SCHEMA_REPORT] =
        compile_schema(nb_report_xsd, nb_report_xsd_len);
}

static void compile_indicators(void)
{
    schemas[NB_SCHEMA_INDICATORS] =
        compile_schema(nb_indicators_xsd, nb_indicators_xsd_len);
}

/* "Element '{urn:nianbao:report:1}area': ..." reads better without the
 * namespace every element of the file has. */
static void strip_ns(char *msg)
{
    static const char *const ns[] = {"{" NB_REPORT_NS "}",
                                     "{" NB_INDICATORS_NS "}"};
    size_t i;
    char *p;

    for (i = 0; i < 2; i++) {
        size_t n = strlen(ns[i]);

        while ((p = strstr(msg, ns[i])) != NULL)
            memmove(p, p + n, strlen(p + n) + 1);
    }
}

typedef struct xsd_sink {
    nb_diag_list *dl;
    const char *file;
    size_t n_errors;
} xsd_sink;

static void xsd_error(void *data, xmlErrorPtr err)
{
    xsd_sink *s = data;
    nb_loc loc = {s->file, 0, 0, NULL};
    char msg[1024];
    size_t n;

    if (err == NULL)
        return;
    loc.line = err->line > 0 ? (uint32_t)err->line : 0;
    if (loc.line == 0 && err->node != NULL)
        loc.line = nb_xml_line((const xmlNode *)err->node);
    snprintf(msg, sizeof(msg), "%s",
             err->message != NULL ? err->message : "invalid");
    n = strlen(msg);
    /* one line, no trailing full stop (STYLE.md §3) */
    while (n > 0 &&
           (msg[n - 1] == '\n' || msg[n - 1] == ' ' || msg[n - 1] == '.'))
        msg[--n] = '\0';
    strip_ns(msg);
    /* libxml2's follow-up to an invalid key value: the first error said it */
    if (strstr(msg, "No precomputed value available") != NULL)
        return;
    s->n_errors++;
    nb_diag_add(s->dl, NB_XSD_INVALID, &loc, _("not valid: %s"), msg);
}

nb_status nb_xsd_validate(size_t *n_errors, xmlDocPtr doc, nb_schema_id id,
                          const char *file, nb_diag_list *dl)
{
    xsd_sink sink = {dl, file, 0};
    nb_xml_sink quiet = {dl, file, NULL, NB_XSD_INVALID, 0, false};
    nb_xml_scope scope;
    xmlSchemaValidCtxtPtr vc;
    int rc;

    *n_errors = 0;
    if (id == NB_SCHEMA_REPORT)
        pthread_once(&report_once, compile_report);
    else
        pthread_once(&indicators_once, compile_indicators);
    if (schemas[id] == NULL) {
        nb_loc loc = {file, 0, 0, NULL};

        nb_diag_add(dl, NB_XSD_SCHEMA_BROKEN, &loc, "%s",
                    _("a built-in schema could not be compiled"));
        return NB_ERR_FORMAT;
    }
    vc = xmlSchemaNewValidCtxt(schemas[id]);
    if (vc == NULL)
        return nb_diag_nomem(dl, file);
    xmlSchemaSetValidStructuredErrors(vc, (xmlStructuredErrorFunc)xsd_error,
                                      &sink);
    nb_xml_scope_begin(&scope, &quiet);
    rc = xmlSchemaValidateDoc(vc, doc);
    nb_xml_scope_end(&scope);
    xmlSchemaFreeValidCtxt(vc);
    if (rc < 0 && sink.n_errors == 0) {
        nb_loc loc = {file, 0, 0, NULL};

        nb_diag_add(dl, NB_XSD_INVALID, &loc, "%s",
                    _("schema validation could not run"));
        sink.n_errors++;
    }
    *n_errors = sink.n_errors + quiet.n_errors;
    return NB_OK;
}
