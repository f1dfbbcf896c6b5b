/* figures.h: figures as reports write them (figures.c): approximate and
 * scaled values ("17.8万余"), numbers printed without the locale, and the
 * catalog's rate formulas. */
#ifndef NIANBAO_SRC_LIB_FIGURES_H
#define NIANBAO_SRC_LIB_FIGURES_H

#include "internal.h"

/* A value as written: [近|约|超|逾] number [万|亿] [余|多], or a bare
 * 十/百/千/万 after a qualifier ("近千"). */
typedef struct nb_quantity {
    double num;        /* scaled: "17.8万" is 178000 */
    bool approx;       /* a qualifier, or a bare numeral */
    bool negative;     /* a leading minus */
    unsigned decimals; /* digits after the point, as written */
} nb_quantity;

/* Parse 's' (ASCII digits, as the readers normalise them). False when it
 * is not a value of this form. */
bool nb_quantity_parse(nb_quantity *q, const char *s);

/* The figure 'value' as a document prints it: the zeros before its
 * whole part and a plus sign dropped ("0093" -> "93", "+79" -> "79",
 * "约0200" -> "约200", ".5" -> "0.5", "93." -> "93"). The decimals stay
 * as written: "98.10" is a rate published to two decimals, and that
 * precision is the office's to state. Returns 'value' when it needs no
 * change (or does not fit), else 'buf'. */
const char *nb_figure_shown(char *buf, size_t size, const char *value);

/* 'v' with at most 'decimals' digits after the point, rounded half away
 * from zero, trailing zeros dropped: 98.10 -> "98.1", 100.0 -> "100".
 * Never depends on the locale. */
void nb_number_format(char *out, size_t size, double v, int decimals);

/* A figure typed in prose: [近约超逾] digits [.digits] [万亿] [余多]
 * unit, such as "93件", "17.8万余人次", "2.2个百分点", "30场次". */
typedef struct nb_figure {
    size_t start;     /* its first byte in the text */
    size_t len;       /* its bytes, the unit included */
    const char *unit; /* static: "件", "个百分点", "%" */
} nb_figure;

/* The next figure in s[0..n) at or after *pos, which moves past it;
 * false when there is none. A threshold ("500人以上", "10件以下") is
 * not a figure. */
bool nb_figure_next(nb_figure *f, const char *s, size_t n, size_t *pos);

/* A byte of an indicator code: a-z, 0-9, _ (a code starts with a-z). */
bool nb_is_code_byte(char c);

/* Look up the value of the indicator code 'code' ('len' bytes) for a
 * formula; false when it has none. */
typedef bool (*nb_formula_lookup)(double *out, const char *code, size_t len,
                                  void *ctx);

typedef enum nb_fx {
    NB_FX_OK = 0,
    NB_FX_MISSING, /* a code has no value */
    NB_FX_ZERO,    /* a division by zero */
    NB_FX_SYNTAX   /* not a formula */
} nb_fx;

/* Evaluate a formula of codes, numbers, + - * / and parentheses. With
 * 'fn' NULL the formula is only checked for syntax. */
nb_fx nb_formula_eval(double *out, const char *f, nb_formula_lookup fn,
                      void *ctx);

/* Call 'fn' for every code 'f' names; false when 'fn' returns false. */
bool nb_formula_codes(const char *f,
                      bool (*fn)(const char *code, size_t len, void *ctx),
                      void *ctx);

#endif /* NIANBAO_SRC_LIB_FIGURES_H */
