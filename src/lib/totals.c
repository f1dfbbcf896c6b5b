/* totals.c: the metrics of many reports summed into one table per year
 * (docs/inbox.md, "Totals").
 *
 * Counts and amounts are summed; a rate is never summed or averaged but
 * recomputed from its formula over the summed counts of the reports that
 * give every count it needs. Sums are kept in fixed point (whole units and
 * millionths, both integers), so they are exact and do not depend on the
 * order reports are added in: per-thread totals merge into the same bytes
 * as one sequential run, and so do the totals files of separate machines.
 */
#include "catalog.h"
#include "totals.h"
#include "csv_io.h"
#include "figures.h"
#include "model.h"

#include <assert.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ==== Fixed point ==== */

/* Millionths, in 128 bits: a figure of nianbao's readers is at most 15
 * digits (or a scaled 万/亿 value below 10^30), so no sum of any number of
 * them that fits in memory comes near the limit, and adding and taking
 * back are exact inverses. */
#ifndef __SIZEOF_INT128__
/* cppcheck-suppress preprocessorErrorDirective */
#error "totals.c needs a compiler with __int128 (64-bit GCC or Clang)"
#endif
__extension__ typedef __int128 i128;
__extension__ typedef unsigned __int128 u128;

#define MICRO 1000000

typedef struct fix {
    i128 u; /* the value times MICRO */
} fix;

/* The value of a double, rounded to millionths; false beyond 10^30. */
static bool fix_of(fix *out, double v)
{
    double w;

    if (!(fabs(v) < 1e30))
        return false;
    w = floor(v);
    out->u = (i128)w * MICRO + (i128)llround((v - w) * MICRO);
    return true;
}

/* a += b; false on overflow (a unchanged). */
static bool fix_add(fix *a, fix b)
{
    i128 r;

    if (__builtin_add_overflow(a->u, b.u, &r))
        return false;
    a->u = r;
    return true;
}

static fix fix_neg(fix f)
{
    fix n = {-f.u};

    return n;
}

static double fix_value(fix f)
{
    return (double)f.u / MICRO;
}

/* Decimal digits of 'v' into the end of buf[0..size); returns the first. */
static char *digits(char *end, u128 v, int min_digits)
{
    int n = 0;

    do {
        *--end = (char)('0' + (int)(v % 10));
        v /= 10;
        n++;
    } while (v > 0 || n < min_digits);
    return end;
}

static void fix_format(char *out, size_t size, fix f)
{
    char buf[64];
    char *end = buf + sizeof(buf) - 1;
    u128 a = f.u < 0 ? -(u128)f.u : (u128)f.u;
    unsigned micro = (unsigned)(a % MICRO);
    char *p;
    int k;

    *end = '\0';
    p = end;
    if (micro > 0) {
        p = digits(end, micro, 6);
        for (k = 0; k < 6 && end[-1] == '0'; k++)
            *--end = '\0';
        *--p = '.';
    }
    p = digits(p, a / MICRO, 1);
    if (f.u < 0)
        *--p = '-';
    snprintf(out, size, "%s", p);
}

/* Parse what fix_format writes: [-]digits[.digits], at most 30 digits
 * before the point and 6 after. */
static bool fix_parse(fix *out, const char *s)
{
    bool neg = *s == '-';
    i128 whole = 0;
    i128 micro = 0;
    int scale = MICRO / 10;
    int n = 0;

    if (neg)
        s++;
    if (*s < '0' || *s > '9')
        return false;
    for (; *s >= '0' && *s <= '9'; s++) {
        if (++n > 30)
            return false;
        whole = whole * 10 + (*s - '0');
    }
    if (*s == '.') {
        s++;
        if (*s < '0' || *s > '9')
            return false;
        for (; *s >= '0' && *s <= '9'; s++) {
            if (scale == 0)
                return false;
            micro += (*s - '0') * scale;
            scale /= 10;
        }
    }
    if (*s != '\0')
        return false;
    out->u = (whole * MICRO + micro) * (neg ? -1 : 1);
    return true;
}

/* The exact value of a metric: its digits as written when they are plain
 * ("98765432109.99": a double would lose its cents), else its scaled
 * value ("1.2亿"). False when it is too large to add up. */
static bool metric_value(fix *out, const nb_metric *m)
{
    return fix_parse(out, m->value) || fix_of(out, m->num);
}

/* ==== The table ==== */

typedef struct entry {
    bool overflow;   /* reported once */
    fix sum;         /* counts and amounts */
    size_t offices;  /* reports summed into this figure */
    size_t left_out; /* reports whose figure could not be summed */
    fix *inputs;     /* a rate: one sum per code of its formula */
    uint32_t file;   /* the totals file (1, 2 ...) that last gave a row */
} entry;

typedef struct year_tot {
    int year;
    size_t reports;
    entry *e; /* one per indicator */
    fix *inputs;
    uint32_t file;      /* the totals file that last gave its * row */
    uint32_t file_used; /* the totals file that last gave any row */
} year_tot;

/* A rate's formula, split into its codes once. */
typedef struct rate_def {
    const char **code; /* pointers into the formula */
    size_t *len;
    size_t n;
} rate_def;

/* A totals file's rows, digested in any order: two files with the same
 * rows under other names are one shard given twice. */
typedef struct file_digest {
    uint64_t sum, mix;
    size_t rows;
    char *path;
} file_digest;

struct nb_totals {
    const nb_catalog *cat;
    size_t n_ind;
    rate_def *rates;  /* one per indicator; n == 0 for non-rates */
    size_t n_inputs;  /* all rates' codes together */
    size_t *input_at; /* per indicator: its first slot in year_tot.inputs */
    year_tot *years;  /* in ascending year order */
    size_t n_years;
    size_t reports;
    uint32_t n_files; /* totals files read */
    file_digest *digests; /* of each totals file read, to find copies */
};

static bool is_rate(const nb_indicator *ind)
{
    return strcmp(ind->type, "rate") == 0;
}

typedef struct code_list {
    rate_def *d;
    size_t cap;
    bool oom;
} code_list;

static bool add_code(const char *code, size_t len, void *ctx)
{
    code_list *cl = ctx;
    size_t i;

    for (i = 0; i < cl->d->n; i++)
        if (cl->d->len[i] == len && memcmp(cl->d->code[i], code, len) == 0)
            return true; /* a code named twice is one input */
    if (cl->d->n == cl->cap) {
        size_t cap = cl->cap == 0 ? 4 : cl->cap * 2;
        const char **nc = realloc(cl->d->code, cap * sizeof(*nc));
        size_t *nl;

        if (nc == NULL) {
            cl->oom = true;
            return false;
        }
        cl->d->code = nc;
        nl = realloc(cl->d->len, cap * sizeof(*nl));
        if (nl == NULL) {
            cl->oom = true;
            return false;
        }
        cl->d->len = nl;
        cl->cap = cap;
    }
    cl->d->code[cl->d->n] = code;
    cl->d->len[cl->d->n] = len;
    cl->d->n++;
    return true;
}

nb_totals *nb_totals_new(const nb_catalog *cat)
{
    nb_totals *t = calloc(1, sizeof(*t));
    size_t i;

    if (t == NULL)
        return NULL;
    t->cat = cat;
    t->n_ind = nb_catalog_count(cat);
    t->rates = calloc(t->n_ind + 1, sizeof(*t->rates));
    t->input_at = calloc(t->n_ind + 1, sizeof(*t->input_at));
    if (t->rates == NULL || t->input_at == NULL) {
        nb_totals_free(t);
        return NULL;
    }
    for (i = 0; i < t->n_ind; i++) {
        const nb_indicator *ind = nb_catalog_at(cat, i);
        code_list cl = {&t->rates[i], 0, false};

        t->input_at[i] = t->n_inputs;
        if (!is_rate(ind) || ind->formula == NULL)
            continue;
        nb_formula_codes(ind->formula, add_code, &cl);
        if (cl.oom) {
            nb_totals_free(t);
            return NULL;
        }
        t->n_inputs += t->rates[i].n;
    }
    return t;
}

static void year_fini(year_tot *y)
{
    free(y->e);
    free(y->inputs);
}

void nb_totals_free(nb_totals *t)
{
    size_t i;

    if (t == NULL)
        return;
    for (i = 0; i < t->n_years; i++)
        year_fini(&t->years[i]);
    free(t->years);
    if (t->rates != NULL)
        for (i = 0; i < t->n_ind; i++) {
            free(t->rates[i].code);
            free(t->rates[i].len);
        }
    free(t->rates);
    free(t->input_at);
    for (i = 0; i < t->n_files; i++)
        free(t->digests != NULL ? t->digests[i].path : NULL);
    free(t->digests);
    free(t);
}

size_t nb_totals_reports(const nb_totals *t)
{
    return t->reports;
}

size_t nb_totals_left_out(const nb_totals *t)
{
    size_t n = 0;
    size_t y;
    size_t i;

    for (y = 0; y < t->n_years; y++)
        for (i = 0; i < t->n_ind; i++)
            n += t->years[y].e[i].left_out;
    return n;
}

/* The totals of 'year', made when new; NULL when out of memory. */
static year_tot *year_of(nb_totals *t, int year)
{
    size_t i;
    year_tot *nv;
    year_tot y;

    for (i = 0; i < t->n_years && t->years[i].year <= year; i++)
        if (t->years[i].year == year)
            return &t->years[i];
    memset(&y, 0, sizeof(y));
    y.year = year;
    y.e = calloc(t->n_ind + 1, sizeof(*y.e));
    y.inputs = calloc(t->n_inputs + 1, sizeof(*y.inputs));
    nv = realloc(t->years, (t->n_years + 1) * sizeof(*nv));
    if (y.e == NULL || y.inputs == NULL || nv == NULL) {
        year_fini(&y);
        if (nv != NULL)
            t->years = nv;
        return NULL;
    }
    t->years = nv;
    memmove(&t->years[i + 1], &t->years[i],
            (t->n_years - i) * sizeof(*t->years));
    t->years[i] = y;
    t->n_years++;
    {
        size_t k;

        for (k = 0; k < t->n_ind; k++)
            t->years[i].e[k].inputs = t->years[i].inputs + t->input_at[k];
    }
    return &t->years[i];
}

/* The catalog index of 'ind' (the totals' catalog, or the same code). */
static size_t index_of(const nb_totals *t, const nb_indicator *ind)
{
    const nb_indicator *mine = nb_catalog_find(t->cat, ind->code);
    size_t i;

    if (mine == NULL)
        return SIZE_MAX;
    if (mine >= nb_catalog_table && mine < nb_catalog_table + nb_catalog_len)
        return (size_t)(mine - nb_catalog_table);
    for (i = nb_catalog_len; i < t->n_ind; i++)
        if (nb_catalog_at(t->cat, i) == mine)
            return i;
    return SIZE_MAX;
}

/* Count one report more (sign 1) or less (-1). */
static void count(size_t *n, int sign)
{
    *n = sign > 0 ? *n + 1 : *n - 1;
}

static void add_to(entry *e, fix *slot, fix v, int sign,
                   const nb_indicator *ind, const nb_report *r,
                   nb_diag_list *dl)
{
    if (fix_add(slot, sign > 0 ? v : fix_neg(v)))
        return;
    if (!e->overflow) {
        nb_loc loc = {r->file, 0, 0, NULL};

        nb_diag_add(dl, NB_AGGREGATE_OVERFLOW, &loc,
                    _("the total of %s is too large to add up exactly"),
                    ind->code);
    }
    e->overflow = true;
}

/* Can this metric be summed? *v gets its value; notes why not. */
static bool summable(fix *v, const nb_metric *m, const nb_indicator *ind,
                     nb_diag_list *dl)
{
    if (m->approx) {
        if (dl != NULL)
            nb_diag_add(dl, NB_AGGREGATE_NOT_SUMMED, &m->loc,
                        _("%s '%s' is approximate: it is left out of the "
                          "totals"),
                        m->code, m->value);
        return false;
    }
    if (m->unit != NULL && ind->unit != NULL && strcmp(m->unit, ind->unit)) {
        if (dl != NULL)
            nb_diag_add(dl, NB_AGGREGATE_NOT_SUMMED, &m->loc,
                        _("%s is in %s, not in the catalog's %s: it is left "
                          "out of the totals"),
                        m->code, m->unit, ind->unit);
        return false;
    }
    if (!metric_value(v, m)) {
        if (dl != NULL)
            nb_diag_add(dl, NB_AGGREGATE_NOT_SUMMED, &m->loc,
                        _("%s '%s' is too large to add up: it is left out "
                          "of the totals"),
                        m->code, m->value);
        return false;
    }
    return true;
}

static void add_rate(nb_totals *t, year_tot *y, size_t i, const nb_report *r,
                     int sign, nb_diag_list *dl)
{
    const rate_def *d = &t->rates[i];
    const nb_indicator *ind = nb_catalog_at(t->cat, i);
    const nb_metric *stated = nb_report_metric(r, ind->code);
    entry *e = &y->e[i];
    size_t k;

    if (stated != NULL && stated->derived)
        stated = NULL;
    for (k = 0; k < d->n; k++) {
        const nb_metric *m = nb_report_metric_n(r, d->code[k], d->len[k]);
        const nb_indicator *mind = m != NULL ? m->ind : NULL;
        fix v;

        if (m == NULL || m->derived || mind == NULL ||
            !summable(&v, m, mind, NULL))
            break;
    }
    if (k < d->n) {
        /* the counts are not all there: a stated rate cannot be summed */
        if (stated != NULL) {
            count(&e->left_out, sign);
            if (dl != NULL)
                nb_diag_add(dl, NB_AGGREGATE_NOT_SUMMED, &stated->loc,
                            _("%s is stated without all of the counts it is "
                              "computed from (%s): it is left out of the "
                              "totals"),
                            ind->code, ind->formula);
        }
        return;
    }
    for (k = 0; k < d->n; k++) {
        const nb_metric *m = nb_report_metric_n(r, d->code[k], d->len[k]);
        fix v;

        summable(&v, m, m->ind, NULL);
        add_to(e, &e->inputs[k], v, sign, ind, r, dl);
    }
    count(&e->offices, sign);
}

static nb_status apply(nb_totals *t, const nb_report *r, int sign,
                       nb_diag_list *dl)
{
    year_tot *y = year_of(t, r->meta.year);
    size_t j;
    size_t i;

    if (y == NULL)
        return nb_diag_nomem(dl, r->file);
    count(&y->reports, sign);
    count(&t->reports, sign);
    for (j = 0; j < r->n_metrics; j++) {
        const nb_metric *m = &r->metrics[j];
        entry *e;
        fix v;

        if (m->derived || m->ind == NULL || is_rate(m->ind))
            continue;
        i = index_of(t, m->ind);
        if (i == SIZE_MAX)
            continue;
        e = &y->e[i];
        if (!summable(&v, m, m->ind, dl)) {
            count(&e->left_out, sign);
            continue;
        }
        add_to(e, &e->sum, v, sign, m->ind, r, dl);
        count(&e->offices, sign);
    }
    for (i = 0; i < t->n_ind; i++)
        if (t->rates[i].n > 0)
            add_rate(t, y, i, r, sign, dl);
    return NB_OK;
}

nb_status nb_totals_add(nb_totals *t, const nb_report *r, nb_diag_list *dl)
{
    return apply(t, r, 1, dl);
}

nb_status nb_totals_remove(nb_totals *t, const nb_report *r)
{
    return apply(t, r, -1, NULL);
}

uint64_t nb_totals_digest(const nb_report *r)
{
    uint64_t h = 14695981039346656037u;
    size_t j;

    h = (h ^ (uint64_t)(unsigned)r->meta.year) * 1099511628211u;
    for (j = 0; j < r->n_metrics; j++) {
        const nb_metric *m = &r->metrics[j];
        char shown[80];
        /* 0093 and 93 give the totals the same figure */
        const char *parts[3] = {
            m->code,
            m->value != NULL ? nb_figure_shown(shown, sizeof(shown), m->value)
                             : NULL,
            m->unit};
        size_t k;

        for (k = 0; k < 3; k++) {
            const char *p = parts[k] != NULL ? parts[k] : "";

            for (; *p != '\0'; p++)
                h = (h ^ (unsigned char)*p) * 1099511628211u;
            h = (h ^ 0x1F) * 1099511628211u;
        }
    }
    return h;
}

nb_status nb_totals_merge(nb_totals *into, const nb_totals *from,
                          nb_diag_list *dl)
{
    size_t yi;
    size_t i;

    assert(into->n_ind == from->n_ind && into->n_inputs == from->n_inputs);
    for (yi = 0; yi < from->n_years; yi++) {
        const year_tot *src = &from->years[yi];
        year_tot *dst = year_of(into, src->year);

        if (dst == NULL)
            return nb_diag_nomem(dl, "totals");
        dst->reports += src->reports;
        for (i = 0; i < into->n_ind; i++) {
            const entry *a = &src->e[i];
            entry *b = &dst->e[i];
            const nb_indicator *ind = nb_catalog_at(into->cat, i);
            bool ok = fix_add(&b->sum, a->sum);
            size_t k;

            for (k = 0; k < into->rates[i].n; k++)
                ok = fix_add(&b->inputs[k], a->inputs[k]) && ok;
            if (!ok && !b->overflow) {
                nb_loc loc = {"totals", 0, 0, NULL};

                nb_diag_add(dl, NB_AGGREGATE_OVERFLOW, &loc,
                            _("the total of %s is too large to add up "
                              "exactly"),
                            ind->code);
                b->overflow = true;
            }
            b->overflow = b->overflow || a->overflow;
            b->offices += a->offices;
            b->left_out += a->left_out;
        }
    }
    into->reports += from->reports;
    return NB_OK;
}

/* ==== The totals file ==== */

/* The columns, in order; a file that merges must have exactly these. */
static const char *const columns[] = {"年度",       "代码",   "指标",
                                      "单位",       "类型",   "合计",
                                      "报送单位数", "未计入", "计算依据"};
enum { N_COLUMNS = sizeof(columns) / sizeof(columns[0]) };

/* The code of the row that counts the reports of a year. */
#define REPORTS_CODE "*"

typedef struct rate_ctx {
    const nb_totals *t;
    size_t i;
    const entry *e;
} rate_ctx;

static bool rate_input(double *out, const char *code, size_t len, void *ctx)
{
    const rate_ctx *rc = ctx;
    const rate_def *d = &rc->t->rates[rc->i];
    size_t k;

    for (k = 0; k < d->n; k++)
        if (d->len[k] == len && memcmp(d->code[k], code, len) == 0) {
            *out = fix_value(rc->e->inputs[k]);
            return true;
        }
    return false;
}

static void put_row(nb_buf *b, const char *const cells[N_COLUMNS])
{
    size_t c;

    for (c = 0; c < N_COLUMNS; c++) {
        if (c == 2 || c == 3) /* a local catalog's name and unit */
            nb_csv_cell_text(b, cells[c]);
        else
            nb_csv_cell(b, cells[c]);
    }
    nb_csv_end_row(b);
}

static void put_entry(nb_buf *b, const nb_totals *t, const year_tot *y,
                      size_t i, const char *year)
{
    const nb_indicator *ind = nb_catalog_at(t->cat, i);
    const entry *e = &y->e[i];
    const rate_def *d = &t->rates[i];
    char total[64] = "";
    char offices[32];
    char left[32];
    nb_buf basis;
    const char *cells[N_COLUMNS];
    size_t k;

    nb_buf_init(&basis, NB_TEXT_MAX);
    if (e->overflow) {
        /* reported when it happened: no total rather than a wrong one */
    } else if (d->n > 0 && e->offices > 0) {
        rate_ctx rc = {t, i, e};
        double v;

        for (k = 0; k < d->n; k++) {
            char num[64];

            fix_format(num, sizeof(num), e->inputs[k]);
            nb_buf_printf(&basis, "%s%.*s=%s", k > 0 ? "; " : "",
                          (int)d->len[k], d->code[k], num);
        }
        if (nb_formula_eval(&v, ind->formula, rate_input, &rc) == NB_FX_OK)
            nb_number_format(total, sizeof(total), v, ind->decimals);
    } else if (e->offices > 0) {
        fix_format(total, sizeof(total), e->sum);
    }
    snprintf(offices, sizeof(offices), "%zu", e->offices);
    snprintf(left, sizeof(left), "%zu", e->left_out);
    cells[0] = year;
    cells[1] = ind->code;
    cells[2] = ind->name;
    cells[3] = ind->unit != NULL ? ind->unit : "";
    cells[4] = ind->type;
    cells[5] = total;
    cells[6] = offices;
    cells[7] = left;
    cells[8] = basis.data != NULL ? basis.data : "";
    put_row(b, cells);
    nb_buf_fini(&basis);
}

/* The text of the totals file: its header and rows, as UTF-8. */
static void totals_text(nb_buf *b, const nb_totals *t)
{
    size_t yi;
    size_t i;

    put_row(b, columns);
    for (yi = 0; yi < t->n_years; yi++) {
        const year_tot *y = &t->years[yi];
        char year[16];
        char reports[32];
        const char *cells[N_COLUMNS] = {year,    REPORTS_CODE, "报告数",
                                        "份",    "count",      reports,
                                        reports, "0",          ""};

        snprintf(year, sizeof(year), "%d", y->year);
        snprintf(reports, sizeof(reports), "%zu", y->reports);
        put_row(b, cells);
        for (i = 0; i < t->n_ind; i++)
            if (y->e[i].offices > 0 || y->e[i].left_out > 0)
                put_entry(b, t, y, i, year);
    }
}

nb_status nb_totals_write_csv(const nb_totals *t, const char *path,
                              nb_diag_list *dl)
{
    nb_buf b;
    char *bytes = NULL;
    size_t len = 0;
    nb_status st;

    nb_buf_init(&b, NB_TEXT_MAX);
    totals_text(&b, t);
    if (b.st != NB_OK) {
        nb_buf_fini(&b);
        return nb_diag_nomem(dl, path);
    }
    st = nb_csv_encode(&bytes, &len, b.data, b.len, NB_ENC_UTF8, path, dl);
    nb_buf_fini(&b);
    if (st != NB_OK)
        return st;
    st = nb_write_file_atomic(path, bytes, len, dl);
    free(bytes);
    return st;
}

/* ==== Reading a totals file back ==== */

typedef struct reader {
    nb_totals *t;
    const char *path;
    nb_diag_list *dl;
    bool header_ok;
    bool bad;
    bool oom;
    uint32_t file;    /* this file's number in t (1 for the first) */
    int *before;      /* the years summed before this file, ascending */
    size_t n_before;
    uint32_t odd_row; /* the first row of a year not in 'before' */
    bool shared;      /* a row of a year in 'before' */
    file_digest digest;
} reader;

/* Add a row to the file's digest: FNV-1a of its cells, summed and
 * mixed so that the order of the rows does not count. */
static void digest_row(file_digest *d, const nb_csv_row *row)
{
    uint64_t h = 1469598103934665603ULL;
    size_t k;
    const unsigned char *s;

    for (k = 0; k < row->n; k++) {
        for (s = (const unsigned char *)row->cells[k]; *s != '\0'; s++)
            h = (h ^ *s) * 1099511628211ULL;
        h = (h ^ 0x1f) * 1099511628211ULL;
    }
    d->sum += h;
    d->mix ^= h * 0x9e3779b97f4a7c15ULL + (h >> 29);
    d->rows++;
}

/* Keep this file's digest; an error when an earlier input (a totals
 * file, or a folder's totals: nb_totals_note_part) has the same rows. */
static void check_copy(reader *rd)
{
    nb_totals *t = rd->t;
    nb_loc loc = {rd->path, 0, 0, NULL};
    file_digest *d = &rd->digest;
    uint32_t k;

    for (k = 0; k + 1 < rd->file; k++) {
        const file_digest *o = &t->digests[k];

        if (o->path != NULL && o->rows == d->rows && o->sum == d->sum &&
            o->mix == d->mix) {
            nb_diag_add(rd->dl, NB_AGGREGATE_TOTALS_COPY, &loc,
                        _("it has the same rows as %s: its figures would "
                          "be counted twice"),
                        o->path);
            rd->bad = true;
            return;
        }
    }
    d->path = strdup(rd->path);
    if (d->path == NULL)
        rd->oom = true;
    else
        t->digests[rd->file - 1] = *d;
}

static void bad_row(reader *rd, uint32_t row, const char *what)
{
    nb_loc loc = {rd->path, row, 0, NULL};

    nb_diag_add(rd->dl, NB_AGGREGATE_TOTALS_FILE, &loc,
                _("not a totals file nianbao wrote: %s"), what);
    rd->bad = true;
}

static bool parse_count(size_t *out, const char *s)
{
    fix f;

    if (!fix_parse(&f, s) || f.u < 0 || f.u % MICRO != 0 ||
        f.u / MICRO > (i128)SIZE_MAX)
        return false;
    *out = (size_t)(f.u / MICRO);
    return true;
}

/* "code=value; code=value" into the rate's input sums. */
static bool parse_basis(fix *inputs, const rate_def *d, const char *s)
{
    size_t k;

    for (k = 0; k < d->n; k++) {
        const char *eq;
        const char *end;
        char num[64];
        size_t n;
        fix f;

        while (*s == ' ')
            s++;
        eq = strchr(s, '=');
        if (eq == NULL || (size_t)(eq - s) != d->len[k] ||
            memcmp(s, d->code[k], d->len[k]) != 0)
            return false;
        end = strchr(eq + 1, ';');
        n = end != NULL ? (size_t)(end - eq - 1) : strlen(eq + 1);
        if (n == 0 || n >= sizeof(num))
            return false;
        memcpy(num, eq + 1, n);
        num[n] = '\0';
        if (!fix_parse(&f, num) || !fix_add(&inputs[k], f))
            return false;
        s = end != NULL ? end + 1 : eq + 1 + n;
    }
    while (*s == ' ')
        s++;
    return *s == '\0';
}

static bool summed_before(const reader *rd, int year)
{
    size_t i;

    for (i = 0; i < rd->n_before; i++)
        if (rd->before[i] == year)
            return true;
    return false;
}

/* A second row of one year and code in one file: its figures would be
 * counted twice. */
static bool repeated_row(reader *rd, const nb_csv_row *row, int year)
{
    nb_loc loc = {rd->path, row->row, 0, NULL};

    nb_diag_add(rd->dl, NB_AGGREGATE_TOTALS_REPEAT, &loc,
                _("a second row for %d and '%s': a totals file has one "
                  "row per year and indicator; keep one"),
                year, row->cells[1]);
    rd->bad = true;
    return false;
}

/* The row's unit and type are the catalog's: a file written with
 * another catalog (another unit, 万元 for 元) cannot be added up. */
static bool same_kind(reader *rd, const nb_csv_row *row, const char *unit,
                      const char *type)
{
    nb_loc loc = {rd->path, row->row, 4, NULL};

    if (strcmp(row->cells[3], unit) == 0 && strcmp(row->cells[4], type) == 0)
        return true;
    nb_diag_add(rd->dl, NB_AGGREGATE_TOTALS_UNIT, &loc,
                _("'%s' is in '%s' (%s) here, but in '%s' (%s) in the "
                  "indicator catalog of this run: merge totals written "
                  "with the same catalog (--indicators)"),
                row->cells[1], row->cells[3], row->cells[4], unit, type);
    rd->bad = true;
    return false;
}

/* A row's 合计 is what its 计算依据 gives, as aggregate writes it; a
 * row of a figure that is not a rate has no 计算依据. */
static bool basis_matches(reader *rd, const nb_csv_row *row, size_t i,
                          const fix *vals)
{
    const nb_indicator *ind = nb_catalog_at(rd->t->cat, i);
    entry tmp = {false, {0}, 0, 0, (fix *)vals, 0};
    rate_ctx rc = {rd->t, i, &tmp};
    char total[64] = "";
    double v;
    nb_loc loc = {rd->path, row->row, 6, NULL};

    if (vals == NULL && row->cells[8][0] == '\0')
        return true;
    if (vals == NULL) {
        loc.col = 9;
        nb_diag_add(rd->dl, NB_AGGREGATE_TOTALS_BASIS, &loc,
                    _("'%s' is not a rate, but the row gives a 计算依据: a "
                      "totals file nianbao wrote has none there"),
                    row->cells[1]);
        rd->bad = true;
        return false;
    }
    if (nb_formula_eval(&v, ind->formula, rate_input, &rc) == NB_FX_OK)
        nb_number_format(total, sizeof(total), v, ind->decimals);
    if (strcmp(total, row->cells[5]) == 0)
        return true;
    nb_diag_add(rd->dl, NB_AGGREGATE_TOTALS_BASIS, &loc,
                _("the rate '%s' is %s here, but its 计算依据 (%s) gives "
                  "%s: one of them was edited; write the file again with "
                  "aggregate"),
                row->cells[1], row->cells[5], row->cells[8],
                total[0] != '\0' ? total : _("no rate"));
    rd->bad = true;
    return false;
}

/* A rate row's 计算依据 into its input sums, once its 合计 is checked. */
static bool add_basis(reader *rd, const nb_csv_row *row, size_t i, entry *e)
{
    const rate_def *d = &rd->t->rates[i];
    fix *vals = calloc(d->n + 1, sizeof(*vals));
    size_t k;
    bool ok;

    if (vals == NULL) {
        rd->oom = true;
        return false;
    }
    if (!parse_basis(vals, d, row->cells[8])) {
        bad_row(rd, row->row,
                _("a rate's 计算依据 is not the sums of its formula's "
                  "counts"));
        free(vals);
        return false;
    }
    ok = basis_matches(rd, row, i, vals);
    for (k = 0; ok && k < d->n; k++)
        if (!fix_add(&e->inputs[k], vals[k])) {
            bad_row(rd, row->row, _("a sum of 计算依据 is too large"));
            ok = false;
        }
    free(vals);
    return ok;
}

static bool on_totals_row(const nb_csv_row *row, void *payload)
{
    reader *rd = payload;
    const char *const *c = row->cells;
    fix year_fix;
    year_tot *y;
    entry *e;
    size_t offices;
    size_t left;
    size_t i;
    size_t k;
    const nb_indicator *ind;

    if (!rd->header_ok) {
        for (k = 0; k < N_COLUMNS; k++)
            if (row->n != N_COLUMNS || strcmp(c[k], columns[k]) != 0) {
                bad_row(rd, row->row,
                        _("its header is not 年度,代码,指标,单位,"
                          "类型,合计,报送单位数,未计入,计算依据"));
                return false;
            }
        rd->header_ok = true;
        return true;
    }
    digest_row(&rd->digest, row);
    if (row->n != N_COLUMNS) {
        bad_row(rd, row->row, _("a row has another number of cells"));
        return false;
    }
    if (!fix_parse(&year_fix, c[0]) || year_fix.u % MICRO != 0 ||
        year_fix.u < (i128)1900 * MICRO || year_fix.u > (i128)9999 * MICRO ||
        !parse_count(&offices, c[6]) || !parse_count(&left, c[7])) {
        bad_row(rd, row->row, _("the year or a count is not a number"));
        return false;
    }
    y = year_of(rd->t, (int)(year_fix.u / MICRO));
    if (y == NULL) {
        rd->oom = true;
        return false;
    }
    y->file_used = rd->file;
    if (summed_before(rd, y->year))
        rd->shared = true;
    else if (rd->odd_row == 0)
        rd->odd_row = row->row;
    if (strcmp(c[1], REPORTS_CODE) == 0) {
        if (y->file == rd->file)
            return repeated_row(rd, row, y->year);
        if (!same_kind(rd, row, "份", "count"))
            return false;
        y->file = rd->file;
        y->reports += offices;
        rd->t->reports += offices;
        return true;
    }
    ind = nb_catalog_find(rd->t->cat, c[1]);
    i = ind != NULL ? index_of(rd->t, ind) : SIZE_MAX;
    if (i == SIZE_MAX) {
        bad_row(rd, row->row, _("an indicator code is not in the catalog"));
        return false;
    }
    e = &y->e[i];
    if (e->file == rd->file)
        return repeated_row(rd, row, y->year);
    if (!same_kind(rd, row, ind->unit != NULL ? ind->unit : "", ind->type))
        return false;
    e->file = rd->file;
    if (rd->t->rates[i].n > 0 && (offices > 0 || c[8][0] != '\0')) {
        if (!add_basis(rd, row, i, e))
            return false;
    } else if (rd->t->rates[i].n == 0 && !basis_matches(rd, row, i, NULL)) {
        return false;
    } else if (c[5][0] != '\0') {
        fix f;

        if (!fix_parse(&f, c[5]) || !fix_add(&e->sum, f)) {
            bad_row(rd, row->row, _("a total is not a number"));
            return false;
        }
    }
    e->offices += offices;
    e->left_out += left;
    return true;
}

/* "2022, 2023": the years of file 'file', or of v[0..n) when file is 0. */
static void year_list(char *buf, size_t size, const nb_totals *t,
                      uint32_t file, const int *v, size_t n)
{
    size_t len = 0;
    size_t i;

    buf[0] = '\0';
    for (i = 0; i < (file != 0 ? t->n_years : n) && len + 16 < size; i++) {
        if (file != 0 && t->years[i].file_used != file)
            continue;
        len += (size_t)snprintf(buf + len, size - len, "%s%d",
                                len > 0 ? ", " : "",
                                file != 0 ? t->years[i].year : v[i]);
    }
}

/* Every year of the file has its * row (the reports it sums). A file
 * that shares no year with what was summed before it is warned about:
 * the shards of one roll-up usually share one, but a shard may hold only
 * a late report of last year, and rows are kept per year, so the totals
 * of different years never mix. */
static void check_years(reader *rd)
{
    nb_totals *t = rd->t;
    nb_loc loc = {rd->path, 0, 0, NULL};
    size_t i;

    for (i = 0; i < t->n_years; i++) {
        const year_tot *y = &t->years[i];

        if (y->file_used == rd->file && y->file != rd->file) {
            nb_diag_add(rd->dl, NB_AGGREGATE_TOTALS_FILE, &loc,
                        _("not a totals file nianbao wrote: %d has no row "
                          "'*' (the reports summed)"),
                        y->year);
            rd->bad = true;
        }
    }
    if (rd->n_before > 0 && !rd->shared && rd->odd_row > 0) {
        char mine[256];
        char others[256];

        year_list(mine, sizeof(mine), t, rd->file, NULL, 0);
        year_list(others, sizeof(others), t, 0, rd->before, rd->n_before);
        loc.line = rd->odd_row;
        nb_diag_add(rd->dl, NB_AGGREGATE_TOTALS_YEAR, &loc,
                    _("the totals are of %s, but the inputs before this "
                      "file are of %s: added as rows of their own years; "
                      "check that the file belongs to this roll-up"),
                    mine, others);
    }
}

/* The years summed so far, before reading a totals file. */
static bool snapshot_years(reader *rd)
{
    size_t i;

    rd->before = calloc(rd->t->n_years + 1, sizeof(*rd->before));
    if (rd->before == NULL)
        return false;
    for (i = 0; i < rd->t->n_years; i++)
        if (rd->t->years[i].reports > 0)
            rd->before[rd->n_before++] = rd->t->years[i].year;
    return true;
}

static bool on_part_row(const nb_csv_row *row, void *payload)
{
    reader *rd = payload;

    if (!rd->header_ok)
        rd->header_ok = true; /* the header is no row of the totals */
    else
        digest_row(&rd->digest, row);
    return true;
}

nb_status nb_totals_note_part(nb_totals *into, const nb_totals *part,
                              const char *name, nb_diag_list *dl)
{
    reader rd = {into, name, dl, false, false, false, into->n_files + 1,
                 NULL, 0,    0,  false, {0, 0, 0, NULL}};
    nb_csv_opts o = {.encoding = NB_ENC_UTF8};
    file_digest *grown;
    nb_status st;
    nb_buf b;

    if (part->n_years == 0)
        return NB_OK; /* nothing summed: nothing to count twice */
    nb_buf_init(&b, NB_TEXT_MAX);
    totals_text(&b, part);
    if (b.st != NB_OK) {
        nb_buf_fini(&b);
        return nb_diag_nomem(dl, name);
    }
    grown = realloc(into->digests, (into->n_files + 1) * sizeof(*grown));
    if (grown == NULL) {
        nb_buf_fini(&b);
        return nb_diag_nomem(dl, name);
    }
    into->digests = grown;
    memset(&into->digests[into->n_files], 0, sizeof(*grown));
    into->n_files++;
    o.data = b.data;
    o.data_len = b.len;
    st = nb_csv_read(name, &o, on_part_row, &rd, NULL, dl);
    nb_buf_fini(&b);
    if (st == NB_OK)
        check_copy(&rd);
    if (st != NB_OK)
        return st;
    if (rd.oom)
        return nb_diag_nomem(dl, name);
    return rd.bad ? NB_ERR_FORMAT : NB_OK;
}

nb_status nb_totals_read_csv(nb_totals *t, const char *path, nb_diag_list *dl)
{
    reader rd = {t,    path, dl, false, false, false, t->n_files + 1,
                 NULL, 0,    0,  false, {0, 0, 0, NULL}};
    nb_csv_opts o = {.encoding = NB_ENC_UTF8,
                     .max_bytes = NB_DEFAULT_MAX_INPUT};
    nb_status st;

    file_digest *grown = realloc(t->digests,
                                 (t->n_files + 1) * sizeof(*grown));

    if (grown == NULL)
        return nb_diag_nomem(dl, path);
    t->digests = grown;
    memset(&t->digests[t->n_files], 0, sizeof(*grown));
    t->n_files++;
    if (!snapshot_years(&rd))
        return nb_diag_nomem(dl, path);
    st = nb_csv_read(path, &o, on_totals_row, &rd, NULL, dl);
    if (st == NB_OK && !rd.header_ok && !rd.bad)
        bad_row(&rd, 0, _("it is empty"));
    if (st == NB_OK && !rd.bad && !rd.oom)
        check_copy(&rd);
    if (st == NB_OK && !rd.bad && !rd.oom)
        check_years(&rd);
    free(rd.before);
    if (st != NB_OK)
        return st;
    if (rd.oom)
        return nb_diag_nomem(dl, path);
    return rd.bad ? NB_ERR_FORMAT : NB_OK;
}
