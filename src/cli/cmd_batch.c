/* cmd_batch.c: `nianbao render --batch DIR -o OUTDIR`: every valid
 * submission of a folder rendered, each as a single render would
 * (docs/inbox.md). main.c hands render's command line here when it has
 * --batch. */
#include "batch.h"
#include "pdf.h"

#include <errno.h>
#include <fcntl.h>
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

/* ==== The documents of the last run ==== */

/* OUTDIR/.nianbao-batch lists, NUL-separated, the folder of submissions
 * ("#inbox=" and its real path) and the documents the last run wrote (a
 * hidden name: the inbox ignores it). A document listed there that this
 * run over the same folder did not write belongs to a submission gone
 * from the folder, renamed, or (as PDF) not rendered now: it is removed,
 * so that no outdated document looks current. Nothing the list does not
 * name is removed, nor anything when the last run read another folder. */
#define MANIFEST ".nianbao-batch"
#define MANIFEST_MAX (16u << 20)

/* The last run's list ("" when none); NULL when out of memory. */
static char *manifest_read(const char *path, size_t *len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOFOLLOW);
    struct stat sb;
    char *data = NULL;
    ssize_t got = 0;

    *len = 0;
    if (fd >= 0 && fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) &&
        sb.st_size > 0 && (uintmax_t)sb.st_size <= MANIFEST_MAX) {
        data = malloc((size_t)sb.st_size + 1);
        if (data != NULL)
            got = read(fd, data, (size_t)sb.st_size);
        if (got < 0)
            got = 0;
    } else {
        data = malloc(1);
    }
    if (fd >= 0)
        close(fd);
    if (data != NULL) {
        data[got] = '\0';
        *len = (size_t)got;
    }
    return data;
}

/* A name this command writes: a plain name in OUTDIR, NAME.docx or
 * NAME.pdf. */
static bool our_name(const char *name)
{
    size_t n = strlen(name);

    return n > 0 && strchr(name, '/') == NULL && name[0] != '.' &&
           ((n > 5 && strcmp(name + n - 5, ".docx") == 0) ||
            (n > 4 && strcmp(name + n - 4, ".pdf") == 0));
}

/* The name in OUTDIR of the document this run wrote for 's' ("" when
 * none). */
static void written_name(char *name, size_t size, const nb_submission *s,
                         bool pdf)
{
    const char *base;

    name[0] = '\0';
    if (s->output == NULL)
        return;
    base = strrchr(s->output, '/') != NULL ? strrchr(s->output, '/') + 1
                                           : s->output;
    snprintf(name, size, "%.*s%s", (int)(strlen(base) - 5), base,
             pdf ? ".pdf" : ".docx");
}

static bool written_now(const nb_inbox *ib, const char *name, bool pdf)
{
    char mine[4096];
    size_t i;

    for (i = 0; i < nb_inbox_count(ib); i++) {
        written_name(mine, sizeof(mine), nb_inbox_at(ib, i), pdf);
        if (strcmp(mine, name) == 0)
            return true;
    }
    return false;
}

/* Remove one outdated document of the last run, and list it; false when
 * it is still there. The template is never removed. */
static bool remove_stale(const cli_args *a, const char *name, size_t *n)
{
    char path[4096];
    struct stat sb;
    struct stat tb;
    bool gone;

    if (snprintf(path, sizeof(path), "%s/%s", a->output, name) >=
        (int)sizeof(path))
        return false;
    if (lstat(path, &sb) != 0 || !S_ISREG(sb.st_mode))
        return true; /* gone already, or not a document */
    if (a->tmpl != NULL && stat(a->tmpl, &tb) == 0 &&
        tb.st_dev == sb.st_dev && tb.st_ino == sb.st_ino)
        return true;
    gone = unlink(path) == 0;
    if (a->diag == DIAG_TEXT) {
        if ((*n)++ == 0)
            fputs(_("last run's documents of submissions gone from the "
                    "folder or not rendered now:\n"),
                  stdout);
        term_printf(stdout, "  %s: ", path);
        fputs(gone ? _("removed") : _("could not be removed"), stdout);
        fputc('\n', stdout);
    }
    return gone;
}

/* Append 'name' and its NUL to list[0..*n). */
static void list_add(char *list, size_t *n, const char *name)
{
    memcpy(list + *n, name, strlen(name) + 1);
    *n += strlen(name) + 1;
}

/* Remove what the last run wrote and this one did not, and list what
 * this one wrote (with what could not be removed) for the next. */
static void update_manifest(const cli_args *a, const nb_inbox *ib, bool pdf)
{
    size_t plen = strlen(a->output) + sizeof(MANIFEST) + 2;
    char *path = malloc(plen);
    size_t len = 0;
    char *old = NULL;
    char *list = NULL;
    size_t n = 0;
    size_t shown = 0;
    size_t cap = 1;
    size_t i;
    const char *p;
    char *real = realpath(a->args[0], NULL);
    char head[4200];
    struct stat sb;

    if (path == NULL || real == NULL ||
        snprintf(head, sizeof(head), "#inbox=%s", real) >= (int)sizeof(head)) {
        free(path);
        free(real);
        return;
    }
    free(real);
    snprintf(path, plen, "%s/%s", a->output, MANIFEST);
    old = manifest_read(path, &len);
    if (old != NULL && strcmp(old, head) != 0)
        len = 0; /* another folder's documents, or none: nothing removed */
    cap += len + strlen(head) + 1;
    for (i = 0; i < nb_inbox_count(ib); i++)
        if (nb_inbox_at(ib, i)->output != NULL)
            cap += strlen(nb_inbox_at(ib, i)->output) + 2;
    list = old != NULL ? malloc(cap) : NULL;
    if (list != NULL)
        list_add(list, &n, head);
    for (p = old; list != NULL && p < old + len; p += strlen(p) + 1)
        if (our_name(p) && !written_now(ib, p, pdf) &&
            !remove_stale(a, p, &shown))
            list_add(list, &n, p);
    for (i = 0; list != NULL && i < nb_inbox_count(ib); i++) {
        char name[4096];

        written_name(name, sizeof(name), nb_inbox_at(ib, i), pdf);
        if (name[0] != '\0' && n + strlen(name) + 1 <= cap)
            list_add(list, &n, name);
    }
    /* only a file of its own is replaced: never what a link names */
    if (list != NULL && (lstat(path, &sb) != 0 || S_ISREG(sb.st_mode)))
        nb_write_file_atomic(path, list, n, NULL);
    free(list);
    free(old);
    free(path);
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
        if (a->diag == DIAG_TEXT)
            batch_print_failures(ib, BATCH_RENDER, true);
        if (!pdf || rc == EXIT_CLEAN)
            update_manifest(a, ib, pdf);
        if (a->diag == DIAG_TEXT) {
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
