/* cli.h: shared declarations of the nianbao command. The command sees only
 * the public API (nianbao/nianbao.h). */
#ifndef NIANBAO_SRC_CLI_CLI_H
#define NIANBAO_SRC_CLI_CLI_H

#include <config.h>

#include <stdbool.h>
#include <stdio.h>

#include <nianbao/nianbao.h>

#if ENABLE_NLS
#include <libintl.h>
#define _(s) gettext(s)
#else
#define _(s) (s)
#endif
#define N_(s) (s) /* marked for translation, translated where printed */

/* Exit codes (README, "Exit status"): stable API. */
enum {
    EXIT_CLEAN = 0, /* no errors (warnings allowed) */
    EXIT_DATA = 1,  /* errors found in the data or the template */
    EXIT_USAGE = 2, /* bad command line */
    EXIT_RUN = 3    /* could not run: I/O, memory, limits */
};

typedef enum diag_format { DIAG_TEXT, DIAG_JSON } diag_format;

/* Parse "--diag=text|json"; false on an unknown value. */
bool diag_format_parse(diag_format *out, const char *s);

/* Sort and print every diagnostic: text to stderr (GCC style), JSON to
 * stdout (one object per line). */
void diag_print(nb_diag_list *dl, diag_format fmt);

/* 's' (NULL: "") as a JSON string, quoted and escaped. */
void json_put_string(FILE *f, const char *s);

/* Print a list already sorted, as it is (no hints). */
void diag_print_sorted(const nb_diag_list *dl, diag_format fmt);

/* A usage error: message to stderr with a hint, returns EXIT_USAGE. */
int usage_error(const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* True when 'path' is an existing folder. */
bool is_folder(const char *path);

/* True when 'path' ends in 'suffix', in any case ("x.CSV"). */
bool has_suffix(const char *path, const char *suffix);

/* True when 'path' names a CSV file (by its name), not a folder. */
bool is_csv_file(const char *path);

/* True when 'a' and 'b' name the same existing file or folder. */
bool same_file(const char *a, const char *b);

/* Parse an --encoding value; on failure *rc is the usage error's exit. */
bool parse_encoding(nb_encoding *out, const char *cmd, const char *s, int *rc);

/* The exit status of a failed library call: EXIT_DATA for findings in
 * the input (NB_ERR_FORMAT), else EXIT_RUN (rules_opts.c). */
int status_exit(nb_status st);

/* The rules' options (rules_opts.c), long options only. */
enum {
    OPT_INDICATORS = 256, /* --indicators=FILE */
    OPT_PREVIOUS,         /* --previous=REPORT */
    OPT_PROFILE,          /* --profile=annual-report|work-summary */
    OPT_FIGURES,          /* --figures */
    OPT_LIMIT             /* --limit=NAME=VALUE (limits.c) */
};

/* Apply one --limit NAME=VALUE to 'lim' (or to *diag_cap, the number of
 * diagnostics kept); 1 when done, -1 on a usage error (*exit_out set). */
int limit_option(nb_limits *lim, size_t *diag_cap, const char *arg,
                 const char *cmd, int *exit_out);
int cmd_limits(int argc, char **argv);

#define RULES_LONG_OPTIONS                                                     \
    {"indicators", required_argument, NULL, OPT_INDICATORS},                   \
        {"previous", required_argument, NULL, OPT_PREVIOUS},                   \
    {                                                                          \
        "profile", required_argument, NULL, OPT_PROFILE                        \
    }

typedef struct rules_cli {
    const char *indicators;
    const char *previous;
    nb_profile profile;
    bool figures;
    nb_catalog *cat; /* loaded by rules_load */
    nb_report *prev;
} rules_cli;

/* 1 when 'c' was a rules option, 0 when not, -1 on a usage error (then
 * *exit_out is the exit status). */
int rules_option(rules_cli *rc, int c, const char *arg, const char *cmd,
                 int *exit_out);
/* Load the catalog (into ro->catalog) and the previous report; an exit
 * status, EXIT_CLEAN when both are ready. */
int rules_load(rules_cli *rc, nb_read_opts *ro, nb_diag_list *dl);
nb_check_opts rules_check_opts(const rules_cli *rc);
void rules_free(rules_cli *rc);

int cmd_validate(int argc, char **argv);
int cmd_init(int argc, char **argv);
int cmd_convert(int argc, char **argv);
int cmd_indicators(int argc, char **argv);
int cmd_render(int argc, char **argv);
int cmd_explain(int argc, char **argv);
int cmd_export_template(int argc, char **argv);
int cmd_inbox(int argc, char **argv);
int cmd_aggregate(int argc, char **argv);
int cmd_check_template(int argc, char **argv);

/* render --batch DIR -o OUTDIR (cmd_inbox.c): 'argv' is render's. */
int render_batch(int argc, char **argv);

#endif /* NIANBAO_SRC_CLI_CLI_H */
