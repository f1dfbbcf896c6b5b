/* tmpl_text.c: the characters of tags as users type them.
 *
 * Part of the template parser (tmpl_join.c calls these on the joined
 * text of a paragraph before any tag is read). A Chinese input
 * method in Chinese mode types "{" as the full-width "｛" (U+FF5B), a space
 * as U+3000, "." as "。" and "_" as "——"; in full-width mode every ASCII
 * character becomes its U+FF01-FF5E form. Word keeps what was typed. So:
 *   - a tag opens with two braces, each "{" or "｛", and closes with two,
 *     each "}" or "｝" (docs/templates.md, "Tags typed with a Chinese input
 *     method");
 *   - nb_tmpl_fold_tag rewrites the text between them into the ASCII the
 *     tag parser reads, leaving quoted text (filter arguments) as it is.
 */
#include "tmpl.h"

#include <string.h>

/* UTF-8 of the characters folded here */
#define FW_LBRACE "\xEF\xBD\x9B"  /* ｛ U+FF5B */
#define FW_RBRACE "\xEF\xBD\x9D"  /* ｝ U+FF5D */
#define FW_BAR "\xEF\xBD\x9C"     /* ｜ U+FF5C */
#define IDEO_SPACE "\xE3\x80\x80" /* U+3000 */
#define NBSP "\xC2\xA0"           /* U+00A0 */
#define IDEO_STOP "\xE3\x80\x82"  /* 。 U+3002 */
#define EM_DASH "\xE2\x80\x94"    /* — U+2014 */
#define ELLIPSIS "\xE2\x80\xA6"   /* … U+2026 */

static bool at(const char *s, size_t len, size_t i, const char *lit)
{
    size_t n = strlen(lit);

    return i <= len && len - i >= n && memcmp(s + i, lit, n) == 0;
}

/* Bytes of the brace at s[i] ("{" or "｛"; "}" or "｝" for 'close'), 0 if
 * none. */
static size_t brace_at(const char *s, size_t len, size_t i, bool close)
{
    if (i < len && s[i] == (close ? '}' : '{'))
        return 1;
    return at(s, len, i, close ? FW_RBRACE : FW_LBRACE) ? 3 : 0;
}

size_t nb_tmpl_delim_at(const char *s, size_t len, size_t i, bool close)
{
    size_t a = brace_at(s, len, i, close);
    size_t b = a > 0 ? brace_at(s, len, i + a, close) : 0;

    return b > 0 ? a + b : 0;
}

size_t nb_tmpl_find_delim(const char *s, size_t len, size_t from, bool close,
                          size_t *width_out)
{
    size_t i;

    for (i = from; i < len; i++) {
        size_t w;

        /* both braces start with a byte no other character starts with
         * here: '{', '}' or 0xEF (the lead byte of U+F000-FFFF) */
        if (s[i] != '{' && s[i] != '}' && (unsigned char)s[i] != 0xEF)
            continue;
        w = nb_tmpl_delim_at(s, len, i, close);
        if (w > 0) {
            *width_out = w;
            return i;
        }
    }
    *width_out = 0;
    return len;
}

bool nb_tmpl_has_brace(const char *s, size_t len)
{
    size_t i;

    for (i = 0; i < len; i++)
        if (s[i] == '{' || s[i] == '}' || at(s, len, i, FW_LBRACE) ||
            at(s, len, i, FW_RBRACE))
            return true;
    return false;
}

bool nb_tmpl_is_close_brace(const char *s, size_t len, size_t i)
{
    return brace_at(s, len, i, true) > 0;
}

size_t nb_tmpl_space_at(const char *s, size_t len, size_t i)
{
    if (i < len && nb_is_blank(s[i]))
        return 1;
    if (at(s, len, i, IDEO_SPACE))
        return 3;
    return at(s, len, i, NBSP) ? 2 : 0;
}

/* A full-width form of an ASCII character (U+FF01-FF5E, bytes EF BC 81 to
 * EF BD 9E) at s[i]: the ASCII character, or 0. */
static char fullwidth_at(const char *s, size_t len, size_t i)
{
    unsigned char b1;
    unsigned char b2;

    if (len - i < 3 || (unsigned char)s[i] != 0xEF)
        return 0;
    b1 = (unsigned char)s[i + 1];
    b2 = (unsigned char)s[i + 2];
    if (b1 == 0xBC && b2 >= 0x81 && b2 <= 0xBF)
        return (char)(b2 - 0x81 + 0x21); /* U+FF01 '!' .. U+FF3F '_' */
    if (b1 == 0xBD && b2 >= 0x80 && b2 <= 0x9E)
        return (char)(b2 - 0x80 + 0x60); /* U+FF40 '`' .. U+FF5E '~' */
    return 0;
}

/* Bytes of a quotation mark at s[i] that opens quoted text, and the marks
 * that may close it; 0 if none. Word's AutoFormat turns " into “ or ”
 * (and not always the right one), so either curly mark closes either. */
static size_t quote_at(const char *s, size_t len, size_t i,
                       const char **closers)
{
    static const char *const marks[][2] = {
        {"\"", "\""},
        {"'", "'"},
        {"\xE2\x80\x9C", "\xE2\x80\x9C\xE2\x80\x9D"}, /* “ */
        {"\xE2\x80\x9D", "\xE2\x80\x9C\xE2\x80\x9D"}, /* ” */
        {"\xE2\x80\x98", "\xE2\x80\x98\xE2\x80\x99"}, /* ‘ */
        {"\xE2\x80\x99", "\xE2\x80\x98\xE2\x80\x99"}, /* ’ */
        {"\xEF\xBC\x82", "\xEF\xBC\x82"},             /* ＂ */
        {"\xEF\xBC\x87", "\xEF\xBC\x87"},             /* ＇ */
    };
    size_t k;

    for (k = 0; k < sizeof(marks) / sizeof(marks[0]); k++)
        if (at(s, len, i, marks[k][0])) {
            *closers = marks[k][1];
            return strlen(marks[k][0]);
        }
    return 0;
}

/* Does one of the marks in 'closers' (each 'n' bytes, as long as the mark
 * that opened) start at s[i]? */
static bool closes(const char *s, size_t len, size_t i, const char *closers,
                   size_t n)
{
    size_t k;

    for (k = 0; closers[k] != '\0'; k += n)
        if (len - i >= n && memcmp(s + i, closers + k, n) == 0)
            return true;
    return false;
}

/* The sigil at s[i] in ASCII ('#', '^', '/', '!', '>'), or 0; *w its
 * bytes. "》" is what Chinese punctuation mode types for '>'.
 * "……" is what Chinese punctuation mode types for '^'. */
static char sigil_at(const char *s, size_t len, size_t i, size_t *w)
{
    char ch = fullwidth_at(s, len, i);

    *w = 3;
    if (ch == 0 && i < len) {
        ch = s[i];
        *w = 1;
    }
    if (ch == '#' || ch == '^' || ch == '/' || ch == '!' || ch == '>')
        return ch;
    if (at(s, len, i, "\xE3\x80\x8B")) { /* 》 U+300B */
        *w = 3;
        return '>';
    }
    if (at(s, len, i, ELLIPSIS)) {
        *w = at(s, len, i + 3, ELLIPSIS) ? 6 : 3;
        return '^';
    }
    return 0;
}

/* One character of a tag's name, as the parser reads it; *w its bytes. */
static char name_char_at(const char *s, size_t len, size_t i, size_t *w)
{
    char ch = fullwidth_at(s, len, i);

    *w = 3;
    if (ch != 0)
        return ch;
    if (at(s, len, i, IDEO_STOP))
        return '.';
    if (at(s, len, i, EM_DASH)) {
        /* "——" is Chinese punctuation mode's '_' */
        *w = at(s, len, i + 3, EM_DASH) ? 6 : 3;
        return '_';
    }
    return 0;
}

void nb_tmpl_fold_tag(nb_buf *out, const char *s, size_t len)
{
    size_t i = 0;
    size_t w;
    bool in_name = true;
    char ch;

    for (w = nb_tmpl_space_at(s, len, i); w > 0;
         w = nb_tmpl_space_at(s, len, i)) {
        nb_buf_addc(out, ' ');
        i += w;
    }
    ch = sigil_at(s, len, i, &w);
    if (ch != 0) {
        nb_buf_addc(out, ch);
        i += w;
        if (ch == '!') {
            /* a comment: its words are not read */
            nb_buf_add(out, s + i, len - i);
            return;
        }
    }
    while (i < len) {
        const char *closers;
        size_t q;

        w = nb_tmpl_space_at(s, len, i);
        if (w > 0) {
            nb_buf_addc(out, ' ');
            i += w;
            continue;
        }
        if (s[i] == '|' || at(s, len, i, FW_BAR)) {
            nb_buf_addc(out, '|');
            i += s[i] == '|' ? 1 : 3;
            in_name = false;
            continue;
        }
        if (in_name && (q = quote_at(s, len, i, &closers)) == 0) {
            ch = name_char_at(s, len, i, &w);
            if (ch != 0) {
                nb_buf_addc(out, ch);
                i += w;
                continue;
            }
        } else if ((q = quote_at(s, len, i, &closers)) > 0) {
            /* quoted text, marks included, is kept as written */
            size_t k = i + q;

            while (k < len && !closes(s, len, k, closers, q))
                k++;
            k = k < len ? k + q : len;
            nb_buf_add(out, s + i, k - i);
            i = k;
            continue;
        }
        nb_buf_addc(out, s[i]);
        i++;
    }
}
