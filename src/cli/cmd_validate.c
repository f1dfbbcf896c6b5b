/* cmd_validate.c: `nianbao validate FILE...`: read and check report files,
 * print every finding, summarise. */
#include "cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static void help(void)
{
    fputs(_("Usage: nianbao validate [OPTION]... FILE...\n"
            "Check report XML files (schemas/report.xsd): well-formed XML,\n"
            "no DTDs or entities, every schema violation with its line.\n"
            "All problems of all files are reported in one run.\n"
            "\n"
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
    static const struct option opts[] = {{"diag", required_argument, NULL, 'd'},
                                         {"quiet", no_argument, NULL, 'q'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    diag_format fmt = DIAG_TEXT;
    bool quiet = false;
    bool run_failed = false;
    nb_diag_list *dl;
    size_t errors;
    int c;
    int i;

    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "+qh", opts, NULL)) != -1) {
        switch (c) {
        case 'd':
            if (!diag_format_parse(&fmt, optarg))
                return usage_error("validate",
                                   _("--diag must be text or json, not '%s'"),
                                   optarg);
            break;
        case 'q':
            quiet = true;
            break;
        case 'h':
            help();
            return EXIT_CLEAN;
        default:
            return usage_error("validate", _("unknown option '%s'"),
                               argv[optind - 1]);
        }
    }
    if (optind >= argc)
        return usage_error("validate", "%s", _("no file to validate"));
    dl = nb_diag_list_new();
    if (dl == NULL)
        return EXIT_RUN;
    for (i = optind; i < argc; i++) {
        nb_report *r = NULL;
        size_t before = nb_diag_list_count_sev(dl, NB_SEV_ERROR);
        nb_status st = nb_report_read_xml(&r, argv[i], NULL, dl);

        if (st != NB_OK && st != NB_ERR_FORMAT)
            run_failed = true;
        if (st == NB_OK && r != NULL && !quiet && fmt == DIAG_TEXT &&
            nb_diag_list_count_sev(dl, NB_SEV_ERROR) == before)
            printf(_("%s: valid (sections: %zu)\n"), argv[i],
                   nb_report_section_count(r));
        nb_report_free(r);
    }
    errors = nb_diag_list_count_sev(dl, NB_SEV_ERROR);
    diag_print(dl, fmt);
    nb_diag_list_free(dl);
    if (run_failed)
        return EXIT_RUN;
    return errors > 0 ? EXIT_DATA : EXIT_CLEAN;
}
