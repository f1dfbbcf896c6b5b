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

int hidden_char(const char *s, unsigned *cp_out)
{
    const unsigned char *p = (const unsigned char *)s;

    if (p[0] < 0x20 || p[0] == 0x7F) {
        *cp_out = p[0];
        return p[0] != '\0';
    }
    if (p[0] == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F) {
        *cp_out = p[1]; /* C1: U+0085 is a line break to some terminals */
        return 2;
    }
    *cp_out = p[0] >= 0xE0 && p[1] != 0 && p[2] != 0
                  ? ((p[0] & 0x0Fu) << 12) | ((p[1] & 0x3Fu) << 6) |
                        (p[2] & 0x3Fu)
                  : 0;
    /* zero-width, LRM/RLM, embeddings and overrides, isolates, BOM */
    if ((*cp_out >= 0x200B && *cp_out <= 0x200F) ||
        (*cp_out >= 0x202A && *cp_out <= 0x202E) ||
        (*cp_out >= 0x2060 && *cp_out <= 0x2069) || *cp_out == 0xFEFF)
        return 3;
    return 0;
}

void put_visible(FILE *f, const char *s)
{
    const char *p = s != NULL ? s : "";

    while (*p != '\0') {
        unsigned cp;
        int n = hidden_char(p, &cp);

        if (n == 0) {
            fputc(*p++, f);
            continue;
        }
        if (cp < 0x80)
            fprintf(f, "\\x%02x", cp);
        else
            fprintf(f, "\\u%04x", cp);
        p += n;
    }
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

    put_visible(f, d->loc.file != NULL ? d->loc.file : "-");
    if (d->loc.where != NULL) {
        fputc('(', f);
        put_visible(f, d->loc.where);
        fputc(')', f);
    }
    if (d->loc.line > 0) {
        fprintf(f, ":%u", (unsigned)d->loc.line);
        if (d->loc.col > 0)
            fprintf(f, ":%u", (unsigned)d->loc.col);
    }
    fprintf(f, ": %s: ", nb_severity_name(d->sev));
    put_visible(f, d->msg);
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
    case NB_XML_TOO_MANY_ATTRIBUTES:
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
