/* cmd_inbox.c: the commands over a folder of submissions (docs/inbox.md):
 * `nianbao inbox DIR` (check every one, summarise), `nianbao aggregate`
 * (sum their metrics) and `nianbao render --batch DIR -o OUTDIR`. */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef enum which { CMD_INBOX, CMD_AGGREGATE, CMD_BATCH } which;

static const char *const cmd_names[] = {"inbox", "aggregate", "render"};

typedef struct batch_cli {
    which cmd;
    unsigned jobs;
    const char *expect;
    const char *csv;
    const char *json;
    const char *docx;
    const char *issuer;
    const char *date;
    const char *out;
    const char *tpath;
    bool quiet;
    bool verbose;
    int progress; /* -1: a bar on a terminal, else lines; 0: none */
    diag_format fmt;
    nb_limits lim;
    size_t diag_cap;
    nb_read_opts ro;
    rules_cli rules;
    char **inputs;
    int n_inputs;
    /* progress state */
    unsigned last_step;
    bool bar_shown;
} batch_cli;

enum {
    OPT_EXPECT = 300,
    OPT_CSV,
    OPT_JSON,
    OPT_DOCX,
    OPT_ISSUER,
    OPT_DATE,
    OPT_NO_PROGRESS,
    OPT_BATCH
};

/* ==== Help ==== */

static void help_inbox(void)
{
    fputs(
        _("Usage: nianbao inbox [OPTION]... DIR\n"
          "Check every submission in the folder DIR, each one of: a report\n"
          "XML file, a form set folder, or a .zip of either. One bad\n"
          "submission never stops the others. Print a table: file, office,\n"
          "year, status, errors, warnings and the parts art. 25 requires\n"
          "that are missing; then what is wrong with the folder (files that\n"
          "are not submissions, the same office twice, offices that have\n"
          "not submitted).\n"
          "\n"
          "  --expect=FILE   a CSV of the offices that must submit (a column\n"
          "                  发布机构, or the first column): list who has\n"
          "                  not, and who is not on it\n"
          "  --csv=FILE      write the summary as CSV (UTF-8 with BOM, for\n"
          "                  Excel and WPS)\n"
          "  --json=FILE     write the summary as JSON\n"
          "  --docx=FILE     write the summary as a Word document in the\n"
          "                  official-document format, to forward upward\n"
          "  --issuer=NAME   sign the Word summary with this name\n"
          "  --date=DATE     date it (YYYY-MM-DD, written 2023年3月20日)\n"
          "  -j, --jobs=N    check N submissions at a time (default: one\n"
          "                  per processor)\n"
          "  -v, --verbose   also print every submission's findings\n"
          "  -q, --quiet     print no table, only the problems\n"
          "  --no-progress   no progress bar (there is none when standard\n"
          "                  error is not a terminal; then a line is printed\n"
          "                  at every tenth of a folder of 50 or more)\n"
          "  --profile=P     annual-report (default) or work-summary\n"
          "  --indicators=F  add a local indicator catalog\n"
          "  --encoding=ENC  of CSV forms: auto (default), utf-8, gb18030\n"
          "  --limit=NAME=N  raise a safety limit ('nianbao limits')\n"
          "  --diag=FORMAT   text (default) or json (findings as JSON lines\n"
          "                  on stdout, no table)\n"
          "  -h, --help      show this help\n"
          "\n"
          "Example:\n"
          "  nianbao inbox 2022-reports --expect offices.csv --csv "
          "summary.csv\n"
          "\n"
          "Exit status: 0 every submission valid and none missing, 1 a\n"
          "submission has errors, cannot be read or is missing, 2 wrong\n"
          "usage, 3 could not run.\n"),
        stdout);
}

static void help_aggregate(void)
{
    fputs(_("Usage: nianbao aggregate [OPTION]... INPUT... -o TOTALS.csv\n"
            "Sum the metrics of every valid submission into one table: a row\n"
            "per year and indicator with the total and the number of offices\n"
            "it sums. Counts and amounts are added up; a rate is recomputed\n"
            "from the summed counts of the offices that give all of them,\n"
            "never averaged. Approximate figures (1万余) are left out and\n"
            "counted. Submissions with errors are left out and listed.\n"
            "Each INPUT is a folder of submissions (as for 'nianbao inbox')\n"
            "or a totals file written by aggregate (to combine the totals of\n"
            "several machines).\n"
            "\n"
            "  -o, --output=FILE  the totals CSV to write (required)\n"
            "  -j, --jobs=N       submissions checked at a time (default: one\n"
            "                     per processor)\n"
            "  -v, --verbose      print every submission's findings\n"
            "  --no-progress      no progress bar\n"
            "  --profile=P        annual-report (default) or work-summary\n"
            "  --indicators=F     add a local indicator catalog\n"
            "  --encoding=ENC     of CSV forms: auto, utf-8, gb18030\n"
            "  --limit=NAME=N     raise a safety limit ('nianbao limits')\n"
            "  --diag=FORMAT      text (default) or json\n"
            "  -h, --help         show this help\n"
            "\n"
            "Exit status: 0 written from every submission, 1 written, but\n"
            "some submissions were left out for their errors (or nothing\n"
            "written: a totals file is not one), 2 wrong usage, 3 could not "
            "run.\n"),
          stdout);
}

static void help_batch(void)
{
    fputs(_("Usage: nianbao render --batch [OPTION]... DIR -o OUTDIR\n"
            "Render every valid submission in the folder DIR (as for\n"
            "'nianbao inbox') into OUTDIR, as NAME.docx (the entry's name\n"
            "without .xml or .zip). One bad submission never stops the\n"
            "others; the run ends with the list of those not rendered.\n"
            "\n"
            "  -o, --output=OUTDIR     the folder to write into (made if\n"
            "                          missing)\n"
            "  -t, --template=T.docx   merge into this template instead\n"
            "  -j, --jobs=N            submissions at a time (default: one\n"
            "                          per processor)\n"
            "  --csv=FILE --json=FILE  also write the summary, as inbox does\n"
            "  -v, --verbose           print every submission's findings\n"
            "  -q, --quiet             print only the failures\n"
            "  --no-progress           no progress bar\n"
            "  --profile=P --indicators=F --encoding=ENC --limit=NAME=N\n"
            "  --diag=FORMAT           as for render\n"
            "  -h, --help              show this help\n"
            "\n"
            "Exit status: 0 every submission rendered, 1 some were not, 2\n"
            "wrong usage, 3 could not run.\n"),
          stdout);
}

/* ==== Options ==== */

static bool parse_jobs(unsigned *out, const char *s)
{
    char *end;
    long v;

    errno = 0;
    v = strtol(s, &end, 10);
    if (errno != 0 || end == s || *end != '\0' || v < 1 || v > 256)
        return false;
    *out = (unsigned)v;
    return true;
}

/* Where an option that takes a text as it is keeps it, or NULL. */
static const char **text_option(batch_cli *b, int c)
{
    switch (c) {
    case 'o':
        return &b->out;
    case 't':
        return &b->tpath;
    case OPT_EXPECT:
        return &b->expect;
    case OPT_CSV:
        return &b->csv;
    case OPT_JSON:
        return &b->json;
    case OPT_DOCX:
        return &b->docx;
    case OPT_ISSUER:
        return &b->issuer;
    default:
        return NULL;
    }
}

/* A day written YYYY-MM-DD that the calendar has. */
static bool parse_date(const char *s)
{
    static const int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int y;
    int m;
    int d;
    int k;

    for (k = 0; k < 10; k++)
        if (k == 4 || k == 7 ? s[k] != '-' : !(s[k] >= '0' && s[k] <= '9'))
            return false;
    if (s[10] != '\0')
        return false;
    y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
        (s[3] - '0');
    m = (s[5] - '0') * 10 + (s[6] - '0');
    d = (s[8] - '0') * 10 + (s[9] - '0');
    if (y < 1900 || m < 1 || m > 12 || d < 1 || d > days[m - 1])
        return false;
    return m != 2 || d < 29 || (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0));
}

/* Options a command does not take are refused as unknown. */
static bool takes(which cmd, int c)
{
    switch (c) {
    case OPT_EXPECT:
    case OPT_DOCX:
    case OPT_ISSUER:
    case OPT_DATE:
        return cmd == CMD_INBOX;
    case OPT_CSV:
    case OPT_JSON:
    case 'q':
        return cmd != CMD_AGGREGATE;
    case 'o':
        return cmd != CMD_INBOX;
    case 't':
        return cmd == CMD_BATCH;
    default:
        return true;
    }
}

static int parse(batch_cli *b, which cmd, int argc, char **argv)
{
    static const struct option opts[] = {
        {"jobs", required_argument, NULL, 'j'},
        {"output", required_argument, NULL, 'o'},
        {"template", required_argument, NULL, 't'},
        {"expect", required_argument, NULL, OPT_EXPECT},
        {"csv", required_argument, NULL, OPT_CSV},
        {"json", required_argument, NULL, OPT_JSON},
        {"docx", required_argument, NULL, OPT_DOCX},
        {"issuer", required_argument, NULL, OPT_ISSUER},
        {"date", required_argument, NULL, OPT_DATE},
        {"no-progress", no_argument, NULL, OPT_NO_PROGRESS},
        {"batch", no_argument, NULL, OPT_BATCH},
        {"verbose", no_argument, NULL, 'v'},
        {"quiet", no_argument, NULL, 'q'},
        {"encoding", required_argument, NULL, 'e'},
        {"diag", required_argument, NULL, 'd'},
        {"limit", required_argument, NULL, OPT_LIMIT},
        {"help", no_argument, NULL, 'h'},
        RULES_LONG_OPTIONS,
        {NULL, 0, NULL, 0}};
    const char *name = cmd_names[cmd];
    int rc = EXIT_CLEAN;
    int c;

    memset(b, 0, sizeof(*b));
    b->cmd = cmd;
    b->progress = -1;
    b->ro.limits = &b->lim;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "j:o:t:vqh", opts, NULL)) != -1) {
        const char **slot;
        int took;

        if (c != '?' && c != ':' && !takes(cmd, c))
            return usage_error(name, _("unknown option '%s'"),
                               argv[optind - 1]);
        if (c == OPT_PREVIOUS)
            return usage_error(name, "%s",
                               _("--previous takes one report; check a "
                                 "folder's submissions one by one with "
                                 "'nianbao validate --previous'"));
        took = rules_option(&b->rules, c, optarg, name, &rc);
        if (took < 0)
            return rc;
        if (took > 0)
            continue;
        slot = text_option(b, c);
        if (slot != NULL) {
            *slot = optarg;
            continue;
        }
        switch (c) {
        case 'j':
            if (!parse_jobs(&b->jobs, optarg))
                return usage_error(name,
                                   _("--jobs must be a number from 1 to 256, "
                                     "not '%s'"),
                                   optarg);
            break;
        case OPT_DATE:
            if (!parse_date(optarg))
                return usage_error(name,
                                   _("--date must be a day as YYYY-MM-DD, "
                                     "not '%s'"),
                                   optarg);
            b->date = optarg;
            break;
        case OPT_NO_PROGRESS:
            b->progress = 0;
            break;
        case OPT_BATCH:
            break; /* render --batch brought us here */
        case 'v':
            b->verbose = true;
            break;
        case 'q':
            b->quiet = true;
            break;
        case 'e':
            if (!parse_encoding(&b->ro.encoding, name, optarg, &rc))
                return rc;
            break;
        case 'd':
            if (!diag_format_parse(&b->fmt, optarg))
                return usage_error(
                    name, _("--diag must be text or json, not '%s'"), optarg);
            break;
        case OPT_LIMIT:
            if (limit_option(&b->lim, &b->diag_cap, optarg, name, &rc) < 0)
                return rc;
            break;
        case 'h':
            if (cmd == CMD_INBOX)
                help_inbox();
            else if (cmd == CMD_AGGREGATE)
                help_aggregate();
            else
                help_batch();
            return -1;
        case ':':
            return usage_error(name, _("option '%s' needs a value"),
                               argv[optind - 1]);
        default:
            if (optopt == 'j' || optopt == 'o' || optopt == 't' ||
                (optopt >= OPT_INDICATORS && optopt != OPT_FIGURES &&
                 optopt != OPT_NO_PROGRESS && optopt != OPT_BATCH))
                return usage_error(name, _("option '%s' needs a value"),
                                   argv[optind - 1]);
            return usage_error(name, _("unknown option '%s'"),
                               argv[optind - 1]);
        }
    }
    b->inputs = argv + optind;
    b->n_inputs = argc - optind;
    return EXIT_CLEAN;
}

/* ==== Progress ==== */

static const char *status_word(nb_sub_status s)
{
    static const char *const words[] = {N_("valid"), N_("invalid"),
                                        N_("unreadable"), N_("skipped"),
                                        N_("missing")};

    return (unsigned)s < 5 ? _(words[s]) : "?";
}

static void progress(size_t done, size_t total, const nb_submission *sub,
                     const nb_diag_list *sdl, void *payload)
{
    batch_cli *b = payload;
    unsigned step;

    if (b->verbose) {
        diag_print_sorted(sdl, b->fmt);
        if (b->fmt == DIAG_TEXT)
            fprintf(stderr, _("%s: %s (errors: %zu, warnings: %zu)\n"),
                    sub->path, status_word(sub->status), sub->errors,
                    sub->warnings);
        return;
    }
    if (b->progress == 0 || b->fmt == DIAG_JSON)
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

static void row_cells(const char *cells[N_COLS], char bufs[3][32],
                      char *missing, size_t missing_size,
                      const nb_submission *s)
{
    static const char *const part_words[] = {N_("measures"), N_("shortcomings"),
                                             N_("duties"), N_("plans")};
    size_t len = 0;
    int k;

    missing[0] = '\0';
    for (k = 0; k < 4; k++)
        if (s->missing & (1u << k)) {
            int n = snprintf(missing + len, missing_size - len, "%s%s",
                             len > 0 ? "," : "", _(part_words[k]));

            if (n > 0 && (size_t)n < missing_size - len)
                len += (size_t)n;
        }
    bufs[0][0] = '\0';
    if (s->year > 0)
        snprintf(bufs[0], 32, "%d", s->year);
    snprintf(bufs[1], 32, "%zu", s->errors);
    snprintf(bufs[2], 32, "%zu", s->warnings);
    cells[0] = s->name != NULL ? s->name : "-";
    cells[1] = s->office != NULL ? s->office : "?";
    cells[2] = bufs[0][0] != '\0' ? bufs[0] : "-";
    cells[3] = status_word(s->status);
    cells[4] = bufs[1];
    cells[5] = bufs[2];
    cells[6] = missing[0] != '\0' ? missing : "-";
}

static void print_table(const nb_inbox *ib)
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
        char bufs[3][32];
        char missing[128];

        row_cells(cells, bufs, missing, sizeof(missing), nb_inbox_at(ib, i));
        for (c = 0; c < N_COLS; c++)
            if (display_width(cells[c]) > width[c])
                width[c] = display_width(cells[c]);
    }
    for (c = 0; c < N_COLS; c++)
        put_cell(head[c], width[c], c == N_COLS - 1);
    for (i = 0; i < nb_inbox_count(ib); i++) {
        const char *cells[N_COLS];
        char bufs[3][32];
        char missing[128];

        row_cells(cells, bufs, missing, sizeof(missing), nb_inbox_at(ib, i));
        for (c = 0; c < N_COLS; c++)
            put_cell(cells[c], width[c], c == N_COLS - 1);
    }
}

static void print_counts(const nb_inbox *ib)
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
    fputc('\n', stdout);
}

/* The submissions that failed, one line each, with the first error:
 * those with errors (inbox), also those left out of the totals
 * (aggregate) or not rendered (render --batch). */
static size_t print_failures(const nb_inbox *ib, which cmd, bool print)
{
    static const char *const heads[] = {
        N_("first errors:\n"), N_("left out:\n"), N_("not rendered:\n")};
    size_t n = 0;
    size_t i;

    for (i = 0; i < nb_inbox_count(ib); i++) {
        const nb_submission *s = nb_inbox_at(ib, i);
        bool failed =
            s->status == NB_SUB_INVALID || s->status == NB_SUB_UNREADABLE;
        bool dup =
            cmd == CMD_AGGREGATE && s->status == NB_SUB_VALID && !s->summed;

        if (cmd == CMD_BATCH && s->status == NB_SUB_VALID && s->output == NULL)
            failed = true;
        if (!failed && !dup)
            continue;
        if (!print) {
            n++;
            continue;
        }
        if (n++ == 0)
            fputs(_(heads[cmd]), stdout);
        printf("  %s: %s", s->path,
               dup ? _("a duplicate (the same office and year as another)")
                   : status_word(s->status));
        if (s->first_error != NULL)
            printf(": %s", s->first_error);
        fputc('\n', stdout);
    }
    return n;
}

/* ==== Running ==== */

static int setup(batch_cli *b, nb_diag_list **dl_out)
{
    nb_diag_list *dl = nb_diag_list_new();
    int rc;

    *dl_out = dl;
    if (dl == NULL)
        return EXIT_RUN;
    if (b->diag_cap > 0)
        nb_diag_list_set_cap(dl, b->diag_cap);
    if (b->progress < 0)
        b->progress = isatty(STDERR_FILENO) && !b->quiet ? 1 : -1;
    rc = rules_load(&b->rules, &b->ro, dl);
    return rc;
}

static nb_inbox_opts inbox_opts(batch_cli *b)
{
    nb_inbox_opts o;

    memset(&o, 0, sizeof(o));
    o.read = b->ro;
    o.check = rules_check_opts(&b->rules);
    o.jobs = b->jobs;
    o.progress = progress;
    o.payload = b;
    b->last_step = 0; /* each folder has its own tenths */
    return o;
}

static void end_progress(batch_cli *b)
{
    if (b->bar_shown) {
        fputs("\r\033[K", stderr);
        b->bar_shown = false;
    }
}

static nb_status write_summaries(const batch_cli *b, const nb_inbox *ib,
                                 nb_diag_list *dl)
{
    nb_status st = NB_OK;

    if (b->csv != NULL)
        st = nb_inbox_write_csv(ib, b->csv, dl);
    if (st == NB_OK && b->json != NULL)
        st = nb_inbox_write_json(ib, b->json, dl);
    if (st == NB_OK && b->docx != NULL)
        st = nb_inbox_write_docx(ib, b->docx, b->issuer, b->date, dl);
    return st;
}

/* A folder of submissions named on the command line: false (and *rc the
 * exit status) when it is not one: 2 for a file, 3 for nothing there. */
static bool folder_arg(const char *dir, int *rc)
{
    if (!is_folder(dir)) {
        fprintf(stderr, _("nianbao: %s: not a folder\n"), dir);
        *rc = access(dir, F_OK) == 0 ? EXIT_USAGE : EXIT_RUN;
        return false;
    }
    return true;
}

/* True when 'out' is in the folder 'dir' or below it: a summary written
 * there would overwrite a submission, land inside one, or be one on the
 * next run. 'out' need not exist: its nearest existing folder counts. */
static bool inside(const char *out, const char *dir)
{
    char *rdir = realpath(dir, NULL);
    char *p = strdup(out);
    char *rp = NULL;
    bool in = false;

    while (p != NULL && rdir != NULL && rp == NULL) {
        char *slash = strrchr(p, '/');

        if (slash == NULL) {
            rp = realpath(".", NULL);
            break;
        }
        *slash = '\0';
        rp = realpath(slash == p ? "/" : p, NULL);
    }
    if (rp != NULL && rdir != NULL) {
        size_t n = strlen(rdir);

        in = strncmp(rp, rdir, n) == 0 &&
             (rp[n] == '\0' || rp[n] == '/' || strcmp(rdir, "/") == 0);
    }
    free(rdir);
    free(p);
    free(rp);
    return in;
}

/* An output that would overwrite a submission, or the list. */
static bool clobbers(const char *out, const char *dir, const char *expect)
{
    return out != NULL &&
           (same_file(out, dir) || same_file(out, expect) || inside(out, dir));
}

/* The command line of a command over one folder: -1 after --help, else
 * an exit status (EXIT_CLEAN to go on). */
static int one_folder(batch_cli *b, which cmd, int argc, char **argv,
                      const char *none)
{
    const char *name = cmd_names[cmd];
    int rc = parse(b, cmd, argc, argv);

    if (rc != EXIT_CLEAN)
        return rc;
    if (b->n_inputs != 1)
        return usage_error(
            name, "%s",
            b->n_inputs == 0 ? none : _("give one folder of submissions"));
    if (!folder_arg(b->inputs[0], &rc))
        return rc;
    return EXIT_CLEAN;
}

/* Run over the folder and write the summaries asked for; an exit status. */
static int run_folder(batch_cli *b, const nb_inbox_opts *o, nb_inbox **ib,
                      nb_diag_list *dl)
{
    nb_status st = nb_inbox_run(ib, b->inputs[0], o, dl);

    end_progress(b);
    if (st == NB_OK)
        st = write_summaries(b, *ib, dl);
    return st == NB_OK ? EXIT_CLEAN : status_exit(st);
}

int cmd_inbox(int argc, char **argv)
{
    batch_cli b;
    nb_diag_list *dl = NULL;
    nb_inbox *ib = NULL;
    nb_inbox_opts o;
    int rc = one_folder(&b, CMD_INBOX, argc, argv, _("no folder given"));

    if (rc < 0)
        return EXIT_CLEAN;
    if (rc != EXIT_CLEAN)
        return rc;
    if (clobbers(b.csv, b.inputs[0], b.expect) ||
        clobbers(b.json, b.inputs[0], b.expect) ||
        clobbers(b.docx, b.inputs[0], b.expect))
        return usage_error("inbox", "%s",
                           _("write the summaries outside the folder of "
                             "submissions, and not over the list of "
                             "offices"));
    rc = setup(&b, &dl);
    if (rc == EXIT_CLEAN) {
        o = inbox_opts(&b);
        o.expect = b.expect;
        rc = run_folder(&b, &o, &ib, dl);
    }
    if (ib != NULL && b.fmt == DIAG_TEXT) {
        if (!b.quiet)
            print_table(ib);
        print_counts(ib);
        print_failures(ib, CMD_INBOX, true);
    }
    diag_print(dl, b.fmt);
    if (rc == EXIT_CLEAN && ib != NULL &&
        (nb_inbox_count_status(ib, NB_SUB_INVALID) > 0 ||
         nb_inbox_count_status(ib, NB_SUB_UNREADABLE) > 0 ||
         nb_inbox_count_status(ib, NB_SUB_MISSING) > 0 ||
         nb_diag_list_count_sev(dl, NB_SEV_ERROR) > 0))
        rc = EXIT_DATA;
    nb_inbox_free(ib);
    nb_diag_list_free(dl);
    rules_free(&b.rules);
    return rc;
}

/* The offices summed from each folder given to aggregate, to find one
 * submitted in two of them. */
typedef struct seen_row {
    char *office;
    int year;
    char *path;
} seen_row;

typedef struct seen_list {
    seen_row *v;
    size_t n;
    size_t alloc;
} seen_list;

static bool keep_summed(seen_list *l, const nb_inbox *ib)
{
    size_t i;

    for (i = 0; i < nb_inbox_count(ib); i++) {
        const nb_submission *s = nb_inbox_at(ib, i);
        seen_row *r;

        if (!s->summed || s->office == NULL)
            continue;
        if (l->n == l->alloc) {
            size_t na = l->alloc == 0 ? 256 : l->alloc * 2;
            seen_row *nv = realloc(l->v, na * sizeof(*nv));

            if (nv == NULL)
                return false;
            l->v = nv;
            l->alloc = na;
        }
        r = &l->v[l->n];
        r->office = strdup(s->office);
        r->path = strdup(s->path);
        r->year = s->year;
        if (r->office == NULL || r->path == NULL) {
            free(r->office);
            free(r->path);
            return false;
        }
        l->n++;
    }
    return true;
}

static int by_office_year(const void *a, const void *b)
{
    const seen_row *x = a;
    const seen_row *y = b;
    int c = strcmp(x->office, y->office);

    if (c == 0)
        c = x->year < y->year ? -1 : x->year > y->year;
    return c != 0 ? c : strcmp(x->path, y->path);
}

/* Report every office summed from two folders; true when there is one. */
static bool across_inputs(seen_list *l)
{
    bool any = false;
    size_t i;

    if (l->n < 2)
        return false;
    qsort(l->v, l->n, sizeof(*l->v), by_office_year);
    for (i = 1; i < l->n; i++)
        if (l->v[i].year == l->v[i - 1].year &&
            strcmp(l->v[i].office, l->v[i - 1].office) == 0) {
            fprintf(stderr,
                    _("nianbao: %s for %d is in both '%s' and '%s': keep "
                      "one; no totals written\n"),
                    l->v[i].office, l->v[i].year, l->v[i - 1].path,
                    l->v[i].path);
            any = true;
        }
    return any;
}

static void seen_fini(seen_list *l)
{
    size_t i;

    for (i = 0; i < l->n; i++) {
        free(l->v[i].office);
        free(l->v[i].path);
    }
    free(l->v);
}

int cmd_aggregate(int argc, char **argv)
{
    batch_cli b;
    nb_diag_list *dl = NULL;
    nb_totals *tot = NULL;
    seen_list seen = {NULL, 0, 0};
    size_t left_out = 0;
    int rc = parse(&b, CMD_AGGREGATE, argc, argv);
    int i;
    int k;

    if (rc < 0)
        return EXIT_CLEAN;
    if (rc != EXIT_CLEAN)
        return rc;
    if (b.n_inputs == 0)
        return usage_error("aggregate", "%s",
                           _("no folder of submissions given"));
    if (b.out == NULL)
        return usage_error("aggregate", "%s",
                           _("no output file: add -o TOTALS.csv"));
    for (i = 0; i < b.n_inputs; i++) {
        if (same_file(b.out, b.inputs[i]) || inside(b.out, b.inputs[i]))
            return usage_error("aggregate",
                               _("refusing to write '%s' over an input or "
                                 "into a folder of submissions"),
                               b.out);
        if (!is_csv_file(b.inputs[i]) && !folder_arg(b.inputs[i], &rc))
            return rc;
        for (k = 0; k < i; k++)
            if (same_file(b.inputs[k], b.inputs[i]))
                return usage_error("aggregate",
                                   _("'%s' is given twice: its figures would "
                                     "be counted twice"),
                                   b.inputs[i]);
    }
    rc = setup(&b, &dl);
    if (rc == EXIT_CLEAN && (tot = nb_totals_new(b.rules.cat)) == NULL)
        rc = EXIT_RUN;
    for (i = 0; i < b.n_inputs && rc == EXIT_CLEAN; i++) {
        nb_inbox_opts o = inbox_opts(&b);
        nb_inbox *ib = NULL;
        nb_status st;

        if (is_csv_file(b.inputs[i])) {
            st = nb_totals_read_csv(tot, b.inputs[i], dl);
            if (st != NB_OK)
                rc = status_exit(st);
            continue;
        }
        o.totals = true;
        st = nb_inbox_run(&ib, b.inputs[i], &o, dl);
        end_progress(&b);
        if (st == NB_OK)
            st = nb_totals_merge(tot, nb_inbox_totals(ib), dl);
        if (st != NB_OK)
            rc = status_exit(st);
        else {
            left_out += print_failures(ib, CMD_AGGREGATE, b.fmt == DIAG_TEXT);
            if (!keep_summed(&seen, ib))
                rc = EXIT_RUN;
        }
        nb_inbox_free(ib);
    }
    if (rc == EXIT_CLEAN && across_inputs(&seen))
        rc = EXIT_DATA; /* reported: no totals that count an office twice */
    else if (rc == EXIT_CLEAN && nb_totals_write_csv(tot, b.out, dl) != NB_OK)
        rc = EXIT_RUN;
    if (rc == EXIT_CLEAN && b.fmt == DIAG_TEXT) {
        printf(_("%s: the totals of %zu reports\n"), b.out,
               nb_totals_reports(tot));
        if (nb_totals_left_out(tot) > 0)
            printf(_("%zu figures are left out (approximate, in another "
                     "unit, or a rate without its counts): see the column "
                     "未计入; -v names them\n"),
                   nb_totals_left_out(tot));
    }
    diag_print(dl, b.fmt);
    if (rc == EXIT_CLEAN && left_out > 0)
        rc = EXIT_DATA;
    seen_fini(&seen);
    nb_totals_free(tot);
    nb_diag_list_free(dl);
    rules_free(&b.rules);
    return rc;
}

int render_batch(int argc, char **argv)
{
    batch_cli b;
    nb_diag_list *dl = NULL;
    nb_template *t = NULL;
    nb_inbox *ib = NULL;
    nb_inbox_opts o;
    nb_status st;
    int rc =
        one_folder(&b, CMD_BATCH, argc, argv, _("no folder given to --batch"));

    if (rc < 0)
        return EXIT_CLEAN;
    if (rc != EXIT_CLEAN)
        return rc;
    if (b.out == NULL)
        return usage_error("render", "%s",
                           _("no output folder: add -o OUTDIR"));
    if (same_file(b.out, b.inputs[0]) || inside(b.out, b.inputs[0]))
        return usage_error("render", "%s",
                           _("the output folder is in the folder of "
                             "submissions: choose one outside it"));
    if (clobbers(b.csv, b.inputs[0], NULL) ||
        clobbers(b.json, b.inputs[0], NULL))
        return usage_error("render", "%s",
                           _("write the summaries outside the folder of "
                             "submissions"));
    if (mkdir(b.out, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, _("nianbao: %s: cannot make the folder: %s\n"), b.out,
                strerror(errno));
        return EXIT_RUN;
    }
    if (!is_folder(b.out)) {
        fprintf(stderr, _("nianbao: %s: not a folder\n"), b.out);
        return EXIT_RUN;
    }
    rc = setup(&b, &dl);
    if (rc == EXIT_CLEAN && b.tpath != NULL) {
        nb_template_check_opts tco = {&b.lim, b.rules.cat};

        st = nb_template_check(&t, b.tpath, &tco, dl);
        if (st != NB_OK)
            rc = status_exit(st);
        else if (!nb_template_renderable(t))
            rc = EXIT_DATA; /* the template's errors are reported */
    }
    if (rc == EXIT_CLEAN) {
        o = inbox_opts(&b);
        o.render_dir = b.out;
        o.tmpl = t;
        rc = run_folder(&b, &o, &ib, dl);
    }
    if (ib != NULL) {
        size_t done = 0;
        size_t todo = nb_inbox_count(ib) -
                      nb_inbox_count_status(ib, NB_SUB_SKIPPED) -
                      nb_inbox_count_status(ib, NB_SUB_MISSING);
        size_t i;

        for (i = 0; i < nb_inbox_count(ib); i++)
            done += nb_inbox_at(ib, i)->output != NULL;
        if (b.fmt == DIAG_TEXT) {
            print_failures(ib, CMD_BATCH, true);
            if (!b.quiet)
                printf(_("%zu of %zu submissions rendered into %s\n"), done,
                       todo, b.out);
        }
        if (done < todo && rc == EXIT_CLEAN)
            rc = EXIT_DATA;
    }
    diag_print(dl, b.fmt);
    nb_inbox_free(ib);
    nb_template_free(t);
    nb_diag_list_free(dl);
    rules_free(&b.rules);
    return rc;
}
