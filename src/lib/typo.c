/* typo.c: how wide Chinese text is set, and the layout that follows.
 *
 * The view (view.c) asks this file where the title breaks (GB/T 9704-2012
 * 7.3.1: 回行时词意完整、排列对称、长短适宜) and where the signature block
 * goes (7.3.5), so that the DOCX and any other writer set them the same.
 * Widths count characters of the font size: a Chinese character or
 * full-width mark is one, a digit or Latin letter half, and word
 * processors (Word's autospace, LibreOffice's Asian-Latin spacing) put
 * about a fifth of a character between Chinese and a digit or letter.
 */
#include "typo.h"

#include <stdlib.h>
#include <string.h>

/* ==== Character classes ==== */

bool nb_typo_is_han(uint32_t cp)
{
    return (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x4E00 && cp <= 0x9FFF) ||
           (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x20000 && cp <= 0x3FFFF) ||
           cp == 0x3007;
}

/* Full-width in Chinese text: Han, CJK marks and forms, the quotes,
 * dashes, ellipsis and middle dot GB/T 15834 sets full-width. */
static bool is_full(uint32_t cp)
{
    return nb_typo_is_han(cp) || (cp >= 0x2E80 && cp <= 0x33FF) ||
           (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF01 && cp <= 0xFF60) ||
           (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x2018 && cp <= 0x201D) ||
           cp == 0x2014 || cp == 0x2026 || cp == 0x00B7 || cp == 0x2015;
}

bool nb_typo_is_chinese(uint32_t cp)
{
    return is_full(cp) && cp != 0x3000;
}

uint32_t nb_typo_full_mark(uint32_t cp)
{
    switch (cp) {
    case ',':
        return 0xFF0C;
    case ';':
        return 0xFF1B;
    case ':':
        return 0xFF1A;
    case '?':
        return 0xFF1F;
    case '!':
        return 0xFF01;
    case '(':
        return 0xFF08;
    case ')':
        return 0xFF09;
    default:
        return 0;
    }
}

size_t nb_typo_next(const char *s, size_t len, uint32_t *cp)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t n;

    if (len == 0) {
        *cp = 0;
        return 0;
    }
    if (u[0] < 0x80) {
        *cp = u[0];
        return 1;
    }
    /* the common case, a well-formed 3-byte sequence (all of CJK) */
    if (len >= 3 && u[0] >= 0xE1 && u[0] <= 0xEC && (u[1] & 0xC0) == 0x80 &&
        (u[2] & 0xC0) == 0x80) {
        *cp = ((uint32_t)(u[0] & 0x0F) << 12) | ((uint32_t)(u[1] & 0x3F) << 6) |
              (u[2] & 0x3F);
        return 3;
    }
    n = nb_utf8_decode(s, len, cp);
    if (n == 0) {
        *cp = 0xFFFD;
        n = 1;
    }
    return n;
}

uint32_t nb_typo_last(const char *s, size_t len)
{
    size_t i = len;
    uint32_t cp;

    if (len == 0)
        return 0;
    while (i > 0 && len - i < 4 && ((unsigned char)s[i - 1] & 0xC0) == 0x80)
        i--;
    if (i == 0)
        return 0xFFFD;
    nb_typo_next(s + i - 1, len - i + 1, &cp);
    return cp;
}

/* ==== Width ==== */

static bool is_alnum(uint32_t cp)
{
    return (cp >= '0' && cp <= '9') || (cp >= 'A' && cp <= 'Z') ||
           (cp >= 'a' && cp <= 'z');
}

int nb_typo_width(const char *s, size_t len)
{
    size_t i = 0;
    uint32_t prev = 0;
    long w = 0;

    while (i < len && w < 100000000L) {
        uint32_t cp;

        i += nb_typo_next(s + i, len - i, &cp);
        if (cp == '\n' || cp == '\r')
            continue;
        w += is_full(cp) ? 100 : 50;
        if ((is_alnum(cp) && nb_typo_is_chinese(prev)) ||
            (nb_typo_is_chinese(cp) && is_alnum(prev)))
            w += 20;
        prev = cp;
    }
    return (int)w;
}

/* ==== Title lines ==== */

/* A place the title may break, and how much breaking there costs. */
typedef struct brk {
    size_t off;
    int cost;
} brk;

#define MAX_BRK 256

typedef struct brks {
    brk b[MAX_BRK];
    size_t n;
} brks;

static void brk_add(brks *bs, size_t off, int cost)
{
    size_t i;

    for (i = 0; i < bs->n; i++) {
        if (bs->b[i].off == off) {
            if (cost < bs->b[i].cost)
                bs->b[i].cost = cost;
            return;
        }
    }
    if (bs->n < MAX_BRK) {
        bs->b[bs->n].off = off;
        bs->b[bs->n].cost = cost;
        bs->n++;
    }
}

static bool starts(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Phrases a break may come before: the report's name and its subject. */
static const char *const before_words[] = {
    "法治政府建设", "法治建设", "情况报告", "工作情况", "工作报告",
    "的报告",       "年度报告", "关于",     "推进"};
/* Characters that end an administrative name (江北区|司法局). */
static const char *const unit_ends[] = {"省", "市", "区", "县", "州",
                                        "盟", "旗", "镇", "乡", "街道"};

/* Where a title may break, with costs: 0 at the issuer and the year, 1
 * before the report's name or after a mark, 3 after a place name, and 20
 * anywhere else between two Chinese characters. */
static void find_breaks(brks *bs, const char *t, size_t len, const char *issuer)
{
    size_t i = 0;
    uint32_t prev = 0;
    size_t k;

    bs->n = 0;
    if (issuer != NULL && *issuer != '\0' && starts(t, issuer) &&
        strlen(issuer) < len)
        brk_add(bs, strlen(issuer), 0);
    while (i < len) {
        uint32_t cp;
        size_t n = nb_typo_next(t + i, len - i, &cp);

        if (i > 0 && prev >= '0' && prev <= '9' && starts(t + i, "年度"))
            brk_add(bs, i + strlen("年度"), 0);
        else if (i > 0 && prev >= '0' && prev <= '9' && starts(t + i, "年"))
            brk_add(bs, i + strlen("年"), 1);
        for (k = 0; i > 0 && k < sizeof(before_words) / sizeof(*before_words);
             k++)
            if (starts(t + i, before_words[k]))
                brk_add(bs, i, 1);
        for (k = 0; k < sizeof(unit_ends) / sizeof(*unit_ends); k++)
            if (starts(t + i, unit_ends[k]) && i + strlen(unit_ends[k]) < len)
                brk_add(bs, i + strlen(unit_ends[k]), 3);
        if (i > 0 && (cp == 0x3001 || cp == 0xFF0C || cp == 0xFF1A) &&
            i + n < len)
            brk_add(bs, i + n, 1);
        if (i > 0 && nb_typo_is_han(cp) && nb_typo_is_han(prev))
            brk_add(bs, i, 20);
        prev = cp;
        i += n;
    }
}

/* Widths of each line when the title breaks at b[sel[0..k)] (sorted),
 * into w[0..k]; the cost of the breaks is returned. */
static int line_widths(int *w, const brks *bs, const size_t *sel, size_t k,
                       const char *t, size_t len)
{
    size_t j;
    size_t from = 0;
    int cost = 0;

    for (j = 0; j <= k; j++) {
        size_t to = j < k ? bs->b[sel[j]].off : len;

        w[j] = nb_typo_width(t + from, to - from);
        if (j < k)
            cost += bs->b[sel[j]].cost;
        from = to;
    }
    return cost;
}

/* The badness of lines w[0..n]: infinite when one does not fit or is a
 * fragment (under a third of the longest); otherwise their spread, in
 * hundredths of a character, plus the cost of the breaks. */
static long badness(const int *w, size_t n, int cost, int max)
{
    int lo = w[0];
    int hi = w[0];
    size_t j;

    for (j = 0; j < n; j++) {
        if (w[j] > max)
            return -1;
        if (w[j] < lo)
            lo = w[j];
        if (w[j] > hi)
            hi = w[j];
    }
    if (lo * 3 < hi)
        return -1;
    return (long)(hi - lo) + 400L * cost;
}

/* The best way to break into k + 1 lines (k breaks), by trying every
 * choice of k breaks (k is at most 3 and the breaks few). */
static long best_split(size_t *best, size_t k, const brks *bs, const char *t,
                       size_t len, int max)
{
    size_t sel[NB_TYPO_TITLE_MAX_LINES] = {0, 1, 2, 3};
    long best_bad = -1;
    int w[NB_TYPO_TITLE_MAX_LINES];

    if (k == 0 || k > bs->n)
        return -1;
    for (;;) {
        int cost = line_widths(w, bs, sel, k, t, len);
        long bad = badness(w, k + 1, cost, max);
        size_t j;

        if (bad >= 0 && (best_bad < 0 || bad < best_bad)) {
            best_bad = bad;
            memcpy(best, sel, k * sizeof(*sel));
        }
        /* the next combination of k breaks out of bs->n */
        j = k;
        while (j > 0 && sel[j - 1] == bs->n - k + j - 1)
            j--;
        if (j == 0)
            break;
        sel[j - 1]++;
        for (; j < k; j++)
            sel[j] = sel[j - 1] + 1;
    }
    return best_bad;
}

static int cmp_brk(const void *a, const void *b)
{
    const brk *x = a;
    const brk *y = b;

    return x->off < y->off ? -1 : x->off > y->off;
}

/* Explicit line breaks: each line, trimmed of CR. */
static size_t explicit_lines(nb_typo_line *out, size_t max, const char *t)
{
    size_t n = 0;
    const char *p = t;

    for (;;) {
        const char *nl = strchr(p, '\n');
        size_t l = nl != NULL ? (size_t)(nl - p) : strlen(p);

        if (l > 0 && p[l - 1] == '\r')
            l--;
        if (l > 0) {
            if (n < max) {
                out[n].off = (size_t)(p - t);
                out[n].len = l;
            }
            n++;
        }
        if (nl == NULL)
            return n;
        p = nl + 1;
    }
}

size_t nb_typo_title_lines(nb_typo_line *out, size_t max, const char *title,
                           const char *issuer, int chars)
{
    brks bs;
    size_t len = title != NULL ? strlen(title) : 0;
    int lim = (chars > 0 ? chars : NB_TYPO_TITLE_CHARS) * 100;
    size_t best[NB_TYPO_TITLE_MAX_LINES];
    size_t k;
    size_t j;
    size_t from = 0;
    int w;

    bs.n = 0;
    if (len == 0)
        return 0;
    if (strchr(title, '\n') != NULL)
        return explicit_lines(out, max, title);
    k = 0;
    w = nb_typo_width(title, len);
    /* longer than the lines it may take: the word processor wraps it (and
     * the search below stays small: at most 80 characters) */
    if (w > lim && w <= lim * NB_TYPO_TITLE_MAX_LINES) {
        find_breaks(&bs, title, len, issuer);
        qsort(bs.b, bs.n, sizeof(*bs.b), cmp_brk);
        for (k = 1; k < NB_TYPO_TITLE_MAX_LINES; k++)
            if (best_split(best, k, &bs, title, len, lim) >= 0)
                break;
        if (k == NB_TYPO_TITLE_MAX_LINES)
            k = 0; /* nothing fits: let the word processor wrap it */
    }
    for (j = 0; j <= k; j++) {
        size_t to = j < k ? bs.b[best[j]].off : len;

        if (j < max) {
            out[j].off = from;
            out[j].len = to - from;
        }
        from = to;
    }
    return k + 1;
}

/* ==== The signature block ==== */

/* v rounded to the nearest multiple of 50 (half a character). */
static int half_round(int v)
{
    return v >= 0 ? (v + 25) / 50 * 50 : -((-v + 25) / 50 * 50);
}

static int clamp0(int v)
{
    return v < 0 ? 0 : v;
}

void nb_typo_sign_place(nb_typo_sign *out, const char *signer,
                        const char *date, bool seal, int chars)
{
    int line = (chars > 0 ? chars : NB_TYPO_BODY_CHARS) * 100;
    int ws = signer != NULL ? nb_typo_width(signer, strlen(signer)) : 0;
    int wd = date != NULL ? nb_typo_width(date, strlen(date)) : 0;

    if (!seal) {
        /* 署名右空二字; the date starts two characters right of it, and
         * when it would then pass 右空二字 the 署名 moves left */
        int rs = wd + 400 - ws > 200 ? wd + 400 - ws : 200;

        out->signer_pad = clamp0(half_round(line - rs - ws));
        out->date_pad = out->signer_pad + 200;
    } else {
        /* 成文日期右空四字, the 署名 centred on it: of the two roundings
         * of the date's pad, the one that centres the 署名 best */
        int ideal = line - 400 - wd;
        int lo = ideal / 50 * 50;
        int best_err = -1;
        int d;

        for (d = lo; d <= lo + 50; d += 50) {
            int s = half_round(d + (wd - ws) / 2);
            int err = 2 * (s - d) - (wd - ws);

            err = err < 0 ? -err : err;
            if (best_err < 0 || err < best_err) {
                best_err = err;
                out->date_pad = clamp0(d);
                out->signer_pad = clamp0(s);
            }
        }
    }
    out->signer_right = line - out->signer_pad - ws;
    out->date_right = line - out->date_pad - wd;
}
