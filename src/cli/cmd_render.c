/* cmd_render.c: `nianbao render FILE -o OUT [--template T]` (or
 * `--data FILE.json -t T.docx -o OUT`: any JSON data merged): validate,
 * merge, write atomically. Nothing is written when the data or the template
 * has errors, and the inputs are never overwritten. (`render --batch` is
 * its own table, cmd_batch.c.) */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

static const cli_opt opt_output = {
    "output", 'o', CLI_VALUE, "OUT.docx", NULL, CLI_COMPLETE_FILE,
    N_("the document to write (required); it is replaced only\n"
       "once complete"),
    NULL, offsetof(cli_args, output), CLI_IO_WRITE};

/* Only here to be listed: main.c hands "render --batch" to cmd_batch.c. */
static const cli_opt opt_batch = {
    "batch", 0, CLI_FLAG, NULL, NULL, CLI_COMPLETE_NONE,
    N_("REPORT is a folder of submissions: render every valid\n"
       "one into the folder OUT ('nianbao render --batch --help')"),
    NULL, offsetof(cli_args, batch), CLI_IO_NONE};

static const cli_opt opt_data = {
    "data", 0, CLI_VALUE, "FILE.json", NULL, CLI_COMPLETE_FILE,
    N_("merge this JSON data into the template (--template,\n"
       "required) as it is, instead of a report"),
    NULL, offsetof(cli_args, data), CLI_IO_READ};

/* render --data FILE.json -t T.docx -o OUT.docx: the template checked
 * against the data's names, then merged. */
static int run_data(cli_args *a, nb_diag_list *dl)
{
    nb_template_check_opts tco = {&a->limits, NULL, NULL};
    nb_data *d = NULL;
    nb_template *t = NULL;
    nb_status st = nb_data_load(&d, a->data, &a->limits, dl);
    int rc = EXIT_CLEAN;

    if (st != NB_OK || d == NULL) {
        rc = st != NB_OK ? status_exit(st) : EXIT_DATA;
        goto done;
    }
    tco.data = d;
    st = nb_template_check(&t, a->tmpl, &tco, dl);
    if (st != NB_OK) {
        rc = status_exit(st);
        goto done;
    }
    if (!nb_template_renderable(t)) {
        rc = EXIT_DATA; /* findings were reported; write nothing */
        goto done;
    }
    st = nb_render_data_file(a->output, t, d, dl);
    if (st != NB_OK)
        rc = status_exit(st);
done:
    nb_template_free(t);
    nb_data_free(d);
    return rc;
}

/* Usage of --data: a template and no report. */
static int data_usage(const cli_args *a)
{
    if (a->n_args > 0)
        return cli_usage_error(a->cmd, "%s",
                               _("give a report or --data FILE.json, not "
                                 "both"));
    if (a->tmpl == NULL)
        return cli_usage_error(a->cmd, "%s",
                               _("--data needs the template to merge it "
                                 "into: add --template T.docx"));
    return EXIT_CLEAN;
}

/* Read and check the report: NULL when it has errors (reported). */
static int read_checked(nb_report **out, cli_args *a, rules_cli *rules,
                        nb_read_opts *ro, nb_diag_list *dl)
{
    nb_check_opts co = rules_check_opts(rules, a);
    nb_report *r = NULL;
    nb_status st = nb_report_read(&r, a->args[0], ro, dl);

    *out = NULL;
    if (st == NB_OK && r != NULL) {
        size_t before = nb_diag_list_count_sev(dl, NB_SEV_ERROR);

        st = nb_report_check(r, &co, dl);
        if (st == NB_OK && nb_diag_list_count_sev(dl, NB_SEV_ERROR) > before) {
            nb_report_free(r); /* the rules found errors: write nothing */
            r = NULL;
        }
    }
    if (st != NB_OK) {
        nb_report_free(r);
        return status_exit(st);
    }
    *out = r;
    return EXIT_CLEAN;
}

static int run(cli_args *a)
{
    nb_read_opts ro = cli_read_opts(a);
    rules_cli rules;
    nb_template_check_opts tco;
    nb_diag_list *dl = NULL;
    nb_report *r = NULL;
    nb_template *t = NULL;
    nb_status st;
    int rc;

    memset(&rules, 0, sizeof(rules));
    memset(&tco, 0, sizeof(tco));
    if (a->output == NULL)
        return cli_usage_error(a->cmd, "%s",
                               _("no output file: add -o OUT.docx"));
    if (a->data != NULL) {
        rc = data_usage(a);
        if (rc != EXIT_CLEAN)
            return rc;
        dl = cli_diag_list(a);
        if (dl == NULL)
            return EXIT_RUN;
        rc = run_data(a, dl);
        goto done;
    }
    if (a->n_args == 0)
        return cli_usage_error(a->cmd, "%s", _(a->cmd->no_args));
    dl = cli_diag_list(a);
    if (dl == NULL)
        return EXIT_RUN;
    rc = rules_load(&rules, a, &ro, dl);
    if (rc == EXIT_CLEAN)
        rc = read_checked(&r, a, &rules, &ro, dl);
    if (rc != EXIT_CLEAN)
        goto done;
    /* the template's names are checked against the report's data, and
     * every problem reported, before anything is written */
    tco.limits = &a->limits;
    tco.catalog = rules.cat;
    st = nb_template_check(&t, a->tmpl, &tco, dl);
    if (st != NB_OK) {
        rc = status_exit(st);
        goto done;
    }
    if (r == NULL || !nb_template_renderable(t)) {
        rc = EXIT_DATA; /* findings were reported; write nothing */
        goto done;
    }
    st = nb_render_file(a->output, t, r, dl);
    if (st != NB_OK)
        rc = status_exit(st);
    else if (nb_diag_list_count_sev(dl, NB_SEV_ERROR) > 0)
        rc = EXIT_DATA;
done:
    diag_print(dl, a->diag);
    nb_template_free(t);
    nb_report_free(r);
    nb_diag_list_free(dl);
    rules_free(&rules);
    return rc;
}

static const cli_opt *const opts[] = {
    &opt_output, &opt_template, &opt_profile, &opt_indicators, &opt_previous,
    &opt_limit, &opt_encoding, &opt_diag, &opt_batch, &opt_allow, &opt_data,
    NULL};

const cli_cmd cmd_render_def = {
    "render", N_("[OPTION]... REPORT -o OUT.docx"),
    N_("write the report as a Word document (--batch DIR -o OUTDIR:\n"
       "every one in a folder of submissions)"),
    N_("Validate the report (a report XML file, a form set folder, or\n"
       "a zip of either) and write it as a Word document.\n"
       "Without --template the built-in standard template is used\n"
       "(GB/T 9704-2012: A4, 22 lines of 28 characters, 仿宋 body).\n"
       "The report is held to the rules first (docs/rules.md); rates it\n"
       "does not state are computed, and the text's metric references\n"
       "are filled in."),
    N_("Examples:\n"
       "  nianbao render forms -o report.docx\n"
       "  nianbao render --data notice.json -t notice.docx -o notice-out.docx\n"
       "  nianbao render report.xml -o out.docx --template my-restyled.docx\n"
       "\n"
       "Exit status: 0 written, 1 errors in the data or the template\n"
       "(nothing written), 2 wrong usage, 3 could not run."),
    opts, NULL, 0, 1, CLI_COMPLETE_FILE, N_("no report file given"),
    N_("give one report file (render one report at a time)"), run, CLI_IO_READ};
