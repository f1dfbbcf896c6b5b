/* cmd_render.c: `nianbao render FILE -o OUT [--template T]`: validate,
 * merge, write atomically. Nothing is written when the data or the template
 * has errors, and the inputs are never overwritten. */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static void help(void)
{
    fputs(_("Usage: nianbao render [OPTION]... REPORT -o OUT.docx\n"
            "  or:  nianbao render --batch [OPTION]... DIR -o OUTDIR\n"
            "Validate the report (a report XML file, a form set folder, or\n"
            "a zip of either) and write it as a Word document.\n"
            "Without --template the built-in standard template is used\n"
            "(GB/T 9704-2012: A4, 22 lines of 28 characters, 仿宋 body).\n"
            "\n"
            "  -o, --output=OUT.docx   the document to write (required); it\n"
            "                          is replaced only once complete\n"
            "  -t, --template=T.docx   merge into this template instead\n"
            "                          (see 'nianbao export-template')\n"
            "  --encoding=ENC          of a form set's CSV files: auto\n"
            "                          (default), utf-8 or gb18030\n"
            "  --profile=P             annual-report (default: the parts\n"
            "                          art. 25 requires) or work-summary\n"
            "                          (see 'nianbao validate --help')\n"
            "  --indicators=F          add a local indicator catalog\n"
            "  --previous=R            last year's report, for the\n"
            "                          year-on-year changes the text and\n"
            "                          the template show\n"
            "  --limit=NAME=N          raise a safety limit for this run\n"
            "                          ('nianbao limits' lists them)\n"
            "  --diag=FORMAT           text (default) or json\n"
            "  --batch                 DIR is a folder of submissions: render\n"
            "                          every valid one into the folder OUTDIR\n"
            "                          ('nianbao render --batch --help')\n"
            "  -h, --help              show this help\n"
            "\n"
            "The report is held to the rules first (docs/rules.md); rates it\n"
            "does not state are computed, and the text's metric references\n"
            "are filled in.\n"
            "\n"
            "Exit status: 0 written, 1 errors in the data or the template\n"
            "(nothing written), 2 wrong usage, 3 could not run.\n"),
          stdout);
}

bool same_file(const char *a, const char *b)
{
    struct stat sa;
    struct stat sb;

    if (a == NULL || b == NULL || stat(a, &sa) != 0 || stat(b, &sb) != 0)
        return false;
    return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

int cmd_render(int argc, char **argv)
{
    static const struct option opts[] = {
        {"output", required_argument, NULL, 'o'},
        {"template", required_argument, NULL, 't'},
        {"encoding", required_argument, NULL, 'e'},
        {"diag", required_argument, NULL, 'd'},
        {"help", no_argument, NULL, 'h'},
        {"limit", required_argument, NULL, OPT_LIMIT},
        RULES_LONG_OPTIONS,
        {NULL, 0, NULL, 0}};
    diag_format fmt = DIAG_TEXT;
    rules_cli rules;
    nb_check_opts co;
    nb_template_check_opts tco;
    const char *out = NULL;
    const char *tpath = NULL;
    const char *in;
    nb_diag_list *dl = NULL;
    nb_report *r = NULL;
    nb_template *t = NULL;
    nb_limits lim = {0};
    size_t diag_cap = 0;
    nb_read_opts ro = {NB_ENC_AUTO, &lim, NULL};
    nb_status st;
    int rc = EXIT_CLEAN;
    int c;

    for (c = 1; c < argc && strcmp(argv[c], "--") != 0; c++)
        if (strcmp(argv[c], "--batch") == 0)
            return render_batch(argc, argv);
    opterr = 0;
    optind = 1;
    memset(&rules, 0, sizeof(rules));
    while ((c = getopt_long(argc, argv, "o:t:h", opts, NULL)) != -1) {
        int took = rules_option(&rules, c, optarg, "render", &rc);

        if (took < 0)
            return rc;
        if (took > 0)
            continue;
        switch (c) {
        case OPT_LIMIT:
            if (limit_option(&lim, &diag_cap, optarg, "render", &rc) < 0)
                return rc;
            break;
        case 'o':
            out = optarg;
            break;
        case 't':
            tpath = optarg;
            break;
        case 'e':
            if (!parse_encoding(&ro.encoding, "render", optarg, &rc))
                return rc;
            break;
        case 'd':
            if (!diag_format_parse(&fmt, optarg))
                return usage_error("render",
                                   _("--diag must be text or json, not '%s'"),
                                   optarg);
            break;
        case 'h':
            help();
            return EXIT_CLEAN;
        case ':':
            return usage_error("render", _("option '%s' needs a value"),
                               argv[optind - 1]);
        default:
            if (optopt == 'o' || optopt == 't' ||
                (optopt >= OPT_INDICATORS && optopt != OPT_FIGURES))
                return usage_error("render", _("option '%s' needs a value"),
                                   argv[optind - 1]);
            return usage_error("render", _("unknown option '%s'"),
                               argv[optind - 1]);
        }
    }
    if (optind >= argc)
        return usage_error("render", "%s", _("no report file given"));
    if (optind + 1 < argc)
        return usage_error("render", "%s",
                           _("give one report file (render one report at a "
                             "time)"));
    in = argv[optind];
    if (out == NULL)
        return usage_error("render", "%s",
                           _("no output file: add -o OUT.docx"));
    if (same_file(out, in) || same_file(out, tpath) ||
        same_file(out, rules.previous) || same_file(out, rules.indicators))
        return usage_error("render",
                           _("refusing to overwrite the input '%s' with the "
                             "output"),
                           out);
    dl = nb_diag_list_new();
    if (dl == NULL)
        return EXIT_RUN;
    if (diag_cap > 0)
        nb_diag_list_set_cap(dl, diag_cap);
    rc = rules_load(&rules, &ro, dl);
    if (rc != EXIT_CLEAN)
        goto done;
    co = rules_check_opts(&rules);
    st = nb_report_read(&r, in, &ro, dl);
    if (st == NB_OK && r != NULL) {
        size_t before = nb_diag_list_count_sev(dl, NB_SEV_ERROR);

        st = nb_report_check(r, &co, dl);
        if (st == NB_OK && nb_diag_list_count_sev(dl, NB_SEV_ERROR) > before) {
            nb_report_free(r); /* the rules found errors: write nothing */
            r = NULL;
        }
    }
    if (st != NB_OK) {
        rc = status_exit(st);
        goto done;
    }
    /* the template's names are checked against the report's data, and
     * every problem reported, before anything is written */
    tco.limits = &lim;
    tco.catalog = rules.cat;
    st = nb_template_check(&t, tpath, &tco, dl);
    if (st != NB_OK) {
        rc = status_exit(st);
        goto done;
    }
    if (r == NULL || !nb_template_renderable(t)) {
        rc = EXIT_DATA; /* findings were reported; write nothing */
        goto done;
    }
    st = nb_render_file(out, t, r, dl);
    if (st != NB_OK)
        rc = status_exit(st);
    else if (nb_diag_list_count_sev(dl, NB_SEV_ERROR) > 0)
        rc = EXIT_DATA;
done:
    diag_print(dl, fmt);
    nb_template_free(t);
    nb_report_free(r);
    nb_diag_list_free(dl);
    rules_free(&rules);
    return rc;
}
