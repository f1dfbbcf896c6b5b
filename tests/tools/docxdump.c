/* docxdump: print what a test needs to see of a .docx package, never its
 * zip bytes (STYLE.md §7: compare DOCX output in canonical form).
 *
 * Usage:
 *   docxdump --paragraphs [--part NAME] FILE.docx
 *       the text of every <w:p> of word/document.xml (or of part NAME),
 *       one line per paragraph, in document order: the <w:t> text joined,
 *       <w:tab/> as a TAB, <w:br/> and <w:cr/> as the two characters "\n";
 *       a paragraph nested in another (a text box) gets its own line after
 *       the paragraph that holds it
 *   docxdump --tables [--part NAME] FILE.docx
 *       every table of the part that is not inside another one: a line
 *       "table", then one line per row, "| cell | cell |", where a cell is
 *       its paragraphs' texts (as above) joined by "¶", "[table]" for a
 *       table in it, and "(no paragraph)" when it has none; the tables in a
 *       row's cells follow the row, indented by two spaces
 *   docxdump --parts FILE.docx
 *       every entry name and its uncompressed size, in archive order
 *   docxdump --part NAME FILE.docx
 *       the bytes of one part
 * Exit status: 0 done, 1 an error (message on stderr).
 * Only libzip and libxml2; a test tool, not installed.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <zip.h>

#define W_NS "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#define MAX_PART_BYTES ((zip_uint64_t)256 * 1024 * 1024) /* bytes */

/* libxml2 2.12 made the error argument const; keep the difference here. */
#if LIBXML_VERSION >= 21200
typedef const xmlError *xml_err_arg;
#else
typedef xmlErrorPtr xml_err_arg;
#endif

static const char *progname = "docxdump";

static int fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int fail(const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "%s: ", progname);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return 1;
}

static void usage(void)
{
    fputs("usage: docxdump --paragraphs [--part NAME] FILE.docx\n"
          "       docxdump --tables [--part NAME] FILE.docx\n"
          "       docxdump --parts FILE.docx\n"
          "       docxdump --part NAME FILE.docx\n",
          stderr);
}

/* ==== Reading the package ==== */

static zip_t *open_zip(const char *path)
{
    int err = 0;
    zip_t *za = zip_open(path, ZIP_RDONLY, &err);

    if (za == NULL) {
        zip_error_t ze;

        zip_error_init_with_code(&ze, err);
        fail("%s: cannot open as a zip archive: %s", path,
             zip_error_strerror(&ze));
        zip_error_fini(&ze);
    }
    return za;
}

/* Read part 'name' whole; *out is NUL-terminated. Caller frees with
 * free(). Returns 0, or 1 after printing why. */
static int read_part(char **out, size_t *len_out, zip_t *za, const char *path,
                     const char *name)
{
    zip_stat_t zs;
    zip_file_t *zf;
    zip_int64_t n;
    char *buf;

    *out = NULL;
    *len_out = 0;
    if (zip_stat(za, name, 0, &zs) != 0)
        return fail("%s: no part named '%s'", path, name);
    if ((zs.valid & ZIP_STAT_SIZE) == 0 || zs.size > MAX_PART_BYTES)
        return fail("%s: part '%s' has no size or is too large", path, name);
    buf = malloc((size_t)zs.size + 1);
    if (buf == NULL)
        return fail("out of memory");
    zf = zip_fopen(za, name, 0);
    if (zf == NULL) {
        free(buf);
        return fail("%s: cannot open part '%s': %s", path, name,
                    zip_strerror(za));
    }
    n = zip_fread(zf, buf, zs.size);
    if (n < 0 || (zip_uint64_t)n != zs.size) {
        fail("%s: cannot read part '%s': %s", path, name,
             n < 0 ? zip_file_strerror(zf) : "short read");
        zip_fclose(zf);
        free(buf);
        return 1;
    }
    zip_fclose(zf);
    buf[zs.size] = '\0';
    *out = buf;
    *len_out = (size_t)zs.size;
    return 0;
}

/* ==== --parts and --part ==== */

static int dump_parts(const char *path)
{
    zip_t *za = open_zip(path);
    zip_int64_t n;
    zip_int64_t i;
    int rc = 0;

    if (za == NULL)
        return 1;
    n = zip_get_num_entries(za, 0);
    for (i = 0; i < n; i++) {
        zip_stat_t zs;

        if (zip_stat_index(za, (zip_uint64_t)i, 0, &zs) != 0) {
            rc = fail("%s: unreadable entry #%jd", path, (intmax_t)i);
            break;
        }
        printf("%s %ju\n", zs.name, (uintmax_t)zs.size);
    }
    zip_discard(za);
    return rc;
}

static int dump_part(const char *path, const char *name)
{
    zip_t *za = open_zip(path);
    char *data = NULL;
    size_t len = 0;
    int rc;

    if (za == NULL)
        return 1;
    rc = read_part(&data, &len, za, path, name);
    if (rc == 0 && fwrite(data, 1, len, stdout) != len)
        rc = fail("cannot write to stdout: %s", strerror(errno));
    free(data);
    zip_discard(za);
    return rc;
}

/* ==== --paragraphs ==== */

static bool is_w(const xmlNode *n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && n->ns != NULL &&
           strcmp((const char *)n->ns->href, W_NS) == 0 &&
           strcmp((const char *)n->name, name) == 0;
}

/* The text of <w:t>: a line feed in it would break "one line per
 * paragraph"; Word shows it as a space, and so do we. */
static void put_t_text(const xmlNode *t)
{
    const xmlNode *k;

    for (k = t->children; k != NULL; k = k->next) {
        const char *s;

        if (k->type != XML_TEXT_NODE && k->type != XML_CDATA_SECTION_NODE)
            continue;
        for (s = (const char *)k->content; s != NULL && *s != '\0'; s++)
            putchar(*s == '\n' || *s == '\r' ? ' ' : *s);
    }
}

/* The text of paragraph 'p' without the paragraphs nested in it. Field
 * codes (<w:instrText>) and deleted text (<w:delText>) are not text. */
static void put_para_text(const xmlNode *n)
{
    const xmlNode *c;

    for (c = n->children; c != NULL; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (is_w(c, "p"))
            continue;
        if (is_w(c, "t")) {
            put_t_text(c);
            continue;
        }
        if (is_w(c, "tab")) {
            putchar('\t');
            continue;
        }
        if (is_w(c, "br") || is_w(c, "cr")) {
            fputs("\\n", stdout);
            continue;
        }
        if (is_w(c, "pPr") || is_w(c, "rPr"))
            continue;
        put_para_text(c);
    }
}

static void walk_paragraphs(const xmlNode *n)
{
    for (; n != NULL; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (is_w(n, "p")) {
            put_para_text(n);
            putchar('\n');
        }
        walk_paragraphs(n->children);
    }
}

/* ==== --tables ==== */

static void dump_table(const xmlNode *tbl, int depth)
{
    const xmlNode *tr;
    const xmlNode *tc;
    const xmlNode *k;

    printf("%*stable\n", 2 * depth, "");
    for (tr = tbl->children; tr != NULL; tr = tr->next) {
        if (!is_w(tr, "tr"))
            continue;
        printf("%*s|", 2 * depth, "");
        for (tc = tr->children; tc != NULL; tc = tc->next) {
            int n = 0;
            bool para = false;

            if (!is_w(tc, "tc"))
                continue;
            putchar(' ');
            for (k = tc->children; k != NULL; k = k->next) {
                if (!is_w(k, "p") && !is_w(k, "tbl"))
                    continue;
                if (n++ > 0)
                    fputs("¶", stdout);
                if (is_w(k, "tbl")) {
                    fputs("[table]", stdout);
                    continue;
                }
                para = true;
                put_para_text(k);
            }
            fputs(para ? " |" : "(no paragraph) |", stdout);
        }
        putchar('\n');
        for (tc = tr->children; tc != NULL; tc = tc->next)
            for (k = is_w(tc, "tc") ? tc->children : NULL; k != NULL;
                 k = k->next)
                if (is_w(k, "tbl"))
                    dump_table(k, depth + 1);
    }
}

static void walk_tables(const xmlNode *n)
{
    for (; n != NULL; n = n->next) {
        if (is_w(n, "tbl"))
            dump_table(n, 0);
        else if (n->type == XML_ELEMENT_NODE)
            walk_tables(n->children);
    }
}

typedef struct xml_errors {
    char first[512];
    int n;
} xml_errors;

static void collect_error(void *data, xml_err_arg err)
{
    xml_errors *e = data;
    size_t len;

    if (err == NULL || err->level == XML_ERR_WARNING)
        return;
    if (e->n++ > 0)
        return;
    snprintf(e->first, sizeof(e->first), "line %d: %s", err->line,
             err->message != NULL ? err->message : "error");
    len = strlen(e->first);
    while (len > 0 && (e->first[len - 1] == '\n' || e->first[len - 1] == ' '))
        e->first[--len] = '\0';
}

static int dump_paragraphs(const char *path, const char *name, bool tables)
{
    zip_t *za = open_zip(path);
    char *data = NULL;
    size_t len = 0;
    xmlDocPtr doc = NULL;
    xml_errors errs = {"", 0};
    int rc;

    if (za == NULL)
        return 1;
    rc = read_part(&data, &len, za, path, name);
    if (rc != 0)
        goto done;
    if (len > (size_t)INT32_MAX) {
        rc = fail("%s: part '%s' is too large", path, name);
        goto done;
    }
    xmlSetStructuredErrorFunc(&errs, (xmlStructuredErrorFunc)collect_error);
    doc = xmlReadMemory(data, (int)len, name, NULL, XML_PARSE_NONET);
    xmlSetStructuredErrorFunc(NULL, NULL);
    if (doc == NULL || errs.n > 0) {
        rc = fail("%s: part '%s' is not well-formed XML: %s", path, name,
                  errs.n > 0 ? errs.first : "no document");
        goto done;
    }
    if (tables)
        walk_tables(xmlDocGetRootElement(doc));
    else
        walk_paragraphs(xmlDocGetRootElement(doc));
done:
    xmlFreeDoc(doc);
    free(data);
    zip_discard(za);
    return rc;
}

int main(int argc, char **argv)
{
    enum { NONE, PARAGRAPHS, TABLES, PARTS } mode = NONE;
    const char *part = NULL;
    const char *file = NULL;
    int i;
    int rc;

    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--paragraphs") == 0) {
            mode = PARAGRAPHS;
        } else if (strcmp(argv[i], "--tables") == 0) {
            mode = TABLES;
        } else if (strcmp(argv[i], "--parts") == 0) {
            mode = PARTS;
        } else if (strcmp(argv[i], "--part") == 0) {
            if (i + 1 >= argc) {
                usage();
                return fail("--part needs a part name");
            }
            part = argv[++i];
        } else if (strcmp(argv[i], "-h") == 0 ||
                   strcmp(argv[i], "--help") == 0) {
            usage();
            return 0;
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            usage();
            return fail("unknown option '%s'", argv[i]);
        } else if (file != NULL) {
            usage();
            return fail("give exactly one file");
        } else {
            file = argv[i];
        }
    }
    if (file == NULL || (mode == NONE && part == NULL) ||
        (mode == PARTS && part != NULL)) {
        usage();
        return 1;
    }
    if (mode == PARTS)
        rc = dump_parts(file);
    else if (mode == PARAGRAPHS || mode == TABLES)
        rc = dump_paragraphs(file, part != NULL ? part : "word/document.xml",
                             mode == TABLES);
    else
        rc = dump_part(file, part);
    if (fflush(stdout) != 0 && rc == 0)
        rc = fail("cannot write to stdout: %s", strerror(errno));
    xmlCleanupParser();
    return rc;
}
