/* catalog.c: lookups in the indicator catalog and the checks every metric
 * gets against its indicator, whichever reader it came from. */
#include "catalog.h"
#include "figures.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

size_t nb_indicator_count(void)
{
    return nb_catalog_len;
}

const nb_indicator *nb_indicator_at(size_t i)
{
    return i < nb_catalog_len ? &nb_catalog_table[i] : NULL;
}

size_t nb_catalog_count(const nb_catalog *c)
{
    return nb_catalog_len + (c != NULL ? c->n_local : 0);
}

const nb_indicator *nb_catalog_at(const nb_catalog *c, size_t i)
{
    if (i < nb_catalog_len)
        return &nb_catalog_table[i];
    i -= nb_catalog_len;
    return c != NULL && i < c->n_local ? &c->local[i] : NULL;
}

size_t nb_catalog_rule_count(const nb_catalog *c)
{
    return nb_catalog_rules_len + (c != NULL ? c->n_rules : 0);
}

const nb_catalog_rule *nb_catalog_rule_at(const nb_catalog *c, size_t i)
{
    if (i < nb_catalog_rules_len)
        return &nb_catalog_rules[i];
    i -= nb_catalog_rules_len;
    return c != NULL && i < c->n_rules ? &c->rules[i] : NULL;
}

const nb_indicator *nb_catalog_find(const nb_catalog *c, const char *code)
{
    const nb_indicator *ind = nb_indicator_find(code);

    if (ind != NULL || code == NULL)
        return ind;
    return nb_catalog_local_find(c, code, strlen(code), false);
}

/* ==== Names, aliases, units and search ==== */

/* The word of the space-separated 'list' at or after *p: its start and
 * length, *p moved past it; NULL at the end. */
static const char *next_word(const char **p, size_t *len)
{
    const char *w;

    if (*p == NULL)
        return NULL;
    *p += strspn(*p, " ");
    if (**p == '\0')
        return NULL;
    w = *p;
    *len = strcspn(w, " ");
    *p += *len;
    return w;
}

static bool word_in(const char *list, const char *word, size_t len)
{
    const char *p = list;
    const char *w;
    size_t n;

    while ((w = next_word(&p, &n)) != NULL)
        if (n == len && memcmp(w, word, len) == 0)
            return true;
    return false;
}

const nb_indicator *nb_catalog_find_name(const nb_catalog *c, const char *name,
                                         size_t len)
{
    size_t i;

    for (i = 0; i < nb_catalog_len; i++) {
        const nb_indicator *ind = &nb_catalog_table[i];

        if ((strlen(ind->name) == len && memcmp(ind->name, name, len) == 0) ||
            word_in(ind->aliases, name, len))
            return ind;
    }
    return nb_catalog_local_find(c, name, len, true);
}

size_t nb_indicator_alias_count(const nb_indicator *ind)
{
    const char *p = ind->aliases;
    size_t n;
    size_t k = 0;

    while (next_word(&p, &n) != NULL)
        k++;
    return k;
}

const char *nb_indicator_alias_at(const nb_indicator *ind, size_t i,
                                  size_t *len_out)
{
    const char *p = ind->aliases;
    const char *w;
    size_t n = 0;

    while ((w = next_word(&p, &n)) != NULL && i > 0)
        i--;
    *len_out = w != NULL ? n : 0;
    return w;
}

static bool is_percent(const char *u, size_t len)
{
    return (len == 1 && u[0] == '%') ||
           (len == 3 && memcmp(u, "％", 3) == 0);
}

bool nb_indicator_unit_ok(const nb_indicator *ind, const char *unit)
{
    size_t len = strlen(unit);

    if (strcmp(unit, ind->unit) == 0)
        return true;
    if (is_percent(unit, len))
        return is_percent(ind->unit, strlen(ind->unit));
    return word_in(ind->units, unit, len);
}

const nb_indicator *nb_catalog_lookup_name(const nb_catalog *c,
                                           const char *name, size_t len)
{
    return nb_catalog_find_name(c, name, len);
}

static bool same_byte(char a, char b)
{
    char la = (char)(a | 0x20);

    return a == b || (la >= 'a' && la <= 'z' && la == (char)(b | 0x20));
}

/* 'needle' within 'hay', ASCII letters in either case. */
static bool contains(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    const char *p;

    if (hay == NULL)
        return false;
    for (p = hay; *p != '\0'; p++) {
        size_t k = 0;

        while (k < n && p[k] != '\0' && same_byte(p[k], needle[k]))
            k++;
        if (k == n)
            return true;
    }
    return n == 0;
}

bool nb_indicator_matches(const nb_indicator *ind, const char *query)
{
    return contains(ind->code, query) || contains(ind->name, query) ||
           contains(ind->aliases, query) || contains(ind->group, query);
}

const nb_indicator *nb_catalog_search(const nb_catalog *c, const char *query,
                                      size_t *pos)
{
    const nb_indicator *ind;

    while ((ind = nb_catalog_at(c, *pos)) != NULL) {
        (*pos)++;
        if (nb_indicator_matches(ind, query))
            return ind;
    }
    return NULL;
}

const nb_indicator *nb_indicator_find(const char *code)
{
    uint32_t j;

    if (code == NULL)
        return NULL;
    j = nb_str_hash(code) & (nb_catalog_hash_size - 1);
    while (nb_catalog_hash[j] != 0) {
        const nb_indicator *ind = &nb_catalog_table[nb_catalog_hash[j] - 1];

        if (strcmp(ind->code, code) == 0)
            return ind;
        j = (j + 1) & (nb_catalog_hash_size - 1);
    }
    return NULL;
}

double nb_decimal_value(const char *s)
{
    double v = 0;
    double scale = 1;
    bool neg = *s == '-';
    bool frac = false;

    /* by hand, not strtod: the result must not depend on LC_NUMERIC */
    if (*s == '-' || *s == '+')
        s++;
    for (; *s != '\0'; s++) {
        if (*s == '.' && !frac) {
            frac = true;
        } else if (*s >= '0' && *s <= '9') {
            if (frac) {
                scale /= 10;
                v += (*s - '0') * scale;
            } else {
                v = v * 10 + (*s - '0');
            }
        } else {
            break;
        }
    }
    return neg ? -v : v;
}

size_t nb_edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a);
    size_t lb = strlen(b);
    size_t row[65];
    size_t i;
    size_t j;

    if (la > 64 || lb > 64)
        return SIZE_MAX;
    for (j = 0; j <= lb; j++)
        row[j] = j;
    for (i = 1; i <= la; i++) {
        size_t diag = row[0];

        row[0] = i;
        for (j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t best = diag + (a[i - 1] != b[j - 1]);

            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

const char *nb_indicator_suggest(const nb_catalog *c, const char *code)
{
    const char *best = NULL;
    size_t best_d = 4;
    size_t n = nb_catalog_count(c);
    size_t len = strlen(code);
    size_t i;

    /* a hint, not a search: the built-in codes and the first local ones */
    if (n > nb_catalog_len + 2000)
        n = nb_catalog_len + 2000;
    for (i = 0; i < n; i++) {
        const char *other = nb_catalog_at(c, i)->code;
        size_t olen = strlen(other);
        size_t d;

        if (olen > len + 3 || len > olen + 3)
            continue; /* more than three edits apart */
        d = nb_edit_distance(code, other);

        if (d < best_d) {
            best_d = d;
            best = other;
        }
    }
    return best;
}

/* ==== Did you mean: names ==== */

#define NAME_MAX_CP 32 /* code points compared; longer names are not */

/* The code points of s[0..len), at most NAME_MAX_CP; 0 when longer. */
static size_t code_points(uint32_t *out, const char *s, size_t len)
{
    size_t n = 0;
    size_t i = 0;

    while (i < len) {
        size_t k;

        if (n == NAME_MAX_CP)
            return 0;
        k = nb_utf8_decode(s + i, len - i, &out[n]);
        if (k == 0)
            return 0;
        n++;
        i += k;
    }
    return n;
}

static size_t cp_distance(const uint32_t *a, size_t la, const uint32_t *b,
                          size_t lb)
{
    size_t row[NAME_MAX_CP + 1];
    size_t i;
    size_t j;

    for (j = 0; j <= lb; j++)
        row[j] = j;
    for (i = 1; i <= la; i++) {
        size_t diag = row[0];

        row[0] = i;
        for (j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t best = diag + (a[i - 1] != b[j - 1]);

            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

/* How far 'key' is from the query: its edit distance, or, when one holds
 * the other whole, the difference in length; SIZE_MAX when too far. */
static size_t name_distance(const uint32_t *q, size_t lq, const char *key,
                            size_t klen)
{
    uint32_t k[NAME_MAX_CP];
    size_t lk = code_points(k, key, klen);
    size_t d;
    size_t longer;

    if (lk == 0)
        return SIZE_MAX;
    d = cp_distance(q, lq, k, lk);
    longer = lq > lk ? lq : lk;
    if (d * 3 <= longer)
        return d;
    if (lq >= 2 && lk >= 2 && d == longer - (lq < lk ? lq : lk))
        return d; /* one holds the other (and nothing else differs) */
    return SIZE_MAX;
}

const nb_indicator *nb_catalog_suggest_name(const nb_catalog *c,
                                            const char *name, size_t len)
{
    uint32_t q[NAME_MAX_CP];
    size_t lq = code_points(q, name, len);
    size_t n = nb_catalog_count(c);
    const nb_indicator *best = NULL;
    size_t best_d = SIZE_MAX;
    size_t i;

    if (lq == 0)
        return NULL;
    if (n > nb_catalog_len + 2000)
        n = nb_catalog_len + 2000; /* a hint, not a search */
    for (i = 0; i < n; i++) {
        const nb_indicator *ind = nb_catalog_at(c, i);
        size_t k;

        for (k = 0; k <= nb_indicator_alias_count(ind); k++) {
            size_t klen = 0;
            const char *key = k == 0 ? ind->name
                                     : nb_indicator_alias_at(ind, k - 1, &klen);
            size_t d;

            if (k == 0)
                klen = strlen(key);
            d = name_distance(q, lq, key, klen);
            if (d < best_d) {
                best_d = d;
                best = ind;
            }
        }
    }
    return best;
}

void nb_catalog_unknown(const nb_catalog *c, nb_code diag, const nb_loc *loc,
                        const char *what, const char *code, nb_diag_list *dl)
{
    /* the search costs the catalog's size; a dropped finding needs none */
    const char *hint =
        nb_diag_list_full(dl) ? NULL : nb_indicator_suggest(c, code);

    if (hint != NULL)
        nb_diag_add(dl, diag, loc,
                    _("%s '%s' is not in the indicator catalog; did you "
                      "mean '%s'? (nianbao indicators lists them)"),
                    what, code, hint);
    else
        nb_diag_add(dl, diag, loc,
                    _("%s '%s' is not in the indicator catalog "
                      "(nianbao indicators lists them)"),
                    what, code);
}

bool nb_metric_check(const nb_indicator **ind_out, const nb_catalog *c,
                     const char *code, const char *value, const char *unit,
                     const nb_loc *loc, const char *code_col,
                     const char *value_col, nb_diag_list *dl)
{
    const nb_indicator *ind = nb_catalog_find(c, code);
    nb_quantity q;

    if (ind_out != NULL)
        *ind_out = ind;
    if (ind == NULL) {
        nb_catalog_unknown(c, NB_RULE_METRIC_UNKNOWN, loc, code_col, code, dl);
        return false;
    }
    if (value == NULL)
        return true;
    if (!nb_quantity_parse(&q, value) && strspn(value, "0123456789.") > 15 &&
        value[strspn(value, "0123456789.")] == '\0') {
        nb_diag_add(dl, NB_RULE_METRIC_VALUE, loc,
                    _("%s '%s' has more digits than a figure can hold "
                      "exactly (15)"),
                    value_col, value);
        return false;
    }
    if (!nb_quantity_parse(&q, value)) {
        nb_diag_add(dl, NB_RULE_METRIC_VALUE, loc,
                    _("%s '%s' is not a figure: write a number (130, "
                      "20.5), or one as reports write it (1万余, 3530余, "
                      "近千)"),
                    value_col, value);
        return false;
    }
    if (ind->type[0] == 'c' && (q.negative || q.num != floor(q.num))) {
        nb_diag_add(dl, NB_RULE_METRIC_VALUE, loc,
                    _("%s '%s': %s (%s) counts %s, so it is a whole number "
                      "0 or more"),
                    value_col, value, ind->name, ind->code, ind->unit);
        return false;
    }
    if (ind->type[0] == 'r' && (q.num < 0 || q.num > 100)) {
        nb_diag_add(dl, NB_RULE_METRIC_VALUE, loc,
                    _("%s '%s': %s (%s) is a rate, from 0 to 100"), value_col,
                    value, ind->name, ind->code);
        return false;
    }
    if (ind->type[0] == 'a' && q.negative) {
        nb_diag_add(dl, NB_RULE_METRIC_VALUE, loc,
                    _("%s '%s': %s (%s) cannot be negative"), value_col, value,
                    ind->name, ind->code);
        return false;
    }
    if ((ind->min != NULL && q.num < nb_decimal_value(ind->min)) ||
        (ind->max != NULL && q.num > nb_decimal_value(ind->max))) {
        nb_diag_add(dl, NB_RULE_METRIC_VALUE, loc,
                    _("%s '%s': %s (%s) is from %s to %s"), value_col, value,
                    ind->name, ind->code, ind->min != NULL ? ind->min : "…",
                    ind->max != NULL ? ind->max : "…");
        return false;
    }
    if (unit != NULL && unit[0] != '\0' && !nb_indicator_unit_ok(ind, unit))
        nb_diag_add(dl, NB_RULE_METRIC_UNIT, loc,
                    _("unit '%s' for %s (%s), whose unit is '%s'"), unit,
                    ind->name, ind->code, ind->unit);
    return true;
}
