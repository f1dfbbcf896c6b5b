/* cmd_fix.c: nianbao fix, the safe typography fixes applied to the data.
 *
 * A dry run by default, as linters do: every change the fix would make is
 * printed located (file:line:col), and nothing is written. --write
 * replaces each changed file atomically; --check only answers, by the exit
 * status, whether there is anything to fix. The fixing is the library's
 * (nb_typo_fix_path).
 */
#include "cli.h"

#include <stddef.h>
#include <stdlib.h>

static int run(cli_args *a)
{
    nb_diag_list *dl = cli_diag_list(a);
    size_t total = 0;
    int rc = EXIT_CLEAN;
    int i;

    if (dl == NULL)
        return EXIT_RUN;
    for (i = 0; i < a->n_args; i++) {
        size_t n = 0;
        nb_status st = nb_typo_fix_path(a->args[i], a->fix_write, &n, dl);

        total += n;
        if (st != NB_OK)
            rc = EXIT_RUN;
    }
    if (!a->fix_check)
        diag_print(dl, a->diag);
    else if (rc == EXIT_CLEAN && total > 0)
        rc = EXIT_DATA;
    if (!a->quiet && !a->fix_check && a->diag == DIAG_TEXT)
        fprintf(stderr,
                a->fix_write ? _("%zu changes written\n")
                             : _("%zu changes to make (dry run: give --write "
                                 "to write them)\n"),
                total);
    if (a->fix_check && rc != EXIT_RUN && total > 0 && !a->quiet)
        fprintf(stderr, _("%zu changes to make\n"), total);
    nb_diag_list_free(dl);
    return rc;
}

static const cli_opt opt_write = {
    "write", 'w', CLI_FLAG, NULL, NULL, CLI_COMPLETE_NONE,
    N_("write the fixes into the files (each replaced atomically)"),
    NULL, offsetof(cli_args, fix_write), CLI_IO_NONE};

static const cli_opt opt_check = {
    "check", 0, CLI_FLAG, NULL, NULL, CLI_COMPLETE_NONE,
    N_("print nothing but the count; exit 1 when there is\n"
       "something to fix"),
    NULL, offsetof(cli_args, fix_check), CLI_IO_NONE};

static const cli_opt *const opts[] = {&opt_write, &opt_check, &opt_quiet,
                                      &opt_diag, NULL};

static const char *const conflicts[] = {"write", "check", NULL};

const cli_cmd cmd_fix_def = {
    "fix", N_("[OPTION]... FILE|DIR..."),
    N_("fix the typography of report data (full-width marks)"),
    N_("Apply the safe typography fixes to report XML files and CSV\n"
       "forms (a FILE, or every .xml and .csv file of a DIR): a\n"
       "half-width , ; : ? ! ( ) next to Chinese becomes full-width\n"
       "(，；：？！（）), a doubled mark (。。) single, a space between\n"
       "Chinese characters goes, and full-width digits and letters\n"
       "become half-width. Only text changes: never the markup, the\n"
       "attributes or the CSV separators. Without --write nothing is\n"
       "written: each change is printed with its file, line and\n"
       "column. 'nianbao validate' reports these and the problems fix\n"
       "leaves to you (NB5100-NB5108)."),
    N_("Exit status: 0 done (with --check: nothing to fix), 1 with\n"
       "--check: something to fix, 2 wrong usage, 3 could not run."),
    opts, conflicts, 1, -1, CLI_COMPLETE_FILE,
    N_("no file or folder given"), NULL, run,
    CLI_IO_READ}; /* each file is read, and with --write replaced in place */
