/* buf.c: a growable byte buffer with a size cap and a sticky error.
 *
 * Used for every merged part of an output document: the cap turns a
 * template loop over a huge list into a located NB_LIMIT_OUTPUT instead of
 * unbounded memory.
 */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

uint32_t nb_str_hash_n(const char *s, size_t len)
{
    uint32_t h = 2166136261u;
    size_t i;

    for (i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

uint32_t nb_str_hash(const char *s)
{
    return nb_str_hash_n(s, strlen(s));
}

void nb_buf_init(nb_buf *b, size_t max)
{
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    b->max = max;
    b->st = NB_OK;
}

void nb_buf_fini(nb_buf *b)
{
    free(b->data);
    nb_buf_init(b, b->max);
}

void nb_buf_reset(nb_buf *b)
{
    b->len = 0;
    if (b->data != NULL)
        b->data[0] = '\0';
    b->st = NB_OK;
}

static nb_status grow(nb_buf *b, size_t extra)
{
    size_t need;
    size_t cap;
    char *p;

    if (extra > b->max || b->len > b->max - extra) {
        b->st = NB_ERR_LIMIT;
        return b->st;
    }
    need = b->len + extra + 1;
    if (need <= b->cap)
        return NB_OK;
    cap = b->cap < 256 ? 256 : b->cap;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    p = realloc(b->data, cap);
    if (p == NULL) {
        b->st = NB_ERR_NOMEM;
        return b->st;
    }
    b->data = p;
    b->cap = cap;
    return NB_OK;
}

nb_status nb_buf_add(nb_buf *b, const void *data, size_t len)
{
    if (b->st != NB_OK)
        return b->st;
    /* the common case, room left: no growth checks */
    if (len < b->cap - b->len && b->len + len <= b->max) {
        if (len > 0)
            memcpy(b->data + b->len, data, len);
        b->len += len;
        b->data[b->len] = '\0';
        return NB_OK;
    }
    if (grow(b, len) != NB_OK)
        return b->st;
    if (len > 0)
        memcpy(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = '\0';
    return NB_OK;
}

nb_status nb_buf_adds(nb_buf *b, const char *s)
{
    return nb_buf_add(b, s, strlen(s));
}

nb_status nb_buf_addc(nb_buf *b, char c)
{
    if (b->st == NB_OK && b->len + 1 < b->cap && b->len < b->max) {
        b->data[b->len++] = c;
        b->data[b->len] = '\0';
        return NB_OK;
    }
    return nb_buf_add(b, &c, 1);
}

nb_status nb_buf_vprintf(nb_buf *b, const char *fmt, va_list ap)
{
    va_list ap2;
    int n;

    if (b->st != NB_OK)
        return b->st;
    va_copy(ap2, ap);
    n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        return NB_OK;
    if (grow(b, (size_t)n) != NB_OK)
        return b->st;
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
    return NB_OK;
}

nb_status nb_buf_printf(nb_buf *b, const char *fmt, ...)
{
    va_list ap;
    nb_status st;

    va_start(ap, fmt);
    st = nb_buf_vprintf(b, fmt, ap);
    va_end(ap);
    return st;
}

char *nb_buf_steal(nb_buf *b, size_t *len_out)
{
    char *p = b->data;

    if (p == NULL)
        p = calloc(1, 1);
    if (len_out != NULL)
        *len_out = b->len;
    nb_buf_init(b, b->max);
    return p;
}

bool nb_is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

void nb_trim(const char **s, size_t *len)
{
    while (*len > 0 && nb_is_blank(**s)) {
        (*s)++;
        (*len)--;
    }
    while (*len > 0 && nb_is_blank((*s)[*len - 1]))
        (*len)--;
}

size_t nb_utf8_decode(const char *s, size_t len, uint32_t *cp)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t n;
    size_t k;
    uint32_t v;

    if (len == 0)
        return 0;
    if (u[0] < 0x80) {
        *cp = u[0];
        return 1;
    }
    if (u[0] >= 0xC2 && u[0] <= 0xDF) {
        n = 2;
        v = u[0] & 0x1F;
    } else if (u[0] >= 0xE0 && u[0] <= 0xEF) {
        n = 3;
        v = u[0] & 0x0F;
    } else if (u[0] >= 0xF0 && u[0] <= 0xF4) {
        n = 4;
        v = u[0] & 0x07;
    } else {
        return 0;
    }
    if (len < n)
        return 0;
    for (k = 1; k < n; k++) {
        if ((u[k] & 0xC0) != 0x80)
            return 0;
        v = (v << 6) | (u[k] & 0x3F);
    }
    if ((n == 3 && v < 0x800) || (n == 4 && v < 0x10000) || v > 0x10FFFF)
        return 0; /* overlong, or past Unicode */
    *cp = v;      /* surrogates too: the caller decides */
    return n;
}

int nb_ascii_casecmp(const char *a, const char *b)
{
    for (;; a++, b++) {
        int ca = (unsigned char)*a;
        int cb = (unsigned char)*b;

        if (ca >= 'A' && ca <= 'Z')
            ca += 'a' - 'A';
        if (cb >= 'A' && cb <= 'Z')
            cb += 'a' - 'A';
        if (ca != cb || ca == 0)
            return ca - cb;
    }
}

bool nb_has_suffix(const char *name, const char *suffix)
{
    size_t n = strlen(name);
    size_t k = strlen(suffix);

    return n > k && nb_ascii_casecmp(name + n - k, suffix) == 0;
}
