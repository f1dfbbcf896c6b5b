/* cmd_forms.c: the form-set commands: `nianbao init` (a blank form set),
 * `nianbao convert` (form set <-> report XML) and `nianbao indicators`
 * (the indicator catalog). */
#include "cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

bool is_folder(const char *path)
{
    struct stat sb;

    return strcmp(path, "-") != 0 && stat(path, &sb) == 0 &&
           S_ISDIR(sb.st_mode);
}

bool parse_encoding(nb_encoding *out, const char *cmd, const char *s, int *rc)
{
    if (nb_encoding_parse(out, s))
        return true;
    *rc = usage_error(cmd, _("unknown encoding '%s' (utf-8, gb18030 or auto)"),
                      s);
    return false;
}

/* ==== init ==== */

static void init_help(void)
{
    fputs(_("Usage: nianbao init [OPTION]... DIR\n"
            "Write a blank form set into the new folder DIR: meta.csv\n"
            "(基本信息), narrative.csv (正文) with the four parts art. 25\n"
            "requires and an example area, metrics.csv (指标) listing every\n"
            "indicator with its unit, and a README in Chinese on filling\n"
            "them in. The files open in Excel and WPS as they are.\n"
            "\n"
            "  --issuer=NAME       the office, 发布机构 (e.g. 常山县司法局)\n"
            "  --year=YEAR         the year reported on (e.g. 2025)\n"
            "  --encoding=ENC      utf-8 (default: UTF-8 with a BOM) or\n"
            "                      gb18030 (what Excel saves as \"CSV\")\n"
            "  -h, --help          show this help\n"
            "\n"
            "DIR must not exist or be empty. Then fill the forms and run\n"
            "'nianbao validate DIR' and 'nianbao render DIR -o OUT.docx'.\n"),
          stdout);
}

int cmd_init(int argc, char **argv)
{
    static const struct option opts[] = {
        {"issuer", required_argument, NULL, 'i'},
        {"year", required_argument, NULL, 'y'},
        {"encoding", required_argument, NULL, 'e'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    const char *issuer = NULL;
    nb_encoding enc = NB_ENC_AUTO;
    long year = 0;
    nb_diag_list *dl;
    int rc = EXIT_CLEAN;
    char *end;
    int c;

    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'i':
            issuer = optarg;
            break;
        case 'y':
            year = strtol(optarg, &end, 10);
            if (*end != '\0' || year < 1949 || year > 2999)
                return usage_error("init",
                                   _("--year must be a year from 1949 to "
                                     "2999, not '%s'"),
                                   optarg);
            break;
        case 'e':
            if (!parse_encoding(&enc, "init", optarg, &rc))
                return rc;
            break;
        case 'h':
            init_help();
            return EXIT_CLEAN;
        default:
            return usage_error("init", _("unknown option '%s'"),
                               argv[optind - 1]);
        }
    }
    if (optind >= argc)
        return usage_error("init", "%s", _("no folder given"));
    if (optind + 1 < argc)
        return usage_error("init", "%s", _("give one folder"));
    dl = nb_diag_list_new();
    if (dl == NULL)
        return EXIT_RUN;
    if (nb_forms_init(argv[optind], issuer, (int)year, enc, dl) != NB_OK)
        rc = EXIT_RUN;
    else
        printf(_("%s: blank form set written; fill it in, then run "
                 "'nianbao validate %s'\n"),
               argv[optind], argv[optind]);
    diag_print(dl, DIAG_TEXT);
    nb_diag_list_free(dl);
    return rc;
}

/* ==== convert ==== */

bool has_suffix(const char *path, const char *suffix)
{
    size_t n = strlen(path);
    size_t k = strlen(suffix);

    return n > k && strcasecmp(path + n - k, suffix) == 0;
}

bool is_csv_file(const char *path)
{
    return has_suffix(path, ".csv") && !is_folder(path);
}

/* A zipped submission, as nb_report_read tells one: named .zip, or a file
 * that starts as a zip does. */
static bool is_zip(const char *path)
{
    unsigned char magic[4];
    bool zip;
    FILE *f;

    if (has_suffix(path, ".zip"))
        return true;
    if (strcmp(path, "-") == 0 || is_folder(path))
        return false;
    f = fopen(path, "rb");
    if (f == NULL)
        return false;
    zip = fread(magic, 1, 4, f) == 4 && memcmp(magic, "PK\3\4", 4) == 0;
    fclose(f);
    return zip;
}

static void convert_help(void)
{
    fputs(_("Usage: nianbao convert [OPTION]... IN -o OUT\n"
            "Convert a report between its two forms, losslessly:\n"
            "  a form set folder IN   -> report XML file OUT\n"
            "  a report XML file IN   -> form set folder OUT (new or empty)\n"
            "  a zip IN of either     -> report XML file OUT if OUT ends in\n"
            "                            .xml, else form set folder OUT\n"
            "The input is validated first; nothing is written when it has\n"
            "errors.\n"
            "\n"
            "  -o, --output=OUT          the file or folder to write\n"
            "  --encoding=ENC            of the input forms: auto (default),\n"
            "                            utf-8 or gb18030\n"
            "  --output-encoding=ENC     of the written forms: utf-8\n"
            "                            (default, with a BOM) or gb18030\n"
            "  --indicators=F            a local indicator catalog the\n"
            "                            metrics use (docs/rules.md)\n"
            "  --limit=NAME=N            raise a safety limit ('nianbao\n"
            "                            limits')\n"
            "  --diag=FORMAT             text (default) or json\n"
            "  -h, --help                show this help\n"
            "\n"
            "Examples:\n"
            "  nianbao convert forms/ -o report.xml\n"
            "  nianbao convert report.xml -o forms/ --output-encoding=gb18030\n"
            "  nianbao convert 常山县.zip -o report.xml\n"),
          stdout);
}

int cmd_convert(int argc, char **argv)
{
    static const struct option opts[] = {
        {"output", required_argument, NULL, 'o'},
        {"encoding", required_argument, NULL, 'e'},
        {"output-encoding", required_argument, NULL, 'E'},
        {"diag", required_argument, NULL, 'd'},
        {"help", no_argument, NULL, 'h'},
        {"indicators", required_argument, NULL, OPT_INDICATORS},
        {"limit", required_argument, NULL, OPT_LIMIT},
        {NULL, 0, NULL, 0}};
    nb_limits lim = {0};
    size_t diag_cap = 0;
    nb_read_opts ro = {NB_ENC_AUTO, &lim, NULL};
    rules_cli rules;
    nb_encoding out_enc = NB_ENC_AUTO;
    diag_format fmt = DIAG_TEXT;
    const char *out = NULL;
    const char *in;
    nb_diag_list *dl;
    nb_report *r = NULL;
    nb_status st;
    int rc = EXIT_CLEAN;
    int c;

    opterr = 0;
    optind = 1;
    memset(&rules, 0, sizeof(rules));
    while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
        switch (c) {
        case 'o':
            out = optarg;
            break;
        case OPT_INDICATORS:
            rules.indicators = optarg;
            break;
        case OPT_LIMIT:
            if (limit_option(&lim, &diag_cap, optarg, "convert", &rc) < 0)
                return rc;
            break;
        case 'e':
            if (!parse_encoding(&ro.encoding, "convert", optarg, &rc))
                return rc;
            break;
        case 'E':
            if (!parse_encoding(&out_enc, "convert", optarg, &rc))
                return rc;
            break;
        case 'd':
            if (!diag_format_parse(&fmt, optarg))
                return usage_error("convert",
                                   _("--diag must be text or json, not '%s'"),
                                   optarg);
            break;
        case 'h':
            convert_help();
            return EXIT_CLEAN;
        default:
            if (optopt == 'o' || optopt == OPT_INDICATORS ||
                optopt == OPT_LIMIT)
                return usage_error("convert", _("option '%s' needs a value"),
                                   argv[optind - 1]);
            return usage_error("convert", _("unknown option '%s'"),
                               argv[optind - 1]);
        }
    }
    if (optind >= argc)
        return usage_error("convert", "%s", _("no input given"));
    if (optind + 1 < argc)
        return usage_error("convert", "%s", _("give one input"));
    in = argv[optind];
    if (out == NULL)
        return usage_error("convert", "%s", _("no output: add -o OUT"));
    if (same_file(in, out))
        return usage_error("convert",
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
    st = nb_report_read(&r, in, &ro, dl);
    if (st != NB_OK || r == NULL) {
        rc = st != NB_OK && st != NB_ERR_FORMAT ? EXIT_RUN : EXIT_DATA;
        goto done;
    }
    if (is_folder(in) || (is_zip(in) && has_suffix(out, ".xml")))
        st = nb_report_write_xml(r, out, dl);
    else
        st = nb_report_write_forms(r, out, out_enc, dl);
    if (st != NB_OK)
        rc = status_exit(st);
done:
    diag_print(dl, fmt);
    nb_report_free(r);
    nb_diag_list_free(dl);
    rules_free(&rules);
    return rc;
}

/* ==== indicators ==== */

int cmd_indicators(int argc, char **argv)
{
    static const struct option opts[] = {
        {"indicators", required_argument, NULL, OPT_INDICATORS},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    nb_read_opts ro = {NB_ENC_AUTO, NULL, NULL};
    rules_cli rules;
    nb_diag_list *dl;
    size_t i;
    int rc;
    int c;

    opterr = 0;
    optind = 1;
    memset(&rules, 0, sizeof(rules));
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case OPT_INDICATORS:
            rules.indicators = optarg;
            break;
        case 'h':
            fputs(
                _("Usage: nianbao indicators [--indicators=LOCAL.xml]\n"
                  "List the indicator catalog (schemas/indicators.xml): code,\n"
                  "type, unit, name and, for rates, the formula; "
                  "tab-separated.\n"
                  "The codes go in the 指标代码 column of metrics.csv, and in\n"
                  "the text as {{code}} (CSV) or <m code=\"code\"/> (XML).\n"
                  "With --indicators, an office's local catalog is checked "
                  "and\n"
                  "its indicators listed after the built-in ones.\n"),
                stdout);
            return EXIT_CLEAN;
        default:
            if (optopt == OPT_INDICATORS)
                return usage_error("indicators", _("option '%s' needs a value"),
                                   argv[optind - 1]);
            return usage_error("indicators", _("unknown option '%s'"),
                               argv[optind - 1]);
        }
    }
    if (optind < argc)
        return usage_error("indicators", _("unknown argument '%s'"),
                           argv[optind]);
    dl = nb_diag_list_new();
    if (dl == NULL)
        return EXIT_RUN;
    rc = rules_load(&rules, &ro, dl);
    diag_print(dl, DIAG_TEXT);
    nb_diag_list_free(dl);
    for (i = 0; rc == EXIT_CLEAN && i < nb_catalog_count(rules.cat); i++) {
        const nb_indicator *ind = nb_catalog_at(rules.cat, i);

        printf("%s\t%s\t%s\t%s", ind->code, ind->type, ind->unit, ind->name);
        if (ind->formula != NULL)
            printf("\t%s", ind->formula);
        putchar('\n');
    }
    rules_free(&rules);
    return rc;
}
