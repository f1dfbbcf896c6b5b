/* cmd_inbox.c: `nianbao inbox DIR`: check every submission in a folder,
 * summarise, list who has not submitted (docs/inbox.md). */
#include "batch.h"

#include <stdlib.h>
#include <string.h>

/* A day written YYYY-MM-DD that the calendar has. */
static bool is_date(const char *s)
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

static bool set_date(cli_args *a, const char *v, char *why, size_t size)
{
    if (!is_date(v)) {
        snprintf(why, size, _("'%s' is not a day written YYYY-MM-DD"), v);
        return false;
    }
    a->date = v;
    return true;
}

static const cli_opt opt_expect = {
    "expect", 0, CLI_VALUE, "FILE", NULL, CLI_COMPLETE_FILE,
    N_("a CSV of the offices that must submit (a column\n"
       "发布机构, or the first column): list who has not, and\n"
       "who is not on it"),
    NULL, offsetof(cli_args, expect), CLI_IO_READ};

static const cli_opt opt_docx = {
    "docx", 0, CLI_VALUE, "FILE", NULL, CLI_COMPLETE_FILE,
    N_("write the summary as a Word document in the\n"
       "official-document format, to forward upward"),
    NULL, offsetof(cli_args, docx), CLI_IO_WRITE};

static const cli_opt opt_html = {
    "html", 0, CLI_VALUE, "FILE", NULL, CLI_COMPLETE_FILE,
    N_("write the summary as one self-contained web page"),
    NULL, offsetof(cli_args, html), CLI_IO_WRITE};

static const cli_opt opt_issuer_sign = {
    "issuer", 0, CLI_VALUE, "NAME", NULL, CLI_COMPLETE_NONE,
    N_("sign the Word summary with this name"), NULL,
    offsetof(cli_args, issuer), CLI_IO_NONE};

static const cli_opt opt_date = {
    "date", 0, CLI_VALUE, "DATE", NULL, CLI_COMPLETE_NONE,
    N_("date the Word summary (YYYY-MM-DD, written 2023年3月20日)"),
    set_date, 0, CLI_IO_NONE};

static const cli_opt opt_quiet_table = {
    "quiet", 'q', CLI_FLAG, NULL, NULL, CLI_COMPLETE_NONE,
    N_("print no table, only the problems"), NULL, offsetof(cli_args, quiet), CLI_IO_NONE};

static int run(cli_args *a)
{
    batch b;
    nb_diag_list *dl = NULL;
    nb_inbox *ib = NULL;
    nb_inbox_opts o;
    const char *dir = a->args[0];
    int rc = EXIT_CLEAN;

    if (!batch_folder_arg(dir, &rc))
        return rc;
    rc = batch_setup(&b, a, BATCH_INBOX, &dl);
    if (rc == EXIT_CLEAN) {
        o = batch_inbox_opts(&b);
        o.expect = a->expect;
        rc = batch_run_folder(&b, &o, &ib, dl);
    }
    if (ib != NULL && a->diag == DIAG_TEXT) {
        if (!a->quiet)
            batch_print_table(ib);
        batch_print_counts(ib);
        batch_print_failures(ib, BATCH_INBOX, true);
    }
    diag_print(dl, a->diag);
    if (rc == EXIT_CLEAN && ib != NULL && nb_inbox_faults(ib) > 0)
        rc = EXIT_RUN; /* the run could not read everything: not the data */
    if (rc == EXIT_CLEAN && ib != NULL &&
        (nb_inbox_count_status(ib, NB_SUB_INVALID) > 0 ||
         nb_inbox_count_status(ib, NB_SUB_UNREADABLE) > 0 ||
         nb_inbox_count_status(ib, NB_SUB_MISSING) > 0 ||
         nb_diag_list_count_sev(dl, NB_SEV_ERROR) > 0))
        rc = EXIT_DATA;
    nb_inbox_free(ib);
    nb_diag_list_free(dl);
    batch_fini(&b);
    return rc;
}

static const cli_opt *const opts[] = {
    &opt_expect,     &opt_summary_csv, &opt_summary_json, &opt_docx, &opt_html,
    &opt_issuer_sign, &opt_date,       &opt_jobs,         &opt_verbose,
    &opt_quiet_table, &opt_no_progress, &opt_profile,     &opt_indicators,
    &opt_encoding,   &opt_limit,       &opt_diag,         &opt_allow,
    NULL};

static const char *const conflicts[] = {"quiet", "verbose", NULL};

const cli_cmd cmd_inbox_def = {
    "inbox", N_("[OPTION]... DIR"),
    N_("check a folder of submissions (one per office), summarise,\n"
       "list who has not submitted"),
    N_("Check every submission in the folder DIR, each one of: a report\n"
       "XML file, a form set folder, or a .zip of either. One bad\n"
       "submission never stops the others. Print a table: file, office,\n"
       "year, status, errors, warnings and the parts art. 25 requires\n"
       "that are missing; then what is wrong with the folder (files that\n"
       "are not submissions, the same office twice, offices that have\n"
       "not submitted). With --diag=json the findings are JSON lines on\n"
       "standard output and there is no table."),
    N_("Example:\n"
       "  nianbao inbox 2022-reports --expect offices.csv --csv "
       "summary.csv\n"
       "\n"
       "Exit status: 0 every submission valid and none missing, 1 a\n"
       "submission has errors, cannot be read or is missing, 2 wrong\n"
       "usage, 3 could not run."),
    opts, conflicts, 1, 1, CLI_COMPLETE_DIR, N_("no folder given"),
    N_("give one folder of submissions"), run, CLI_IO_READ_TREE};
