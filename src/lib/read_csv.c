/* read_csv.c: CSV files as offices save them from Excel and WPS, read one
 * row at a time (csv_io.h).
 *
 * Chinese Windows saves "CSV" in GB18030 (GBK), "CSV UTF-8" with a BOM,
 * both with CRLF line ends and quoted multi-line cells. The encoding is
 * taken from a BOM, else from the first block of the file (valid UTF-8,
 * else valid GB18030), unless the caller names it. libcsv tokenizes the
 * raw bytes; each cell is then decoded, so an undecodable byte is reported
 * at its row and column and never guessed. Memory holds one row. The
 * bytes come from a file, or from a buffer for a form inside a zip.
 */
#include "csv_io.h"

#include <csv.h>
#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define BLOCK (1u << 20) /* bytes read at a time */
#define PIECE (1u << 16) /* bytes handed to libcsv at a time */
#define ROW_NOT_BEGUN 0  /* libcsv's csv_parser.pstate between rows */
#define FIELD_BEGUN 2    /* and inside a cell (libcsv 3.0 csv.c) */
/* strict: a stray quote is an error, not the start of a cell that eats
 * the rest of the file; REPALL_NL: blank lines are (empty) rows */
#define PARSER_OPTIONS                                                         \
    (CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL | CSV_REPALL_NL)

/* ==== UTF-8 ==== */

bool nb_utf8_valid(const char *str, size_t len, size_t *bad_out)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;

    while (i < len) {
        unsigned char c = s[i];
        size_t n;
        uint32_t cp;
        size_t k;

        if (c < 0x80) {
            /* ASCII runs, eight bytes at a time */
            while (i + 8 <= len) {
                uint64_t w;

                memcpy(&w, s + i, 8);
                if ((w & 0x8080808080808080ull) != 0)
                    break;
                i += 8;
            }
            while (i < len && s[i] < 0x80)
                i++;
            continue;
        }
        if (c >= 0xC2 && c <= 0xDF) {
            n = 1;
            cp = c & 0x1F;
        } else if (c >= 0xE0 && c <= 0xEF) {
            n = 2;
            cp = c & 0x0F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            n = 3;
            cp = c & 0x07;
        } else {
            goto bad;
        }
        if (len - i <= n)
            goto bad;
        for (k = 1; k <= n; k++) {
            if ((s[i + k] & 0xC0) != 0x80)
                goto bad;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
            cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            goto bad;
        i += n + 1;
    }
    return true;
bad:
    if (bad_out != NULL)
        *bad_out = i;
    return false;
}

/* The length of the UTF-8 sequence a lead byte starts; 0 if none. */
static size_t utf8_seq_len(unsigned char c)
{
    return c >= 0xC2 && c <= 0xDF   ? 2
           : c >= 0xE0 && c <= 0xEF ? 3
           : c >= 0xF0 && c <= 0xF4 ? 4
                                    : 0;
}

/* The n-byte sequence at s (n from utf8_seq_len) is well-formed: its
 * continuation bytes, and the second byte's range for E0, ED, F0, F4
 * (no overlongs, surrogates or code points past U+10FFFF; RFC 3629). */
static inline bool utf8_seq_ok(const unsigned char *s, size_t n)
{
    unsigned char lo = 0x80;
    unsigned char hi = 0xBF;
    size_t k;

    if (s[0] == 0xE0)
        lo = 0xA0;
    else if (s[0] == 0xED)
        hi = 0x9F;
    else if (s[0] == 0xF0)
        lo = 0x90;
    else if (s[0] == 0xF4)
        hi = 0x8F;
    if (s[1] < lo || s[1] > hi)
        return false;
    for (k = 2; k < n; k++)
        if ((s[k] & 0xC0) != 0x80)
            return false;
    return true;
}

/* ==== The reader ==== */

typedef struct reader {
    struct csv_parser p;
    const char *path;
    nb_diag_list *dl;
    nb_encoding enc;
    bool enc_forced;
    iconv_t cd;   /* GB18030 -> UTF-8, or (iconv_t)-1 */
    nb_buf cells; /* the row's decoded cells, NUL-separated */
    size_t *offs; /* cell i starts at cells.data + offs[i] */
    size_t *lens; /* and is lens[i] bytes */
    bool *bad;    /* cell i had bytes already reported */
    const char **ptrs;
    size_t n;     /* cells in the row so far */
    size_t alloc; /* room in offs/lens/bad/ptrs */
    size_t max_cells;
    size_t max_cell;
    uint32_t row;     /* Excel row number of the record being read */
    bool lf_after_cr; /* the LF ending the segment being read closes a CRLF */
    char prev_byte;   /* the last byte of the segment before */
    size_t row_bytes; /* the cells read in place so far, with their NULs */
    bool skip_line;   /* a malformed row: skip to the end of its line */
    char *line;       /* a GB18030 line decoded whole (fast_line) */
    size_t line_len;
    size_t line_cap;
    char **header; /* the header's cells, for column names */
    size_t n_header;
    bool have_header;
    size_t n_reported; /* decoding errors reported */
    nb_csv_row_fn fn;
    void *payload;
    nb_status st; /* NB_OK, or why reading stopped */
    bool stop;
} reader;

static nb_loc row_loc(const reader *r)
{
    nb_loc loc = {r->path, r->row, 0, NULL};

    return loc;
}

const char *nb_csv_column_name(char *buf, size_t size, const nb_csv_row *hdr,
                               size_t col)
{
    if (hdr != NULL && col < hdr->n && hdr->lens[col] > 0)
        snprintf(buf, size, "%s", hdr->cells[col]);
    else
        snprintf(buf, size, _("column %zu"), col + 1);
    return buf;
}

static const char *col_name(const reader *r, char *buf, size_t size, size_t col)
{
    if (r->have_header && col < r->n_header && r->header[col][0] != '\0')
        snprintf(buf, size, "%s", r->header[col]);
    else
        snprintf(buf, size, _("column %zu"), col + 1);
    return buf;
}

static bool grow_cells(reader *r)
{
    size_t alloc = r->alloc == 0 ? 16 : r->alloc * 2;
    size_t *offs;
    size_t *lens;
    bool *bad;
    const char **ptrs;

    offs = realloc(r->offs, alloc * sizeof(*offs));
    if (offs == NULL)
        return false;
    r->offs = offs;
    lens = realloc(r->lens, alloc * sizeof(*lens));
    if (lens == NULL)
        return false;
    r->lens = lens;
    bad = realloc(r->bad, alloc * sizeof(*bad));
    if (bad == NULL)
        return false;
    r->bad = bad;
    ptrs = realloc(r->ptrs, alloc * sizeof(*ptrs));
    if (ptrs == NULL)
        return false;
    r->ptrs = ptrs;
    r->alloc = alloc;
    return true;
}

static void fail(reader *r, nb_status st)
{
    if (r->st == NB_OK)
        r->st = st;
    r->stop = true;
}

/* Report a byte the cell's encoding cannot decode, at most a few per file
 * (one bad file should not bury the other findings). */
static void report_bad_bytes(reader *r, size_t col, const unsigned char *s,
                             size_t len, size_t off)
{
    char name[128];
    nb_loc loc = row_loc(r);

    r->n_reported++;
    if (r->n_reported > 20)
        return;
    col_name(r, name, sizeof(name), col);
    if (r->enc == NB_ENC_UTF8)
        nb_diag_add(r->dl, NB_CSV_ENCODING, &loc,
                    _("%s: byte 0x%02X at byte %zu of the cell is not "
                      "UTF-8%s"),
                    name, s[off], off + 1,
                    r->enc_forced ? ""
                                  : _(" (the file was read as UTF-8; if it "
                                      "was saved as GB18030/GBK, use "
                                      "--encoding=gb18030)"));
    else
        nb_diag_add(r->dl, NB_CSV_ENCODING, &loc,
                    _("%s: byte 0x%02X at byte %zu of the cell is not "
                      "GB18030%s"),
                    name, s[off], off + 1,
                    r->enc_forced ? ""
                                  : _(" (the file was read as GB18030; if "
                                      "it was saved as UTF-8, use "
                                      "--encoding=utf-8)"));
    (void)len;
}

static void report_control(reader *r, size_t col, unsigned char c, size_t off);

/* Characters XML 1.0 cannot carry (C0 controls but TAB and LF) are
 * reported, never passed on: the report would lose them silently. */
static void check_controls(reader *r, size_t col, const char *s, size_t len)
{
    size_t i;

    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];

        if (c < 0x20 && c != '\t' && c != '\n') {
            report_control(r, col, c, i);
            return;
        }
    }
}

/* CRLF and lone CR made LF in place; returns the new length. */
static size_t newlines_in_place(char *s, size_t len)
{
    size_t i;
    size_t o = 0;

    for (i = 0; i < len; i++) {
        if (s[i] != '\r') {
            s[o++] = s[i];
            continue;
        }
        s[o++] = '\n';
        if (i + 1 < len && s[i + 1] == '\n')
            i++;
    }
    return o;
}

static void decode_gb18030(reader *r, size_t col, const char *s, size_t len)
{
    size_t start = r->cells.len;
    char *in = (char *)s;
    size_t in_left = len;
    char out[4096];

    iconv(r->cd, NULL, NULL, NULL, NULL);
    while (in_left > 0) {
        char *o = out;
        size_t o_left = sizeof(out);
        size_t rc = iconv(r->cd, &in, &in_left, &o, &o_left);
        int err = errno;

        nb_buf_add(&r->cells, out, sizeof(out) - o_left);
        if (rc != (size_t)-1)
            break;
        if (err == E2BIG)
            continue;
        /* EILSEQ, or EINVAL: a sequence cut by the end of the cell */
        report_bad_bytes(r, col, (const unsigned char *)s, len,
                         (size_t)(in - s));
        r->bad[col] = true;
        return;
    }
    /* line ends once the whole cell is decoded: a CRLF may straddle two
     * chunks of iconv's output */
    if (r->cells.st == NB_OK)
        r->cells.len = start + newlines_in_place(r->cells.data + start,
                                                 r->cells.len - start);
}

/* What a scan of a UTF-8 cell found. */
typedef enum scan_result {
    SCAN_CLEAN,   /* well-formed, no CR, no control character */
    SCAN_CR,      /* well-formed with CR (line ends inside the cell) */
    SCAN_CONTROL, /* a control character XML 1.0 cannot carry */
    SCAN_BAD      /* not well-formed UTF-8 */
} scan_result;

#define ONES (~(uint64_t)0 / 255)
#define IN_PLACE ((size_t)-1) /* offs[i]: ptrs[i] points into the block */

/* One pass over a cell: UTF-8 well-formedness, CR and control characters
 * together; runs of printable ASCII go eight bytes at a time. *off_out is
 * the offset of a control character or bad byte. */
static scan_result scan_utf8(const char *str, size_t len, size_t *off_out)
{
    const unsigned char *s = (const unsigned char *)str;
    scan_result res = SCAN_CLEAN;
    size_t i = 0;

    while (i < len) {
        unsigned char c;

        while (i + 8 <= len) {
            uint64_t w;

            memcpy(&w, s + i, 8);
            /* no byte >= 0x80 and none < 0x20 */
            if (((w | ((w - 0x20 * ONES) & ~w)) & (0x80 * ONES)) != 0)
                break;
            i += 8;
        }
        /* printable ASCII, 0x20 to 0x7F */
        while (i < len && (unsigned char)(s[i] - 0x20) < 0x60)
            i++;
        if (i == len)
            break;
        c = s[i];
        if (c >= 0x80) {
            size_t n = utf8_seq_len(c);

            if (n == 0 || n > len - i || !utf8_seq_ok(s + i, n)) {
                *off_out = i;
                return SCAN_BAD;
            }
            i += n;
            continue;
        }
        if (c == '\r') {
            res = SCAN_CR;
        } else if (c < 0x20 && c != '\t' && c != '\n') {
            *off_out = i;
            return SCAN_CONTROL;
        }
        i++;
    }
    return res;
}

/* ASCII is the same in GB18030 and UTF-8: such cells skip iconv. */
static bool is_ascii(const char *s, size_t len)
{
    size_t i = 0;

    for (; i + 8 <= len; i += 8) {
        uint64_t w;

        memcpy(&w, s + i, 8);
        if ((w & (0x80 * ONES)) != 0)
            return false;
    }
    for (; i < len; i++)
        if ((unsigned char)s[i] >= 0x80)
            return false;
    return true;
}

static void report_control(reader *r, size_t col, unsigned char c, size_t off)
{
    char name[128];
    nb_loc loc = row_loc(r);

    col_name(r, name, sizeof(name), col);
    nb_diag_add(r->dl, NB_CSV_CONTROL_CHAR, &loc,
                _("%s: control character U+%04X at byte %zu of the cell"), name,
                c, off + 1);
    r->bad[col] = true;
}

static void cell_too_large(reader *r);

static void row_too_large(reader *r)
{
    nb_loc loc = row_loc(r);

    nb_diag_add(r->dl, NB_CSV_ROW_TOO_LARGE, &loc,
                _("row is longer than the limit of %zu bytes"), r->cells.max);
    fail(r, NB_ERR_LIMIT);
}

/* Scan cell r->n, s[0..len) in UTF-8: a control character or a bad byte
 * is reported and marks the cell bad. True when it holds a CR to make
 * LF. */
static bool check_utf8_cell(reader *r, const char *s, size_t len)
{
    size_t off = 0;

    switch (scan_utf8(s, len, &off)) {
    case SCAN_CLEAN:
        return false;
    case SCAN_CR:
        return true;
    case SCAN_CONTROL:
        report_control(r, r->n, (unsigned char)s[off], off);
        return false;
    case SCAN_BAD:
        report_bad_bytes(r, r->n, (const unsigned char *)s, len, off);
        r->bad[r->n] = true;
        return false;
    }
    return false;
}

/* Room for one more cell in the row, or false (reported). */
static bool cell_slot(reader *r)
{
    if (r->stop)
        return false;
    if (r->n >= r->max_cells) {
        nb_loc loc = row_loc(r);

        nb_diag_add(r->dl, NB_CSV_TOO_MANY_CELLS, &loc,
                    _("row has more than %zu cells"), r->max_cells);
        fail(r, NB_ERR_LIMIT);
        return false;
    }
    if (r->n == r->alloc && !grow_cells(r)) {
        fail(r, nb_diag_nomem(r->dl, r->path));
        return false;
    }
    return true;
}

static void on_cell(void *data, size_t len, void *payload)
{
    reader *r = payload;
    const char *s = data != NULL ? data : "";
    size_t start;

    if (!cell_slot(r))
        return;
    nb_trim(&s, &len);
    if (nb_csv_unescape(s, len) > 0) {
        s++; /* the apostrophe nb_csv_cell put before a formula */
        len--;
    }
    start = r->cells.len;
    r->bad[r->n] = false;
    if (r->enc == NB_ENC_GB18030 && !is_ascii(s, len)) {
        decode_gb18030(r, r->n, s, len);
        if (!r->bad[r->n])
            check_controls(r, r->n, r->cells.data + start,
                           r->cells.len - start);
    } else {
        bool cr = check_utf8_cell(r, s, len);

        if (!r->bad[r->n]) {
            nb_buf_add(&r->cells, s, len);
            if (cr && r->cells.st == NB_OK)
                r->cells.len =
                    start + newlines_in_place(r->cells.data + start, len);
        }
    }
    if (r->bad[r->n])
        r->cells.len = start; /* a cell with a finding reads as empty */
    if (r->cells.len - start > r->max_cell) {
        cell_too_large(r); /* the limit is on the cell as kept, in UTF-8 */
        return;
    }
    nb_buf_addc(&r->cells, '\0');
    if (r->cells.st == NB_ERR_LIMIT) {
        row_too_large(r);
        return;
    }
    if (r->cells.st != NB_OK) {
        fail(r, nb_diag_nomem(r->dl, r->path));
        return;
    }
    r->offs[r->n] = start;
    r->lens[r->n] = r->cells.len - 1 - start;
    r->n++;
}

/* A cell of a fast line, read where it lies: UTF-8 (or GB18030 already
 * decoded, or ASCII), trimmed, and NUL-terminated over the comma or line
 * end after it. The block and the decoded line are the reader's own and
 * are not read again, so no copy is needed. */
static void cell_in_place(reader *r, char *p, size_t len, bool clean)
{
    const char *s = p;
    char *cell;

    if (!cell_slot(r))
        return;
    nb_trim(&s, &len);
    if (nb_csv_unescape(s, len) > 0) {
        s++; /* the apostrophe nb_csv_cell put before a formula */
        len--;
    }
    cell = p + (s - p);
    /* the limits as on_cell applies them, on the cell as kept */
    if (len > r->max_cell) {
        cell_too_large(r);
        return;
    }
    r->row_bytes += len + 1;
    if (r->row_bytes > r->cells.max) {
        row_too_large(r);
        return;
    }
    r->bad[r->n] = false;
    if (!clean && check_utf8_cell(r, cell, len))
        len = newlines_in_place(cell, len);
    if (r->bad[r->n])
        len = 0; /* a cell with a finding reads as empty */
    cell[len] = '\0';
    r->ptrs[r->n] = cell;
    r->offs[r->n] = IN_PLACE;
    r->lens[r->n] = len;
    r->n++;
}

static bool keep_header(reader *r, const nb_csv_row *row)
{
    size_t i;

    r->header = calloc(row->n, sizeof(*r->header));
    if (r->header == NULL)
        return false;
    r->n_header = row->n;
    for (i = 0; i < row->n; i++) {
        r->header[i] = strdup(row->cells[i]);
        if (r->header[i] == NULL)
            return false;
    }
    r->have_header = true;
    return true;
}

static void on_row(int term, void *payload)
{
    reader *r = payload;
    nb_csv_row row;
    bool blank = true;
    size_t i;
    /* libcsv (CSV_REPALL_NL) ends a row at every CR and LF, so a blank
     * line is an empty row, as in Excel; but the LF of a CRLF ends
     * nothing (every segment ends at its only LF: feed knows) */
    if (r->n == 0 && term == '\n' && r->lf_after_cr)
        return;
    if (!r->stop) {
        for (i = 0; i < r->n; i++) {
            if (r->offs[i] != IN_PLACE)
                r->ptrs[i] = r->cells.data + r->offs[i];
            if (r->lens[i] > 0 || r->bad[i])
                blank = false;
        }
        row.row = r->row;
        row.n = r->n;
        row.cells = r->ptrs;
        row.lens = r->lens;
        row.bad = r->bad;
        /* Excel leaves ",,,," for a row whose cells were cleared */
        if (!blank) {
            if (!r->have_header && !keep_header(r, &row))
                fail(r, nb_diag_nomem(r->dl, r->path));
            else if (!r->fn(&row, r->payload))
                fail(r, NB_OK);
        }
    }
    r->row++;
    r->n = 0;
    r->row_bytes = 0;
    nb_buf_reset(&r->cells);
}

static void cell_too_large(reader *r)
{
    char name[128];
    nb_loc loc = row_loc(r);

    col_name(r, name, sizeof(name), r->n);
    if (r->p.quoted)
        nb_diag_add(r->dl, NB_CSV_CELL_TOO_LARGE, &loc,
                    _("%s: cell is longer than the limit of %zu bytes (is "
                      "the quote that opens it never closed?)"),
                    name, r->max_cell);
    else
        nb_diag_add(r->dl, NB_CSV_CELL_TOO_LARGE, &loc,
                    _("%s: cell is longer than the limit of %zu bytes"), name,
                    r->max_cell);
    fail(r, NB_ERR_LIMIT);
}

/* The line s[0..len) from GB18030 into r->line; false if it does not
 * decode (or memory runs out: the cell-by-cell path then reports). */
static bool decode_line(reader *r, const char *s, size_t len)
{
    char *in = (char *)s;
    size_t in_left = len;
    char *o;
    size_t o_left;
    size_t need;

    /* UTF-8 needs at most 3 bytes for GB18030's 2 and 4 for its 4; one
     * more for the NUL cell_in_place writes after the last cell */
    if (!nb_size_mul(&need, len, 2) || need == SIZE_MAX)
        return false;
    need++;
    if (need > r->line_cap) {
        char *bigger = realloc(r->line, need);

        if (bigger == NULL)
            return false;
        r->line = bigger;
        r->line_cap = need;
    }
    o = r->line;
    o_left = r->line_cap;
    iconv(r->cd, NULL, NULL, NULL, NULL);
    if (iconv(r->cd, &in, &in_left, &o, &o_left) == (size_t)-1)
        return false;
    r->line_len = r->line_cap - o_left;
    return true;
}

/* A whole line with no quote and no CR but its last: its cells are the
 * text between commas, exactly what libcsv makes of it, found with
 * memchr instead of byte by byte. Most rows of a metrics sheet are like
 * this; anything else goes through libcsv. */
static bool fast_line(reader *r, char *s, size_t len)
{
    char *end = s + len - 1; /* the LF */
    char *p = s;
    bool gb = r->enc == NB_ENC_GB18030;
    bool clean = false;

    if (end > s && end[-1] == '\r')
        end--;
    if (memchr(s, '"', (size_t)(end - s)) != NULL ||
        memchr(s, '\r', (size_t)(end - s)) != NULL)
        return false;
    while (p < end && (*p == ' ' || *p == '\t'))
        p++;
    if (p == end) {
        r->row++; /* a blank line */
        return true;
    }
    /* GB18030: one iconv call for the line, not one per cell (no GB18030
     * sequence holds a comma, so the cells split the same); a line that
     * does not decode goes cell by cell, to locate the bad bytes */
    if (gb && !is_ascii(s, (size_t)(end - s)) &&
        decode_line(r, s, (size_t)(end - s))) {
        s = r->line;
        end = r->line + r->line_len;
        gb = false; /* UTF-8 now */
    }
    /* one scan for the whole line: most lines are clean, and only the
     * cells of one that is not are scanned again, to locate the finding */
    if (!gb) {
        size_t off;

        clean = scan_utf8(s, (size_t)(end - s), &off) == SCAN_CLEAN;
    }
    p = s;
    for (;;) {
        char *comma = memchr(p, ',', (size_t)(end - p));
        char *cell_end = comma != NULL ? comma : end;
        size_t n = (size_t)(cell_end - p);

        /* a GB18030 line that did not decode whole goes cell by cell,
         * to locate the bad bytes */
        if (gb && !is_ascii(p, n))
            on_cell(p, n, r);
        else
            cell_in_place(r, p, n, clean);
        if (r->stop || comma == NULL)
            break;
        p = comma + 1;
    }
    if (!r->stop)
        on_row('\n', r);
    return true;
}

/* libcsv in strict mode stops at a quote inside a cell that is not
 * quoted as CSV requires ('a"b', or '"a"b'): without it, the rest of the
 * file would silently become that cell. The row is reported, dropped,
 * and reading goes on at the next line. */
static void bad_quote(reader *r)
{
    nb_loc loc = row_loc(r);
    char name[128];

    col_name(r, name, sizeof(name), r->n);
    if (!r->have_header) {
        /* without its header row the form cannot be read */
        nb_diag_add(r->dl, NB_CSV_BAD_QUOTE, &loc,
                    _("%s: a quote inside a header cell: the header row "
                      "cannot be read"),
                    name);
        fail(r, NB_ERR_FORMAT);
        return;
    }
    nb_diag_add(r->dl, NB_CSV_BAD_QUOTE, &loc,
                _("%s: a quote inside the cell: quote the whole cell and "
                  "double the quotes in it (\"say \"\"hi\"\"\")"),
                name);
    csv_free(&r->p);
    if (csv_init(&r->p, PARSER_OPTIONS) != 0) {
        fail(r, nb_diag_nomem(r->dl, r->path));
        return;
    }
    r->n = 0;
    nb_buf_reset(&r->cells);
    r->skip_line = true;
}

/* After a malformed row, skip to just past the next line end (CR or
 * LF) in s[0..len): the row is over. Returns the bytes skipped; len when
 * the line goes on into the next segment. */
static size_t skip_to_line_end(reader *r, const char *s, size_t len)
{
    size_t i;

    for (i = 0; i < len; i++) {
        if (s[i] == '\r' || s[i] == '\n') {
            r->skip_line = false;
            r->row++;
            return i + 1;
        }
    }
    return len;
}

/* Hand one line (or the part of one that is in the block) to libcsv,
 * PIECE bytes at a time so that an over-long cell is caught early. */
static void feed(reader *r, char *s, size_t len, bool line_start, bool line_end)
{
    char before = len >= 2 ? s[len - 2] : r->prev_byte;

    if (len == 0)
        return;
    r->lf_after_cr = line_end && before == '\r';
    r->prev_byte = s[len - 1];
    if (r->skip_line) {
        size_t k = skip_to_line_end(r, s, len);

        s += k;
        len -= k;
        line_start = false; /* what follows a CR goes through libcsv */
    }
    if (line_start && line_end && r->p.pstate == ROW_NOT_BEGUN &&
        r->p.entry_pos == 0 && fast_line(r, s, len))
        return;
    while (len > 0 && !r->stop) {
        size_t k = len < PIECE ? len : PIECE;
        size_t done = csv_parse(&r->p, s, k, on_cell, on_row, r);

        if (done != k) {
            size_t skip;

            if (csv_error(&r->p) != CSV_EPARSE) {
                fail(r, nb_diag_nomem(r->dl, r->path));
                return;
            }
            /* done is where the stray quote is: the row is dropped up to
             * its line end, and reading goes on after it */
            bad_quote(r);
            skip = done + skip_to_line_end(r, s + done, len - done);
            s += skip;
            len -= skip;
            continue;
        }
        if (r->p.entry_pos > r->max_cell) {
            cell_too_large(r);
            return;
        }
        s += k;
        len -= k;
    }
}

/* ==== Encoding detection ==== */

static bool gb18030_valid(const char *s, size_t len, bool at_eof)
{
    iconv_t cd = iconv_open("UTF-8", "GB18030");
    char *in = (char *)s;
    size_t in_left = len;
    char out[8192];
    bool ok = true;

    if (cd == (iconv_t)-1)
        return false;
    while (in_left > 0) {
        char *o = out;
        size_t o_left = sizeof(out);

        if (iconv(cd, &in, &in_left, &o, &o_left) != (size_t)-1)
            break;
        if (errno == E2BIG)
            continue;
        /* EINVAL: cut at the end of the block, fine unless at EOF */
        ok = errno == EINVAL && !at_eof;
        break;
    }
    iconv_close(cd);
    return ok;
}

nb_status nb_gb18030_dup(char **out, const char *s, size_t len)
{
    iconv_t cd;
    char *in = (char *)s;
    size_t in_left = len;
    char *buf;
    char *o;
    size_t o_left;
    size_t cap;
    size_t rc;

    *out = NULL;
    /* UTF-8 needs at most 3 bytes for GB18030's 2 and 4 for its 4 */
    if (!nb_size_mul(&cap, len, 2) || cap == SIZE_MAX)
        return NB_ERR_NOMEM;
    buf = malloc(cap + 1);
    if (buf == NULL)
        return NB_ERR_NOMEM;
    cd = iconv_open("UTF-8", "GB18030");
    if (cd == (iconv_t)-1) {
        free(buf);
        return NB_ERR_FORMAT;
    }
    o = buf;
    o_left = cap;
    rc = iconv(cd, &in, &in_left, &o, &o_left);
    iconv_close(cd);
    if (rc == (size_t)-1) {
        free(buf);
        return NB_ERR_FORMAT;
    }
    *o = '\0';
    *out = buf;
    return NB_OK;
}

/* Count the sample's well-formed UTF-8 multi-byte sequences and the bytes
 * that start none. GB18030 text is rarely well-formed UTF-8 (about one
 * character in twelve by chance), so a file with more good sequences than
 * bad bytes is UTF-8 with some cells pasted from elsewhere. */
static void utf8_census(const char *s, size_t len, size_t *good, size_t *bad)
{
    size_t i = 0;

    *good = *bad = 0;
    while (i < len) {
        size_t off = 0;
        size_t n;

        if ((unsigned char)s[i] < 0x80) {
            i++;
            continue;
        }
        n = utf8_seq_len((unsigned char)s[i]);
        if (n > 0 && n <= len - i && nb_utf8_valid(s + i, n, &off)) {
            (*good)++;
            i += n;
        } else {
            (*bad)++;
            i++;
        }
    }
}

/* UTF-8 if the sample is UTF-8 (a sequence cut by the block end allowed),
 * or mostly UTF-8; else GB18030 if it decodes as GB18030; else UTF-8, and
 * every bad cell is reported. */
static nb_encoding detect(const char *s, size_t len, bool at_eof)
{
    size_t bad = 0;
    size_t n_good;
    size_t n_bad;

    if (nb_utf8_valid(s, len, &bad) ||
        (!at_eof && len - bad < 4 && nb_utf8_valid(s, bad, NULL)))
        return NB_ENC_UTF8;
    utf8_census(s, len, &n_good, &n_bad);
    if (n_good > n_bad)
        return NB_ENC_UTF8;
    if (gb18030_valid(s, len, at_eof))
        return NB_ENC_GB18030;
    return NB_ENC_UTF8;
}

/* ==== Reading ==== */

/* Where the bytes come from: a file, or a buffer (a zip entry) copied a
 * block at a time, so that the parser sees the same blocks either way. */
typedef struct source {
    int fd;           /* -1: read from data */
    const char *data; /* what is left of the buffer */
    size_t left;
} source;

static ssize_t source_read(source *src, char *block, size_t size)
{
    size_t n = src->left < size ? src->left : size;

    if (src->fd >= 0)
        return read(src->fd, block, size);
    memcpy(block, src->data, n);
    src->data += n;
    src->left -= n;
    return (ssize_t)n;
}

/* Open 'path', or take opts->data when it is set. */
static nb_status source_open(source *src, const char *path,
                             const nb_csv_opts *opts, nb_diag_list *dl)
{
    nb_loc loc = {path, 0, 0, NULL};
    struct stat sb;

    memset(src, 0, sizeof(*src));
    src->fd = -1;
    if (opts != NULL && opts->data != NULL) {
        src->data = opts->data;
        src->left = opts->data_len;
        return NB_OK;
    }
    if (opts != NULL && opts->set_dir != NULL) {
        src->fd = nb_open_in_set(path, opts->set_dir, dl);
        return src->fd >= 0 ? NB_OK : NB_ERR_FORMAT;
    }
    src->fd = open(path, O_RDONLY | O_CLOEXEC);
    if (src->fd < 0) {
        nb_diag_add(dl, NB_IO_OPEN, &loc, _("cannot open: %s"),
                    strerror(errno));
        return NB_ERR_IO;
    }
    if (fstat(src->fd, &sb) == 0 && S_ISDIR(sb.st_mode)) {
        nb_diag_add(dl, NB_IO_READ, &loc, "%s", _("is a folder, not a file"));
        close(src->fd);
        return NB_ERR_IO;
    }
    return NB_OK;
}

static nb_status read_source(reader *r, source *src, size_t max_bytes)
{
    char *block = malloc(BLOCK);
    bool first = true;
    bool line_start = true;
    size_t total = 0;
    nb_loc loc = {r->path, 0, 0, NULL};

    if (block == NULL)
        return nb_diag_nomem(r->dl, r->path);
    while (!r->stop) {
        ssize_t got = source_read(src, block, BLOCK);
        char *p = block;
        char *end;

        if (got < 0) {
            if (errno == EINTR)
                continue;
            nb_diag_add(r->dl, NB_IO_READ, &loc, _("cannot read: %s"),
                        strerror(errno));
            fail(r, NB_ERR_IO);
            break;
        }
        total += (size_t)got;
        if (max_bytes > 0 && total > max_bytes) {
            nb_diag_add(r->dl, NB_CSV_TOO_LARGE, &loc,
                        _("file is larger than the limit of %zu bytes"),
                        max_bytes);
            fail(r, NB_ERR_LIMIT);
            break;
        }
        end = block + got;
        if (first) {
            first = false;
            if (got >= 2 && ((block[0] == '\xFF' && block[1] == '\xFE') ||
                             (block[0] == '\xFE' && block[1] == '\xFF'))) {
                nb_diag_add(r->dl, NB_CSV_ENCODING, &loc, "%s",
                            _("the file is UTF-16 (Excel's \"Unicode "
                              "Text\"); save it as \"CSV UTF-8\" or "
                              "\"CSV\" instead"));
                fail(r, NB_ERR_FORMAT);
                break;
            }
            if (got >= 3 && memcmp(block, "\xEF\xBB\xBF", 3) == 0) {
                p += 3;
                if (!r->enc_forced)
                    r->enc = NB_ENC_UTF8;
            } else if (!r->enc_forced) {
                r->enc = detect(block, (size_t)got, got < (ssize_t)BLOCK);
            }
            if (r->enc == NB_ENC_GB18030) {
                r->cd = iconv_open("UTF-8", "GB18030");
                if (r->cd == (iconv_t)-1) {
                    nb_diag_add(r->dl, NB_CSV_ENCODING, &loc, "%s",
                                _("this system's iconv has no GB18030"));
                    fail(r, NB_ERR_IO);
                    break;
                }
            }
        }
        if (got == 0)
            break;
        while (p < end && !r->stop) {
            char *nl = memchr(p, '\n', (size_t)(end - p));
            char *seg_end = nl != NULL ? nl + 1 : end;

            feed(r, p, (size_t)(seg_end - p), line_start, nl != NULL);
            line_start = nl != NULL;
            p = seg_end;
        }
    }
    free(block);
    return r->st;
}

nb_status nb_csv_read(const char *path, const nb_csv_opts *opts,
                      nb_csv_row_fn fn, void *payload, nb_encoding *enc_out,
                      nb_diag_list *dl)
{
    reader r;
    source src;
    nb_status st;
    uint32_t open_row;
    size_t i;

    memset(&r, 0, sizeof(r));
    r.path = path;
    r.dl = dl;
    r.fn = fn;
    r.payload = payload;
    r.cd = (iconv_t)-1;
    r.row = 1;
    r.enc = NB_ENC_UTF8;
    r.enc_forced = opts != NULL && opts->encoding != NB_ENC_AUTO;
    if (r.enc_forced)
        r.enc = opts->encoding;
    r.max_cell = opts != NULL && opts->max_cell_bytes > 0
                     ? opts->max_cell_bytes
                     : NB_DEFAULT_MAX_CELL_BYTES;
    r.max_cells = opts != NULL && opts->max_cells > 0
                      ? opts->max_cells
                      : NB_DEFAULT_MAX_ROW_CELLS;
    /* the decoded row may be up to 3/2 of the raw one (GBK -> UTF-8) */
    nb_buf_init(&r.cells, r.max_cell * 2 + 16 * r.max_cells);
    if (enc_out != NULL)
        *enc_out = NB_ENC_AUTO;

    st = source_open(&src, path, opts, dl);
    if (st != NB_OK) {
        nb_buf_fini(&r.cells);
        return st;
    }
    /* libcsv's own space handling (spaces and tabs around unquoted
     * cells dropped) is kept: the form layer trims cells the same way,
     * and a space callback per byte would halve the speed */
    if (csv_init(&r.p, PARSER_OPTIONS) != 0) {
        if (src.fd >= 0)
            close(src.fd);
        nb_buf_fini(&r.cells);
        return nb_diag_nomem(dl, path);
    }
    read_source(&r, &src, opts != NULL ? opts->max_bytes : 0);
    if (src.fd >= 0)
        close(src.fd);
    open_row = r.row;
    if (!r.stop && r.p.pstate == FIELD_BEGUN && r.p.quoted) {
        nb_loc at = {path, open_row, 0, NULL};
        char name[128];

        nb_diag_add(dl, NB_CSV_UNTERMINATED_QUOTE, &at,
                    _("%s: the quote that opens this cell is never closed: "
                      "the file ends inside it"),
                    col_name(&r, name, sizeof(name), r.n));
    } else if (!r.stop)
        csv_fini(&r.p, on_cell, on_row, &r); /* a last row without LF */
    csv_free(&r.p);
    if (r.cd != (iconv_t)-1)
        iconv_close(r.cd);
    for (i = 0; i < r.n_header; i++)
        free(r.header[i]);
    free(r.header);
    free(r.line);
    free(r.offs);
    free(r.lens);
    free(r.bad);
    free(r.ptrs);
    nb_buf_fini(&r.cells);
    if (enc_out != NULL)
        *enc_out = r.enc;
    return r.st;
}

/* ==== Writing ==== */

/* Excel and WPS take a cell beginning with = + - @, a tab or a CR for a
 * formula (=HYPERLINK(...), a DDE call). Such a cell is written with a
 * leading apostrophe, as they write such text themselves; so is a text
 * that really begins with apostrophes before one of those, so that the
 * reader (nb_csv_unescape) can tell the two apart and drop exactly one. */
static bool formula_lead(const char *s, size_t len)
{
    size_t i = 0;

    while (i < len && s[i] == '\'')
        i++;
    return i < len && strchr("=+-@\t\r", s[i]) != NULL && s[i] != '\0';
}

/* A plain figure (-3, +2.5, -41.50%): Excel reads it as a number, not
 * a formula, so a figure is written as it is and stays a figure. */
static bool plain_figure(const char *s)
{
    size_t i = (s[0] == '-' || s[0] == '+') ? 1 : 0;
    size_t digits = 0;

    while (s[i] >= '0' && s[i] <= '9')
        i++, digits++;
    if (s[i] == '.' && s[i + 1] >= '0' && s[i + 1] <= '9')
        for (i++; s[i] >= '0' && s[i] <= '9'; i++)
            ;
    if (s[i] == '%')
        i++;
    return digits > 0 && s[i] == '\0';
}

size_t nb_csv_unescape(const char *s, size_t len)
{
    return len > 1 && s[0] == '\'' && formula_lead(s + 1, len - 1) ? 1 : 0;
}

static void put_cell(nb_buf *b, const char *s, bool prefix)
{
    size_t len = s != NULL ? strlen(s) : 0;
    bool row_start = b->len == 0 || b->data[b->len - 1] == '\n';
    /* an empty first cell is written "" so that the next cell can tell
     * it is not at the start of the row */
    bool quote = len > 0 ? strpbrk(s, ",\"\r\n") != NULL || s[0] == ' ' ||
                               s[len - 1] == ' '
                         : row_start;
    size_t i;

    if (!row_start)
        nb_buf_addc(b, ',');
    if (!quote) {
        if (prefix)
            nb_buf_addc(b, '\'');
        nb_buf_add(b, s, len);
        return;
    }
    nb_buf_addc(b, '"');
    if (prefix)
        nb_buf_addc(b, '\'');
    for (i = 0; i < len; i++) {
        if (s[i] == '"')
            nb_buf_addc(b, '"');
        if (s[i] == '\n')
            nb_buf_addc(b, '\r');
        nb_buf_addc(b, s[i]);
    }
    nb_buf_addc(b, '"');
}

void nb_csv_cell(nb_buf *b, const char *s)
{
    put_cell(b, s,
             s != NULL && formula_lead(s, strlen(s)) && !plain_figure(s));
}

void nb_csv_cell_text(nb_buf *b, const char *s)
{
    put_cell(b, s, s != NULL && formula_lead(s, strlen(s)));
}

void nb_csv_end_row(nb_buf *b)
{
    nb_buf_add(b, "\r\n", 2);
}

nb_status nb_csv_encode(char **out, size_t *len_out, const char *data,
                        size_t len, nb_encoding enc, const char *path,
                        nb_diag_list *dl)
{
    nb_loc loc = {path, 0, 0, NULL};
    iconv_t cd;
    char *buf;
    char *in = (char *)data;
    size_t in_left = len;
    char *o;
    size_t o_left;
    size_t cap;

    *out = NULL;
    *len_out = 0;
    if (enc != NB_ENC_GB18030) {
        buf = malloc(len + 3);
        if (buf == NULL)
            return nb_diag_nomem(dl, path);
        memcpy(buf, "\xEF\xBB\xBF", 3);
        memcpy(buf + 3, data, len);
        *out = buf;
        *len_out = len + 3;
        return NB_OK;
    }
    cd = iconv_open("GB18030", "UTF-8");
    if (cd == (iconv_t)-1) {
        nb_diag_add(dl, NB_CSV_ENCODING, &loc, "%s",
                    _("this system's iconv has no GB18030"));
        return NB_ERR_IO;
    }
    /* GB18030 needs at most 4 bytes where UTF-8 uses at least 1 */
    if (!nb_size_mul(&cap, len, 4) || (buf = malloc(cap + 1)) == NULL) {
        iconv_close(cd);
        return nb_diag_nomem(dl, path);
    }
    o = buf;
    o_left = cap;
    if (iconv(cd, &in, &in_left, &o, &o_left) == (size_t)-1) {
        nb_diag_add(dl, NB_CSV_ENCODING, &loc,
                    _("the text cannot be written in GB18030 (at byte %zu)"),
                    (size_t)(in - data) + 1);
        iconv_close(cd);
        free(buf);
        return NB_ERR_FORMAT;
    }
    iconv_close(cd);
    *out = buf;
    *len_out = cap - o_left;
    return NB_OK;
}
