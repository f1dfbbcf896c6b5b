/* tmpl_check.c: the paths of a template's tags checked against the data a
 * report's template sees, before any report is merged.
 *
 * Stage "template parser", after tmpl_tag.c has listed the tags. The
 * data is described by view.c's table (nb_view_shape). Tags are taken in
 * document order, part by part, and sections open scopes as tmpl_eval.c's
 * lookup does (Mustache): the first name of a path is looked up in the
 * element of every enclosing section, innermost first, then in the report;
 * the rest of the path descends from there. A name found nowhere is an
 * error with a "did you mean"; a field of a list used outside a section
 * over that list says which section it needs.
 */
#include "catalog.h"
#include "tmpl.h"
#include "value.h"

#include <stdio.h>
#include <string.h>

#define MAX_EDGES 64  /* named fields in the view: about 60 */
#define MAX_SCOPES 64 /* deeper sections are not followed */

/* The element of a section whose path is unknown: any name is taken, so
 * one mistake is reported once, not at every tag inside. */
const nb_vnode nb_vnode_any = {NB_VK_MAP, NULL, 0, NULL};
#define any_node nb_vnode_any
static const nb_vnode value_node = {NB_VK_STR, NULL, 0, NULL};
static const nb_vnode bool_node = {NB_VK_BOOL, NULL, 0, NULL};

/* A named field of the view, and the map it is in. */
typedef struct edge {
    const char *name;
    const nb_vnode *node;
} edge;

typedef struct scope {
    const nb_vnode *ctx; /* its element; NULL for {{^…}}, which has none */
    const char *path;    /* to match the closing tag */
    bool list;           /* over a list: its elements have a position */
    const char *alias;   /* {{#list as x}}: x names its element */
} scope;

typedef struct checker {
    const nb_template *t;
    const nb_catalog *cat;
    nb_diag_list *dl;
    const nb_template_tag *tag; /* the tag being checked */
    const nb_vnode *root;       /* the data's shape: the report's view */
    scope scopes[MAX_SCOPES];
    size_t depth;
    size_t skipped; /* sections opened past MAX_SCOPES */
    edge edges[MAX_EDGES];
    size_t n_edges;
} checker;

static void report(checker *ck, nb_code code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void report(checker *ck, nb_code code, const char *fmt, ...)
{
    nb_loc loc = {ck->t->file, ck->tag->line, 0, ck->tag->part};
    va_list ap;

    va_start(ap, fmt);
    nb_diag_addv(ck->dl, code, &loc, fmt, ap);
    va_end(ap);
}

/* The map whose fields a node's name reaches: itself, or its element. */
static const nb_vnode *fields_of(const nb_vnode *n)
{
    if (n->kind == NB_VK_LIST || n->kind == NB_VK_BY_CODE)
        return n->elem;
    return n;
}

/* Every named field of the view, once per (name, node). */
static void collect_edges(checker *ck, const nb_vnode *map)
{
    size_t i;
    size_t k;

    for (i = 0; i < map->n_fields; i++) {
        const nb_vnode *n = map->fields[i].node;
        bool seen = false;

        for (k = 0; k < ck->n_edges; k++)
            seen = seen || fields_of(ck->edges[k].node) == fields_of(n);
        if (ck->n_edges < MAX_EDGES) {
            ck->edges[ck->n_edges].name = map->fields[i].name;
            ck->edges[ck->n_edges].node = n;
            ck->n_edges++;
        }
        if (!seen && fields_of(n)->kind == NB_VK_MAP) /* items nest */
            collect_edges(ck, fields_of(n));
    }
}

/* The code seg[0..len) is in the catalog. */
static bool known_code(const checker *ck, const char *seg, size_t len)
{
    char code[65];

    if (len >= sizeof(code))
        return false;
    memcpy(code, seg, len);
    code[len] = '\0';
    return nb_catalog_find(ck->cat, code) != NULL;
}

/* The node that name seg[0..len) of 'n' holds, or NULL. */
static const nb_vnode *child(const checker *ck, const nb_vnode *n,
                             const char *seg, size_t len)
{
    if (n->kind == NB_VK_BY_CODE)
        return known_code(ck, seg, len) ? n->elem : NULL;
    return nb_vnode_field(n, seg, len);
}

/* The nearest name to seg[0..len) among the fields of 'map' (all of them
 * for NULL: the scopes' and the report's), if it is near enough to be a
 * slip; 'best_d' carries the distance between calls. */
static const char *nearest(const nb_vnode *map, const char *seg, size_t len,
                           const char *best, size_t *best_d)
{
    char name[65];
    size_t i;

    if (len >= sizeof(name))
        return best;
    memcpy(name, seg, len);
    name[len] = '\0';
    for (i = 0; map != NULL && i < map->n_fields; i++) {
        size_t d = nb_edit_distance(name, map->fields[i].name);

        if (d < *best_d) {
            *best_d = d;
            best = map->fields[i].name;
        }
    }
    return best;
}

/* How far a name may be from the one meant (edits). */
static size_t slip(size_t len)
{
    return len <= 3 ? 1 : len <= 6 ? 2 : 3;
}

/* The first name of a path is nowhere in scope: say where it is, or what
 * was meant. */
static void report_first(checker *ck, const char *seg, size_t len)
{
    char lists[160] = "";
    const char *list = NULL;
    const char *best = NULL;
    size_t best_d = slip(len) + 1;
    size_t n_lists = 0;
    size_t i;
    size_t k;

    for (i = 0; i < ck->n_edges; i++) {
        const edge *e = &ck->edges[i];
        bool dup = false;

        if (nb_vnode_field(fields_of(e->node), seg, len) == NULL)
            continue;
        if (e->node->kind == NB_VK_MAP) {
            report(ck, NB_TMPL_PATH_SCOPE,
                   _("'{{%s}}': '%.*s' is a field of '%s': write "
                     "'{{%s.%.*s}}'"),
                   ck->tag->text, (int)len, seg, e->name, e->name, (int)len,
                   seg);
            return;
        }
        if (e->node->kind != NB_VK_LIST)
            continue;
        for (k = 0; k < i; k++)
            dup = dup || (strcmp(ck->edges[k].name, e->name) == 0 &&
                          ck->edges[k].node->kind == NB_VK_LIST &&
                          nb_vnode_field(fields_of(ck->edges[k].node), seg,
                                         len) != NULL);
        if (dup)
            continue;
        if (list == NULL)
            list = e->name;
        if (n_lists < 4) {
            size_t at = strlen(lists);

            snprintf(lists + at, sizeof(lists) - at, "%s'%s'",
                     n_lists > 0 ? ", " : "", e->name);
        } else if (n_lists == 4) {
            size_t at = strlen(lists);

            snprintf(lists + at, sizeof(lists) - at, "%s", ", …");
        }
        n_lists++;
    }
    if (list != NULL) {
        report(ck, NB_TMPL_PATH_SCOPE,
               _("'{{%s}}': '%.*s' is a field of each element of %s, and no "
                 "section around this tag is over one: put it inside "
                 "{{#%s}}…{{/%s}}"),
               ck->tag->text, (int)len, seg, lists, list, list);
        return;
    }
    for (i = ck->depth; i-- > 0;)
        if (ck->scopes[i].ctx != NULL)
            best = nearest(ck->scopes[i].ctx, seg, len, best, &best_d);
    best = nearest(ck->root, seg, len, best, &best_d);
    for (i = 0; best == NULL && i < ck->n_edges; i++)
        best = nearest(fields_of(ck->edges[i].node), seg, len, best, &best_d);
    if (best != NULL)
        report(ck, NB_TMPL_PATH_UNKNOWN,
               _("'{{%s}}': no '%.*s' in the data a template sees; did you "
                 "mean '%s'?"),
               ck->tag->text, (int)len, seg, best);
    else
        report(ck, NB_TMPL_PATH_UNKNOWN,
               _("'{{%s}}': no '%.*s' in the data a template sees (see "
                 "\"The data a template sees\" in docs/templates.md)"),
               ck->tag->text, (int)len, seg);
}

/* A later name of a path is not in what the path reached so far,
 * path[0..at). */
static void report_next(checker *ck, const nb_vnode *n, const char *path,
                        size_t at, const char *seg, size_t len)
{
    const char *best;
    size_t best_d = slip(len) + 1;
    char code[65];

    switch (n->kind) {
    case NB_VK_LIST:
        report(ck, NB_TMPL_PATH_LIST,
               _("'{{%s}}': '%.*s' is a list, whose elements are read "
                 "inside {{#%.*s}}…{{/%.*s}}: write {{%.*s}} there"),
               ck->tag->text, (int)at, path, (int)at, path, (int)at, path,
               (int)(strlen(path) - at - 1), path + at + 1);
        return;
    case NB_VK_BY_CODE:
        best = NULL;
        if (len < sizeof(code) && !nb_diag_list_full(ck->dl)) {
            memcpy(code, seg, len);
            code[len] = '\0';
            best = nb_indicator_suggest(ck->cat, code);
        }
        if (best != NULL)
            report(ck, NB_TMPL_METRIC_UNKNOWN,
                   _("'{{%s}}': '%.*s' is not an indicator code of the "
                     "catalog; did you mean '%s'? (nianbao indicators "
                     "lists them)"),
                   ck->tag->text, (int)len, seg, best);
        else
            report(ck, NB_TMPL_METRIC_UNKNOWN,
                   _("'{{%s}}': '%.*s' is not an indicator code of the "
                     "catalog (nianbao indicators lists them)"),
                   ck->tag->text, (int)len, seg);
        return;
    case NB_VK_MAP:
        best = nearest(n, seg, len, NULL, &best_d);
        if (best != NULL)
            report(ck, NB_TMPL_PATH_UNKNOWN,
                   _("'{{%s}}': '%.*s' has no '%.*s'; did you mean '%s'?"),
                   ck->tag->text, (int)at, path, (int)len, seg, best);
        else
            report(ck, NB_TMPL_PATH_UNKNOWN,
                   _("'{{%s}}': '%.*s' has no '%.*s'"), ck->tag->text, (int)at,
                   path, (int)len, seg);
        return;
    default:
        report(ck, NB_TMPL_PATH_UNKNOWN,
               _("'{{%s}}': '%.*s' is a value, which has no '%.*s'"),
               ck->tag->text, (int)at, path, (int)len, seg);
        return;
    }
}

/* @index, @first, @last: the position of the innermost list element. */
static const nb_vnode *resolve_position(checker *ck, const char *path)
{
    size_t i;
    bool in_list = false;

    for (i = 0; i < ck->depth; i++)
        in_list = in_list || ck->scopes[i].list ||
                  ck->scopes[i].ctx == &any_node;
    if (strcmp(path, "@index") != 0 && strcmp(path, "@first") != 0 &&
        strcmp(path, "@last") != 0) {
        report(ck, NB_TMPL_POSITION_UNKNOWN,
               _("'%s' is not a position in a loop: use @index (1, 2, …), "
                 "@first or @last"),
               path);
        return &any_node;
    }
    if (!in_list) {
        report(ck, NB_TMPL_POSITION_OUTSIDE,
               _("'%s' is the position of a list element, and no section "
                 "around this tag is over a list: put it inside one, such "
                 "as {{#sections}}…{{/sections}}"),
               path);
        return &any_node;
    }
    return strcmp(path, "@index") == 0 ? &value_node : &bool_node;
}

/* What the tag's path reaches; &any_node after a reported problem or
 * inside a section whose path was unknown. */
static const nb_vnode *resolve(checker *ck, const char *path)
{
    const nb_vnode *n = NULL;
    const char *seg = path;
    const char *dot = strchr(path, '.');
    size_t len = dot != NULL ? (size_t)(dot - path) : strlen(path);
    size_t i;

    if (path[0] == '@')
        return resolve_position(ck, path);
    if (strcmp(path, ".") == 0) {
        for (i = ck->depth; i-- > 0;)
            if (ck->scopes[i].ctx != NULL)
                return ck->scopes[i].ctx;
        return ck->root;
    }
    for (i = ck->depth; n == NULL && i-- > 0;) {
        const nb_vnode *ctx = ck->scopes[i].ctx;

        if (ck->scopes[i].alias != NULL && ctx != NULL &&
            strlen(ck->scopes[i].alias) == len &&
            memcmp(ck->scopes[i].alias, seg, len) == 0) {
            n = ctx; /* a named loop's element */
            break;
        }
        if (ctx == &any_node)
            return &any_node;
        if (ctx != NULL)
            n = child(ck, ctx, seg, len);
    }
    if (n == NULL && ck->root == &any_node)
        return &any_node; /* a schema that says nothing of its names */
    if (n == NULL)
        n = child(ck, ck->root, seg, len);
    if (n == NULL) {
        report_first(ck, seg, len);
        return &any_node;
    }
    while (dot != NULL) {
        const nb_vnode *next;

        if (n == &any_node)
            return &any_node; /* nothing known below: JSON's null */
        seg = dot + 1;
        dot = strchr(seg, '.');
        len = dot != NULL ? (size_t)(dot - seg) : strlen(seg);
        next = n->kind == NB_VK_LIST ? NULL : child(ck, n, seg, len);
        if (next == NULL) {
            report_next(ck, n, path, (size_t)(seg - 1 - path), seg, len);
            return &any_node;
        }
        n = next;
    }
    return n;
}

/* Is the tag's value a picture ("…|picture:60mm|alt:…")? */
static bool picture_tag(const nb_template_tag *tg)
{
    const char *f = tg->filters;

    while (f != NULL && *f != '\0') {
        if (strncmp(f, "picture", 7) == 0 &&
            (f[7] == '\0' || f[7] == '|' || f[7] == ':'))
            return true;
        f = strchr(f, '|');
        if (f != NULL)
            f++;
    }
    return false;
}

static void check_field(checker *ck, const nb_vnode *n)
{
    const char *path = ck->tag->path;

    if (n == &any_node || strcmp(path, ".") == 0)
        return;
    if (n->kind == NB_VK_MAP && picture_tag(ck->tag))
        return; /* {"src": …, "alt": …}: read whole by the picture */
    if (n->kind == NB_VK_LIST)
        report(ck, NB_TMPL_FIELD_NOT_TEXT,
               _("'{{%s}}' is a list, which a field shows as nothing: "
                 "repeat its elements with {{#%s}}…{{/%s}}"),
               ck->tag->text, path, path);
    else if (n->kind == NB_VK_MAP && n->n_fields > 0)
        report(ck, NB_TMPL_FIELD_NOT_TEXT,
               _("'{{%s}}' has fields, which a field does not show: name "
                 "one, such as '{{%s.%s}}'"),
               ck->tag->text, path, n->fields[0].name);
    else if (n->kind == NB_VK_BY_CODE)
        report(ck, NB_TMPL_FIELD_NOT_TEXT,
               _("'{{%s}}' holds the metrics by code, which a field does not "
                 "show: name one, such as '{{%s.CODE.text}}'"),
               ck->tag->text, path);
}

static void open_scope(checker *ck, const nb_vnode *n)
{
    const nb_template_tag *tg = ck->tag;

    if (ck->depth == MAX_SCOPES) {
        ck->skipped++;
        return;
    }
    ck->scopes[ck->depth].path = tg->path;
    ck->scopes[ck->depth].alias = tg->once ? NULL : tg->alias;
    ck->scopes[ck->depth].list =
        tg->kind != NB_TAG_INVERTED && !tg->once && n->kind == NB_VK_LIST;
    if (tg->kind == NB_TAG_INVERTED || tg->once)
        ck->scopes[ck->depth].ctx = NULL;
    else if (n == &any_node || n->kind == NB_VK_MAP || n->kind == NB_VK_BY_CODE)
        ck->scopes[ck->depth].ctx = n;
    else if (n->kind == NB_VK_LIST)
        ck->scopes[ck->depth].ctx = n->elem;
    else
        ck->scopes[ck->depth].ctx = &value_node; /* no fields of its own */
    ck->depth++;
}

/* Close the scope the tag names; a closing tag that matches none was
 * reported by the parser. */
static void close_scope(checker *ck)
{
    size_t i;

    if (ck->skipped > 0) {
        ck->skipped--;
        return;
    }
    for (i = ck->depth; i-- > 0;) {
        if (strcmp(ck->scopes[i].path, ck->tag->path) == 0) {
            ck->depth = i;
            return;
        }
    }
}

void nb_tmpl_check_paths(const nb_template *t, const nb_catalog *cat,
                         nb_diag_list *dl)
{
    nb_tmpl_check_shape(t, cat, &nb_view_shape, dl);
}

void nb_tmpl_check_shape(const nb_template *t, const nb_catalog *cat,
                         const nb_vnode *root, nb_diag_list *dl)
{
    checker ck;
    const char *part = NULL;
    size_t i;

    memset(&ck, 0, sizeof(ck));
    ck.t = t;
    ck.cat = cat;
    ck.dl = dl;
    ck.root = root;
    collect_edges(&ck, root);
    for (i = 0; i < t->n_tags; i++) {
        const nb_template_tag *tg = &t->tags[i];
        const nb_vnode *n;

        if (part == NULL || strcmp(part, tg->part) != 0) {
            part = tg->part; /* every part is merged from the report */
            ck.depth = 0;
            ck.skipped = 0;
        }
        if (!tg->valid || tg->kind == NB_TAG_COMMENT)
            continue;
        ck.tag = tg;
        if (tg->kind == NB_TAG_CLOSE) {
            close_scope(&ck);
            continue;
        }
        n = resolve(&ck, tg->path);
        if (tg->kind == NB_TAG_FIELD)
            check_field(&ck, n);
        else
            open_scope(&ck, n);
    }
}

/* ==== The public view of a template's tags ==== */

bool nb_template_renderable(const nb_template *t)
{
    return t != NULL && !t->has_errors;
}

size_t nb_template_tag_count(const nb_template *t)
{
    return t != NULL ? t->n_tags : 0;
}

const nb_template_tag *nb_template_tag_at(const nb_template *t, size_t i)
{
    return t != NULL && i < t->n_tags ? &t->tags[i] : NULL;
}
