/* cmd_check_template.c: `nianbao check-template [T.docx]`: every tag of a
 * template with its place (part, paragraph, line, the text around it) on
 * stdout, then every problem at once on stderr: the parser's (tags not
 * whole in one paragraph, sections, filters) and the names a report's data
 * does not have (nb_template_check). */
#include "cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

enum { OPT_STANDARD = OPT_LIMIT + 1, OPT_JSON };

#define TAG_COLUMN_MAX 36 /* display width of the TAG column at most */

static void help(void)
{
    fputs(_("Usage: nianbao check-template [OPTION]... [T.docx]\n"
            "List every tag of a Word template with where it is, then\n"
            "report every problem at once: a tag not whole inside one\n"
            "paragraph, a section not closed or closed by the wrong tag,\n"
            "an unknown filter, and a name that the data of a report does\n"
            "not have where the tag is (with the name meant).\n"
            "Without T.docx the built-in standard template is checked.\n"
            "\n"
            "  --standard              check the built-in standard template\n"
            "  --json                  list the tags as JSON, one object a\n"
            "                          line, instead of the table\n"
            "  -q, --quiet             do not list the tags, only problems\n"
            "  --indicators=F          the codes of this local catalog are\n"
            "                          known in {{metric.CODE.text}}\n"
            "  --limit=NAME=N          raise a safety limit for this run\n"
            "  --diag=FORMAT           text (default, on stderr) or json\n"
            "                          (on stdout, after the tags)\n"
            "  -h, --help              show this help\n"
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
            "(docs/templates.md, \"The data a template sees\").\n"
            "\n"
            "Examples:\n"
            "  nianbao export-template mine.docx   (restyle it in Word)\n"
            "  nianbao check-template mine.docx\n"
            "  nianbao check-template -q --diag=json mine.docx\n"
            "\n"
            "Exit status: 0 no errors (warnings allowed), 1 errors in the\n"
            "template, 2 wrong usage, 3 could not run.\n"),
          stdout);
}

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

        fputs(tg->part, stdout);
        pad(strlen(tg->part), part_w);
        printf("  %4u  %4u  %-8s  {{%s}}", (unsigned)tg->paragraph,
               (unsigned)tg->line, kind_word(tg), tg->text);
        pad(width(tg->text) + 4, tag_w);
        printf("  %s\n", tg->excerpt);
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

int cmd_check_template(int argc, char **argv)
{
    static const struct option opts[] = {
        {"standard", no_argument, NULL, OPT_STANDARD},
        {"json", no_argument, NULL, OPT_JSON},
        {"quiet", no_argument, NULL, 'q'},
        {"indicators", required_argument, NULL, OPT_INDICATORS},
        {"limit", required_argument, NULL, OPT_LIMIT},
        {"diag", required_argument, NULL, 'd'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    diag_format fmt = DIAG_TEXT;
    nb_limits lim = {0};
    size_t diag_cap = 0;
    const char *indicators = NULL;
    const char *path = NULL;
    bool standard = false;
    bool json = false;
    bool quiet = false;
    nb_catalog *cat = NULL;
    nb_diag_list *dl = NULL;
    nb_template *t = NULL;
    nb_template_check_opts co;
    nb_status st;
    int rc = EXIT_CLEAN;
    int c;

    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "qh", opts, NULL)) != -1) {
        switch (c) {
        case OPT_STANDARD:
            standard = true;
            break;
        case OPT_JSON:
            json = true;
            break;
        case 'q':
            quiet = true;
            break;
        case OPT_INDICATORS:
            indicators = optarg;
            break;
        case OPT_LIMIT:
            if (limit_option(&lim, &diag_cap, optarg, "check-template", &rc) <
                0)
                return rc;
            break;
        case 'd':
            if (!diag_format_parse(&fmt, optarg))
                return usage_error("check-template",
                                   _("--diag must be text or json, not '%s'"),
                                   optarg);
            break;
        case 'h':
            help();
            return EXIT_CLEAN;
        default:
            if (optopt == OPT_INDICATORS || optopt == OPT_LIMIT ||
                optopt == 'd')
                return usage_error("check-template",
                                   _("option '%s' needs a value"),
                                   argv[optind - 1]);
            return usage_error("check-template", _("unknown option '%s'"),
                               argv[optind - 1]);
        }
    }
    if (optind + 1 < argc)
        return usage_error("check-template", "%s",
                           _("give one template (check one at a time)"));
    if (optind < argc)
        path = argv[optind];
    if (path != NULL && standard)
        return usage_error("check-template", "%s",
                           _("give a template or --standard, not both"));
    dl = nb_diag_list_new();
    if (dl == NULL)
        return EXIT_RUN;
    if (diag_cap > 0)
        nb_diag_list_set_cap(dl, diag_cap);
    if (indicators != NULL) {
        st = nb_catalog_load(&cat, indicators, dl);
        if (st != NB_OK || cat == NULL) {
            rc = st != NB_OK ? status_exit(st) : EXIT_DATA;
            goto done;
        }
    }
    co.limits = &lim;
    co.catalog = cat;
    st = nb_template_check(&t, path, &co, dl);
    if (st != NB_OK) {
        rc = status_exit(st);
        goto done;
    }
    if (json)
        print_json(t);
    else if (!quiet)
        print_table(t);
    if (!nb_template_renderable(t))
        rc = EXIT_DATA;
done:
    fflush(stdout);
    diag_print(dl, fmt);
    nb_template_free(t);
    nb_catalog_free(cat);
    nb_diag_list_free(dl);
    return rc;
}
