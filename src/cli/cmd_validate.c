/* cmd_validate.c: `nianbao validate FILE...`: read and check report files,
 * print every finding, summarise. */
#include "cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static void help(void)
{
    fputs(_("Usage: nianbao validate [OPTION]... REPORT...\n"
            "Check reports, each one of:\n"
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
            "Excel shows).\n"
            "\n"
            "  --profile=P     annual-report (default: the parts art. 25\n"
            "                  requires, plans for next year, dated by 1\n"
            "                  April) or work-summary (not bound by art. 25);\n"
            "                  overrides the report's own 报告类型\n"
            "  --indicators=F  add the office's local indicator catalog F\n"
            "                  (schemas/indicators.xsd) to the built-in one\n"
            "  --previous=R    last year's report (XML, form set or zip):\n"
            "                  every metric gets its year-on-year change\n"
            "  --limit=NAME=N  raise a safety limit for this run, e.g.\n"
            "                  input=200M or cells=50000 ('nianbao limits')\n"
            "  --figures       also list each figure typed in the text (93件,\n"
            "                  98%%) that is not a metric reference, saying\n"
            "                  which metric it equals, if any\n"
            "  --encoding=ENC  of CSV forms: auto (default: a BOM, else\n"
            "                  UTF-8, else GB18030), utf-8 or gb18030\n"
            "  --diag=FORMAT   text (default; file:line:col: error: ... "
            "[NB####])\n"
            "                  or json (one object per line on stdout)\n"
            "  -q, --quiet     print nothing for files without problems\n"
            "  -h, --help      show this help\n"
            "\n"
            "Exit status: 0 all files valid (warnings allowed), 1 errors\n"
            "found, 2 wrong usage, 3 a file could not be read.\n"),
          stdout);
}

int cmd_validate(int argc, char **argv)
{
    static const struct option opts[] = {
        {"diag", required_argument, NULL, 'd'},
        {"encoding", required_argument, NULL, 'e'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {"figures", no_argument, NULL, OPT_FIGURES},
        {"limit", required_argument, NULL, OPT_LIMIT},
        RULES_LONG_OPTIONS,
        {NULL, 0, NULL, 0}};
    diag_format fmt = DIAG_TEXT;
    bool quiet = false;
    nb_limits lim = {0};
    size_t diag_cap = 0;
    nb_read_opts ro = {NB_ENC_AUTO, &lim, NULL};
    rules_cli rules;
    nb_check_opts co;
    int rc = EXIT_CLEAN;
    bool run_failed = false;
    nb_diag_list *dl;
    size_t errors;
    int c;
    int i;

    opterr = 0;
    optind = 1;
    memset(&rules, 0, sizeof(rules));
    while ((c = getopt_long(argc, argv, "+qh", opts, NULL)) != -1) {
        int took = rules_option(&rules, c, optarg, "validate", &rc);

        if (took < 0)
            return rc;
        if (took > 0)
            continue;
        switch (c) {
        case OPT_LIMIT:
            if (limit_option(&lim, &diag_cap, optarg, "validate", &rc) < 0)
                return rc;
            break;
        case 'd':
            if (!diag_format_parse(&fmt, optarg))
                return usage_error("validate",
                                   _("--diag must be text or json, not '%s'"),
                                   optarg);
            break;
        case 'q':
            quiet = true;
            break;
        case 'e':
            if (!parse_encoding(&ro.encoding, "validate", optarg, &rc))
                return rc;
            break;
        case 'h':
            help();
            return EXIT_CLEAN;
        case ':':
            return usage_error("validate", _("option '%s' needs a value"),
                               argv[optind - 1]);
        default:
            if (optopt == OPT_FIGURES)
                return usage_error("validate", _("option '%s' takes no value"),
                                   argv[optind - 1]);
            if ((optopt >= OPT_INDICATORS && optopt != OPT_FIGURES))
                return usage_error("validate", _("option '%s' needs a value"),
                                   argv[optind - 1]);
            return usage_error("validate", _("unknown option '%s'"),
                               argv[optind - 1]);
        }
    }
    if (optind >= argc)
        return usage_error("validate", "%s", _("no file to validate"));
    dl = nb_diag_list_new();
    if (dl == NULL)
        return EXIT_RUN;
    if (diag_cap > 0)
        nb_diag_list_set_cap(dl, diag_cap);
    rc = rules_load(&rules, &ro, dl);
    if (rc != EXIT_CLEAN) {
        diag_print(dl, fmt);
        nb_diag_list_free(dl);
        rules_free(&rules);
        return rc;
    }
    co = rules_check_opts(&rules);
    for (i = optind; i < argc; i++) {
        nb_report *r = NULL;
        size_t before = nb_diag_list_count_sev(dl, NB_SEV_ERROR);
        bool csv = is_csv_file(argv[i]);
        nb_status st = csv ? nb_form_validate(argv[i], &ro, dl)
                           : nb_report_read(&r, argv[i], &ro, dl);

        if (st == NB_OK && r != NULL && nb_report_check(r, &co, dl) != NB_OK)
            st = NB_ERR_NOMEM;
        if (st != NB_OK && st != NB_ERR_FORMAT)
            run_failed = true;
        if (csv && st == NB_OK && !quiet && fmt == DIAG_TEXT &&
            nb_diag_list_count_sev(dl, NB_SEV_ERROR) == before)
            printf(_("%s: valid\n"), argv[i]);
        if (st == NB_OK && r != NULL && !quiet && fmt == DIAG_TEXT &&
            nb_diag_list_count_sev(dl, NB_SEV_ERROR) == before)
            printf(_("%s: valid (sections: %zu)\n"), argv[i],
                   nb_report_section_count(r));
        nb_report_free(r);
    }
    errors = nb_diag_list_count_sev(dl, NB_SEV_ERROR);
    diag_print(dl, fmt);
    nb_diag_list_free(dl);
    rules_free(&rules);
    if (run_failed)
        return EXIT_RUN;
    return errors > 0 ? EXIT_DATA : EXIT_CLEAN;
}
