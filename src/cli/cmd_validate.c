/* cmd_validate.c: `nianbao validate FILE...`: read and check report files,
 * print every finding, summarise. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

static const cli_opt opt_figures = {
    "figures", 0, CLI_FLAG, NULL, NULL, CLI_COMPLETE_NONE,
    N_("also list each figure typed in the text (93件, 98%)\n"
       "that is not a metric reference, saying which metric\n"
       "it equals, if any"),
    NULL, offsetof(cli_args, figures), CLI_IO_NONE};

static const cli_opt opt_quiet_valid = {
    "quiet", 'q', CLI_FLAG, NULL, NULL, CLI_COMPLETE_NONE,
    N_("print nothing for files without problems"), NULL,
    offsetof(cli_args, quiet), CLI_IO_NONE};

/* One input read and checked: false when it could not be read at all. */
static bool validate_one(cli_args *a, const char *path, nb_read_opts *ro,
                         const nb_check_opts *co, nb_diag_list *dl)
{
    nb_report *r = NULL;
    size_t before = nb_diag_list_count_sev(dl, NB_SEV_ERROR);
    nb_input_kind kind = nb_input_kind_of(path);
    bool csv = kind == NB_INPUT_CSV;
    nb_status st = csv ? nb_form_validate(path, ro, dl)
                   : kind == NB_INPUT_XLSX
                       ? nb_workbook_read(&r, &csv, path, ro, dl)
                       : nb_report_read(&r, path, ro, dl);
    bool clean;

    if (st == NB_OK && r != NULL && nb_report_check(r, co, dl) != NB_OK)
        st = NB_ERR_NOMEM;
    clean = st == NB_OK && !a->quiet && a->diag == DIAG_TEXT &&
            nb_diag_list_count_sev(dl, NB_SEV_ERROR) == before;
    if (clean && csv)
        term_printf(stdout, _("%s: valid\n"), path);
    else if (clean && r != NULL)
        term_printf(stdout, _("%s: valid (sections: %zu)\n"), path,
                    nb_report_section_count(r));
    nb_report_free(r);
    return st == NB_OK || st == NB_ERR_FORMAT;
}

static int run(cli_args *a)
{
    nb_read_opts ro = cli_read_opts(a);
    rules_cli rules;
    nb_check_opts co;
    bool run_failed = false;
    nb_diag_list *dl = cli_diag_list(a);
    size_t errors;
    int rc;
    int i;

    if (dl == NULL)
        return EXIT_RUN;
    rc = rules_load(&rules, a, &ro, dl);
    if (rc != EXIT_CLEAN) {
        diag_print(dl, a->diag);
        nb_diag_list_free(dl);
        rules_free(&rules);
        return rc;
    }
    co = rules_check_opts(&rules, a);
    ro.partial = true; /* a form set with bad rows: check the rest too */
    for (i = 0; i < a->n_args; i++)
        if (!validate_one(a, a->args[i], &ro, &co, dl))
            run_failed = true;
    errors = nb_diag_list_count_sev(dl, NB_SEV_ERROR);
    diag_print(dl, a->diag);
    nb_diag_list_free(dl);
    rules_free(&rules);
    if (run_failed)
        return EXIT_RUN;
    return errors > 0 ? EXIT_DATA : EXIT_CLEAN;
}

static const cli_opt *const opts[] = {
    &opt_profile, &opt_indicators, &opt_previous, &opt_limit, &opt_figures,
    &opt_encoding, &opt_diag, &opt_quiet_valid, &opt_allow, NULL};

const cli_cmd cmd_validate_def = {
    "validate", N_("[OPTION]... REPORT..."),
    N_("check reports (XML files, form set folders, zips) or CSV forms;\n"
       "print every problem"),
    N_("Check reports, each one of:\n"
       "  a report XML file (schemas/report.xsd): well-formed XML, no\n"
       "    DTDs or entities, every schema violation with its line;\n"
       "  a form set folder (meta.csv, narrative.csv, metrics.csv):\n"
       "    every cell against its form's schema, the narrative's\n"
       "    order, the metrics against the indicator catalog;\n"
       "  one CSV form on its own (a large metrics sheet, read\n"
       "    streaming): its cells and, for metrics, the catalog;\n"
       "  a zip holding one report XML or one form set, at the top or\n"
       "    in one folder (as offices send them): read in memory,\n"
       "    findings named ZIP/ENTRY (office.zip/meta.csv:3).\n"
       "Whole reports are then held to the rules (docs/rules.md): the\n"
       "parts art. 25 requires, the years and the date, parts against\n"
       "wholes, stated rates against their counts, every metric\n"
       "reference in the text. All problems of all inputs are reported\n"
       "in one run, located as file:line (XML) or file:row (CSV, the row\n"
       "Excel shows)."),
    N_("Examples:\n"
       "  nianbao validate forms\n"
       "  nianbao validate --previous=2021.xml report.xml\n"
       "  nianbao validate report.xml --profile=work-summary\n"
       "\n"
       "Exit status: 0 all files valid (warnings allowed), 1 errors\n"
       "found, 2 wrong usage, 3 a file could not be read."),
    opts, NULL, 1, -1, CLI_COMPLETE_FILE, N_("no file to validate"), NULL,
    run, CLI_IO_READ};
