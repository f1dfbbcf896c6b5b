/* cmd_forms.c: the form-set commands: `nianbao init` (a blank form set),
 * `nianbao convert` (form set <-> report XML) and `nianbao indicators`
 * (the indicator catalog). */
#include "cli.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ==== init ==== */

static bool set_year(cli_args *a, const char *v, char *why, size_t size)
{
    long y;

    if (!number_value(&y, v, 1949, 2999)) {
        snprintf(why, size, _("'%s' is not a year from 1949 to 2999"), v);
        return false;
    }
    a->year = (int)y;
    return true;
}

static const cli_opt opt_issuer_init = {
    "issuer", 0, CLI_VALUE, "NAME", NULL, CLI_COMPLETE_NONE,
    N_("the office, 发布机构 (e.g. 常山县司法局)"), NULL,
    offsetof(cli_args, issuer), CLI_IO_NONE};

static const cli_opt opt_year = {
    "year", 0, CLI_VALUE, "YEAR", NULL, CLI_COMPLETE_NONE,
    N_("the year reported on (e.g. 2025)"), set_year, 0, CLI_IO_NONE};

static const cli_opt opt_encoding_init = {
    "encoding", 0, CLI_VALUE, "ENC", "utf-8|gb18030", CLI_COMPLETE_CHOICES,
    N_("utf-8 (default: UTF-8 with a BOM) or gb18030 (what\n"
       "Excel saves as \"CSV\")"),
    set_out_encoding, 0, CLI_IO_NONE};

/* True when 's' ends in 'suffix', in any case. */
static bool ends_in(const char *s, const char *suffix)
{
    size_t n = strlen(s);
    size_t k = strlen(suffix);

    return n > k && strcasecmp(s + n - k, suffix) == 0;
}

static const cli_opt opt_xlsx = {
    "xlsx", 0, CLI_FLAG, NULL, NULL, CLI_COMPLETE_NONE,
    N_("write the blank form set as one workbook (.xlsx; the\n"
       "default when the name ends in .xlsx): a sheet per form,\n"
       "drop-down lists, checked figures"),
    NULL, offsetof(cli_args, xlsx), CLI_IO_NONE};

static int run_init(cli_args *a)
{
    const char *dir = a->args[0];
    bool xlsx = a->xlsx || ends_in(dir, ".xlsx");
    nb_diag_list *dl = nb_diag_list_new();
    nb_status st;
    int rc = EXIT_CLEAN;

    if (dl == NULL)
        return EXIT_RUN;
    st = xlsx ? nb_forms_init_xlsx(dir, a->issuer, a->year, dl)
              : nb_forms_init(dir, a->issuer, a->year, a->out_encoding, dl);
    if (st != NB_OK)
        rc = EXIT_RUN;
    else if (xlsx)
        printf(_("%s: blank workbook written; fill it in, then run "
                 "'nianbao validate %s'\n"),
               dir, dir);
    else
        printf(_("%s: blank form set written; fill it in, then run "
                 "'nianbao validate %s'\n"),
               dir, dir);
    diag_print(dl, DIAG_TEXT);
    nb_diag_list_free(dl);
    return rc;
}

static const cli_opt *const init_opts[] = {&opt_issuer_init, &opt_year,
                                           &opt_encoding_init, &opt_xlsx,
                                           NULL};

const cli_cmd cmd_init_def = {
    "init", N_("[OPTION]... DIR|FILE.xlsx"),
    N_("write a blank form set (CSV files to fill in Excel or WPS)"),
    N_("Write a blank form set into the new folder DIR: meta.csv\n"
       "(基本信息), narrative.csv (正文) with the four parts art. 25\n"
       "requires and an example area, metrics.csv (指标) listing every\n"
       "indicator with its unit, and a README in Chinese on filling\n"
       "them in. The files open in Excel and WPS as they are.\n"
       "DIR must not exist or be empty. Then fill the forms and run\n"
       "'nianbao validate DIR' and 'nianbao render DIR -o OUT.docx'.\n"
       "With --xlsx (or a FILE named .xlsx), the same as one\n"
       "workbook: a sheet per form, a 填写说明 sheet, drop-down lists\n"
       "and checked figures."),
    N_("Examples:\n"
       "  nianbao init forms --issuer=常山县司法局 --year=2025\n"
       "  nianbao init --xlsx 2025.xlsx --issuer=常山县司法局"),
    init_opts, NULL, 1, 1, CLI_COMPLETE_DIR, N_("no folder given"),
    N_("give one folder"), run_init, CLI_IO_WRITE};

/* ==== convert ==== */

static const cli_opt opt_output_convert = {
    "output", 'o', CLI_VALUE, "OUT", NULL, CLI_COMPLETE_FILE,
    N_("the file or folder to write (required)"), NULL,
    offsetof(cli_args, output), CLI_IO_WRITE};

static const cli_opt opt_output_encoding = {
    "output-encoding", 0, CLI_VALUE, "ENC", "utf-8|gb18030",
    CLI_COMPLETE_CHOICES,
    N_("of the written forms: utf-8 (default, with a BOM) or\n"
       "gb18030"),
    set_out_encoding, 0, CLI_IO_NONE};

static const cli_opt opt_indicators_convert = {
    "indicators", 0, CLI_VALUE, "FILE", NULL, CLI_COMPLETE_FILE,
    N_("a local indicator catalog the metrics use\n"
       "(docs/rules.md)"),
    NULL, offsetof(cli_args, indicators), CLI_IO_READ};

/* Report XML is written from a form set, and from a zip or a workbook
 * when OUT ends in .xml; else a form set. */
static bool writes_xml(const char *in, const char *out)
{
    size_t n = strlen(out);
    nb_input_kind k = nb_input_kind_of(in);

    return k == NB_INPUT_FOLDER ||
           ((k == NB_INPUT_ZIP || k == NB_INPUT_XLSX) && n > 4 &&
            strcmp(out + n - 4, ".xml") == 0);
}


static int run_convert(cli_args *a)
{
    const char *in = a->args[0];
    nb_read_opts ro = cli_read_opts(a);
    rules_cli rules;
    nb_diag_list *dl;
    nb_report *r = NULL;
    nb_status st;
    int rc;

    memset(&rules, 0, sizeof(rules));
    if (a->output == NULL)
        return cli_usage_error(a->cmd, "%s", _("no output: add -o OUT"));
    dl = cli_diag_list(a);
    if (dl == NULL)
        return EXIT_RUN;
    rc = rules_load(&rules, a, &ro, dl);
    if (rc != EXIT_CLEAN)
        goto done;
    st = nb_report_read(&r, in, &ro, dl);
    if (st != NB_OK || r == NULL) {
        rc = st != NB_OK && st != NB_ERR_FORMAT ? EXIT_RUN : EXIT_DATA;
        goto done;
    }
    if (ends_in(a->output, ".xlsx"))
        st = nb_report_write_xlsx(r, a->output, dl);
    else if (writes_xml(in, a->output))
        st = nb_report_write_xml(r, a->output, dl);
    else
        st = nb_report_write_forms(r, a->output, a->out_encoding, dl);
    if (st != NB_OK)
        rc = status_exit(st);
done:
    diag_print(dl, a->diag);
    nb_report_free(r);
    nb_diag_list_free(dl);
    rules_free(&rules);
    return rc;
}

static const cli_opt *const convert_opts[] = {
    &opt_output_convert, &opt_encoding, &opt_output_encoding,
    &opt_indicators_convert, &opt_limit, &opt_diag, NULL};

const cli_cmd cmd_convert_def = {
    "convert", N_("[OPTION]... IN -o OUT"),
    N_("form set folder <-> report XML <-> workbook"),
    N_("Convert a report between its forms, losslessly:\n"
       "  a form set folder IN   -> report XML file OUT\n"
       "  a report XML file IN   -> form set folder OUT (new or empty)\n"
       "  a zip or workbook IN   -> report XML file OUT if OUT ends in\n"
       "                            .xml, else form set folder OUT\n"
       "  any of them IN         -> workbook OUT if OUT ends in .xlsx\n"
       "The input is validated first; nothing is written when it has\n"
       "errors."),
    N_("Examples:\n"
       "  nianbao convert forms/ -o report.xml\n"
       "  nianbao convert report.xml -o forms/ --output-encoding=gb18030\n"
       "  nianbao convert 常山县.zip -o report.xml"),
    convert_opts, NULL, 1, 1, CLI_COMPLETE_FILE, N_("no input given"),
    N_("give one input"), run_convert, CLI_IO_READ};

/* ==== indicators ==== */

static const cli_opt opt_indicators_list = {
    "indicators", 0, CLI_VALUE, "FILE", NULL, CLI_COMPLETE_FILE,
    N_("check an office's local catalog and list its\n"
       "indicators after the built-in ones"),
    NULL, offsetof(cli_args, indicators), CLI_IO_READ};

static const cli_opt opt_search = {
    "search", 0, CLI_VALUE, "WORDS", NULL, CLI_COMPLETE_NONE,
    N_("list only the indicators whose code, name, other\n"
       "names or group contain WORDS (复议, 纠错率, fy_)"),
    NULL, offsetof(cli_args, search), CLI_IO_NONE};

static int run_indicators(cli_args *a)
{
    nb_read_opts ro = cli_read_opts(a);
    rules_cli rules;
    nb_diag_list *dl = nb_diag_list_new();
    const nb_indicator *ind;
    size_t pos = 0;
    size_t n = 0;
    int rc;

    if (dl == NULL)
        return EXIT_RUN;
    rc = rules_load(&rules, a, &ro, dl);
    diag_print(dl, DIAG_TEXT);
    nb_diag_list_free(dl);
    while (rc == EXIT_CLEAN &&
           (ind = nb_catalog_search(rules.cat,
                                    a->search != NULL ? a->search : "",
                                    &pos)) != NULL) {
        printf("%s\t%s\t%s\t%s", ind->code, ind->type, ind->unit, ind->name);
        if (ind->formula != NULL)
            printf("\t%s", ind->formula);
        putchar('\n');
        if (a->search != NULL && ind->aliases != NULL)
            printf("\t%s %s\n", _("also:"), ind->aliases);
        n++;
    }
    if (rc == EXIT_CLEAN && n == 0 && a->search != NULL) {
        fprintf(stderr,
                _("nianbao indicators: no indicator has '%s' in its code, "
                  "name, other names or group\n"),
                a->search);
        rc = EXIT_DATA;
    }
    rules_free(&rules);
    return rc;
}

static const cli_opt *const indicators_opts[] = {&opt_indicators_list,
                                                 &opt_search, NULL};

const cli_cmd cmd_indicators_def = {
    "indicators", N_("[--indicators=LOCAL.xml]"),
    N_("list the indicator catalog"),
    N_("List the indicator catalog (schemas/indicators.xml): code,\n"
       "type, unit, name and, for rates, the formula; tab-separated.\n"
       "The codes go in the 指标代码 column of metrics.csv, and in\n"
       "the text as {{code}} (CSV) or <m code=\"code\"/> (XML)."),
    NULL, indicators_opts, NULL, 0, 0, CLI_COMPLETE_NONE, NULL,
    N_("indicators takes no arguments"), run_indicators, CLI_IO_NONE};
