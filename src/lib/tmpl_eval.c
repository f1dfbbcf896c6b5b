/* tmpl_eval.c: evaluate a compiled template part against template data.
 *
 * Stage "merge engine" of DESIGN.md's pipeline. Static bytes are copied,
 * fields are looked up Mustache-style (the first path segment in the
 * innermost enclosing section that has it, then down the path), filtered
 * (tmpl_filter.c) and XML-escaped, and sections repeat, show or hide their
 * children. Values are only ever written as escaped text, so no data can
 * change the structure of the document: a newline becomes a line break or
 * a new paragraph that the compiler prepared, and characters XML 1.0
 * cannot carry are dropped and reported. Problems in the data are
 * reported with 7xxx codes, where the data says they came from.
 */
#include "tmpl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_STACK 128

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
    const char *data; /* names the data in messages */
    nb_buf *out;
    nb_diag_list *dl;
    nb_render_state *rs;
    const nb_value *stack[MAX_STACK];
    size_t depth;
    /* each stack entry that is an element of a list: its index and the
     * list's length (0: not an element) */
    size_t at[MAX_STACK];
    size_t of[MAX_STACK];
    const char *alias[MAX_STACK]; /* {{#list as x}}: x, or NULL */
    nb_value pos;      /* @index, @first or @last, as looked up last */
    char pos_text[24]; /* @index's digits */
    size_t n_rows;   /* rows written in the innermost NB_T_TABLE */
    cell_block cell; /* in the innermost NB_T_CELL */
    uint64_t stamp;  /* the element of a list being written: IDs that
                        pair (a bookmark's start and end) agree in it */
    num_scope *nums; /* innermost last */
    size_t n_nums;
    size_t alloc_nums;
    nb_buf scratch[2]; /* filter results: the input of a filter is in one,
                          its result goes to the other */
} evaluator;

/* @index (from 1), @first and @last: the position of the innermost
 * element of a list being written (docs/templates.md, "Loops"); NULL
 * outside every loop or for another name. */
static const nb_value *position(evaluator *w, const nb_tnode *node)
{
    const evaluator *ev = w;
    const char *name = node->path[0] + 1;
    size_t i;

    if (node->n_path != 1)
        return NULL;
    for (i = ev->depth; i-- > 0;) {
        if (ev->of[i] == 0)
            continue;
        memset(&w->pos, 0, sizeof(w->pos));
        w->pos.type = NB_V_BOOL;
        if (strcmp(name, "index") == 0) {
            snprintf(w->pos_text, sizeof(w->pos_text), "%zu", ev->at[i] + 1);
            w->pos.type = NB_V_STR;
            w->pos.s = w->pos_text;
            w->pos.len = strlen(w->pos_text);
        } else if (strcmp(name, "first") == 0) {
            w->pos.b = ev->at[i] == 0;
        } else if (strcmp(name, "last") == 0) {
            w->pos.b = ev->at[i] + 1 == ev->of[i];
        } else {
            return NULL;
        }
        return &w->pos;
    }
    return NULL;
}

/* The value of a field or section, and the stack entry its path starts
 * from (*base). */
static const nb_value *lookup(evaluator *ev, const nb_tnode *node,
                              size_t *base)
{
    const nb_value *v = NULL;
    size_t i;
    size_t k;

    *base = ev->depth - 1;
    if (node->n_path == 0)
        return ev->stack[ev->depth - 1];
    if (node->path[0][0] == '@')
        return position(ev, node);
    for (i = ev->depth; i-- > 0;) {
        if (ev->alias[i] != NULL && strcmp(ev->alias[i], node->path[0]) == 0)
            v = ev->stack[i]; /* the element a named loop names */
        else
            v = nb_v_map_get(ev->stack[i], node->path[0],
                             strlen(node->path[0]));
        if (v != NULL) {
            *base = i;
            break;
        }
    }
    for (k = 1; v != NULL && k < node->n_path; k++)
        v = nb_v_map_get(v, node->path[k], strlen(node->path[k]));
    return v;
}

static bool has_loc(const nb_value *v)
{
    return v != NULL && v->loc != NULL && v->loc->file != NULL;
}

/* Where the value of 'node' came from: the innermost value on its way
 * that knows (the value, a map on its path, the section element it was
 * found in or one around it), else the data as a whole. Only for
 * messages: lookup() does not pay for it. */
static nb_loc value_place(const evaluator *ev, const nb_tnode *node,
                          size_t base)
{
    nb_loc loc = {ev->data, 0, 0, NULL};
    const nb_value *v = ev->stack[base];
    size_t i;
    size_t k;

    for (i = base + 1; i-- > 0;)
        if (has_loc(ev->stack[i])) {
            loc = *ev->stack[i]->loc;
            break;
        }
    for (k = 0; v != NULL && k < node->n_path; k++) {
        v = nb_v_map_get(v, node->path[k], strlen(node->path[k]));
        if (has_loc(v))
            loc = *v->loc;
    }
    return loc;
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

/* "tpl.docx(word/document.xml):12": the field's place in the template,
 * for messages located in the data. */
static const char *field_place(const evaluator *ev, const nb_tnode *node,
                               char *buf, size_t size)
{
    snprintf(buf, size, "%s(%s):%u", ev->t->file, ev->part->name, node->line);
    return buf;
}

/* ==== Writing values ==== */

/* The characters of a value that XML 1.0 cannot carry (§2.2, Char), met
 * while writing it; they are dropped (docs/templates.md, "Values"). */
typedef struct dropped {
    size_t n;         /* characters dropped */
    long first;       /* the first: its code point, or -1 - its byte when
                         the bytes are not UTF-8 */
    size_t first_pos; /* its position in the value, in characters, from 1 */
} dropped;

#define WT_BREAK "</w:t><w:br/><w:t xml:space=\"preserve\">"
#define WT_TAB "</w:t><w:tab/><w:t xml:space=\"preserve\">"

/* Is the sequence at s[0..len) one XML 1.0 cannot carry? Sets *n to its
 * length and *what as dropped.first describes it. */
static bool illegal_char(const char *s, size_t len, size_t *n, long *what)
{
    unsigned char c = (unsigned char)s[0];
    uint32_t cp;

    *n = 1;
    if (c < 0x80) {
        *what = c;
        return c < 0x20 && c != '\t' && c != '\n' && c != '\r';
    }
    *n = nb_utf8_decode(s, len, &cp);
    if (*n == 0) {
        *n = 1;
        *what = -1 - (long)c;
        return true;
    }
    *what = (long)cp;
    return (cp >= 0xD800 && cp <= 0xDFFF) || cp == 0xFFFE || cp == 0xFFFF;
}

/* What a newline in the value of 'node' becomes. */
static const char *newline_of(const nb_tnode *node, size_t *len)
{
    if (node->nl != NULL) {
        *len = node->nl_len; /* a new paragraph */
        return node->nl;
    }
    if (node->in_wt) {
        *len = sizeof(WT_BREAK) - 1;
        return WT_BREAK;
    }
    *len = 1;
    return "\n";
}

/* Write s[0..len) as the text of 'node': XML-escaped; LF, CR and CRLF
 * each one newline (newline_of); inside <w:t> a tab is <w:tab/>;
 * characters XML 1.0 cannot carry dropped and counted in 'dr'. */
static void write_value(evaluator *ev, const nb_tnode *node, const char *s,
                        size_t len, dropped *dr)
{
    nb_buf *out = ev->out;
    size_t i = 0;
    size_t from = 0;
    size_t pos = 0; /* characters so far */

    while (i < len) {
        unsigned char c = (unsigned char)s[i];
        const char *rep = NULL;
        size_t rep_len = 0;
        size_t n = 1;
        long what;

        pos++;
        if (c > '>' && c < 0x80) {
            i++; /* fast path: ASCII above '>' is written as it is */
            continue;
        }
        if (c == '&' || c == '<' || c == '>') {
            rep = c == '&' ? "&amp;" : c == '<' ? "&lt;" : "&gt;";
            rep_len = strlen(rep);
        } else if ((c == '"' || c == '\'') && node->quotes) {
            rep = c == '"' ? "&quot;" : "&#39;";
            rep_len = strlen(rep);
        } else if (c == '\n' || c == '\r') {
            rep = newline_of(node, &rep_len);
            if (c == '\r' && i + 1 < len && s[i + 1] == '\n')
                n = 2;
        } else if (c == '\t' && node->in_wt) {
            rep = WT_TAB;
            rep_len = sizeof(WT_TAB) - 1;
        } else if (!illegal_char(s + i, len - i, &n, &what)) {
            i += n;
            continue;
        } else {
            if (dr->n == 0) {
                dr->first = what;
                dr->first_pos = pos;
            }
            dr->n++;
        }
        nb_buf_add(out, s + from, i - from);
        nb_buf_add(out, rep, rep_len);
        i += n;
        from = i;
    }
    nb_buf_add(out, s + from, len - from);
}

/* "U+FFFE", or "byte 0xC3 (not UTF-8)". */
static void describe_char(char *buf, size_t size, long what)
{
    if (what >= 0)
        snprintf(buf, size, "U+%04lX", (unsigned long)what);
    else
        snprintf(buf, size, _("byte 0x%02lX (not UTF-8)"),
                 (unsigned long)(-1 - what));
}

static void report_dropped(const evaluator *ev, const nb_tnode *node,
                           size_t base, const dropped *dr)
{
    nb_loc loc = value_place(ev, node, base);
    char where[512];
    char first[48];

    describe_char(first, sizeof(first), dr->first);
    field_place(ev, node, where, sizeof(where));
    if (dr->n == 1)
        nb_diag_add(ev->dl, NB_RENDER_BAD_CHAR, &loc,
                    _("%s in %s: the value holds %s (character %zu), which "
                      "XML cannot carry; dropped"),
                    node->tag, where, first, dr->first_pos);
    else
        nb_diag_add(ev->dl, NB_RENDER_BAD_CHAR, &loc,
                    _("%s in %s: the value holds %zu characters XML cannot "
                      "carry, the first %s (character %zu); dropped"),
                    node->tag, where, dr->n, first, dr->first_pos);
}

static void report_filter_input(const evaluator *ev, const nb_tnode *node,
                                size_t base, const nb_fcall *call,
                                const char *s, size_t len)
{
    nb_loc loc = value_place(ev, node, base);
    char where[512];
    nb_buf quoted;

    nb_buf_init(&quoted, 1024);
    nb_tmpl_excerpt(&quoted, s, len);
    field_place(ev, node, where, sizeof(where));
    nb_diag_add(ev->dl, NB_RENDER_FILTER_INPUT, &loc,
                _("%s in %s: filter '%s' cannot convert '%s'; written as it "
                  "is"),
                node->tag, where, nb_filter_name(call->f),
                quoted.data != NULL ? quoted.data : "");
    nb_buf_fini(&quoted);
}

/* ==== Fields and sections ==== */

static void eval_field(evaluator *ev, const nb_tnode *node)
{
    size_t base;
    size_t len;
    const nb_value *v = lookup(ev, node, &base);
    const char *s = value_text(v, &len);
    dropped dr = {0, 0, 0};
    int pic = nb_tmpl_picture_filter(node);
    size_t n = pic >= 0 ? (size_t)pic : node->n_filters;
    size_t i;

    for (i = 0; i < n; i++) {
        bool ok;
        size_t out_len;
        /* not the buffer 's' is in: a filter that passed its input on
         * leaves it in the one before */
        nb_buf *scratch =
            s == ev->scratch[0].data ? &ev->scratch[1] : &ev->scratch[0];
        const char *r = nb_filter_call_apply(&node->filters[i], s, len,
                                             &out_len, scratch, &ok);

        if (scratch->st != NB_OK) {
            ev->out->st = scratch->st; /* stops the evaluation */
            return;
        }
        if (!ok && len > 0)
            report_filter_input(ev, node, base, &node->filters[i], s, len);
        s = r;
        len = out_len;
    }
    if (pic >= 0) {
        nb_pic_field pf = {ev->rs, ev->t->html ? NULL : ev->part, node,
                           ev->stack[0], v, s, len, ev->dl};

        nb_tmpl_picture(ev->out, &pf);
        return;
    }
    write_value(ev, node, s, len, &dr);
    if (dr.n > 0)
        report_dropped(ev, node, base, &dr);
}

static void eval_nodes(evaluator *ev, const nb_tnode *v, size_t n);

/* One element of a list: its IDs are new, its lists start again. */
static void eval_element(evaluator *ev, const nb_tnode *node,
                         const nb_value *item, size_t at, size_t of)
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
    ev->at[ev->depth] = at;
    ev->of[ev->depth] = of;
    ev->alias[ev->depth] = node->alias;
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
    size_t base;
    const nb_value *v = lookup(ev, node, &base);
    bool truthy = nb_v_truthy(v);
    size_t i;

    if (node->inverted || node->once) {
        if (truthy != node->inverted)
            eval_nodes(ev, node->children, node->n_children);
        return;
    }
    if (!truthy)
        return;
    if (ev->depth >= MAX_STACK)
        return; /* compile time caps nesting well below this */
    if (v->type == NB_V_LIST) {
        for (i = 0; i < v->n && ev->out->st == NB_OK; i++) {
            eval_element(ev, node, v->items[i], i, v->n);
        }
        return;
    }
    ev->of[ev->depth] = 0;
    ev->alias[ev->depth] = node->alias;
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
                            const char *data, nb_diag_list *dl)
{
    return nb_tmpl_eval_part_dirs(out, t, part, root, data, NULL, dl);
}

nb_status nb_tmpl_eval_part_dirs(nb_buf *out, const nb_template *t,
                                 const nb_tpart *part, const nb_value *root,
                                 const char *data,
                                 const struct nb_data_dirs *dirs,
                                 nb_diag_list *dl)
{
    nb_render_state rs;
    nb_status st = nb_render_state_init(&rs, t);

    rs.data = data;
    rs.dirs = dirs;
    if (st == NB_OK)
        st = nb_tmpl_eval_part_state(out, &rs, part, root, dl);
    else
        st = nb_diag_nomem(dl, t->file);
    if (st == NB_OK && rs.picture_errors > 0)
        st = NB_ERR_FORMAT; /* reported: nothing is written */
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
    ev.data = rs->data != NULL ? rs->data : "-";
    ev.out = out;
    ev.dl = dl;
    ev.rs = rs;
    ev.depth = 1;
    ev.stack[0] = root;
    nb_buf_init(&ev.scratch[0], t->limits.max_output_bytes);
    nb_buf_init(&ev.scratch[1], t->limits.max_output_bytes);
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

        if (out->max < t->limits.max_output_bytes)
            nb_diag_add(dl, NB_LIMIT_OUTPUT, &loc,
                        _("the merged parts together would be larger than "
                          "the limit of %zu bytes"),
                        t->limits.max_output_bytes);
        else
            nb_diag_add(dl, NB_LIMIT_OUTPUT, &loc,
                        _("merged part would be larger than the limit of "
                          "%zu bytes"),
                        out->max);
    } else if (st == NB_ERR_NOMEM) {
        nb_diag_nomem(dl, t->file);
    }
    return st;
}
