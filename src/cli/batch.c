/* batch.c: what the commands over a folder of submissions share
 * (docs/inbox.md): the progress display, the table of submissions, the
 * failures, the summaries, and the checks of the folder and the outputs.
 * The commands are cmd_inbox.c, cmd_aggregate.c and cmd_batch.c. */
#include "batch.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const cli_opt opt_summary_csv = {
    "csv", 0, CLI_VALUE, "FILE", NULL, CLI_COMPLETE_FILE,
    N_("write the summary as CSV (UTF-8 with BOM, for Excel\n"
       "and WPS)"),
    NULL, offsetof(cli_args, csv), CLI_IO_WRITE};

const cli_opt opt_summary_json = {
    "json", 0, CLI_VALUE, "FILE", NULL, CLI_COMPLETE_FILE,
    N_("write the summary as JSON, one submission a line"), NULL,
    offsetof(cli_args, json), CLI_IO_WRITE};

/* ==== Progress ==== */

static const char *status_word(nb_sub_status s)
{
    static const char *const words[] = {
        N_("valid"),   N_("invalid"), N_("unreadable"),
        N_("skipped"), N_("missing"), N_("not accessible")};

    return (unsigned)s < 6 ? _(words[s]) : "?";
}

static void progress(size_t done, size_t total, const nb_submission *sub,
                     const nb_diag_list *sdl, void *payload)
{
    batch *b = payload;
    unsigned step;

    if (b->a->verbose) {
        diag_print_sorted(sdl, b->a->diag);
        if (b->a->diag == DIAG_TEXT)
            term_printf(stderr, _("%s: %s (errors: %zu, warnings: %zu)\n"),
                    sub->path, status_word(sub->status), sub->errors,
                    sub->warnings);
        return;
    }
    if (b->progress == 0 || b->a->diag == DIAG_JSON)
        return;
    if (b->progress > 0) {
        unsigned width = 30;
        unsigned fill = (unsigned)(done * width / total);
        char bar[64];

        memset(bar, '#', fill);
        memset(bar + fill, '.', width - fill);
        bar[width] = '\0';
        fprintf(stderr, "\r[%s] %zu/%zu", bar, done, total);
        if (done == total)
            fputs("\r\033[K", stderr);
        b->bar_shown = done < total;
        fflush(stderr);
        return;
    }
    step = (unsigned)(done * 10 / total);
    if (total >= 50 && step > b->last_step && done < total) {
        b->last_step = step;
        fprintf(stderr, _("nianbao: %zu of %zu submissions checked\n"), done,
                total);
    }
}

/* ==== The table ==== */

/* Columns a terminal gives 's': 2 for East Asian wide characters. */
static size_t display_width(const char *s)
{
    const unsigned char *p = (const unsigned char *)(s != NULL ? s : "");
    size_t w = 0;

    while (*p != '\0') {
        unsigned cp = *p;
        int n = *p < 0x80 ? 1 : *p < 0xE0 ? 2 : *p < 0xF0 ? 3 : 4;
        int k;

        if (n > 1)
            cp &= 0xFFu >> (n + 1);
        for (k = 1; k < n && p[k] != '\0'; k++)
            cp = (cp << 6) | (p[k] & 0x3Fu);
        p += k;
        w += (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
                     (cp >= 0xAC00 && cp <= 0xD7A3) ||
                     (cp >= 0xF900 && cp <= 0xFAFF) ||
                     (cp >= 0xFE30 && cp <= 0xFE4F) ||
                     (cp >= 0xFF00 && cp <= 0xFF60) ||
                     (cp >= 0xFFE0 && cp <= 0xFFE6) || cp >= 0x20000
                 ? 2
                 : 1;
    }
    return w;
}

static void put_cell(const char *s, size_t width, bool last)
{
    size_t w = display_width(s);

    fputs(s, stdout);
    if (last) {
        fputc('\n', stdout);
        return;
    }
    for (; w < width + 2; w++)
        fputc(' ', stdout);
}

enum { N_COLS = 7 };

/* A row's text: numbers written, names escaped for the terminal. */
typedef struct row_text {
    char year[32];
    char errors[32];
    char warnings[32];
    char missing[128];
    char name[512];
    char office[512];
} row_text;

static void row_cells(const char *cells[N_COLS], row_text *t,
                      const nb_submission *s)
{
    static const char *const part_words[] = {N_("measures"), N_("shortcomings"),
                                             N_("duties"), N_("plans")};
    size_t len = 0;
    int k;

    t->missing[0] = '\0';
    for (k = 0; k < 4; k++)
        if (s->missing & (1u << k)) {
            int n = snprintf(t->missing + len, sizeof(t->missing) - len,
                             "%s%s", len > 0 ? "," : "", _(part_words[k]));

            if (n > 0 && (size_t)n < sizeof(t->missing) - len)
                len += (size_t)n;
        }
    t->year[0] = '\0';
    if (s->year > 0)
        snprintf(t->year, sizeof(t->year), "%d", s->year);
    snprintf(t->errors, sizeof(t->errors), "%zu", s->errors);
    snprintf(t->warnings, sizeof(t->warnings), "%zu", s->warnings);
    cells[0] = s->name != NULL
                   ? term_safe(t->name, sizeof(t->name), s->name)
                   : "-";
    cells[1] = s->office != NULL
                   ? term_safe(t->office, sizeof(t->office), s->office)
                   : "?";
    cells[2] = t->year[0] != '\0' ? t->year : "-";
    cells[3] = status_word(s->status);
    cells[4] = t->errors;
    cells[5] = t->warnings;
    cells[6] = t->missing[0] != '\0' ? t->missing : "-";
}

void batch_print_table(const nb_inbox *ib)
{
    const char *head[N_COLS] = {_("FILE"),         _("OFFICE"), _("YEAR"),
                                _("STATUS"),       _("ERRORS"), _("WARNINGS"),
                                _("MISSING PARTS")};
    size_t width[N_COLS];
    size_t i;
    int c;

    for (c = 0; c < N_COLS; c++)
        width[c] = display_width(head[c]);
    for (i = 0; i < nb_inbox_count(ib); i++) {
        const char *cells[N_COLS];
        row_text t;

        row_cells(cells, &t, nb_inbox_at(ib, i));
        for (c = 0; c < N_COLS; c++)
            if (display_width(cells[c]) > width[c])
                width[c] = display_width(cells[c]);
    }
    for (c = 0; c < N_COLS; c++)
        put_cell(head[c], width[c], c == N_COLS - 1);
    for (i = 0; i < nb_inbox_count(ib); i++) {
        const char *cells[N_COLS];
        row_text t;

        row_cells(cells, &t, nb_inbox_at(ib, i));
        for (c = 0; c < N_COLS; c++)
            put_cell(cells[c], width[c], c == N_COLS - 1);
    }
}

void batch_print_counts(const nb_inbox *ib)
{
    size_t missing = nb_inbox_count_status(ib, NB_SUB_MISSING);

    printf(_("%zu in the folder: %zu valid, %zu invalid, %zu unreadable, %zu "
             "skipped"),
           nb_inbox_count(ib) - missing,
           nb_inbox_count_status(ib, NB_SUB_VALID),
           nb_inbox_count_status(ib, NB_SUB_INVALID),
           nb_inbox_count_status(ib, NB_SUB_UNREADABLE),
           nb_inbox_count_status(ib, NB_SUB_SKIPPED));
    if (missing > 0)
        printf(_("; not submitted: %zu of the expected offices"), missing);
    if (nb_inbox_count_status(ib, NB_SUB_FAULT) > 0)
        printf(_("; not accessible to this run: %zu"),
               nb_inbox_count_status(ib, NB_SUB_FAULT));
    fputc('\n', stdout);
}

/* The documents of an earlier run removed because their submissions are
 * not rendered now, so that none is left looking current. */
static void print_stale(const nb_inbox *ib)
{
    size_t n = 0;
    size_t i;

    for (i = 0; i < nb_inbox_count(ib); i++) {
        const nb_submission *s = nb_inbox_at(ib, i);

        if (s->stale == NULL)
            continue;
        if (n++ == 0)
            fputs(_("last run's documents of submissions not rendered "
                    "now:\n"),
                  stdout);
        term_printf(stdout, "  %s: ", s->stale);
        fputs(s->stale_kept ? _("could not be removed") : _("removed"),
              stdout);
        fputc('\n', stdout);
    }
}

/* The submissions that failed, one line each, with the first error:
 * those with errors (inbox), also those left out of the totals
 * (aggregate) or not rendered (render --batch). */
size_t batch_print_failures(const nb_inbox *ib, batch_kind cmd, bool print)
{
    static const char *const heads[] = {
        N_("first errors:\n"), N_("left out:\n"), N_("not rendered:\n")};
    size_t n = 0;
    size_t i;

    for (i = 0; i < nb_inbox_count(ib); i++) {
        const nb_submission *s = nb_inbox_at(ib, i);
        bool failed = s->status == NB_SUB_INVALID ||
                      s->status == NB_SUB_UNREADABLE ||
                      s->status == NB_SUB_FAULT;
        bool dup =
            cmd == BATCH_AGGREGATE && s->status == NB_SUB_VALID && !s->summed;

        if (cmd == BATCH_RENDER && s->status == NB_SUB_VALID && s->output == NULL)
            failed = true;
        if (!failed && !dup)
            continue;
        if (!print) {
            n++;
            continue;
        }
        if (n++ == 0)
            fputs(_(heads[cmd]), stdout);
        term_printf(stdout, "  %s: %s", s->path,
                    dup ? _("a duplicate (the same office and year as "
                            "another)")
                        : status_word(s->status));
        if (s->first_error != NULL || s->output_error != NULL) {
            fputs(": ", stdout);
            term_put(stdout, s->first_error != NULL ? s->first_error
                                                    : s->output_error);
        }
        fputc('\n', stdout);
    }
    if (print && cmd == BATCH_RENDER)
        print_stale(ib);
    return n;
}

/* ==== Running ==== */

int batch_setup(batch *b, cli_args *a, batch_kind kind,
                nb_diag_list **dl_out)
{
    nb_diag_list *dl = cli_diag_list(a);

    memset(b, 0, sizeof(*b));
    b->a = a;
    b->kind = kind;
    b->ro = cli_read_opts(a);
    *dl_out = dl;
    if (dl == NULL)
        return EXIT_RUN;
    if (a->no_progress)
        b->progress = 0;
    else
        b->progress = isatty(STDERR_FILENO) && !a->quiet ? 1 : -1;
    return rules_load(&b->rules, a, &b->ro, dl);
}

void batch_fini(batch *b)
{
    rules_free(&b->rules);
}

nb_inbox_opts batch_inbox_opts(batch *b)
{
    nb_inbox_opts o;

    memset(&o, 0, sizeof(o));
    o.read = b->ro;
    o.check = rules_check_opts(&b->rules, b->a);
    o.jobs = b->a->jobs;
    o.progress = progress;
    o.payload = b;
    b->last_step = 0; /* each folder has its own tenths */
    return o;
}

void batch_end_progress(batch *b)
{
    if (b->bar_shown) {
        fputs("\r\033[K", stderr);
        fflush(stderr); /* stderr is line-buffered (main.c) */
        b->bar_shown = false;
    }
}

static nb_status write_summaries(const cli_args *b, const nb_inbox *ib,
                                 nb_diag_list *dl)
{
    nb_status st = NB_OK;

    if (b->csv != NULL)
        st = nb_inbox_write_csv(ib, b->csv, dl);
    if (st == NB_OK && b->json != NULL)
        st = nb_inbox_write_json(ib, b->json, dl);
    if (st == NB_OK && b->docx != NULL)
        st = nb_inbox_write_docx(ib, b->docx, b->issuer, b->date, dl);
    if (st == NB_OK && b->html != NULL)
        st = nb_inbox_write_html(ib, b->html, b->issuer, b->date, dl);
    return st;
}

/* A folder of submissions named on the command line: false (and *rc the
 * exit status) when it is not one: 2 for a file, 3 for nothing there. */
bool batch_folder_arg(const char *dir, int *rc)
{
    if (nb_input_kind_of(dir) != NB_INPUT_FOLDER) {
        term_printf(stderr, _("nianbao: %s: not a folder\n"), dir);
        *rc = access(dir, F_OK) == 0 ? EXIT_USAGE : EXIT_RUN;
        return false;
    }
    return true;
}


/* Run over the folder and write the summaries asked for; an exit status. */
int batch_run_folder(batch *b, const nb_inbox_opts *o, nb_inbox **ib,
                     nb_diag_list *dl)
{
    nb_status st = nb_inbox_run(ib, b->a->args[0], o, dl);

    batch_end_progress(b);
    if (st == NB_OK)
        st = write_summaries(b->a, *ib, dl);
    return st == NB_OK ? EXIT_CLEAN : status_exit(st);
}

