/* cmd_check_template.c: `nianbao check-template [T.docx]`: every tag of a
 * template with its place (part, paragraph, line, the text around it) on
 * stdout, then every problem at once on stderr: the parser's (tags not
 * whole in one paragraph, sections, filters) and the names a report's data
 * does not have (nb_template_check). */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

#define TAG_COLUMN_MAX 36 /* display width of the TAG column at most */

static const char *kind_word(const nb_template_tag *tg)
{
    if (!tg->valid)
        return "bad";
    switch (tg->kind) {
    case NB_TAG_SECTION:
        return "section";
    case NB_TAG_INVERTED:
        return "inverted";
    case NB_TAG_CLOSE:
        return "end";
    case NB_TAG_COMMENT:
        return "comment";
    case NB_TAG_INCLUDE:
        return "include";
    default:
        return "field";
    }
}

/* Columns a UTF-8 string takes in a terminal: CJK and full-width forms
 * take two. */
static size_t width(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t w = 0;

    for (; *p != '\0'; p++) {
        if ((*p & 0xC0) == 0x80)
            continue;
        w += *p >= 0xE3 ? 2 : 1;
    }
    return w;
}

static void pad(size_t have, size_t want)
{
    for (; have < want; have++)
        putchar(' ');
}

static void print_table(const nb_template *t)
{
    size_t n = nb_template_tag_count(t);
    size_t part_w = strlen("PART");
    size_t tag_w = strlen("TAG");
    size_t n_parts = 0;
    const char *last = NULL;
    size_t i;

    for (i = 0; i < n; i++) {
        const nb_template_tag *tg = nb_template_tag_at(t, i);
        size_t w = width(tg->text) + 4;

        if (strlen(tg->part) > part_w)
            part_w = strlen(tg->part);
        if (w > tag_w)
            tag_w = w < TAG_COLUMN_MAX ? w : TAG_COLUMN_MAX;
        if (last == NULL || strcmp(last, tg->part) != 0)
            n_parts++;
        last = tg->part;
    }
    fputs("PART", stdout);
    pad(4, part_w);
    fputs("  PARA  LINE  KIND      TAG", stdout);
    pad(3, tag_w);
    fputs("  TEXT\n", stdout);
    for (i = 0; i < n; i++) {
        const nb_template_tag *tg = nb_template_tag_at(t, i);

        char text[TERM_MAX];

        term_put(stdout, tg->part);
        pad(strlen(tg->part), part_w);
        term_safe(text, sizeof(text), tg->text);
        printf("  %4u  %4u  %-8s  {{%s}}", (unsigned)tg->paragraph,
               (unsigned)tg->line, kind_word(tg), text);
        pad(width(text) + 4, tag_w);
        fputs("  ", stdout);
        term_put(stdout, tg->excerpt);
        fputc('\n', stdout);
    }
    if (n == 0)
        fputs(_("no tags\n"), stdout);
    else if (n == 1)
        fputs(_("1 tag in 1 part\n"), stdout);
    else if (n_parts == 1)
        printf(_("%zu tags in 1 part\n"), n);
    else
        printf(_("%zu tags in %zu parts\n"), n, n_parts);
}

static void print_json(const nb_template *t)
{
    size_t n = nb_template_tag_count(t);
    size_t i;

    for (i = 0; i < n; i++) {
        const nb_template_tag *tg = nb_template_tag_at(t, i);

        fputs("{\"part\":", stdout);
        json_put_string(stdout, tg->part);
        printf(",\"paragraph\":%u,\"line\":%u,\"kind\":\"%s\",\"tag\":",
               (unsigned)tg->paragraph, (unsigned)tg->line, kind_word(tg));
        json_put_string(stdout, tg->text);
        fputs(",\"path\":", stdout);
        json_put_string(stdout, tg->path);
        fputs(",\"filters\":", stdout);
        json_put_string(stdout, tg->filters);
        fputs(",\"text\":", stdout);
        json_put_string(stdout, tg->excerpt);
        fputs("}\n", stdout);
    }
}

static const cli_opt opt_standard = {
    "standard", 0, CLI_FLAG, NULL, NULL, CLI_COMPLETE_NONE,
    N_("check the built-in standard template"), NULL,
    offsetof(cli_args, standard), CLI_IO_NONE};

static const cli_opt opt_json_list = {
    "json", 0, CLI_FLAG, NULL, NULL, CLI_COMPLETE_NONE,
    N_("list the tags as JSON, one object a line, instead of\n"
       "the table"),
    NULL, offsetof(cli_args, json_list), CLI_IO_NONE};

static const cli_opt opt_quiet_tags = {
    "quiet", 'q', CLI_FLAG, NULL, NULL, CLI_COMPLETE_NONE,
    N_("do not list the tags, only problems"), NULL,
    offsetof(cli_args, quiet), CLI_IO_NONE};

static const cli_opt opt_indicators_codes = {
    "indicators", 0, CLI_VALUE, "FILE", NULL, CLI_COMPLETE_FILE,
    N_("the codes of this local catalog are known in\n"
       "{{metric.CODE.text}}"),
    NULL, offsetof(cli_args, indicators), CLI_IO_READ};

static const cli_opt opt_data_shape = {
    "data", 0, CLI_VALUE, "FILE.json", NULL, CLI_COMPLETE_FILE,
    N_("check the tags against the names of this JSON data\n"
       "(render --data) instead of a report's"),
    NULL, offsetof(cli_args, data), CLI_IO_READ};

static int run(cli_args *a)
{
    const char *path = a->n_args > 0 ? a->args[0] : NULL;
    nb_data *data = NULL;
    nb_catalog *cat = NULL;
    nb_diag_list *dl = NULL;
    nb_template *t = NULL;
    nb_template_check_opts co;
    nb_status st;
    int rc = EXIT_CLEAN;

    if (path != NULL && a->standard)
        return cli_usage_error(a->cmd, "%s",
                               _("give a template or --standard, not both"));
    dl = cli_diag_list(a);
    if (dl == NULL)
        return EXIT_RUN;
    if (a->indicators != NULL) {
        st = nb_catalog_load(&cat, a->indicators, dl);
        if (st != NB_OK || cat == NULL) {
            rc = st != NB_OK ? status_exit(st) : EXIT_DATA;
            goto done;
        }
    }
    if (a->data != NULL) {
        st = nb_data_load(&data, a->data, &a->limits, dl);
        if (st != NB_OK || data == NULL) {
            rc = st != NB_OK ? status_exit(st) : EXIT_DATA;
            goto done;
        }
    }
    rc = cli_data_schema(a, &data, dl);
    if (rc != EXIT_CLEAN && (rc != EXIT_DATA || data == NULL))
        goto done; /* no schema to check the names against */
    co.limits = &a->limits;
    co.catalog = cat;
    co.data = data;
    st = nb_template_check(&t, path, &co, dl);
    if (st != NB_OK) {
        rc = status_exit(st);
        goto done;
    }
    if (a->json_list)
        print_json(t);
    else if (!a->quiet)
        print_table(t);
    if (!nb_template_renderable(t))
        rc = EXIT_DATA;
done:
    fflush(stdout);
    diag_print(dl, a->diag);
    nb_template_free(t);
    nb_data_free(data);
    nb_catalog_free(cat);
    nb_diag_list_free(dl);
    return rc;
}

static const cli_opt *const opts[] = {
    &opt_standard, &opt_json_list, &opt_quiet_tags, &opt_indicators_codes,
    &opt_limit,    &opt_diag,      &opt_data_shape, &opt_schema, &opt_allow_external,
    NULL};

static const char *const conflicts[] = {"json", "quiet", NULL};

const cli_cmd cmd_check_template_def = {
    "check-template", N_("[OPTION]... [T.docx]"),
    N_("list a template's tags and where they are; report every\n"
       "problem at once"),
    N_("List every tag of a Word template with where it is, then\n"
       "report every problem at once: a tag not whole inside one\n"
       "paragraph, a section not closed or closed by the wrong tag,\n"
       "an unknown filter, and a name that the data of a report does\n"
       "not have where the tag is (with the name meant); and what\n"
       "the package would make Word fetch or run when a report is\n"
       "opened: macros, DDE and INCLUDE fields, external links and\n"
       "images, OLE objects (docs/templates.md, \"External and\n"
       "active content\"; --allow-external accepts them).\n"
       "Without T.docx the built-in standard template is checked.\n"
       "\n"
       "The table has one line per tag:\n"
       "  PART  the part of the .docx: word/document.xml (the body),\n"
       "        word/header1.xml, word/footer2.xml, docProps/core.xml\n"
       "  PARA  the paragraph, counted from 1 in the part: every\n"
       "        paragraph in document order, those in tables, text\n"
       "        boxes and empty ones too (0 outside paragraphs)\n"
       "  LINE  the paragraph's line in the part's XML\n"
       "  KIND  field, section ({{#…}}), inverted ({{^…}}), end\n"
       "        ({{/…}}), comment ({{!…}}), or bad (see the problems)\n"
       "  TAG   the tag; TEXT: the paragraph's text around it\n"
       "\n"
       "Names are checked as render looks them up: inside\n"
       "{{#sections}} … {{/sections}} a name is a field of a section,\n"
       "of any enclosing section's element, or of the report\n"
       "(docs/templates.md, \"The data a template sees\")."),
    N_("Examples:\n"
       "  nianbao export-template mine.docx   (restyle it in Word)\n"
       "  nianbao check-template mine.docx\n"
       "  nianbao check-template -q --diag=json mine.docx\n"
       "\n"
       "Exit status: 0 no errors (warnings allowed), 1 errors in the\n"
       "template, 2 wrong usage, 3 could not run."),
    opts, conflicts, 0, 1, CLI_COMPLETE_FILE, NULL,
    N_("give one template (check one at a time)"), run, CLI_IO_READ};
