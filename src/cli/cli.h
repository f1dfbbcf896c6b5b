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

#include "opt.h"

/* ==== Text for a person (term.c) ==== */

#define TERM_MAX 4096 /* a name printed, at most (bytes, escaped) */

/* 's' with control characters and bidirectional controls written as
 * escapes (\x1b, \r, \u202e), cut at 'size' with an ellipsis; 'buf'. */
const char *term_safe(char *buf, size_t size, const char *s);

/* Print 's' so escaped. */
void term_put(FILE *f, const char *s);

/* Format, then print the whole line so escaped: for lines whose
 * arguments come from files (the format holds no control characters but
 * its final newline, which is written as is). */
void term_printf(FILE *f, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Sort and print every diagnostic: text to stderr (GCC style), JSON to
 * stdout (one object per line). */
void diag_print(nb_diag_list *dl, diag_format fmt);

/* 's' (NULL: "") as a JSON string, quoted and escaped. */
void json_put_string(FILE *f, const char *s);

/* Print a list already sorted, as it is (no hints). */
void diag_print_sorted(const nb_diag_list *dl, diag_format fmt);

/* True when 'a' and 'b' name the same existing file or folder. */
bool same_file(const char *a, const char *b);

/* The exit status of a failed library call: EXIT_DATA for findings in
 * the input (NB_ERR_FORMAT), else EXIT_RUN (rules_opts.c). */
int status_exit(nb_status st);

/* --schema S.json (render and check-template --data): hold the file
 * --data names to the schema, and make *d's names the schema's (a new
 * data without values when *d is NULL). EXIT_CLEAN, EXIT_DATA when the
 * schema or the data has errors (reported in 'dl'), or EXIT_RUN
 * (rules_opts.c). */
int cli_data_schema(const cli_args *a, nb_data **d, nb_diag_list *dl);

/* Apply one --limit NAME=VALUE to 'lim' (or to *diag_cap, the number of
 * diagnostics kept); false with 'why' set on a bad one (limits.c). */
bool limit_set(nb_limits *lim, size_t *diag_cap, const char *arg, char *why,
               size_t why_size);

/* A whole number in [lo, hi] written in decimal digits (options.c). */
bool number_value(long *out, const char *v, long lo, long hi);

/* convert --output-encoding (options.c). */
bool set_out_encoding(cli_args *a, const char *v, char *why, size_t size);

/* A new diagnostics list with --limit diagnostics=N applied, or NULL. */
nb_diag_list *cli_diag_list(const cli_args *a);

/* The reading options of the command line: --encoding and --limit. */
nb_read_opts cli_read_opts(cli_args *a);

/* What the rules need beside the report: the local catalog and last
 * year's report, loaded from --indicators and --previous. */
typedef struct rules_cli {
    nb_catalog *cat; /* NULL: the built-in catalog */
    nb_report *prev;
} rules_cli;

/* Load the catalog (into ro->catalog too) and the previous report; an
 * exit status, EXIT_CLEAN when both are ready. */
int rules_load(rules_cli *rc, const cli_args *a, nb_read_opts *ro,
               nb_diag_list *dl);
nb_check_opts rules_check_opts(const rules_cli *rc, const cli_args *a);
void rules_free(rules_cli *rc);

#endif /* NIANBAO_SRC_CLI_CLI_H */
