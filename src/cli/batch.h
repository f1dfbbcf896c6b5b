/* batch.h: what the commands over a folder of submissions share
 * (batch.c): inbox, aggregate and render --batch (docs/inbox.md). */
#ifndef NIANBAO_SRC_CLI_BATCH_H
#define NIANBAO_SRC_CLI_BATCH_H

#include "cli.h"

typedef enum batch_kind { BATCH_INBOX, BATCH_AGGREGATE, BATCH_RENDER } batch_kind;

typedef struct batch {
    cli_args *a;
    batch_kind kind;
    nb_read_opts ro;
    rules_cli rules;
    int progress;       /* 1: a bar on a terminal; -1: lines; 0: none */
    unsigned last_step; /* the tenths of the folder reported */
    bool bar_shown;
} batch;

/* Start a run: the diagnostics list (*dl_out, NULL on no memory), the
 * progress display, the catalog; an exit status. */
int batch_setup(batch *b, cli_args *a, batch_kind kind,
                nb_diag_list **dl_out);
void batch_fini(batch *b);

/* The library's options for one folder, with the progress callback. */
nb_inbox_opts batch_inbox_opts(batch *b);

/* Clear the progress bar, if one is shown. */
void batch_end_progress(batch *b);

/* Run over the folder a->args[0] and write the summaries asked for
 * (--csv, --json, --docx); an exit status. */
int batch_run_folder(batch *b, const nb_inbox_opts *o, nb_inbox **ib,
                     nb_diag_list *dl);

/* The table of submissions, and the counts under it (stdout). */
void batch_print_table(const nb_inbox *ib);
void batch_print_counts(const nb_inbox *ib);

/* The submissions that failed, one line each with the first error; the
 * number of them (printed only when 'print'). */
size_t batch_print_failures(const nb_inbox *ib, batch_kind kind, bool print);

/* 'dir' is a folder of submissions: false (and *rc the exit status) when
 * it is not one: 2 for a file, 3 for nothing there. */
bool batch_folder_arg(const char *dir, int *rc);


/* --csv=FILE and --json=FILE of inbox and render --batch (batch.c). */
extern const cli_opt opt_summary_csv, opt_summary_json;

#endif /* NIANBAO_SRC_CLI_BATCH_H */
