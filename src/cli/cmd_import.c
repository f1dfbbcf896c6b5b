/* cmd_import.c: `nianbao import`: a report draft (.docx, .html, .txt) as
 * report XML or a form set. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

static const cli_opt opt_output_import = {
    "output", 'o', CLI_VALUE, "OUT", NULL, CLI_COMPLETE_FILE,
    N_("report XML file (OUT.xml) or form set folder (OUT/)"), NULL,
    offsetof(cli_args, output), CLI_IO_WRITE};

static const cli_opt opt_tree = {
    "tree", 0, CLI_FLAG, NULL, NULL, CLI_COMPLETE_NONE,
    N_("print the recognised structure as an indented outline"), NULL,
    offsetof(cli_args, tree), CLI_IO_NONE};

static const cli_opt opt_no_metrics = {
    "no-metrics", 0, CLI_FLAG, NULL, NULL, CLI_COMPLETE_NONE,
    N_("leave every figure as typed text"), NULL,
    offsetof(cli_args, no_metrics), CLI_IO_NONE};

/* Write r to a: XML when OUT ends in .xml, else a form set. */
static nb_status write_out(const nb_report *r, const cli_args *a,
                           nb_diag_list *dl)
{
    size_t n = strlen(a->output);

    if (n > 4 && strcmp(a->output + n - 4, ".xml") == 0)
        return nb_report_write_xml(r, a->output, dl);
    return nb_report_write_forms(r, a->output, a->out_encoding, dl);
}

static int run_import(cli_args *a)
{
    const char *in = a->args[0];
    nb_import_opts io;
    nb_diag_list *dl;
    nb_report *r = NULL;
    nb_status st;
    int rc = EXIT_CLEAN;

    memset(&io, 0, sizeof(io));
    if (a->output == NULL && !a->tree)
        return cli_usage_error(a->cmd, "%s",
                               _("no output: add -o OUT or --tree"));
    if (a->output != NULL && same_file(in, a->output))
        return cli_usage_error(a->cmd,
                               _("refusing to overwrite the input '%s' with "
                                 "the output"),
                               a->output);
    dl = cli_diag_list(a);
    if (dl == NULL)
        return EXIT_RUN;
    io.limits = &a->limits;
    io.no_metrics = a->no_metrics;
    st = nb_import_file(&r, in, &io, dl);
    if (st != NB_OK || r == NULL) {
        rc = st != NB_OK && st != NB_ERR_FORMAT ? EXIT_RUN : EXIT_DATA;
        goto done;
    }
    if (a->tree) {
        char *t = NULL;

        if (nb_report_outline(&t, r) != NB_OK) {
            rc = EXIT_RUN;
            goto done;
        }
        fputs(t, stdout);
        nb_free(t);
    }
    if (a->output != NULL && (st = write_out(r, a, dl)) != NB_OK)
        rc = status_exit(st);
done:
    diag_print(dl, a->diag);
    nb_report_free(r);
    nb_diag_list_free(dl);
    return rc;
}

static const cli_opt *const import_opts[] = {
    &opt_output_import, &opt_tree, &opt_no_metrics, &opt_limit, &opt_diag,
    NULL};

const cli_cmd cmd_import_def = {
    "import", N_("[OPTION]... DRAFT -o OUT"),
    N_("a report draft (.docx, .html, .txt) -> report XML or forms"),
    N_("Read a report as offices have it: a Word draft (.docx), a\n"
       "政府信息公开 article page (.html, .htm) or pasted text (.txt),\n"
       "and write it as report XML (OUT ends in .xml) or as a form set\n"
       "(folder OUT). The title, 主送, preamble, parts and their kinds,\n"
       "areas, items, 署名 and 成文日期 are recognised; ordinals become\n"
       "structure and numbering style. Each guess is printed as a note\n"
       "to check; every paragraph lands in the output, in order."),
    N_("Examples:\n"
       "  nianbao import 2023年报告.docx -o report.xml\n"
       "  nianbao import page.html --tree"),
    import_opts, NULL, 1, 1, CLI_COMPLETE_FILE, N_("no draft given"),
    N_("give one draft"), run_import, CLI_IO_READ};
