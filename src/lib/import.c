/* import.c: the structure of a report draft, recognised in its paragraphs.
 *
 * The readers (import_docx.c, import_html.c, import_txt.c) give a list of
 * paragraphs; this file finds in it the title, the 主送 line, the preamble,
 * the parts (一、) and their kinds from their wording, the areas ((一)) as
 * headings or run in, the items (一是, 1., (1), 第一) as paragraphs or run
 * in, nested items, continuation paragraphs, 署名 and 成文日期. Ordinals
 * are taken out of the text and kept as structure and numbering style.
 * Whatever fits nothing stays a paragraph where it stood; every guess is a
 * located note (NB2101).
 */
#include "form.h"
#include "import.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ==== Paragraph list ==== */

/* Length of the blank (ASCII blank, U+3000, U+00A0) at s, or 0. */
static size_t blank_at(const char *s, size_t len)
{
    if (len >= 1 && (s[0] == ' ' || s[0] == '\t' || s[0] == '\r' ||
                     s[0] == '\n' || s[0] == '\f' || s[0] == '\v'))
        return 1;
    if (len >= 3 && memcmp(s, "\xe3\x80\x80", 3) == 0)
        return 3;
    if (len >= 2 && memcmp(s, "\xc2\xa0", 2) == 0)
        return 2;
    return 0;
}

void nb_idoc_trim(const char **s, size_t *len)
{
    size_t k;

    while (*len > 0 && (k = blank_at(*s, *len)) > 0) {
        *s += k;
        *len -= k;
    }
    for (;;) {
        if (*len >= 1 && nb_is_blank((*s)[*len - 1]))
            *len -= 1;
        else if (*len >= 3 && memcmp(*s + *len - 3, "\xe3\x80\x80", 3) == 0)
            *len -= 3;
        else if (*len >= 2 && memcmp(*s + *len - 2, "\xc2\xa0", 2) == 0)
            *len -= 2;
        else
            break;
    }
}

bool nb_idoc_add(nb_idoc *d, const char *s, size_t len, uint32_t line,
                 unsigned level, bool bold)
{
    nb_ipara *p;

    nb_idoc_trim(&s, &len);
    if (len == 0)
        return true;
    if (d->n == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 64;
        nb_ipara *v = nb_arena_array(d->texts, cap, sizeof(*v));

        if (v == NULL)
            return !(d->oom = true);
        if (d->n > 0)
            memcpy(v, d->p, d->n * sizeof(*v));
        d->p = v;
        d->cap = cap;
    }
    p = &d->p[d->n];
    p->text = nb_arena_strndup(d->texts, s, len);
    if (p->text == NULL)
        return !(d->oom = true);
    p->line = line;
    p->level = level;
    p->bold = bold;
    p->face = 0;
    d->n++;
    return true;
}

/* ==== Ordinals ==== */

static const char *const cn_digits[] = {"一", "二", "三", "四", "五",
                                        "六", "七", "八", "九"};

static unsigned cn_digit(const char *s, size_t *len)
{
    unsigned i;

    for (i = 0; i < 9; i++)
        if (strncmp(s, cn_digits[i], 3) == 0) {
            *len = 3;
            return i + 1;
        }
    return 0;
}

unsigned nb_cn_numeral(const char *s, size_t *len_out)
{
    size_t k = 0;
    unsigned v;
    unsigned u;

    *len_out = 0;
    v = cn_digit(s, &k);
    if (strncmp(s + k, "十", 3) == 0) {
        v = (v == 0 ? 1 : v) * 10;
        k += 3;
        if ((u = cn_digit(s + k, len_out)) > 0) {
            v += u;
            k += 3;
        }
    }
    *len_out = v > 0 ? k : 0;
    return v;
}

typedef enum ord_kind {
    O_NONE,
    O_PART,   /* 一、 */
    O_AREA,   /* (一) */
    O_YISHI,  /* 一是 */
    O_DEC,    /* 1. 1、 */
    O_PAREN,  /* (1) */
    O_DIYI    /* 第一， */
} ord_kind;

typedef struct ordinal {
    ord_kind kind;
    unsigned n;  /* its value */
    size_t len;  /* bytes it takes, with the blanks after it */
} ordinal;

static bool starts(const char *s, const char *prefix, size_t *len)
{
    size_t n = strlen(prefix);

    if (strncmp(s, prefix, n) != 0)
        return false;
    *len += n;
    return true;
}

static unsigned digits(const char *s, size_t *len)
{
    unsigned v = 0;
    size_t k = 0;

    while (s[k] >= '0' && s[k] <= '9' && k < 3)
        v = v * 10 + (unsigned)(s[k++] - '0');
    *len = k;
    return k > 0 && (s[k] < '0' || s[k] > '9') ? v : 0;
}

/* (一) (1) with full-width or ASCII brackets. */
static ordinal bracketed(const char *s)
{
    ordinal o = {O_NONE, 0, 0};
    size_t k = 0;
    size_t n;

    if (!starts(s, "（", &k) && !starts(s, "(", &k))
        return o;
    if ((o.n = nb_cn_numeral(s + k, &n)) > 0)
        o.kind = O_AREA;
    else if ((o.n = digits(s + k, &n)) > 0)
        o.kind = O_PAREN;
    else
        return o;
    k += n;
    if (!starts(s + k, "）", &k) && !starts(s + k, ")", &k))
        o.kind = O_NONE;
    if (!starts(s + k, "、", &k))
        starts(s + k, "．", &k);
    o.len = k;
    return o;
}

/* The ordinal that opens s, if any. */
static ordinal ordinal_at(const char *s)
{
    ordinal o = bracketed(s);
    size_t k = 0;
    size_t n;

    if (o.kind != O_NONE)
        goto blanks;
    if ((o.n = nb_cn_numeral(s, &n)) > 0) {
        k = n;
        if (starts(s + k, "、", &k) || starts(s + k, "．", &k) ||
            (s[k] == '.' && !(s[k + 1] >= '0' && s[k + 1] <= '9') &&
             starts(s + k, ".", &k)))
            o.kind = O_PART;
        else if (starts(s + k, "是", &k))
            o.kind = O_YISHI;
    } else if ((o.n = digits(s, &n)) > 0) {
        k = n;
        if ((starts(s + k, ".", &k) || starts(s + k, "、", &k) ||
             starts(s + k, "．", &k)) &&
            !(s[k] >= '0' && s[k] <= '9'))
            o.kind = O_DEC;
    } else if (strncmp(s, "第", 3) == 0 &&
               (o.n = nb_cn_numeral(s + 3, &n)) > 0) {
        k = 3 + n;
        if (starts(s + k, "部分", &k)) { /* 第一部分 */
            o.kind = O_PART;
            if (!starts(s + k, "、", &k) && !starts(s + k, "：", &k))
                starts(s + k, "．", &k);
        } else if (starts(s + k, "，", &k) || starts(s + k, "、", &k) ||
            starts(s + k, "：", &k) || starts(s + k, "是", &k))
            o.kind = O_DIYI;
    }
    o.len = k;
    if (o.kind == O_NONE)
        return o;
blanks:
    while ((n = blank_at(s + o.len, strlen(s + o.len))) > 0)
        o.len += n;
    return o;
}

static nb_numbering style_of(ord_kind k)
{
    switch (k) {
    case O_YISHI:
        return NB_NUM_YISHI;
    case O_DEC:
        return NB_NUM_DECIMAL;
    case O_PAREN:
        return NB_NUM_PAREN;
    case O_DIYI:
        return NB_NUM_DIYI;
    default:
        return NB_NUM_AUTO;
    }
}

/* ==== Building ==== */

typedef struct ib {
    nb_idoc *d;
    nb_report *r;
    nb_diag_list *dl;
    const nb_ipara *cur; /* the paragraph being placed */
    bool oom;
} ib;

static nb_loc loc_at(const ib *b, const nb_ipara *p)
{
    nb_loc loc = {b->r->file, p != NULL ? p->line : 0, 0, b->d->where};

    return loc;
}

/* A located note on the paragraph being placed. */
#define GUESS(b, ...)                                                          \
    do {                                                                       \
        nb_loc loc_ = loc_at((b), (b)->cur);                                   \
        nb_diag_add((b)->dl, NB_IMPORT_GUESS, &loc_, __VA_ARGS__);             \
    } while (0)

/* Append one zeroed element to the arena array *v of *n elements. */
static void *push(ib *b, void **v, size_t *n, size_t size)
{
    char *p;

    if (*n == 0 || (*n & (*n - 1)) == 0) { /* 0, 1, 2, 4 …: grow */
        void *bigger = nb_arena_array_or_flag(b->r->arena, *n ? *n * 2 : 1,
                                              size, &b->oom);

        if (bigger == NULL)
            return NULL;
        if (*n > 0)
            memcpy(bigger, *v, *n * size);
        *v = bigger;
    }
    p = (char *)*v + *n * size;
    memset(p, 0, size);
    (*n)++;
    return p;
}

#define PUSH(b, arr, n) push((b), (void **)&(arr), &(n), sizeof(*(arr)))

static const char *dup(ib *b, const char *s, size_t len)
{
    char *t;

    nb_idoc_trim(&s, &len);
    if (len == 0)
        return NULL;
    t = nb_arena_strndup(b->r->arena, s, len);
    if (t == NULL)
        b->oom = true;
    return t;
}

static void add_para(ib *b, nb_para **v, size_t *n, const char *s)
{
    const char *t = dup(b, s, strlen(s));
    nb_para *p;

    if (t == NULL)
        return;
    p = push(b, (void **)v, n, sizeof(nb_para));
    if (p != NULL) {
        p->text = t;
        p->loc = loc_at(b, b->cur);
    }
}

static nb_section *last_section(ib *b)
{
    return b->r->n_sections > 0 ? &b->r->sections[b->r->n_sections - 1]
                                : NULL;
}

static nb_area *last_area(ib *b)
{
    nb_section *s = last_section(b);

    return s != NULL && s->n_areas > 0 ? &s->areas[s->n_areas - 1] : NULL;
}

/* ==== Parts ==== */

static bool has(const char *s, const char *w)
{
    return strstr(s, w) != NULL;
}

static bool has_any(const char *s, const char *const *w)
{
    for (; *w != NULL; w++)
        if (has(s, *w))
            return true;
    return false;
}

/* The first year 19xx or 20xx written in s, or 0. */
static int year_in(const char *s)
{
    const char *p;

    for (p = s; *p != '\0'; p++)
        if ((p[0] == '1' || p[0] == '2') && (p[1] == '9' || p[1] == '0') &&
            p[2] >= '0' && p[2] <= '9' && p[3] >= '0' && p[3] <= '9' &&
            (p == s || p[-1] < '0' || p[-1] > '9') &&
            (p[4] < '0' || p[4] > '9'))
            return (int)strtol(p, NULL, 10);
    return 0;
}

/* The kind of a part from its heading; *weak when only weak wording or
 * none told it. 'later': a part of another kind than measures came
 * before. */
static nb_section_kind kind_of(const char *title, int year, bool later,
                               bool *weak)
{
    static const char *const duties[] = {"第一责任人", "主要负责人", NULL};
    static const char *const shortc[] = {"不足", "问题", "短板", "差距",
                                         "薄弱", "困难", NULL};
    static const char *const plans[] = {"下一步", "下一年", "明年", "工作安排",
                                        "打算", "思路", "计划", "展望",
                                        "主要安排", "工作要点", NULL};
    static const char *const measures[] = {"举措", "成效", "工作情况",
                                           "主要做法", "主要工作", "做法",
                                           "进展", "开展情况", "取得", NULL};
    int y = year_in(title);

    *weak = false;
    if (has_any(title, duties))
        return NB_SECTION_DUTIES;
    if (has_any(title, shortc))
        return NB_SECTION_SHORTCOMINGS;
    if (has_any(title, plans) || (year > 0 && y > year))
        return NB_SECTION_PLANS;
    if (has_any(title, measures))
        return NB_SECTION_MEASURES;
    *weak = true;
    if (has(title, "其他") || has(title, "其它"))
        return NB_SECTION_OTHER;
    if (has(title, "履行") && (has(title, "职责") || has(title, "责任")))
        return NB_SECTION_DUTIES; /* not 依法全面履行政府职能 */
    if (has(title, "安排") || has(title, "将"))
        return NB_SECTION_PLANS;
    if (has(title, "情况") || has(title, "工作") || (year > 0 && y == year) ||
        !later)
        return NB_SECTION_MEASURES; /* thematic headings open a report */
    return NB_SECTION_OTHER;
}

/* ==== Text ==== */

/* The bytes of s up to its first 。 (not counted), or strlen(s). */
static size_t sentence_len(const char *s)
{
    const char *e = strstr(s, "。");

    return e != NULL ? (size_t)(e - s) : strlen(s);
}

/* True when s[0..n) holds w. */
static bool has_n(const char *s, size_t n, const char *w)
{
    size_t k = strlen(w);
    size_t i;

    for (i = 0; i + k <= n; i++)
        if (memcmp(s + i, w, k) == 0)
            return true;
    return false;
}

/* Split an item's text into lead and text: a short first sentence with
 * more after it is the lead phrase. */
static void lead_split(ib *b, nb_item *it, const char *s)
{
    size_t n = sentence_len(s);

    if (n > 0 && n <= 90 && s[n] != '\0' && s[n + 3] != '\0' &&
        !has_n(s, n, "，") && !has_n(s, n, "；") && !has_n(s, n, ",") &&
        !has_n(s, n, ";")) { /* a page captured with ASCII marks */
        it->lead = dup(b, s, n);
        it->text = dup(b, s + n + 3, strlen(s + n + 3));
    } else {
        it->text = dup(b, s, strlen(s));
    }
}

/* "k是" for k from 1 into out[0..cap); its length, 0 when it does not fit. */
static size_t shi_word(unsigned k, char *out, size_t cap)
{
    nb_buf t;
    size_t len = 0;

    nb_buf_init(&t, cap - 1);
    nb_cn_number(&t, k);
    nb_buf_adds(&t, "是");
    if (t.st == NB_OK && t.data != NULL) {
        len = t.len;
        memcpy(out, t.data, len + 1);
    }
    nb_buf_fini(&t);
    return len;
}

/* Where the run-in ordinal k是 (k from 1) starts in s at or after 'from':
 * at the start or after 。；：，, as reports write them. NULL if none. */
static const char *shi_at(const char *s, const char *from, unsigned k)
{
    char want[32];
    const char *p;

    if (shi_word(k, want, sizeof(want)) == 0)
        return NULL;
    for (p = strstr(from, want); p != NULL; p = strstr(p + 1, want))
        if (p == s || (p - s >= 3 && (strncmp(p - 3, "。", 3) == 0 ||
                                      strncmp(p - 3, "；", 3) == 0 ||
                                      strncmp(p - 3, "：", 3) == 0 ||
                                      strncmp(p - 3, "，", 3) == 0)) ||
            (p - s >= 1 && (p[-1] == ';' || p[-1] == ':' || p[-1] == ',')))
            return p;
    return NULL;
}

/* Split s at its run-in items 一是 … 二是 …: the text before them (NULL
 * when none) and the items, appended to *v. False when s has no 一是
 * followed by a 二是. */
static bool run_in_items(ib *b, const char *s, const char **before,
                         nb_item **v, size_t *n)
{
    const char *one = shi_at(s, s, 1);
    const char *p = one;
    unsigned k = 1;

    if (one == NULL || shi_at(s, one, 2) == NULL)
        return false;
    *before = dup(b, s, (size_t)(one - s));
    while (p != NULL && !b->oom) {
        const char *next = shi_at(s, p, k + 1);
        char word[32];
        size_t ol = shi_word(k, word, sizeof(word));
        nb_item *it = push(b, (void **)v, n, sizeof(nb_item));
        char *seg;

        if (it == NULL)
            return true;
        seg = nb_arena_strndup(b->r->arena, p + ol,
                               next != NULL ? (size_t)(next - p) - ol
                                            : strlen(p + ol));
        if (seg == NULL) {
            b->oom = true;
            return true;
        }
        lead_split(b, it, seg);
        it->numbering = NB_NUM_YISHI;
        it->numbered = true;
        it->run_in = true;
        it->loc = loc_at(b, b->cur);
        p = next;
        k++;
    }
    return true;
}

/* ==== Placing paragraphs ==== */

static void check_seq(ib *b, const char *what, unsigned got, size_t want)
{
    nb_loc loc = loc_at(b, b->cur);

    if (got != want)
        nb_diag_add(b->dl, NB_IMPORT_ORDINALS, &loc,
                    _("%s %u where %zu was due: it is numbered %zu in the "
                      "output"),
                    what, got, want, want);
}

/* True when a part other than measures has been read. */
static bool later_part(const ib *b)
{
    size_t i;

    for (i = 0; i + 1 < b->r->n_sections; i++)
        if (b->r->sections[i].kind != NB_SECTION_MEASURES)
            return true;
    return false;
}

static void new_part(ib *b, const char *text, unsigned n)
{
    nb_section *s;
    size_t len = sentence_len(text);
    bool weak;

    check_seq(b, _("part"), n, b->r->n_sections + 1);
    s = PUSH(b, b->r->sections, b->r->n_sections);
    if (s == NULL)
        return;
    s->loc = loc_at(b, b->cur);
    s->title = dup(b, text, len);
    if (s->title == NULL && !b->oom)
        s->title = "";
    s->kind = kind_of(text, b->r->meta.year, later_part(b), &weak);
    if (weak)
        GUESS(b, _("part '%s' read as %s from weak wording: check its kind"),
              s->title, nb_section_kind_name(s->kind));
    if (text[len] != '\0' && text[len + 3] != '\0')
        add_para(b, &s->intro, &s->n_intro, text + len + 3);
}

static void new_area(ib *b, const char *text, unsigned n, bool heading)
{
    nb_section *s = last_section(b);
    nb_area *a;
    size_t len = sentence_len(text);
    const char *rest = text[len] != '\0' ? text + len + 3 : "";

    check_seq(b, _("area"), n, s->n_areas + 1);
    a = PUSH(b, s->areas, s->n_areas);
    if (a == NULL)
        return;
    a->loc = loc_at(b, b->cur);
    a->numbered = true;
    if (heading || *rest == '\0' || len > 180) {
        a->title = dup(b, text, strlen(text));
        return;
    }
    a->run_in = true;
    a->title = dup(b, text, len);
    GUESS(b, _("area '%s' read as run in (its text follows the title in "
               "the same paragraph)"),
          a->title);
    {
        const char *before = NULL;

        if (run_in_items(b, rest, &before, &a->items, &a->n_items)) {
            a->numbering = NB_NUM_YISHI;
            if (before != NULL)
                add_para(b, &a->paras, &a->n_paras, before);
        } else {
            add_para(b, &a->paras, &a->n_paras, rest);
        }
    }
}

/* The last item of area a, or its last nested item when those are
 * paragraphs: where a continuation paragraph goes. */
static nb_item *last_item(nb_area *a)
{
    nb_item *t;

    if (a == NULL || a->n_items == 0)
        return NULL;
    t = &a->items[a->n_items - 1];
    if (!t->run_in && t->n_items > 0)
        return &t->items[t->n_items - 1];
    return t;
}

static void fill_item(ib *b, nb_item *it, nb_numbering num, const char *s,
                      bool nest)
{
    const char *before = NULL;

    it->numbering = num;
    it->numbered = true;
    it->run_in = true;
    it->loc = loc_at(b, b->cur);
    if (nest && run_in_items(b, s, &before, &it->items, &it->n_items)) {
        if (before != NULL)
            lead_split(b, it, before);
    } else {
        lead_split(b, it, s);
    }
}

/* The items in style num of the areas before a in its part: a list
 * numbered on through a part (1. 2. in (一), 3. in (二)). */
static size_t items_before(ib *b, const nb_area *a, nb_numbering num)
{
    const nb_section *sec = last_section(b);
    size_t n = 0;
    size_t i;

    for (i = 0; sec != NULL && &sec->areas[i] != a; i++)
        if (sec->areas[i].numbering == num)
            n += sec->areas[i].n_items;
    return n;
}

/* A paragraph that opens with an item ordinal, in area a. False when it
 * fits no list there (the caller keeps it as text). */
static bool new_item(ib *b, nb_area *a, const ordinal *o, const char *s)
{
    nb_numbering num = style_of(o->kind);
    nb_item *t;
    nb_item *it;

    if (a->run_in && a->n_items > 0)
        return false;
    if (a->n_items == 0 && o->n > 1 && o->n == items_before(b, a, num) + 1) {
        GUESS(b, _("items numbered on from the area before (%u): each "
                   "area's items are numbered from 1 in the output"),
              o->n);
        a->numbering = num;
        it = PUSH(b, a->items, a->n_items);
        if (it != NULL)
            fill_item(b, it, num, s, num != NB_NUM_YISHI);
        return true;
    }
    if (a->n_items == 0 || a->numbering == num) {
        check_seq(b, _("item"), o->n, a->n_items + 1);
        a->numbering = num;
        it = PUSH(b, a->items, a->n_items);
        if (it != NULL)
            fill_item(b, it, num, s, num != NB_NUM_YISHI);
        return true;
    }
    t = &a->items[a->n_items - 1];
    if (t->n_items > 0 && (t->run_in || t->items[0].numbering != num))
        return false;
    check_seq(b, _("item"), o->n, t->n_items + 1);
    t->run_in = false;
    it = PUSH(b, t->items, t->n_items);
    if (it != NULL)
        fill_item(b, it, num, s, false);
    return true;
}

/* A paragraph without an ordinal (or one that fits no list). */
static void plain(ib *b, const char *s, bool typed_ordinal)
{
    nb_section *sec = last_section(b);
    nb_area *a = last_area(b);
    nb_item *it = last_item(a);

    if (typed_ordinal) {
        nb_loc loc = loc_at(b, b->cur);
        size_t n = strlen(s) < 30 ? strlen(s) : 30;

        while (n > 0 && n < strlen(s) && ((unsigned char)s[n] & 0xc0) == 0x80)
            n--; /* not inside a character */
        nb_diag_add(b->dl, NB_IMPORT_KEPT_AS_TEXT, &loc,
                    _("'%.*s…' has an ordinal that fits no list here: kept "
                      "as a paragraph, with its ordinal typed"),
                    (int)n, s);
    }
    if (sec == NULL)
        add_para(b, &b->r->preamble, &b->r->n_preamble, s);
    else if (strncmp(s, "特此报告", 12) == 0 || a == NULL)
        add_para(b, sec->n_areas > 0 ? &sec->closing : &sec->intro,
                 sec->n_areas > 0 ? &sec->n_closing : &sec->n_intro, s);
    else if (it != NULL)
        add_para(b, &it->paras, &it->n_paras, s);
    else
        add_para(b, &a->paras, &a->n_paras, s);
}

/* A line with no ordinal that reads as a heading: short, no sentence in
 * it. */
static bool bare_heading(const nb_ipara *p)
{
    const char *s = p->text;
    const char *stop = strstr(s, "。");

    if (has(s, "；") || has(s, "：") || has(s, ":") || has(s, ";"))
        return false;
    if (p->bold) /* a bold heading may end with its full stop */
        return strlen(s) <= 240 && (stop == NULL || stop[3] == '\0');
    return strlen(s) <= 120 && stop == NULL && !has(s, "，");
}

/* The outline level of a heading without an ordinal: 1 when its wording
 * names a part (主要举措和成效, 存在的不足, 下一步工作安排 … as Word's
 * automatic numbering leaves them when the text is copied), 2 for a bold
 * line in a part, or 0. */
static unsigned bare_level(ib *b, const nb_ipara *p)
{
    bool weak;

    if (p->level > 0 || !bare_heading(p))
        return p->level;
    if (p->bold && p->face > 0) {
        GUESS(b, _("bold line '%s' read as a heading"), p->text);
        return p->face; /* 黑体 a part's, 楷体 an area's */
    }
    (void)kind_of(p->text, b->r->meta.year, true, &weak);
    if (!weak && strlen(p->text) <= 90) {
        GUESS(b, _("'%s' has no ordinal but names a part: read as one"),
              p->text);
        return 1;
    }
    if (p->bold) {
        GUESS(b, _("bold line '%s' read as a heading"), p->text);
        return last_section(b) != NULL ? 2 : 1;
    }
    return 0;
}

static void place(ib *b, const nb_ipara *p)
{
    ordinal o = ordinal_at(p->text);
    const char *s = p->text + o.len;
    nb_area *a = last_area(b);
    nb_ipara bare;

    b->cur = p;
    if (o.kind == O_NONE && p->level == 0) {
        bare = *p;
        bare.level = bare_level(b, p);
        p = &bare;
    }
    if (o.kind == O_PART || (o.kind == O_NONE && p->level == 1)) {
        new_part(b, s, o.kind == O_PART ? o.n : (unsigned)b->r->n_sections + 1);
        return;
    }
    if (last_section(b) != NULL &&
        (o.kind == O_AREA || (o.kind == O_NONE && p->level == 2))) {
        new_area(b, s,
                 o.kind == O_AREA ? o.n
                                  : (unsigned)last_section(b)->n_areas + 1,
                 p->level == 2);
        return;
    }
    if (o.kind >= O_YISHI && a != NULL && new_item(b, a, &o, s))
        return;
    plain(b, p->text, o.kind != O_NONE);
}

/* ==== Title, 主送, 署名, date ==== */

/* The year of four digits at s (2024, 二〇二四), its length in *len; 0 if
 * none. */
static unsigned year_digits(const char *s, size_t *len)
{
    unsigned y = 0;
    size_t k = 0;
    size_t n;
    int i;

    for (i = 0; i < 4; i++) {
        unsigned v;

        if (s[k] >= '0' && s[k] <= '9') {
            v = (unsigned)(s[k++] - '0');
        } else if (strncmp(s + k, "〇", 3) == 0 ||
                   strncmp(s + k, "○", 3) == 0 ||
                   strncmp(s + k, "零", 3) == 0 ||
                   strncmp(s + k, "Ｏ", 3) == 0) {
            v = 0;
            k += 3;
        } else if ((v = cn_digit(s + k, &n)) > 0) {
            k += n;
        } else {
            return 0;
        }
        y = y * 10 + v;
    }
    *len = k;
    return y;
}

/* The 成文日期 line s: 2024年1月20日, 二〇二四年一月二十日, with blanks
 * between, or 2024-01-20, as YYYY-MM-DD in iso[11]: DATE_FULL. A month
 * without its day (2024年1月): DATE_MONTH, iso the month. DATE_NONE when
 * s is not a date alone. */
typedef enum date_kind { DATE_NONE, DATE_FULL, DATE_MONTH } date_kind;

static date_kind date_of(const char *text, char iso[11])
{
    char s[96];
    unsigned y;
    unsigned m;
    unsigned d = 0;
    size_t k = 0;
    size_t n;
    size_t i;

    for (i = 0; text[i] != '\0';) {
        if (nb_is_blank(text[i]))
            i++;
        else if (strncmp(text + i, "\xe3\x80\x80", 3) == 0)
            i += 3;
        else if (k + 1 < sizeof(s))
            s[k++] = text[i++];
        else
            return DATE_NONE;
    }
    s[k] = '\0';
    if (nb_date_norm(iso, 11, s) && strstr(s, "年") == NULL)
        return DATE_FULL; /* 2024-01-20, 2024/1/20 */
    if ((y = year_digits(s, &k)) < 1949 || y > 2999 ||
        strncmp(s + k, "年", 3) != 0)
        return DATE_NONE;
    k += 3;
    if ((m = digits(s + k, &n)) == 0 && (m = nb_cn_numeral(s + k, &n)) == 0)
        return DATE_NONE;
    k += n;
    if (strncmp(s + k, "月", 3) != 0 || m > 12)
        return DATE_NONE;
    k += 3;
    if (s[k] == '\0') {
        snprintf(iso, 11, "%04u-%02u", y, m);
        return DATE_MONTH;
    }
    if ((d = digits(s + k, &n)) == 0 && (d = nb_cn_numeral(s + k, &n)) == 0)
        return DATE_NONE;
    k += n;
    if (strncmp(s + k, "日", 3) != 0 || s[k + 3] != '\0' || d > 31)
        return DATE_NONE;
    snprintf(iso, 11, "%04u-%02u-%02u", y, m, d);
    return DATE_FULL;
}

static bool ends_with(const char *s, const char *w)
{
    size_t n = strlen(s);
    size_t k = strlen(w);

    return n >= k && strcmp(s + n - k, w) == 0;
}

/* A short line with no sentence in it: a title's second half, 署名. */
static bool short_line(const char *s, size_t max)
{
    return strlen(s) <= max && !has(s, "。") && ordinal_at(s).kind == O_NONE;
}

/* A paragraph in a heading's typeface (黑体, 楷体) that reads as a title
 * all the same: it names a report, a year, or its second half does. */
static bool titled(const nb_ipara *p, size_t i, size_t n)
{
    static const char *const words[] = {"报告", "总结", "情况", "年", NULL};

    return has_any(p[i].text, words) ||
           (i + 1 < n && (ends_with(p[i + 1].text, "报告") ||
                          ends_with(p[i + 1].text, "总结")));
}

/* The title (one paragraph, or two when it was split) and the 主送 line:
 * the index of the first body paragraph. */
static size_t head(ib *b, size_t i, size_t n)
{
    const nb_ipara *p = b->d->p;
    nb_report *r = b->r;

    if (i < n && short_line(p[i].text, 200) && !ends_with(p[i].text, "：") &&
        (p[i].face == 0 || titled(p, i, n))) {
        b->cur = &p[i];
        r->title = nb_arena_strdup(r->arena, p[i].text);
        b->oom |= r->title == NULL;
        i++;
        if (i < n && short_line(p[i].text, 90) &&
            !ends_with(p[i].text, "：") && !ends_with(p[i].text, ":") &&
            (ends_with(p[i].text, "报告") || ends_with(p[i].text, "总结") ||
             ends_with(p[i].text, "情况")) &&
            !ends_with(p[i - 1].text, "报告")) {
            r->title = nb_arena_printf(r->arena, "%s%s", p[i - 1].text,
                                       p[i].text);
            GUESS(b, "%s", _("the title is split over two paragraphs: "
                             "joined"));
            i++;
        }
        /* a page's heading, its 来源/发布时间 line, the article's title */
        i = nb_import_page_head(b->d, i, n, b->dl);
        if (i < n && r->title != NULL && strcmp(p[i].text, r->title) == 0) {
            b->cur = &p[i];
            GUESS(b, "%s", _("the title is given twice: read once"));
            i++;
        }
    }
    if (i < n && short_line(p[i].text, 120) &&
        (ends_with(p[i].text, "：") || ends_with(p[i].text, ":"))) {
        size_t len = strlen(p[i].text) - (ends_with(p[i].text, ":") ? 1 : 3);

        b->cur = &p[i];
        r->meta.addressee = dup(b, p[i].text, len);
        i++;
    }
    return i;
}

/* A line that names an office alone: 中共某某县委, 某某县人民政府, 某某局
 * (of a joint 署名 over two lines). */
static bool organ(const char *s)
{
    static const char *const ends[] = {"委", "政府", "局", "厅", "办", "部",
                                       "委员会", "办事处", "街道", "镇", "乡",
                                       "中心", "院", "所", "室", NULL};
    const char *const *e;

    if (!short_line(s, 90) || has(s, "，") || has(s, "："))
        return false;
    for (e = ends; *e != NULL; e++)
        if (ends_with(s, *e))
            return true;
    return false;
}

/* 成文日期 and 署名 at the end: the index after the last body paragraph. */
static size_t tail(ib *b, size_t from, size_t n)
{
    const nb_ipara *p = b->d->p;
    nb_meta *m = &b->r->meta;
    char iso[11];

    date_kind dk = n > from ? date_of(p[n - 1].text, iso) : DATE_NONE;

    if (dk != DATE_NONE) {
        b->cur = &p[n - 1];
        if (dk == DATE_MONTH) {
            nb_loc loc = loc_at(b, b->cur);

            nb_diag_add(b->dl, NB_IMPORT_DATE_NO_DAY, &loc,
                        _("the 成文日期 '%s' has no day: give the full date "
                          "in the report's meta (date); the output has no "
                          "date until then"),
                        p[n - 1].text);
        } else if (m->date == NULL) {
            m->date = nb_arena_strdup(b->r->arena, iso);
            m->date_loc = loc_at(b, b->cur);
        }
        n--;
    }
    if (n > from && short_line(p[n - 1].text, 120) &&
        !has(p[n - 1].text, "，") && !p[n - 1].bold &&
        strncmp(p[n - 1].text, "特此", 6) != 0) {
        b->cur = &p[n - 1];
        m->signer = nb_arena_strdup(b->r->arena, p[n - 1].text);
        b->oom |= m->signer == NULL;
        n--;
        if (n > from && organ(p[n - 1].text) && organ(m->signer)) {
            b->cur = &p[n - 1];
            m->signer = nb_arena_printf(b->r->arena, "%s %s",
                                        p[n - 1].text, m->signer);
            b->oom |= m->signer == NULL;
            n--;
        }
        GUESS(b, _("'%s' read as the 署名"), m->signer);
    }
    return n;
}

/* True when s opens with a year: "2024年，", "2024年以来", "2024年度". */
static bool year_first(const char *s)
{
    return year_in(s) > 0 && s[0] >= '0' && s[0] <= '9' &&
           strncmp(s + 4, "年", 3) == 0;
}

/* The year a preamble paragraph reports on: the year it opens with, or
 * the one in its "现将…2024年度…报告如下"; 0 if none. */
static int preamble_year(const char *s)
{
    const char *at = strstr(s, "现将");

    if (year_first(s))
        return year_in(s);
    return at != NULL ? year_in(at) : 0;
}

/* Words that end the subject of a report's first sentence: "2024年，
 * 汤头街道在区委…", "2023年，静海区坚持…". */
static const char *const verbs[] = {
    "坚持", "在", "以", "深入", "认真", "全面", "始终", "紧紧", "紧密",
    "按照", "围绕", "严格", "扎实", "继续", "立足", "聚焦", "着力", "持续",
    "进一步", "切实", "积极", "高度", "贯彻", "落实", "不断", "紧扣",
    "全力", "把", "将", "牢牢", "主动", "努力", "大力", "统筹", NULL};

static bool verb_at(const char *s)
{
    const char *const *v;

    for (v = verbs; *v != NULL; v++)
        if (strncmp(s, *v, strlen(*v)) == 0)
            return true;
    return false;
}

/* The office a preamble's first sentence names as its subject, in the
 * arena, or NULL: "2024年，鹤龙街坚持…" gives 鹤龙街, "2019年，在省委…
 * 领导下，南昌县全面贯彻…" gives 南昌县. */
static const char *const not_names[] = {"我", "本", "全", "各", "今年",
                                        "一年", "有关", NULL};

/* The name s[0..n) is: Chinese characters alone, 2 to 20 of them, and not
 * 我局, 本单位, 全县 … */
static bool name_like(const char *s, size_t n)
{
    const char *const *w;
    size_t k;

    if (n < 6 || n > 60 || n % 3 != 0)
        return false;
    for (w = not_names; *w != NULL; w++)
        if (strncmp(s, *w, strlen(*w)) == 0)
            return false;
    for (k = 0; k < n; k += 3)
        if (((unsigned char)s[k] & 0xf0) != 0xe0 ||
            strncmp(s + k, "，", 3) == 0 || strncmp(s + k, "、", 3) == 0 ||
            strncmp(s + k, "。", 3) == 0 || strncmp(s + k, "“", 3) == 0 ||
            strncmp(s + k, "（", 3) == 0 || strncmp(s + k, "《", 3) == 0)
            return false;
    return true;
}

/* The office in "现将市人社局2022年法治政府建设情况报告如下", or NULL. */
static const char *reported_by(ib *b, const char *s)
{
    const char *at = strstr(s, "现将");
    const char *y;
    char year[8];

    if (at == NULL || year_in(at) == 0)
        return NULL;
    at += 6;
    snprintf(year, sizeof(year), "%d", year_in(at));
    y = strstr(at, year);
    return y != NULL && name_like(at, (size_t)(y - at))
               ? dup(b, at, (size_t)(y - at))
               : NULL;
}

static const char *preamble_issuer(ib *b, const char *para)
{
    const char *s;
    size_t k;
    size_t n;

    if (!year_first(para))
        return reported_by(b, para);
    s = para + 7; /* after 2024年 */
    if (strncmp(s, "以来", 6) == 0)
        s += 6;
    else if (strncmp(s, "度", 3) == 0)
        s += 3;
    if (strncmp(s, "，", 3) == 0)
        s += 3;
    else if (*s == ',')
        s++;
    if (strncmp(s, "在", 3) == 0) { /* 在区委、区政府的正确领导下， */
        const char *e = strstr(s, "下，");
        const char *a = strstr(s, "下,");

        if (e == NULL || (a != NULL && a < e))
            e = a;
        if (e == NULL || e - s > 150)
            return reported_by(b, para);
        s = e + (e == a ? 4 : 6);
    }
    n = strlen(s);
    for (k = 6; k <= 60 && k + 3 <= n; k += 3)
        if (verb_at(s + k))
            return name_like(s, k) ? dup(b, s, k) : reported_by(b, para);
    return reported_by(b, para);
}

/* Issuer and year from the 署名, the title or the parts. */
static void meta_fill(ib *b)
{
    nb_report *r = b->r;
    nb_meta *m = &r->meta;
    const char *t = r->title != NULL ? r->title : "";
    int y = year_in(t);
    size_t i;

    if (m->issuer == NULL && m->signer != NULL)
        m->issuer = m->signer;
    if (m->issuer == NULL && y > 0) {
        const char *at = strstr(t, nb_arena_printf(r->arena, "%d", y));
        const char *s = t;

        if (strncmp(s, "关于", 6) == 0)
            s += 6;
        if (at != NULL && at - s > 6 && strncmp(at - 6, "关于", 6) == 0)
            at -= 6; /* 某某市人民政府关于2022年度… */
        if (at != NULL && at > s)
            m->issuer = dup(b, s, (size_t)(at - s));
    }
    if (m->year == 0 && y > 0)
        m->year = y;
    for (i = 0; m->issuer == NULL && i < r->n_preamble; i++)
        if ((m->issuer = preamble_issuer(b, r->preamble[i].text)) != NULL) {
            b->cur = NULL;
            GUESS(b, _("the office '%s' taken from the preamble"),
                  m->issuer);
        }
    if (m->year == 0 && r->n_sections > 0 &&
        r->sections[0].kind == NB_SECTION_MEASURES &&
        (y = year_in(r->sections[0].title)) > 0) {
        m->year = y;
        b->cur = NULL;
        GUESS(b, _("the year %d taken from the first part's heading"), y);
    }
    if (m->year == 0 && m->date != NULL) {
        m->year = (int)strtol(m->date, NULL, 10) - 1;
        b->cur = NULL;
        GUESS(b, _("no year in the title: %d, the year before the date"),
              m->year);
    }
    if (m->year > 0)
        m->year_text = nb_arena_printf(r->arena, "%d", m->year);
    m->signer_default = m->signer == NULL || m->issuer == m->signer ||
                        (m->issuer != NULL && strcmp(m->issuer, m->signer) == 0);
    if (m->signer == NULL)
        m->signer = m->issuer;
    if (m->issuer == NULL || m->year == 0) {
        nb_loc loc = {r->file, 0, 0, NULL};

        nb_diag_add(b->dl, NB_IMPORT_NO_META, &loc, "%s",
                    _("the draft names no office or no year: give them "
                      "(issuer, year) in the report's meta"));
    }
}

/* A draft without the parts art. 25 requires is read as a work summary
 * (the lenient profile), and the note says so. */
static void profile_guess(ib *b)
{
    nb_report *r = b->r;
    unsigned seen = 0;
    size_t i;

    for (i = 0; i < r->n_sections; i++)
        seen |= 1u << r->sections[i].kind;
    if (r->meta.profile != NB_PROFILE_DEFAULT ||
        (seen & 0xfu) == 0xfu)
        return;
    r->meta.profile = NB_PROFILE_SUMMARY;
    b->cur = NULL;
    GUESS(b, "%s",
          _("the draft lacks parts art. 25 requires (measures, "
            "shortcomings, duties, plans): read as a work summary; give "
            "<profile>annual-report</profile> to have them required"));
}

static void defaults(ib *b)
{
    nb_report *r = b->r;
    size_t i;

    r->title_default = r->title == NULL;
    if (r->title == NULL && r->meta.year == 0)
        r->title = nb_arena_printf(r->arena, "%s法治政府建设情况报告",
                                   r->meta.issuer != NULL ? r->meta.issuer
                                                          : "");
    else if (r->title == NULL)
        r->title = nb_report_default_title(r);
    for (i = 0; i < r->n_sections; i++) {
        nb_section *s = &r->sections[i];

        s->title_default = s->title == NULL;
        if (s->title == NULL)
            s->title = nb_section_default_title(r, s->kind, r->meta.year);
    }
}

nb_status nb_import_build(nb_idoc *d, const nb_import_opts *o,
                          nb_diag_list *dl)
{
    ib b = {d, d->r, dl, NULL, false};
    size_t first;
    size_t end;
    size_t i;

    if (d->n == 0) {
        nb_loc loc = {d->r->file, 0, 0, d->where};

        nb_diag_add(dl, NB_IMPORT_NO_TEXT, &loc, "%s",
                    _("no paragraph of text found"));
        return NB_OK;
    }
    first = head(&b, nb_import_page_head(d, 0, d->n, dl), d->n);
    end = tail(&b, first, nb_import_page_tail(d, first, d->n, dl));
    {
        const char *t = d->r->title != NULL ? d->r->title : "";

        d->r->meta.year = year_in(t);
    }
    for (i = first; i < end && d->r->meta.year == 0; i++) {
        if (ordinal_at(d->p[i].text).kind == O_PART)
            break;
        if ((d->r->meta.year = preamble_year(d->p[i].text)) > 0) {
            b.cur = &d->p[i];
            GUESS(&b, _("the year %d taken from the preamble"),
                  d->r->meta.year);
        }
    }
    for (i = first; i < end && !b.oom; i++)
        place(&b, &d->p[i]);
    meta_fill(&b);
    profile_guess(&b);
    defaults(&b);
    (void)o;
    if (b.oom || d->oom)
        return nb_diag_nomem(dl, d->r->file);
    return NB_OK;
}

/* ==== Entry points ==== */

bool nb_import_is_draft(const char *path)
{
    return nb_has_suffix(path, ".docx") || nb_has_suffix(path, ".html") ||
           nb_has_suffix(path, ".htm") || nb_has_suffix(path, ".txt");
}

nb_status nb_import_memory(nb_report **out, const void *data, size_t len,
                           const char *name, const nb_import_opts *opts,
                           nb_diag_list *dl)
{
    nb_import_opts none = {0};
    const nb_import_opts *o = opts != NULL ? opts : &none;
    nb_limits lim = nb_limits_resolve(o->limits);
    nb_idoc d = {0};
    nb_status st;
    size_t errors = nb_diag_list_count_sev(dl, NB_SEV_ERROR);

    *out = NULL;
    d.r = nb_report_new(name);
    d.texts = nb_arena_new();
    if (d.r == NULL || d.texts == NULL) {
        nb_report_free(d.r);
        nb_arena_free(d.texts);
        return nb_diag_nomem(dl, name);
    }
    if (nb_has_suffix(name, ".docx")) {
        st = nb_import_docx(&d, data, len, &lim, dl);
    } else if (nb_has_suffix(name, ".html") || nb_has_suffix(name, ".htm")) {
        st = nb_import_html(&d, data, len, &lim, dl);
    } else if (nb_has_suffix(name, ".txt")) {
        st = nb_import_txt(&d, data, len, dl);
    } else {
        nb_loc loc = {d.r->file, 0, 0, NULL};

        nb_diag_add(dl, NB_IMPORT_UNREADABLE, &loc, "%s",
                    _("not a draft nianbao imports: name it .docx, .html, "
                      ".htm or .txt"));
        st = NB_ERR_FORMAT;
    }
    if (st == NB_OK && d.oom)
        st = NB_ERR_NOMEM;
    if (st == NB_OK)
        st = nb_import_build(&d, o, dl);
    nb_arena_free(d.texts); /* the report holds its own copies */
    if (st == NB_OK && d.n > 0 && !o->no_metrics)
        st = nb_import_figures(d.r, o->catalog, dl);
    if (st != NB_OK || nb_diag_list_count_sev(dl, NB_SEV_ERROR) > errors) {
        nb_report_free(d.r);
        return st;
    }
    *out = d.r;
    return NB_OK;
}

nb_status nb_import_file(nb_report **out, const char *path,
                         const nb_import_opts *opts, nb_diag_list *dl)
{
    nb_limits lim = nb_limits_resolve(opts != NULL ? opts->limits : NULL);
    char *data = NULL;
    size_t len = 0;
    nb_status st;

    *out = NULL;
    st = nb_file_read(&data, &len, path, lim.max_input_bytes,
                      NB_IMPORT_UNREADABLE, dl);
    if (st == NB_OK)
        st = nb_import_memory(out, data, len, path, opts, dl);
    free(data);
    return st;
}
