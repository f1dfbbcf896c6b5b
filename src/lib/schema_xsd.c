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
#include "model.h"
#include "schema.h"
#include "xml_io.h"

#include <pthread.h>
#include <stdlib.h>
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

/* ==== libxml2's messages in the user's words ==== */

/* The quoted word after 'key' in 'msg' ("Element 'metric'" -> metric),
 * into out; false when absent. */
static bool quoted_after(char *out, size_t size, const char *msg,
                         const char *key)
{
    const char *p = strstr(msg, key);
    const char *q;

    if (p == NULL)
        return false;
    p += strlen(key);
    q = strchr(p, '\'');
    if (q == NULL || (size_t)(q - p) >= size)
        return false;
    memcpy(out, p, (size_t)(q - p));
    out[q - p] = '\0';
    return true;
}

/* Say the common violations as the CSV reader says them, without the
 * schema's regular expressions; false leaves libxml2's own message. */
static bool plain_message(nb_diag_list *dl, const nb_loc *loc,
                          const char *msg)
{
    char el[64];
    char val[256];
    char attr[64];

    if (!quoted_after(el, sizeof(el), msg, "Element '"))
        return false;
    if (strstr(msg, "Duplicate key-sequence") != NULL &&
        quoted_after(val, sizeof(val), msg, "key-sequence ['")) {
        /* xs:unique of report.xsd and indicators.xsd: codes and ids */
        nb_diag_add(dl, NB_XSD_INVALID, loc,
                    _("<%s> '%s' is given twice in this file: give each "
                      "its own, or keep one"),
                    el, val);
        return true;
    }
    if (strstr(msg, "[facet 'maxLength']") != NULL &&
        nb_meta_bound_find(el) != NULL &&
        quoted_after(val, sizeof(val), msg, "a length of '")) {
        /* the bounds of report.xsd are those of model.c */
        nb_meta_report_long(nb_meta_bound_find(el),
                            (size_t)strtoul(val, NULL, 10), loc, dl);
        return true;
    }
    if (strstr(msg, "[facet 'pattern']") != NULL &&
        quoted_after(val, sizeof(val), msg, "The value '")) {
        if (strstr(msg, "(近|约|超|逾)") != NULL)
            nb_diag_add(dl, NB_XSD_INVALID, loc,
                        _("<%s> '%s' is not a number: write the number "
                          "alone (130, 20.5, 1万余, 98%%) and the unit in "
                          "its unit attribute"),
                        el, val);
        else if (quoted_after(attr, sizeof(attr), msg, "attribute '") &&
                 (strcmp(attr, "code") == 0 || strcmp(attr, "id") == 0))
            nb_diag_add(dl, NB_XSD_INVALID, loc,
                        _("<%s %s=\"%s\">: a code is lower-case letters, "
                          "digits and _, starting with a letter "
                          "(fy_received)"),
                        el, attr, val);
        else if (quoted_after(attr, sizeof(attr), msg, "attribute '"))
            nb_diag_add(dl, NB_XSD_INVALID, loc,
                        _("<%s %s=\"%s\">: the value is not of the form "
                          "this attribute takes"),
                        el, attr, val);
        else
            nb_diag_add(dl, NB_XSD_INVALID, loc,
                        _("<%s> '%s' is not of the form this element "
                          "takes"),
                        el, val);
        return true;
    }
    if (strstr(msg, "type 'Date'") != NULL &&
        quoted_after(val, sizeof(val), msg, "': '")) {
        nb_diag_add(dl, NB_XSD_INVALID, loc,
                    _("<%s> '%s' is not a date: write 2023-02-08 or "
                      "2023年2月8日"),
                    el, val);
        return true;
    }
    if (strstr(msg, "atomic type 'Year'") != NULL &&
        quoted_after(val, sizeof(val), msg, "': '")) {
        nb_diag_add(dl, NB_XSD_INVALID, loc,
                    _("<%s> '%s' is not a year: write it in digits, 2022"),
                    el, val);
        return true;
    }
    if (strstr(msg, "[facet 'enumeration']") != NULL &&
        quoted_after(val, sizeof(val), msg, "The value '")) {
        char set[256];
        const char *p = strstr(msg, "set {");
        size_t n = 0;

        /* {'run-in', 'heading'} -> run-in, heading */
        for (p = p != NULL ? p + 5 : ""; *p != '\0' && *p != '}' &&
                                         n + 1 < sizeof(set);
             p++)
            if (*p != '\'')
                set[n++] = *p;
        set[n] = '\0';
        if (quoted_after(attr, sizeof(attr), msg, "attribute '"))
            nb_diag_add(dl, NB_XSD_INVALID, loc,
                        _("<%s %s=\"%s\">: write one of %s"), el, attr, val,
                        set);
        else
            nb_diag_add(dl, NB_XSD_INVALID, loc, _("<%s> '%s': write one of %s"),
                        el, val, set);
        return true;
    }
    return false;
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
    if (!plain_message(s->dl, &loc, msg))
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
