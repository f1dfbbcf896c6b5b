/* rules.c: the domain rules a report is held to (docs/rules.md).
 *
 * Content, for the annual-report profile: the parts
 * 《法治政府建设与责任落实督察工作规定》 art. 25 requires, the plans for the
 * following year, the date (art. 24: published before 1 April). A
 * work-summary is not bound by art. 25; its date must still come after
 * the year it reports on.
 * Arithmetic, from the indicator catalog: parts never more than their
 * whole, exhaustive parts adding up to it, stated rates agreeing with the
 * rate their counts give within the rounding of their decimals. Rates
 * not stated are derived from their formulas; with last year's report
 * every metric gets its previous value. Every metric reference in the
 * text must resolve. All findings are reported, each with its source.
 *
 * Approximate figures (1万余, 近千) take part in no arithmetic: a bound
 * is not a value.
 */
#include "rules.h"

#include "catalog.h"
#include "figures.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ART25 "《法治政府建设与责任落实督察工作规定》第二十五条"
#define ART24 "《法治政府建设与责任落实督察工作规定》第二十四条"

typedef struct ck {
    nb_report *r;
    const nb_catalog *cat;
    nb_diag_list *dl;
    nb_profile profile;
    const nb_report *prev;
    const char *allow; /* --allow: codes acknowledged for the whole run */
    const char **seen; /* bad references already reported (first_time) */
    size_t seen_n;
    size_t seen_size;
    bool oom;
} ck;

bool nb_profile_parse(nb_profile *out, const char *name)
{
    if (name == NULL)
        return false;
    if (strcmp(name, "annual-report") == 0 || strcmp(name, "strict") == 0 ||
        strcmp(name, "年度报告") == 0) {
        *out = NB_PROFILE_ANNUAL;
        return true;
    }
    if (strcmp(name, "work-summary") == 0 || strcmp(name, "lenient") == 0 ||
        strcmp(name, "工作总结") == 0) {
        *out = NB_PROFILE_SUMMARY;
        return true;
    }
    return false;
}

const char *nb_profile_name(nb_profile p)
{
    return p == NB_PROFILE_SUMMARY ? "work-summary" : "annual-report";
}

/* ==== Content (art. 25) ==== */

static bool section_empty(const nb_section *s)
{
    return s->n_intro == 0 && s->summary == NULL && s->n_areas == 0 &&
           s->n_closing == 0;
}

/* The duties part is often an area of the measures part ("(一)加强党的
 * 全面领导,履行推进法治建设第一责任人职责"): found by its keyword, in the
 * measures or other parts, and only when the area has content. */
static const nb_area *duties_area(const nb_report *r)
{
    size_t i;
    size_t k;

    for (i = 0; i < r->n_sections; i++) {
        const nb_section *s = &r->sections[i];

        if (s->kind != NB_SECTION_MEASURES && s->kind != NB_SECTION_OTHER)
            continue;
        for (k = 0; k < s->n_areas; k++) {
            const nb_area *a = &s->areas[k];

            if (a->title != NULL && strstr(a->title, "第一责任人") != NULL &&
                (a->n_paras > 0 || a->n_items > 0))
                return a;
        }
    }
    return NULL;
}

/* The section of this required kind, or NULL; *present is false when
 * the report lacks the part altogether (a duties area counts). */
static const nb_section *required_part(const nb_report *r, int kind,
                                       bool *present)
{
    size_t i;

    *present = true;
    for (i = 0; i < r->n_sections; i++)
        if ((int)r->sections[i].kind == kind)
            return &r->sections[i];
    *present = kind == NB_SECTION_DUTIES && duties_area(r) != NULL;
    return NULL;
}

static const char *const part_labels[] = {"举措成效", "存在不足", "第一责任人",
                                          "下年安排"};

unsigned nb_report_parts_missing(const nb_report *r)
{
    unsigned missing = 0;
    int kind;

    for (kind = 0; kind < 4; kind++) {
        bool present;
        const nb_section *s = required_part(r, kind, &present);

        if (!present || (s != NULL && section_empty(s)))
            missing |= 1u << kind;
    }
    return missing;
}

static int part_index(unsigned part)
{
    int kind;

    for (kind = 0; kind < 4; kind++)
        if (part == 1u << kind)
            return kind;
    return -1;
}

const char *nb_part_label(unsigned part)
{
    int kind = part_index(part);

    return kind < 0 ? NULL : part_labels[kind];
}

const char *nb_part_name(unsigned part)
{
    int kind = part_index(part);

    return kind < 0 ? NULL : nb_section_kind_name((nb_section_kind)kind);
}

static void content(ck *c)
{
    static const char *const names[] = {
        "主要举措和成效", "存在的不足和原因",
        "党政主要负责人履行推进法治建设第一责任人职责的情况",
        "下一年度的主要安排"};
    nb_loc file = {c->r->file, 0, 0, NULL};
    int kind;

    for (kind = 0; kind < 4; kind++) {
        bool present;
        const nb_section *found = required_part(c->r, kind, &present);

        if (!present)
            nb_diag_add(c->dl, NB_RULE_SECTION_MISSING, &file,
                        _("no %s part (section kind=\"%s\", or 部分 "
                          "%s in narrative.csv): an annual report must "
                          "report it (%s); add it, or, for a work summary, "
                          "set 报告类型 to 工作总结 in meta.csv "
                          "(<profile>work-summary</profile> in XML)"),
                        names[kind], nb_section_kind_name(kind),
                        part_labels[kind], ART25);
        else if (found != NULL && section_empty(found))
            nb_diag_add(c->dl, NB_RULE_SECTION_EMPTY, &found->loc,
                        _("the %s part has a title and nothing else: "
                          "write what it reports (%s), or, for a work "
                          "summary, set 报告类型 to 工作总结 "
                          "(<profile>work-summary</profile>)"),
                        names[kind], ART25);
    }
}

/* The years ("2022年") 'text' names: 0 when it names none, 'want' when
 * it names that one among others, else the first it names. A plans title
 * such as "2023年及“十四五”后三年(2023—2025年)工作安排" is for 2023. */
static int plans_year(const char *text, int want)
{
    const char *p;
    int first = 0;

    for (p = text; p != NULL && *p != '\0'; p++) {
        if ((p[0] == '1' || p[0] == '2') && p[1] >= '0' && p[1] <= '9' &&
            p[2] >= '0' && p[2] <= '9' && p[3] >= '0' && p[3] <= '9' &&
            strncmp(p + 4, "年", 3) == 0 &&
            (p == text || !(p[-1] >= '0' && p[-1] <= '9'))) {
            int y = (p[0] - '0') * 1000 + (p[1] - '0') * 100 +
                    (p[2] - '0') * 10 + (p[3] - '0');

            if (y == want)
                return want;
            if (first == 0)
                first = y;
            p += 3;
        }
    }
    return first;
}

static void years(ck *c)
{
    const nb_meta *m = &c->r->meta;
    char *md;
    long y;
    size_t i;

    for (i = 0; i < c->r->n_sections; i++) {
        const nb_section *s = &c->r->sections[i];

        if (s->kind != NB_SECTION_PLANS || s->title_default ||
            c->profile != NB_PROFILE_ANNUAL)
            continue;
        y = plans_year(s->title, m->year + 1);
        if (y != 0 && y != m->year + 1)
            nb_diag_add(c->dl, NB_RULE_PLANS_YEAR, &s->loc,
                        _("the plans part is titled '%s', for %d: a report "
                          "on %d plans for %d (%s); correct the title or "
                          "the year reported"),
                        s->title, (int)y, m->year, m->year + 1, ART25);
    }
    if (m->date == NULL)
        return; /* web pages carry it apart from the text: not required */
    y = (long)strtol(m->date, &md, 10); /* YYYY-MM-DD, by the readers */
    if (y <= m->year)
        nb_diag_add(c->dl, NB_RULE_DATE_YEAR, &m->date_loc,
                    _("the date written %s is not after the year %d the "
                      "report is on: a report on %d is written in %d; "
                      "correct the date or the year"),
                    m->date, m->year, m->year, m->year + 1);
    else if (c->profile == NB_PROFILE_ANNUAL &&
             (y > m->year + 1 || strcmp(md, "-04-01") > 0))
        nb_diag_add(c->dl, NB_RULE_DATE_LATE, &m->date_loc,
                    _("the date written %s is after 1 April %d, when an "
                      "annual report is due to be published (%s)"),
                    m->date, m->year + 1, ART24);
}

/* ==== Acknowledged findings ==== */

static const char *label(const nb_metric *m)
{
    return m->ind != NULL ? m->ind->name : m->code;
}


/* Whether 'list' ("NB5022 5020", as allow= or --allow give it) names
 * 'code'. */
static bool allows(const char *list, nb_code code)
{
    const char *p = list;

    while (p != NULL && *p != '\0') {
        size_t n;
        char id[16];

        p += strspn(p, " ,");
        n = strcspn(p, " ,");
        if (n > 0 && n < sizeof(id)) {
            memcpy(id, p, n);
            id[n] = '\0';
            if (nb_code_parse(id) == code)
                return true;
        }
        p += n;
    }
    return false;
}

/* A finding about metric 'm' (and 'm2', the other side of a relation,
 * or NULL), located at 'm'. When either metric acknowledges its code
 * with a reason, it is the note NB5200 carrying the finding and the
 * reason: kept in sight, no longer an error. */
static void metric_finding(ck *c, nb_code code, nb_metric *m, nb_metric *m2,
                           const char *fmt, ...)
{
    nb_metric *by = NULL;
    va_list ap;
    nb_buf msg;

    if (m->allow != NULL && m->reason != NULL && allows(m->allow, code))
        by = m;
    else if (m2 != NULL && m2->allow != NULL && m2->reason != NULL &&
             allows(m2->allow, code))
        by = m2;
    va_start(ap, fmt);
    if (by == NULL) {
        nb_diag_addv(c->dl, code, &m->loc, fmt, ap);
        va_end(ap);
        return;
    }
    nb_buf_init(&msg, NB_TEXT_MAX);
    nb_buf_vprintf(&msg, fmt, ap);
    va_end(ap);
    by->allow_used = true;
    nb_diag_add(c->dl, NB_RULE_ACKNOWLEDGED, &m->loc,
                _("%s acknowledged, kept as published: %s (%s)"),
                nb_code_id(code), by->reason,
                msg.data != NULL ? msg.data : "");
    nb_buf_fini(&msg);
}

/* An acknowledgement that met no finding: the figure may have been
 * corrected since, and a stale one would hide the next mistake. */
static void unused_allows(ck *c)
{
    size_t i;

    for (i = 0; i < c->r->n_metrics; i++) {
        const nb_metric *m = &c->r->metrics[i];

        if (m->derived || m->allow == NULL || m->allow_used)
            continue;
        if (m->reason == NULL)
            nb_diag_add(c->dl, NB_RULE_ALLOW_UNUSED, &m->loc,
                        _("%s (%s) acknowledges %s without a reason: say "
                          "why the figure is kept (reason=\"…\", 理由)"),
                        label(m), m->code, m->allow);
        else
            nb_diag_add(c->dl, NB_RULE_ALLOW_UNUSED, &m->loc,
                        _("%s (%s) acknowledges %s, which it does not "
                          "have: remove the acknowledgement"),
                        label(m), m->code, m->allow);
    }
}

/* ==== Figures ==== */

typedef struct lookup_ctx {
    const nb_report *r;
    const nb_mindex *ix; /* over r's metrics, or NULL: r's own */
} lookup_ctx;

/* A metric's exact value for a formula: approximate ones have none. */
static bool value_of(double *out, const char *code, size_t len, void *ctx)
{
    const lookup_ctx *lc = ctx;
    const nb_metric *m = lc->ix != NULL
                             ? nb_mindex_find(lc->ix, lc->r->metrics, code, len)
                             : nb_report_metric_n(lc->r, code, len);

    if (m == NULL || m->approx)
        return false;
    *out = m->num;
    return true;
}

/* The formula with each code replaced by its value: "3251 / 3314 * 100". */
static void substitute(nb_buf *b, const char *f, const nb_report *r)
{
    const char *p = f;

    while (*p != '\0') {
        size_t n = 0;

        if (*p >= 'a' && *p <= 'z') {
            const nb_metric *m;

            while (nb_is_code_byte(p[n]))
                n++;
            m = nb_report_metric_n(r, p, n);
            if (m != NULL)
                nb_buf_adds(b, m->value);
            else
                nb_buf_add(b, p, n);
            p += n;
        } else {
            nb_buf_addc(b, *p++);
        }
    }
}

/* Room for every rate the report may derive, and the index over its
 * metrics that every lookup of the rules and the view then uses. */
static void make_room(ck *c)
{
    nb_report *r = c->r;
    size_t n = nb_catalog_count(c->cat);
    size_t extra = 0;
    size_t i;

    for (i = 0; i < n; i++)
        extra += nb_catalog_at(c->cat, i)->formula != NULL;
    if (extra > 0) {
        nb_metric *bigger =
            nb_arena_array(r->arena, r->n_metrics + extra, sizeof(*bigger));

        if (bigger == NULL) {
            c->oom = true;
            return;
        }
        if (r->n_metrics > 0)
            memcpy(bigger, r->metrics, r->n_metrics * sizeof(*bigger));
        r->metrics = bigger;
    }
    nb_mindex_free(&r->mindex);
    if (!nb_mindex_build(&r->mindex, r->metrics, r->n_metrics,
                         r->n_metrics + extra))
        c->oom = true;
}

/* Rates the report does not state, from their formulas, into the room
 * make_room left. */
static void derive(ck *c)
{
    nb_report *r = c->r;
    size_t n = nb_catalog_count(c->cat);
    size_t i;

    for (i = 0; i < n; i++) {
        const nb_indicator *ind = nb_catalog_at(c->cat, i);
        lookup_ctx lc = {r, NULL};
        char num[64];
        double v;
        nb_metric *m;

        if (ind->formula == NULL || nb_report_metric(r, ind->code) != NULL ||
            nb_formula_eval(&v, ind->formula, value_of, &lc) != NB_FX_OK)
            continue;
        nb_number_format(num, sizeof(num), v, ind->decimals);
        m = &r->metrics[r->n_metrics];
        memset(m, 0, sizeof(*m));
        m->code = nb_arena_strdup(r->arena, ind->code);
        m->value = nb_arena_strdup(r->arena, num);
        m->loc.file = r->file;
        m->derived = true;
        if (m->code == NULL || m->value == NULL) {
            c->oom = true;
            return;
        }
        nb_metric_settle(m, c->cat);
        nb_mindex_add(&r->mindex, r->metrics, r->n_metrics);
        r->n_metrics++;
    }
}

static void parts_and_wholes(ck *c)
{
    size_t n = nb_catalog_rule_count(c->cat);
    size_t i;

    for (i = 0; i < n; i++) {
        const nb_catalog_rule *ru = nb_catalog_rule_at(c->cat, i);
        const nb_metric *whole = nb_report_metric(c->r, ru->whole);
        const nb_metric *last = NULL;
        const char *p = ru->parts;
        size_t given = 0;
        size_t named = 0;
        bool approx = false;
        double sum = 0;
        double slack;
        const char *parts;
        nb_buf list;

        if (whole == NULL || whole->approx || whole->derived)
            continue;
        nb_buf_init(&list, NB_TEXT_MAX);
        while (*p == ' ')
            p++;
        while (*p != '\0') {
            size_t len = strcspn(p, " ");
            const nb_metric *m = nb_report_metric_n(c->r, p, len);

            named++;
            if (m != NULL && !m->derived) {
                approx = approx || m->approx;
                sum += m->num;
                nb_buf_printf(&list, "%s%s %s", given > 0 ? " + " : "",
                              label(m), m->value);
                given++;
                last = m;
            }
            p += len;
            while (*p == ' ')
                p++;
        }
        /* a relative slack for the rounding of decimal sums, far below a
         * cent of ten million */
        slack = 1e-12 * (fabs(whole->num) > 1 ? fabs(whole->num) : 1);
        parts = list.data != NULL ? list.data : "…";
        if (given > 0 && !approx && sum > whole->num + slack) {
            if (given == 1)
                metric_finding(c, NB_RULE_PART_EXCEEDS, (nb_metric *)last,
                               (nb_metric *)whole,
                            _("%s (%s) %s is more than %s (%s) %s: %s; "
                              "correct the figures, or acknowledge them "
                              "with a reason (allow=\"NB5020\")"),
                            label(last), last->code, last->value, label(whole),
                            whole->code, whole->value, ru->source);
            else {
                char total[64];

                nb_number_format(total, sizeof(total), sum, 6);
                metric_finding(c, NB_RULE_PART_EXCEEDS, (nb_metric *)whole,
                               NULL,
                            _("%s add up to %s, more than %s (%s) %s: %s; "
                              "correct the figures, or acknowledge them "
                              "with a reason (allow=\"NB5020\")"),
                            parts, total, label(whole), whole->code,
                            whole->value, ru->source);
            }
        } else if (ru->exhaustive && given == named && !approx &&
                   fabs(sum - whole->num) > slack) {
            char total[64];

            nb_number_format(total, sizeof(total), sum, 6);
            metric_finding(c, NB_RULE_SUM_MISMATCH, (nb_metric *)whole, NULL,
                        _("%s add up to %s, not %s (%s) %s: %s; correct "
                          "the figures, or acknowledge them with a reason "
                          "(allow=\"NB5021\")"),
                        parts, total,
                        label(whole), whole->code, whole->value, ru->source);
        }
        nb_buf_fini(&list);
    }
}

/* Stated rates against their counts: equal within half a unit of the
 * last decimal they are stated with (98% covers 97.5 to 98.5). */
static void rate_mismatch(ck *c, nb_metric *m, double v, double cut)
{
    char got[64];
    char rounded[64];
    nb_buf subst;
    const char *f;

    nb_buf_init(&subst, 4096);
    substitute(&subst, m->ind->formula, c->r);
    f = subst.data != NULL ? subst.data : m->ind->formula;
    nb_number_format(got, sizeof(got), v, 4);
    if (m->truncate) {
        nb_number_format(rounded, sizeof(rounded), cut, (int)m->decimals);
        metric_finding(c, NB_RULE_RATE_MISMATCH, m, NULL,
                       _("%s (%s) is stated as %s%%, but its counts give %s "
                         "= %s%%, which truncates to %s%%: correct the rate "
                         "or its counts, or acknowledge it with a reason "
                         "(allow=\"NB5022\")"),
                       label(m), m->code, m->value, f, got, rounded);
    } else {
        nb_number_format(rounded, sizeof(rounded), v, (int)m->decimals);
        metric_finding(c, NB_RULE_RATE_MISMATCH, m, NULL,
                       cut == m->num
                           ? _("%s (%s) is stated as %s%%, but its counts "
                               "give %s = %s%%, which rounds to %s%%; the "
                               "stated rate is cut, not rounded: say so "
                               "with rounding=\"truncate\" (取舍 截尾)")
                           : _("%s (%s) is stated as %s%%, but its counts "
                               "give %s = %s%%, which rounds to %s%%: "
                               "correct the rate or its counts, or "
                               "acknowledge it with a reason "
                               "(allow=\"NB5022\")"),
                       label(m), m->code, m->value, f, got, rounded);
    }
    nb_buf_fini(&subst);
}

/* Stated rates against their counts: equal within the rounding of the
 * last decimal they are stated with (98% covers 97.5 up to 98.5), or,
 * for a rate the office truncates (rounding="truncate"), the counts'
 * rate cut to the stated decimals (99.78% covers 99.78 up to 99.79). */
static void rates(ck *c)
{
    size_t i;

    for (i = 0; i < c->r->n_metrics; i++) {
        nb_metric *m = &c->r->metrics[i];
        lookup_ctx lc = {c->r, NULL};
        double v;
        double scale;
        double stated;
        double cut;
        nb_fx fx;
        unsigned d;

        if (m->derived || m->approx || m->ind == NULL ||
            m->ind->formula == NULL)
            continue;
        fx = nb_formula_eval(&v, m->ind->formula, value_of, &lc);
        if (fx == NB_FX_ZERO) {
            metric_finding(c, NB_RULE_RATE_UNDEFINED, m, NULL,
                           _("%s (%s) is stated as %s%%, but %s divides by "
                             "zero, so the rate is undefined: give the "
                             "counts or leave the rate out"),
                           label(m), m->code, m->value, m->ind->formula);
            continue;
        }
        if (fx != NB_FX_OK)
            continue;
        scale = 1;
        for (d = 0; d < m->decimals; d++)
            scale *= 10;
        stated = floor(m->num * scale + 0.5);
        cut = floor(v * scale + 1e-9);
        if (m->truncate ? cut != stated
                        : floor(v * scale + 0.5 + 1e-9) != stated)
            rate_mismatch(c, m, v, cut / scale);
    }
}

/* ==== Last year ==== */

static void previous(ck *c)
{
    const nb_report *p = c->prev;
    nb_loc file = {c->r->file, 0, 0, NULL};
    nb_mindex ix;
    size_t i;

    if (p->meta.year != c->r->meta.year - 1)
        nb_diag_add(c->dl, NB_RULE_PREVIOUS_YEAR, &file,
                    _("the previous report %s is on %d, not %d: its "
                      "figures are compared as last year's all the same"),
                    p->file, p->meta.year, c->r->meta.year - 1);
    if (p->meta.issuer != NULL && c->r->meta.issuer != NULL &&
        strcmp(p->meta.issuer, c->r->meta.issuer) != 0)
        nb_diag_add(c->dl, NB_RULE_PREVIOUS_ISSUER, &file,
                    _("the previous report %s is from %s, this one from %s"),
                    p->file, p->meta.issuer, c->r->meta.issuer);
    if (!nb_mindex_build(&ix, p->metrics, p->n_metrics, p->n_metrics)) {
        c->oom = true;
        return;
    }
    for (i = 0; i < c->r->n_metrics && !c->oom; i++) {
        nb_metric *m = &c->r->metrics[i];
        const nb_metric *old =
            nb_mindex_find(&ix, p->metrics, m->code, strlen(m->code));
        nb_quantity q;

        if (old != NULL) {
            /* copied: last year's report need not outlive this one */
            m->has_prev = true;
            m->prev_num = old->num;
            m->prev_value = nb_arena_strdup(c->r->arena, old->value);
            m->prev_approx = old->approx;
        } else if (m->ind != NULL && m->ind->formula != NULL) {
            /* last year's rate from last year's counts, rounded as this
             * year's derived rates are, so that both sides compare alike */
            lookup_ctx lc = {p, &ix};
            char num[64];
            double v;

            if (nb_formula_eval(&v, m->ind->formula, value_of, &lc) != NB_FX_OK)
                continue;
            nb_number_format(num, sizeof(num), v, m->ind->decimals);
            m->prev_value = nb_arena_strdup(c->r->arena, num);
            m->has_prev = true;
            m->prev_num = nb_quantity_parse(&q, num) ? q.num : v;
        } else {
            continue;
        }
        if (m->prev_value == NULL)
            c->oom = true;
    }
    nb_mindex_free(&ix);
}

const char *nb_metric_unit(const nb_metric *m)
{
    if (m->unit != NULL && m->unit[0] != '\0')
        return m->unit;
    return m->ind != NULL ? m->ind->unit : "";
}

bool nb_metric_change(const nb_metric *m, double *pct, bool *has_pct,
                      double *pp, bool *has_pp)
{
    *has_pct = *has_pp = false;
    *pct = *pp = 0;
    if (!m->has_prev || m->approx || m->prev_approx)
        return false;
    if (m->prev_num != 0) {
        *pct = (m->num - m->prev_num) / m->prev_num * 100;
        *has_pct = true;
    }
    if (m->ind != NULL && strcmp(m->ind->type, "rate") == 0) {
        *pp = m->num - m->prev_num;
        *has_pp = true;
    }
    return *has_pct || *has_pp;
}

bool nb_metric_yoy(char *out, size_t size, const nb_metric *m)
{
    double pct;
    double pp;
    bool has_pct;
    bool has_pp;
    char num[64];

    if (!nb_metric_change(m, &pct, &has_pct, &pp, &has_pp))
        return false;
    if (has_pp) {
        /* a rate changes in percentage points, never in percent */
        nb_number_format(num, sizeof(num), fabs(pp), 2);
        if (strcmp(num, "0") == 0)
            snprintf(out, size, "与上年持平");
        else
            snprintf(out, size, "同比%s%s个百分点", pp > 0 ? "提高" : "下降",
                     num);
        return true;
    }
    nb_number_format(num, sizeof(num), fabs(pct), 1);
    if (strcmp(num, "0") == 0)
        snprintf(out, size, "与上年持平");
    else
        snprintf(out, size, "同比%s%s%%", pct > 0 ? "增长" : "下降", num);
    return true;
}

/* ==== References in the text ==== */

/* The first time 'key' (a code, with a field for a change) is met: a
 * bad reference is reported once, at its first place, however often the
 * text repeats it. */
static bool first_time(ck *c, const char *key)
{
    size_t j;

    if (c->seen_n * 2 >= c->seen_size) {
        size_t size = c->seen_size == 0 ? 64 : c->seen_size * 2;
        const char **bigger = calloc(size, sizeof(*bigger));
        size_t i;

        if (bigger == NULL) {
            c->oom = true;
            return false;
        }
        for (i = 0; i < c->seen_size; i++) {
            if (c->seen[i] == NULL)
                continue;
            for (j = nb_str_hash(c->seen[i]) & (size - 1); bigger[j] != NULL;
                 j = (j + 1) & (size - 1))
                ;
            bigger[j] = c->seen[i];
        }
        free(c->seen);
        c->seen = bigger;
        c->seen_size = size;
    }
    for (j = nb_str_hash(key) & (c->seen_size - 1); c->seen[j] != NULL;
         j = (j + 1) & (c->seen_size - 1))
        if (strcmp(c->seen[j], key) == 0)
            return false;
    c->seen[j] = nb_arena_strdup(c->r->arena, key);
    if (c->seen[j] == NULL) {
        c->oom = true;
        return false;
    }
    c->seen_n++;
    return true;
}

/* Was the metric row of 'code' left out of a partial report for its
 * findings (or a row whose code is unknown)? */
static bool unread(const nb_report *r, const char *code)
{
    size_t n = strlen(code);
    const char *p = r->unread_codes;

    if (r->unread_metric)
        return true;
    while (p != NULL && (p = strstr(p, code)) != NULL) {
        if ((p == r->unread_codes || p[-1] == ' ') && p[n] == ' ')
            return true;
        p += n;
    }
    return false;
}

static bool check_refs(const char *text, const nb_loc *loc, void *ctx)
{
    ck *c = ctx;
    const char *p = text;

    while (p != NULL && !c->oom) {
        nb_ref ref;
        const char *next;
        char code[72];
        char key[80];
        const nb_metric *m;
        char yoy[96];

        nb_ref_scan(p, &ref, &next);
        p = next;
        if (next == NULL)
            break;
        snprintf(code, sizeof(code), "%.*s", (int)ref.code_len, ref.code);
        if (nb_catalog_find(c->cat, code) == NULL) {
            if (first_time(c, code))
                nb_catalog_unknown(c->cat, NB_RULE_REF_UNKNOWN, loc,
                                   _("metric reference"), code, c->dl);
            continue;
        }
        m = nb_report_metric(c->r, code);
        if (m == NULL && unread(c->r, code))
            continue; /* its row could not be read: reported there */
        if (m == NULL) {
            if (first_time(c, code))
                nb_diag_add(c->dl, NB_RULE_REF_MISSING, loc,
                            _("the text refers to %s (%s), which the "
                              "report's metrics do not give: add it to the "
                              "metrics"),
                            nb_catalog_find(c->cat, code)->name, code);
            continue;
        }
        if (!nb_ref_field_is(&ref, "yoy") ||
            (c->prev != NULL && nb_metric_yoy(yoy, sizeof(yoy), m)))
            continue;
        snprintf(key, sizeof(key), "%s.yoy", code);
        if (!first_time(c, key))
            continue;
        if (c->prev == NULL)
            nb_diag_add(c->dl, NB_RULE_REF_NO_PREVIOUS, loc,
                        _("the text shows the change of %s (%s) from last "
                          "year: give last year's report with --previous"),
                        label(m), code);
        else
            nb_diag_add(c->dl, NB_RULE_REF_NO_CHANGE, loc,
                        _("the text shows the change of %s (%s) from last "
                          "year, which cannot be computed: %s"),
                        label(m), code,
                        !m->has_prev ? _("last year's report does not give it")
                        : m->approx || m->prev_approx
                            ? _("one of the figures is approximate")
                            : _("last year's figure is 0, so there is no "
                                "relative change"));
    }
    return !c->oom;
}

const char *nb_text_resolve(nb_arena *a, const nb_report *r, const char *text)
{
    nb_buf b;
    const char *p = text;
    const char *out;

    if (text == NULL || strchr(text, NB_REF_OPEN) == NULL)
        return text;
    nb_buf_init(&b, NB_TEXT_MAX);
    while (p != NULL) {
        nb_ref ref;
        const char *next;
        size_t n = nb_ref_scan(p, &ref, &next);
        char code[72];
        const nb_metric *m;

        nb_buf_add(&b, p, n);
        p = next;
        if (next == NULL)
            break;
        snprintf(code, sizeof(code), "%.*s", (int)ref.code_len, ref.code);
        m = nb_report_metric(r, code);
        if (m == NULL)
            continue;
        if (nb_ref_field_is(&ref, "yoy")) {
            char yoy[96];

            if (nb_metric_yoy(yoy, sizeof(yoy), m))
                nb_buf_adds(&b, yoy);
        } else {
            char shown[80];

            nb_buf_adds(&b, nb_figure_shown(shown, sizeof(shown), m->value));
            if (!nb_ref_field_is(&ref, "value"))
                nb_buf_adds(&b, nb_metric_unit(m));
        }
    }
    out = b.st == NB_OK
              ? nb_arena_strndup(a, b.data != NULL ? b.data : "", b.len)
              : NULL;
    nb_buf_fini(&b);
    return out;
}

/* ==== Figures typed in the prose ==== */

static bool same_unit(const char *a, const char *b)
{
    bool pa = strcmp(a, "%") == 0 || strcmp(a, "％") == 0;
    bool pb = strcmp(b, "%") == 0 || strcmp(b, "％") == 0;

    return pa || pb ? pa && pb : strcmp(a, b) == 0;
}

/* Where the clause of the figure at s[at] begins: after the last
 * ，。；：！？ (or their ASCII forms) before it, at most 120 bytes back. */
static size_t clause_start(const char *s, size_t at)
{
    static const char *const stops[] = {"，", "。", "；", "：", "！", "？",
                                        ",", ";", ":"};
    size_t from = at > 120 ? at - 120 : 0;
    size_t i;
    size_t k;

    for (i = at; i > from; i--)
        for (k = 0; k < sizeof(stops) / sizeof(stops[0]); k++) {
            size_t n = strlen(stops[k]);

            if (i >= n && i - n >= from && strncmp(s + i - n, stops[k], n) == 0)
                return i;
        }
    /* not inside a UTF-8 sequence */
    while (from < at && ((unsigned char)s[from] & 0xC0) == 0x80)
        from++;
    return from;
}

/* The end (+1) of the last place 'key' (len bytes) occurs in s[0..n),
 * or 0. */
static size_t last_end(const char *s, size_t n, const char *key, size_t len)
{
    size_t i;

    for (i = n; len > 0 && i >= len; i--)
        if (memcmp(s + i - len, key, len) == 0)
            return i;
    return 0;
}

const nb_indicator *nb_figure_indicator(const nb_catalog *cat,
                                        const char *s, const nb_figure *f,
                                        size_t *key_end)
{
    size_t from = clause_start(s, f->start);
    const char *cl = s + from;
    size_t n = f->start - from;
    const nb_indicator *best = NULL;
    size_t best_len = 0;
    size_t best_end = 0;
    size_t count = nb_catalog_count(cat);
    size_t i;

    for (i = 0; i < count && n > 0; i++) {
        const nb_indicator *ind = nb_catalog_at(cat, i);
        const char *key;
        size_t len;
        size_t k;

        if (!nb_indicator_unit_ok(ind, f->unit))
            continue;
        for (k = 0; (key = nb_indicator_key(ind, k, &len)) != NULL; k++) {
            size_t end = last_end(cl, n, key, len);

            if (end > 0 && (len > best_len || (len == best_len &&
                                               end > best_end))) {
                best = ind;
                best_len = len;
                best_end = end;
            }
        }
    }
    if (key_end != NULL)
        *key_end = from + best_end;
    return best;
}

static void unmatched_figure(ck *c, const char *fig, size_t len,
                             const nb_indicator *ind, const nb_loc *loc)
{
    const nb_metric *m = ind != NULL ? nb_report_metric(c->r, ind->code)
                                     : NULL;

    if (ind == NULL)
        nb_diag_add(c->dl, NB_RULE_FIGURE_UNSOURCED, loc,
                    _("'%.*s' is typed in the text and matches no metric: "
                      "check it against the data sheet"),
                    (int)len, fig);
    else if (m != NULL)
        nb_diag_add(c->dl, NB_RULE_FIGURE_INDICATOR, loc,
                    _("'%.*s' looks like %s (%s), which the metrics give "
                      "as %s%s: check which is right, then refer to it, "
                      "{{%s}} in a CSV form, <m code=\"%s\"/> in XML"),
                    (int)len, fig, ind->name, ind->code, m->value,
                    nb_metric_unit(m), ind->code, ind->code);
    else
        nb_diag_add(c->dl, NB_RULE_FIGURE_INDICATOR, loc,
                    _("'%.*s' looks like %s (%s): give it as a metric and "
                      "refer to it, {{%s}} in a CSV form, <m code=\"%s\"/> "
                      "in XML"),
                    (int)len, fig, ind->name, ind->code, ind->code, ind->code);
}

static void one_figure(ck *c, const char *s, const nb_figure *f,
                       const nb_loc *loc)
{
    const char *fig = s + f->start;
    size_t len = f->len;
    size_t ulen = strlen(f->unit);
    char num[96];
    nb_quantity q;
    const nb_indicator *ind;
    size_t i;

    if (len - ulen >= sizeof(num))
        return;
    memcpy(num, fig, len - ulen);
    num[len - ulen] = '\0';
    if (!nb_quantity_parse(&q, num))
        return;
    /* the words before the figure name its indicator: a metric of
     * another one that happens to have the same value is not it */
    ind = nb_figure_indicator(c->cat, s, f, NULL);
    for (i = 0; i < c->r->n_metrics; i++) {
        const nb_metric *m = &c->r->metrics[i];

        if ((ind == NULL || m->ind == ind) && m->num == q.num &&
            m->approx == q.approx &&
            (same_unit(nb_metric_unit(m), f->unit) ||
             (m->ind != NULL && nb_indicator_unit_ok(m->ind, f->unit)))) {
            nb_diag_add(c->dl, NB_RULE_FIGURE_TYPED, loc,
                        _("'%.*s' is typed in the text and equals %s (%s): "
                          "refer to it, {{%s}} in a CSV form, <m "
                          "code=\"%s\"/> in XML"),
                        (int)len, fig, label(m), m->code, m->code, m->code);
            return;
        }
    }
    unmatched_figure(c, fig, len, ind, loc);
}

/* Figures in one stretch of plain text (figures.c). */
static void scan_plain(ck *c, const char *s, size_t n, const nb_loc *loc)
{
    size_t pos = 0;
    nb_figure f;

    while (nb_figure_next(&f, s, n, &pos))
        one_figure(c, s, &f, loc);
}

static bool scan_figures(const char *text, const nb_loc *loc, void *ctx)
{
    ck *c = ctx;
    const char *p = text;

    while (p != NULL) {
        nb_ref ref;
        const char *next;
        size_t n = nb_ref_scan(p, &ref, &next);

        scan_plain(c, p, n, loc);
        p = next;
    }
    return true;
}

/* ==== The whole check ==== */

/* A partial report: say which checks did not run, and why. The forms
 * are named as a form set and a workbook call them. */
static void skipped(ck *c)
{
    const nb_report *r = c->r;
    nb_loc loc = {r->file, 0, 0, NULL};

    if (r->unread_meta)
        nb_diag_add(c->dl, NB_RULE_SKIPPED, &loc, "%s",
                    _("the checks of the parts art. 25 requires and of the "
                      "year and date were skipped: rows of meta.csv "
                      "(基本信息: the year, the report type) could not be "
                      "read; correct them and validate again"));
    else if (r->unread_narrative)
        nb_diag_add(c->dl, NB_RULE_SKIPPED, &loc, "%s",
                    _("the checks of the parts art. 25 requires were "
                      "skipped: rows of narrative.csv (正文) could not be "
                      "read or put in place; correct them and validate "
                      "again"));
    if (r->unread_metric)
        nb_diag_add(c->dl, NB_RULE_SKIPPED, &loc, "%s",
                    _("the checks of the figures were skipped (references "
                      "in the text, rates, parts and wholes): rows of "
                      "metrics.csv (指标) could not be read; correct them "
                      "and validate again"));
    else if (r->unread_codes != NULL && r->unread_codes[0] != '\0')
        nb_diag_add(c->dl, NB_RULE_SKIPPED, &loc,
                    _("the checks that use %.*s (references in the text, "
                      "rates, parts and wholes) were skipped: their rows "
                      "of metrics.csv (指标) could not be read; correct "
                      "them and validate again"),
                    (int)strlen(r->unread_codes) - 1, r->unread_codes);
}

static bool allowed_by_run(nb_code code, void *payload)
{
    return allows(payload, code);
}

nb_status nb_report_check(nb_report *r, const nb_check_opts *opts,
                          nb_diag_list *dl)
{
    ck c;
    size_t n0 = nb_diag_list_count(dl);

    memset(&c, 0, sizeof(c));
    c.r = r;
    c.dl = dl;
    if (opts != NULL) {
        c.cat = opts->catalog;
        c.prev = opts->previous;
        c.profile = opts->profile;
        c.allow = opts->allow;
    }
    if (c.profile == NB_PROFILE_DEFAULT)
        c.profile = r->meta.profile;
    if (c.profile == NB_PROFILE_DEFAULT)
        c.profile = NB_PROFILE_ANNUAL;
    /* a partial report: no check of what depends on rows that could not
     * be read (the profile and the year are in meta.csv) */
    if (c.profile == NB_PROFILE_ANNUAL && !r->unread_meta &&
        !r->unread_narrative)
        content(&c);
    if (!r->unread_meta)
        years(&c);
    make_room(&c);
    if (!c.oom)
        derive(&c); /* a check with another catalog derives its rates too */
    parts_and_wholes(&c);
    rates(&c);
    if (c.prev != NULL && !c.oom)
        previous(&c);
    if (!c.oom)
        nb_report_each_text(r, check_refs, &c);
    if (opts != NULL && opts->figures && !c.oom)
        nb_report_each_text(r, scan_figures, &c);
    nb_typo_check(r, dl);
    if (r->partial)
        skipped(&c);
    unused_allows(&c);
    if (c.allow != NULL)
        nb_diag_acknowledge(dl, n0, allowed_by_run, (void *)c.allow,
                            _("acknowledged with --allow"));
    r->checked = true;
    free(c.seen);
    return c.oom ? nb_diag_nomem(dl, r->file) : NB_OK;
}
