/* read_xlsx.c: an Excel, WPS or LibreOffice workbook (.xlsx, ECMA-376
 * SpreadsheetML) -> the rows of its forms -> report model.
 *
 * A workbook is a form set with one sheet per form (基本信息/meta,
 * 正文/narrative, 指标/metrics). Its parts are found through the
 * relationships (_rels/.rels -> xl/workbook.xml -> its .rels), the small
 * ones (relationships, workbook, styles) parsed as DOM by xml_io.c, the
 * shared strings and the sheets streamed with xmlTextReader straight out
 * of the zip, so memory holds the shared-string table and one row. Each
 * sheet's rows go to the form reader (form.c) as a CSV form's do, and the
 * form set is then built as from CSV (read_forms.c).
 *
 * A cell's value is what Excel shows, as the number format says: a
 * percent format's 0.985 is 98.5, a date format's serial number the date
 * (1900 or 1904 system), other numbers to 15 significant digits. Error
 * values, formulas without a saved value and control characters are
 * located findings. Limits: the input file, entries and part size of the
 * zip limits, the shared-string table (strings), each sheet unpacked
 * (sheet), a cell (cell) and the columns of a row (cells).
 */
#include "form.h"
#include "model.h"
#include "xml_io.h"

#include <libxml/xmlreader.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zip.h>

#define SSML_NS "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
#define REL_NS                                                                 \
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define MAX_SHEETS 256 /* Excel allows 255 beside the workbook */

/* What a cell style makes of a number. */
typedef enum numkind { K_NUMBER = 0, K_PERCENT, K_DATE } numkind;

typedef struct sheet {
    struct book *b;
    char *name; /* "指标", as the tab shows it */
    char *part; /* "xl/worksheets/sheet1.xml" */
    char *path; /* "报告.xlsx/指标": the sheet in messages */
    int form;   /* nb_form_id, or -1 */
} sheet;

typedef struct book {
    const char *name; /* the workbook in messages */
    zip_t *za;
    nb_limits lim;
    nb_diag_list *dl;
    bool date1904;
    nb_buf sst;        /* shared strings, each NUL-terminated */
    size_t *sst_off;   /* where each starts in sst */
    size_t n_sst;
    size_t sst_alloc;
    unsigned char *xf; /* numkind per cellXfs index */
    size_t n_xf;
    sheet sheets[MAX_SHEETS];
    size_t n_sheets;
} book;

static nb_loc part_at(const book *b, const char *part)
{
    nb_loc loc = {b->name, 0, 0, part};

    return loc;
}

/* ==== Parts of the package ==== */

/* The part's index in the zip, or -1. OPC part names ignore case. */
static zip_int64_t part_index(const book *b, const char *part)
{
    return zip_name_locate(b->za, part, ZIP_FL_NOCASE | ZIP_FL_ENC_GUESS);
}

/* Its unpacked size as the zip declares it, checked against 'max' before
 * anything is read. */
static nb_status part_size(zip_uint64_t *out, book *b, zip_int64_t i,
                           const char *part, size_t max, nb_code code)
{
    zip_stat_t zs;
    nb_loc loc = part_at(b, part);

    zip_stat_init(&zs);
    if (zip_stat_index(b->za, (zip_uint64_t)i, 0, &zs) != 0 ||
        !(zs.valid & ZIP_STAT_SIZE)) {
        nb_diag_add(b->dl, NB_XLSX_NOT_WORKBOOK, &loc, "%s",
                    _("the part cannot be read from the zip"));
        return NB_ERR_FORMAT;
    }
    if (zs.size > max) {
        nb_diag_add(b->dl, code, &loc,
                    _("the part is %llu bytes unpacked, more than the limit "
                      "of %zu"),
                    (unsigned long long)zs.size, max);
        return NB_ERR_LIMIT;
    }
    *out = zs.size;
    return NB_OK;
}

/* A small part read whole (relationships, workbook, styles), within the
 * part limit. *out NULL and NB_OK when it is absent. */
static nb_status part_read(char **out, size_t *len_out, book *b,
                           const char *part)
{
    zip_int64_t i = part_index(b, part);
    zip_uint64_t size = 0;
    zip_file_t *zf;
    nb_loc loc = part_at(b, part);
    zip_int64_t got;
    char *data;
    nb_status st;

    *out = NULL;
    *len_out = 0;
    if (i < 0)
        return NB_OK;
    st = part_size(&size, b, i, part, b->lim.max_part_bytes, NB_LIMIT_ZIP);
    if (st != NB_OK)
        return st;
    data = malloc((size_t)size + 1);
    if (data == NULL)
        return nb_diag_nomem(b->dl, b->name);
    zf = zip_fopen_index(b->za, (zip_uint64_t)i, 0);
    got = zf != NULL ? zip_fread(zf, data, size) : -1;
    if (zf != NULL)
        zip_fclose(zf);
    if (got < 0 || (zip_uint64_t)got != size) {
        free(data);
        nb_diag_add(b->dl, NB_XLSX_NOT_WORKBOOK, &loc, "%s",
                    _("the part cannot be unpacked: the zip is damaged"));
        return NB_ERR_FORMAT;
    }
    data[size] = '\0';
    *out = data;
    *len_out = (size_t)size;
    return NB_OK;
}

/* A small part as DOM; *out NULL and NB_OK when it is absent. */
static nb_status part_dom(xmlDocPtr *out, book *b, const char *part)
{
    char *data = NULL;
    size_t len = 0;
    nb_status st = part_read(&data, &len, b, part);

    *out = NULL;
    if (st == NB_OK && data != NULL)
        st = nb_xml_parse(out, data, len, b->name, part, NB_XLSX_MALFORMED,
                          b->lim.xml_huge, &b->lim, b->dl);
    free(data);
    return st;
}

static xmlNode *child(xmlNode *n, const char *name)
{
    for (n = n != NULL ? n->children : NULL; n != NULL; n = n->next)
        if (n->type == XML_ELEMENT_NODE &&
            strcmp((const char *)n->name, name) == 0)
            return n;
    return NULL;
}

/* ==== Relationships ==== */

/* "xl/" for "xl/workbook.xml". */
static size_t dir_len(const char *part)
{
    const char *slash = strrchr(part, '/');

    return slash != NULL ? (size_t)(slash - part) + 1 : 0;
}

/* A relationship's target as a part name: absolute ("/xl/x.xml") or
 * relative to the source's folder, with "." and ".." resolved; NULL when
 * it leaves the package. Caller frees. */
static char *resolve(const char *source, const char *target)
{
    size_t n = target[0] == '/' ? 0 : dir_len(source);
    size_t len = n + strlen(target) + 1;
    char *out = malloc(len);
    char *w;
    const char *p;

    if (out == NULL)
        return NULL;
    memcpy(out, source, n);
    w = out + n;
    for (p = target; *p != '\0';) {
        const char *end = strchr(p, '/');
        size_t seg = end != NULL ? (size_t)(end - p) : strlen(p);

        if (seg == 2 && p[0] == '.' && p[1] == '.') {
            if (w == out) {
                free(out);
                return NULL;
            }
            w--; /* back over the '/' */
            while (w > out && w[-1] != '/')
                w--;
        } else if (seg > 0 && !(seg == 1 && p[0] == '.')) {
            memcpy(w, p, seg);
            w += seg;
            if (end != NULL)
                *w++ = '/';
        }
        p += seg + (end != NULL);
    }
    *w = '\0';
    return out;
}

/* The relationships of 'source' ("xl/workbook.xml" ->
 * "xl/_rels/workbook.xml.rels"), or NULL when it has none. */
static nb_status rels_of(xmlDocPtr *out, book *b, const char *source)
{
    size_t n = dir_len(source);
    char name[512];

    if ((size_t)snprintf(name, sizeof(name), "%.*s_rels/%s.rels", (int)n,
                         source, source + n) >= sizeof(name)) {
        *out = NULL;
        return NB_OK;
    }
    return part_dom(out, b, name);
}

/* True when the relationship's Type ends in "/kind". */
static bool rel_is(xmlNode *rel, const char *kind)
{
    xmlChar *type = xmlGetProp(rel, (const xmlChar *)"Type");
    size_t n = type != NULL ? strlen((const char *)type) : 0;
    size_t k = strlen(kind);
    bool is = n > k && type[n - k - 1] == '/' &&
              strcmp((const char *)type + n - k, kind) == 0;

    xmlFree(type);
    return is;
}

/* The target of the first relationship of 'rels' whose Id is 'id' (or,
 * with id NULL, whose type is 'kind'), resolved against 'source'. */
static char *rel_target(xmlDocPtr rels, const char *source, const char *id,
                        const char *kind)
{
    xmlNode *n;

    for (n = rels != NULL ? xmlDocGetRootElement(rels)->children : NULL;
         n != NULL; n = n->next) {
        xmlChar *v;
        char *out = NULL;
        bool match;

        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (id != NULL) {
            v = xmlGetProp(n, (const xmlChar *)"Id");
            match = v != NULL && strcmp((const char *)v, id) == 0;
            xmlFree(v);
        } else {
            match = kind != NULL && rel_is(n, kind);
        }
        if (!match)
            continue;
        v = xmlGetProp(n, (const xmlChar *)"Target");
        if (v != NULL)
            out = resolve(source, (const char *)v);
        xmlFree(v);
        return out;
    }
    return NULL;
}

/* A relationship that points outside the package (an external link). */
static const xmlNode *external_rel(xmlDocPtr rels)
{
    xmlNode *n;

    for (n = rels != NULL ? xmlDocGetRootElement(rels)->children : NULL;
         n != NULL; n = n->next) {
        if (n->type == XML_ELEMENT_NODE &&
            (nb_xml_token_is(n, "TargetMode", "External") &&
             (rel_is(n, "externalLink") || rel_is(n, "externalLinkPath"))))
            return n;
        if (n->type == XML_ELEMENT_NODE && rel_is(n, "externalLink"))
            return n;
    }
    return NULL;
}

/* ==== Streaming a part ==== */

/* Where the bytes before the root element are: a DOCTYPE there is
 * refused before libxml2 sees a declaration of it. */
typedef enum prolog {
    P_TEXT,
    P_LT,
    P_BANG,
    P_BANG_DASH,
    P_PI,
    P_PI_Q,
    P_COMMENT,
    P_COMMENT_1,
    P_COMMENT_2,
    P_DONE
} prolog;

typedef struct stream {
    book *b;
    const char *part;
    zip_file_t *zf;
    size_t read; /* bytes unpacked so far */
    size_t max;
    nb_code too_large;
    prolog pr;
    nb_attr_scan attrs;
    bool stopped; /* refused or over the limit: reported */
    nb_status st;
    nb_xml_sink sink;
} stream;

static void stream_refuse(stream *s, nb_code code, const char *msg,
                          nb_status st)
{
    nb_loc loc = part_at(s->b, s->part);

    if (!s->stopped)
        nb_diag_add(s->b->dl, code, &loc, "%s", msg);
    s->stopped = true;
    s->st = st;
}

static prolog prolog_step(prolog p, char c)
{
    switch (p) {
    case P_TEXT:
        return c == '<' ? P_LT : P_TEXT;
    case P_LT:
        return c == '?' ? P_PI : c == '!' ? P_BANG : P_DONE;
    case P_BANG:
        return c == '-' ? P_BANG_DASH : P_DONE; /* DONE: a DOCTYPE */
    case P_BANG_DASH:
        return c == '-' ? P_COMMENT : P_DONE;
    case P_PI:
        return c == '?' ? P_PI_Q : P_PI;
    case P_PI_Q:
        return c == '>' ? P_TEXT : c == '?' ? P_PI_Q : P_PI;
    case P_COMMENT:
        return c == '-' ? P_COMMENT_1 : P_COMMENT;
    case P_COMMENT_1:
        return c == '-' ? P_COMMENT_2 : P_COMMENT;
    case P_COMMENT_2:
        return c == '>' ? P_TEXT : c == '-' ? P_COMMENT_2 : P_COMMENT;
    case P_DONE:
        break;
    }
    return P_DONE;
}

/* Scan the prolog; false at a DOCTYPE (or a CDATA section there). */
static bool prolog_ok(stream *s, const char *buf, size_t n)
{
    size_t i;

    for (i = 0; i < n && s->pr != P_DONE; i++) {
        prolog prev = s->pr;

        s->pr = prolog_step(s->pr, buf[i]);
        if (s->pr == P_DONE && (prev == P_BANG || prev == P_BANG_DASH))
            return false;
    }
    return true;
}

static int stream_read(void *ctx, char *buf, int len)
{
    stream *s = ctx;
    zip_int64_t got;

    if (s->stopped)
        return -1;
    got = zip_fread(s->zf, buf, (zip_uint64_t)len);
    if (got < 0) {
        stream_refuse(s, NB_XLSX_NOT_WORKBOOK,
                      _("the part cannot be unpacked: the zip is damaged"),
                      NB_ERR_FORMAT);
        return -1;
    }
    s->read += (size_t)got;
    if (s->read > s->max) {
        char msg[160];

        snprintf(msg, sizeof(msg),
                 _("the part is more than the limit of %zu bytes unpacked"),
                 s->max);
        stream_refuse(s, s->too_large, msg, NB_ERR_LIMIT);
        return -1;
    }
    if (!prolog_ok(s, buf, (size_t)got)) {
        stream_refuse(s, NB_XLSX_MALFORMED,
                      _("DOCTYPE declarations are not allowed (no DTDs, no "
                        "entities): save the workbook again in Excel, WPS "
                        "or Calc"),
                      NB_ERR_FORMAT);
        return -1;
    }
    if (!nb_attr_scan_feed(&s->attrs, buf, (size_t)got)) {
        if (!s->stopped)
            nb_attr_scan_report(&s->attrs, s->b->name, s->part, s->b->dl);
        s->stopped = true;
        s->st = NB_ERR_LIMIT;
        return -1;
    }
    return (int)got;
}

static int stream_close(void *ctx)
{
    (void)ctx;
    return 0;
}

static void stream_error(void *ctx, xmlErrorPtr err)
{
    stream *s = ctx;

    if (s->stopped)
        return; /* our own stop, reported */
    nb_xml_sink_error(&s->sink, err);
}

/* Open 'part' for streaming, within 'max' bytes unpacked. */
static nb_status stream_open(xmlTextReaderPtr *out, stream *s, book *b,
                             const char *part, size_t max, nb_code too_large)
{
    zip_int64_t i = part_index(b, part);
    zip_uint64_t size;
    nb_loc loc = part_at(b, part);
    nb_status st;

    *out = NULL;
    memset(s, 0, sizeof(*s));
    s->b = b;
    s->part = part;
    s->max = max;
    s->too_large = too_large;
    nb_attr_scan_init(&s->attrs, &b->lim, false);
    s->sink.dl = b->dl;
    s->sink.file = b->name;
    s->sink.where = part;
    s->sink.code = NB_XLSX_MALFORMED;
    if (i < 0) {
        nb_diag_add(b->dl, NB_XLSX_NOT_WORKBOOK, &loc, "%s",
                    _("the workbook names this part, but the zip does not "
                      "hold it"));
        return NB_ERR_FORMAT;
    }
    st = part_size(&size, b, i, part, max, too_large);
    if (st != NB_OK)
        return st;
    s->zf = zip_fopen_index(b->za, (zip_uint64_t)i, 0);
    if (s->zf == NULL) {
        nb_diag_add(b->dl, NB_XLSX_NOT_WORKBOOK, &loc, "%s",
                    _("the part cannot be unpacked: the zip is damaged"));
        return NB_ERR_FORMAT;
    }
    *out = xmlReaderForIO(stream_read, stream_close, s, NULL, NULL,
                          XML_PARSE_NONET | XML_PARSE_BIG_LINES |
                              (b->lim.xml_huge ? XML_PARSE_HUGE : 0));
    if (*out == NULL) {
        zip_fclose(s->zf);
        s->zf = NULL;
        return nb_diag_nomem(b->dl, b->name);
    }
    xmlTextReaderSetStructuredErrorHandler(
        *out, (xmlStructuredErrorFunc)stream_error, s);
    return NB_OK;
}

static void stream_close_all(xmlTextReaderPtr r, stream *s)
{
    if (r != NULL)
        xmlFreeTextReader(r);
    if (s->zf != NULL)
        zip_fclose(s->zf);
    s->zf = NULL;
}

/* One step of the reader: 1 a node, 0 the end, -1 an error (reported). */
static int stream_next(xmlTextReaderPtr r, stream *s)
{
    int rc = xmlTextReaderRead(r);

    if (rc == 1 && xmlTextReaderNodeType(r) == XML_READER_TYPE_DOCUMENT_TYPE) {
        stream_refuse(s, NB_XLSX_MALFORMED,
                      _("DOCTYPE declarations are not allowed (no DTDs, no "
                        "entities): save the workbook again in Excel, WPS "
                        "or Calc"),
                      NB_ERR_FORMAT);
        return -1;
    }
    if (rc < 0 && !s->stopped) {
        if (s->sink.n_errors == 0) {
            nb_loc loc = part_at(s->b, s->part);

            nb_diag_add(s->b->dl, NB_XLSX_MALFORMED, &loc, "%s",
                        _("not well-formed XML"));
        }
        s->stopped = true;
        s->st = NB_ERR_FORMAT;
    }
    return rc;
}

static bool is_elem(xmlTextReaderPtr r, const char *name)
{
    return strcmp((const char *)xmlTextReaderConstLocalName(r), name) == 0;
}

static bool is_text(int type)
{
    return type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA ||
           type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE ||
           type == XML_READER_TYPE_WHITESPACE;
}

/* ==== Text in cells ==== */

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

/* Excel writes a character XML cannot hold as _xHHHH_ (ECMA-376
 * 22.9.2.19 ST_Xstring): CR is _x000D_. Decode them in place, and make
 * CRLF and CR inside a cell LF, as the CSV reader does. Returns the new
 * length. */
static size_t unescape_text(char *s, size_t len)
{
    size_t r = 0;
    size_t w = 0;

    while (r < len) {
        if (s[r] == '_' && r + 6 < len && s[r + 1] == 'x' && s[r + 6] == '_') {
            int a = hexval(s[r + 2]);
            int b = hexval(s[r + 3]);
            int c = hexval(s[r + 4]);
            int d = hexval(s[r + 5]);

            if (a >= 0 && b >= 0 && c >= 0 && d >= 0 && a == 0 && b == 0 &&
                c < 8) {
                s[w++] = (char)(c * 16 + d); /* a C0 control character */
                r += 7;
                continue;
            }
        }
        s[w++] = s[r++];
    }
    len = w;
    for (r = w = 0; r < len; r++) {
        if (s[r] == '\r') {
            s[w++] = '\n';
            if (r + 1 < len && s[r + 1] == '\n')
                r++;
        } else {
            s[w++] = s[r];
        }
    }
    s[w] = '\0';
    return w;
}

/* ==== Shared strings ==== */

static nb_status sst_push(book *b, size_t start, const nb_loc *loc)
{
    size_t cost;

    if (b->n_sst == b->sst_alloc) {
        size_t alloc = b->sst_alloc == 0 ? 1024 : b->sst_alloc * 2;
        size_t *v = realloc(b->sst_off, alloc * sizeof(*v));

        if (v == NULL)
            return nb_diag_nomem(b->dl, b->name);
        b->sst_off = v;
        b->sst_alloc = alloc;
    }
    b->sst_off[b->n_sst++] = start;
    cost = b->sst.len + b->n_sst * sizeof(size_t);
    if (cost > b->lim.max_xlsx_strings) {
        nb_diag_add(b->dl, NB_XLSX_STRINGS_TOO_LARGE, loc,
                    _("the shared strings take more than the limit of %zu "
                      "bytes (%zu strings so far)"),
                    b->lim.max_xlsx_strings, b->n_sst);
        return NB_ERR_LIMIT;
    }
    return NB_OK;
}

/* One <si>: its <t> text, rich-text runs joined, phonetic runs (rPh)
 * left out. The reader is on <si>. */
static nb_status sst_item(book *b, xmlTextReaderPtr r, stream *s,
                          const nb_loc *loc)
{
    size_t start = b->sst.len;
    int depth = xmlTextReaderDepth(r);
    int rph = 0;
    bool in_t = false;
    nb_status st;

    bool empty = xmlTextReaderIsEmptyElement(r) == 1; /* <si/> */

    while (!empty && stream_next(r, s) == 1) {
        int type = xmlTextReaderNodeType(r);

        if (type == XML_READER_TYPE_ELEMENT && is_elem(r, "rPh"))
            rph += !xmlTextReaderIsEmptyElement(r);
        else if (type == XML_READER_TYPE_ELEMENT && is_elem(r, "t"))
            in_t = !xmlTextReaderIsEmptyElement(r);
        else if (type == XML_READER_TYPE_END_ELEMENT && is_elem(r, "rPh"))
            rph--;
        else if (type == XML_READER_TYPE_END_ELEMENT && is_elem(r, "t"))
            in_t = false;
        else if (type == XML_READER_TYPE_END_ELEMENT &&
                 xmlTextReaderDepth(r) == depth)
            break;
        else if (is_text(type) && in_t && rph == 0)
            nb_buf_adds(&b->sst, (const char *)xmlTextReaderConstValue(r));
        if (b->sst.len > b->lim.max_xlsx_strings)
            break;
    }
    if (s->stopped)
        return s->st;
    if (b->sst.st == NB_ERR_NOMEM)
        return nb_diag_nomem(b->dl, b->name);
    b->sst.len = start + unescape_text(b->sst.data != NULL
                                           ? b->sst.data + start
                                           : (char *)"",
                                       b->sst.len - start);
    nb_buf_addc(&b->sst, '\0');
    st = sst_push(b, start, loc);
    if (st == NB_OK && b->sst.st != NB_OK)
        st = b->sst.st == NB_ERR_NOMEM ? nb_diag_nomem(b->dl, b->name)
                                       : NB_ERR_LIMIT;
    if (st == NB_ERR_LIMIT && b->sst.st != NB_OK)
        nb_diag_add(b->dl, NB_XLSX_STRINGS_TOO_LARGE, loc,
                    _("the shared strings take more than the limit of %zu "
                      "bytes"),
                    b->lim.max_xlsx_strings);
    return st;
}

static nb_status read_sst(book *b, const char *part)
{
    xmlTextReaderPtr r = NULL;
    stream s;
    nb_loc loc = part_at(b, part);
    nb_status st;
    int rc;

    nb_buf_init(&b->sst, b->lim.max_xlsx_strings);
    st = stream_open(&r, &s, b, part, b->lim.max_part_bytes +
                                           b->lim.max_xlsx_strings,
                     NB_XLSX_STRINGS_TOO_LARGE);
    while (st == NB_OK && (rc = stream_next(r, &s)) == 1) {
        if (xmlTextReaderNodeType(r) == XML_READER_TYPE_ELEMENT &&
            is_elem(r, "si"))
            st = sst_item(b, r, &s, &loc);
    }
    if (st == NB_OK && s.stopped)
        st = s.st;
    stream_close_all(r, &s);
    return st;
}

/* ==== Styles: which numbers are percents and dates ==== */

/* What a number format code shows: a % outside quotes makes a percent;
 * y, m, d, h or s outside quotes and [colour] brackets a date. */
static numkind classify_code(const char *code)
{
    bool date = false;
    const char *p;

    for (p = code; *p != '\0'; p++) {
        switch (*p) {
        case '"':
            p = strchr(p + 1, '"');
            if (p == NULL)
                return date ? K_DATE : K_NUMBER;
            break;
        case '\\':
        case '_':
        case '*':
            if (p[1] != '\0')
                p++;
            break;
        case '[':
            /* [Red], [$-804]: not digits; [h] [mm] [ss]: elapsed time */
            if (strchr("hHmMsS", p[1]) != NULL)
                date = true;
            p = strchr(p, ']');
            if (p == NULL)
                return date ? K_DATE : K_NUMBER;
            break;
        case '%':
            return K_PERCENT;
        default:
            if (strchr("yYmMdDhHsS", *p) != NULL)
                date = true;
            /* "General" holds none of these letters; "@" is text */
        }
    }
    return date ? K_DATE : K_NUMBER;
}

/* Built-in formats (ECMA-376 18.8.30), with the ones Chinese Excel adds
 * (27-36, 50-58: dates in 年 月 日). */
static numkind builtin_kind(long id)
{
    if (id == 9 || id == 10)
        return K_PERCENT;
    if ((id >= 14 && id <= 22) || (id >= 27 && id <= 36) ||
        (id >= 45 && id <= 47) || (id >= 50 && id <= 58))
        return K_DATE;
    return K_NUMBER;
}

static numkind format_kind(xmlNode *fmts, long id)
{
    xmlNode *n;

    for (n = fmts != NULL ? fmts->children : NULL; n != NULL; n = n->next) {
        xmlChar *v;
        xmlChar *code;
        numkind k;

        if (!nb_xml_is(n, NULL, "numFmt"))
            continue;
        v = xmlGetProp(n, (const xmlChar *)"numFmtId");
        if (v == NULL || strtol((const char *)v, NULL, 10) != id) {
            xmlFree(v);
            continue;
        }
        xmlFree(v);
        code = xmlGetProp(n, (const xmlChar *)"formatCode");
        k = code != NULL ? classify_code((const char *)code) : K_NUMBER;
        xmlFree(code);
        return k;
    }
    return builtin_kind(id);
}

static nb_status read_styles(book *b, const char *part)
{
    xmlDocPtr doc = NULL;
    xmlNode *root;
    xmlNode *xfs;
    xmlNode *fmts;
    xmlNode *n;
    size_t i = 0;
    nb_status st = part_dom(&doc, b, part);

    if (st != NB_OK || doc == NULL)
        return st;
    root = xmlDocGetRootElement(doc);
    xfs = child(root, "cellXfs");
    fmts = child(root, "numFmts");
    for (n = xfs != NULL ? xfs->children : NULL; n != NULL; n = n->next)
        b->n_xf += nb_xml_is(n, NULL, "xf");
    b->xf = calloc(b->n_xf + 1, 1);
    if (b->xf == NULL) {
        xmlFreeDoc(doc);
        return nb_diag_nomem(b->dl, b->name);
    }
    for (n = xfs != NULL ? xfs->children : NULL; n != NULL; n = n->next) {
        xmlChar *v;

        if (!nb_xml_is(n, NULL, "xf"))
            continue;
        v = xmlGetProp(n, (const xmlChar *)"numFmtId");
        b->xf[i++] = (unsigned char)(v != NULL ? format_kind(
                                                     fmts, strtol((const char *)v,
                                                                  NULL, 10))
                                               : K_NUMBER);
        xmlFree(v);
    }
    xmlFreeDoc(doc);
    return NB_OK;
}

/* ==== Cell values ==== */

/* A serial day number as YYYY-MM-DD: day 1 is 1900-01-01 in the 1900
 * system, which counts Lotus's 1900-02-29 (day 60); day 0 is 1904-01-01
 * in the 1904 system. False outside 1900-9999. */
static bool serial_date(char *out, size_t size, double serial, bool d1904)
{
    long days;
    long z;
    long era;
    long doe;
    long yoe;
    long y;
    long doy;
    long mp;
    long d;
    long m;

    if (serial < 0 || serial > 2958465.0)
        return false;
    days = (long)serial;
    if (d1904)
        days += 1462; /* 1904-01-01 is day 1462 of the 1900 system */
    if (!d1904 && days < 61) {
        if (days == 60 || days < 1)
            return false; /* 1900-02-29 never was */
        days += 1;
    }
    /* days since 1899-12-30, to a civil date (H. Hinnant's algorithm) */
    z = days - 25569 + 719468; /* 25569: 1970-01-01 */
    era = z / 146097;
    doe = z - era * 146097;
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    y = yoe + era * 400;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    d = doy - (153 * mp + 2) / 5 + 1;
    m = mp < 10 ? mp + 3 : mp - 9;
    y += m <= 2;
    return (size_t)snprintf(out, size, "%04ld-%02ld-%02ld", y, m, d) < size;
}

/* True when 'v' is already what "%.15g" would print: a plain decimal of
 * at most 15 significant digits, without leading or trailing zeros, not
 * below 1e-4 (Excel writes most numbers so; this skips strtod and
 * printf, the most of a large sheet's time). */
static bool plain_decimal(const char *v)
{
    const char *p = v + (v[0] == '-');
    const char *dot = NULL;
    size_t digits = 0;
    size_t lead = 0;

    if (*p == '0' && p[1] != '.' && p[1] != '\0')
        return false;
    for (; *p != '\0'; p++) {
        if (*p == '.' && dot == NULL) {
            dot = p;
        } else if (*p >= '0' && *p <= '9') {
            if (digits == 0 && *p == '0')
                lead++;
            else
                digits++;
        } else {
            return false;
        }
    }
    if (digits == 0 || digits > 15 || (dot != NULL && p[-1] == '0') ||
        (dot != NULL && p[-1] == '.'))
        return false;
    return dot == NULL || lead <= 4; /* "0.0001" prints as is, 1e-05 not */
}

/* A number cell as Excel shows it. False when 'v' is not a number. */
static bool number_text(char *out, size_t size, const char *v, numkind k,
                        bool d1904)
{
    char *end;
    double x;

    if (v[0] == '\0')
        return false;
    if (k == K_NUMBER && plain_decimal(v) && strlen(v) < size) {
        memcpy(out, v, strlen(v) + 1);
        return true;
    }
    x = strtod(v, &end);
    if (*end != '\0' || x != x)
        return false;
    if (k == K_DATE && serial_date(out, size, x, d1904))
        return true;
    if (k == K_PERCENT)
        x *= 100;
    snprintf(out, size, "%.15g", x);
    return true;
}

/* ==== Sheets: rows for the form reader ==== */

typedef enum ctype { T_NUMBER, T_SHARED, T_STR, T_INLINE, T_BOOL, T_ERROR,
                     T_DATE } ctype;

typedef struct rowbuf {
    sheet *sh;
    nb_buf text;     /* the row's cells, each NUL-terminated */
    size_t *off;     /* per column: offset in text, or (size_t)-1 */
    size_t *lens;
    bool *bad;
    const char **cells;
    size_t n;        /* columns with a value: 1 + the last */
    size_t alloc;
    uint32_t row;    /* Excel's row number */
    /* the cell being read */
    size_t col;
    ctype t;
    unsigned style;
    bool has_v;
    bool has_f;
    bool in_v;
    bool in_t;
    int rph;
    nb_buf val; /* its <v> or inline text */
    char ref[24];
} rowbuf;

static nb_loc cell_loc(rowbuf *rb)
{
    nb_loc loc = {rb->sh->path, rb->row, (uint32_t)rb->col + 1, rb->ref};

    rb->ref[0] = '!';
    nb_cell_ref(rb->ref + 1, sizeof(rb->ref) - 1, rb->col, rb->row);
    return loc;
}

/* "C14" -> column 2 (0-based); false when it is not a cell reference. */
static bool parse_ref(const char *s, size_t *col, uint32_t *row)
{
    size_t c = 0;
    unsigned long r = 0;
    int letters = 0;

    for (; *s >= 'A' && *s <= 'Z'; s++) {
        if (++letters > 3)
            return false;
        c = c * 26 + (size_t)(*s - 'A' + 1);
    }
    for (; *s >= '0' && *s <= '9'; s++) {
        r = r * 10 + (unsigned long)(*s - '0');
        if (r > 1048576)
            return false;
    }
    if (*s != '\0' || letters == 0 || c == 0)
        return false;
    *col = c - 1;
    if (r > 0)
        *row = (uint32_t)r;
    return true;
}

static nb_status row_grow(rowbuf *rb, size_t n)
{
    size_t alloc = rb->alloc == 0 ? 16 : rb->alloc;
    size_t i;

    while (alloc < n)
        alloc *= 2;
    if (alloc == rb->alloc)
        return NB_OK;
    rb->off = realloc(rb->off, alloc * sizeof(*rb->off));
    if (rb->off != NULL)
        rb->lens = realloc(rb->lens, alloc * sizeof(*rb->lens));
    if (rb->off != NULL && rb->lens != NULL)
        rb->bad = realloc(rb->bad, alloc * sizeof(*rb->bad));
    if (rb->off != NULL && rb->lens != NULL && rb->bad != NULL)
        rb->cells = realloc(rb->cells, alloc * sizeof(*rb->cells));
    if (rb->off == NULL || rb->lens == NULL || rb->bad == NULL ||
        rb->cells == NULL)
        return nb_diag_nomem(rb->sh->b->dl, rb->sh->b->name);
    for (i = rb->alloc; i < alloc; i++)
        rb->off[i] = (size_t)-1;
    rb->alloc = alloc;
    return NB_OK;
}

/* The value of the cell just read, as text, into rb->val; false when the
 * cell is reported (an error value, a formula with no value …). */
static bool cell_value(rowbuf *rb, char *num, size_t size)
{
    book *b = rb->sh->b;
    const char *v = rb->val.data != NULL ? rb->val.data : "";
    nb_loc loc;
    unsigned long idx;
    char *end;

    /* no <v>, or an empty one where a string result is not meant (what
     * openpyxl and other writers leave when nothing computed it) */
    if (rb->has_f && rb->t != T_INLINE &&
        (!rb->has_v || (rb->val.len == 0 && rb->t != T_STR))) {
        loc = cell_loc(rb);
        nb_diag_add(b->dl, NB_XLSX_FORMULA_NO_VALUE, &loc, "%s",
                    _("the formula has no saved value: open the workbook in "
                      "Excel, WPS or Calc and save it, or type the figure"));
        return false;
    }
    switch (rb->t) {
    case T_SHARED:
        idx = strtoul(v, &end, 10);
        if (*end != '\0' || end == v || idx >= b->n_sst) {
            loc = cell_loc(rb);
            nb_diag_add(b->dl, NB_XLSX_BAD_CELL, &loc,
                        _("the cell names shared string '%s', which the "
                          "workbook does not have"),
                        v);
            return false;
        }
        nb_buf_reset(&rb->val);
        nb_buf_adds(&rb->val, b->sst.data + b->sst_off[idx]);
        return true;
    case T_BOOL:
        snprintf(num, size, "%s", strcmp(v, "1") == 0 ? "TRUE" : "FALSE");
        break;
    case T_ERROR:
        loc = cell_loc(rb);
        nb_diag_add(b->dl, NB_XLSX_CELL_ERROR, &loc,
                    _("the cell shows the error '%s': fix its formula, or "
                      "type the figure"),
                    v);
        return false;
    case T_DATE:
        snprintf(num, size, "%.10s", v); /* ISO 8601: its date */
        break;
    case T_NUMBER:
        if (rb->val.len == 0)
            return true;
        if (!number_text(num, size, v,
                         rb->style < b->n_xf ? (numkind)b->xf[rb->style]
                                             : K_NUMBER,
                         b->date1904)) {
            loc = cell_loc(rb);
            nb_diag_add(b->dl, NB_XLSX_BAD_CELL, &loc,
                        _("the cell is marked as a number but holds '%.40s'"),
                        v);
            return false;
        }
        break;
    case T_STR:
    case T_INLINE:
        rb->val.len = unescape_text(rb->val.data != NULL ? rb->val.data
                                                         : (char *)"",
                                    rb->val.len);
        return true;
    }
    nb_buf_reset(&rb->val);
    nb_buf_adds(&rb->val, num);
    return true;
}

/* A control character other than tab and line break: a report cannot
 * carry it (the CSV reader's rule). */
static bool has_control(const char *s, size_t len, unsigned *c)
{
    size_t i;

    for (i = 0; i < len; i++)
        if ((unsigned char)s[i] < 0x20 && s[i] != '\t' && s[i] != '\n') {
            *c = (unsigned char)s[i];
            return true;
        }
    return false;
}

/* The cell just read goes into the row. */
static nb_status cell_end(rowbuf *rb)
{
    book *b = rb->sh->b;
    char num[64];
    bool ok = cell_value(rb, num, sizeof(num));
    const char *s = rb->val.data != NULL ? rb->val.data : "";
    size_t len = ok ? rb->val.len : 0;
    unsigned ctl = 0;
    nb_loc loc;
    nb_status st;

    if (rb->val.st == NB_ERR_NOMEM)
        return nb_diag_nomem(b->dl, b->name);
    nb_trim(&s, &len);
    if (ok && len == 0 && rb->val.st == NB_OK)
        return NB_OK; /* an empty cell: as if absent */
    loc = cell_loc(rb);
    if (rb->col >= b->lim.max_row_cells) {
        nb_diag_add(b->dl, NB_XLSX_TOO_MANY_CELLS, &loc,
                    _("the row has a value in column %zu, past the limit of "
                      "%zu columns"),
                    rb->col + 1, b->lim.max_row_cells);
        return NB_ERR_LIMIT;
    }
    if (len > b->lim.max_cell_bytes || rb->val.st == NB_ERR_LIMIT) {
        nb_diag_add(b->dl, NB_XLSX_CELL_TOO_LARGE, &loc,
                    _("the cell holds more than the limit of %zu bytes"),
                    b->lim.max_cell_bytes);
        return NB_ERR_LIMIT;
    }
    if (ok && has_control(s, len, &ctl)) {
        nb_diag_add(b->dl, NB_XLSX_BAD_CELL, &loc,
                    _("the cell holds the control character U+%04X, which "
                      "a report cannot carry: delete it"),
                    ctl);
        ok = false;
    }
    st = row_grow(rb, rb->col + 1);
    if (st != NB_OK)
        return st;
    rb->off[rb->col] = rb->text.len;
    rb->lens[rb->col] = ok ? len : 0;
    rb->bad[rb->col] = !ok;
    nb_buf_add(&rb->text, s, ok ? len : 0);
    nb_buf_addc(&rb->text, '\0');
    if (rb->col + 1 > rb->n)
        rb->n = rb->col + 1;
    return rb->text.st == NB_OK ? NB_OK : nb_diag_nomem(b->dl, b->name);
}

/* The row read goes to the form reader; false when it says stop. */
static bool row_end(rowbuf *rb, nb_csv_row_fn fn, void *payload)
{
    nb_csv_row row;
    size_t i;
    bool go = true;

    if (rb->n > 0) {
        for (i = 0; i < rb->n; i++) {
            if (rb->off[i] == (size_t)-1) {
                rb->cells[i] = "";
                rb->lens[i] = 0;
                rb->bad[i] = false;
            } else {
                rb->cells[i] = rb->text.data + rb->off[i];
            }
        }
        row.row = rb->row;
        row.n = rb->n;
        row.cells = rb->cells;
        row.lens = rb->lens;
        row.bad = rb->bad;
        go = fn(&row, payload);
        for (i = 0; i < rb->n; i++)
            rb->off[i] = (size_t)-1;
    }
    rb->n = 0;
    nb_buf_reset(&rb->text);
    return go;
}

/* <c r="C14" t="s" s="3">: where and what the cell is. */
static nb_status cell_start(rowbuf *rb, xmlTextReaderPtr r)
{
    const char *t = NULL;
    bool had_ref = false;

    rb->t = T_NUMBER;
    rb->style = 0;
    rb->has_v = rb->has_f = rb->in_v = rb->in_t = false;
    rb->rph = 0;
    nb_buf_reset(&rb->val);
    while (xmlTextReaderMoveToNextAttribute(r) == 1) {
        const char *name = (const char *)xmlTextReaderConstLocalName(r);
        const char *v = (const char *)xmlTextReaderConstValue(r);

        if (strcmp(name, "r") == 0) {
            uint32_t row = rb->row;

            had_ref = parse_ref(v, &rb->col, &row);
        } else if (strcmp(name, "t") == 0) {
            t = v;
            rb->t = strcmp(v, "s") == 0           ? T_SHARED
                    : strcmp(v, "str") == 0       ? T_STR
                    : strcmp(v, "inlineStr") == 0 ? T_INLINE
                    : strcmp(v, "b") == 0         ? T_BOOL
                    : strcmp(v, "e") == 0         ? T_ERROR
                    : strcmp(v, "d") == 0         ? T_DATE
                                                  : T_NUMBER;
        } else if (strcmp(name, "s") == 0) {
            rb->style = (unsigned)strtoul(v, NULL, 10);
        }
    }
    (void)t;
    xmlTextReaderMoveToElement(r);
    if (!had_ref)
        rb->col = rb->n; /* no reference: the next column (ECMA-376 allows) */
    return NB_OK;
}

/* <row r="14">: its number; rows without one follow the last. */
static void row_start(rowbuf *rb, xmlTextReaderPtr r)
{
    xmlChar *v = xmlTextReaderGetAttribute(r, (const xmlChar *)"r");
    unsigned long n = v != NULL ? strtoul((const char *)v, NULL, 10) : 0;

    rb->row = n > 0 && n <= 1048576 ? (uint32_t)n : rb->row + 1;
    xmlFree(v);
}

/* One node of sheetData. */
static nb_status sheet_node(rowbuf *rb, xmlTextReaderPtr r, nb_csv_row_fn fn,
                            void *payload, bool *stop)
{
    int type = xmlTextReaderNodeType(r);
    const char *name = (const char *)xmlTextReaderConstLocalName(r);
    bool empty = type == XML_READER_TYPE_ELEMENT &&
                 xmlTextReaderIsEmptyElement(r);

    if (type == XML_READER_TYPE_ELEMENT) {
        if (strcmp(name, "row") == 0) {
            row_start(rb, r);
        } else if (strcmp(name, "c") == 0) {
            cell_start(rb, r);
            if (empty && rb->t == T_INLINE)
                return NB_OK;
        } else if (strcmp(name, "v") == 0) {
            rb->has_v = true;
            rb->in_v = !empty;
        } else if (strcmp(name, "f") == 0) {
            rb->has_f = true;
        } else if (strcmp(name, "t") == 0) {
            rb->in_t = !empty;
            rb->has_v = true;
        } else if (strcmp(name, "rPh") == 0) {
            rb->rph += !empty;
        }
        return NB_OK;
    }
    if (is_text(type)) {
        if (rb->in_v || (rb->in_t && rb->rph == 0 && rb->t == T_INLINE))
            nb_buf_adds(&rb->val, (const char *)xmlTextReaderConstValue(r));
        return NB_OK;
    }
    if (type != XML_READER_TYPE_END_ELEMENT)
        return NB_OK;
    if (strcmp(name, "v") == 0)
        rb->in_v = false;
    else if (strcmp(name, "t") == 0)
        rb->in_t = false;
    else if (strcmp(name, "rPh") == 0)
        rb->rph--;
    else if (strcmp(name, "c") == 0)
        return cell_end(rb);
    else if (strcmp(name, "row") == 0)
        *stop = !row_end(rb, fn, payload);
    else if (strcmp(name, "sheetData") == 0)
        *stop = true;
    return NB_OK;
}

static void rowbuf_fini(rowbuf *rb)
{
    nb_buf_fini(&rb->text);
    nb_buf_fini(&rb->val);
    free(rb->off);
    free(rb->lens);
    free(rb->bad);
    free(rb->cells);
}

/* The row source of a sheet (nb_csv_opts.rows): every row with a value
 * goes to 'fn', cells empty where the sheet has none. */
static nb_status sheet_rows(void *ctx, nb_csv_row_fn fn, void *payload,
                            nb_diag_list *dl)
{
    sheet *sh = ctx;
    book *b = sh->b;
    xmlTextReaderPtr r = NULL;
    stream s;
    rowbuf rb;
    nb_status st;
    bool stop = false;
    bool empty_row;

    (void)dl;
    memset(&rb, 0, sizeof(rb));
    rb.sh = sh;
    nb_buf_init(&rb.text, (size_t)-1 / 2);
    nb_buf_init(&rb.val, b->lim.max_cell_bytes + 1);
    st = stream_open(&r, &s, b, sh->part, b->lim.max_sheet_bytes,
                     NB_XLSX_SHEET_TOO_LARGE);
    while (st == NB_OK && !stop && stream_next(r, &s) == 1) {
        empty_row = xmlTextReaderNodeType(r) == XML_READER_TYPE_ELEMENT &&
                    xmlTextReaderIsEmptyElement(r) && is_elem(r, "row");
        st = sheet_node(&rb, r, fn, payload, &stop);
        if (empty_row)
            rb.n = 0;
    }
    if (st == NB_OK && s.stopped)
        st = s.st;
    stream_close_all(r, &s);
    rowbuf_fini(&rb);
    return st;
}

/* ==== The workbook ==== */

static void book_fini(book *b)
{
    size_t i;

    for (i = 0; i < b->n_sheets; i++) {
        free(b->sheets[i].name);
        free(b->sheets[i].part);
        free(b->sheets[i].path);
    }
    nb_buf_fini(&b->sst);
    free(b->sst_off);
    free(b->xf);
    if (b->za != NULL)
        zip_discard(b->za);
}

static nb_status book_open(book *b, const char *data, size_t len)
{
    zip_error_t ze;
    zip_source_t *src;
    nb_loc loc = {b->name, 0, 0, NULL};
    zip_int64_t n;
    zip_int64_t i;

    zip_error_init(&ze);
    src = zip_source_buffer_create(data, len, 0, &ze);
    if (src != NULL) {
        b->za = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &ze);
        if (b->za == NULL)
            zip_source_free(src);
    }
    zip_error_fini(&ze);
    if (b->za == NULL) {
        nb_diag_add(b->dl, NB_XLSX_NOT_WORKBOOK, &loc, "%s",
                    _("not a workbook: the file is not a zip archive, or a "
                      "damaged one"));
        return NB_ERR_FORMAT;
    }
    n = zip_get_num_entries(b->za, 0);
    if (n < 0 || (zip_uint64_t)n > b->lim.max_zip_entries) {
        nb_diag_add(b->dl, NB_LIMIT_ZIP, &loc,
                    _("the workbook has %lld parts, more than the limit of "
                      "%zu"),
                    (long long)n, b->lim.max_zip_entries);
        return NB_ERR_LIMIT;
    }
    for (i = 0; i < n; i++) {
        const char *name = zip_get_name(b->za, (zip_uint64_t)i, 0);

        if (name != NULL && nb_has_suffix(name, "vbaProject.bin")) {
            nb_diag_add(b->dl, NB_XLSX_MACROS, &loc, "%s",
                        _("the workbook holds macros (a VBA project); "
                          "nianbao never reads them: save it as an Excel "
                          "Workbook (.xlsx)"));
            return NB_ERR_FORMAT;
        }
    }
    return NB_OK;
}

/* The sheet's form by its name: 基本信息 or meta, 正文 or narrative, 指标
 * or metrics (any case). */
static int form_of_sheet(const char *name)
{
    char file[300];

    if ((size_t)snprintf(file, sizeof(file), "%s.csv", name) >= sizeof(file))
        return -1;
    return nb_form_by_filename(file);
}

static nb_status add_sheet(book *b, xmlNode *n, xmlDocPtr rels,
                           const char *wb_part)
{
    xmlChar *name = xmlGetProp(n, (const xmlChar *)"name");
    xmlChar *id = xmlGetNsProp(n, (const xmlChar *)"id", (const xmlChar *)REL_NS);
    sheet *sh = &b->sheets[b->n_sheets];
    nb_status st = NB_OK;

    memset(sh, 0, sizeof(*sh));
    if (name != NULL && id != NULL) {
        sh->b = b;
        sh->name = strdup((const char *)name);
        sh->part = rel_target(rels, wb_part, (const char *)id, NULL);
        sh->path = nb_path_join(b->name, (const char *)name);
        sh->form = form_of_sheet((const char *)name);
        if (sh->name == NULL || sh->path == NULL)
            st = nb_diag_nomem(b->dl, b->name);
        b->n_sheets++; /* freed with the book, even when incomplete */
    }
    xmlFree(name);
    xmlFree(id);
    return st;
}

static nb_status read_workbook(book *b, const char *wb_part)
{
    xmlDocPtr doc = NULL;
    xmlDocPtr rels = NULL;
    xmlNode *root;
    xmlNode *n;
    nb_loc loc = part_at(b, wb_part);
    nb_status st = part_dom(&doc, b, wb_part);
    char *part = NULL;

    if (st == NB_OK && doc == NULL) {
        nb_diag_add(b->dl, NB_XLSX_NOT_WORKBOOK, &loc, "%s",
                    _("not a workbook: the zip has no workbook part (is it a "
                      "Word document, or a zipped folder?)"));
        st = NB_ERR_FORMAT;
    }
    if (st == NB_OK)
        st = rels_of(&rels, b, wb_part);
    if (st != NB_OK)
        goto done;
    root = xmlDocGetRootElement(doc);
    n = child(root, "workbookPr");
    b->date1904 = n != NULL && (nb_xml_token_is(n, "date1904", "1") ||
                                nb_xml_token_is(n, "date1904", "true"));
    if (child(root, "externalReferences") != NULL || external_rel(rels)) {
        nb_diag_add(b->dl, NB_XLSX_EXTERNAL_LINK, &loc, "%s",
                    _("the workbook takes values from another workbook (an "
                      "external link), which nianbao does not read: copy the "
                      "cells, paste them as values (选择性粘贴 → 数值), and "
                      "save again"));
        st = NB_ERR_FORMAT;
        goto done;
    }
    for (n = child(child(root, "sheets"), "sheet"); n != NULL && st == NB_OK;
         n = n->next)
        if (nb_xml_is(n, NULL, "sheet") && b->n_sheets < MAX_SHEETS)
            st = add_sheet(b, n, rels, wb_part);
    part = rel_target(rels, wb_part, NULL, "sharedStrings");
    if (st == NB_OK && part != NULL && part_index(b, part) >= 0)
        st = read_sst(b, part);
    free(part);
    part = rel_target(rels, wb_part, NULL, "styles");
    if (st == NB_OK && part != NULL)
        st = read_styles(b, part);
done:
    free(part);
    xmlFreeDoc(rels);
    xmlFreeDoc(doc);
    return st;
}

static nb_status book_read(book *b, const char *data, size_t len)
{
    xmlDocPtr rels = NULL;
    char *wb = NULL;
    nb_xml_scope scope;
    nb_xml_sink sink = {b->dl, b->name, NULL, NB_XLSX_MALFORMED, 0, false};
    nb_status st;

    nb_xml_scope_begin(&scope, &sink);
    st = book_open(b, data, len);
    if (st == NB_OK)
        st = part_dom(&rels, b, "_rels/.rels");
    if (st == NB_OK) {
        wb = rel_target(rels, "", NULL, "officeDocument");
        if (wb == NULL)
            wb = strdup("xl/workbook.xml");
        st = wb != NULL ? read_workbook(b, wb) : nb_diag_nomem(b->dl, b->name);
    }
    free(wb);
    xmlFreeDoc(rels);
    nb_xml_scope_end(&scope);
    return st;
}

/* ==== The workbook as a form set ==== */

/* Each form's sheet, or a finding: no form at all, a form twice. */
static void find_forms(book *b, sheet *forms[NB_N_FORMS], size_t *n_out)
{
    nb_loc loc = {b->name, 0, 0, NULL};
    size_t i;

    *n_out = 0;
    memset(forms, 0, NB_N_FORMS * sizeof(forms[0]));
    for (i = 0; i < b->n_sheets; i++) {
        sheet *sh = &b->sheets[i];

        if (sh->form < 0 || sh->part == NULL)
            continue;
        if (forms[sh->form] != NULL) {
            nb_diag_add(b->dl, NB_XLSX_SHEET_TWICE, &loc,
                        _("sheets '%s' and '%s' are the same form; keep "
                          "one"),
                        forms[sh->form]->name, sh->name);
            continue;
        }
        forms[sh->form] = sh;
        (*n_out)++;
    }
}

static nb_csv_opts sheet_opts(const book *b, sheet *sh)
{
    nb_csv_opts o;

    memset(&o, 0, sizeof(o));
    o.max_cell_bytes = b->lim.max_cell_bytes;
    o.max_cells = b->lim.max_row_cells;
    o.rows = sheet_rows;
    o.rows_ctx = sh;
    return o;
}

/* A workbook of one form: checked alone, as a CSV form given to
 * validate. */
static nb_status check_one(book *b, sheet *sh, const nb_read_opts *o)
{
    nb_csv_opts co = sheet_opts(b, sh);

    return nb_form_check(sh->path, (nb_form_id)sh->form, &co, o, b->dl);
}

static nb_status read_set(nb_report **out, book *b, sheet *forms[NB_N_FORMS],
                          const nb_read_opts *o)
{
    nb_form_files ff;
    nb_status st = NB_OK;
    int id;

    memset(&ff, 0, sizeof(ff));
    for (id = 0; id < NB_N_FORMS; id++) {
        if (forms[id] == NULL)
            continue;
        ff.path[id] = strdup(forms[id]->path);
        if (ff.path[id] == NULL) {
            st = nb_diag_nomem(b->dl, b->name);
            break;
        }
        ff.rows[id] = sheet_rows;
        ff.rows_ctx[id] = forms[id];
    }
    if (st == NB_OK)
        st = nb_form_files_read(out, &ff, b->name, o, b->dl);
    nb_form_files_fini(&ff);
    return st;
}

static void report_missing(book *b, sheet *forms[NB_N_FORMS])
{
    nb_loc loc = {b->name, 0, 0, NULL};

    if (forms[NB_FORM_META] == NULL)
        nb_diag_add(b->dl, NB_XLSX_SHEET_MISSING, &loc, "%s",
                    _("the workbook has no sheet 基本信息 (meta): the report "
                      "needs its issuer and year (nianbao init --xlsx makes "
                      "a blank workbook)"));
    if (forms[NB_FORM_NARRATIVE] == NULL)
        nb_diag_add(b->dl, NB_XLSX_SHEET_MISSING, &loc, "%s",
                    _("the workbook has no sheet 正文 (narrative): the "
                      "report needs its text (nianbao init --xlsx makes a "
                      "blank workbook)"));
}

nb_status nb_xlsx_read_memory(nb_report **out, bool *one_form_out,
                              const char *data, size_t len, const char *name,
                              const nb_read_opts *o, nb_diag_list *dl)
{
    book *b = calloc(1, sizeof(*b));
    sheet *forms[NB_N_FORMS];
    size_t n_forms = 0;
    nb_loc loc = {name, 0, 0, NULL};
    nb_status st;

    *out = NULL;
    if (one_form_out != NULL)
        *one_form_out = false;
    if (b == NULL)
        return nb_diag_nomem(dl, name);
    b->name = name;
    b->dl = dl;
    b->lim = nb_limits_resolve(o != NULL ? o->limits : NULL);
    if (nb_has_suffix(name, ".xlsm")) {
        nb_diag_add(dl, NB_XLSX_MACROS, &loc, "%s",
                    _("a macro-enabled workbook (.xlsm) is not read: save it "
                      "as an Excel Workbook (.xlsx)"));
        st = NB_ERR_FORMAT;
        goto done;
    }
    st = book_read(b, data, len);
    if (st != NB_OK)
        goto done;
    find_forms(b, forms, &n_forms);
    if (n_forms == 0) {
        nb_diag_add(dl, NB_XLSX_NO_FORMS, &loc,
                    _("no sheet is a form (the workbook has %zu sheets): "
                      "name them 基本信息, 正文 and 指标, or meta, narrative "
                      "and metrics"),
                    b->n_sheets);
    } else if (n_forms == 1 && one_form_out != NULL &&
               forms[NB_FORM_META] == NULL &&
               forms[NB_FORM_NARRATIVE] == NULL) {
        *one_form_out = true;
        st = check_one(b, forms[NB_FORM_METRICS], o);
    } else if (n_forms == 1 && one_form_out != NULL) {
        size_t id = forms[NB_FORM_META] != NULL ? NB_FORM_META
                                                : NB_FORM_NARRATIVE;

        *one_form_out = true;
        st = check_one(b, forms[id], o);
    } else if (forms[NB_FORM_META] == NULL ||
               forms[NB_FORM_NARRATIVE] == NULL) {
        report_missing(b, forms);
    } else {
        st = read_set(out, b, forms, o);
    }
done:
    book_fini(b);
    free(b);
    return st;
}

static nb_status read_path(nb_report **out, bool *one_form_out,
                           const char *path, const nb_read_opts *o,
                           nb_diag_list *dl)
{
    nb_limits lim = nb_limits_resolve(o != NULL ? o->limits : NULL);
    char *data = NULL;
    size_t len = 0;
    nb_status st;

    *out = NULL;
    if (one_form_out != NULL)
        *one_form_out = false;
    st = nb_file_read(&data, &len, path, lim.max_input_bytes, NB_LIMIT_ZIP,
                      dl);
    if (st == NB_OK)
        st = nb_xlsx_read_memory(out, one_form_out, data, len, path, o, dl);
    free(data);
    return st;
}

nb_status nb_xlsx_read_report(nb_report **out, const char *path,
                              const nb_read_opts *o, nb_diag_list *dl)
{
    bool one = false;
    nb_status st = read_path(out, &one, path, o, dl);

    if (st == NB_OK && one) {
        nb_loc loc = {path, 0, 0, NULL};

        nb_diag_add(dl, NB_FORM_NOT_FORM, &loc, "%s",
                    _("the workbook holds one form, not a whole report: a "
                      "report needs the sheets 基本信息 and 正文 (validate "
                      "checks one form on its own)"));
    }
    return st;
}

nb_status nb_workbook_read(nb_report **out, bool *one_form_out,
                           const char *path, const nb_read_opts *opts,
                           nb_diag_list *dl)
{
    bool one = false;
    nb_status st = read_path(out, &one, path, opts, dl);

    if (one_form_out != NULL)
        *one_form_out = one;
    return st;
}
