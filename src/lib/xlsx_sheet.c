/* xlsx_sheet.c: a workbook's shared strings and sheets, streamed.
 *
 * Both parts can be large (a bureau's metrics sheet runs to hundreds of
 * megabytes), so they are never held whole: the zip entry is unpacked in
 * chunks, each chunk first checked by nb_attr_scan (attribute counts,
 * and a DOCTYPE refused before libxml2 could meet an entity declaration)
 * and then fed to libxml2's SAX2 push parser, whose callbacks build one
 * row at a time for the form reader (form.c). Memory holds the
 * shared-string table and one row.
 *
 * A cell's value is what Excel shows, as the number format says: a
 * percent format's 0.985 is 98.5, a date format's serial number the date
 * (1900 or 1904 system), other numbers to 15 significant digits. Error
 * values, formulas without a saved value and control characters are
 * located findings. Element names are matched by their local name, so
 * that prefixed SpreadsheetML (<x:row>, <x:c>) reads as the plain one.
 */
#include "xlsx.h"
#include "xml_io.h"

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/SAX2.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ==== Streaming a part ==== */

#define CHUNK 65536 /* bytes unpacked and parsed at a time */

/* libxml2 2.12 made the error argument const; keep the difference here. */
#if LIBXML_VERSION >= 21200
typedef const xmlError *err_arg;
#else
typedef xmlErrorPtr err_arg;
#endif

/* What a part's reader does with its elements. 'attrs' is libxml2's
 * SAX2 array: per attribute its local name, prefix, URI, value and the
 * value's end. */
struct stream;
typedef struct handlers {
    void (*start)(struct stream *s, const char *name, int n_attrs,
                  const xmlChar **attrs);
    void (*end)(struct stream *s, const char *name);
    void (*text)(struct stream *s, const char *text, size_t len);
} handlers;

typedef struct stream {
    book *b;
    const char *part;
    nb_zip_stream *zf;
    xmlParserCtxtPtr ctxt;
    size_t read; /* bytes unpacked so far */
    size_t max;
    nb_code too_large;
    nb_attr_scan attrs;
    bool stopped; /* refused or over the limit: reported */
    bool done;    /* the handlers asked to stop */
    nb_status st; /* of a stop, either kind */
    nb_xml_sink sink;
    const handlers *h;
    void *u;
} stream;

/* The handlers stop the parse: 'st' NB_OK when they have read enough,
 * else what they reported. */
static void stream_stop(stream *s, nb_status st)
{
    if (!s->done && !s->stopped)
        s->st = st;
    s->done = true;
    xmlStopParser(s->ctxt);
}

static void stream_refuse(stream *s, nb_code code, const char *msg,
                          nb_status st)
{
    nb_loc loc = xlsx_part_at(s->b, s->part);

    if (!s->stopped)
        nb_diag_add(s->b->dl, code, &loc, "%s", msg);
    s->stopped = true;
    s->st = st;
}

static void refuse_doctype(stream *s)
{
    stream_refuse(s, NB_XLSX_MALFORMED,
                  _("DOCTYPE declarations are not allowed (no DTDs, no "
                    "entities): save the workbook again in Excel, WPS or "
                    "Calc"),
                  NB_ERR_FORMAT);
}

/* The next chunk of the part into 'buf', checked: within the size limit,
 * no DOCTYPE, no element with too many attributes. -1 when refused
 * (reported), 0 at the end. */
static int stream_read(stream *s, char *buf, size_t len)
{
    size_t got = 0;
    nb_status st = nb_zip_stream_read(s->zf, buf, len, &got);

    if (st != NB_OK) {
        /* reported, naming the part and why */
        s->stopped = true;
        s->st = st;
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
    if (!nb_attr_scan_feed(&s->attrs, buf, (size_t)got)) {
        if (s->attrs.doctype) {
            refuse_doctype(s);
            return -1;
        }
        nb_attr_scan_report(&s->attrs, s->b->name, s->part, s->b->dl);
        s->stopped = true;
        s->st = NB_ERR_LIMIT;
        return -1;
    }
    return (int)got;
}

static void sax_error(void *ctx, err_arg err)
{
    stream *s = ((xmlParserCtxtPtr)ctx)->_private;

    if (s->stopped || s->done)
        return; /* our own stop, reported */
    nb_xml_sink_error(&s->sink, (xmlErrorPtr)err);
}

static void sax_start(void *ctx, const xmlChar *local, const xmlChar *prefix,
                      const xmlChar *uri, int n_ns, const xmlChar **ns,
                      int n_attrs, int n_defaulted, const xmlChar **attrs)
{
    stream *s = ((xmlParserCtxtPtr)ctx)->_private;

    (void)prefix;
    (void)uri;
    (void)n_ns;
    (void)ns;
    (void)n_defaulted;
    if (!s->done)
        s->h->start(s, (const char *)local, n_attrs, attrs);
}

static void sax_end(void *ctx, const xmlChar *local, const xmlChar *prefix,
                    const xmlChar *uri)
{
    stream *s = ((xmlParserCtxtPtr)ctx)->_private;

    (void)prefix;
    (void)uri;
    if (!s->done)
        s->h->end(s, (const char *)local);
}

static void sax_text(void *ctx, const xmlChar *text, int len)
{
    stream *s = ((xmlParserCtxtPtr)ctx)->_private;

    if (!s->done && len > 0)
        s->h->text(s, (const char *)text, (size_t)len);
}

/* A DOCTYPE the scan let through cannot be: stop all the same. */
static void sax_subset(void *ctx, const xmlChar *name, const xmlChar *ext,
                       const xmlChar *sys)
{
    stream *s = ((xmlParserCtxtPtr)ctx)->_private;

    (void)name;
    (void)ext;
    (void)sys;
    refuse_doctype(s);
    xmlStopParser(s->ctxt);
}

/* Open 'part' for streaming, within 'max' bytes unpacked. */
static nb_status stream_open(stream *s, book *b, const char *part,
                             size_t max, nb_code too_large)
{
    long i = xlsx_part_index(b, part);
    uint64_t size;
    nb_loc loc = xlsx_part_at(b, part);
    nb_status st;

    s->b = b;
    s->part = part;
    s->max = max;
    s->too_large = too_large;
    nb_attr_scan_init(&s->attrs, &b->lim, false);
    s->attrs.no_doctype = true;
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
    st = xlsx_part_size(&size, b, i, part, max, too_large);
    if (st != NB_OK)
        return st;
    return nb_zip_stream_open(&s->zf, b->za, (size_t)i);
}

static nb_status stream_parser(stream *s)
{
    xmlSAXHandler sax;

    memset(&sax, 0, sizeof(sax));
    xmlSAXVersion(&sax, 2);
    sax.startElementNs = sax_start;
    sax.endElementNs = sax_end;
    sax.characters = sax_text;
    sax.ignorableWhitespace = sax_text;
    sax.cdataBlock = sax_text;
    sax.internalSubset = sax_subset;
    sax.externalSubset = sax_subset;
    sax.serror = sax_error;
    sax.comment = NULL;
    sax.processingInstruction = NULL;
    /* the callbacks get the parser (SAX2's own need it), the stream
       rides in its _private */
    s->ctxt = xmlCreatePushParserCtxt(&sax, NULL, NULL, 0, NULL);
    if (s->ctxt == NULL)
        return nb_diag_nomem(s->b->dl, s->b->name);
    s->ctxt->_private = s;
    xmlCtxtUseOptions(s->ctxt, XML_PARSE_NONET | XML_PARSE_BIG_LINES |
                                   (s->b->lim.xml_huge ? XML_PARSE_HUGE : 0));
    return NB_OK;
}

/* Stream 'part' through the handlers: NB_OK at its end or when they stop
 * early, else what was reported. */
static nb_status stream_part(book *b, const char *part, size_t max,
                             nb_code too_large, const handlers *h, void *u)
{
    stream s;
    char *buf = NULL;
    nb_status st;
    int n = 1;

    memset(&s, 0, sizeof(s));
    s.h = h;
    s.u = u;
    st = stream_open(&s, b, part, max, too_large);
    if (st == NB_OK)
        st = stream_parser(&s);
    if (st == NB_OK && (buf = malloc(CHUNK)) == NULL)
        st = nb_diag_nomem(b->dl, b->name);
    while (st == NB_OK && n > 0 && !s.done && !s.stopped) {
        n = stream_read(&s, buf, CHUNK);
        if (n >= 0 && xmlParseChunk(s.ctxt, buf, n, n == 0) != 0)
            break;
    }
    if (st == NB_OK && (s.stopped || s.done))
        st = s.st;
    else if (st == NB_OK && (!s.ctxt->wellFormed || s.sink.n_errors > 0)) {
        if (s.sink.n_errors == 0) {
            nb_loc loc = xlsx_part_at(b, part);

            nb_diag_add(b->dl, NB_XLSX_MALFORMED, &loc, "%s",
                        _("not well-formed XML"));
        }
        st = NB_ERR_FORMAT;
    }
    free(buf);
    if (s.ctxt != NULL) {
        xmlFreeDoc(s.ctxt->myDoc);
        xmlFreeParserCtxt(s.ctxt);
    }
    nb_zip_stream_close(s.zf);
    return st;
}

/* A copy of attribute 'a' (of libxml2's array) into 'out', NUL-ended;
 * false when it does not fit. */
static bool attr_copy(char *out, size_t size, const xmlChar **a)
{
    size_t len = (size_t)(a[4] - a[3]);

    if (len >= size)
        return false;
    memcpy(out, a[3], len);
    out[len] = '\0';
    return true;
}

static bool is(const char *name, const char *want)
{
    return strcmp(name, want) == 0;
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

/* Where the shared-string table is: in an <si>, its <t> text read,
 * rich-text runs joined, phonetic runs (rPh) left out. */
typedef struct sst_reader {
    book *b;
    nb_loc loc;
    size_t start; /* of the item in b->sst */
    int rph;
    bool in_si;
    bool in_t;
    nb_status st;
} sst_reader;

/* The <si> read ends: its text into the table. */
static nb_status sst_item_end(sst_reader *r)
{
    book *b = r->b;
    size_t start = r->start;
    nb_status st;

    r->in_si = r->in_t = false;
    if (b->sst.st == NB_ERR_NOMEM)
        return nb_diag_nomem(b->dl, b->name);
    if (b->sst.st == NB_OK)
        b->sst.len = start + unescape_text(b->sst.data != NULL
                                               ? b->sst.data + start
                                               : (char *)"",
                                           b->sst.len - start);
    nb_buf_addc(&b->sst, '\0');
    st = sst_push(b, start, &r->loc);
    if (st == NB_OK && b->sst.st != NB_OK)
        st = b->sst.st == NB_ERR_NOMEM ? nb_diag_nomem(b->dl, b->name)
                                       : NB_ERR_LIMIT;
    if (st == NB_ERR_LIMIT && b->sst.st != NB_OK)
        nb_diag_add(b->dl, NB_XLSX_STRINGS_TOO_LARGE, &r->loc,
                    _("the shared strings take more than the limit of %zu "
                      "bytes"),
                    b->lim.max_xlsx_strings);
    return st;
}

static void sst_start(stream *s, const char *name, int n_attrs,
                      const xmlChar **attrs)
{
    sst_reader *r = s->u;

    (void)n_attrs;
    (void)attrs;
    if (is(name, "si")) {
        r->in_si = true;
        r->in_t = false;
        r->rph = 0;
        r->start = r->b->sst.len;
    } else if (is(name, "t")) {
        r->in_t = r->in_si;
    } else if (is(name, "rPh")) {
        r->rph++;
    }
}

static void sst_end(stream *s, const char *name)
{
    sst_reader *r = s->u;
    nb_status st;

    if (is(name, "t")) {
        r->in_t = false;
    } else if (is(name, "rPh")) {
        r->rph--;
    } else if (is(name, "si") && r->in_si) {
        st = sst_item_end(r);
        if (st != NB_OK)
            stream_stop(s, st);
    }
}

static void sst_text(stream *s, const char *text, size_t len)
{
    sst_reader *r = s->u;

    if (!r->in_si || !r->in_t || r->rph != 0)
        return;
    nb_buf_add(&r->b->sst, text, len);
    if (r->b->sst.st != NB_OK) /* over the limit: the item ends here */
        stream_stop(s, sst_item_end(r));
}

static const handlers sst_handlers = {sst_start, sst_end, sst_text};

nb_status xlsx_read_sst(book *b, const char *part)
{
    sst_reader r;

    memset(&r, 0, sizeof(r));
    r.b = b;
    r.loc = xlsx_part_at(b, part);
    nb_buf_init(&b->sst, b->lim.max_xlsx_strings);
    return stream_part(b, part, b->lim.max_part_bytes + b->lim.max_xlsx_strings,
                       NB_XLSX_STRINGS_TOO_LARGE, &sst_handlers, &r);
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
    nb_csv_row_fn fn; /* the form reader's */
    void *payload;
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
    bool in_c;
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
    if (rb->col >= b->lim.max_row_cells) {
        loc = cell_loc(rb);
        nb_diag_add(b->dl, NB_XLSX_TOO_MANY_CELLS, &loc,
                    _("the row has a value in column %zu, past the limit of "
                      "%zu columns"),
                    rb->col + 1, b->lim.max_row_cells);
        return NB_ERR_LIMIT;
    }
    if (len > b->lim.max_cell_bytes || rb->val.st == NB_ERR_LIMIT) {
        loc = cell_loc(rb);
        nb_diag_add(b->dl, NB_XLSX_CELL_TOO_LARGE, &loc,
                    _("the cell holds more than the limit of %zu bytes"),
                    b->lim.max_cell_bytes);
        return NB_ERR_LIMIT;
    }
    if (ok && has_control(s, len, &ctl)) {
        loc = cell_loc(rb);
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
static void cell_start(rowbuf *rb, int n_attrs, const xmlChar **a)
{
    bool had_ref = false;
    char v[16];
    int i;

    rb->t = T_NUMBER;
    rb->style = 0;
    rb->has_v = rb->has_f = rb->in_v = rb->in_t = false;
    rb->rph = 0;
    nb_buf_reset(&rb->val);
    for (i = 0; i < n_attrs; i++, a += 5) {
        const char *name = (const char *)a[0];
        bool fits = attr_copy(v, sizeof(v), a);

        if (is(name, "r")) {
            uint32_t row = rb->row;

            had_ref = fits && parse_ref(v, &rb->col, &row);
        } else if (is(name, "t") && fits) {
            rb->t = is(v, "s")           ? T_SHARED
                    : is(v, "str")       ? T_STR
                    : is(v, "inlineStr") ? T_INLINE
                    : is(v, "b")         ? T_BOOL
                    : is(v, "e")         ? T_ERROR
                    : is(v, "d")         ? T_DATE
                                         : T_NUMBER;
        } else if (is(name, "s")) {
            rb->style = fits ? (unsigned)strtoul(v, NULL, 10) : UINT_MAX;
        }
    }
    if (!had_ref)
        rb->col = rb->n; /* no reference: the next column (ECMA-376 allows) */
    rb->in_c = true;
}

/* <row r="14">: its number; rows without one follow the last. */
static void row_start(rowbuf *rb, int n_attrs, const xmlChar **a)
{
    unsigned long n = 0;
    char v[16];
    int i;

    for (i = 0; i < n_attrs; i++, a += 5)
        if (is((const char *)a[0], "r") && attr_copy(v, sizeof(v), a))
            n = strtoul(v, NULL, 10);
    rb->row = n > 0 && n <= 1048576 ? (uint32_t)n : rb->row + 1;
}

static void sheet_start(stream *s, const char *name, int n_attrs,
                        const xmlChar **attrs)
{
    rowbuf *rb = s->u;

    switch (name[0]) {
    case 'c':
        if (name[1] == '\0')
            cell_start(rb, n_attrs, attrs);
        break;
    case 'v':
        if (name[1] == '\0')
            rb->has_v = rb->in_v = true;
        break;
    case 'r':
        if (is(name, "row"))
            row_start(rb, n_attrs, attrs);
        else if (is(name, "rPh"))
            rb->rph++;
        break;
    case 'f':
        rb->has_f |= name[1] == '\0';
        break;
    case 't':
        if (name[1] == '\0')
            rb->has_v = rb->in_t = true;
        break;
    default:
        break;
    }
}

static void sheet_end(stream *s, const char *name)
{
    rowbuf *rb = s->u;
    nb_status st;

    if (is(name, "v")) {
        rb->in_v = false;
    } else if (is(name, "t")) {
        rb->in_t = false;
    } else if (is(name, "rPh")) {
        rb->rph--;
    } else if (is(name, "c") && rb->in_c) {
        rb->in_c = false;
        if (!rb->has_v && !rb->has_f)
            return; /* <c r="A1" s="3"/>: a blank with a style */
        st = cell_end(rb);
        if (st != NB_OK)
            stream_stop(s, st);
    } else if (is(name, "row")) {
        if (!row_end(rb, rb->fn, rb->payload))
            stream_stop(s, NB_OK);
    } else if (is(name, "sheetData")) {
        stream_stop(s, NB_OK);
    }
}

static void sheet_text(stream *s, const char *text, size_t len)
{
    rowbuf *rb = s->u;

    if (rb->in_v || (rb->in_t && rb->rph == 0 && rb->t == T_INLINE))
        nb_buf_add(&rb->val, text, len);
}

static const handlers sheet_handlers = {sheet_start, sheet_end, sheet_text};

static void rowbuf_fini(rowbuf *rb)
{
    nb_buf_fini(&rb->text);
    nb_buf_fini(&rb->val);
    free(rb->off);
    free(rb->lens);
    free(rb->bad);
    free(rb->cells);
}

nb_status xlsx_sheet_rows(void *ctx, nb_csv_row_fn fn, void *payload,
                          nb_diag_list *dl)
{
    sheet *sh = ctx;
    book *b = sh->b;
    rowbuf rb;
    nb_status st;

    (void)dl;
    memset(&rb, 0, sizeof(rb));
    rb.sh = sh;
    rb.fn = fn;
    rb.payload = payload;
    nb_buf_init(&rb.text, (size_t)-1 / 2);
    nb_buf_init(&rb.val, b->lim.max_cell_bytes + 1);
    st = stream_part(b, sh->part, b->lim.max_sheet_bytes,
                     NB_XLSX_SHEET_TOO_LARGE, &sheet_handlers, &rb);
    rowbuf_fini(&rb);
    return st;
}
