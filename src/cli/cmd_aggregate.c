/* cmd_aggregate.c: `nianbao aggregate INPUT... -o TOTALS.csv`: the
 * metrics of every valid submission of the folders given, summed; totals
 * files of other runs added (docs/inbox.md). */
#include "batch.h"

#include <stdlib.h>
#include <string.h>

static const cli_opt opt_output = {
    "output", 'o', CLI_VALUE, "FILE", NULL, CLI_COMPLETE_FILE,
    N_("the totals CSV to write (required)"), NULL,
    offsetof(cli_args, output), CLI_IO_WRITE};

/* The offices summed from each folder given to aggregate, to find one
 * submitted in two of them. */
typedef struct seen_row {
    char *office;
    int year;
    char *path;
} seen_row;

typedef struct seen_list {
    seen_row *v;
    size_t n;
    size_t alloc;
} seen_list;

static bool keep_summed(seen_list *l, const nb_inbox *ib)
{
    size_t i;

    for (i = 0; i < nb_inbox_count(ib); i++) {
        const nb_submission *s = nb_inbox_at(ib, i);
        seen_row *r;

        if (!s->summed || s->office == NULL)
            continue;
        if (l->n == l->alloc) {
            size_t na = l->alloc == 0 ? 256 : l->alloc * 2;
            seen_row *nv = realloc(l->v, na * sizeof(*nv));

            if (nv == NULL)
                return false;
            l->v = nv;
            l->alloc = na;
        }
        r = &l->v[l->n];
        r->office = strdup(s->office);
        r->path = strdup(s->path);
        r->year = s->year;
        if (r->office == NULL || r->path == NULL) {
            free(r->office);
            free(r->path);
            return false;
        }
        l->n++;
    }
    return true;
}

static int by_office_year(const void *a, const void *b)
{
    const seen_row *x = a;
    const seen_row *y = b;
    int c = strcmp(x->office, y->office);

    if (c == 0)
        c = x->year < y->year ? -1 : x->year > y->year;
    return c != 0 ? c : strcmp(x->path, y->path);
}

/* Report every office summed from two folders; true when there is one. */
static bool across_inputs(seen_list *l)
{
    bool any = false;
    size_t i;

    if (l->n < 2)
        return false;
    qsort(l->v, l->n, sizeof(*l->v), by_office_year);
    for (i = 1; i < l->n; i++)
        if (l->v[i].year == l->v[i - 1].year &&
            strcmp(l->v[i].office, l->v[i - 1].office) == 0) {
            term_printf(stderr,
                    _("nianbao: %s for %d is in both '%s' and '%s': keep "
                      "one; no totals written\n"),
                    l->v[i].office, l->v[i].year, l->v[i - 1].path,
                    l->v[i].path);
            any = true;
        }
    return any;
}

static void seen_fini(seen_list *l)
{
    size_t i;

    for (i = 0; i < l->n; i++) {
        free(l->v[i].office);
        free(l->v[i].path);
    }
    free(l->v);
}

/* The inputs and the output of the command line: an exit status. */
static int check_inputs(const cli_args *a)
{
    int rc = EXIT_CLEAN;
    int i;
    int k;

    if (a->output == NULL)
        return cli_usage_error(a->cmd, "%s",
                               _("no output file: add -o TOTALS.csv"));
    for (i = 0; i < a->n_args; i++) {
        const char *in = a->args[i];

        if (nb_input_kind_of(in) != NB_INPUT_CSV &&
            !batch_folder_arg(in, &rc))
            return rc;
        for (k = 0; k < i; k++)
            if (same_file(a->args[k], in))
                return cli_usage_error(a->cmd,
                                       _("'%s' is given twice: its figures "
                                         "would be counted twice"),
                                       in);
    }
    return EXIT_CLEAN;
}

static int run(cli_args *a)
{
    batch b;
    nb_diag_list *dl = NULL;
    nb_totals *tot = NULL;
    seen_list seen = {NULL, 0, 0};
    size_t left_out = 0;
    int rc = check_inputs(a);
    int i;

    if (rc != EXIT_CLEAN)
        return rc;
    rc = batch_setup(&b, a, BATCH_AGGREGATE, &dl);
    if (rc == EXIT_CLEAN && (tot = nb_totals_new(b.rules.cat)) == NULL)
        rc = EXIT_RUN;
    for (i = 0; i < a->n_args && rc == EXIT_CLEAN; i++) {
        nb_inbox_opts o = batch_inbox_opts(&b);
        nb_inbox *ib = NULL;
        nb_status st;

        if (nb_input_kind_of(a->args[i]) == NB_INPUT_CSV) {
            st = nb_totals_read_csv(tot, a->args[i], dl);
            if (st != NB_OK)
                rc = status_exit(st);
            continue;
        }
        o.totals = true;
        st = nb_inbox_run(&ib, a->args[i], &o, dl);
        batch_end_progress(&b);
        /* a totals file of this very folder would count it twice */
        if (st == NB_OK)
            st = nb_totals_note_part(tot, nb_inbox_totals(ib), a->args[i], dl);
        if (st == NB_OK)
            st = nb_totals_merge(tot, nb_inbox_totals(ib), dl);
        if (st != NB_OK)
            rc = status_exit(st);
        else {
            left_out += batch_print_failures(ib, BATCH_AGGREGATE,
                                             a->diag == DIAG_TEXT);
            if (!keep_summed(&seen, ib))
                rc = EXIT_RUN;
            else if (nb_inbox_faults(ib) > 0) {
                fprintf(stderr,
                        _("nianbao aggregate: %zu entries of %s could not be "
                          "read by this run: no totals written, since they "
                          "would leave them out\n"),
                        nb_inbox_faults(ib), a->args[i]);
                rc = EXIT_RUN;
            }
        }
        nb_inbox_free(ib);
    }
    if (rc == EXIT_CLEAN && across_inputs(&seen))
        rc = EXIT_DATA; /* reported: no totals that count an office twice */
    else if (rc == EXIT_CLEAN && nb_totals_write_csv(tot, a->output, dl) != NB_OK)
        rc = EXIT_RUN;
    if (rc == EXIT_CLEAN && a->diag == DIAG_TEXT) {
        term_printf(stdout, _("%s: the totals of %zu reports\n"), a->output,
               nb_totals_reports(tot));
        if (nb_totals_left_out(tot) > 0)
            printf(_("%zu figures are left out (approximate, in another "
                     "unit, or a rate without its counts): see the column "
                     "未计入; -v names them\n"),
                   nb_totals_left_out(tot));
    }
    diag_print(dl, a->diag);
    if (rc == EXIT_CLEAN && left_out > 0)
        rc = EXIT_DATA;
    seen_fini(&seen);
    nb_totals_free(tot);
    nb_diag_list_free(dl);
    batch_fini(&b);
    return rc;
}


static const cli_opt *const opts[] = {
    &opt_output,  &opt_jobs,       &opt_verbose,  &opt_no_progress,
    &opt_profile, &opt_indicators, &opt_encoding, &opt_limit,
    &opt_diag,    NULL};

const cli_cmd cmd_aggregate_def = {
    "aggregate", N_("[OPTION]... INPUT... -o TOTALS.csv"),
    N_("sum the metrics of a folder's valid submissions"),
    N_("Sum the metrics of every valid submission into one table: a row\n"
       "per year and indicator with the total and the number of offices\n"
       "it sums. Counts and amounts are added up; a rate is recomputed\n"
       "from the summed counts of the offices that give all of them,\n"
       "never averaged. Approximate figures (1万余) are left out and\n"
       "counted. Submissions with errors are left out and listed.\n"
       "Each INPUT is a folder of submissions (as for 'nianbao inbox')\n"
       "or a totals file written by aggregate (to combine the totals of\n"
       "several machines)."),
    N_("Exit status: 0 written from every submission, 1 written, but\n"
       "some submissions were left out for their errors (or nothing\n"
       "written: a totals file is not one), 2 wrong usage, 3 could not "
       "run."),
    opts, NULL, 1, -1, CLI_COMPLETE_FILE,
    N_("no folder of submissions given"), NULL, run, CLI_IO_READ_TREE};
