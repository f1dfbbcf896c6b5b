/* read_xml.c: report XML (schemas/report.xsd) -> report model.
 *
 * Three steps: parse safely (xml_io.c), validate against the schema
 * (schema_xsd.c, every violation at once), then walk the DOM, which the
 * schema has already shaped, into the model. A file with errors gives no
 * model: later stages only ever see valid reports.
 */
#include "catalog.h"
#include "form.h"
#include "model.h"
#include "schema.h"
#include "xml_io.h"

#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

typedef struct builder {
    nb_report *r;
    const char *file;
    const nb_catalog *catalog;
    nb_diag_list *dl;
    size_t errors; /* data errors found while building */
    bool oom;
} builder;

static bool is_el(const xmlNode *n, const char *name)
{
    return nb_xml_is(n, NB_REPORT_NS, name);
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* The element's text, without the whitespace that indents it in the file. */
static const char *text_of(builder *b, const xmlNode *n)
{
    xmlChar *raw;
    const char *s;
    size_t len;
    const char *copy;

    if (n == NULL)
        return NULL;
    raw = xmlNodeGetContent(n);
    if (raw == NULL) {
        b->oom = true;
        return NULL;
    }
    s = (const char *)raw;
    len = strlen(s);
    while (len > 0 && is_space(*s)) {
        s++;
        len--;
    }
    while (len > 0 && is_space(s[len - 1]))
        len--;
    copy = nb_arena_strndup(b->r->arena, s, len);
    xmlFree(raw);
    if (copy == NULL)
        b->oom = true;
    return copy;
}

static const char *attr_of(builder *b, const xmlNode *n, const char *name)
{
    return nb_xml_attr_dup(b->r->arena, n, name, &b->oom);
}

/* Narrative text: the element's text with every <m code="…" show="…"/>
 * kept as a reference (model.h), trimmed as text_of trims. Blank text is
 * an error the schema cannot express for mixed content. */
static const char *prose_of(builder *b, const xmlNode *n)
{
    const xmlNode *c;
    nb_buf buf;
    const char *s;
    size_t len;
    const char *copy = NULL;

    if (n == NULL)
        return NULL;
    nb_buf_init(&buf, NB_TEXT_MAX);
    for (c = n->children; c != NULL; c = c->next) {
        if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
            if (c->content != NULL &&
                nb_buf_adds(&buf, (const char *)c->content) != NB_OK)
                b->oom = true;
        } else if (is_el(c, "m")) {
            const char *code =
                nb_xml_token_dup(b->r->arena, c, "code", &b->oom);
            const char *show =
                nb_xml_token_dup(b->r->arena, c, "show", &b->oom);
            bool field = show != NULL && strcmp(show, "text") != 0;

            if (nb_buf_printf(&buf, "%c%s%s%s%c", NB_REF_OPEN,
                              code != NULL ? code : "", field ? "." : "",
                              field ? show : "", NB_REF_CLOSE) != NB_OK)
                b->oom = true;
        }
    }
    s = buf.data != NULL ? buf.data : "";
    len = buf.len;
    nb_trim(&s, &len);
    if (len == 0) {
        nb_loc loc = {b->file, nb_xml_line(n), 0, NULL};

        nb_diag_add(b->dl, NB_XSD_INVALID, &loc,
                    _("not valid: element '%s' is blank; give it text or "
                      "leave it out"),
                    (const char *)n->name);
        b->errors++;
    } else {
        copy = nb_arena_strndup(b->r->arena, s, len);
        if (copy == NULL)
            b->oom = true;
    }
    nb_buf_fini(&buf);
    return copy;
}

static bool attr_is(const xmlNode *n, const char *name, const char *value)
{
    return nb_xml_token_is(n, name, value);
}

static nb_loc loc_of(const builder *b, const xmlNode *n)
{
    nb_loc loc = {b->file, nb_xml_line(n), 0, NULL};

    return loc;
}

static const xmlNode *first_el(const xmlNode *parent, const char *name)
{
    const xmlNode *c;

    for (c = parent->children; c != NULL; c = c->next)
        if (is_el(c, name))
            return c;
    return NULL;
}

static size_t count_el(const xmlNode *parent, const char *name)
{
    const xmlNode *c;
    size_t n = 0;

    for (c = parent->children; c != NULL; c = c->next)
        if (is_el(c, name))
            n++;
    return n;
}

static void *alloc_array(builder *b, size_t n, size_t size)
{
    return nb_arena_array_or_flag(b->r->arena, n, size, &b->oom);
}

/* Every <p> child of 'parent' (NULL: none). */
static nb_para *read_paras(builder *b, const xmlNode *parent, size_t *n_out)
{
    const xmlNode *c;
    nb_para *v;
    size_t i = 0;

    *n_out = 0;
    if (parent == NULL)
        return NULL;
    v = alloc_array(b, count_el(parent, "p"), sizeof(*v));
    if (v == NULL)
        return NULL;
    for (c = parent->children; c != NULL; c = c->next) {
        if (!is_el(c, "p"))
            continue;
        v[i].text = prose_of(b, c);
        v[i].loc = loc_of(b, c);
        i++;
    }
    *n_out = i;
    return v;
}

/* The numbering="…" of element 'n' (the schema has checked it). */
static nb_numbering numbering_of(builder *b, const xmlNode *n)
{
    const char *v = nb_xml_token_dup(b->r->arena, n, "numbering", &b->oom);
    nb_numbering num = NB_NUM_AUTO;

    if (v != NULL)
        nb_numbering_parse(v, &num);
    return num;
}

static nb_item *read_items(builder *b, const xmlNode *parent,
                           nb_numbering numbering, size_t *n_out)
{
    const xmlNode *c;
    nb_item *v;
    size_t i = 0;

    *n_out = 0;
    v = alloc_array(b, count_el(parent, "item"), sizeof(*v));
    if (v == NULL)
        return NULL;
    for (c = parent->children; c != NULL; c = c->next) {
        nb_item *it;

        if (!is_el(c, "item"))
            continue;
        it = &v[i++];
        it->lead = text_of(b, first_el(c, "lead"));
        it->text = prose_of(b, first_el(c, "text"));
        it->numbering = numbering;
        it->numbered = numbering != NB_NUM_NONE;
        it->run_in = !attr_is(c, "layout", "paragraph");
        it->loc = loc_of(b, c);
        it->paras = read_paras(b, c, &it->n_paras);
        it->items = read_items(b, c, numbering_of(b, c), &it->n_items);
    }
    *n_out = i;
    return v;
}

static void read_area(builder *b, nb_area *a, const xmlNode *n)
{
    a->title = text_of(b, first_el(n, "title"));
    a->run_in = attr_is(n, "layout", "run-in");
    a->numbering = numbering_of(b, n);
    a->numbered = a->numbering != NB_NUM_NONE;
    a->loc = loc_of(b, n);
    a->paras = read_paras(b, n, &a->n_paras);
    a->items = read_items(b, n, a->numbering, &a->n_items);
}

static nb_section_kind kind_of(const xmlNode *n)
{
    static const char *const kinds[] = {"measures", "shortcomings", "duties",
                                        "plans", "other"};
    size_t i;

    for (i = 0; i < 5; i++)
        if (attr_is(n, "kind", kinds[i]))
            return (nb_section_kind)i;
    return NB_SECTION_OTHER;
}

static void read_section(builder *b, nb_section *s, const xmlNode *n)
{
    const xmlNode *c;
    size_t i = 0;

    s->kind = kind_of(n);
    s->loc = loc_of(b, n);
    s->title = text_of(b, first_el(n, "title"));
    s->title_default = s->title == NULL;
    if (s->title == NULL)
        s->title = nb_section_default_title(b->r, s->kind, b->r->meta.year);
    s->intro = read_paras(b, first_el(n, "intro"), &s->n_intro);
    s->summary = prose_of(b, first_el(n, "summary"));
    if (s->summary != NULL)
        s->summary_loc = loc_of(b, first_el(n, "summary"));
    s->closing = read_paras(b, first_el(n, "closing"), &s->n_closing);
    s->areas = alloc_array(b, count_el(n, "area"), sizeof(nb_area));
    for (c = n->children; c != NULL && s->areas != NULL; c = c->next)
        if (is_el(c, "area"))
            read_area(b, &s->areas[i++], c);
    s->n_areas = i;
}

static void read_meta(builder *b, const xmlNode *n)
{
    nb_meta *m = &b->r->meta;
    const char *pr;

    m->issuer = text_of(b, first_el(n, "issuer"));
    if (m->issuer != NULL) {
        nb_loc at = loc_of(b, first_el(n, "issuer"));

        m->issuer = nb_name_keep(b->r->arena, m->issuer, &at, &b->oom, b->dl);
    }
    m->year_text = text_of(b, first_el(n, "year"));
    m->year = m->year_text != NULL ? (int)strtol(m->year_text, NULL, 10) : 0;
    m->date = text_of(b, first_el(n, "date"));
    m->date_loc =
        loc_of(b, first_el(n, "date") != NULL ? first_el(n, "date") : n);
    if (m->date != NULL) {
        /* 2023年2月8日 as the forms take it; the model holds YYYY-MM-DD */
        char iso[16];

        if (nb_date_norm(iso, sizeof(iso), m->date)) {
            m->date = nb_arena_strdup(b->r->arena, iso);
            b->oom = b->oom || m->date == NULL;
        } else {
            nb_diag_add(b->dl, NB_XSD_INVALID, &m->date_loc,
                        _("<date> '%s' is not a day of the calendar: write "
                          "2023-02-08 or 2023年2月8日"),
                        m->date);
            b->errors++;
        }
    }
    m->index_number = text_of(b, first_el(n, "index-number"));
    m->doc_number = text_of(b, first_el(n, "doc-number"));
    m->disclosure = text_of(b, first_el(n, "disclosure"));
    m->topic = text_of(b, first_el(n, "topic"));
    m->published = text_of(b, first_el(n, "published"));
    m->addressee = text_of(b, first_el(n, "addressee"));
    m->signer = text_of(b, first_el(n, "signer"));
    m->signer_default = m->signer == NULL;
    if (m->signer == NULL)
        m->signer = m->issuer;
    pr = text_of(b, first_el(n, "seal"));
    m->seal = first_el(n, "seal") != NULL &&
              (pr == NULL || *pr == '\0' || strcmp(pr, "true") == 0 ||
               strcmp(pr, "是") == 0);
    /* <figures-table/> alone asks for the table in the catalog's order;
     * a bad value is the XSD's to report */
    if (first_el(n, "figures-table") != NULL) {
        pr = text_of(b, first_el(n, "figures-table"));
        if (!nb_figures_table_parse(pr != NULL ? pr : "", &m->figures_table))
            m->figures_table = NB_FIGTAB_NONE;
    }
    pr = text_of(b, first_el(n, "numbering"));
    if (pr == NULL || !nb_numbering_parse(pr, &m->numbering))
        m->numbering = NB_NUM_AUTO;
    pr = text_of(b, first_el(n, "profile"));
    if (pr == NULL || !nb_profile_parse(&m->profile, pr))
        m->profile = NB_PROFILE_DEFAULT;
}

static void read_metrics(builder *b, const xmlNode *n)
{
    const xmlNode *c;
    nb_report *r = b->r;
    size_t i = 0;

    if (n == NULL)
        return;
    r->metrics = alloc_array(b, count_el(n, "metric"), sizeof(nb_metric));
    for (c = n->children; c != NULL && r->metrics != NULL; c = c->next) {
        nb_metric *m;

        if (!is_el(c, "metric"))
            continue;
        m = &r->metrics[i++];
        m->code = nb_xml_token_dup(b->r->arena, c, "code", &b->oom);
        m->value = text_of(b, c);
        m->unit = attr_of(b, c, "unit");
        m->note = attr_of(b, c, "note");
        m->allow = nb_xml_token_dup(b->r->arena, c, "allow", &b->oom);
        m->reason = attr_of(b, c, "reason");
        m->truncate = nb_xml_token_is(c, "rounding", "truncate");
        m->loc = loc_of(b, c);
    }
    r->n_metrics = i;
}

/* Every metric against its indicator in the catalog (catalog.c). */
static bool metrics_ok(nb_report *r, const nb_catalog *cat, nb_diag_list *dl)
{
    bool ok = true;
    size_t i;

    for (i = 0; i < r->n_metrics; i++) {
        nb_metric *m = &r->metrics[i];

        const nb_indicator *ind;
        size_t n = strlen(m->value);
        size_t pct = n >= 1 && m->value[n - 1] == '%'                 ? 1
                     : n >= 3 && strcmp(m->value + n - 3, "％") == 0 ? 3
                                                                      : 0;

        if (pct > 0)
            m->value = nb_arena_strndup(r->arena, m->value, n - pct);
        if (m->value == NULL) {
            nb_diag_nomem(dl, r->file); /* no model */
            return false;
        }
        if (!nb_metric_check(&ind, cat, m->code, m->value, m->unit, &m->loc,
                             _("metric code"), _("value"), dl)) {
            ok = false;
        } else if (pct > 0 && strcmp(ind->type, "rate") != 0) {
            nb_diag_add(dl, NB_RULE_METRIC_VALUE, &m->loc,
                        _("value '%s%%' has a %%, but %s (%s) is not a "
                          "rate: write the number alone"),
                        m->value, ind->name, ind->code);
            ok = false;
        } else {
            nb_metric_settle(m, cat);
        }
    }
    return ok;
}

static void build(builder *b, const xmlNode *root)
{
    nb_report *r = b->r;
    const xmlNode *c;
    size_t i = 0;

    read_meta(b, first_el(root, "meta"));
    r->title = text_of(b, first_el(root, "title"));
    r->title_default = r->title == NULL;
    if (r->title == NULL && !b->oom)
        r->title = nb_report_default_title(r);
    r->preamble = read_paras(b, first_el(root, "preamble"), &r->n_preamble);
    r->sections = alloc_array(b, count_el(root, "section"), sizeof(nb_section));
    for (c = root->children; c != NULL && r->sections != NULL; c = c->next)
        if (is_el(c, "section"))
            read_section(b, &r->sections[i++], c);
    r->n_sections = i;
    read_metrics(b, first_el(root, "metrics"));
}

nb_status nb_read_xml_memory(nb_report **out, const char *data, size_t len,
                             const char *name, const nb_read_opts *o,
                             nb_diag_list *dl)
{
    nb_limits lim = nb_limits_resolve(o != NULL ? o->limits : NULL);
    xmlDocPtr doc = NULL;
    xmlNodePtr root;
    builder b = {NULL, name, o != NULL ? o->catalog : NULL, dl, 0, false};
    size_t n_errors = 0;
    nb_status st;

    *out = NULL;
    if (name == NULL)
        name = b.file = "-";
    if (len > lim.max_input_bytes) {
        nb_loc loc = {name, 0, 0, NULL};

        nb_diag_add(dl, NB_XML_TOO_LARGE, &loc,
                    _("file is %zu bytes, more than the limit of %zu"), len,
                    lim.max_input_bytes);
        return NB_ERR_LIMIT;
    }
    st = nb_xml_parse(&doc, data, len, name, NULL, NB_XML_MALFORMED,
                      lim.xml_huge, &lim, dl);
    if (st == NB_ERR_FORMAT)
        return NB_OK; /* a data finding: reported, no model */
    if (st != NB_OK)
        return st;
    root = xmlDocGetRootElement(doc);
    if (!is_el(root, "report")) {
        nb_loc loc = {name, nb_xml_line(root), 0, NULL};

        nb_diag_add(dl, NB_XML_NOT_REPORT, &loc,
                    _("root element is <%s>, expected <report xmlns=\"%s\">"),
                    root != NULL ? (const char *)root->name : "", NB_REPORT_NS);
        goto done;
    }
    st = nb_xsd_validate(&n_errors, doc, NB_SCHEMA_REPORT, name, dl);
    if (st != NB_OK || n_errors > 0)
        goto done;
    b.r = nb_report_new(name);
    if (b.r == NULL) {
        st = nb_diag_nomem(dl, name);
        goto done;
    }
    b.file = b.r->file; /* the nodes' locations outlive 'name' */
    build(&b, root);
    if (b.oom) {
        st = nb_diag_nomem(dl, name);
        goto done;
    }
    if (!metrics_ok(b.r, b.catalog, dl) || b.errors > 0)
        goto done; /* reported; no model, as for any data error */
    *out = b.r;
    b.r = NULL;
done:
    nb_report_free(b.r);
    xmlFreeDoc(doc);
    return st;
}

nb_status nb_report_read_xml_memory(nb_report **out, const char *data,
                                    size_t len, const char *name,
                                    const nb_limits *limits, nb_diag_list *dl)
{
    nb_read_opts o = {NB_ENC_AUTO, limits, NULL, false};

    return nb_read_xml_memory(out, data, len, name, &o, dl);
}

nb_status nb_read_xml_file(nb_report **out, const char *path,
                           const nb_read_opts *o, nb_diag_list *dl)
{
    nb_limits lim = nb_limits_resolve(o != NULL ? o->limits : NULL);
    char *data = NULL;
    size_t len = 0;
    nb_status st;

    *out = NULL;
    st = nb_file_read(&data, &len, path, lim.max_input_bytes, NB_XML_TOO_LARGE,
                      dl);
    if (st != NB_OK)
        return st;
    st = nb_read_xml_memory(out, data, len, path, o, dl);
    free(data);
    return st;
}

nb_status nb_report_read_xml(nb_report **out, const char *path,
                             const nb_limits *limits, nb_diag_list *dl)
{
    nb_read_opts o = {NB_ENC_AUTO, limits, NULL, false};

    return nb_read_xml_file(out, path, &o, dl);
}
