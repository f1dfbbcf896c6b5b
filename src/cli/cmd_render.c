/* cmd_render.c: `nianbao render FILE -o OUT [--template T]` (or
 * `--data FILE.json -t T.docx -o OUT`: any JSON data merged): validate,
 * merge, write atomically. Nothing is written when the data or the template
 * has errors, and the inputs are never overwritten. (`render --batch` is
 * its own table, cmd_batch.c.) */
#include "pdf.h"

#include <stdlib.h>
#include <string.h>

static const cli_opt opt_output = {
    "output", 'o', CLI_VALUE, "OUT", NULL, CLI_COMPLETE_FILE,
    N_("the document to write (required); it is replaced only\n"
       "once complete. Its extension picks the format: .docx,\n"
       ".html, .txt or .pdf"),
    NULL, offsetof(cli_args, output), CLI_IO_WRITE};

static bool set_format(cli_args *a, const char *v, char *why, size_t size)
{
    nb_format f;

    if (!nb_format_lookup(&f, v) || strcmp(v, "text") == 0) {
        snprintf(why, size, _("'%s' is not a format: docx, html, txt or pdf"),
                 v);
        return false;
    }
    a->format = v;
    return true;
}

static bool set_pdf(cli_args *a, const char *v, char *why, size_t size)
{
    if (strcmp(v, "pdfa") != 0 && strcmp(v, "plain") != 0) {
        snprintf(why, size, _("'%s' is not a kind of PDF: pdfa or plain"), v);
        return false;
    }
    a->pdf = v;
    return true;
}

static const cli_opt opt_format = {
    "format", 'f', CLI_VALUE, "FORMAT", "docx|html|txt|pdf",
    CLI_COMPLETE_CHOICES,
    N_("write this format whatever -o's extension: docx (Word),\n"
       "html (one self-contained web page), txt (the paragraphs,\n"
       "one a line) or pdf (the Word document converted by\n"
       "LibreOffice, found at run time)"),
    set_format, 0, CLI_IO_NONE};

static const cli_opt opt_fragment = {
    "fragment", 0, CLI_FLAG, NULL, NULL, CLI_COMPLETE_NONE,
    N_("html: only the article (title, text, signature), for\n"
       "pasting into a site's editor"),
    NULL, offsetof(cli_args, fragment), CLI_IO_NONE};

const cli_opt opt_pdf = {
    "pdf", 0, CLI_VALUE, "KIND", "pdfa|plain", CLI_COMPLETE_CHOICES,
    N_("pdf: pdfa (the default: PDF/A-2b, every font embedded)\n"
       "or plain"),
    set_pdf, 0, CLI_IO_NONE};

/* Only here to be listed: main.c hands "render --batch" to cmd_batch.c. */
static const cli_opt opt_batch = {
    "batch", 0, CLI_FLAG, NULL, NULL, CLI_COMPLETE_NONE,
    N_("REPORT is a folder of submissions: render every valid\n"
       "one into the folder OUT ('nianbao render --batch --help')"),
    NULL, offsetof(cli_args, batch), CLI_IO_NONE};

static const cli_opt opt_data = {
    "data", 0, CLI_VALUE, "FILE.json", NULL, CLI_COMPLETE_FILE,
    N_("merge this JSON data into the template (--template,\n"
       "required) as it is, instead of a report"),
    NULL, offsetof(cli_args, data), CLI_IO_READ};

static bool set_allow_dir(cli_args *a, const char *v, char *why, size_t size)
{
    if (a->n_allow_dirs == CLI_MAX_REPEAT) {
        snprintf(why, size, _("too many folders (at most %d)"),
                 CLI_MAX_REPEAT);
        return false;
    }
    a->allow_dirs[a->n_allow_dirs++] = v;
    return true;
}

static const cli_opt opt_allow_dir = {
    "allow-dir", 0, CLI_VALUE, "DIR", NULL, CLI_COMPLETE_DIR,
    N_("--data: pictures the data names may also be read from\n"
       "this folder (else only from the data file's folder);\n"
       "repeatable"),
    set_allow_dir, 0, CLI_IO_NONE};

/* The folders of --allow-dir, for the data's pictures. */
static int allow_dirs(const cli_args *a, nb_data *d, nb_diag_list *dl)
{
    int i;

    for (i = 0; i < a->n_allow_dirs; i++) {
        nb_status st = nb_data_allow_dir(d, a->allow_dirs[i], dl);

        if (st != NB_OK)
            return status_exit(st);
    }
    return EXIT_CLEAN;
}

/* render --data FILE.json -t T.docx -o OUT.docx: the template checked
 * against the data's names, then merged. */
static int run_data(cli_args *a, nb_format f, nb_diag_list *dl)
{
    nb_template_check_opts tco = {&a->limits, NULL, NULL};
    nb_data *d = NULL;
    nb_template *t = NULL;
    nb_status st = nb_data_load(&d, a->data, &a->limits, dl);
    int rc = EXIT_CLEAN;

    if (st != NB_OK || d == NULL) {
        rc = st != NB_OK ? status_exit(st) : EXIT_DATA;
        goto done;
    }
    rc = allow_dirs(a, d, dl);
    if (rc != EXIT_CLEAN)
        goto done;
    rc = cli_data_schema(a, &d, dl);
    if (rc != EXIT_CLEAN && rc != EXIT_DATA)
        goto done;
    tco.data = d;
    st = nb_template_check(&t, a->tmpl, &tco, dl);
    if (st != NB_OK) {
        rc = status_exit(st);
        goto done;
    }
    if (rc != EXIT_CLEAN)
        goto done; /* the data does not match its schema: write nothing */
    if (nb_template_format(t) != f) {
        rc = cli_usage_error(a->cmd, _("the template writes %s, not %s"),
                             nb_format_name(nb_template_format(t)),
                             nb_format_name(f));
        goto done;
    }
    if (!nb_template_renderable(t)) {
        rc = EXIT_DATA; /* findings were reported; write nothing */
        goto done;
    }
    st = nb_render_data_file(a->output, t, d, dl);
    if (st != NB_OK)
        rc = status_exit(st);
done:
    nb_template_free(t);
    nb_data_free(d);
    return rc;
}

/* Usage of --data: a template and no report. */
static int data_usage(const cli_args *a, nb_format f)
{
    if (f != NB_FORMAT_DOCX && f != NB_FORMAT_HTML)
        return cli_usage_error(a->cmd, "%s",
                               _("--data writes .docx (or .html from an "
                                 "HTML template), not text or PDF"));
    if (a->n_args > 0)
        return cli_usage_error(a->cmd, "%s",
                               _("give a report or --data FILE.json, not "
                                 "both"));
    if (a->tmpl == NULL)
        return cli_usage_error(a->cmd, "%s",
                               _("--data needs the template to merge it "
                                 "into: add --template T.docx"));
    return EXIT_CLEAN;
}

/* Read and check the report: NULL when it has errors (reported). */
static int read_checked(nb_report **out, cli_args *a, rules_cli *rules,
                        nb_read_opts *ro, nb_diag_list *dl)
{
    nb_check_opts co = rules_check_opts(rules, a);
    nb_report *r = NULL;
    nb_status st = nb_report_read(&r, a->args[0], ro, dl);

    *out = NULL;
    if (st == NB_OK && r != NULL) {
        size_t before = nb_diag_list_count_sev(dl, NB_SEV_ERROR);

        st = nb_report_check(r, &co, dl);
        if (st == NB_OK && nb_diag_list_count_sev(dl, NB_SEV_ERROR) > before) {
            nb_report_free(r); /* the rules found errors: write nothing */
            r = NULL;
        }
    }
    if (st != NB_OK) {
        nb_report_free(r);
        return status_exit(st);
    }
    *out = r;
    return EXIT_CLEAN;
}

/* The format to write: --format, else -o's extension, else DOCX. */
static int output_format(const cli_args *a, nb_format *f)
{
    *f = NB_FORMAT_DOCX;
    if (a->format != NULL)
        nb_format_lookup(f, a->format); /* one of the table's choices */
    else
        nb_format_of_path(f, a->output);
    if (a->fragment && *f != NB_FORMAT_HTML)
        return cli_usage_error(a->cmd, "%s",
                               _("--fragment is for HTML output"));
    return EXIT_CLEAN;
}

/* Write the report: through LibreOffice for PDF. */
static int write_output(const cli_args *a, nb_format f, const nb_template *t,
                        nb_report *r, nb_diag_list *dl)
{
    nb_render_opts ro = {f, a->fragment};
    pdf_doc doc = {NULL, 0, NULL, a->output};
    void *data = NULL;
    nb_status st;
    int rc;

    if (f != NB_FORMAT_PDF) {
        st = nb_render_file_opts(a->output, t, r, &ro, dl);
        return st != NB_OK ? status_exit(st) : EXIT_CLEAN;
    }
    ro.format = NB_FORMAT_DOCX;
    st = nb_render_memory_opts(&data, &doc.len, t, r, &ro, dl);
    if (st != NB_OK)
        return status_exit(st);
    doc.data = data;
    rc = pdf_convert(&doc, 1, a->pdf != NULL && strcmp(a->pdf, "plain") == 0,
                     dl);
    nb_free(data);
    return rc;
}

static int run(cli_args *a)
{
    nb_read_opts ro = cli_read_opts(a);
    rules_cli rules;
    nb_template_check_opts tco;
    nb_diag_list *dl = NULL;
    nb_report *r = NULL;
    nb_template *t = NULL;
    nb_format f;
    nb_status st;
    int rc;

    memset(&rules, 0, sizeof(rules));
    memset(&tco, 0, sizeof(tco));
    if (a->output == NULL)
        return cli_usage_error(a->cmd, "%s",
                               _("no output file: add -o OUT.docx"));
    rc = output_format(a, &f);
    if (rc != EXIT_CLEAN)
        return rc;
    if (a->schema != NULL && a->data == NULL)
        return cli_usage_error(a->cmd, "%s",
                               _("--schema holds --data FILE.json to a "
                                 "schema: add --data"));
    if (a->n_allow_dirs > 0 && a->data == NULL)
        return cli_usage_error(a->cmd, "%s",
                               _("--allow-dir names where the pictures of "
                                 "--data may be: add --data"));
    if (a->data != NULL) {
        rc = data_usage(a, f);
        if (rc != EXIT_CLEAN)
            return rc;
        dl = cli_diag_list(a);
        if (dl == NULL)
            return EXIT_RUN;
        rc = run_data(a, f, dl);
        goto done;
    }
    if (a->n_args == 0)
        return cli_usage_error(a->cmd, "%s", _(a->cmd->no_args));
    dl = cli_diag_list(a);
    if (dl == NULL)
        return EXIT_RUN;
    rc = rules_load(&rules, a, &ro, dl);
    if (rc == EXIT_CLEAN)
        rc = read_checked(&r, a, &rules, &ro, dl);
    if (rc != EXIT_CLEAN)
        goto done;
    /* the template's names are checked against the report's data, and
     * every problem reported, before anything is written */
    tco.limits = &a->limits;
    tco.catalog = rules.cat;
    st = a->tmpl != NULL ? nb_template_check(&t, a->tmpl, &tco, dl)
                         : nb_template_check_standard(&t, f, &tco, dl);
    if (st != NB_OK) {
        rc = status_exit(st);
        goto done;
    }
    if (r == NULL || !nb_template_renderable(t)) {
        rc = EXIT_DATA; /* findings were reported; write nothing */
        goto done;
    }
    rc = write_output(a, f, t, r, dl);
    if (rc == EXIT_CLEAN && nb_diag_list_count_sev(dl, NB_SEV_ERROR) > 0)
        rc = EXIT_DATA;
done:
    diag_print(dl, a->diag);
    nb_template_free(t);
    nb_report_free(r);
    nb_diag_list_free(dl);
    rules_free(&rules);
    return rc;
}

static const cli_opt *const opts[] = {
    &opt_output, &opt_format, &opt_fragment, &opt_pdf, &opt_template,
    &opt_profile, &opt_indicators, &opt_previous, &opt_limit, &opt_encoding,
    &opt_diag, &opt_batch, &opt_allow, &opt_data, &opt_schema, &opt_allow_external, &opt_allow_dir, NULL};

const cli_cmd cmd_render_def = {
    "render", N_("[OPTION]... REPORT -o OUT"),
    N_("write the report as a Word document, a web page, text or\n"
       "PDF (--batch DIR -o OUTDIR: every one in a folder of\n"
       "submissions)"),
    N_("Validate the report (a report XML file, a form set folder, or\n"
       "a zip of either) and write it as a Word document.\n"
       "Without --template the built-in standard template is used\n"
       "(GB/T 9704-2012: A4, 22 lines of 28 characters, 仿宋 body).\n"
       "The report is held to the rules first (docs/rules.md); rates it\n"
       "does not state are computed, and the text's metric references\n"
       "are filled in.\n"
       "-o's extension picks the format (.docx, .html, .txt, .pdf):\n"
       "the web page comes from the built-in HTML template (or\n"
       "--template PAGE.html), the text and the PDF from the Word\n"
       "document."),
    N_("Examples:\n"
       "  nianbao render forms -o report.docx\n"
       "  nianbao render --data notice.json -t notice.docx -o notice-out.docx\n"
       "  nianbao render report.xml -o out.docx --template my-restyled.docx\n"
       "  nianbao render report.xml -o report.html\n"
       "  nianbao render report.xml -o body.html --fragment\n"
       "  nianbao render report.xml -o report.pdf\n"
       "\n"
       "Exit status: 0 written, 1 errors in the data or the template\n"
       "(nothing written), 2 wrong usage, 3 could not run."),
    opts, NULL, 0, 1, CLI_COMPLETE_FILE, N_("no report file given"),
    N_("give one report file (render one report at a time)"), run, CLI_IO_READ};
