/* names.c: an office's name as compared, not as typed.
 *
 * Two submissions of one office must meet however the name was typed: a
 * trailing full-width space (U+3000) from an IME, a zero-width space
 * pasted from a web page, a bidi mark, or full-width Latin letters and
 * digits. The forms here are those Unicode's NFKC gives for these
 * characters (UAX #15): compatibility spaces become U+0020, full-width
 * ASCII becomes ASCII; Chinese characters are already in NFKC form.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

/* Characters that show nothing and only hide a difference. */
static bool invisible(uint32_t cp)
{
    return (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x202A && cp <= 0x202E) ||
           (cp >= 0x2060 && cp <= 0x2064) || (cp >= 0x2066 && cp <= 0x2069) ||
           cp == 0xFEFF || cp == 0x00AD || cp == 0x180E;
}

/* White space of every kind, as Unicode's White_Space property has it. */
static bool space(uint32_t cp)
{
    return (cp >= 0x09 && cp <= 0x0D) || cp == 0x20 || cp == 0x85 ||
           cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) ||
           cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F ||
           cp == 0x3000;
}

static size_t put_utf8(char *out, uint32_t cp)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

const char *nb_name_keep(nb_arena *a, const char *s, const nb_loc *loc,
                         bool *oom, nb_diag_list *dl)
{
    bool changed = false;
    char *n;
    const char *kept;

    if (s == NULL)
        return NULL;
    n = nb_name_norm(s, &changed);
    kept = n != NULL ? nb_arena_strdup(a, n) : NULL;
    if (kept == NULL)
        *oom = true;
    else if (changed)
        nb_diag_add(dl, NB_NAME_NORMALIZED, loc,
                    _("the name '%s' holds invisible, full-width or extra "
                      "space characters: read as '%s'"),
                    s, kept);
    free(n);
    return kept;
}

bool nb_same_name(const char *a, const char *b, bool *oom)
{
    char *na = nb_name_norm(a, NULL);
    char *nb = nb_name_norm(b, NULL);
    bool same = na != NULL && nb != NULL && strcmp(na, nb) == 0;

    if (na == NULL || nb == NULL)
        *oom = true;
    free(na);
    free(nb);
    return same;
}

char *nb_name_norm(const char *s, bool *changed_out)
{
    size_t len = strlen(s);
    char *out = malloc(len + 1);
    size_t o = 0;
    size_t end = 0; /* out[0..end): up to the last character not a space */
    size_t i = 0;

    if (out == NULL)
        return NULL;
    while (i < len) {
        uint32_t cp;
        size_t n = nb_utf8_decode(s + i, len - i, &cp);

        if (n == 0) { /* not UTF-8: kept byte by byte */
            out[o++] = s[i++];
            end = o;
            continue;
        }
        i += n;
        if (invisible(cp))
            continue;
        if (space(cp)) {
            if (o > 0) /* leading spaces dropped, inner ones one space */
                out[o++] = ' ';
            continue;
        }
        if (cp >= 0xFF01 && cp <= 0xFF5E)
            cp -= 0xFEE0; /* full-width ASCII */
        o += put_utf8(out + o, cp);
        end = o;
    }
    out[end] = '\0';
    if (changed_out != NULL)
        *changed_out = strcmp(out, s) != 0;
    return out;
}
