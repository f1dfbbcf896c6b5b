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
 * nianbao's zip reader (src/lib/zip_read.c) and libxml2; a test tool, not
 * installed.
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

#include "zip_io.h"

#define W_NS "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#define MAX_PART_BYTES ((uint64_t)256 * 1024 * 1024) /* bytes */

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

/* An open archive and the bytes it is read from. */
typedef struct pkg {
    nb_zip_archive *za;
    char *bytes;
    nb_diag_list *dl; /* what the reader finds */
} pkg;

static void pkg_close(pkg *p)
{
    nb_zip_close(p->za);
    free(p->bytes);
    nb_diag_list_free(p->dl);
}

/* The reader's last finding. */
static const char *why(const pkg *p)
{
    size_t n = nb_diag_list_count(p->dl);

    return n > 0 ? nb_diag_list_at(p->dl, n - 1)->msg : "?";
}

/* Open the archive at 'path'; 0, or 1 after printing why. */
static int open_zip(pkg *p, const char *path)
{
    FILE *fp = fopen(path, "rb");
    nb_limits lim = nb_limits_resolve(NULL);
    nb_zip_source src = {NULL, 0, -1, 0, path, NB_ZIP_NAMES_GUESS, 0, NULL};
    size_t alloc = 0;
    size_t got;
    int rc = 0;

    memset(p, 0, sizeof(*p));
    p->dl = nb_diag_list_new();
    if (fp == NULL || p->dl == NULL) {
        if (fp != NULL)
            fclose(fp);
        nb_diag_list_free(p->dl);
        return fail("%s: %s", path, strerror(errno));
    }
    do {
        char *q = alloc < MAX_PART_BYTES ? realloc(p->bytes, alloc + 65536)
                                         : NULL;

        if (q == NULL) {
            rc = fail("%s: too large, or out of memory", path);
            break;
        }
        p->bytes = q;
        got = fread(p->bytes + src.len, 1, 65536, fp);
        alloc += 65536;
        src.len += got;
    } while (got > 0);
    fclose(fp);
    src.data = p->bytes;
    if (rc == 0 && nb_zip_open(&p->za, &src, &lim, p->dl) != NB_OK)
        rc = fail("%s: cannot open as a zip archive: %s", path, why(p));
    if (rc != 0)
        pkg_close(p);
    return rc;
}

/* Read part 'name' whole; *out is NUL-terminated. Caller frees with
 * free(). Returns 0, or 1 after printing why. */
static int read_part(char **out, size_t *len_out, pkg *p, const char *path,
                     const char *name)
{
    long i = nb_zip_find(p->za, name);

    *out = NULL;
    *len_out = 0;
    if (i < 0)
        return fail("%s: no part named '%s'", path, name);
    if (nb_zip_at(p->za, (size_t)i)->usize > MAX_PART_BYTES)
        return fail("%s: part '%s' is too large", path, name);
    if (nb_zip_extract(p->za, (size_t)i, (unsigned char **)out, len_out,
                       NULL) != NB_OK)
        return fail("%s: cannot read part '%s': %s", path, name, why(p));
    return 0;
}

/* ==== --parts and --part ==== */

static int dump_parts(const char *path)
{
    pkg p;
    size_t i;

    if (open_zip(&p, path) != 0)
        return 1;
    for (i = 0; i < nb_zip_count(p.za); i++)
        printf("%s %ju\n", nb_zip_at(p.za, i)->name,
               (uintmax_t)nb_zip_at(p.za, i)->usize);
    pkg_close(&p);
    return 0;
}

static int dump_part(const char *path, const char *name)
{
    pkg p;
    char *data = NULL;
    size_t len = 0;
    int rc;

    if (open_zip(&p, path) != 0)
        return 1;
    rc = read_part(&data, &len, &p, path, name);
    if (rc == 0 && fwrite(data, 1, len, stdout) != len)
        rc = fail("cannot write to stdout: %s", strerror(errno));
    free(data);
    pkg_close(&p);
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
    pkg p;
    char *data = NULL;
    size_t len = 0;
    xmlDocPtr doc = NULL;
    xml_errors errs = {"", 0};
    int rc;

    if (open_zip(&p, path) != 0)
        return 1;
    rc = read_part(&data, &len, &p, path, name);
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
    pkg_close(&p);
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
