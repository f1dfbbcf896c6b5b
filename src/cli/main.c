/* main.c: the nianbao command: subcommand dispatch, help, version, and the
 * small commands (explain, export-template).
 *
 * Thin by design (STYLE.md §1): parsing arguments and printing; all work is
 * done by libnianbao through its public API.
 */
#include "cli.h"

#include <locale.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlversion.h>
#include <zip.h>

static void print_help(FILE *f)
{
    /* check-template's lines are a message of their own, put in before
     * explain's, so that the rest keeps its translation */
    const char *ct =
        _("  check-template [T.docx]    list a template's tags and where "
          "they\n"
          "                             are; report every problem at "
          "once\n");
    const char *help =
        _("Usage: nianbao COMMAND [OPTION]... [FILE]...\n"
          "Validate annual-report data and render it into a DOCX report in\n"
          "the official-document format (GB/T 9704-2012).\n"
          "\n"
          "Commands:\n"
          "  validate REPORT...         check reports (XML files or form set\n"
          "                             folders) or CSV forms; print every\n"
          "                             problem\n"
          "  render REPORT -o OUT.docx  write the report as a Word document\n"
          "                             (--batch DIR -o OUTDIR: every one\n"
          "                             in a folder of submissions)\n"
          "  inbox DIR                  check a folder of submissions (one\n"
          "                             per office), summarise, list who has\n"
          "                             not submitted\n"
          "  aggregate DIR -o T.csv     sum the metrics of a folder's valid\n"
          "                             submissions\n"
          "  init DIR                   write a blank form set (CSV files to\n"
          "                             fill in Excel or WPS)\n"
          "  convert IN -o OUT          form set folder <-> report XML\n"
          "  indicators                 list the indicator catalog\n"
          "  limits                     list the safety limits (--limit)\n"
          "  export-template OUT.docx   write the built-in standard template,\n"
          "                             to restyle in Word/WPS and use with\n"
          "                             render --template\n"
          "  explain [NB####]           describe one diagnostic code, or all\n"
          "\n"
          "Options:\n"
          "  -h, --help                 show this help (also: nianbao COMMAND "
          "--help)\n"
          "  -V, --version              show the version\n"
          "\n"
          "Examples:\n"
          "  nianbao init forms --issuer=常山县司法局 --year=2025\n"
          "  nianbao validate forms\n"
          "  nianbao render forms -o report.docx\n"
          "  nianbao validate examples/changshan-2022/report.xml\n"
          "  nianbao render examples/changshan-2022/report.xml -o "
          "changshan.docx\n"
          "  nianbao render report.xml -o out.docx --template "
          "my-restyled.docx\n"
          "  nianbao inbox 2022-reports --expect offices.csv --csv "
          "summary.csv\n"
          "\n"
          "Exit status: 0 no errors, 1 errors in the data or template,\n"
          "2 wrong usage, 3 could not run (missing file, unwritable "
          "output).\n");
    const char *at = strstr(help, "\n  explain ");

    if (at == NULL) {
        fputs(help, f);
        fputs(ct, f);
        return;
    }
    fwrite(help, 1, (size_t)(at + 1 - help), f);
    fputs(ct, f);
    fputs(at + 1, f);
}

int usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;

    fputs("nianbao: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    if (cmd != NULL)
        fprintf(stderr, _("Try 'nianbao %s --help'.\n"), cmd);
    else
        fputs(_("Try 'nianbao --help'.\n"), stderr);
    return EXIT_USAGE;
}

static void print_version(void)
{
    printf("nianbao %s (libnianbao %s, libxml2 %s, libzip %s)\n",
           PACKAGE_VERSION, nb_version(), LIBXML_DOTTED_VERSION,
           zip_libzip_version());
}

/* ==== explain ==== */

typedef struct explain_ctx {
    bool markdown;
} explain_ctx;

static const char *sev_word(nb_severity sev)
{
    return sev == NB_SEV_ERROR     ? "error"
           : sev == NB_SEV_WARNING ? "warning"
                                   : "note";
}

static void explain_one(nb_code code, void *payload)
{
    explain_ctx *ctx = payload;

    if (ctx->markdown)
        printf("| %s | `%s` | %s | %s |\n", nb_code_id(code),
               nb_code_name(code), sev_word(nb_code_severity(code)),
               nb_code_summary(code));
    else
        printf("%s  %-24s %-8s %s\n", nb_code_id(code), nb_code_name(code),
               nb_severity_name(nb_code_severity(code)), nb_code_summary(code));
}

int cmd_explain(int argc, char **argv)
{
    explain_ctx ctx = {false};
    int i;
    bool any = false;

    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            fputs(_("Usage: nianbao explain [--markdown] [NB####]...\n"
                    "Describe diagnostic codes: number, name, default\n"
                    "severity and summary. Without a code, list them all.\n"
                    "--markdown prints the table of doc/diagnostics.md.\n"),
                  stdout);
            return EXIT_CLEAN;
        }
        if (strcmp(argv[i], "--markdown") == 0) {
            ctx.markdown = true;
            continue;
        }
        if (argv[i][0] == '-')
            return usage_error("explain", _("unknown option '%s'"), argv[i]);
    }
    if (ctx.markdown) {
        fputs("| code | name | severity | summary |\n|---|---|---|---|\n",
              stdout);
    }
    for (i = 1; i < argc; i++) {
        nb_code code;

        if (argv[i][0] == '-')
            continue;
        any = true;
        code = nb_code_parse(argv[i]);
        if (code == NB_CODE_NONE)
            return usage_error("explain", _("unknown diagnostic code '%s'"),
                               argv[i]);
        explain_one(code, &ctx);
    }
    if (!any)
        nb_code_foreach(explain_one, &ctx);
    return EXIT_CLEAN;
}

/* ==== export-template ==== */

int cmd_export_template(int argc, char **argv)
{
    nb_diag_list *dl;
    const unsigned char *bytes;
    size_t len;
    const char *out = NULL;
    int i;
    int rc;

    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            fputs(_("Usage: nianbao export-template OUT.docx\n"
                    "Write the built-in standard template (GB/T 9704-2012)\n"
                    "to OUT.docx. Open it in Word, WPS or LibreOffice, change\n"
                    "styles, fonts or page setup, keep the {{tags}}, and\n"
                    "render with --template OUT.docx.\n"),
                  stdout);
            return EXIT_CLEAN;
        }
        if (argv[i][0] == '-' && argv[i][1] != '\0')
            return usage_error("export-template", _("unknown option '%s'"),
                               argv[i]);
        if (out != NULL)
            return usage_error("export-template", "%s",
                               _("give exactly one output file"));
        out = argv[i];
    }
    if (out == NULL)
        return usage_error("export-template", "%s",
                           _("missing the output file"));
    dl = nb_diag_list_new();
    if (dl == NULL)
        return EXIT_RUN;
    bytes = nb_template_standard_bytes(&len);
    rc = nb_write_file_atomic(out, bytes, len, dl) == NB_OK ? EXIT_CLEAN
                                                            : EXIT_RUN;
    diag_print(dl, DIAG_TEXT);
    nb_diag_list_free(dl);
    return rc;
}

/* ==== main ==== */

int main(int argc, char **argv)
{
    const char *cmd;

    setlocale(LC_ALL, "");
    /* messages follow the locale; numbers in files never do */
    setlocale(LC_NUMERIC, "C");
#if ENABLE_NLS
    {
        const char *dir = getenv("NIANBAO_LOCALEDIR");

        bindtextdomain(PACKAGE,
                       dir != NULL && dir[0] != '\0' ? dir : LOCALEDIR);
        bind_textdomain_codeset(PACKAGE, "UTF-8");
        textdomain(PACKAGE);
    }
#endif
    if (argc < 2) {
        print_help(stderr);
        return EXIT_USAGE;
    }
    cmd = argv[1];
    if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0 ||
        strcmp(cmd, "help") == 0) {
        print_help(stdout);
        return EXIT_CLEAN;
    }
    if (strcmp(cmd, "-V") == 0 || strcmp(cmd, "--version") == 0 ||
        strcmp(cmd, "version") == 0) {
        print_version();
        return EXIT_CLEAN;
    }
    if (strcmp(cmd, "validate") == 0)
        return cmd_validate(argc - 1, argv + 1);
    if (strcmp(cmd, "render") == 0)
        return cmd_render(argc - 1, argv + 1);
    if (strcmp(cmd, "init") == 0)
        return cmd_init(argc - 1, argv + 1);
    if (strcmp(cmd, "convert") == 0)
        return cmd_convert(argc - 1, argv + 1);
    if (strcmp(cmd, "indicators") == 0)
        return cmd_indicators(argc - 1, argv + 1);
    if (strcmp(cmd, "explain") == 0)
        return cmd_explain(argc - 1, argv + 1);
    if (strcmp(cmd, "limits") == 0)
        return cmd_limits(argc - 1, argv + 1);
    if (strcmp(cmd, "export-template") == 0)
        return cmd_export_template(argc - 1, argv + 1);
    if (strcmp(cmd, "inbox") == 0)
        return cmd_inbox(argc - 1, argv + 1);
    if (strcmp(cmd, "aggregate") == 0)
        return cmd_aggregate(argc - 1, argv + 1);
    if (strcmp(cmd, "check-template") == 0)
        return cmd_check_template(argc - 1, argv + 1);
    if (cmd[0] == '-')
        return usage_error(NULL, _("unknown option '%s'"), cmd);
    return usage_error(NULL, _("unknown command '%s'"), cmd);
}
