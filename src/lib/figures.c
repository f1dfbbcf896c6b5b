/* figures.c: values as reports write them, locale-free number printing,
 * and the formulas of computed rates. */
#include "figures.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

/* The UTF-8 of the qualifiers and numerals a value may carry. */
static const char *const prefixes[] = {"近", "约", "超", "逾"};
static const char *const suffixes[] = {"余", "多"};

static bool take(const char **s, const char *word)
{
    size_t n = strlen(word);

    if (strncmp(*s, word, n) != 0)
        return false;
    *s += n;
    return true;
}

static bool take_any(const char **s, const char *const *words, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (take(s, words[i]))
            return true;
    return false;
}

const char *nb_figure_shown(char *buf, size_t size, const char *value)
{
    size_t at;
    const char *p;
    size_t n = 0;

    if (value == NULL)
        return NULL;
    at = strcspn(value, "+-.0123456789");
    p = value + at;
    if (*p == '\0' || at + strlen(p) + 2 > size)
        return value;
    memcpy(buf, value, at);
    n = at;
    if (*p == '-' || *p == '+') {
        if (*p == '-')
            buf[n++] = '-';
        p++;
    }
    while (p[0] == '0' && p[1] >= '0' && p[1] <= '9')
        p++;
    if (p[0] == '.' && p[1] >= '0' && p[1] <= '9')
        buf[n++] = '0';
    while (*p >= '0' && *p <= '9')
        buf[n++] = *p++;
    if (p[0] == '.' && !(p[1] >= '0' && p[1] <= '9'))
        p++; /* "93." */
    memcpy(buf + n, p, strlen(p) + 1);
    return strcmp(buf, value) == 0 ? value : buf;
}

bool nb_quantity_parse(nb_quantity *q, const char *s)
{
    bool digits = false;
    bool qualified = take_any(&s, prefixes, 4);
    double m = 0; /* every digit, the point ignored: exact up to 2^53 */
    double div = 1;
    double scale = 1;
    bool point = false;
    unsigned n_digits = 0;

    memset(q, 0, sizeof(*q));
    if (*s == '-' || *s == '+')
        q->negative = *s++ == '-';
    for (; (*s >= '0' && *s <= '9') || (*s == '.' && !point); s++) {
        if (*s == '.') {
            point = true;
            continue;
        }
        if (++n_digits > 15)
            return false; /* beyond what a double holds exactly */
        m = m * 10 + (*s - '0');
        digits = true;
        if (point) {
            div *= 10;
            q->decimals++;
        }
    }
    if (!digits) {
        /* a bare numeral: "近千" */
        if (point || q->negative)
            return false;
        if (take(&s, "十"))
            m = 10;
        else if (take(&s, "百"))
            m = 100;
        else if (take(&s, "千"))
            m = 1000;
        else if (take(&s, "万"))
            m = 10000;
        else
            return false;
        qualified = true;
    }
    if (take(&s, "万"))
        scale = 1e4;
    else if (take(&s, "亿"))
        scale = 1e8;
    if (take_any(&s, suffixes, 2))
        qualified = true;
    if (*s != '\0')
        return false;
    q->num = m * scale / div;
    if (q->negative)
        q->num = -q->num;
    q->approx = qualified;
    return true;
}

/* ==== Figures in prose ==== */

/* Units a figure in the prose may carry, longest first, so that
 * "2.2个百分点" is not cut to "2.2个" nor "30场次" to "30场". */
static const char *const prose_units[] = {
    "个百分点", "百分点", "万元", "亿元", "人次", "项次", "件次", "场次",
    "批次",     "户次",   "%",    "％",   "件",   "人",   "次",   "场",
    "个",       "项",     "名",   "份",   "卷",   "本",   "条",   "家",
    "支",       "篇",     "期",   "户",   "所",   "宗",   "起",   "元"};

/* Words after a figure that make it a threshold, not a count. */
static const char *const bounds[] = {"以上", "以下", "以内", "及以上",
                                     "及以下"};

static size_t unit_at(const char *p, size_t n, const char **unit)
{
    size_t i;

    for (i = 0; i < sizeof(prose_units) / sizeof(prose_units[0]); i++) {
        size_t k = strlen(prose_units[i]);

        if (k <= n && strncmp(p, prose_units[i], k) == 0) {
            *unit = prose_units[i];
            return k;
        }
    }
    return 0;
}

static bool starts(const char *s, size_t n, const char *word)
{
    size_t k = strlen(word);

    return k <= n && strncmp(s, word, k) == 0;
}

static bool is_digit(char ch)
{
    return ch >= '0' && ch <= '9';
}

bool nb_figure_next(nb_figure *f, const char *s, size_t n, size_t *pos)
{
    size_t i = *pos;

    while (i < n) {
        size_t start = i;
        size_t j = i;
        size_t k;
        size_t ulen;
        const char *unit = NULL;

        if (!is_digit(s[i]) ||
            (i > 0 && (is_digit(s[i - 1]) || s[i - 1] == '.'))) {
            i++;
            continue;
        }
        for (k = 0; k < 4; k++)
            if (start >= 3 && strncmp(s + start - 3, prefixes[k], 3) == 0)
                start -= 3;
        while (j < n && (is_digit(s[j]) ||
                         (s[j] == '.' && j + 1 < n && is_digit(s[j + 1]))))
            j++;
        if ((starts(s + j, n - j, "万") || starts(s + j, n - j, "亿")) &&
            !starts(s + j, n - j, "万元") && !starts(s + j, n - j, "亿元"))
            j += 3;
        if (starts(s + j, n - j, "余") || starts(s + j, n - j, "多"))
            j += 3;
        ulen = unit_at(s + j, n - j, &unit);
        i = j > i ? j : i + 1;
        if (ulen == 0)
            continue;
        for (k = 0; k < sizeof(bounds) / sizeof(bounds[0]); k++)
            if (starts(s + j + ulen, n - j - ulen, bounds[k]))
                break;
        if (k < sizeof(bounds) / sizeof(bounds[0]))
            continue; /* a threshold: "500人以上" */
        f->start = start;
        f->len = j + ulen - start;
        f->unit = unit;
        *pos = j + ulen;
        return true;
    }
    *pos = n;
    return false;
}

/* floor(y + 0.5) for y >= 0, where a y that is a tie as written but a
 * hair below it in binary (1.005 * 100 is 100.49999999999999) counts as
 * the tie it stands for. "A hair" is four units in the last place of y,
 * less than the gap between a tie and any other number of 15 digits; it
 * applies below 10^12, where that is still far below the 0.5 of a tie
 * (above, a value of 15 digits has few decimals left to round). */
static double round_half_up(double y)
{
    double r = floor(y + 0.5);

    if (y < 1e12 && r + 0.5 - y <= y * 4 * DBL_EPSILON)
        r += 1;
    return r;
}

void nb_number_format(char *out, size_t size, double v, int decimals)
{
    double scale = 1;
    double r;
    unsigned long long whole;
    unsigned long long part;
    unsigned long long unit;
    bool neg = v < 0;
    int d;
    size_t n;

    if (decimals < 0)
        decimals = 0;
    if (decimals > 6)
        decimals = 6;
    for (d = 0; d < decimals; d++)
        scale *= 10;
    r = round_half_up(fabs(v) * scale);
    while (!(r < 9007199254740992.0) && decimals > 0) {
        /* beyond 2^53 the integer path is not exact: fewer decimals */
        decimals--;
        scale /= 10;
        r = round_half_up(fabs(v) * scale);
    }
    if (!(r < 9007199254740992.0)) {
        /* %.0f prints no decimal point, so the locale cannot enter */
        snprintf(out, size, "%.0f", v);
        return;
    }
    unit = (unsigned long long)scale;
    whole = (unsigned long long)r / unit;
    part = (unsigned long long)r % unit;
    n = (size_t)snprintf(out, size, "%s%llu", neg && r > 0 ? "-" : "", whole);
    if (part == 0 || n + 1 >= size)
        return;
    while (part % 10 == 0) {
        part /= 10;
        decimals--;
    }
    snprintf(out + n, size - n, ".%0*llu", decimals, part);
}

/* ==== formulas: a recursive-descent evaluator ==== */

typedef struct fx {
    const char *p;
    nb_formula_lookup fn;
    void *ctx;
    nb_fx st;
    unsigned depth;
} fx;

static void skip(fx *x)
{
    while (*x->p == ' ')
        x->p++;
}

bool nb_is_code_byte(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

static double expr(fx *x);

static void fail(fx *x, nb_fx st)
{
    /* a syntax error wins over a missing value */
    if (x->st == NB_FX_OK || st == NB_FX_SYNTAX)
        x->st = st;
}

static double primary(fx *x)
{
    double v = 0;

    skip(x);
    if (*x->p == '(') {
        x->p++;
        if (++x->depth > 32) {
            fail(x, NB_FX_SYNTAX);
            return 0;
        }
        v = expr(x);
        x->depth--;
        skip(x);
        if (*x->p != ')') {
            fail(x, NB_FX_SYNTAX);
            return 0;
        }
        x->p++;
        return v;
    }
    if ((*x->p >= '0' && *x->p <= '9') || *x->p == '.') {
        nb_quantity q;
        char num[32];
        size_t n = 0;

        while (((x->p[n] >= '0' && x->p[n] <= '9') || x->p[n] == '.') &&
               n + 1 < sizeof(num)) {
            num[n] = x->p[n];
            n++;
        }
        num[n] = '\0';
        x->p += n;
        if (!nb_quantity_parse(&q, num))
            fail(x, NB_FX_SYNTAX);
        return q.num;
    }
    if (*x->p >= 'a' && *x->p <= 'z') {
        size_t n = 0;

        while (nb_is_code_byte(x->p[n]))
            n++;
        if (x->fn != NULL && !x->fn(&v, x->p, n, x->ctx))
            fail(x, NB_FX_MISSING);
        x->p += n;
        return v;
    }
    fail(x, NB_FX_SYNTAX);
    return 0;
}

static double term(fx *x)
{
    double v = primary(x);

    for (;;) {
        char op;
        double w;

        skip(x);
        op = *x->p;
        if (op != '*' && op != '/')
            return v;
        x->p++;
        w = primary(x);
        if (op == '*') {
            v *= w;
        } else if (w == 0) {
            fail(x, NB_FX_ZERO);
            v = 0;
        } else {
            v /= w;
        }
    }
}

static double expr(fx *x)
{
    double v = term(x);

    for (;;) {
        char op;

        skip(x);
        op = *x->p;
        if (op != '+' && op != '-')
            return v;
        x->p++;
        v = op == '+' ? v + term(x) : v - term(x);
    }
}

nb_fx nb_formula_eval(double *out, const char *f, nb_formula_lookup fn,
                      void *ctx)
{
    fx x = {f, fn, ctx, NB_FX_OK, 0};
    double v = expr(&x);

    skip(&x);
    if (*x.p != '\0')
        fail(&x, NB_FX_SYNTAX);
    *out = x.st == NB_FX_OK ? v : 0;
    return x.st;
}

bool nb_formula_codes(const char *f,
                      bool (*fn)(const char *code, size_t len, void *ctx),
                      void *ctx)
{
    const char *p = f;

    while (*p != '\0') {
        size_t n = 0;

        if (!(*p >= 'a' && *p <= 'z')) {
            /* a digit run is a number, not the tail of a code */
            while (nb_is_code_byte(*p) && !(*p >= 'a' && *p <= 'z'))
                p++;
            if (*p != '\0' && !(*p >= 'a' && *p <= 'z'))
                p++;
            continue;
        }
        while (nb_is_code_byte(p[n]))
            n++;
        if (!fn(p, n, ctx))
            return false;
        p += n;
    }
    return true;
}
