/* tmpl_eval.c: evaluate a compiled template part against template data.
 *
 * Stage "merge engine" of DESIGN.md's pipeline. Static bytes are copied,
 * fields are looked up Mustache-style (the first path segment in the
 * innermost enclosing section that has it, then down the path), filtered
 * and XML-escaped, and sections repeat, show or hide their children.
 * Values are only ever written as escaped text, so no data can change the
 * structure of the document.
 */
#include "tmpl.h"
#include "xml_io.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_STACK 128

/* ==== Filters ==== */

static const char *const filter_names[NB_FILTER__COUNT] = {"cn", "cn_date"};

const char *nb_filter_name(nb_filter f)
{
    return (unsigned)f < NB_FILTER__COUNT ? filter_names[f] : "?";
}

int nb_filter_lookup(const char *name, size_t len)
{
    const char *const *names = filter_names;
    int i;

    for (i = 0; i < NB_FILTER__COUNT; i++)
        if (strlen(names[i]) == len && memcmp(names[i], name, len) == 0)
            return i;
    return -1;
}

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

static bool filter_cn(nb_buf *out, const char *s, size_t len)
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
    if (v == 0) {
        nb_buf_adds(out, digits_cn[0]);
        return true;
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
        return true;
    }
    cn_below_10000(out, (unsigned)v, true);
    return true;
}

/* "2023-02-08" -> "2023年2月8日"; "2023-02" -> "2023年2月". */
static bool filter_cn_date(nb_buf *out, const char *s, size_t len)
{
    unsigned y;
    unsigned m;
    unsigned d = 0;
    char tail;

    if (len == 10 && sscanf(s, "%4u-%2u-%2u%c", &y, &m, &d, &tail) == 3 &&
        s[4] == '-' && s[7] == '-') {
        if (m < 1 || m > 12 || d < 1 || d > 31)
            return false;
        nb_buf_printf(out, "%u年%u月%u日", y, m, d);
        return true;
    }
    if (len == 7 && sscanf(s, "%4u-%2u%c", &y, &m, &tail) == 2 && s[4] == '-') {
        if (m < 1 || m > 12)
            return false;
        nb_buf_printf(out, "%u年%u月", y, m);
        return true;
    }
    return false;
}

const char *nb_filter_apply(nb_filter f, const char *s, size_t len,
                            size_t *len_out, nb_buf *scratch, bool *ok)
{
    nb_buf_reset(scratch);
    switch (f) {
    case NB_FILTER_CN:
        *ok = filter_cn(scratch, s, len);
        break;
    case NB_FILTER_CN_DATE:
        *ok = filter_cn_date(scratch, s, len);
        break;
    default:
        *ok = false;
        break;
    }
    if (!*ok || scratch->st != NB_OK) {
        *ok = *ok && scratch->st == NB_OK;
        *len_out = len;
        return s;
    }
    *len_out = scratch->len;
    return scratch->data;
}

/* ==== Evaluation ==== */

/* What the innermost NB_T_CELL wrote last. */
typedef enum cell_block { CELL_NONE, CELL_PARAGRAPH, CELL_OTHER } cell_block;

/* A list restarted in the current element of a loop: its w:numId in the
 * template and the w:num written for it (0 until its first paragraph). */
typedef struct num_scope {
    uint32_t orig;
    uint32_t id;
} num_scope;

typedef struct evaluator {
    const nb_template *t;
    const nb_tpart *part;
    nb_buf *out;
    nb_diag_list *dl;
    nb_render_state *rs;
    const nb_value *stack[MAX_STACK];
    size_t depth;
    size_t n_rows;   /* rows written in the innermost NB_T_TABLE */
    cell_block cell; /* in the innermost NB_T_CELL */
    uint64_t stamp;  /* the element of a list being written: IDs that
                        pair (a bookmark's start and end) agree in it */
    num_scope *nums; /* innermost last */
    size_t n_nums;
    size_t alloc_nums;
    nb_buf scratch[2]; /* filter results, alternating */
} evaluator;

static const nb_value *lookup(const evaluator *ev, const nb_tnode *node)
{
    const nb_value *v = NULL;
    size_t i;
    size_t k;

    if (node->n_path == 0)
        return ev->stack[ev->depth - 1];
    for (i = ev->depth; i-- > 0;) {
        v = nb_v_map_get(ev->stack[i], node->path[0], strlen(node->path[0]));
        if (v != NULL)
            break;
    }
    for (k = 1; v != NULL && k < node->n_path; k++)
        v = nb_v_map_get(v, node->path[k], strlen(node->path[k]));
    return v;
}

/* Text of a value for a field: strings as they are, booleans as words,
 * anything else as nothing. */
static const char *value_text(const nb_value *v, size_t *len)
{
    if (v == NULL) {
        *len = 0;
        return "";
    }
    switch (v->type) {
    case NB_V_STR:
        *len = v->len;
        return v->s;
    case NB_V_BOOL:
        *len = v->b ? 4 : 5;
        return v->b ? "true" : "false";
    default:
        *len = 0;
        return "";
    }
}

static void eval_field(evaluator *ev, const nb_tnode *node)
{
    size_t len;
    const char *s = value_text(lookup(ev, node), &len);
    size_t i;

    for (i = 0; i < node->n_filters; i++) {
        bool ok;
        size_t out_len;
        const char *r = nb_filter_apply((nb_filter)node->filters[i], s, len,
                                        &out_len, &ev->scratch[i % 2], &ok);

        if (!ok && len > 0) {
            nb_loc loc = {ev->t->file, node->line, 0, ev->part->name};

            nb_diag_add(ev->dl, NB_TMPL_FILTER_INPUT, &loc,
                        _("%s: filter '%s' cannot convert '%.*s'; written "
                          "as it is"),
                        node->tag != NULL ? node->tag : "",
                        nb_filter_name((nb_filter)node->filters[i]), (int)len,
                        s);
        }
        s = r;
        len = out_len;
    }
    nb_xml_escape(ev->out, s, len,
                  node->in_wt ? NB_ESC_WT_VALUE : NB_ESC_VALUE);
}

static void eval_nodes(evaluator *ev, const nb_tnode *v, size_t n);

/* One element of a list: its IDs are new, its lists start again. */
static void eval_element(evaluator *ev, const nb_tnode *node,
                         const nb_value *item)
{
    uint64_t stamp = ev->stamp;
    size_t n_nums = ev->n_nums;
    size_t i;

    if (node->n_restart > ev->alloc_nums - ev->n_nums) {
        size_t na = ev->n_nums + node->n_restart + 8;
        num_scope *nv = realloc(ev->nums, na * sizeof(*nv));

        if (nv == NULL) {
            ev->out->st = NB_ERR_NOMEM;
            return;
        }
        ev->nums = nv;
        ev->alloc_nums = na;
    }
    for (i = 0; i < node->n_restart; i++) {
        ev->nums[ev->n_nums].orig = node->restart[i];
        ev->nums[ev->n_nums++].id = 0;
    }
    ev->stamp = ++ev->rs->n_iters;
    ev->stack[ev->depth++] = item;
    eval_nodes(ev, node->children, node->n_children);
    ev->depth--;
    ev->stamp = stamp;
    ev->n_nums = n_nums;
}

/* A paragraph's w:numId: the list's w:num in the current element of the
 * innermost loop that restarts it, made at its first paragraph there. */
static void eval_num_id(evaluator *ev, const nb_tnode *node)
{
    size_t i;
    uint32_t id = node->id;

    for (i = ev->n_nums; i-- > 0;) {
        if (ev->nums[i].orig != node->id)
            continue;
        if (ev->nums[i].id == 0)
            ev->nums[i].id = nb_render_num_new(ev->rs, node->id);
        if (ev->nums[i].id != 0)
            id = ev->nums[i].id;
        break;
    }
    nb_buf_printf(ev->out, "%u", (unsigned)id);
}

/* A cell whose paragraphs repeat: it must end with a paragraph. */
static void eval_cell(evaluator *ev, const nb_tnode *cell, const nb_tnode *v,
                      size_t n)
{
    cell_block saved = ev->cell;

    ev->cell = CELL_NONE;
    eval_nodes(ev, v, n);
    if (ev->cell != CELL_PARAGRAPH && cell->s != NULL)
        nb_buf_adds(ev->out, cell->s);
    ev->cell = saved;
}

static void eval_section(evaluator *ev, const nb_tnode *node)
{
    const nb_value *v = lookup(ev, node);
    bool truthy = nb_v_truthy(v);
    size_t i;

    if (node->inverted) {
        if (!truthy)
            eval_nodes(ev, node->children, node->n_children);
        return;
    }
    if (!truthy)
        return;
    if (ev->depth >= MAX_STACK)
        return; /* compile time caps nesting well below this */
    if (v->type == NB_V_LIST) {
        for (i = 0; i < v->n && ev->out->st == NB_OK; i++) {
            eval_element(ev, node, v->items[i]);
        }
        return;
    }
    ev->stack[ev->depth++] = v;
    eval_nodes(ev, node->children, node->n_children);
    ev->depth--;
}

/* A table whose rows repeat, the 'n' nodes at 'v': left out whole when
 * none of its rows was written, as a w:tbl must hold a w:tr (ECMA-376
 * §17.4.38; Word will not open it otherwise). */
static void eval_table(evaluator *ev, const nb_tnode *v, size_t n)
{
    size_t start = ev->out->len;
    size_t n_rows = ev->n_rows;

    ev->n_rows = 0;
    eval_nodes(ev, v, n);
    if (ev->n_rows == 0 && ev->out->st == NB_OK) {
        ev->out->len = start;
        if (ev->out->data != NULL)
            ev->out->data[start] = '\0';
    } else {
        ev->cell = CELL_OTHER;
    }
    ev->n_rows = n_rows;
}

static void eval_nodes(evaluator *ev, const nb_tnode *v, size_t n)
{
    size_t i;

    for (i = 0; i < n && ev->out->st == NB_OK; i++) {
        switch (v[i].kind) {
        case NB_T_STATIC:
            nb_buf_add(ev->out, v[i].s, v[i].len);
            break;
        case NB_T_FIELD:
            eval_field(ev, &v[i]);
            break;
        case NB_T_SECTION:
            eval_section(ev, &v[i]);
            break;
        case NB_T_TABLE:
            /* the compiler closes every table of a part it merges */
            if (v[i].len < n - i) {
                eval_table(ev, v + i + 1, v[i].len);
                i += v[i].len;
            }
            break;
        case NB_T_ROW:
            ev->n_rows++;
            break;
        case NB_T_CELL:
            if (v[i].len < n - i) {
                eval_cell(ev, &v[i], v + i + 1, v[i].len);
                i += v[i].len;
            }
            break;
        case NB_T_BLOCK:
            ev->cell = v[i].sub ? CELL_PARAGRAPH : CELL_OTHER;
            break;
        case NB_T_ID:
            nb_render_id(ev->rs, ev->out, &v[i], ev->stamp);
            break;
        case NB_T_NUMID:
            eval_num_id(ev, &v[i]);
            break;
        case NB_T_MARK:
            if (v[i].drop || (v[i].sub == NB_MARK_COMMENT &&
                              !nb_render_mark_first(ev->rs, &v[i])))
                i += v[i].len < n - i ? v[i].len : n - i - 1;
            break;
        case NB_T_NUMS:
            nb_render_nums_write(ev->rs, ev->out, v[i].s);
            break;
        }
    }
}

nb_status nb_tmpl_eval_part(nb_buf *out, const nb_template *t,
                            const nb_tpart *part, const nb_value *root,
                            nb_diag_list *dl)
{
    nb_render_state rs;
    nb_status st = nb_render_state_init(&rs, t);

    if (st == NB_OK)
        st = nb_tmpl_eval_part_state(out, &rs, part, root, dl);
    else
        st = nb_diag_nomem(dl, t->file);
    nb_render_state_fini(&rs);
    return st;
}

nb_status nb_tmpl_eval_part_state(nb_buf *out, nb_render_state *rs,
                                  const nb_tpart *part, const nb_value *root,
                                  nb_diag_list *dl)
{
    const nb_template *t = rs->t;
    evaluator ev;
    nb_status st;

    memset(&ev, 0, sizeof(ev));
    ev.t = t;
    ev.part = part;
    ev.out = out;
    ev.dl = dl;
    ev.rs = rs;
    ev.depth = 1;
    ev.stack[0] = root;
    nb_buf_init(&ev.scratch[0], 1u << 20);
    nb_buf_init(&ev.scratch[1], 1u << 20);
    eval_nodes(&ev, part->nodes, part->n_nodes);
    nb_buf_fini(&ev.scratch[0]);
    nb_buf_fini(&ev.scratch[1]);
    free(ev.nums);
    if (out->st == NB_OK && rs->scratch.st != NB_OK)
        out->st = rs->scratch.st;
    if (out->st == NB_OK && rs->oom)
        out->st = NB_ERR_NOMEM;
    st = out->st;
    if (st == NB_ERR_LIMIT) {
        nb_loc loc = {t->file, 0, 0, part->name};

        nb_diag_add(dl, NB_LIMIT_OUTPUT, &loc,
                    _("merged part would be larger than the limit of %zu "
                      "bytes"),
                    out->max);
    } else if (st == NB_ERR_NOMEM) {
        nb_diag_nomem(dl, t->file);
    }
    return st;
}
