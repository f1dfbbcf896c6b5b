/* main.c: the nianbao command: the table of commands, dispatch, version,
 * and the small commands (explain, export-template, help).
 *
 * Thin by design (STYLE.md §1): parsing arguments and printing; all work is
 * done by libnianbao through its public API.
 */
#include "cli.h"

#include <signal.h>

#include <locale.h>
#include <unistd.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <libdeflate.h>
#include <libxml/xmlversion.h>

static void print_version(void)
{
    printf("nianbao %s (libnianbao %s, libxml2 %s, libdeflate %s)\n",
           PACKAGE_VERSION, nb_version(), LIBXML_DOTTED_VERSION,
           LIBDEFLATE_VERSION_STRING);
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
        printf("%s  %-24s %-8s %s\n        %s\n", nb_code_id(code),
               nb_code_name(code), nb_severity_name(nb_code_severity(code)),
               nb_code_summary(code), nb_code_help(code));
}

static int run_explain(cli_args *a)
{
    explain_ctx ctx = {a->markdown};
    int i;

    for (i = 0; i < a->n_args; i++)
        if (nb_code_parse(a->args[i]) == NB_CODE_NONE)
            return cli_usage_error(a->cmd, _("unknown diagnostic code '%s'"),
                                   a->args[i]);
    if (ctx.markdown)
        fputs("| code | name | severity | summary |\n|---|---|---|---|\n",
              stdout);
    for (i = 0; i < a->n_args; i++)
        explain_one(nb_code_parse(a->args[i]), &ctx);
    if (a->n_args == 0)
        nb_code_foreach(explain_one, &ctx);
    return EXIT_CLEAN;
}

static const cli_opt opt_markdown = {
    "markdown", 0, CLI_FLAG, NULL, NULL, CLI_COMPLETE_NONE,
    N_("print the table of docs/diagnostics.md"), NULL,
    offsetof(cli_args, markdown), CLI_IO_NONE};

static const cli_opt *const explain_opts[] = {&opt_markdown, NULL};

const cli_cmd cmd_explain_def = {
    "explain", N_("[--markdown] [NB####]..."),
    N_("describe one diagnostic code, or all"),
    N_("Describe diagnostic codes: number, name, default severity and\n"
       "summary. Without a code, list them all."),
    N_("Example:\n"
       "  nianbao explain NB5022"),
    explain_opts, NULL, 0, -1, CLI_COMPLETE_CODE, NULL, NULL, run_explain, CLI_IO_NONE};

/* ==== export-template ==== */

static int run_export_template(cli_args *a)
{
    nb_diag_list *dl = nb_diag_list_new();
    const unsigned char *bytes;
    size_t len;
    int rc;

    if (dl == NULL)
        return EXIT_RUN;
    bytes = nb_template_standard_bytes(&len);
    rc = nb_write_file_atomic(a->args[0], bytes, len, dl) == NB_OK
             ? EXIT_CLEAN
             : EXIT_RUN;
    diag_print(dl, DIAG_TEXT);
    nb_diag_list_free(dl);
    return rc;
}

const cli_cmd cmd_export_template_def = {
    "export-template", N_("OUT.docx"),
    N_("write the built-in standard template, to restyle in Word/WPS\n"
       "and use with render --template"),
    N_("Write the built-in standard template (GB/T 9704-2012) to\n"
       "OUT.docx. Open it in Word, WPS or LibreOffice, change styles,\n"
       "fonts or page setup, keep the {{tags}}, and render with\n"
       "--template OUT.docx."),
    NULL, NULL, NULL, 1, 1, CLI_COMPLETE_FILE, N_("missing the output file"),
    N_("give exactly one output file"), run_export_template, CLI_IO_WRITE};

/* ==== help ==== */

/* Every option of every command, tab-separated, for scripts and tests:
 * command, long name, short name (or -), flag or value, value name,
 * choices. */
static void print_options(void)
{
    size_t i;
    size_t k;

    for (i = 0; cli_commands[i] != NULL; i++) {
        const cli_cmd *c = cli_commands[i];

        for (k = 0; c->opts != NULL && c->opts[k] != NULL; k++) {
            const cli_opt *o = c->opts[k];

            printf("%s\t--%s\t%s%c\t%s\t%s\t%s\n", c->name, o->name,
                   o->short_name != 0 ? "-" : "",
                   o->short_name != 0 ? o->short_name : '-',
                   o->kind == CLI_FLAG ? "flag" : "value",
                   o->kind == CLI_FLAG ? "-" : o->value_name,
                   o->choices != NULL ? o->choices : "-");
        }
    }
}

static int run_help(cli_args *a)
{
    const cli_cmd *c = NULL;

    if (a->n_args > 0) {
        char name[64];

        snprintf(name, sizeof(name), "%s%s", a->args[0],
                 a->batch ? " --batch" : "");
        c = cli_find(name);
        if (c == NULL)
            return cli_usage_error(a->cmd, _("unknown command '%s'"), name);
    }
    if (a->man)
        cli_print_man(stdout);
    else if (a->completion != NULL)
        cli_print_completion(a->completion, stdout);
    else if (a->json_list)
        print_options();
    else
        cli_print_help(c, stdout);
    return EXIT_CLEAN;
}

static bool set_completion(cli_args *a, const char *v, char *why, size_t size)
{
    if (strcmp(v, "bash") != 0 && strcmp(v, "zsh") != 0) {
        snprintf(why, size, _("'%s' is not a shell: bash or zsh"), v);
        return false;
    }
    a->completion = v;
    return true;
}

static const cli_opt opt_man = {
    "man", 0, CLI_FLAG, NULL, NULL, CLI_COMPLETE_NONE,
    N_("print the man page's SYNOPSIS and COMMANDS sections\n"
       "(troff), as the build puts them into nianbao.1"),
    NULL, offsetof(cli_args, man), CLI_IO_NONE};

static const cli_opt opt_completion = {
    "completion", 0, CLI_VALUE, "SHELL", "bash|zsh", CLI_COMPLETE_CHOICES,
    N_("print the completion script for the shell (installed\n"
       "with nianbao; e.g. source <(nianbao help --completion=bash))"),
    set_completion, 0, CLI_IO_NONE};

static const cli_opt opt_options = {
    "options", 0, CLI_FLAG, NULL, NULL, CLI_COMPLETE_NONE,
    N_("list every option of every command, tab-separated:\n"
       "command, name, short name, flag or value, value, choices"),
    NULL, offsetof(cli_args, json_list), CLI_IO_NONE};

static const cli_opt opt_help_batch = {
    "batch", 0, CLI_FLAG, NULL, NULL, CLI_COMPLETE_NONE,
    N_("with render: the help of render --batch"), NULL,
    offsetof(cli_args, batch), CLI_IO_NONE};

static const cli_opt *const help_opts[] = {&opt_man, &opt_completion,
                                           &opt_options, &opt_help_batch,
                                           NULL};

static const char *const help_conflicts[] = {
    "man", "completion", "man", "options", "completion", "options", NULL};

const cli_cmd cmd_help_def = {
    "help", N_("[COMMAND]"),
    N_("show the help of nianbao or of a command"),
    N_("Show the help of nianbao, or of COMMAND: the same text as\n"
       "'nianbao COMMAND --help'."),
    NULL, help_opts, help_conflicts, 0, 1, CLI_COMPLETE_COMMAND, NULL,
    N_("give one command"), run_help, CLI_IO_NONE};

const cli_cmd *const cli_commands[] = {
    &cmd_validate_def,       &cmd_render_def,    &cmd_batch_def,
    &cmd_inbox_def,          &cmd_aggregate_def, &cmd_init_def,
    &cmd_convert_def,        &cmd_import_def,    &cmd_fix_def,
    &cmd_indicators_def,     &cmd_check_template_def,
    &cmd_export_template_def, &cmd_limits_def,   &cmd_explain_def,
    &cmd_help_def,           NULL};

/* ==== main ==== */

/* The message catalogs of a build tree, when this program runs from one
 * (build/src/cli/nianbao, or libtool's build/src/cli/.libs/nianbao):
 * there, Chinese messages need no 'make install'. */
static void use_build_tree_catalogs(void)
{
#if ENABLE_NLS
    static const char *const up[] = {"/../..", "/../../.."};
    char exe[4096];
    char dir[4200];
    ssize_t n;
    size_t i;

    if (getenv("NIANBAO_LOCALEDIR") != NULL)
        return;
    n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    if (n <= 0)
        return;
    exe[n] = '\0';
    if (strrchr(exe, '/') != NULL)
        *strrchr(exe, '/') = '\0';
    for (i = 0; i < sizeof(up) / sizeof(up[0]); i++) {
        char probe[4300];

        snprintf(dir, sizeof(dir), "%s%s", exe, up[i]);
        snprintf(probe, sizeof(probe), "%s/config.status", dir);
        if (access(probe, F_OK) != 0)
            continue;
        snprintf(probe, sizeof(probe),
                 "%s/po/locale/zh_CN/LC_MESSAGES/nianbao.mo", dir);
        if (access(probe, R_OK) != 0)
            return;
        snprintf(probe, sizeof(probe), "%s/po/locale", dir);
        setenv("NIANBAO_LOCALEDIR", probe, 1);
        return;
    }
#endif
}

/* A run stopped by a signal leaves no temporary file behind: it removes
 * them, then ends as the signal would have ended it. */
static void on_stop_signal(int sig)
{
    nb_tmp_cleanup();
    signal(sig, SIG_DFL);
    raise(sig);
}

static void clean_up_on_signals(void)
{
    static const int sigs[] = {SIGTERM, SIGINT, SIGHUP};
    struct sigaction sa;
    size_t i;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_stop_signal;
    sigemptyset(&sa.sa_mask);
    for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
        sigaddset(&sa.sa_mask, sigs[i]);
    for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
        struct sigaction old;

        /* a signal ignored by the caller (nohup) stays ignored */
        if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler != SIG_IGN)
            sigaction(sigs[i], &sa, NULL);
    }
}

int main(int argc, char **argv)
{
    const cli_cmd *cmd;
    int i;

    /* a line per write(2), not a byte: a draft's hundreds of notes are
       printed a byte at a time otherwise (stderr is unbuffered) */
    setvbuf(stderr, NULL, _IOLBF, BUFSIZ);
    clean_up_on_signals();
    nb_heap_keep(); /* renders free and reallocate large buffers */
    setlocale(LC_ALL, "");
    /* messages follow the locale; numbers in files never do */
    setlocale(LC_NUMERIC, "C");
    use_build_tree_catalogs();
#if ENABLE_NLS
    /* the library bound the domain for both of us */
    if (nb_locale_dir() != NULL)
        textdomain(PACKAGE);
    /* strerror()'s text in UTF-8 too, as every other byte printed: under
     * zh_CN.GB18030 a line would otherwise mix two encodings */
    bind_textdomain_codeset("libc", "UTF-8");
#endif
    if (argc < 2) {
        cli_print_help(NULL, stderr);
        return EXIT_USAGE;
    }
    if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
        cli_print_help(NULL, stdout);
        return EXIT_CLEAN;
    }
    if (strcmp(argv[1], "-V") == 0 || strcmp(argv[1], "--version") == 0 ||
        strcmp(argv[1], "version") == 0) {
        print_version();
        return EXIT_CLEAN;
    }
    cmd = strchr(argv[1], ' ') == NULL ? cli_find(argv[1]) : NULL;
    if (cmd == NULL && argv[1][0] == '-')
        return cli_usage_error(NULL, _("unknown option '%s'"), argv[1]);
    if (cmd == NULL)
        return cli_usage_error(NULL, _("unknown command '%s'"), argv[1]);
    if (cmd == &cmd_render_def)
        for (i = 2; i < argc && strcmp(argv[i], "--") != 0; i++)
            if (strcmp(argv[i], "--batch") == 0)
                cmd = &cmd_batch_def;
    return cli_main(cmd, argc - 1, argv + 1);
}
