/* typo_check.c: the typography check of a report's text (validate).
 *
 * Stage "rules" of DESIGN.md: offices paste text from Word, web pages and
 * chat, and the marks come out half-width, doubled or spaced. Every text
 * of the model is held to GB/T 15834-2011 (punctuation) and GB/T
 * 15835-2011 (numbers), and to what the standard template adds itself
 * (the 。 after a lead phrase, the ordinals). Each kind of finding is
 * reported once per text, at the text's place, with how many there are
 * and where the first is; nianbao fix mends the safe ones (typo_fix.c).
 * One pass over each text, so the check costs little beside the rest.
 */
#include "model.h"
#include "typo.h"

#include <string.h>

/* What one pass over a text found: a count and the first place of each. */
typedef struct finding {
    size_t n;
    size_t at;      /* character (1-based) of the first */
    size_t off;     /* its byte offset */
    uint32_t cp;    /* the character */
} finding;

typedef struct scan {
    finding half, doubled, space, fullw, unbal, year;
    int depth[4];      /* open “ ‘ 《 （ */
    size_t open_at[4];  /* the character that opened the outermost one */
    size_t open_off[4]; /* its byte offset */
    size_t year_done;   /* bytes of the text whose numerals are checked */
} scan;

static const uint32_t opens[4] = {0x201C, 0x2018, 0x300A, 0xFF08};
static const uint32_t closes[4] = {0x201D, 0x2019, 0x300B, 0xFF09};

static void found(finding *f, size_t at, size_t off, uint32_t cp)
{
    if (f->n++ == 0) {
        f->at = at;
        f->off = off;
        f->cp = cp;
    }
}

/* What a metric reference counts as beside a mark: its figure is printed
 * with a Chinese unit (130件, 同比增长9.8%). */
#define REF_CP 0x4EF6

/* The code point at s[i..len); a metric reference counts as Chinese. */
static uint32_t peek(const char *s, size_t len, size_t i)
{
    uint32_t cp;

    if (i >= len)
        return 0;
    if (s[i] == NB_REF_OPEN)
        return REF_CP;
    nb_typo_next(s + i, len - i, &cp);
    return cp;
}

static bool is_doubled_mark(uint32_t cp)
{
    return cp == 0x3002 || cp == 0xFF0C || cp == 0x3001 || cp == 0xFF1B ||
           cp == 0xFF1A;
}

static bool is_cn_digit(uint32_t cp)
{
    switch (cp) {
    case 0x3007: /* 〇 */
    case 0x96F6: /* 零 */
    case 0x4E00: /* 一 */
    case 0x4E8C: /* 二 */
    case 0x4E09: /* 三 */
    case 0x56DB: /* 四 */
    case 0x4E94: /* 五 */
    case 0x516D: /* 六 */
    case 0x4E03: /* 七 */
    case 0x516B: /* 八 */
    case 0x4E5D: /* 九 */
        return true;
    default:
        return false;
    }
}

/* A run of Chinese numerals at s[i..): a year written with both 〇 and
 * 零 when four or more of them stand before 年. Returns the run's end. */
static size_t year_run(scan *sc, const char *s, size_t len, size_t i,
                       size_t at)
{
    size_t j = i;
    size_t n = 0;
    bool ling = false;
    bool zero = false;
    uint32_t cp;

    while (j < len) {
        size_t k = nb_typo_next(s + j, len - j, &cp);

        if (!is_cn_digit(cp))
            break;
        ling = ling || cp == 0x96F6;
        zero = zero || cp == 0x3007;
        n++;
        j += k;
    }
    if (n >= 4 && ling && zero && peek(s, len, j) == 0x5E74)
        found(&sc->year, at, i, 0x96F6);
    return j;
}

/* A 〇 or 零 at s[i], the at-th character: check the run of numerals it
 * is in (numerals are 3 bytes each). */
static void year_at(scan *sc, const char *s, size_t len, size_t i, size_t at)
{
    while (i >= 3 && is_cn_digit(nb_typo_last(s, i))) {
        i -= 3;
        at--;
    }
    sc->year_done = year_run(sc, s, len, i, at);
}

static void brackets(scan *sc, uint32_t cp, size_t at, size_t off)
{
    int k;

    switch (cp) {
    case 0x201C: case 0x201D: case 0x2018: case 0x2019:
    case 0x300A: case 0x300B: case 0xFF08: case 0xFF09:
        break;
    default:
        return;
    }
    for (k = 0; k < 4; k++) {
        if (cp == opens[k]) {
            if (sc->depth[k]++ == 0) {
                sc->open_at[k] = at;
                sc->open_off[k] = off;
            }
        } else if (cp == closes[k]) {
            if (sc->depth[k] == 0)
                found(&sc->unbal, at, off, cp);
            else
                sc->depth[k]--;
        }
    }
}

/* Chinese, with the test for Han first: most characters are. */
static bool cn(uint32_t cp)
{
    return (cp >= 0x4E00 && cp <= 0x9FFF) || nb_typo_is_chinese(cp);
}

/* One character at s[i], the at-th, after 'prev'; not Han (scan_text
 * passes those by). */
static void one(scan *sc, const char *s, size_t len, size_t i, size_t n,
                uint32_t cp, uint32_t prev, size_t at)
{
    if (cp < 0x80) {
        if (nb_typo_full_mark(cp) != 0 &&
            (cn(prev) || cn(peek(s, len, i + n))))
            found(&sc->half, at, i, cp);
        /* a half-width space is pasted in; a tab is layout (w:tab) and a
         * full-width space a deliberate gap ("内陆开放门户　重庆智慧之城") */
        if (cp == ' ' && cn(prev)) {
            size_t j = i;

            while (j < len && s[j] == ' ')
                j++;
            if (cn(peek(s, len, j)))
                found(&sc->space, at, i, cp);
        }
        return;
    }
    if (is_doubled_mark(cp) && cp == prev)
        found(&sc->doubled, at, i, cp);
    if ((cp >= 0xFF10 && cp <= 0xFF19) || (cp >= 0xFF21 && cp <= 0xFF3A) ||
        (cp >= 0xFF41 && cp <= 0xFF5A))
        found(&sc->fullw, at, i, cp);
    brackets(sc, cp, at, i);
}

static void scan_text(scan *sc, const char *s)
{
    size_t len = strlen(s);
    size_t i = 0;
    size_t at = 0;
    uint32_t prev = 0;
    int k;

    memset(sc, 0, sizeof(*sc));
    while (i < len) {
        uint32_t cp;
        size_t n;

        if (s[i] == NB_REF_OPEN) {
            const char *e = memchr(s + i, NB_REF_CLOSE, len - i);

            i = e != NULL ? (size_t)(e - s) + 1 : len;
            prev = REF_CP;
            at++;
            continue;
        }
        at++;
        /* the common case, a Han character (lead byte E4-E9: U+4000 to
         * U+9FFF) other than 零: nothing to check, nothing to decode
         * (validate's time, bench/typography.sh) */
        if ((unsigned char)s[i] >= 0xE4 && (unsigned char)s[i] <= 0xE9 &&
            i + 2 < len && memcmp(s + i, "零", 3) != 0) {
            prev = 0x4E00;
            i += 3;
            continue;
        }
        n = nb_typo_next(s + i, len - i, &cp);
        if ((cp == 0x3007 || cp == 0x96F6) && i >= sc->year_done)
            year_at(sc, s, len, i, at);
        one(sc, s, len, i, n, cp, prev, at);
        prev = cp;
        i += n;
    }
    for (k = 0; k < 4; k++)
        if (sc->depth[k] > 0 && sc->unbal.n == 0)
            found(&sc->unbal, sc->open_at[k], sc->open_off[k], opens[k]);
}

/* The mark as UTF-8, for messages. */
static void utf8(char *out, uint32_t cp)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        out[1] = '\0';
    } else if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        out[2] = '\0';
    } else if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        out[3] = '\0';
    } else {
        out[0] = (char)(0xF0 | (cp >> 18));
        out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[3] = (char)(0x80 | (cp & 0x3F));
        out[4] = '\0';
    }
}

/* Up to four characters of s before byte 'off', for context. */
static void before(char *out, size_t size, const char *s, size_t off)
{
    size_t i = off;
    int n = 0;

    while (i > 0 && n < 4) {
        size_t j = i - 1;

        while (j > 0 && ((unsigned char)s[j] & 0xC0) == 0x80)
            j--;
        if (s[j] == NB_REF_CLOSE || s[j] == NB_REF_OPEN)
            break;
        i = j;
        n++;
    }
    if (off - i >= size)
        i = off;
    memcpy(out, s + i, off - i);
    out[off - i] = '\0';
}

typedef struct ck {
    nb_diag_list *dl;
} ck;

static void report(ck *c, nb_code code, const finding *f, const char *s,
                   const nb_loc *loc, const char *what)
{
    char mark[8];
    char ctx[24];

    if (f->n == 0)
        return;
    what = nb_gettext(what); /* only for a finding: gettext locks */
    utf8(mark, f->cp);
    before(ctx, sizeof(ctx), s, f->off);
    if (*ctx == '\0')
        nb_diag_add(c->dl, code, loc,
                    _("%s '%s' at character %zu of the text, %zu in all"),
                    what, mark, f->at, f->n);
    else
        nb_diag_add(c->dl, code, loc,
                    _("%s '%s' at character %zu of the text (after '%s'), "
                      "%zu in all"),
                    what, mark, f->at, ctx, f->n);
}

static void check_text(ck *c, const char *s, const nb_loc *loc)
{
    scan sc;

    if (s == NULL || *s == '\0' || nb_diag_list_full(c->dl))
        return;
    scan_text(&sc, s);
    report(c, NB_TYPO_HALF_WIDTH_MARK, &sc.half, s, loc,
           N_("half-width mark next to Chinese text:"));
    report(c, NB_TYPO_UNBALANCED, &sc.unbal, s, loc,
           N_("quote or bracket without its partner:"));
    report(c, NB_TYPO_DOUBLED_MARK, &sc.doubled, s, loc, N_("doubled mark:"));
    report(c, NB_TYPO_SPACE_IN_CHINESE, &sc.space, s, loc,
           N_("space between Chinese characters:"));
    report(c, NB_TYPO_FULL_WIDTH_ALNUM, &sc.fullw, s, loc,
           N_("full-width digit or letter:"));
    report(c, NB_TYPO_YEAR_ZERO_MIXED, &sc.year, s, loc,
           N_("year with both 〇 and 零:"));
}

/* ==== What the template adds ==== */

/* A lead phrase or run-in title ending in a mark: the template's 。
 * follows it. */
static void check_end(ck *c, const char *s, const nb_loc *loc)
{
    uint32_t cp = s != NULL ? nb_typo_last(s, strlen(s)) : 0;
    char mark[8];

    if (cp == 0x3002 || cp == 0xFF0C || cp == 0xFF1B || cp == 0xFF01 ||
        cp == 0xFF1F || cp == '.' || cp == ',' || cp == ';') {
        utf8(mark, cp);
        nb_diag_add(c->dl, NB_TYPO_LEAD_FULL_STOP, loc,
                    _("'%s' ends in '%s' and the template writes '。' after "
                      "it: remove the '%s'"),
                    s, mark, mark);
    }
}

static const char *const cn_numerals[] = {"一", "二", "三", "四", "五", "六",
                                          "七", "八", "九", "十"};

/* The length of the Chinese numeral (一 … 九十九) at s, or 0. */
static size_t cn_numeral(const char *s)
{
    size_t n = 0;
    size_t k;
    bool more = true;

    while (more && n < 9) {
        more = false;
        for (k = 0; k < 10; k++) {
            if (strncmp(s + n, cn_numerals[k], 3) == 0) {
                n += 3;
                more = true;
                break;
            }
        }
    }
    return n;
}

/* The ordinal typed at the start of s (一是, 1. 1、 （1） (一) 一、 第一,),
 * as its length in bytes, or 0. */
static size_t typed_ordinal(const char *text)
{
    const char *s = text;
    size_t n;
    size_t skip;
    bool paren = false;

    while (*s == ' ' || strncmp(s, "　", 3) == 0)
        s += *s == ' ' ? 1 : 3;
    if (*s == '(' || strncmp(s, "（", 3) == 0) {
        paren = true;
        s += *s == '(' ? 1 : 3;
    }
    n = cn_numeral(s);
    if (n == 0 && strncmp(s, "第", 3) == 0 && cn_numeral(s + 3) > 0)
        n = 3 + cn_numeral(s + 3);
    if (n == 0)
        while (s[n] >= '0' && s[n] <= '9' && n < 3)
            n++;
    if (n == 0)
        return 0;
    skip = (size_t)(s - text);
    if (paren) {
        if (s[n] == ')')
            return skip + n + 1;
        return strncmp(s + n, "）", 3) == 0 ? skip + n + 3 : 0;
    }
    if (s[n] == '.')
        return skip + n + 1;
    if (strncmp(s + n, "、", 3) == 0 || strncmp(s + n, "．", 3) == 0 ||
        ((s[0] < '0' || s[0] > '9') && strncmp(s + n, "是", 3) == 0))
        return skip + n + 3;
    return 0;
}

static void check_ordinal(ck *c, const char *s, const nb_loc *loc,
                          const char *how)
{
    size_t n = s != NULL ? typed_ordinal(s) : 0;
    char typed[40];
    size_t k = 0;

    if (n == 0)
        return;
    /* the ordinal as typed, with its mark */
    while (k < sizeof(typed) - 1 && k < n && s[k] != '\0')
        k++;
    memcpy(typed, s, k);
    typed[k] = '\0';
    nb_diag_add(c->dl, NB_TYPO_TYPED_ORDINAL, loc,
                _("'%s' typed at the start: the template numbers this %s "
                  "itself"),
                typed, nb_gettext(how));
}

/* ==== Walking the report ==== */

static void paras(ck *c, const nb_para *p, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        check_text(c, p[i].text, &p[i].loc);
}

static void items(ck *c, const nb_item *it, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        check_text(c, it[i].lead, &it[i].loc);
        check_text(c, it[i].text, &it[i].loc);
        if (it[i].lead != NULL)
            check_end(c, it[i].lead, &it[i].loc);
        if (it[i].numbered)
            check_ordinal(c, it[i].lead != NULL ? it[i].lead : it[i].text,
                          &it[i].loc, N_("item"));
        items(c, it[i].items, it[i].n_items);
    }
}

static void section(ck *c, const nb_section *s)
{
    size_t k;

    if (!s->title_default) {
        check_text(c, s->title, &s->loc);
        check_ordinal(c, s->title, &s->loc, N_("section"));
    }
    paras(c, s->intro, s->n_intro);
    check_text(c, s->summary, &s->summary_loc);
    for (k = 0; k < s->n_areas; k++) {
        const nb_area *a = &s->areas[k];

        check_text(c, a->title, &a->loc);
        check_ordinal(c, a->title, &a->loc, N_("area"));
        if (a->run_in && a->title != NULL)
            check_end(c, a->title, &a->loc);
        paras(c, a->paras, a->n_paras);
        items(c, a->items, a->n_items);
    }
    paras(c, s->closing, s->n_closing);
}

void nb_typo_check_signature(const nb_report *r, nb_diag_list *dl)
{
    nb_loc loc = {r->file, 0, 0, NULL};

    if (r->meta.date_loc.line > 0)
        loc = r->meta.date_loc; /* the meta element, with no date in it */
    if (!r->meta.signer_default && r->meta.signer != NULL &&
        *r->meta.signer != '\0' && r->meta.date == NULL)
        nb_diag_add(dl, NB_TYPO_SIGNER_NO_DATE, &loc,
                    _("'%s' signs the report, which has no 成文日期: the "
                      "signature block needs a date (meta's date)"),
                    r->meta.signer);
}

void nb_typo_check(const nb_report *r, nb_diag_list *dl)
{
    ck c;

    nb_typo_check_signature(r, dl);
    nb_loc file_loc = {r->file, 0, 0, NULL};
    const nb_loc *meta_loc =
        r->meta.date_loc.line > 0 ? &r->meta.date_loc : &file_loc;
    size_t i;

    c.dl = dl;
    if (!r->title_default)
        check_text(&c, r->title, meta_loc);
    check_text(&c, r->meta.issuer, meta_loc);
    check_text(&c, r->meta.addressee, meta_loc);
    if (!r->meta.signer_default)
        check_text(&c, r->meta.signer, meta_loc);
    paras(&c, r->preamble, r->n_preamble);
    for (i = 0; i < r->n_sections; i++)
        section(&c, &r->sections[i]);
}
