/* limits.c: `--limit NAME=VALUE` on the commands that read, and
 * `nianbao limits`, which lists every safety limit with its default
 * (docs/limits.md). The defaults protect against hostile files; a trusted
 * file that is larger or deeper is read by raising the one limit it hits. */
#include "cli.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

typedef enum { L_SIZE, L_COUNT, L_SWITCH } limit_kind;

typedef struct limit_def {
    const char *name;
    limit_kind kind;
    size_t offset;    /* in nb_limits; (size_t)-1: the diagnostics cap */
    size_t max;       /* the largest value accepted */
    const char *what; /* translated at print time */
} limit_def;

#define FIELD(f) offsetof(nb_limits, f)
#define DIAG_CAP ((size_t)-1)

static const limit_def defs[] = {
    {"input", L_SIZE, FIELD(max_input_bytes), (size_t)INT32_MAX,
     N_("a report XML file, a zipped submission, or a CSV form of a "
        "form set: its size")},
    {"part", L_SIZE, FIELD(max_part_bytes), (size_t)INT32_MAX,
     N_("one part of a template, or file of a zipped submission, unpacked")},
    {"total", L_SIZE, FIELD(max_total_bytes), (size_t)4096 << 20,
     N_("all parts of a template, or files of a zipped submission, "
        "unpacked; the template file itself")},
    {"entries", L_COUNT, FIELD(max_zip_entries), 65535,
     N_("entries in a template's or a zipped submission's archive")},
    {"output", L_SIZE, FIELD(max_output_bytes), (size_t)4096 << 20,
     N_("the merged parts of the document written, together")},
    {"cell", L_SIZE, FIELD(max_cell_bytes), (size_t)1 << 30,
     N_("one CSV cell")},
    {"cells", L_COUNT, FIELD(max_row_cells), 1000000,
     N_("cells in one CSV row")},
    {"strings", L_SIZE, FIELD(max_xlsx_strings), (size_t)INT32_MAX,
     N_("a workbook's shared-string table, in memory")},
    {"sheet", L_SIZE, FIELD(max_sheet_bytes), (size_t)16384 << 20,
     N_("one sheet of a workbook, unpacked (read streaming)")},
    /* the evaluator's stack holds 128 sections (tmpl_eval.c) */
    {"section-depth", L_COUNT, FIELD(max_section_depth), 120,
     N_("template sections nested in each other")},
    {"xml-huge", L_SWITCH, FIELD(xml_huge), 1,
     N_("1: XML elements nested up to 2048 deep (else 256) and text nodes "
        "up to 1 GB (else 10 MB)")},
    {"attributes", L_COUNT, FIELD(max_attributes), 1000000,
     N_("attributes on one XML element (report, catalog, template part)")},
    {"elements", L_COUNT, FIELD(max_elements), 100000000,
     N_("elements in one XML document read whole (report, catalog, "
        "template part): its memory")},
    {"picture", L_SIZE, FIELD(max_picture_bytes), (size_t)1 << 30,
     N_("one picture a template takes from the data (a file, or a data "
        "URI decoded)")},
    {"pictures", L_SIZE, FIELD(max_pictures_bytes), (size_t)4096 << 20,
     N_("all the pictures of one document, each counted once")},
    {"picture-side", L_COUNT, FIELD(max_picture_side), 1000000,
     N_("a picture's width or height, in pixels")},
    {"diagnostics", L_COUNT, DIAG_CAP, 10000000,
     N_("diagnostics printed; the rest are counted")},
};

#define N_DEFS (sizeof(defs) / sizeof(defs[0]))

/* "64M", "1G", "500K", "1000": bytes or a count. */
static bool parse_value(size_t *out, const char *s, bool size)
{
    char *end;
    unsigned long long v;
    unsigned long long mul = 1;

    if (*s < '0' || *s > '9')
        return false;
    errno = 0;
    v = strtoull(s, &end, 10);
    if (errno != 0)
        return false;
    if (size && *end != '\0' && end[1] == '\0') {
        switch (*end) {
        case 'K':
        case 'k':
            mul = 1ull << 10;
            break;
        case 'M':
        case 'm':
            mul = 1ull << 20;
            break;
        case 'G':
        case 'g':
            mul = 1ull << 30;
            break;
        default:
            return false;
        }
        end++;
    }
    if (*end != '\0' || v > SIZE_MAX / mul)
        return false;
    *out = (size_t)(v * mul);
    return true;
}

bool limit_set(nb_limits *lim, size_t *diag_cap, const char *arg, char *why,
               size_t why_size)
{
    const char *eq = strchr(arg, '=');
    size_t n = eq != NULL ? (size_t)(eq - arg) : strlen(arg);
    size_t i;
    size_t v;

    for (i = 0; i < N_DEFS; i++)
        if (strlen(defs[i].name) == n && strncmp(defs[i].name, arg, n) == 0)
            break;
    if (i == N_DEFS) {
        snprintf(why, why_size,
                 _("'%s': no such limit ('nianbao limits' lists them)"),
                 arg);
        return false;
    }
    if (eq == NULL || !parse_value(&v, eq + 1, defs[i].kind == L_SIZE) ||
        (v == 0 && defs[i].kind != L_SWITCH) || v > defs[i].max) {
        if (defs[i].kind == L_SWITCH)
            snprintf(why, why_size, _("%s=VALUE: the value is 0 or 1"),
                     defs[i].name);
        else
            snprintf(why, why_size,
                     _("%s=VALUE: the value is a number (sizes may end in "
                       "K, M or G), at most %zu"),
                     defs[i].name, defs[i].max);
        return false;
    }
    if (defs[i].offset == DIAG_CAP)
        *diag_cap = v;
    else if (defs[i].kind == L_SWITCH)
        *(bool *)((char *)lim + defs[i].offset) = v != 0;
    else
        *(size_t *)((char *)lim + defs[i].offset) = v;
    return true;
}

static int run_limits(cli_args *a)
{
    nb_limits lim = nb_limits_defaults();
    size_t i;

    (void)a;
    for (i = 0; i < N_DEFS; i++) {
        const limit_def *d = &defs[i];
        size_t def =
            d->offset == DIAG_CAP ? 1000 /* nb_diag_list_set_cap */
            : d->kind == L_SWITCH
                ? (size_t) * (const bool *)((const char *)&lim + d->offset)
                : *(const size_t *)((const char *)&lim + d->offset);

        printf("%s\t%zu\t%zu\t%s\n", d->name, def, d->max, _(d->what));
    }
    return EXIT_CLEAN;
}

const cli_cmd cmd_limits_def = {
    "limits", "", N_("list the safety limits (--limit)"),
    N_("List the safety limits on what nianbao reads and writes: name,\n"
       "default, largest value, what it bounds; tab-separated. Each is\n"
       "raised for one run with --limit NAME=VALUE on the commands that\n"
       "read reports or templates (sizes in bytes, or with K, M or G)."),
    NULL, NULL, NULL, 0, 0, CLI_COMPLETE_NONE, NULL,
    N_("limits takes no arguments"), run_limits, CLI_IO_NONE};
