/* import_figures.c: the figures of an imported draft's prose made metrics
 * with references, where the text says plainly which indicator each is.
 *
 * Stage "import", after the structure is built (import.c). Every figure
 * typed in the text ("受理行政复议申请93件", "行政复议纠错率6%") whose
 * clause names an indicator right before it, in a unit the indicator is
 * counted in, for the report's year, becomes a metric, and the figure in
 * the text a reference to it, so that the rendered text is the same. A
 * figure stays typed text when it is not certain:
 *   - any word between the name and the figure but the few that only
 *     join them (为, 共计 …): 同比增长, 上年, 统一换证 make it another;
 *   - another year named in its sentence ("2021年受理93件");
 *   - a value the indicator cannot take (a count with decimals, a rate
 *     over 100) or that would print otherwise than typed ("0093");
 *   - one indicator stated with two different values;
 *   - a rate its mapped counts do not give, a whole its mapped parts
 *     exceed (the office's published figures stay as published).
 * Each figure made a metric, and each left as text for a reason worth
 * checking, is a located note (NB2110, NB2111).
 */
#include "catalog.h"
#include "figures.h"
#include "import.h"
#include "rules.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


typedef struct cand {
    const char **field; /* the text the figure is in */
    const char *text;   /* its value when the figure was found */
    size_t start, len;  /* the figure in it */
    const nb_indicator *ind;
    char value[48]; /* the number as typed: "93", "17.8万余" */
    const char *unit;
    nb_loc loc;
    bool taken; /* made a metric */
} cand;

typedef struct fig {
    nb_report *r;
    const nb_catalog *cat;
    nb_diag_list *dl;
    cand *v;
    size_t n, cap;
    bool oom;
} fig;

typedef bool (*field_fn)(const char **text, const nb_loc *loc, void *ctx);

static bool paras(nb_para *p, size_t n, field_fn fn, void *ctx)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (p[i].text != NULL && !fn(&p[i].text, &p[i].loc, ctx))
            return false;
    return true;
}

static bool items(nb_item *it, size_t n, field_fn fn, void *ctx)
{
    size_t i;

    for (i = 0; i < n; i++)
        if ((it[i].text != NULL && !fn(&it[i].text, &it[i].loc, ctx)) ||
            !paras(it[i].paras, it[i].n_paras, fn, ctx) ||
            !items(it[i].items, it[i].n_items, fn, ctx))
            return false;
    return true;
}

/* Every text of the body that may hold figures, as a field to rewrite. */
static bool each_field(nb_report *r, field_fn fn, void *ctx)
{
    size_t i, k;

    if (!paras(r->preamble, r->n_preamble, fn, ctx))
        return false;
    for (i = 0; i < r->n_sections; i++) {
        nb_section *s = &r->sections[i];

        if (!paras(s->intro, s->n_intro, fn, ctx) ||
            (s->summary != NULL && !fn(&s->summary, &s->summary_loc, ctx)))
            return false;
        for (k = 0; k < s->n_areas; k++)
            if (!paras(s->areas[k].paras, s->areas[k].n_paras, fn, ctx) ||
                !items(s->areas[k].items, s->areas[k].n_items, fn, ctx))
                return false;
        if (!paras(s->closing, s->n_closing, fn, ctx))
            return false;
    }
    return true;
}

/* Between the indicator's name and its figure: nothing, or one of the
 * few words that only join them ("为", "共计"). Anything else may make
 * the figure another one ("统一换证850本" is not the holders of
 * certificates) or a change ("同比增长"). */
static bool plain_gap(const char *s, size_t n)
{
    static const char *const words[] = {
        "为", "是", "达", "达到", "共", "共计", "合计", "总计", "计",
        "有", "共有", "总数", "数量", "数"};
    size_t i;

    if (n == 0)
        return true;
    for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
        if (strlen(words[i]) == n && memcmp(s, words[i], n) == 0)
            return true;
    return false;
}

/* A year other than the report's named in the sentence before 'at'. */
static bool other_year(const char *s, size_t at, int year)
{
    size_t from = at;
    size_t i;

    while (from > 0 && !(from >= 3 && memcmp(s + from - 3, "。", 3) == 0))
        from--;
    for (i = from; i + 7 <= at; i++)
        if (s[i] == '2' && s[i + 1] == '0' && s[i + 2] >= '0' &&
            s[i + 2] <= '9' && s[i + 3] >= '0' && s[i + 3] <= '9' &&
            memcmp(s + i + 4, "年", 3) == 0 &&
            (i == from || s[i - 1] < '0' || s[i - 1] > '9')) {
            int y = (s[i + 2] - '0') * 10 + (s[i + 3] - '0') + 2000;

            if (year == 0 || y != year)
                return true;
        }
    return false;
}

/* The figure f of s as a candidate metric, when it is a plain one. */
static void consider(fig *g, const char **field, const nb_loc *loc,
                     const nb_figure *f)
{
    const char *s = *field;
    size_t ulen = strlen(f->unit);
    size_t nlen = f->len - ulen;
    size_t key_end = 0;
    char shown[64];
    nb_quantity q;
    const nb_indicator *ind;
    cand *c;

    if (nlen == 0 || nlen >= sizeof(c->value))
        return;
    ind = nb_figure_indicator(g->cat, s, f, &key_end);
    if (ind == NULL || key_end > f->start ||
        !plain_gap(s + key_end, f->start - key_end) ||
        other_year(s, f->start, g->r->meta.year))
        return;
    if (g->n == g->cap) {
        size_t cap = g->cap == 0 ? 32 : g->cap * 2;
        cand *v = realloc(g->v, cap * sizeof(*v));

        if (v == NULL) {
            g->oom = true;
            return;
        }
        g->v = v;
        g->cap = cap;
    }
    c = &g->v[g->n];
    memset(c, 0, sizeof(*c));
    memcpy(c->value, s + f->start, nlen);
    c->value[nlen] = '\0';
    if (!nb_quantity_parse(&q, c->value) || q.negative ||
        strcmp(nb_figure_shown(shown, sizeof(shown), c->value), c->value) != 0)
        return;
    c->field = field;
    c->text = s;
    c->start = f->start;
    c->len = f->len;
    c->ind = ind;
    c->unit = f->unit;
    c->loc = *loc;
    g->n++;
}

static bool collect(const char **field, const nb_loc *loc, void *ctx)
{
    fig *g = ctx;
    const char *s = *field;
    size_t n = strlen(s);
    size_t pos = 0;
    nb_figure f;

    while (!g->oom && nb_figure_next(&f, s, n, &pos))
        consider(g, field, loc, &f);
    return !g->oom;
}

static void kept(fig *g, cand *c, const char *why)
{
    nb_diag_add(g->dl, NB_IMPORT_FIGURE_KEPT, &c->loc,
                _("'%.*s' looks like %s (%s), but %s: it stays typed text"),
                (int)c->len, c->text + c->start, c->ind->name, c->ind->code,
                why);
    c->ind = NULL;
}

/* The number a chosen candidate gives its indicator, for a formula. */
static bool chosen_value(double *out, const char *code, size_t len, void *ctx)
{
    const fig *g = ctx;
    size_t i;

    for (i = 0; i < g->n; i++) {
        const cand *c = &g->v[i];
        nb_quantity q;

        if (c->taken && strlen(c->ind->code) == len &&
            memcmp(c->ind->code, code, len) == 0 &&
            nb_quantity_parse(&q, c->value) && !q.approx) {
            *out = q.num;
            return true;
        }
    }
    return false;
}

/* One value per indicator, one the indicator can take. */
static void choose(fig *g)
{
    nb_diag_list *quiet = nb_diag_list_new();
    size_t i, j;

    if (quiet == NULL) {
        g->oom = true;
        return;
    }
    for (i = 0; i < g->n; i++) {
        cand *c = &g->v[i];
        bool same = true;

        if (c->ind == NULL || c->taken)
            continue;
        for (j = i + 1; j < g->n; j++)
            if (g->v[j].ind == c->ind &&
                (strcmp(g->v[j].value, c->value) != 0 ||
                 strcmp(g->v[j].unit, c->unit) != 0))
                same = false;
        if (same && !nb_metric_check(NULL, g->cat, c->ind->code, c->value,
                                     c->unit, &c->loc, "", "", quiet))
            same = false;
        for (j = g->n; j-- > i;) {
            if (g->v[j].ind != c->ind)
                continue;
            if (same)
                g->v[j].taken = true;
            else
                kept(g, &g->v[j], _("the draft states it otherwise too, or "
                                    "with a value it cannot take"));
        }
    }
    nb_diag_list_free(quiet);
}

static void unchoose(fig *g, const nb_indicator *ind, const char *why)
{
    size_t i;

    for (i = 0; i < g->n; i++)
        if (g->v[i].taken && g->v[i].ind == ind) {
            g->v[i].taken = false;
            kept(g, &g->v[i], why);
        }
}

/* The office's published rates and totals stay as published when the
 * counts and parts mapped beside them do not give them. */
static void agree(fig *g)
{
    size_t i, n = nb_catalog_rule_count(g->cat);

    for (i = 0; i < g->n; i++) {
        const cand *c = &g->v[i];
        nb_quantity q;
        double v, scale = 1;
        unsigned d;
        nb_fx fx;

        if (!c->taken || c->ind->formula == NULL ||
            !nb_quantity_parse(&q, c->value))
            continue;
        fx = nb_formula_eval(&v, c->ind->formula, chosen_value, g);
        for (d = 0; d < q.decimals; d++)
            scale *= 10;
        if (fx == NB_FX_ZERO ||
            (fx == NB_FX_OK && floor(v * scale + 0.5 + 1e-9) !=
                                   floor(q.num * scale + 0.5)))
            unchoose(g, c->ind, _("the counts in the text do not give it"));
    }
    for (i = 0; i < n; i++) {
        const nb_catalog_rule *ru = nb_catalog_rule_at(g->cat, i);
        const nb_indicator *whole = nb_catalog_find(g->cat, ru->whole);
        const char *p = ru->parts;
        double w, sum = 0, x;
        size_t given = 0, named = 0;

        if (whole == NULL || !chosen_value(&w, ru->whole, strlen(ru->whole), g))
            continue;
        while (*p != '\0') {
            size_t len = strcspn(p, " ");

            if (len > 0) {
                named++;
                if (chosen_value(&x, p, len, g)) {
                    sum += x;
                    given++;
                }
            }
            p += len;
            while (*p == ' ')
                p++;
        }
        if (sum > w + 1e-9 ||
            (ru->exhaustive && given == named && fabs(sum - w) > 1e-9))
            unchoose(g, whole, _("the parts in the text do not add up to it"));
    }
}

/* The metric of each chosen indicator, from its first statement. */
static bool make_metrics(fig *g)
{
    nb_report *r = g->r;
    size_t i, j, want = 0;
    nb_metric *v;

    for (i = 0; i < g->n; i++) {
        for (j = 0; j < i && !(g->v[j].taken && g->v[j].ind == g->v[i].ind);
             j++)
            ;
        want += g->v[i].taken && j == i;
    }
    if (want == 0)
        return true;
    v = nb_arena_array(r->arena, r->n_metrics + want + 64, sizeof(*v));
    if (v == NULL)
        return false;
    if (r->n_metrics > 0)
        memcpy(v, r->metrics, r->n_metrics * sizeof(*v));
    r->metrics = v;
    for (i = 0; i < g->n; i++) {
        const cand *c = &g->v[i];
        nb_metric *m;

        if (!c->taken || nb_report_metric(r, c->ind->code) != NULL)
            continue;
        m = &r->metrics[r->n_metrics];
        memset(m, 0, sizeof(*m));
        m->code = c->ind->code;
        m->value = nb_arena_strdup(r->arena, c->value);
        if (c->ind->unit == NULL || strcmp(c->ind->unit, c->unit) != 0)
            m->unit = c->unit;
        m->loc = c->loc;
        if (m->value == NULL)
            return false;
        nb_metric_settle(m, g->cat);
        r->n_metrics++;
    }
    return true;
}

/* Each text with its chosen figures replaced by references. */
static bool rewrite(fig *g)
{
    size_t i = 0;

    while (i < g->n) {
        const char **field = g->v[i].field;
        const char *s = g->v[i].text;
        size_t pos = 0;
        bool any = false;
        nb_buf b;

        nb_buf_init(&b, NB_TEXT_MAX);
        for (; i < g->n && g->v[i].field == field; i++) {
            const cand *c = &g->v[i];

            if (!c->taken)
                continue;
            any = true;
            nb_buf_add(&b, s + pos, c->start - pos);
            nb_buf_printf(&b, "%c%s%c", NB_REF_OPEN, c->ind->code,
                          NB_REF_CLOSE);
            pos = c->start + c->len;
            nb_diag_add(g->dl, NB_IMPORT_FIGURE, &c->loc,
                        _("'%.*s' is now the metric %s (%s), and the text "
                          "refers to it: check the figure (import with "
                          "--no-metrics to keep figures typed)"),
                        (int)c->len, s + c->start, c->ind->name, c->ind->code);
        }
        if (any) {
            nb_buf_adds(&b, s + pos);
            if (b.st != NB_OK ||
                (*field = nb_arena_strndup(g->r->arena, b.data, b.len)) ==
                    NULL) {
                nb_buf_fini(&b);
                return false;
            }
        }
        nb_buf_fini(&b);
    }
    return true;
}

nb_status nb_import_figures(nb_report *r, const nb_catalog *cat,
                           nb_diag_list *dl)
{
    fig g = {r, cat, dl, NULL, 0, 0, false};
    bool ok;

    each_field(r, collect, &g);
    if (!g.oom)
        choose(&g);
    if (!g.oom)
        agree(&g);
    ok = !g.oom && make_metrics(&g) && rewrite(&g);
    free(g.v);
    return ok ? NB_OK : nb_diag_nomem(dl, r->file);
}
