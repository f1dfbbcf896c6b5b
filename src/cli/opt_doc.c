/* opt_doc.c: what is written about the commands, made from their tables
 * (opt.h): `--help`, the man page's SYNOPSIS and COMMANDS sections
 * (doc/nianbao.1.in holds the rest; Makefile.am splices them at build
 * time), and the bash and zsh completion scripts that `make install`
 * puts where the shells look for them. */
#include "cli.h"

#include <string.h>

#define HELP_COLUMN 26 /* where an option's help starts, at most */

static size_t n_opts(const cli_cmd *cmd)
{
    size_t n = 0;

    while (cmd->opts != NULL && cmd->opts[n] != NULL)
        n++;
    return n;
}

void cli_opt_label(const cli_opt *o, char *buf, size_t size)
{
    const char *eq = o->kind == CLI_VALUE ? "=" : "";
    const char *value = o->kind == CLI_VALUE ? o->value_name : "";

    if (o->short_name != 0)
        snprintf(buf, size, "-%c, --%s%s%s", o->short_name, o->name, eq,
                 value);
    else
        snprintf(buf, size, "    --%s%s%s", o->name, eq, value);
}

/* ==== --help ==== */

/* 'text' (translated) with every line after the first indented. */
static void put_indented(FILE *f, const char *text, size_t indent)
{
    const char *p;

    for (p = text; *p != '\0'; p++) {
        fputc(*p, f);
        if (*p == '\n')
            fprintf(f, "%*s", (int)indent, "");
    }
    fputc('\n', f);
}

static void put_option(FILE *f, const cli_opt *o, size_t column)
{
    char label[96];
    size_t len;

    cli_opt_label(o, label, sizeof(label));
    len = strlen(label) + 2;
    fprintf(f, "  %s", label);
    if (len + 2 > column) {
        fputc('\n', f);
        len = 0;
    }
    fprintf(f, "%*s", (int)(column - 2 - len + 2), "");
    put_indented(f, _(o->help), column);
}

static void command_help(const cli_cmd *cmd, FILE *f)
{
    static const cli_opt help = {"help", 'h', CLI_FLAG, NULL, NULL,
                                 CLI_COMPLETE_NONE, N_("show this help"),
                                 NULL, 0, CLI_IO_NONE};
    size_t n = n_opts(cmd);
    size_t column = 0;
    size_t i;

    for (i = 0; i <= n; i++) {
        char label[96];

        cli_opt_label(i < n ? cmd->opts[i] : &help, label, sizeof(label));
        if (strlen(label) + 4 > column)
            column = strlen(label) + 4;
    }
    if (column > HELP_COLUMN)
        column = HELP_COLUMN;
    fprintf(f, _("Usage: nianbao %s %s\n"), cmd->name, _(cmd->usage));
    fprintf(f, "%s\n\n", _(cmd->description));
    fputs(_("Options:\n"), f);
    for (i = 0; i < n; i++)
        put_option(f, cmd->opts[i], column);
    put_option(f, &help, column);
    if (cmd->epilog != NULL)
        fprintf(f, "\n%s\n", _(cmd->epilog));
}

void cli_print_help(const cli_cmd *cmd, FILE *f)
{
    size_t width = 0;
    size_t i;

    if (cmd != NULL) {
        command_help(cmd, f);
        return;
    }
    fputs(_("Usage: nianbao COMMAND [OPTION]... [FILE]...\n"
            "Validate annual-report data and render it into a DOCX report "
            "in\n"
            "the official-document format (GB/T 9704-2012).\n"
            "\n"
            "Commands:\n"),
          f);
    for (i = 0; cli_commands[i] != NULL; i++)
        if (strlen(cli_commands[i]->name) > width)
            width = strlen(cli_commands[i]->name);
    for (i = 0; cli_commands[i] != NULL; i++) {
        const cli_cmd *c = cli_commands[i];

        fprintf(f, "  %-*s", (int)width + 2, c->name);
        put_indented(f, _(c->summary), width + 4);
    }
    fputs(_("\n"
            "Options:\n"
            "  -h, --help      show this help\n"
            "  -V, --version   show the version\n"
            "\n"
            "'nianbao COMMAND --help' or 'nianbao help COMMAND' shows a\n"
            "command's options. Options may come before or after the\n"
            "files; '--' ends them.\n"
            "\n"
            "Examples:\n"
            "  nianbao init forms --issuer=常山县司法局 --year=2025\n"
            "  nianbao validate forms\n"
            "  nianbao render forms -o report.docx\n"
            "  nianbao render report.xml -o out.docx --template "
            "my-restyled.docx\n"
            "  nianbao inbox 2022-reports --expect offices.csv --csv "
            "summary.csv\n"
            "\n"
            "Exit status: 0 no errors, 1 errors in the data or template,\n"
            "2 wrong usage, 3 could not run (missing file, unwritable "
            "output).\n"),
          f);
}

/* ==== The man page ==== */

/* Text as troff: backslashes and hyphens escaped, a line that starts
 * with a dot or quote protected, lines indented in the help kept as they
 * are (.nf). */
static void man_text(FILE *f, const char *s)
{
    bool line_start = true;
    bool literal = false;

    for (; *s != '\0'; s++) {
        if (line_start) {
            bool indented = s[0] == ' ' && s[1] == ' ';

            if (indented && !literal)
                fputs(".nf\n", f);
            else if (!indented && literal)
                fputs(".fi\n", f);
            literal = indented;
            if (*s == '.' || *s == '\'')
                fputs("\\&", f);
        }
        line_start = *s == '\n';
        if (*s == '\\')
            fputs("\\e", f);
        else if (*s == '-')
            fputs("\\-", f);
        else
            fputc(*s, f);
    }
    fputc('\n', f);
    if (literal)
        fputs(".fi\n", f);
}

/* A name in bold, its hyphens escaped. */
static void man_name(FILE *f, const char *prefix, const char *name)
{
    fprintf(f, "\\fB%s", prefix);
    for (; *name != '\0'; name++)
        if (*name == '-')
            fputs("\\-", f);
        else
            fputc(*name, f);
    fputs("\\fR", f);
}

static void man_option(FILE *f, const cli_opt *o)
{
    fputs(".TP\n", f);
    if (o->short_name != 0) {
        char s[2] = {o->short_name, '\0'};

        man_name(f, "\\-", s);
        fputs(", ", f);
    }
    man_name(f, "\\-\\-", o->name);
    if (o->kind == CLI_VALUE)
        fprintf(f, "=\\fI%s\\fR", o->value_name);
    fputc('\n', f);
    man_text(f, o->help);
}

void cli_print_man(FILE *f)
{
    size_t i;
    size_t k;

    fputs(".SH SYNOPSIS\n", f);
    for (i = 0; cli_commands[i] != NULL; i++) {
        fprintf(f, "%s.B nianbao %s\n", i > 0 ? ".br\n" : "",
                cli_commands[i]->name);
        man_text(f, cli_commands[i]->usage);
    }
    fputs(".SH COMMANDS\n", f);
    for (i = 0; cli_commands[i] != NULL; i++) {
        const cli_cmd *c = cli_commands[i];

        fprintf(f, ".SS \"nianbao %s\"\n", c->name);
        man_text(f, c->description);
        for (k = 0; k < n_opts(c); k++)
            man_option(f, c->opts[k]);
        if (c->epilog != NULL) {
            fputs(".PP\n", f);
            man_text(f, c->epilog);
        }
    }
}

/* ==== Shell completion ==== */

/* The choices "a|b|c" with spaces between, into 'buf'. */
static const char *spaced(char *buf, size_t size, const char *choices)
{
    size_t i;

    snprintf(buf, size, "%s", choices != NULL ? choices : "");
    for (i = 0; buf[i] != '\0'; i++)
        if (buf[i] == '|')
            buf[i] = ' ';
    return buf;
}

/* What bash offers for a value or an argument. */
static void bash_offer(FILE *f, cli_complete what, const char *choices)
{
    char buf[256];

    switch (what) {
    case CLI_COMPLETE_FILE:
        fputs("_nianbao_files", f);
        break;
    case CLI_COMPLETE_DIR:
        fputs("_nianbao_dirs", f);
        break;
    case CLI_COMPLETE_CHOICES:
        fprintf(f, "_nianbao_words '%s'", spaced(buf, sizeof(buf), choices));
        break;
    case CLI_COMPLETE_COMMAND:
        fputs("_nianbao_words \"$_nianbao_commands\"", f);
        break;
    default:
        fputs("COMPREPLY=()", f);
    }
}

/* The command's case arm: its options, and what each value takes. */
static void bash_command(FILE *f, const cli_cmd *c, const char *key)
{
    size_t n = n_opts(c);
    size_t k;

    fprintf(f, "    '%s')\n        opts='--help", key);
    for (k = 0; k < n; k++) {
        const cli_opt *o = c->opts[k];

        fprintf(f, " --%s%s", o->name, o->kind == CLI_VALUE ? "=" : "");
        if (o->short_name != 0)
            fprintf(f, " -%c", o->short_name);
    }
    fputs("'\n        case $opt in\n", f);
    for (k = 0; k < n; k++) {
        const cli_opt *o = c->opts[k];

        if (o->kind != CLI_VALUE)
            continue;
        fprintf(f, "        --%s", o->name);
        if (o->short_name != 0)
            fprintf(f, "|-%c", o->short_name);
        fputs(") ", f);
        bash_offer(f, o->complete, o->choices);
        fputs("; return ;;\n", f);
    }
    fputs("        esac\n        args() { ", f);
    bash_offer(f, c->arg_complete, NULL);
    fputs("; }\n        ;;\n", f);
}

static void bash_script(FILE *f)
{
    size_t i;

    fputs("# bash completion for nianbao; made from its command table by\n"
          "# 'nianbao help --completion=bash'\n"
          "_nianbao_words() { COMPREPLY=($(compgen -W \"$1\" -- \"$cur\")); "
          "}\n"
          "_nianbao_files() { compopt -o filenames 2>/dev/null; "
          "COMPREPLY=($(compgen -f -- \"$cur\")); }\n"
          "_nianbao_dirs() { compopt -o filenames 2>/dev/null; "
          "COMPREPLY=($(compgen -d -- \"$cur\")); }\n"
          "_nianbao_commands='",
          f);
    for (i = 0; cli_commands[i] != NULL; i++)
        if (strchr(cli_commands[i]->name, ' ') == NULL)
            fprintf(f, "%s%s", i > 0 ? " " : "", cli_commands[i]->name);
    fputs("'\n"
          "_nianbao() {\n"
          "    local cur=${COMP_WORDS[COMP_CWORD]} cmd= opt= i opts\n"
          "    local prev=${COMP_WORDS[COMP_CWORD-1]}\n"
          "    # --name=VALUE: bash splits at '='\n"
          "    if [[ $cur == = ]]; then cur=; opt=$prev\n"
          "    elif [[ $prev == = ]]; then "
          "opt=${COMP_WORDS[COMP_CWORD-2]}\n"
          "    elif [[ $cur == --*=* ]]; then opt=${cur%%=*}; "
          "cur=${cur#*=}\n"
          "    elif [[ $prev == -* ]]; then opt=$prev; fi\n"
          "    for ((i = 1; i < COMP_CWORD; i++)); do\n"
          "        case ${COMP_WORDS[i]} in -*|=) ;; *) "
          "cmd=${COMP_WORDS[i]}; break ;; esac\n"
          "    done\n"
          "    if [[ -z $cmd ]]; then _nianbao_words \"$_nianbao_commands "
          "--help --version\"; return; fi\n"
          "    [[ $cmd == render && \" ${COMP_WORDS[*]} \" == *' --batch '* "
          "]] && cmd='render --batch'\n"
          "    case $cmd in\n",
          f);
    for (i = 0; cli_commands[i] != NULL; i++)
        bash_command(f, cli_commands[i], cli_commands[i]->name);
    fputs("    *) return ;;\n"
          "    esac\n"
          "    if [[ $cur == -* ]]; then _nianbao_words \"$opts\"; "
          "compopt -o nospace 2>/dev/null; "
          "[[ ${COMPREPLY[0]} == *= ]] || compopt +o nospace 2>/dev/null; "
          "return; fi\n"
          "    args\n"
          "}\n"
          "complete -F _nianbao nianbao\n",
          f);
}

/* Help text's first line as a zsh description: no brackets, colons or
 * quotes. */
static void zsh_words(FILE *f, const char *s)
{
    for (; *s != '\0' && *s != '\n'; s++)
        if (strchr("[]:'\\`$", *s) == NULL)
            fputc(*s, f);
}

static void zsh_action(FILE *f, cli_complete what, const char *choices)
{
    char buf[256];

    switch (what) {
    case CLI_COMPLETE_FILE:
        fputs("_files", f);
        break;
    case CLI_COMPLETE_DIR:
        fputs("_files -/", f);
        break;
    case CLI_COMPLETE_CHOICES:
        fprintf(f, "(%s)", spaced(buf, sizeof(buf), choices));
        break;
    case CLI_COMPLETE_COMMAND:
        fputs("_nianbao_command", f);
        break;
    default:
        fputs(" ", f);
    }
}

static void zsh_option(FILE *f, const cli_opt *o)
{
    const char *eq = o->kind == CLI_VALUE ? "=" : "";

    fputs(" \\\n        '", f);
    if (o->short_name != 0)
        fprintf(f, "(-%c --%s)'{-%c,--%s%s}'", o->short_name, o->name,
                o->short_name, o->name, eq);
    else
        fprintf(f, "--%s%s", o->name, eq);
    fputc('[', f);
    zsh_words(f, o->help);
    fputc(']', f);
    if (o->kind == CLI_VALUE) {
        fprintf(f, ":%s:", o->value_name);
        zsh_action(f, o->complete, o->choices);
    }
    fputc('\'', f);
}

static void zsh_script(FILE *f)
{
    size_t i;
    size_t k;

    fputs("#compdef nianbao\n"
          "# zsh completion for nianbao; made from its command table by\n"
          "# 'nianbao help --completion=zsh'\n"
          "_nianbao_command() {\n  local -a cmds\n  cmds=(\n",
          f);
    for (i = 0; cli_commands[i] != NULL; i++) {
        if (strchr(cli_commands[i]->name, ' ') != NULL)
            continue;
        fprintf(f, "    '%s:", cli_commands[i]->name);
        zsh_words(f, cli_commands[i]->summary);
        fputs("'\n", f);
    }
    fputs("  )\n  _describe command cmds\n}\n"
          "_nianbao() {\n"
          "  if (( CURRENT == 2 )); then _nianbao_command; return; fi\n"
          "  local cmd=$words[2]\n"
          "  [[ $cmd == render && ${words[(I)--batch]} -gt 0 ]] && "
          "cmd='render --batch'\n"
          "  shift words; (( CURRENT-- ))\n"
          "  case $cmd in\n",
          f);
    for (i = 0; cli_commands[i] != NULL; i++) {
        const cli_cmd *c = cli_commands[i];

        fprintf(f, "  '%s')\n    _arguments -s", c->name);
        for (k = 0; k < n_opts(c); k++)
            zsh_option(f, c->opts[k]);
        fputs(" \\\n        '(- *)'{-h,--help}'[show this help]'", f);
        if (c->max_args != 0) {
            fprintf(f, " \\\n        '%s:ARG:", c->max_args < 0 ? "*" : "1");
            zsh_action(f, c->arg_complete, NULL);
            fputc('\'', f);
        }
        fputs("\n    ;;\n", f);
    }
    fputs("  esac\n}\n_nianbao \"$@\"\n", f);
}

bool cli_print_completion(const char *shell, FILE *f)
{
    if (strcmp(shell, "bash") == 0)
        bash_script(f);
    else if (strcmp(shell, "zsh") == 0)
        zsh_script(f);
    else
        return false;
    return true;
}
