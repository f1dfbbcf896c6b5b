/* tmpl_include_styles.c: the styles and lists an included body brings.
 *
 * Part of includes (tmpl_include.c drives it). The styles the body names
 * and those they are based on, linked to or followed by are looked up in
 * the report: one defined alike is used as it is, one the report lacks is
 * added, one the report defines otherwise is added under a new id and
 * name ("Heading1_2", "heading 1 2") and the body renamed, so that both
 * keep their looks. Every list the body or an added style uses gets a new
 * w:abstractNum and w:num in the report's numbering.
 */
#include "tmpl_include.h"
#include "xml_io.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ==== The report's own parts, read at the first include ==== */

static const nb_tpart *part_named(const nb_template *t, const char *name)
{
    size_t i;

    for (i = 0; i < t->n_parts; i++)
        if (strcmp(t->parts[i].name, name) == 0)
            return &t->parts[i];
    return NULL;
}


static void read_ns(kvs *m, const xmlNode *root, bool *oom)
{
    const xmlNs *ns;

    for (ns = root != NULL ? root->nsDef : NULL; ns != NULL; ns = ns->next)
        if (!nb_incl_kvs_put(m, ns->prefix != NULL ? (const char *)ns->prefix : "",
                     (const char *)ns->href))
            *oom = true;
}

static xmlDocPtr parse_main(const nb_template *t, const char *name,
                            nb_diag_list *dl)
{
    const nb_tpart *p = part_named(t, name);
    xmlDocPtr d = NULL;

    if (p == NULL)
        return NULL;
    /* the template loaded it once already: it is XML within the limits */
    if (nb_xml_parse(&d, (const char *)p->raw, p->raw_len, t->file, name,
                     NB_TMPL_PART_MALFORMED, t->limits.xml_huge, &t->limits,
                     dl) != NB_OK)
        return NULL;
    return d;
}

/* Is 's' the default paragraph style (w:type="paragraph"
 * w:default="1")? */
static bool is_default_para(const xmlNode *s)
{
    const char *type = nb_incl_wval(s, "type");
    const char *def = nb_incl_wval(s, "default");

    return type != NULL && strcmp(type, "paragraph") == 0 && def != NULL &&
           (strcmp(def, "1") == 0 || strcmp(def, "true") == 0 ||
            strcmp(def, "on") == 0);
}

static void read_main_styles(nb_incl *in, const nb_template *t,
                             nb_diag_list *dl, bool *oom)
{
    xmlDocPtr d = parse_main(t, "word/styles.xml", dl);
    xmlNode *s;
    one tmp;

    in->has_styles = d != NULL;
    if (d == NULL)
        return;
    memset(&tmp, 0, sizeof(tmp));
    for (s = xmlDocGetRootElement(d)->children; s != NULL; s = s->next) {
        const char *id;
        xmlNode *k;
        nb_buf b;

        if (is_el(s, W_NS, "docDefaults") && in->main_defaults == NULL) {
            nb_buf_init(&b, SIZE_MAX);
            nb_incl_dump(&tmp, &b, d, s);
            in->main_defaults = nb_buf_steal(&b, NULL);
            *oom = *oom || in->main_defaults == NULL;
            continue;
        }
        if (!is_el(s, W_NS, "style") || (id = nb_incl_wval(s, "styleId")) == NULL)
            continue;
        if (is_default_para(s) && in->main_default == NULL &&
            (in->main_default = strdup(id)) == NULL)
            *oom = true;
        nb_buf_init(&b, SIZE_MAX);
        nb_incl_dump(&tmp, &b, d, s);
        if (!nb_incl_kvs_has(&in->style_def, id) &&
            !nb_incl_kvs_put(&in->style_def, id, b.data != NULL ? b.data : ""))
            *oom = true;
        nb_buf_fini(&b);
        for (k = s->children; k != NULL; k = k->next)
            if (is_el(k, W_NS, "name") && nb_incl_wval(k, "val") != NULL &&
                !nb_incl_kvs_put(&in->style_names, nb_incl_wval(k, "val"), NULL))
                *oom = true;
    }
    *oom = *oom || tmp.oom;
    xmlFreeDoc(d);
}

static void read_main_numbering(nb_incl *in, const nb_template *t,
                                nb_diag_list *dl)
{
    xmlDocPtr d = parse_main(t, "word/numbering.xml", dl);
    xmlNode *root;
    xmlNode *a;

    in->has_numbering = d != NULL;
    in->next_abstract = 1;
    snprintf(in->num_prefix_buf, sizeof(in->num_prefix_buf), "w");
    if (d == NULL)
        return;
    root = xmlDocGetRootElement(d);
    if (root->ns != NULL)
        snprintf(in->num_prefix_buf, sizeof(in->num_prefix_buf), "%s",
                 root->ns->prefix != NULL ? (const char *)root->ns->prefix
                                          : "");
    for (a = root->children; a != NULL; a = a->next) {
        const char *v;
        unsigned long id;

        if (!is_el(a, W_NS, "abstractNum") ||
            (v = nb_incl_wval(a, "abstractNumId")) == NULL)
            continue;
        id = strtoul(v, NULL, 10);
        if (id < INT32_MAX && id + 1 > in->next_abstract)
            in->next_abstract = (uint32_t)id + 1;
    }
    xmlFreeDoc(d);
}

static void read_main_rels(nb_incl *in, const nb_template *t,
                           nb_diag_list *dl, bool *oom)
{
    xmlDocPtr d = parse_main(t, "word/_rels/document.xml.rels", dl);
    xmlNode *r;

    if (d != NULL)
        for (r = xmlDocGetRootElement(d)->children; r != NULL; r = r->next)
            if (is_el(r, PR_NS, "Relationship") &&
                nb_xml_attr(r, "Id") != NULL &&
                !nb_incl_kvs_put(&in->rel_ids, nb_xml_attr(r, "Id"), NULL))
                *oom = true;
    xmlFreeDoc(d);
}

nb_status nb_incl_read_main(nb_incl *in, const nb_template *t, nb_diag_list *dl)
{
    xmlDocPtr d;
    bool oom = false;

    if (in->read)
        return NB_OK;
    in->read = true;
    d = parse_main(t, "word/document.xml", dl);
    if (d != NULL)
        read_ns(&in->doc_ns, xmlDocGetRootElement(d), &oom);
    xmlFreeDoc(d);
    read_main_styles(in, t, dl, &oom);
    read_main_numbering(in, t, dl);
    read_main_rels(in, t, dl, &oom);
    in->num_prefix = in->num_prefix_buf;
    return oom ? NB_ERR_NOMEM : NB_OK;
}

/* ==== Styles ==== */

/* The style ids a node and all it holds use. */
static bool collect_style_refs(const xmlNode *n, kvs *used)
{
    for (; n != NULL; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if ((is_el(n, W_NS, "pStyle") || is_el(n, W_NS, "rStyle") ||
             is_el(n, W_NS, "tblStyle")) &&
            nb_incl_wval(n, "val") != NULL && !nb_incl_kvs_has(used, nb_incl_wval(n, "val")) &&
            !nb_incl_kvs_put(used, nb_incl_wval(n, "val"), NULL))
            return false;
        if (!collect_style_refs(n->children, used))
            return false;
    }
    return true;
}

static xmlNode *style_of(one *o, const char *id)
{
    xmlNode *s;

    if (o->styles == NULL)
        return NULL;
    for (s = xmlDocGetRootElement(o->styles)->children; s != NULL; s = s->next)
        if (is_el(s, W_NS, "style") && nb_incl_wval(s, "styleId") != NULL &&
            strcmp(nb_incl_wval(s, "styleId"), id) == 0)
            return s;
    return NULL;
}

/* The styles 'used' names and those they are based on, linked to or
 * followed by, in the order met ('used' grows). */
static bool style_closure(one *o, kvs *used)
{
    size_t i;

    for (i = 0; i < used->n; i++) {
        xmlNode *s = style_of(o, used->k[i]);
        xmlNode *k;

        for (k = s != NULL ? s->children : NULL; k != NULL; k = k->next)
            if ((is_el(k, W_NS, "basedOn") || is_el(k, W_NS, "link") ||
                 is_el(k, W_NS, "next")) &&
                nb_incl_wval(k, "val") != NULL && !nb_incl_kvs_has(used, nb_incl_wval(k, "val")) &&
                !nb_incl_kvs_put(used, nb_incl_wval(k, "val"), NULL))
                return false;
    }
    return true;
}

/* A name or id no style of the report has: 'base', 'sep' and 2, 3…
 * ("heading 1 2", "Heading1_2"). */
static bool unique(kvs *taken, const char *base, char sep, char *out,
                   size_t size)
{
    unsigned k;

    for (k = 2; k < 100000; k++) {
        snprintf(out, size, "%s%c%u", base, sep, k);
        if (!nb_incl_kvs_has(taken, out))
            return true;
    }
    return false;
}

/* Decide the report's id of each style of the closure: the same id when
 * the report has it alike (or lacks it), a new one when the report's
 * differs; a style based on one renamed is renamed too. A style an
 * earlier include added is used again. copy[i] says which are added. */
static bool map_styles(one *o, const kvs *used, bool *copy)
{
    nb_incl *in = o->in;
    bool changed = true;
    bool ok = true;
    size_t i;
    char id[300];
    nb_buf b;

    nb_buf_init(&b, SIZE_MAX);
    for (i = 0; i < used->n; i++) {
        xmlNode *s = style_of(o, used->k[i]);
        const char *have = nb_incl_kvs_get(&in->style_def, used->k[i], NULL);

        copy[i] = false;
        if (s == NULL)
            continue; /* a style it names but does not define */
        nb_buf_reset(&b);
        nb_incl_dump(o, &b, o->styles, s);
        copy[i] = have == NULL || b.data == NULL || strcmp(have, b.data) != 0;
    }
    while (changed) {
        changed = false;
        for (i = 0; i < used->n; i++) {
            xmlNode *s = style_of(o, used->k[i]);
            xmlNode *k;

            for (k = s != NULL && !copy[i] ? s->children : NULL; k != NULL;
                 k = k->next) {
                size_t j;

                if (!is_el(k, W_NS, "basedOn") || nb_incl_wval(k, "val") == NULL)
                    continue;
                for (j = 0; j < used->n; j++)
                    if (copy[j] && strcmp(used->k[j], nb_incl_wval(k, "val")) == 0) {
                        copy[i] = true;
                        changed = true;
                    }
            }
        }
    }
    for (i = 0; i < used->n && ok; i++) {
        const char *to = used->k[i];
        const char *again;

        if (copy[i]) {
            /* the same definition renamed by an earlier include */
            nb_buf_reset(&b);
            nb_buf_printf(&b, "%s\n", used->k[i]);
            nb_incl_dump(o, &b, o->styles, style_of(o, used->k[i]));
            again = b.data != NULL ? nb_incl_kvs_get(&in->renamed, b.data, NULL)
                                   : NULL;
            if (again != NULL) {
                to = again;
                copy[i] = false;
            } else if (nb_incl_kvs_has(&in->style_def, used->k[i])) {
                ok = unique(&in->style_def, used->k[i], '_', id, sizeof(id));
                to = id;
            }
            if (copy[i] && ok)
                ok = nb_incl_kvs_put(&in->renamed, b.data != NULL ? b.data : "", to) &&
                     nb_incl_kvs_put(&in->style_def, to, "");
        }
        ok = ok && nb_incl_kvs_put(&o->style_map, used->k[i], to);
    }
    nb_buf_fini(&b);
    return ok && !o->oom;
}

/* Rename the style references in 'n' and all it holds. */
static void remap_style_refs(one *o, xmlNode *n)
{
    for (; n != NULL; n = n->next) {
        xmlAttr *a;
        const char *to;

        if (n->type != XML_ELEMENT_NODE)
            continue;
        if ((is_el(n, W_NS, "pStyle") || is_el(n, W_NS, "rStyle") ||
             is_el(n, W_NS, "tblStyle") || is_el(n, W_NS, "basedOn") ||
             is_el(n, W_NS, "link") || is_el(n, W_NS, "next")) &&
            (a = nb_incl_wattr(n, "val")) != NULL && a->children != NULL &&
            (to = nb_incl_kvs_get(&o->style_map,
                          (const char *)a->children->content, NULL)) != NULL &&
            strcmp(to, (const char *)a->children->content) != 0)
            nb_incl_set_attr(a, to);
        remap_style_refs(o, n->children);
    }
}

/* ==== Namespaces of copied elements ==== */

/* Does 'n' (or anything in it) use the namespace 'ns'? */
static bool ns_used(const xmlNode *n, const xmlNs *ns)
{
    const xmlAttr *a;
    const xmlNode *k;

    if (n->ns == ns)
        return true;
    for (a = n->properties; a != NULL; a = a->next)
        if (a->ns == ns)
            return true;
    for (k = n->children; k != NULL; k = k->next)
        if (k->type == XML_ELEMENT_NODE && ns_used(k, ns))
            return true;
    return false;
}

/* Is 'prefix' bound on 'n' itself, or in 'have'? */
static bool bound(const xmlNode *n, const kvs *have, const char *prefix)
{
    const xmlNs *own;

    for (own = n->nsDef; own != NULL; own = own->next)
        if (own->prefix != NULL &&
            strcmp((const char *)own->prefix, prefix) == 0)
            return true;
    return nb_incl_kvs_has(have, prefix);
}

/* Declare 'ns' on 'n' unless 'have' binds its prefix alike or 'n' binds
 * the prefix already. */
static void declare(one *o, xmlNode *n, const xmlNs *ns, const kvs *have)
{
    const char *p = ns->prefix != NULL ? (const char *)ns->prefix : "";
    const char *h = nb_incl_kvs_get(have, p, NULL);
    const xmlNs *own;

    if (h != NULL && strcmp(h, (const char *)ns->href) == 0)
        return;
    for (own = n->nsDef; own != NULL; own = own->next)
        if ((own->prefix == NULL) == (ns->prefix == NULL) &&
            (own->prefix == NULL || strcmp((const char *)own->prefix, p) == 0))
            return;
    if (xmlNewNs(n, ns->href, ns->prefix) == NULL)
        o->oom = true;
}

/* mc:Ignorable of the included root, kept to the prefixes bound at 'n',
 * on 'n'. */
static void keep_ignorable(one *o, xmlNode *n, const xmlAttr *a,
                           const kvs *have)
{
    const char *v = (const char *)a->children->content;
    nb_buf b;

    nb_buf_init(&b, 65536);
    while (*v != '\0') {
        size_t len = strcspn(v, " \t\r\n");
        char prefix[64];

        if (len > 0 && len < sizeof(prefix)) {
            memcpy(prefix, v, len);
            prefix[len] = '\0';
            if (bound(n, have, prefix)) {
                if (b.len > 0)
                    nb_buf_addc(&b, ' ');
                nb_buf_adds(&b, prefix);
            }
        }
        v += len;
        v += strspn(v, " \t\r\n");
    }
    if (b.st != NB_OK) {
        o->oom = true;
    } else if (b.len > 0) {
        declare(o, n, a->ns, have);
        xmlSetNsProp(n, a->ns, a->name, (const xmlChar *)b.data);
    }
    nb_buf_fini(&b);
}

/* Declare on 'n' the namespaces of the included part's root that it uses
 * and the report's part does not declare alike ('have'), and the
 * root's mc:Ignorable for those bound, so that the element means the
 * same in the report. */
void nb_incl_localise_ns(one *o, xmlNode *n, const xmlNode *root,
                         const kvs *have)
{
    const xmlNs *ns;
    const xmlAttr *a;

    for (ns = root->nsDef; ns != NULL; ns = ns->next)
        if (ns_used(n, ns))
            declare(o, n, ns, have);
    for (a = root->properties; a != NULL; a = a->next)
        if (a->ns != NULL && strcmp((const char *)a->ns->href, MC_NS) == 0 &&
            strcmp((const char *)a->name, "Ignorable") == 0 &&
            a->children != NULL)
            keep_ignorable(o, n, a, have);
}

/* Copy the styles decided on into the report's styles. */
static void add_styles(one *o, const kvs *used, const bool *copy)
{
    nb_incl *in = o->in;
    const xmlNode *root;
    kvs none;
    size_t i;

    if (o->styles == NULL)
        return;
    memset(&none, 0, sizeof(none));
    root = xmlDocGetRootElement(o->styles);
    for (i = 0; i < used->n; i++) {
        xmlNode *s = style_of(o, used->k[i]);
        const char *to = nb_incl_kvs_get(&o->style_map, used->k[i], NULL);
        xmlNode *k;
        char name[300];

        if (!copy[i] || s == NULL || to == NULL)
            continue;
        nb_incl_set_attr(nb_incl_wattr(s, "styleId"), to);
        for (k = s->children; k != NULL; k = k->next)
            if (is_el(k, W_NS, "name") && nb_incl_wval(k, "val") != NULL &&
                nb_incl_kvs_has(&in->style_names, nb_incl_wval(k, "val"))) {
                if (unique(&in->style_names, nb_incl_wval(k, "val"), ' ', name,
                           sizeof(name)))
                    nb_incl_set_attr(nb_incl_wattr(k, "val"), name);
            }
        for (k = s->children; k != NULL; k = k->next)
            if (is_el(k, W_NS, "name") && nb_incl_wval(k, "val") != NULL &&
                !nb_incl_kvs_put(&in->style_names, nb_incl_wval(k, "val"), NULL))
                o->oom = true;
        /* a default style of the report stays the default */
        xmlUnsetNsProp(s, nb_incl_wattr(s, "styleId")->ns, (const xmlChar *)"default");
        nb_incl_localise_ns(o, s, root, &none);
        nb_incl_dump(o, &in->styles, o->styles, s);
    }
}

/* ==== Lists ==== */

static void collect_num_refs(one *o, const xmlNode *n, kvs *used)
{
    for (; n != NULL && !o->oom; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (is_el(n, W_NS, "numId") && nb_incl_wval(n, "val") != NULL &&
            strcmp(nb_incl_wval(n, "val"), "0") != 0 && !nb_incl_kvs_has(used, nb_incl_wval(n, "val")))
            o->oom = !nb_incl_kvs_put(used, nb_incl_wval(n, "val"), NULL);
        collect_num_refs(o, n->children, used);
    }
}

static xmlNode *numbering_child(one *o, const char *el, const char *attr,
                                const char *id)
{
    xmlNode *n;

    if (o->numbering == NULL)
        return NULL;
    for (n = xmlDocGetRootElement(o->numbering)->children; n != NULL;
         n = n->next)
        if (is_el(n, W_NS, el) && nb_incl_wval(n, attr) != NULL &&
            strcmp(nb_incl_wval(n, attr), id) == 0)
            return n;
    return NULL;
}

/* Make an abstract list of the report for 'a': a new id and nsid, its
 * picture bullets left out (their pictures are in another part). */
static const char *copy_abstract(one *o, xmlNode *a)
{
    nb_incl *in = o->in;
    kvs none;
    char old[64];
    char id[16];
    xmlNode *k;
    xmlNode *next;

    memset(&none, 0, sizeof(none));
    /* the attribute's text is replaced below */
    snprintf(old, sizeof(old), "%s", nb_incl_wval(a, "abstractNumId"));
    snprintf(id, sizeof(id), "%u", (unsigned)in->next_abstract++);
    if (!nb_incl_kvs_put(&o->abs_map, old, id)) {
        o->oom = true;
        return NULL;
    }
    nb_incl_set_attr(nb_incl_wattr(a, "abstractNumId"), id);
    for (k = a->children; k != NULL; k = next) {
        next = k->next;
        if (is_el(k, W_NS, "nsid") && nb_incl_wattr(k, "val") != NULL) {
            char nsid[16];

            snprintf(nsid, sizeof(nsid), "%08X",
                     0x4E420000u + (in->next_abstract & 0xFFFFu));
            nb_incl_set_attr(nb_incl_wattr(k, "val"), nsid);
        } else if (is_el(k, W_NS, "lvl")) {
            xmlNode *q;
            xmlNode *qn;

            for (q = k->children; q != NULL; q = qn) {
                qn = q->next;
                if (is_el(q, W_NS, "lvlPicBulletId")) {
                    xmlUnlinkNode(q);
                    xmlFreeNode(q);
                }
            }
        }
    }
    remap_style_refs(o, a->children);
    nb_incl_localise_ns(o, a, xmlDocGetRootElement(o->numbering), &none);
    nb_incl_dump(o, &in->abstracts, o->numbering, a);
    return nb_incl_kvs_get(&o->abs_map, old, NULL);
}

/* New w:num (and w:abstractNum) for every list the body and its copied
 * styles use; o->num_map maps them. A list the package does not define
 * is left as it is. */
static void map_lists(one *o, const kvs *used)
{
    kvs none;
    size_t i;

    memset(&none, 0, sizeof(none));
    for (i = 0; i < used->n && !o->oom; i++) {
        xmlNode *num = numbering_child(o, "num", "numId", used->k[i]);
        xmlAttr *ref = NULL;
        xmlNode *k;
        const char *abs = NULL;
        char id[16];
        uint32_t nid;

        for (k = num != NULL ? num->children : NULL; k != NULL; k = k->next)
            if (is_el(k, W_NS, "abstractNumId"))
                ref = nb_incl_wattr(k, "val");
        if (ref == NULL || ref->children == NULL)
            continue;
        /* two lists of one abstract list share its copy */
        abs = nb_incl_kvs_get(&o->abs_map,
                              (const char *)ref->children->content, NULL);
        if (abs == NULL) {
            xmlNode *a = numbering_child(o, "abstractNum", "abstractNumId",
                                         (const char *)ref->children->content);

            abs = a != NULL ? copy_abstract(o, a) : NULL;
        }
        nid = abs != NULL ? nb_render_num_reserve(o->rs) : 0;
        if (nid == 0)
            continue;
        snprintf(id, sizeof(id), "%u", (unsigned)nid);
        if (!nb_incl_kvs_put(&o->num_map, used->k[i], id)) {
            o->oom = true;
            return;
        }
        nb_incl_set_attr(nb_incl_wattr(num, "numId"), id);
        nb_incl_set_attr(ref, abs);
        nb_incl_localise_ns(o, num, xmlDocGetRootElement(o->numbering),
                            &none);
        nb_incl_dump(o, &o->in->nums, o->numbering, num);
    }
}

static void remap_nums(one *o, xmlNode *n)
{
    for (; n != NULL; n = n->next) {
        xmlAttr *a;
        const char *to;

        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (is_el(n, W_NS, "numId") && (a = nb_incl_wattr(n, "val")) != NULL &&
            a->children != NULL &&
            (to = nb_incl_kvs_get(&o->num_map, (const char *)a->children->content,
                          NULL)) != NULL)
            nb_incl_set_attr(a, to);
        remap_nums(o, n->children);
    }
}

/* The styles of the body and their lists, mapped and added. */
/* ==== The included document's defaults ==== */

#define DEFAULTS_ID "NbIncludeDefaults"

/* The first element 'n' holds; NULL if none. */
static xmlNode *first_child(const xmlNode *n)
{
    xmlNode *k = n != NULL ? n->children : NULL;

    while (k != NULL && k->type != XML_ELEMENT_NODE)
        k = k->next;
    return k;
}

/* The included default paragraph style; NULL if none. */
static xmlNode *default_style(one *o)
{
    xmlNode *s;

    if (o->styles == NULL)
        return NULL;
    for (s = xmlDocGetRootElement(o->styles)->children; s != NULL; s = s->next)
        if (is_el(s, W_NS, "style") && is_default_para(s) &&
            nb_incl_wval(s, "styleId") != NULL)
            return s;
    return NULL;
}

/* Does 'n' hold a paragraph without a w:pStyle (of the default style)? */
static bool has_bare_paragraph(const xmlNode *n)
{
    for (; n != NULL; n = n->next) {
        const xmlNode *k;
        bool styled = false;

        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (is_el(n, W_NS, "p")) {
            for (k = n->children; k != NULL; k = k->next)
                if (is_el(k, W_NS, "pPr"))
                    styled = is_el(first_child(k), W_NS, "pStyle");
            if (!styled)
                return true;
        }
        if (has_bare_paragraph(n->children))
            return true;
    }
    return false;
}

/* When the included document's defaults (w:docDefaults: its font, size,
 * spacing) are not the report's, they become a paragraph style of their
 * own that its default style is based on, so that its text keeps its
 * look. */
static void keep_defaults(one *o, xmlNode *def)
{
    xmlNode *root = xmlDocGetRootElement(o->styles);
    xmlNode *dd;
    xmlNode *st;
    xmlNode *k;
    nb_buf b;
    bool same;

    for (dd = root->children; dd != NULL; dd = dd->next)
        if (is_el(dd, W_NS, "docDefaults"))
            break;
    if (dd == NULL || nb_incl_wval(def, "styleId") == NULL)
        return;
    nb_buf_init(&b, SIZE_MAX);
    nb_incl_dump(o, &b, o->styles, dd);
    same = o->in->main_defaults != NULL && b.data != NULL &&
           strcmp(o->in->main_defaults, b.data) == 0;
    nb_buf_fini(&b);
    for (k = def->children; k != NULL; k = k->next)
        if (is_el(k, W_NS, "basedOn"))
            same = true; /* it does not take them straight */
    if (same)
        return;
    st = xmlNewChild(root, def->ns, (const xmlChar *)"style", NULL);
    if (st == NULL ||
        xmlSetNsProp(st, def->ns, (const xmlChar *)"type",
                     (const xmlChar *)"paragraph") == NULL ||
        xmlSetNsProp(st, def->ns, (const xmlChar *)"customStyle",
                     (const xmlChar *)"1") == NULL ||
        xmlSetNsProp(st, def->ns, (const xmlChar *)"styleId",
                     (const xmlChar *)DEFAULTS_ID) == NULL ||
        (k = xmlNewChild(st, def->ns, (const xmlChar *)"name", NULL)) ==
            NULL ||
        xmlSetNsProp(k, def->ns, (const xmlChar *)"val",
                     (const xmlChar *)DEFAULTS_ID) == NULL) {
        o->oom = true;
        return;
    }
    /* its pPr, then its rPr, as CT_Style orders them */
    for (k = dd->children; k != NULL; k = k->next)
        if (is_el(k, W_NS, "pPrDefault") && first_child(k) != NULL)
            xmlAddChild(st, xmlCopyNode(first_child(k), 1));
    for (k = dd->children; k != NULL; k = k->next)
        if (is_el(k, W_NS, "rPrDefault") && first_child(k) != NULL)
            xmlAddChild(st, xmlCopyNode(first_child(k), 1));
    /* w:basedOn right after w:name */
    k = xmlNewDocNode(o->styles, def->ns, (const xmlChar *)"basedOn", NULL);
    if (k == NULL || xmlSetNsProp(k, def->ns, (const xmlChar *)"val",
                                  (const xmlChar *)DEFAULTS_ID) == NULL) {
        xmlFreeNode(k);
        o->oom = true;
        return;
    }
    if (is_el(first_child(def), W_NS, "name"))
        xmlAddNextSibling(first_child(def), k);
    else if (def->children != NULL)
        xmlAddPrevSibling(def->children, k);
    else
        xmlAddChild(def, k);
}

/* Paragraphs without a style take 'id' (the included default style,
 * under the name the report has it): the report's default is another. */
static void style_bare_paragraphs(one *o, xmlNode *n, const char *id)
{
    for (; n != NULL && !o->oom; n = n->next) {
        xmlNode *ppr = NULL;
        xmlNode *k;

        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (is_el(n, W_NS, "p")) {
            for (k = n->children; k != NULL; k = k->next)
                if (is_el(k, W_NS, "pPr"))
                    ppr = k;
            if (ppr == NULL) {
                ppr = xmlNewDocNode(o->doc, n->ns, (const xmlChar *)"pPr",
                                    NULL);
                if (ppr != NULL && n->children != NULL)
                    xmlAddPrevSibling(n->children, ppr);
                else if (ppr != NULL)
                    xmlAddChild(n, ppr);
            }
            if (ppr == NULL) {
                o->oom = true;
                return;
            }
            if (!is_el(first_child(ppr), W_NS, "pStyle")) {
                k = xmlNewDocNode(o->doc, n->ns, (const xmlChar *)"pStyle",
                                  NULL);
                if (k == NULL || xmlSetNsProp(k, n->ns, (const xmlChar *)"val",
                                              (const xmlChar *)id) == NULL) {
                    xmlFreeNode(k);
                    o->oom = true;
                    return;
                }
                if (ppr->children != NULL)
                    xmlAddPrevSibling(ppr->children, k);
                else
                    xmlAddChild(ppr, k);
            }
        }
        style_bare_paragraphs(o, n->children, id);
    }
}

void nb_incl_take_styles_and_lists(one *o, xmlNode *body)
{
    xmlNode *def = default_style(o);
    char def_id[256] = "";
    kvs used;
    kvs nums;
    bool *copy = NULL;
    size_t i;

    memset(&used, 0, sizeof(used));
    memset(&nums, 0, sizeof(nums));
    if (def != NULL && has_bare_paragraph(body->children)) {
        snprintf(def_id, sizeof(def_id), "%s", nb_incl_wval(def, "styleId"));
        keep_defaults(o, def);
        o->oom = o->oom || !nb_incl_kvs_put(&used, def_id, NULL);
    }
    if (o->oom || !collect_style_refs(body->children, &used) ||
        !style_closure(o, &used) ||
        (used.n > 0 && (copy = calloc(used.n, sizeof(*copy))) == NULL) ||
        (used.n > 0 && !map_styles(o, &used, copy))) {
        o->oom = true;
        goto done;
    }
    collect_num_refs(o, body->children, &nums);
    for (i = 0; i < used.n; i++)
        if (copy[i] && style_of(o, used.k[i]) != NULL)
            collect_num_refs(o, style_of(o, used.k[i])->children, &nums);
    map_lists(o, &nums);
    remap_nums(o, body->children);
    remap_style_refs(o, body->children);
    for (i = 0; i < used.n; i++)
        if (copy[i] && style_of(o, used.k[i]) != NULL) {
            remap_nums(o, style_of(o, used.k[i])->children);
            remap_style_refs(o, style_of(o, used.k[i])->children);
        }
    if (def_id[0] != '\0') {
        const char *to = nb_incl_kvs_get(&o->style_map, def_id, NULL);

        if (to != NULL && (o->in->main_default == NULL ||
                           strcmp(to, o->in->main_default) != 0))
            style_bare_paragraphs(o, body->children, to);
    }
    add_styles(o, &used, copy);
done:
    free(copy);
    nb_incl_kvs_fini(&used);
    nb_incl_kvs_fini(&nums);
}

