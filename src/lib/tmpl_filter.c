/* tmpl_filter.c: the filters of template fields ({{n | cn}}).
 *
 * Part of the merge engine (tmpl_eval.c applies them, tmpl_tag.c reads
 * their names and arguments). Each filter turns a value's text into
 * other text, or says that it cannot convert it, which tmpl_eval.c
 * reports as a data finding. Everything here is locale-independent:
 * numbers go through nb_number_format (figures.c), Chinese numerals and
 * dates are built from tables. docs/templates.md, "Filters", is the
 * user's view and lists every filter with examples.
 */
#include "figures.h"
#include "tmpl.h"

#include <ctype.h>
#include <string.h>

static const struct {
    const char *name;
    nb_farg arg;
} filters[] = {
    [NB_FILTER_CN] = {"cn", NB_FARG_NONE},
    [NB_FILTER_CN_DATE] = {"cn_date", NB_FARG_NONE},
    [NB_FILTER_CN_PAREN] = {"cn_paren", NB_FARG_NONE},
    [NB_FILTER_CN_DUN] = {"cn_dun", NB_FARG_NONE},
    [NB_FILTER_CN_SHI] = {"cn_shi", NB_FARG_NONE},
    [NB_FILTER_CN_DI] = {"cn_di", NB_FARG_NONE},
    [NB_FILTER_CN_YEAR] = {"cn_year", NB_FARG_NONE},
    [NB_FILTER_CN_DATE_HANZI] = {"cn_date_hanzi", NB_FARG_NONE},
    [NB_FILTER_THOUSANDS] = {"thousands", NB_FARG_NONE},
    [NB_FILTER_FIXED] = {"fixed", NB_FARG_DECIMALS},
    [NB_FILTER_PERCENT] = {"percent", NB_FARG_DECIMALS_OPT},
    [NB_FILTER_DEFAULT] = {"default", NB_FARG_TEXT},
    [NB_FILTER_UPPER] = {"upper", NB_FARG_NONE},
    [NB_FILTER_LOWER] = {"lower", NB_FARG_NONE},
    [NB_FILTER_PICTURE] = {"picture", NB_FARG_BOX},
    [NB_FILTER_ALT] = {"alt", NB_FARG_TEXT},
};

_Static_assert(sizeof(filters) / sizeof(filters[0]) == NB_FILTER__COUNT,
               "one row per nb_filter");

/* ==== Names ==== */

const char *nb_filter_name(nb_filter f)
{
    return (unsigned)f < NB_FILTER__COUNT ? filters[f].name : "?";
}

nb_farg nb_filter_arg(nb_filter f)
{
    return (unsigned)f < NB_FILTER__COUNT ? filters[f].arg : NB_FARG_NONE;
}

int nb_filter_lookup(const char *name, size_t len)
{
    int i;

    for (i = 0; i < NB_FILTER__COUNT; i++)
        if (strlen(filters[i].name) == len &&
            memcmp(filters[i].name, name, len) == 0)
            return i;
    return -1;
}

const char *nb_filter_suggest(const char *name, size_t len)
{
    char low[65]; /* nb_edit_distance compares at most 64 bytes */
    const char *best = NULL;
    size_t best_d = 3; /* at most two edits */
    size_t i;

    if (len >= sizeof(low))
        return NULL;
    for (i = 0; i < len; i++)
        low[i] = name[i] >= 'A' && name[i] <= 'Z' ? (char)(name[i] + 'a' - 'A')
                                                 : name[i];
    low[len] = '\0';
    for (i = 0; i < NB_FILTER__COUNT; i++) {
        const char *k = filters[i].name;
        size_t d = nb_edit_distance(low, k);

        if (d < best_d && d < len) {
            best_d = d;
            best = k;
        }
    }
    return best;
}

void nb_filter_list(nb_buf *b)
{
    size_t i;

    for (i = 0; i < NB_FILTER__COUNT; i++) {
        if (i > 0)
            nb_buf_adds(b, ", ");
        nb_buf_adds(b, filters[i].name);
    }
}

void nb_filter_call_text(nb_buf *b, const nb_fcall *call)
{
    nb_buf_adds(b, nb_filter_name(call->f));
    if (call->f == NB_FILTER_PICTURE && call->text != NULL)
        nb_buf_printf(b, ":%s", call->text);
    else if (call->decimals >= 0)
        nb_buf_printf(b, ":%d", call->decimals);
    else if (call->text != NULL)
        nb_buf_printf(b, ":\"%s\"", call->text);
}

/* ==== Chinese numerals ==== */

static const char *const digits_cn[10] = {"〇", "一", "二", "三", "四",
                                          "五", "六", "七", "八", "九"};

/* 0 < v < 10000 in Chinese numerals: 十一, 一百零一, 一千零一十. 'leading'
 * is true when these digits start the number, where 10-19 drop the 一. */
static void cn_below_10000(nb_buf *b, unsigned v, bool leading)
{
    static const char *const units[4] = {"千", "百", "十", ""};
    unsigned div = 1000;
    bool zero_pending = false;
    bool started = false;
    int u;

    for (u = 0; u < 4; u++, div /= 10) {
        unsigned d = (v / div) % 10;

        if (d == 0) {
            if (started)
                zero_pending = true;
            continue;
        }
        if (zero_pending)
            nb_buf_adds(b, "零");
        zero_pending = false;
        if (!(d == 1 && u == 2 && !started && leading))
            nb_buf_adds(b, digits_cn[d]);
        nb_buf_adds(b, units[u]);
        started = true;
    }
}

/* v < 10^8 as Chinese numerals: 〇, 十一, 一万零一. */
void nb_cn_number(nb_buf *out, unsigned long v)
{
    if (v == 0) {
        nb_buf_adds(out, digits_cn[0]);
        return;
    }
    if (v >= 10000) {
        unsigned hi = (unsigned)(v / 10000);
        unsigned lo = (unsigned)(v % 10000);

        cn_below_10000(out, hi, true);
        nb_buf_adds(out, "万");
        if (lo > 0) {
            if (lo < 1000)
                nb_buf_adds(out, "零");
            cn_below_10000(out, lo, false);
        }
        return;
    }
    cn_below_10000(out, (unsigned)v, true);
}

/* An ordinal: 1 to 8 ASCII digits, as Chinese numerals between 'before'
 * and 'after' ("（" "）", "" "是", "第" ""). */
static bool filter_cn(nb_buf *out, const char *s, size_t len,
                      const char *before, const char *after)
{
    unsigned long v = 0;
    size_t i;

    if (len == 0 || len > 8)
        return false;
    for (i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (unsigned long)(s[i] - '0');
    }
    nb_buf_adds(out, before);
    nb_cn_number(out, v);
    nb_buf_adds(out, after);
    return true;
}

/* ==== Dates ==== */

/* The value of the n ASCII digits at s (checked by the caller). */
static unsigned digits_value(const char *s, size_t n)
{
    unsigned v = 0;
    size_t i;

    for (i = 0; i < n; i++)
        v = v * 10 + (unsigned)(s[i] - '0');
    return v;
}

/* Are s[0..len) ASCII digits, but a '-' at each position 'dashes' names
 * (a bit per position)? */
static bool digits_and_dashes(const char *s, size_t len, unsigned dashes)
{
    size_t i;

    for (i = 0; i < len; i++) {
        bool dash = (dashes >> i) & 1u;

        if (dash ? s[i] != '-' : s[i] < '0' || s[i] > '9')
            return false;
    }
    return true;
}

/* A date as the model holds it: "2023-02-08" (a day) or "2023-02" (a
 * month; *d is 0). False for anything else, or a day its month lacks. */
static bool parse_date(const char *s, size_t len, unsigned *y, unsigned *m,
                       unsigned *d)
{
    static const unsigned days[12] = {31, 29, 31, 30, 31, 30,
                                      31, 31, 30, 31, 30, 31};

    if ((len != 7 && len != 10) ||
        !digits_and_dashes(s, len, 1u << 4 | 1u << 7))
        return false;
    *y = digits_value(s, 4);
    *m = digits_value(s + 5, 2);
    *d = len == 10 ? digits_value(s + 8, 2) : 0;
    if (*m < 1 || *m > 12)
        return false;
    if (len == 7)
        return true;
    if (*d < 1 || *d > days[*m - 1])
        return false;
    /* 29 February only in a leap year (Gregorian) */
    return !(*m == 2 && *d == 29 &&
             !((*y % 4 == 0 && *y % 100 != 0) || *y % 400 == 0));
}

/* A year digit by digit, as dates in Chinese numerals write it: 二〇二三. */
static void cn_year(nb_buf *out, unsigned y)
{
    nb_buf_adds(out, digits_cn[y / 1000 % 10]);
    nb_buf_adds(out, digits_cn[y / 100 % 10]);
    nb_buf_adds(out, digits_cn[y / 10 % 10]);
    nb_buf_adds(out, digits_cn[y % 10]);
}

/* "2023", or the year of a date: "二〇二三". */
static bool filter_cn_year(nb_buf *out, const char *s, size_t len)
{
    unsigned y;
    unsigned m;
    unsigned d;

    if (len == 4 && digits_and_dashes(s, 4, 0))
        y = digits_value(s, 4);
    else if (!parse_date(s, len, &y, &m, &d))
        return false;
    cn_year(out, y);
    return true;
}

/* A month or a day: 2 or 二, 12 or 十二. */
static void date_number(nb_buf *out, unsigned v, bool hanzi)
{
    if (hanzi)
        nb_cn_number(out, v);
    else
        nb_buf_printf(out, "%u", v);
}

/* "2023-02-08" -> "2023年2月8日" (GB/T 9704-2012 §7.3.5.4), or with
 * 'hanzi' "二〇二三年二月八日", as official documents wrote dates before
 * it and many still do; "2023-02" -> "2023年2月". */
static bool filter_cn_date(nb_buf *out, const char *s, size_t len, bool hanzi)
{
    unsigned y;
    unsigned m;
    unsigned d;

    if (!parse_date(s, len, &y, &m, &d))
        return false;
    if (hanzi)
        cn_year(out, y);
    else
        nb_buf_printf(out, "%u", y);
    nb_buf_adds(out, "年");
    date_number(out, m, hanzi);
    nb_buf_adds(out, "月");
    if (d > 0) {
        date_number(out, d, hanzi);
        nb_buf_adds(out, "日");
    }
    return true;
}

/* ==== Numbers ==== */

/* The digits of a plain decimal number: an optional sign, ASCII digits,
 * and optionally '.' and more digits ("-1234.5"). */
typedef struct decimal {
    bool negative;
    const char *whole; /* the digits before the point */
    size_t n_whole;
    const char *frac; /* after it; n_frac 0 when there is no point */
    size_t n_frac;
} decimal;

static bool parse_decimal(decimal *x, const char *s, size_t len)
{
    size_t i = 0;

    memset(x, 0, sizeof(*x));
    if (len > 0 && (s[0] == '-' || s[0] == '+')) {
        x->negative = s[0] == '-';
        i++;
    }
    x->whole = s + i;
    while (i < len && s[i] >= '0' && s[i] <= '9')
        i++;
    x->n_whole = (size_t)(s + i - x->whole);
    if (x->n_whole == 0)
        return false;
    if (i < len && s[i] == '.') {
        i++;
        x->frac = s + i;
        while (i < len && s[i] >= '0' && s[i] <= '9')
            i++;
        x->n_frac = (size_t)(s + i - x->frac);
        if (x->n_frac == 0)
            return false;
    }
    return i == len;
}

/* The value of a plain decimal of at most 15 digits (what a double holds
 * exactly), whatever the locale. */
static bool decimal_value(double *out, const char *s, size_t len)
{
    decimal x;
    char num[24];

    if (!parse_decimal(&x, s, len) || x.n_whole + x.n_frac > 15)
        return false;
    memcpy(num, s, len); /* at most 15 digits, a sign and a point */
    num[len] = '\0';
    *out = nb_decimal_value(num);
    return true;
}

/* 'v' rounded half away from zero to 'decimals' places (nb_number_format),
 * then, when 'pad', with trailing zeros up to that many places. */
static void put_number(nb_buf *out, double v, int decimals, bool pad)
{
    char num[64];
    const char *point;
    int have;

    nb_number_format(num, sizeof(num), v, decimals);
    nb_buf_adds(out, num);
    if (!pad || decimals <= 0)
        return;
    point = strchr(num, '.');
    have = point != NULL ? (int)strlen(point + 1) : 0;
    if (point == NULL)
        nb_buf_addc(out, '.');
    for (; have < decimals; have++)
        nb_buf_addc(out, '0');
}

/* "1234567.5" -> "1,234,567.5": a comma every three digits before the
 * point, the rest as written. */
static bool filter_thousands(nb_buf *out, const char *s, size_t len)
{
    decimal x;
    size_t i;

    if (!parse_decimal(&x, s, len))
        return false;
    nb_buf_add(out, s, (size_t)(x.whole - s)); /* the sign */
    for (i = 0; i < x.n_whole; i++) {
        if (i > 0 && (x.n_whole - i) % 3 == 0)
            nb_buf_addc(out, ',');
        nb_buf_addc(out, x.whole[i]);
    }
    if (x.n_frac > 0) {
        nb_buf_addc(out, '.');
        nb_buf_add(out, x.frac, x.n_frac);
    }
    return true;
}

/* fixed:N: exactly N decimals, rounded half away from zero. */
static bool filter_fixed(nb_buf *out, const char *s, size_t len, int decimals)
{
    double v;

    if (!decimal_value(&v, s, len))
        return false;
    put_number(out, v, decimals, true);
    return true;
}

/* A ratio as a percentage: 0.981 -> 98.1%. Without N, at most one
 * decimal and no trailing zero (0.5 -> 50%); percent:N, exactly N. */
static bool filter_percent(nb_buf *out, const char *s, size_t len, int decimals)
{
    double v;

    if (!decimal_value(&v, s, len))
        return false;
    put_number(out, v * 100, decimals < 0 ? 1 : decimals, decimals >= 0);
    nb_buf_addc(out, '%');
    return true;
}

/* ==== Text ==== */

static void filter_case(nb_buf *out, const char *s, size_t len, bool upper)
{
    size_t i;

    for (i = 0; i < len; i++) {
        char c = s[i];

        if (upper && c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 'A');
        else if (!upper && c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        nb_buf_addc(out, c);
    }
}

/* ==== Applying ==== */

/* Write what 'call' makes of s[0..len) into 'out'; false when the input
 * does not convert. *same is set when the result is 's' itself. */
static bool run(nb_buf *out, const nb_fcall *call, const char *s, size_t len,
                bool *same)
{
    *same = false;
    switch (call->f) {
    case NB_FILTER_CN:
        return filter_cn(out, s, len, "", "");
    case NB_FILTER_CN_PAREN:
        return filter_cn(out, s, len, "（", "）");
    case NB_FILTER_CN_DUN:
        return filter_cn(out, s, len, "", "、");
    case NB_FILTER_CN_SHI:
        return filter_cn(out, s, len, "", "是");
    case NB_FILTER_CN_DI:
        return filter_cn(out, s, len, "第", "");
    case NB_FILTER_CN_DATE:
        return filter_cn_date(out, s, len, false);
    case NB_FILTER_CN_YEAR:
        return filter_cn_year(out, s, len);
    case NB_FILTER_CN_DATE_HANZI:
        return filter_cn_date(out, s, len, true);
    case NB_FILTER_THOUSANDS:
        return filter_thousands(out, s, len);
    case NB_FILTER_FIXED:
        return filter_fixed(out, s, len, call->decimals);
    case NB_FILTER_PERCENT:
        return filter_percent(out, s, len, call->decimals);
    case NB_FILTER_DEFAULT:
        if (len > 0) {
            *same = true;
            return true;
        }
        nb_buf_add(out, call->text, call->text_len);
        return true;
    case NB_FILTER_UPPER:
    case NB_FILTER_LOWER:
        filter_case(out, s, len, call->f == NB_FILTER_UPPER);
        return true;
    case NB_FILTER_PICTURE:
    case NB_FILTER_ALT:
        *same = true; /* the evaluator writes the picture (tmpl_picture.c) */
        return true;
    default:
        return false;
    }
}

const char *nb_filter_call_apply(const nb_fcall *call, const char *s,
                                 size_t len, size_t *len_out, nb_buf *scratch,
                                 bool *ok)
{
    bool same;

    nb_buf_reset(scratch);
    *ok = run(scratch, call, s, len, &same) && scratch->st == NB_OK;
    if (!*ok || same) {
        *len_out = len;
        return s;
    }
    *len_out = scratch->len;
    return scratch->data != NULL ? scratch->data : "";
}

const char *nb_filter_apply(nb_filter f, const char *s, size_t len,
                            size_t *len_out, nb_buf *scratch, bool *ok)
{
    nb_fcall call = {f, -1, NULL, 0, 0, 0};

    return nb_filter_call_apply(&call, s, len, len_out, scratch, ok);
}
