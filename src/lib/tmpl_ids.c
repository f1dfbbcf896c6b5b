/* tmpl_ids.c: IDs and list numbering in content that loops repeat.
 *
 * Part of the merge engine (tmpl_parse.c compiles, tmpl_eval.c writes).
 * Word refuses a document ("unreadable content") when two drawings share
 * a wp:docPr id or two bookmarks an id or a name, and a numbered list
 * that a loop repeats would run on through every copy. So:
 *   - at load, every merged part is scanned for the largest IDs in use
 *     and the bookmark names, and word/numbering.xml for its lists;
 *   - after a part is compiled, its bookmarks are paired and the IDs of
 *     repeated content get slots;
 *   - while a render writes, the first copy of an ID keeps its value and
 *     every later copy gets the next one above all of the template's, in
 *     the order written (the same input gives the same bytes), and a list
 *     restarted by a loop gets a new w:num per element (ECMA-376 §17.9.15:
 *     a w:num with w:lvlOverride/w:startOverride over the same
 *     w:abstractNum).
 */
#include "tmpl.h"
#include "xml_io.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#define W_NS "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#define W14_NS "http://schemas.microsoft.com/office/word/2010/wordml"
#define WP_NS                                                                  \
    "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
#define PIC_NS "http://schemas.openxmlformats.org/drawingml/2006/picture"
#define BOOKMARK_NAME_MAX 40    /* characters; Word's limit */
#define PARA_ID_MAX 0x7FFFFFFFu /* w14:paraId is below 0x80000000 */

/* ==== Reading the template ==== */

/* A decimal or (hex) hexadecimal attribute value; false when it is not
 * one that fits in 32 bits. */
static bool parse_u32(const char *s, bool hex, uint32_t *out)
{
    uint64_t v = 0;
    const char *p = s;

    if (s == NULL || *s == '\0')
        return false;
    for (; *p != '\0'; p++) {
        unsigned d;

        if (*p >= '0' && *p <= '9')
            d = (unsigned)(*p - '0');
        else if (hex && *p >= 'a' && *p <= 'f')
            d = (unsigned)(*p - 'a' + 10);
        else if (hex && *p >= 'A' && *p <= 'F')
            d = (unsigned)(*p - 'A' + 10);
        else
            return false;
        v = v * (hex ? 16 : 10) + d;
        if (v > UINT32_MAX)
            return false;
    }
    *out = (uint32_t)v;
    return true;
}

/* The attribute 'name' in namespace 'ns' (NULL: none) as a number. */
static bool attr_u32(const xmlNode *n, const char *name, const char *ns,
                     bool hex, uint32_t *out)
{
    xmlChar *v =
        ns != NULL ? xmlGetNsProp(n, (const xmlChar *)name, (const xmlChar *)ns)
                   : xmlGetNoNsProp(n, (const xmlChar *)name);
    bool ok = parse_u32((const char *)v, hex, out);

    xmlFree(v);
    return ok;
}

static void raise_max(uint32_t *max, uint32_t v)
{
    if (v > *max)
        *max = v;
}

static bool add_name(nb_template *t, const char *name)
{
    char *copy;

    if (t->n_bookmark_names == t->alloc_bookmark_names) {
        size_t na =
            t->alloc_bookmark_names == 0 ? 16 : t->alloc_bookmark_names * 2;
        char **nv = realloc(t->bookmark_names, na * sizeof(*nv));

        if (nv == NULL)
            return false;
        t->bookmark_names = nv;
        t->alloc_bookmark_names = na;
    }
    copy = strdup(name);
    if (copy == NULL)
        return false;
    t->bookmark_names[t->n_bookmark_names++] = copy;
    return true;
}

static bool scan(nb_template *t, const xmlNode *n)
{
    for (; n != NULL; n = n->next) {
        uint32_t v;

        if (n->type != XML_ELEMENT_NODE)
            continue;
        /* every drawing object's id (wp:docPr, pic:cNvPr, wps:cNvPr…) */
        if ((strcmp((const char *)n->name, "docPr") == 0 ||
             strcmp((const char *)n->name, "cNvPr") == 0) &&
            attr_u32(n, "id", NULL, false, &v))
            raise_max(&t->max_drawing_id, v);
        /* annotation ids (bookmarks, comments, revisions) share one space
         * as far as Word is concerned: new ones go above all of them */
        if (n->ns != NULL && strcmp((const char *)n->ns->href, W_NS) == 0 &&
            attr_u32(n, "id", W_NS, false, &v))
            raise_max(&t->max_bookmark_id, v);
        if (attr_u32(n, "paraId", W14_NS, true, &v))
            raise_max(&t->max_para_id, v);
        if (nb_xml_is(n, W_NS, "bookmarkStart")) {
            xmlChar *name =
                xmlGetNsProp(n, (const xmlChar *)"name", (const xmlChar *)W_NS);
            bool ok = name == NULL || add_name(t, (const char *)name);

            xmlFree(name);
            if (!ok)
                return false;
        }
        if (!scan(t, n->children))
            return false;
    }
    return true;
}

bool nb_tmpl_ids_scan(nb_template *t, const struct _xmlNode *root)
{
    return scan(t, root);
}

static bool attr_is(const xmlAttr *a, const char *ns, const char *name)
{
    if (strcmp((const char *)a->name, name) != 0)
        return false;
    if (ns == NULL)
        return a->ns == NULL;
    return a->ns != NULL && strcmp((const char *)a->ns->href, ns) == 0;
}

bool nb_tmpl_id_attr(nb_tnode *out, const struct _xmlNode *n,
                     const struct _xmlAttr *a, const char *v, bool repeated,
                     nb_arena *arena, bool *oom)
{
    const xmlNode *up = n->parent;
    int kind = -1;
    bool hex = false;

    memset(out, 0, sizeof(*out));
    out->kind = NB_T_ID;
    out->slot = NB_NO_SLOT; /* until nb_tmpl_ids_link gives it one */
    if ((nb_xml_is(n, W_NS, "bookmarkStart") ||
         nb_xml_is(n, W_NS, "bookmarkEnd")) &&
        attr_is(a, W_NS, "id")) {
        kind = NB_ID_BOOKMARK;
    } else if (nb_xml_is(n, W_NS, "bookmarkStart") &&
               attr_is(a, W_NS, "name")) {
        out->s = nb_arena_strdup(arena, v);
        if (out->s == NULL) {
            *oom = true;
            return false;
        }
        out->sub = NB_ID_BOOKMARK_NAME;
        return true;
    } else if (!repeated) {
        return false;
    } else if ((nb_xml_is(n, WP_NS, "docPr") ||
                nb_xml_is(n, PIC_NS, "cNvPr")) &&
               attr_is(a, NULL, "id")) {
        kind = NB_ID_DRAWING;
    } else if ((nb_xml_is(n, W_NS, "p") || nb_xml_is(n, W_NS, "tr")) &&
               attr_is(a, W14_NS, "paraId")) {
        kind = NB_ID_PARA;
        hex = true;
    } else if (nb_xml_is(n, W_NS, "numId") && attr_is(a, W_NS, "val") &&
               nb_xml_is(up, W_NS, "numPr") &&
               nb_xml_is(up->parent, W_NS, "pPr") &&
               nb_xml_is(up->parent->parent, W_NS, "p")) {
        out->kind = NB_T_NUMID;
        kind = 0;
    }
    if (kind < 0 || !parse_u32(v, hex, &out->id))
        return false;
    out->sub = (uint8_t)kind;
    return true;
}

/* ==== word/numbering.xml ==== */

typedef struct abstract_num {
    uint32_t id;
    uint16_t levels;
    int32_t start[NB_NUM_LEVELS];
} abstract_num;

static void read_levels(const xmlNode *parent, const char *lvl_name,
                        const char *start_name, uint16_t *levels,
                        int32_t *start)
{
    const xmlNode *l;
    const xmlNode *k;

    for (l = parent->children; l != NULL; l = l->next) {
        uint32_t ilvl;

        if (!nb_xml_is(l, W_NS, lvl_name) ||
            !attr_u32(l, "ilvl", W_NS, false, &ilvl) || ilvl >= NB_NUM_LEVELS)
            continue;
        for (k = l->children; k != NULL; k = k->next) {
            uint32_t v;

            if (!nb_xml_is(k, W_NS, start_name))
                continue;
            *levels |= (uint16_t)(1u << ilvl);
            /* ECMA-376 §17.9.25: without w:start a level starts at 0 */
            start[ilvl] = attr_u32(k, "val", W_NS, false, &v) && v <= INT32_MAX
                              ? (int32_t)v
                              : 0;
        }
        if (strcmp(lvl_name, "lvl") == 0 && !(*levels & (1u << ilvl))) {
            *levels |= (uint16_t)(1u << ilvl);
            start[ilvl] = 0;
        }
    }
}

static int cmp_num(const void *a, const void *b)
{
    const nb_tnum *x = a;
    const nb_tnum *y = b;

    return x->num_id < y->num_id ? -1 : x->num_id > y->num_id;
}

bool nb_tmpl_numbering_read(nb_template *t, const struct _xmlNode *root)
{
    const xmlNode *n;
    abstract_num *abs = NULL;
    size_t n_abs = 0;
    size_t n_nums = 0;
    size_t i;
    bool ok = false;

    for (n = root->children; n != NULL; n = n->next) {
        if (nb_xml_is(n, W_NS, "abstractNum"))
            n_abs++;
        else if (nb_xml_is(n, W_NS, "num"))
            n_nums++;
    }
    abs = calloc(n_abs + 1, sizeof(*abs));
    t->nums = calloc(n_nums + 1, sizeof(*t->nums));
    if (abs == NULL || t->nums == NULL)
        goto done;
    n_abs = 0;
    for (n = root->children; n != NULL; n = n->next) {
        abstract_num *a = &abs[n_abs];

        if (!nb_xml_is(n, W_NS, "abstractNum") ||
            !attr_u32(n, "abstractNumId", W_NS, false, &a->id))
            continue;
        read_levels(n, "lvl", "start", &a->levels, a->start);
        n_abs++;
    }
    for (n = root->children; n != NULL; n = n->next) {
        nb_tnum *num = &t->nums[t->n_nums];
        const xmlNode *k;
        uint16_t over = 0;
        int32_t over_start[NB_NUM_LEVELS];

        if (!nb_xml_is(n, W_NS, "num") ||
            !attr_u32(n, "numId", W_NS, false, &num->num_id))
            continue;
        raise_max(&t->max_num_id, num->num_id);
        for (k = n->children; k != NULL; k = k->next)
            if (nb_xml_is(k, W_NS, "abstractNumId") &&
                attr_u32(k, "val", W_NS, false, &num->abstract_id))
                break;
        if (k == NULL)
            continue;
        for (i = 0; i < n_abs; i++)
            if (abs[i].id == num->abstract_id) {
                num->levels = abs[i].levels;
                memcpy(num->start, abs[i].start, sizeof(num->start));
            }
        read_levels(n, "lvlOverride", "startOverride", &over, over_start);
        for (i = 0; i < NB_NUM_LEVELS; i++)
            if (over & (1u << i)) {
                num->levels |= (uint16_t)(1u << i);
                num->start[i] = over_start[i];
            }
        t->n_nums++;
    }
    qsort(t->nums, t->n_nums, sizeof(*t->nums), cmp_num);
    ok = true;
done:
    free(abs);
    return ok;
}

const nb_tnum *nb_tmpl_num(const nb_template *t, uint32_t num_id)
{
    nb_tnum key;

    if (t->nums == NULL)
        return NULL;
    memset(&key, 0, sizeof(key));
    key.num_id = num_id;
    return bsearch(&key, t->nums, t->n_nums, sizeof(*t->nums), cmp_num);
}

/* ==== Linking a compiled part ==== */

typedef struct mark_ref {
    nb_tnode *v;             /* the NB_T_MARK node; its span follows */
    const nb_tnode *section; /* the innermost section holding it */
    size_t order;
} mark_ref;

typedef struct mark_list {
    mark_ref *v;
    size_t n;
    size_t alloc;
    bool oom;
} mark_list;

static void give_slots(nb_template *t, nb_tnode *v, size_t n,
                       const nb_tnode *section, mark_list *ml)
{
    size_t i;

    for (i = 0; i < n; i++) {
        nb_tnode *k = &v[i];

        if (k->kind == NB_T_SECTION) {
            give_slots(t, k->children, k->n_children, k, ml);
        } else if (k->kind == NB_T_ID && k->sub != NB_ID_BOOKMARK &&
                   k->sub != NB_ID_BOOKMARK_NAME) {
            k->slot = (uint32_t)t->n_slots++;
        } else if (k->kind == NB_T_MARK && k->sub == NB_MARK_COMMENT) {
            k->slot = (uint32_t)t->n_slots++;
        } else if (k->kind == NB_T_MARK) {
            if (ml->n == ml->alloc) {
                size_t na = ml->alloc == 0 ? 16 : ml->alloc * 2;
                mark_ref *nv = realloc(ml->v, na * sizeof(*nv));

                if (nv == NULL) {
                    ml->oom = true;
                    k->drop = true;
                    continue;
                }
                ml->v = nv;
                ml->alloc = na;
            }
            ml->v[ml->n].v = k;
            ml->v[ml->n].section = section;
            ml->v[ml->n].order = ml->n;
            ml->n++;
        }
    }
}

static int cmp_mark(const void *a, const void *b)
{
    const mark_ref *x = a;
    const mark_ref *y = b;

    if (x->v->id != y->v->id)
        return x->v->id < y->v->id ? -1 : 1;
    return x->order < y->order ? -1 : x->order > y->order;
}

/* The bookmarks with one id: one start and one end repeated together
 * share a slot; any other set is dropped (a half without the other would
 * be left over). */
static void link_bookmark(nb_template *t, mark_ref *g, size_t n)
{
    size_t i;
    size_t j;
    bool pair = n == 2 && g[0].v->sub != g[1].v->sub && !g[0].v->vanished &&
                !g[1].v->vanished && g[0].section == g[1].section;
    uint32_t slot = (uint32_t)t->n_slots;

    if (pair)
        t->n_slots++;
    for (i = 0; i < n; i++) {
        nb_tnode *m = g[i].v;

        if (!pair) {
            m->drop = true;
            continue;
        }
        for (j = 1; j <= m->len; j++)
            if (m[j].kind == NB_T_ID)
                m[j].slot = slot;
    }
}

void nb_tmpl_ids_link(nb_template *t, nb_tpart *part)
{
    mark_list ml = {NULL, 0, 0, false};
    size_t i;
    size_t start;

    give_slots(t, part->nodes, part->n_nodes, NULL, &ml);
    if (ml.n > 1)
        qsort(ml.v, ml.n, sizeof(*ml.v), cmp_mark);
    for (start = 0, i = 1; i <= ml.n; i++) {
        if (i < ml.n && ml.v[i].v->id == ml.v[start].v->id)
            continue;
        if (start < ml.n)
            link_bookmark(t, ml.v + start, i - start);
        start = i;
    }
    free(ml.v);
}

/* ==== While a render writes ==== */

nb_status nb_render_state_init(nb_render_state *rs, const nb_template *t)
{
    memset(rs, 0, sizeof(*rs));
    rs->t = t;
    rs->next_drawing = t->max_drawing_id + 1;
    rs->next_bookmark = t->max_bookmark_id + 1;
    rs->next_para = t->max_para_id + 1;
    nb_buf_init(&rs->scratch, 4096);
    if (t->n_slots > 0) {
        rs->slots = calloc(t->n_slots, sizeof(*rs->slots));
        if (rs->slots == NULL)
            return NB_ERR_NOMEM;
    }
    return NB_OK;
}

void nb_render_state_fini(nb_render_state *rs)
{
    size_t i;

    free(rs->slots);
    for (i = 0; i < rs->names_cap; i++)
        free(rs->names[i]);
    free(rs->names);
    free(rs->num_orig);
    nb_incl_free(rs->incl);
    nb_buf_fini(&rs->scratch);
    memset(rs, 0, sizeof(*rs));
}

/* The name set: open addressing over malloc'd copies. */
static bool names_has(const nb_render_state *rs, const char *s)
{
    size_t i;

    if (rs->names_cap == 0)
        return false;
    for (i = nb_str_hash(s) & (rs->names_cap - 1); rs->names[i] != NULL;
         i = (i + 1) & (rs->names_cap - 1))
        if (strcmp(rs->names[i], s) == 0)
            return true;
    return false;
}

static void names_put(char **v, size_t cap, char *s)
{
    size_t i;

    for (i = nb_str_hash(s) & (cap - 1); v[i] != NULL; i = (i + 1) & (cap - 1))
        ;
    v[i] = s;
}

static bool names_add(nb_render_state *rs, const char *s)
{
    char *copy;

    if ((rs->n_names + 1) * 2 > rs->names_cap) {
        size_t cap = rs->names_cap == 0 ? 64 : rs->names_cap * 2;
        char **nv = calloc(cap, sizeof(*nv));
        size_t i;

        if (nv == NULL)
            return false;
        for (i = 0; i < rs->names_cap; i++)
            if (rs->names[i] != NULL)
                names_put(nv, cap, rs->names[i]);
        free(rs->names);
        rs->names = nv;
        rs->names_cap = cap;
    }
    copy = strdup(s);
    if (copy == NULL)
        return false;
    names_put(rs->names, rs->names_cap, copy);
    rs->n_names++;
    return true;
}

/* The template's names, added before the first new one is made. */
static bool names_seed(nb_render_state *rs)
{
    size_t i;

    if (rs->names_cap > 0)
        return true;
    for (i = 0; i < rs->t->n_bookmark_names; i++)
        if (!names_has(rs, rs->t->bookmark_names[i]) &&
            !names_add(rs, rs->t->bookmark_names[i]))
            return false;
    return rs->names_cap > 0 || names_add(rs, "");
}

/* 'base' cut to at most 'max' characters, on a UTF-8 boundary. */
static size_t cut_chars(const char *base, size_t max)
{
    size_t i;
    size_t chars = 0;

    for (i = 0; base[i] != '\0'; i++) {
        if (((unsigned char)base[i] & 0xC0) == 0x80)
            continue;
        if (chars == max)
            return i;
        chars++;
    }
    return i;
}

/* A name for a copy of bookmark 'base' that no bookmark has: "base_2",
 * "base_3"…, within Word's 40 characters. */
static void write_new_name(nb_render_state *rs, nb_buf *out, const char *base)
{
    unsigned k;

    if (!names_seed(rs)) {
        out->st = NB_ERR_NOMEM;
        return;
    }
    for (k = 2;; k++) {
        char suffix[16];
        int n = snprintf(suffix, sizeof(suffix), "_%u", k);
        size_t keep = cut_chars(base, BOOKMARK_NAME_MAX - (size_t)n);

        nb_buf_reset(&rs->scratch);
        nb_buf_add(&rs->scratch, base, keep);
        nb_buf_adds(&rs->scratch, suffix);
        if (rs->scratch.st != NB_OK) {
            out->st = rs->scratch.st;
            return;
        }
        if (!names_has(rs, rs->scratch.data))
            break;
    }
    if (!names_add(rs, rs->scratch.data)) {
        out->st = NB_ERR_NOMEM;
        return;
    }
    nb_xml_escape(out, rs->scratch.data, rs->scratch.len, NB_ESC_ATTR);
}

static uint32_t next_value(nb_render_state *rs, nb_id_kind kind)
{
    switch (kind) {
    case NB_ID_DRAWING:
        return rs->next_drawing++;
    case NB_ID_PARA:
        return rs->next_para <= PARA_ID_MAX ? rs->next_para++ : 0;
    default:
        return rs->next_bookmark++;
    }
}

void nb_render_id(nb_render_state *rs, nb_buf *out, const nb_tnode *node,
                  uint64_t stamp)
{
    nb_id_slot *s = node->slot < rs->t->n_slots ? &rs->slots[node->slot] : NULL;
    bool pair = node->sub == NB_ID_BOOKMARK || node->sub == NB_ID_BOOKMARK_NAME;
    uint32_t v = node->id;

    if (s != NULL && (!s->used || (pair && s->stamp != stamp) || !pair)) {
        /* a pair's halves share what the first of them got */
        s->fresh = s->used;
        s->value = s->used ? next_value(rs, (nb_id_kind)node->sub) : node->id;
        s->used = true;
        s->stamp = stamp;
        if (s->value == 0 && node->sub == NB_ID_PARA)
            s->value = node->id; /* out of paraIds: keep it */
    }
    if (s != NULL)
        v = s->value;
    if (node->sub == NB_ID_BOOKMARK_NAME) {
        const char *name = node->s != NULL ? node->s : "";

        if (s != NULL && s->fresh)
            write_new_name(rs, out, name);
        else
            nb_xml_escape(out, name, strlen(name), NB_ESC_ATTR);
        return;
    }
    if (node->sub == NB_ID_PARA)
        nb_buf_printf(out, "%08X", (unsigned)v);
    else
        nb_buf_printf(out, "%u", (unsigned)v);
}

bool nb_render_mark_first(nb_render_state *rs, const nb_tnode *node)
{
    nb_id_slot *s;

    if (node->slot >= rs->t->n_slots)
        return true;
    s = &rs->slots[node->slot];
    if (s->used)
        return false;
    s->used = true;
    return true;
}

/* A new w:numId copying 'orig' (0: an included list's); 0 when none is
 * left. */
static uint32_t num_push(nb_render_state *rs, uint32_t orig)
{
    if (rs->t->max_num_id + rs->n_num >= INT32_MAX)
        return 0;
    if (rs->n_num == rs->alloc_num) {
        size_t na = rs->alloc_num == 0 ? 16 : rs->alloc_num * 2;
        uint32_t *nv = realloc(rs->num_orig, na * sizeof(*nv));

        if (nv == NULL) {
            rs->oom = true;
            return 0;
        }
        rs->num_orig = nv;
        rs->alloc_num = na;
    }
    rs->num_orig[rs->n_num++] = orig;
    return rs->t->max_num_id + (uint32_t)rs->n_num;
}

uint32_t nb_render_num_new(nb_render_state *rs, uint32_t num_id)
{
    if (nb_tmpl_num(rs->t, num_id) == NULL)
        return 0;
    return num_push(rs, num_id);
}

uint32_t nb_render_num_reserve(nb_render_state *rs)
{
    return num_push(rs, 0); /* tmpl_include.c writes it */
}

const char *nb_render_bookmark_name(nb_render_state *rs, const char *name)
{
    nb_buf b;

    if (!names_seed(rs))
        return NULL;
    if (!names_has(rs, name)) {
        if (!names_add(rs, name))
            return NULL;
        nb_buf_reset(&rs->scratch);
        nb_buf_adds(&rs->scratch, name);
        return rs->scratch.st == NB_OK ? rs->scratch.data : NULL;
    }
    nb_buf_init(&b, SIZE_MAX);
    write_new_name(rs, &b, name); /* the new name is in rs->scratch */
    nb_buf_fini(&b);
    return rs->scratch.st == NB_OK ? rs->scratch.data : NULL;
}

void nb_render_nums_write(const nb_render_state *rs, nb_buf *out,
                          const char *prefix)
{
    size_t i;
    unsigned l;
    const char *p = prefix != NULL ? prefix : "";
    const char *colon = *p != '\0' ? ":" : "";

    for (i = 0; i < rs->n_num; i++) {
        const nb_tnum *num = nb_tmpl_num(rs->t, rs->num_orig[i]);
        uint16_t levels;

        if (num == NULL)
            continue; /* an included list's (nb_render_num_reserve) */
        /* a list defined through a numbering style (w:numStyleLink) has no
         * levels of its own: restart them all at 1 */
        levels = num->levels != 0 ? num->levels : 0x1FF;

        nb_buf_printf(out,
                      "<%s%snum %s%snumId=\"%u\"><%s%sabstractNumId "
                      "%s%sval=\"%u\"/>",
                      p, colon, p, colon, (unsigned)(rs->t->max_num_id + i + 1),
                      p, colon, p, colon, (unsigned)num->abstract_id);
        for (l = 0; l < NB_NUM_LEVELS; l++) {
            if (!(levels & (1u << l)))
                continue;
            nb_buf_printf(out,
                          "<%s%slvlOverride %s%silvl=\"%u\"><%s%sstartOverride "
                          "%s%sval=\"%d\"/></%s%slvlOverride>",
                          p, colon, p, colon, l, p, colon, p, colon,
                          num->levels != 0 ? (int)num->start[l] : 1, p, colon);
        }
        nb_buf_printf(out, "</%s%snum>", p, colon);
    }
}
