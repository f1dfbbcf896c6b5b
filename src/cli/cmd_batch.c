/* cmd_batch.c: `nianbao render --batch DIR -o OUTDIR`: every valid
 * submission of a folder rendered, each as a single render would
 * (docs/inbox.md). main.c hands render's command line here when it has
 * --batch. */
#include "batch.h"
#include "pdf.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const cli_opt opt_output = {
    "output", 'o', CLI_VALUE, "OUTDIR", NULL, CLI_COMPLETE_DIR,
    N_("the folder to write into (made if missing)"), NULL,
    offsetof(cli_args, output), CLI_IO_WRITE_TREE};

static const cli_opt opt_batch = {
    "batch", 0, CLI_FLAG, NULL, NULL, CLI_COMPLETE_NONE,
    N_("DIR is a folder of submissions (this mode)"), NULL,
    offsetof(cli_args, batch), CLI_IO_NONE};

static const cli_opt opt_quiet_batch = {
    "quiet", 'q', CLI_FLAG, NULL, NULL, CLI_COMPLETE_NONE,
    N_("print only the failures"), NULL, offsetof(cli_args, quiet), CLI_IO_NONE};

/* The folders and outputs of the command line; the output folder made.
 * An exit status. */
static int check_folders(const cli_args *a)
{
    const char *dir = a->args[0];
    const char *out = a->output;
    int rc = EXIT_CLEAN;

    if (!batch_folder_arg(dir, &rc))
        return rc;
    if (out == NULL)
        return cli_usage_error(a->cmd, "%s",
                               _("no output folder: add -o OUTDIR"));
    if (mkdir(out, 0777) != 0 && errno != EEXIST) {
        term_printf(stderr, _("nianbao: %s: cannot make the folder: %s\n"), out,
                strerror(errno));
        return EXIT_RUN;
    }
    if (nb_input_kind_of(out) != NB_INPUT_FOLDER) {
        term_printf(stderr, _("nianbao: %s: not a folder\n"), out);
        return EXIT_RUN;
    }
    return EXIT_CLEAN;
}

/* --format: DOCX, or PDF made from the DOCX in one LibreOffice process. */
static bool set_format(cli_args *a, const char *v, char *why, size_t size)
{
    if (strcmp(v, "docx") != 0 && strcmp(v, "pdf") != 0) {
        snprintf(why, size, _("'%s': render --batch writes docx or pdf"), v);
        return false;
    }
    a->format = v;
    return true;
}

static const cli_opt opt_format_batch = {
    "format", 'f', CLI_VALUE, "FORMAT", "docx|pdf", CLI_COMPLETE_CHOICES,
    N_("docx, or pdf: every Word document converted by one\n"
       "LibreOffice process"),
    set_format, 0, CLI_IO_NONE};

/* The DOCX of every rendered submission (in 'tmpdir') converted into
 * OUTDIR as NAME.pdf, all in one LibreOffice process. */
static int convert_all(const cli_args *a, nb_inbox *ib, nb_diag_list *dl)
{
    size_t n = nb_inbox_count(ib);
    pdf_doc *docs = calloc(n + 1, sizeof(*docs));
    char **outs = calloc(n + 1, sizeof(*outs));
    size_t k = 0;
    size_t i;
    int rc = EXIT_RUN;

    if (docs == NULL || outs == NULL)
        goto done;
    for (i = 0; i < n; i++) {
        const char *docx = nb_inbox_at(ib, i)->output;
        const char *base;
        size_t len;
        size_t size;

        if (docx == NULL)
            continue;
        base = strrchr(docx, '/') != NULL ? strrchr(docx, '/') + 1 : docx;
        len = strlen(base) > 5 ? strlen(base) - 5 : strlen(base);
        size = strlen(a->output) + len + 6;
        outs[k] = malloc(size);
        if (outs[k] == NULL)
            goto done;
        snprintf(outs[k], size, "%s/%.*s.pdf", a->output, (int)len, base);
        docs[k].path = docx;
        docs[k].out = outs[k];
        k++;
    }
    rc = k > 0 ? pdf_convert(docs, k, a->pdf != NULL &&
                                          strcmp(a->pdf, "plain") == 0, dl)
               : EXIT_CLEAN;
done:
    for (i = 0; outs != NULL && i < k; i++)
        free(outs[i]);
    free(outs);
    free(docs);
    return rc;
}

/* Remove the DOCX of a PDF run and their folder. */
static void remove_docx(nb_inbox *ib, const char *dir)
{
    size_t i;

    for (i = 0; ib != NULL && i < nb_inbox_count(ib); i++)
        if (nb_inbox_at(ib, i)->output != NULL)
            remove(nb_inbox_at(ib, i)->output);
    rmdir(dir);
}

static int run(cli_args *a)
{
    batch b;
    nb_diag_list *dl = NULL;
    nb_template *t = NULL;
    nb_inbox *ib = NULL;
    nb_inbox_opts o;
    nb_status st;
    char docx_dir[4096] = "";
    bool pdf = false;
    int rc = check_folders(a);

    pdf = a->format != NULL && strcmp(a->format, "pdf") == 0;

    if (rc != EXIT_CLEAN)
        return rc;
    rc = batch_setup(&b, a, BATCH_RENDER, &dl);
    if (rc == EXIT_CLEAN && a->tmpl != NULL) {
        nb_template_check_opts tco = {&a->limits, b.rules.cat, NULL};

        st = nb_template_check(&t, a->tmpl, &tco, dl);
        if (st != NB_OK)
            rc = status_exit(st);
        else if (!nb_template_renderable(t))
            rc = EXIT_DATA; /* the template's errors are reported */
    }
    if (rc == EXIT_CLEAN && pdf &&
        (snprintf(docx_dir, sizeof(docx_dir), "%s/.nianbao-docx-XXXXXX",
                  a->output) >= (int)sizeof(docx_dir) ||
         mkdtemp(docx_dir) == NULL)) {
        fprintf(stderr, _("nianbao: cannot make a temporary folder: %s\n"),
                strerror(errno));
        rc = EXIT_RUN;
        docx_dir[0] = '\0';
    }
    if (rc == EXIT_CLEAN) {
        o = batch_inbox_opts(&b);
        o.render_dir = pdf ? docx_dir : a->output;
        o.tmpl = t;
        rc = batch_run_folder(&b, &o, &ib, dl);
    }
    if (pdf && ib != NULL && rc == EXIT_CLEAN)
        rc = convert_all(a, ib, dl);
    if (pdf && docx_dir[0] != '\0')
        remove_docx(ib, docx_dir);
    if (ib != NULL) {
        size_t done = 0;
        size_t todo = nb_inbox_count(ib) -
                      nb_inbox_count_status(ib, NB_SUB_SKIPPED) -
                      nb_inbox_count_status(ib, NB_SUB_MISSING);
        size_t i;

        for (i = 0; i < nb_inbox_count(ib); i++)
            done += nb_inbox_at(ib, i)->output != NULL;
        if (a->diag == DIAG_TEXT) {
            batch_print_failures(ib, BATCH_RENDER, true);
            if (!a->quiet)
                term_printf(stdout,
                            _("%zu of %zu submissions rendered into %s\n"), done,
                       todo, a->output);
        }
        if (nb_inbox_faults(ib) > 0 && (rc == EXIT_CLEAN || rc == EXIT_DATA))
            rc = EXIT_RUN; /* not read or not written: the run's fault */
        if (done < todo && rc == EXIT_CLEAN)
            rc = EXIT_DATA;
    }
    diag_print(dl, a->diag);
    nb_inbox_free(ib);
    nb_template_free(t);
    nb_diag_list_free(dl);
    batch_fini(&b);
    return rc;
}

static const cli_opt *const opts[] = {
    &opt_batch,       &opt_output,     &opt_format_batch,   &opt_pdf,
    &opt_template,    &opt_jobs,
    &opt_summary_csv, &opt_summary_json, &opt_verbose, &opt_quiet_batch,
    &opt_no_progress, &opt_profile,    &opt_indicators, &opt_encoding,
    &opt_limit,       &opt_diag,       &opt_allow,    &opt_allow_external,
    NULL};

static const char *const conflicts[] = {"quiet", "verbose", NULL};

const cli_cmd cmd_batch_def = {
    "render --batch", N_("[OPTION]... DIR -o OUTDIR"),
    N_("render every valid submission of a folder"),
    N_("Render every valid submission in the folder DIR (as for\n"
       "'nianbao inbox') into OUTDIR, as NAME.docx (the entry's name\n"
       "without .xml or .zip). One bad submission never stops the\n"
       "others; the run ends with the list of those not rendered.\n"
       "With --format pdf they are written as NAME.pdf, converted\n"
       "all at once by one LibreOffice process."),
    N_("Exit status: 0 every submission rendered, 1 some were not, 2\n"
       "wrong usage, 3 could not run."),
    opts, conflicts, 1, 1, CLI_COMPLETE_DIR, N_("no folder given to --batch"),
    N_("give one folder of submissions"), run, CLI_IO_READ_TREE};
