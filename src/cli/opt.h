/* opt.h: the command table. Every command of nianbao and every option it
 * takes is declared once, as data: its names, whether it takes a value,
 * the value's name and choices, its help text and the field it sets.
 * Parsing (opt.c), --help, the man page and the bash and zsh completion
 * (opt_doc.c) and every usage error are made from these tables, so they
 * cannot disagree.
 *
 * Options may come anywhere among the arguments (GNU convention); "--"
 * ends them. A value is given as --name=VALUE, --name VALUE, -xVALUE or
 * -x VALUE; a value that starts with '-' must use the '=' form (or -xVALUE),
 * so that "--diag --quiet" is a missing value, not the value "--quiet".
 */
#ifndef NIANBAO_SRC_CLI_OPT_H
#define NIANBAO_SRC_CLI_OPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <nianbao/nianbao.h>

typedef enum diag_format { DIAG_TEXT, DIAG_JSON } diag_format;

/* What the shell should offer for a value or an argument. */
typedef enum cli_complete {
    CLI_COMPLETE_NONE,    /* free text (a name, a number) */
    CLI_COMPLETE_FILE,    /* any file */
    CLI_COMPLETE_DIR,     /* a folder */
    CLI_COMPLETE_CHOICES, /* one of the option's choices */
    CLI_COMPLETE_COMMAND, /* a command of nianbao */
    CLI_COMPLETE_CODE     /* a diagnostic code */
} cli_complete;

/* How a run uses the path an option or an argument names: every one is
 * recorded before the command runs, and an output that would replace an
 * input is refused then (nb_io_plan). */
typedef enum cli_io {
    CLI_IO_NONE,       /* not a path */
    CLI_IO_READ,       /* a file read, or a form set folder */
    CLI_IO_READ_TREE,  /* a folder of submissions, read whole */
    CLI_IO_WRITE,      /* a file (or new folder) written */
    CLI_IO_WRITE_TREE  /* a folder written into */
} cli_io;

#define CLI_MAX_OPTS 48   /* options of one command */
#define CLI_MAX_REPEAT 64 /* values of one repeatable option */

/* Every value the options of every command set. A command reads the
 * fields its table gives it; the others keep their zero defaults. */
typedef struct cli_args {
    const struct cli_cmd *cmd;
    char **args; /* the arguments that are not options, in order */
    int n_args;
    /* options several commands share */
    diag_format diag;      /* --diag */
    nb_encoding encoding;  /* --encoding */
    nb_limits limits;      /* --limit (0 fields: the defaults) */
    size_t diag_cap;       /* --limit diagnostics=N; 0: the default */
    nb_profile profile;    /* --profile */
    const char *indicators; /* --indicators */
    const char *previous;  /* --previous */
    const char *tmpl;      /* --template */
    const char *output;    /* -o */
    unsigned jobs;         /* -j; 0: one per processor (and 600 MB) */
    bool quiet;            /* -q */
    bool verbose;          /* -v */
    /* options of one or two commands */
    bool figures;          /* validate --figures */
    bool no_progress;      /* --no-progress */
    bool batch;            /* render --batch */
    bool standard;         /* check-template --standard */
    bool json_list;        /* check-template --json */
    bool markdown;         /* explain --markdown */
    bool man;              /* help --man */
    const char *completion; /* help --completion=SHELL */
    const char *expect;    /* inbox --expect */
    const char *csv;       /* --csv */
    const char *json;      /* --json=FILE */
    const char *docx;      /* inbox --docx */
    bool xlsx;             /* init --xlsx */
    const char *html;      /* inbox --html */
    const char *issuer;    /* --issuer */
    const char *date;      /* inbox --date */
    nb_encoding out_encoding; /* convert --output-encoding */
    int year;              /* init --year */
    bool fix_write;        /* fix --write */
    bool fix_check;        /* fix --check */
    bool tree;             /* import --tree */
    bool no_metrics;       /* import --no-metrics */
    const char *format;    /* render --format (NULL: by -o's extension) */
    bool fragment;         /* render --fragment */
    const char *pdf;       /* render --pdf=pdfa|plain */
    const char *data;      /* render, check-template --data=FILE.json */
    const char *schema;    /* render, check-template --schema=S.json */
    char allow[CLI_MAX_REPEAT * 8]; /* --allow: codes, by spaces */
    const char *allow_dirs[CLI_MAX_REPEAT]; /* render --allow-dir */
    int n_allow_dirs;
    const char *search;    /* indicators --search */
    /* the options given, as the user typed them, by their index in the
     * command's table (for conflicts and messages) */
    const char *given[CLI_MAX_OPTS];
    char typed[CLI_MAX_OPTS][40]; /* where given[] points */
} cli_args;

typedef struct cli_opt cli_opt;

/* Set the option's field from 'value' (NULL for a flag). On a bad value,
 * write why into 'why' (a translated sentence about the value, without
 * the option's name) and return false. */
typedef bool (*cli_set_fn)(cli_args *a, const char *value, char *why,
                           size_t why_size);

typedef enum cli_opt_kind {
    CLI_FLAG, /* takes no value */
    CLI_VALUE /* takes exactly one value */
} cli_opt_kind;

struct cli_opt {
    const char *name;       /* the long name, without "--" */
    char short_name;        /* 0: none */
    cli_opt_kind kind;
    const char *value_name; /* shown in help: --name=VALUE_NAME */
    const char *choices;    /* the values allowed, '|' between, or NULL */
    cli_complete complete;  /* what the shell offers for the value */
    const char *help;       /* N_(): one or more lines, no final newline */
    cli_set_fn set;         /* NULL: 'field' is a bool (flag) or a
                               const char * (value) */
    size_t field;           /* offsetof(cli_args, ...) when set is NULL */
    cli_io io;              /* what the run does with the path it names */
};

typedef struct cli_cmd {
    const char *name;        /* "validate"; "render --batch" is a mode */
    const char *usage;       /* N_(): what follows "nianbao NAME " */
    const char *summary;     /* N_(): one line for the list of commands */
    const char *description; /* N_(): what it does, for --help and man */
    const char *epilog;      /* N_(): examples, exit status; or NULL */
    const cli_opt *const *opts; /* NULL-terminated; -h is added */
    const char *const *conflicts; /* pairs of long names, NULL-ended */
    int min_args;            /* arguments that are not options */
    int max_args;            /* -1: any number */
    cli_complete arg_complete; /* what the shell offers for them */
    const char *no_args;     /* N_(): said when fewer than min_args */
    const char *too_many;    /* N_(): said when more than max_args */
    int (*run)(cli_args *a);
    cli_io args_io;          /* what the run does with its arguments */
} cli_cmd;

/* ==== The options shared by several commands (options.c) ==== */

/* render --pdf (cmd_render.c), which render --batch takes too */
extern const cli_opt opt_pdf;

extern const cli_opt opt_diag, opt_encoding, opt_limit, opt_profile,
    opt_indicators, opt_previous, opt_template, opt_jobs, opt_quiet,
    opt_verbose, opt_no_progress, opt_allow, opt_allow_external,
    opt_schema;

/* ==== The commands (one cmd_*.c each) ==== */

extern const cli_cmd cmd_validate_def, cmd_render_def, cmd_batch_def,
    cmd_inbox_def, cmd_aggregate_def, cmd_init_def, cmd_convert_def,
    cmd_import_def,
    cmd_indicators_def, cmd_check_template_def, cmd_export_template_def,
    cmd_explain_def, cmd_limits_def, cmd_help_def, cmd_fix_def;

/* Every command in the order of 'nianbao --help', NULL-terminated. */
extern const cli_cmd *const cli_commands[];

/* ==== Parsing and errors (opt.c) ==== */

/* The command named 'name' ("render --batch" too), or NULL. */
const cli_cmd *cli_find(const char *name);

/* Parse the arguments after the command's name into 'a' and run the
 * command; print usage errors (exit 2) and help (exit 0) itself. */
int cli_main(const cli_cmd *cmd, int argc, char **argv);

/* A usage error of 'cmd' (NULL: of nianbao itself): the message on
 * stderr, then how to get help. Returns EXIT_USAGE. */
int cli_usage_error(const cli_cmd *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The option 'name' of 'cmd' as the user typed it, or NULL when it was
 * not given. */
const char *cli_given(const cli_args *a, const char *name);

/* ==== Documentation made from the tables (opt_doc.c) ==== */

/* The help of 'cmd' (NULL: of nianbao), on 'f'. */
void cli_print_help(const cli_cmd *cmd, FILE *f);

/* The man page's generated sections (SYNOPSIS, COMMANDS) in troff. */
void cli_print_man(FILE *f);

/* A completion script for 'shell' ("bash" or "zsh"); false if unknown. */
bool cli_print_completion(const char *shell, FILE *f);

/* The option's "-x, --name=VALUE" as help prints it, into 'buf'. */
void cli_opt_label(const cli_opt *o, char *buf, size_t size);

#endif /* NIANBAO_SRC_CLI_OPT_H */
