/* catalog.c: lookups in the indicator catalog and the checks every metric
 * gets against its indicator, whichever reader it came from. */
#include "catalog.h"

#include <stdlib.h>
#include <string.h>

size_t nb_indicator_count(void)
{
    return nb_catalog_len;
}

const nb_indicator *nb_indicator_at(size_t i)
{
    return i < nb_catalog_len ? &nb_catalog[i] : NULL;
}

/* FNV-1a, as tools/catalog2c hashes the codes into nb_catalog_hash. */
static uint32_t code_hash(const char *s)
{
    uint32_t h = 2166136261u;

    for (; *s != '\0'; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

const nb_indicator *nb_indicator_find(const char *code)
{
    uint32_t j;

    if (code == NULL)
        return NULL;
    j = code_hash(code) & (nb_catalog_hash_size - 1);
    while (nb_catalog_hash[j] != 0) {
        const nb_indicator *ind = &nb_catalog[nb_catalog_hash[j] - 1];

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

/* Levenshtein distance, capped: codes are at most 64 bytes. */
static size_t distance(const char *a, const char *b)
{
    size_t la = strlen(a);
    size_t lb = strlen(b);
    size_t row[65];
    size_t i;
    size_t j;

    if (la > 64 || lb > 64)
        return (size_t)-1;
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

const char *nb_indicator_suggest(const char *code)
{
    const char *best = NULL;
    size_t best_d = 4;
    size_t i;

    for (i = 0; i < nb_catalog_len; i++) {
        size_t d = distance(code, nb_catalog[i].code);

        if (d < best_d) {
            best_d = d;
            best = nb_catalog[i].code;
        }
    }
    return best;
}

bool nb_metric_check(const nb_indicator **ind_out, const char *code,
                     const char *value, const char *unit, const nb_loc *loc,
                     const char *code_col, const char *value_col,
                     nb_diag_list *dl)
{
    const nb_indicator *ind = nb_indicator_find(code);
    double v;

    if (ind_out != NULL)
        *ind_out = ind;
    if (ind == NULL) {
        const char *hint = nb_indicator_suggest(code);

        if (hint != NULL)
            nb_diag_add(dl, NB_RULE_METRIC_UNKNOWN, loc,
                        _("%s '%s' is not in the indicator catalog; did you "
                          "mean '%s'? (nianbao indicators lists them)"),
                        code_col, code, hint);
        else
            nb_diag_add(dl, NB_RULE_METRIC_UNKNOWN, loc,
                        _("%s '%s' is not in the indicator catalog "
                          "(nianbao indicators lists them)"),
                        code_col, code);
        return false;
    }
    if (value == NULL)
        return true;
    if (ind->type[0] == 'c' &&
        (strchr(value, '.') != NULL || value[0] == '-')) {
        nb_diag_add(dl, NB_RULE_METRIC_VALUE, loc,
                    _("%s '%s': %s (%s) counts %s, so it is a whole number "
                      "0 or more"),
                    value_col, value, ind->name, ind->code, ind->unit);
        return false;
    }
    v = ind->type[0] == 'r' ? nb_decimal_value(value) : 0;
    if (ind->type[0] == 'r' && (v < 0 || v > 100)) {
        nb_diag_add(dl, NB_RULE_METRIC_VALUE, loc,
                    _("%s '%s': %s (%s) is a rate, from 0 to 100"), value_col,
                    value, ind->name, ind->code);
        return false;
    }
    if (ind->type[0] == 'a' && value[0] == '-') {
        nb_diag_add(dl, NB_RULE_METRIC_VALUE, loc,
                    _("%s '%s': %s (%s) cannot be negative"), value_col, value,
                    ind->name, ind->code);
        return false;
    }
    if (unit != NULL && unit[0] != '\0' && strcmp(unit, ind->unit) != 0 &&
        !(strcmp(ind->unit, "%") == 0 && strcmp(unit, "％") == 0))
        nb_diag_add(dl, NB_RULE_METRIC_UNIT, loc,
                    _("unit '%s' for %s (%s), whose unit is '%s'"), unit,
                    ind->name, ind->code, ind->unit);
    return true;
}
