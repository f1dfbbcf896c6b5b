/* diag_print.c: the only place that prints diagnostics.
 *
 * Text: "file:line:col: severity: message [NB####]", the GCC format that
 * editors and CI parse; line and column are left out when unknown, and the
 * part of a package is named after the file ("t.docx(word/document.xml)").
 * JSON: one object per line on stdout, for portals and scripts.
 */
#include "cli.h"

#include <string.h>

void json_put_string(FILE *f, const char *s)
{
    const unsigned char *p = (const unsigned char *)(s != NULL ? s : "");

    fputc('"', f);
    for (; *p != '\0'; p++) {
        switch (*p) {
        case '"':
            fputs("\\\"", f);
            break;
        case '\\':
            fputs("\\\\", f);
            break;
        case '\n':
            fputs("\\n", f);
            break;
        case '\t':
            fputs("\\t", f);
            break;
        case '\r':
            fputs("\\r", f);
            break;
        default:
            if (*p < 0x20)
                fprintf(f, "\\u%04x", *p);
            else
                fputc(*p, f);
        }
    }
    fputc('"', f);
}

static const char *sev_id(nb_severity sev)
{
    return sev == NB_SEV_ERROR     ? "error"
           : sev == NB_SEV_WARNING ? "warning"
                                   : "note";
}

static void print_json(const nb_diag *d)
{
    fputs("{\"file\":", stdout);
    json_put_string(stdout, d->loc.file);
    if (d->loc.where != NULL) {
        fputs(",\"part\":", stdout);
        json_put_string(stdout, d->loc.where);
    }
    printf(",\"line\":%u,\"col\":%u,\"severity\":\"%s\",\"code\":\"%s\","
           "\"name\":\"%s\",\"message\":",
           (unsigned)d->loc.line, (unsigned)d->loc.col, sev_id(d->sev),
           nb_code_id(d->code),
           nb_code_name(d->code) != NULL ? nb_code_name(d->code) : "");
    json_put_string(stdout, d->msg);
    fputs("}\n", stdout);
}

static void print_text(const nb_diag *d)
{
    FILE *f = stderr;

    term_put(f, d->loc.file != NULL ? d->loc.file : "-");
    if (d->loc.where != NULL) {
        fputc('(', f);
        term_put(f, d->loc.where);
        fputc(')', f);
    }
    if (d->loc.line > 0) {
        fprintf(f, ":%u", (unsigned)d->loc.line);
        if (d->loc.col > 0)
            fprintf(f, ":%u", (unsigned)d->loc.col);
    }
    fprintf(f, ": %s: ", nb_severity_name(d->sev));
    term_put(f, d->msg);
    fprintf(f, " [%s]\n", nb_code_id(d->code));
}

/* The codes of the safety limits that --limit raises. */
static bool is_limit(nb_code code)
{
    switch (code) {
    case NB_XML_TOO_LARGE:
    case NB_XML_TOO_DEEP:
    case NB_CSV_TOO_LARGE:
    case NB_CSV_CELL_TOO_LARGE:
    case NB_CSV_TOO_MANY_CELLS:
    case NB_LIMIT_ZIP:
    case NB_LIMIT_OUTPUT:
    case NB_TMPL_TOO_DEEP:
        return true;
    default:
        return false;
    }
}

/* Print in the list's order; true when a limit was among them. */
static bool print_all(const nb_diag_list *dl, diag_format fmt)
{
    size_t i;
    size_t n = nb_diag_list_count(dl);
    bool limit = false;

    for (i = 0; i < n; i++) {
        const nb_diag *d = nb_diag_list_at(dl, i);

        limit = limit || is_limit(d->code);
        if (fmt == DIAG_JSON)
            print_json(d);
        else
            print_text(d);
    }
    return limit;
}

void diag_print_sorted(const nb_diag_list *dl, diag_format fmt)
{
    print_all(dl, fmt);
    fflush(stdout);
}

void diag_print(nb_diag_list *dl, diag_format fmt)
{
    bool limit;

    nb_diag_list_sort(dl);
    limit = print_all(dl, fmt);
    if (nb_diag_list_dropped(dl) > 0 && fmt == DIAG_TEXT)
        fprintf(stderr,
                _("nianbao: %zu more diagnostics not shown (limit reached; "
                  "--limit diagnostics=N shows more)\n"),
                nb_diag_list_dropped(dl));
    if (limit && fmt == DIAG_TEXT)
        fputs(_("nianbao: a safety limit was reached; if the file is "
                "trusted, raise it with --limit (see 'nianbao limits')\n"),
              stderr);
    fflush(stdout);
}
