/* opt.c: the command line read against a command's table (opt.h).
 *
 * Options come anywhere among the arguments, "--" ends them. A long
 * option may be shortened to any prefix that names one option of the
 * command (GNU getopt_long's rule). Every mistake is one line naming the
 * command and the option as typed, then how to get help, exit status 2:
 * a missing value, a value given to a flag, a bad value (the option's own
 * check says why), an unknown option (with the name meant), an option of
 * another command, two options that exclude each other, too few or too
 * many arguments.
 */
#include "cli.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

int cli_usage_error(const cli_cmd *cmd, const char *fmt, ...)
{
    va_list ap;
    char msg[2048];

    if (cmd != NULL)
        fprintf(stderr, "nianbao %s: ", cmd->name);
    else
        fputs("nianbao: ", stderr);
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    term_put(stderr, msg); /* it quotes what the user typed */
    fputc('\n', stderr);
    if (cmd != NULL)
        fprintf(stderr, _("Try 'nianbao %s --help'.\n"), cmd->name);
    else
        fputs(_("Try 'nianbao --help'.\n"), stderr);
    return EXIT_USAGE;
}

/* -h, --help: every command has it, and it is last in every help. */
static const cli_opt opt_help = {
    "help", 'h', CLI_FLAG, NULL, NULL, CLI_COMPLETE_NONE,
    N_("show this help"), NULL, 0, CLI_IO_NONE};

/* The command's options, help last: 'v' holds at most CLI_MAX_OPTS. */
static size_t options_of(const cli_cmd *cmd, const cli_opt **v)
{
    size_t n = 0;

    while (cmd->opts != NULL && cmd->opts[n] != NULL && n + 1 < CLI_MAX_OPTS) {
        v[n] = cmd->opts[n];
        n++;
    }
    v[n++] = &opt_help;
    return n;
}

const cli_cmd *cli_find(const char *name)
{
    size_t i;

    for (i = 0; cli_commands[i] != NULL; i++)
        if (strcmp(cli_commands[i]->name, name) == 0)
            return cli_commands[i];
    return NULL;
}

const char *cli_given(const cli_args *a, const char *name)
{
    const cli_opt *v[CLI_MAX_OPTS];
    size_t n = options_of(a->cmd, v);
    size_t i;

    for (i = 0; i < n; i++)
        if (strcmp(v[i]->name, name) == 0)
            return a->given[i];
    return NULL;
}

/* ==== Names ==== */

/* The option of 'v' whose name is nearest to 'typed', or NULL when none
 * is near enough to be meant. */
static const cli_opt *nearest(const cli_opt *const *v, size_t n,
                              const char *typed)
{
    const cli_opt *best = NULL;
    size_t best_d = (size_t)-1;
    size_t i;

    for (i = 0; i < n; i++) {
        size_t d = nb_edit_distance(typed, v[i]->name);

        if (d < best_d) {
            best_d = d;
            best = v[i];
        }
    }
    return best_d <= (strlen(typed) < 6 ? 1u : 2u) ? best : NULL;
}

/* The option of 'v' that 'name' (n bytes) names: exactly, or as the
 * prefix of one option only. *ambiguous is set when it is the prefix of
 * several. */
static const cli_opt *by_long(const cli_opt *const *v, size_t count,
                              const char *name, size_t n, bool *ambiguous)
{
    const cli_opt *found = NULL;
    size_t matches = 0;
    size_t i;

    *ambiguous = false;
    for (i = 0; i < count; i++) {
        if (strncmp(v[i]->name, name, n) != 0)
            continue;
        if (v[i]->name[n] == '\0')
            return v[i];
        found = v[i];
        matches++;
    }
    *ambiguous = matches > 1;
    return matches == 1 ? found : NULL;
}

static const cli_opt *by_short(const cli_opt *const *v, size_t n, char c)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (v[i]->short_name == c)
            return v[i];
    return NULL;
}

/* The commands other than 'cmd' that take an option named 'name', as
 * "inbox, render --batch", into 'buf'; false when none does. */
static bool others_taking(char *buf, size_t size, const cli_cmd *cmd,
                          const char *name, char short_name)
{
    size_t len = 0;
    size_t i;

    buf[0] = '\0';
    for (i = 0; cli_commands[i] != NULL; i++) {
        const cli_opt *v[CLI_MAX_OPTS];
        size_t n = options_of(cli_commands[i], v);
        bool ambiguous;
        const cli_opt *o =
            name != NULL ? by_long(v, n, name, strlen(name), &ambiguous)
                         : by_short(v, n, short_name);

        if (cli_commands[i] == cmd || o == NULL ||
            (name != NULL && strcmp(o->name, name) != 0))
            continue;
        if (len + strlen(cli_commands[i]->name) + 3 >= size)
            break;
        len += (size_t)snprintf(buf + len, size - len, "%s%s",
                                len > 0 ? ", " : "", cli_commands[i]->name);
    }
    return len > 0;
}

/* ==== Errors ==== */

static int unknown_long(const cli_cmd *cmd, const cli_opt *const *v,
                        size_t n, const char *typed, const char *name,
                        bool ambiguous)
{
    char others[256];
    const cli_opt *near;

    if (ambiguous)
        return cli_usage_error(cmd,
                               _("option '%s' is ambiguous: write more of "
                                 "its name"),
                               typed);
    if (others_taking(others, sizeof(others), cmd, name, 0))
        return cli_usage_error(cmd,
                               _("option '%s' is not one of %s's options "
                                 "(it is an option of: %s)"),
                               typed, cmd->name, others);
    near = nearest(v, n, name);
    if (near != NULL)
        return cli_usage_error(cmd,
                               _("unknown option '%s'; did you mean "
                                 "'--%s'?"),
                               typed, near->name);
    return cli_usage_error(cmd, _("unknown option '%s'"), typed);
}

static int unknown_short(const cli_cmd *cmd, char c)
{
    char others[256];

    if (others_taking(others, sizeof(others), cmd, NULL, c))
        return cli_usage_error(cmd,
                               _("option '-%c' is not one of %s's options "
                                 "(it is an option of: %s)"),
                               c, cmd->name, others);
    return cli_usage_error(cmd, _("unknown option '-%c'"), c);
}

static int missing_value(const cli_cmd *cmd, const cli_opt *o,
                         const char *typed)
{
    if (o->choices != NULL) {
        char list[256];
        size_t i;

        snprintf(list, sizeof(list), "%s", o->choices);
        for (i = 0; list[i] != '\0'; i++)
            if (list[i] == '|')
                list[i] = '/';
        return cli_usage_error(cmd, _("option '%s' needs a value: %s"), typed,
                               list);
    }
    return cli_usage_error(cmd, _("option '%s' needs a value (%s)"), typed,
                           o->value_name != NULL ? o->value_name : "VALUE");
}

/* ==== Setting ==== */

/* Set 'o' from 'value' (NULL for a flag): an exit status. */
static int set_option(cli_args *a, const cli_opt *o, size_t index,
                      const char *typed, const char *value)
{
    char why[512];

    snprintf(a->typed[index], sizeof(a->typed[index]), "%s", typed);
    a->given[index] = a->typed[index];
    if (o == &opt_help) {
        cli_print_help(a->cmd, stdout);
        return -1;
    }
    why[0] = '\0';
    if (o->set != NULL) {
        if (!o->set(a, value, why, sizeof(why)))
            return cli_usage_error(a->cmd, _("option '%s': %s"), typed, why);
        return EXIT_CLEAN;
    }
    if (o->kind == CLI_FLAG)
        *(bool *)(void *)((char *)a + o->field) = true;
    else if (value[0] == '\0')
        return cli_usage_error(a->cmd, _("option '%s' needs a value (%s)"),
                               typed, o->value_name);
    else
        *(const char **)(void *)((char *)a + o->field) = value;
    return EXIT_CLEAN;
}

static size_t index_of(const cli_opt *const *v, size_t n, const cli_opt *o)
{
    size_t i;

    for (i = 0; i < n && v[i] != o; i++)
        ;
    return i;
}

/* A value may follow as the next argument unless it looks like an
 * option: "--diag --quiet" lacks its value. */
static bool can_be_value(const char *s)
{
    return s != NULL && (s[0] != '-' || s[1] == '\0');
}

/* "--name", "--name=value", "--name value": an exit status; *i moves
 * past what was used. */
static int long_option(cli_args *a, const cli_opt *const *v, size_t n,
                       int argc, char **argv, int *i)
{
    const char *arg = argv[*i];
    const char *name = arg + 2;
    const char *eq = strchr(name, '=');
    size_t len = eq != NULL ? (size_t)(eq - name) : strlen(name);
    char typed[128];
    bool ambiguous;
    const cli_opt *o = by_long(v, n, name, len, &ambiguous);

    snprintf(typed, sizeof(typed), "--%.*s", (int)(len < 100 ? len : 100),
             name);
    if (o == NULL) {
        char bare[128];

        snprintf(bare, sizeof(bare), "%.*s", (int)(len < 100 ? len : 100),
                 name);
        return unknown_long(a->cmd, v, n, typed, bare, ambiguous);
    }
    if (o->kind == CLI_FLAG) {
        if (eq != NULL)
            return cli_usage_error(a->cmd, _("option '%s' takes no value"),
                                   typed);
        return set_option(a, o, index_of(v, n, o), arg, NULL);
    }
    if (eq != NULL) {
        if (eq[1] == '\0')
            return missing_value(a->cmd, o, typed);
        return set_option(a, o, index_of(v, n, o), typed, eq + 1);
    }
    if (*i + 1 >= argc || !can_be_value(argv[*i + 1]))
        return missing_value(a->cmd, o, arg);
    (*i)++;
    return set_option(a, o, index_of(v, n, o), arg, argv[*i]);
}

/* "-q", "-qv", "-o FILE", "-oFILE", "-j4": an exit status. */
static int short_options(cli_args *a, const cli_opt *const *v, size_t n,
                         int argc, char **argv, int *i)
{
    const char *p = argv[*i] + 1;

    for (; *p != '\0'; p++) {
        const cli_opt *o = by_short(v, n, *p);
        char typed[3] = {'-', *p, '\0'};
        size_t k;
        int rc;

        if (o == NULL)
            return unknown_short(a->cmd, *p);
        k = index_of(v, n, o);
        if (o->kind == CLI_FLAG) {
            rc = set_option(a, o, k, typed, NULL);
            if (rc != EXIT_CLEAN)
                return rc;
            continue;
        }
        if (p[1] != '\0')
            return set_option(a, o, k, typed, p + 1);
        if (*i + 1 >= argc || !can_be_value(argv[*i + 1]))
            return missing_value(a->cmd, o, typed);
        (*i)++;
        return set_option(a, o, k, typed, argv[*i]);
    }
    return EXIT_CLEAN;
}

/* Two options of the command's conflict list both given. */
static int conflicts(const cli_args *a)
{
    const char *const *c = a->cmd->conflicts;

    for (; c != NULL && c[0] != NULL; c += 2) {
        const char *x = cli_given(a, c[0]);
        const char *y = cli_given(a, c[1]);

        if (x != NULL && y != NULL)
            return cli_usage_error(a->cmd,
                                   _("options '%s' and '%s' cannot be given "
                                     "together"),
                                   x, y);
    }
    return EXIT_CLEAN;
}

/* Read argv[1..] into 'a': an exit status, -1 after --help. The
 * arguments that are not options are moved to the front of argv. */
static int parse(cli_args *a, int argc, char **argv)
{
    const cli_opt *v[CLI_MAX_OPTS];
    size_t n = options_of(a->cmd, v);
    bool options = true;
    int i;

    a->args = argv + 1;
    a->n_args = 0;
    for (i = 1; i < argc; i++) {
        const char *arg = argv[i];
        int rc;

        if (!options || arg[0] != '-' || arg[1] == '\0') {
            a->args[a->n_args++] = argv[i];
            continue;
        }
        if (strcmp(arg, "--") == 0) {
            options = false;
            continue;
        }
        rc = arg[1] == '-' ? long_option(a, v, n, argc, argv, &i)
                           : short_options(a, v, n, argc, argv, &i);
        if (rc != EXIT_CLEAN)
            return rc;
    }
    return conflicts(a);
}

static nb_io_use io_use(cli_io io)
{
    switch (io) {
    case CLI_IO_READ_TREE:
        return NB_USE_READ_TREE;
    case CLI_IO_WRITE:
        return NB_USE_WRITE;
    case CLI_IO_WRITE_TREE:
        return NB_USE_WRITE_TREE;
    default:
        return NB_USE_READ;
    }
}

/* Every path the command line names, by what the run does with it: an
 * output that would replace an input, or land in a folder of inputs, is
 * refused before the command runs. An exit status. */
static int check_io(cli_args *a)
{
    const cli_opt *v[CLI_MAX_OPTS];
    size_t n = options_of(a->cmd, v);
    nb_io_plan *plan = nb_io_plan_new();
    nb_diag_list *dl = nb_diag_list_new();
    nb_status st = plan != NULL && dl != NULL ? NB_OK : NB_ERR_NOMEM;
    size_t i;
    int k;

    for (i = 0; i < n && st == NB_OK; i++) {
        const char *path;

        if (v[i]->io == CLI_IO_NONE || a->given[i] == NULL ||
            v[i]->kind != CLI_VALUE || v[i]->set != NULL)
            continue;
        path = *(const char **)(void *)((char *)a + v[i]->field);
        st = nb_io_plan_add(plan, path, io_use(v[i]->io), dl);
    }
    for (k = 0; k < a->n_args && st == NB_OK; k++)
        if (a->cmd->args_io != CLI_IO_NONE)
            st = nb_io_plan_add(plan, a->args[k], io_use(a->cmd->args_io), dl);
    if (st == NB_OK)
        st = nb_io_plan_check(plan, dl);
    if (dl != NULL)
        diag_print(dl, a->diag);
    nb_io_plan_free(plan);
    nb_diag_list_free(dl);
    if (st == NB_ERR_FORMAT)
        return EXIT_USAGE;
    return st == NB_OK ? EXIT_CLEAN : EXIT_RUN;
}

int cli_main(const cli_cmd *cmd, int argc, char **argv)
{
    cli_args a;
    int rc;

    memset(&a, 0, sizeof(a));
    a.cmd = cmd;
    a.diag = DIAG_TEXT;
    a.encoding = NB_ENC_AUTO;
    a.out_encoding = NB_ENC_AUTO;
    rc = parse(&a, argc, argv);
    if (rc < 0)
        return EXIT_CLEAN; /* --help */
    if (rc != EXIT_CLEAN)
        return rc;
    if (a.n_args < cmd->min_args)
        return cli_usage_error(cmd, "%s", _(cmd->no_args));
    if (cmd->max_args >= 0 && a.n_args > cmd->max_args)
        return cmd->too_many != NULL
                   ? cli_usage_error(cmd, "%s", _(cmd->too_many))
                   : cli_usage_error(cmd, _("unexpected argument '%s'"),
                                     a.args[cmd->max_args]);
    rc = check_io(&a);
    if (rc != EXIT_CLEAN)
        return rc;
    return cmd->run(&a);
}
