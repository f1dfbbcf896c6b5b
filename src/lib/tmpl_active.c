/* tmpl_active.c: what a template's package would make a reader's Word do
 * or fetch, found before any report is rendered from it.
 *
 * Stage "template parser", after the parts are compiled (docx_write.c's
 * load). Every XML part is parsed once more, with xml_io.c's safe parser:
 *   - the relationships parts (*.rels): a target outside the package
 *     (TargetMode="External"): an image or other linked content, a
 *     hyperlink, a remote attached template, a subdocument; and, wherever
 *     they point, OLE objects, ActiveX controls and altChunks;
 *   - [Content_Types].xml and the part names: macros (vbaProject.bin, the
 *     macro-enabled types of .docm and .dotm);
 *   - the parts with fields: the field code of w:fldSimple/@w:instr, or of
 *     the w:instrText between a w:fldChar "begin" and its "separate" (split
 *     over runs and elements as Word saves it): DDE, DDEAUTO, INCLUDETEXT,
 *     INCLUDEPICTURE, INCLUDE, IMPORT, LINK;
 *   - a part the template copies unchanged (no tags) with a DOCTYPE: an
 *     error, since it would reach the report as it is (the merged parts
 *     are refused by their own parse already).
 * Each finding is located by part and line. Macros, DDE fields and a
 * remote attached template are errors, the rest warnings; with
 * nb_limits.allow_external all of them are notes. A part that is not
 * well-formed is left as it was (copied): only a DOCTYPE stops it.
 */
#include "tmpl_compile.h"
#include "xml_io.h"

#include <stdio.h>
#include <string.h>

#define REL_NS "http://schemas.openxmlformats.org/package/2006/relationships"
#define CT_NS "http://schemas.openxmlformats.org/package/2006/content-types"
#define INSTR_MAX 256  /* bytes of a field code read: its name and target */
#define FIELD_DEPTH 16 /* nested fields followed */

typedef struct scan {
    const nb_template *t;
    nb_diag_list *dl;
    const char *part;
    nb_buf excerpt;
} scan;

static void finding(scan *s, nb_code code, uint32_t line, const char *fmt,
                    ...) __attribute__((format(printf, 4, 5)));

/* Errors and warnings as the code says; notes when the run accepts
 * external content (a DOCTYPE is never accepted). */
static void finding(scan *s, nb_code code, uint32_t line, const char *fmt,
                    ...)
{
    nb_loc loc = {s->t->file, line, 0, s->part};
    nb_severity sev = nb_code_severity(code);
    char msg[512];
    va_list ap;

    if (s->t->limits.allow_external && code != NB_TMPL_PART_DOCTYPE &&
        code != NB_TMPL_PART_UNREFERENCED)
        sev = NB_SEV_NOTE;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    nb_diag_add_sev(s->dl, code, sev, &loc, "%s", msg);
}

/* 's' cut for a message, one line. */
static const char *excerpt(scan *s, const char *text)
{
    nb_tmpl_excerpt(&s->excerpt, text, strlen(text));
    return s->excerpt.data != NULL ? s->excerpt.data : "";
}

static const char *attr(const xmlNode *n, const char *name)
{
    const xmlAttr *a;

    for (a = n->properties; a != NULL; a = a->next)
        if (a->ns == NULL && strcmp((const char *)a->name, name) == 0 &&
            a->children != NULL && a->children->type == XML_TEXT_NODE)
            return (const char *)a->children->content;
    return NULL;
}

/* The last segment of a relationship type URI: "image", "hyperlink". */
static const char *rel_kind(const char *type)
{
    const char *slash = type != NULL ? strrchr(type, '/') : NULL;

    return slash != NULL ? slash + 1 : type != NULL ? type : "";
}

/* 's' starts with 'prefix', ASCII case ignored. */
static bool starts_ci(const char *s, const char *prefix)
{
    size_t i;

    for (i = 0; prefix[i] != '\0'; i++) {
        char c = s[i] >= 'A' && s[i] <= 'Z' ? (char)(s[i] + 32) : s[i];

        if (c != prefix[i])
            return false;
    }
    return true;
}

/* The letters and digits of 'kind' (a relationship type's tail), at most
 * sizeof(out) - 1, for a message. */
static const char *word_of(char *out, size_t size, const char *kind)
{
    size_t n = 0;

    for (; *kind != '\0' && n + 1 < size; kind++)
        if ((*kind >= 'a' && *kind <= 'z') || (*kind >= 'A' && *kind <= 'Z') ||
            (*kind >= '0' && *kind <= '9'))
            out[n++] = *kind;
    out[n] = '\0';
    return out;
}

/* A path Word resolves on this computer (C:\…, file:///C:/…, relative),
 * not on a server (\\host\share, file://host/…, http:, any other scheme). */
static bool local_path(const char *p)
{
    size_t i;

    if (strncmp(p, "\\\\", 2) == 0 || strncmp(p, "//", 2) == 0)
        return false;
    if (starts_ci(p, "file:")) {
        p += 5;
        if (strncmp(p, "///", 3) == 0)
            return p[3] != '/' && p[3] != '\\';
        if (starts_ci(p, "//localhost/"))
            return true;
        return p[0] != '/' && p[0] != '\\';
    }
    for (i = 0; (p[i] >= 'a' && p[i] <= 'z') || (p[i] >= 'A' && p[i] <= 'Z') ||
                (i > 0 && ((p[i] >= '0' && p[i] <= '9') || p[i] == '+' ||
                           p[i] == '-' || p[i] == '.'));
         i++)
        continue;
    /* a scheme of two letters or more; one is a drive */
    return !(p[i] == ':' && i >= 2);
}

static void scan_relationship(scan *s, const xmlNode *n)
{
    const char *kind = rel_kind(attr(n, "Type"));
    const char *target = attr(n, "Target");
    const char *mode = attr(n, "TargetMode");
    bool external = mode != NULL && nb_ascii_casecmp(mode, "External") == 0;
    uint32_t line = nb_xml_line(n);
    char word[40];

    if (target == NULL)
        target = "";
    if (strcmp(kind, "oleObject") == 0 || strcmp(kind, "control") == 0)
        finding(s, NB_TMPL_OLE_OBJECT, line,
                external ? _("an OLE object linked to '%s'")
                         : _("an embedded OLE object or ActiveX control, "
                             "'%s'"),
                excerpt(s, target));
    else if (strcmp(kind, "aFChunk") == 0)
        finding(s, NB_TMPL_ALT_CHUNK, line,
                _("an altChunk imports '%s' when the report is opened"),
                excerpt(s, target));
    else if (!external)
        return;
    else if (strcmp(kind, "attachedTemplate") == 0) {
        if (!local_path(target))
            finding(s, NB_TMPL_REMOTE_TEMPLATE, line,
                    _("the attached template is '%s', on another computer "
                      "or a web site"),
                    excerpt(s, target));
    } else if (strcmp(kind, "hyperlink") == 0)
        finding(s, NB_TMPL_EXTERNAL_LINK, line, _("a hyperlink to '%s'"),
                excerpt(s, target));
    else if (strcmp(kind, "subDocument") == 0)
        finding(s, NB_TMPL_SUB_DOCUMENT, line,
                _("a subdocument loaded from '%s'"), excerpt(s, target));
    else if (strcmp(kind, "image") == 0)
        finding(s, NB_TMPL_EXTERNAL_CONTENT, line,
                _("an image loaded from '%s' when the report is opened"),
                excerpt(s, target));
    else
        finding(s, NB_TMPL_EXTERNAL_CONTENT, line,
                _("content loaded from '%s' when the report is opened (a "
                  "relationship of type '%s')"),
                excerpt(s, target), word_of(word, sizeof(word), kind));
}

static void scan_rels(scan *s, const xmlNode *root)
{
    const xmlNode *n;

    for (n = root->children; n != NULL; n = n->next)
        if (nb_xml_is(n, REL_NS, "Relationship"))
            scan_relationship(s, n);
}

/* A content type of macros: .docm, .dotm, the VBA project. */
static bool macro_type(const char *ct)
{
    static const char *const words[] = {"macroenabled", "vbaproject",
                                        "vbadata"};
    char low[160];
    size_t i;

    for (i = 0; ct[i] != '\0' && i + 1 < sizeof(low); i++)
        low[i] = (ct[i] >= 'A' && ct[i] <= 'Z') ? (char)(ct[i] + 32) : ct[i];
    low[i] = '\0';
    for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
        if (strstr(low, words[i]) != NULL)
            return true;
    return false;
}

static void scan_types(scan *s, const xmlNode *root)
{
    const xmlNode *n;

    for (n = root->children; n != NULL; n = n->next) {
        const char *ct = attr(n, "ContentType");
        const char *what = attr(n, "PartName");

        if (what == NULL)
            what = attr(n, "Extension");
        if (n->type != XML_ELEMENT_NODE || ct == NULL || !macro_type(ct))
            continue;
        finding(s, NB_TMPL_MACROS, nb_xml_line(n),
                _("'%s' has the content type of macros, '%s'"),
                what != NULL ? what : "", excerpt(s, ct));
    }
}

/* ==== Fields ==== */

typedef struct field {
    char code[INSTR_MAX + 1];
    size_t len;
    uint32_t line;
    bool done; /* its code was checked (at "separate") */
} field;

typedef struct fields {
    field stack[FIELD_DEPTH];
    size_t depth;   /* fields open */
    size_t skipped; /* opened past FIELD_DEPTH */
} fields;

/* The field code's first word, and what it does. */
static void check_code(scan *s, const char *code, uint32_t line)
{
    char word[24];
    size_t n = 0;

    while (*code == ' ' || *code == '\t' || *code == '\r' || *code == '\n')
        code++;
    while (code[n] != '\0' && code[n] != ' ' && code[n] != '\t' &&
           code[n] != '\\' && code[n] != '"' && n + 1 < sizeof(word)) {
        word[n] = code[n];
        n++;
    }
    word[n] = '\0';
    if (nb_ascii_casecmp(word, "DDE") == 0 ||
        nb_ascii_casecmp(word, "DDEAUTO") == 0)
        finding(s, NB_TMPL_DDE_FIELD, line,
                _("a field '%s' starts another program when the report is "
                  "opened"),
                excerpt(s, code));
    else if (nb_ascii_casecmp(word, "INCLUDETEXT") == 0 ||
             nb_ascii_casecmp(word, "INCLUDEPICTURE") == 0 ||
             nb_ascii_casecmp(word, "INCLUDE") == 0 ||
             nb_ascii_casecmp(word, "IMPORT") == 0 ||
             nb_ascii_casecmp(word, "LINK") == 0)
        finding(s, NB_TMPL_INCLUDE_FIELD, line,
                _("a field '%s' takes its content from another file"),
                excerpt(s, code));
}

static void field_char(scan *s, fields *f, const xmlNode *n)
{
    const xmlChar *type = xmlGetNsProp(n, BAD_CAST "fldCharType",
                                       BAD_CAST W_NS);
    field *top = f->depth > 0 ? &f->stack[f->depth - 1] : NULL;

    if (type == NULL)
        return;
    if (strcmp((const char *)type, "begin") == 0) {
        if (f->depth == FIELD_DEPTH) {
            f->skipped++;
        } else {
            memset(&f->stack[f->depth], 0, sizeof(field));
            f->stack[f->depth].line = nb_xml_line(n);
            f->depth++;
        }
    } else if (f->skipped == 0 && top != NULL && !top->done) {
        top->done = true; /* "separate", or "end" without one */
        check_code(s, top->code, top->line);
    }
    if (strcmp((const char *)type, "end") == 0) {
        if (f->skipped > 0)
            f->skipped--;
        else if (f->depth > 0)
            f->depth--;
    }
    xmlFree((xmlChar *)type);
}

static void field_text(fields *f, const xmlNode *n)
{
    field *top;
    const xmlNode *c;

    if (f->depth == 0 || f->skipped > 0)
        return;
    top = &f->stack[f->depth - 1];
    for (c = n->children; c != NULL; c = c->next) {
        size_t len;

        if (c->type != XML_TEXT_NODE || c->content == NULL)
            continue;
        len = strlen((const char *)c->content);
        if (len > INSTR_MAX - top->len)
            len = INSTR_MAX - top->len;
        memcpy(top->code + top->len, c->content, len);
        top->len += len;
        top->code[top->len] = '\0';
    }
}

static void scan_fields(scan *s, fields *f, const xmlNode *n)
{
    for (; n != NULL; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (nb_xml_is(n, W_NS, "fldChar")) {
            field_char(s, f, n);
        } else if (nb_xml_is(n, W_NS, "instrText")) {
            field_text(f, n);
        } else {
            if (nb_xml_is(n, W_NS, "fldSimple")) {
                xmlChar *instr = xmlGetNsProp(n, BAD_CAST "instr",
                                              BAD_CAST W_NS);

                if (instr != NULL)
                    check_code(s, (const char *)instr, nb_xml_line(n));
                xmlFree(instr);
            }
            scan_fields(s, f, n->children);
        }
    }
}

/* ==== The parts ==== */

static bool has_bytes(const nb_tpart *p, const char *needle)
{
    size_t n = strlen(needle);
    size_t i;

    for (i = 0; i + n <= p->raw_len; i++)
        if (p->raw[i] == (unsigned char)needle[0] &&
            memcmp(p->raw + i, needle, n) == 0)
            return true;
    return false;
}

/* The line of "<!DOCTYPE" in the raw bytes, NUL bytes skipped (so that
 * UTF-16 is read too), or 0: for a part libxml2 stopped reading before
 * it reached one (an encoding it does not know, a broken declaration). */
static uint32_t raw_doctype(const nb_tpart *p)
{
    static const char word[] = "<!DOCTYPE";
    uint32_t line = 1;
    size_t at = 0;
    size_t i;

    for (i = 0; i < p->raw_len; i++) {
        unsigned char c = p->raw[i];

        if (c == 0)
            continue;
        line += c == '\n';
        at = c == (unsigned char)word[at] ? at + 1 : c == '<' ? 1 : 0;
        if (at == sizeof(word) - 1)
            return line;
    }
    return 0;
}

/* The part as XML, or NULL when it is not well-formed (its problems
 * dropped) or has a DOCTYPE (reported when it is copied unchanged). */
static xmlDocPtr parse_part(scan *s, const nb_tpart *p, bool copied,
                            nb_status *st)
{
    nb_diag_list *quiet = nb_diag_list_new();
    xmlDocPtr doc = NULL;
    uint32_t line = 0;
    bool dtd = false;
    size_t i;

    if (quiet == NULL) {
        *st = NB_ERR_NOMEM;
        return NULL;
    }
    *st = nb_xml_parse(&doc, (const char *)p->raw, p->raw_len, s->t->file,
                       p->name, NB_TMPL_PART_MALFORMED, s->t->limits.xml_huge,
                       &s->t->limits, quiet);
    for (i = 0; i < nb_diag_list_count(quiet) && !dtd; i++) {
        dtd = nb_diag_list_at(quiet, i)->code == NB_XML_DTD_FORBIDDEN;
        line = nb_diag_list_at(quiet, i)->loc.line;
    }
    if (doc == NULL && !dtd) {
        line = raw_doctype(p);
        dtd = line > 0;
    }
    if (copied && dtd)
        finding(s, NB_TMPL_PART_DOCTYPE, line, "%s",
                _("a DOCTYPE in a part that has no tags: it is not "
                  "copied into a report"));
    nb_diag_list_free(quiet);
    if (*st != NB_ERR_NOMEM)
        *st = NB_OK;
    return doc;
}

/* Is 'p' XML, by its name or by its content type? */
static bool xml_part(const nb_tpart *p, const char *ct)
{
    size_t n = ct != NULL ? strlen(ct) : 0;

    return nb_has_suffix(p->name, ".xml") || nb_has_suffix(p->name, ".rels") ||
           nb_has_suffix(p->name, ".vml") ||
           (n >= 3 && nb_ascii_casecmp(ct + n - 3, "xml") == 0);
}

/* The content type [Content_Types].xml gives part 'name'. */
static const char *content_type(const xmlNode *types, const char *name)
{
    const char *dot = strrchr(name, '.');
    const char *by_ext = NULL;
    const xmlNode *n;

    for (n = types != NULL ? types->children : NULL; n != NULL; n = n->next) {
        const char *pn = attr(n, "PartName");
        const char *ext = attr(n, "Extension");

        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (pn != NULL && pn[0] == '/' && nb_ascii_casecmp(pn + 1, name) == 0)
            return attr(n, "ContentType");
        if (ext != NULL && dot != NULL && nb_ascii_casecmp(ext, dot + 1) == 0)
            by_ext = attr(n, "ContentType");
    }
    return by_ext;
}

static nb_status scan_part(scan *s, const nb_tpart *p, const xmlNode *types)
{
    const char *base = strrchr(p->name, '/');
    bool copied = p->unreferenced || (!nb_tmpl_part_is_merged(p->name) &&
                                      strcmp(p->name, "word/numbering.xml") != 0);
    xmlDocPtr doc;
    xmlNodePtr root;
    nb_status st = NB_OK;

    s->part = p->name;
    base = base != NULL ? base + 1 : p->name;
    if (nb_ascii_casecmp(base, "vbaProject.bin") == 0)
        finding(s, NB_TMPL_MACROS, 0, "%s", _("a VBA project (macros)"));
    if (!xml_part(p, content_type(types, p->name)) ||
        strcmp(p->name, "[Content_Types].xml") == 0)
        return NB_OK;
    if (p->unreferenced && nb_tmpl_part_is_merged(p->name) &&
        has_bytes(p, "{{"))
        finding(s, NB_TMPL_PART_UNREFERENCED, 0, "%s",
                _("this part has tags, but no relationship of the "
                  "document reaches it: Word never shows it, and it is "
                  "copied unchanged"));
    if (!copied && !has_bytes(p, "instrText") && !has_bytes(p, "fldSimple"))
        return NB_OK; /* parsed when compiled, and no field in it */
    doc = parse_part(s, p, copied, &st);
    root = doc != NULL ? xmlDocGetRootElement(doc) : NULL;
    if (root != NULL && nb_xml_is(root, REL_NS, "Relationships")) {
        scan_rels(s, root);
    } else if (root != NULL) {
        fields f;

        memset(&f, 0, sizeof(f));
        scan_fields(s, &f, root);
    }
    if (doc != NULL)
        xmlFreeDoc(doc);
    return st;
}

nb_status nb_tmpl_scan_active(const nb_template *t, nb_diag_list *dl)
{
    scan s;
    xmlDocPtr types = NULL;
    const xmlNode *types_root = NULL;
    nb_status st = NB_OK;
    size_t i;

    memset(&s, 0, sizeof(s));
    s.t = t;
    s.dl = dl;
    nb_buf_init(&s.excerpt, 1024);
    for (i = 0; i < t->n_parts && types == NULL && st == NB_OK; i++) {
        if (strcmp(t->parts[i].name, "[Content_Types].xml") != 0)
            continue;
        s.part = t->parts[i].name;
        types = parse_part(&s, &t->parts[i], true, &st);
        types_root = types != NULL ? xmlDocGetRootElement(types) : NULL;
        if (types_root != NULL && nb_xml_is(types_root, CT_NS, "Types"))
            scan_types(&s, types_root);
        else
            types_root = NULL;
    }
    for (i = 0; i < t->n_parts && st == NB_OK; i++)
        st = scan_part(&s, &t->parts[i], types_root);
    if (types != NULL)
        xmlFreeDoc(types);
    if (st == NB_OK && s.excerpt.st != NB_OK)
        st = NB_ERR_NOMEM;
    nb_buf_fini(&s.excerpt);
    return st;
}
