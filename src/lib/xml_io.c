/* xml_io.c: libxml2 with safe options, and its errors as diagnostics.
 *
 * libxml2 must never write to stderr (STYLE.md §3): every error goes
 * through nb_xml_sink_error into the caller's nb_diag_list, with
 * xmlError.line and .int2 (the column, libxml2 2.9.14 xmlerror.h:89) as the
 * location. Parsing always uses XML_PARSE_NONET and never XML_PARSE_NOENT
 * or DTD loading, and XML_PARSE_HUGE only when the limits ask for it; a DOCTYPE
 * is refused as soon as the parser sees it, so entity-expansion bombs never
 * start.
 */
#include "xml_io.h"

#include <string.h>

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/SAX2.h>
#include <libxml/xmlerror.h>

/* libxml2 2.12 made the error argument const; keep the difference here. */
#if LIBXML_VERSION >= 21200
typedef const xmlError *nb_xml_err_arg;
#else
typedef xmlErrorPtr nb_xml_err_arg;
#endif

static const char *escape_of(unsigned char ch, nb_esc mode)
{
    bool attr = mode == NB_ESC_ATTR;
    bool value = mode == NB_ESC_VALUE || mode == NB_ESC_WT_VALUE;

    switch (ch) {
    case '&':
        return "&amp;";
    case '<':
        return "&lt;";
    case '>':
        return "&gt;";
    case '"':
        return attr ? "&quot;" : NULL;
    case '\n':
        if (mode == NB_ESC_WT_VALUE)
            return "</w:t><w:br/><w:t xml:space=\"preserve\">";
        return attr ? "&#10;" : NULL;
    case '\t':
        if (mode == NB_ESC_WT_VALUE)
            return "</w:t><w:tab/><w:t xml:space=\"preserve\">";
        return attr ? "&#9;" : NULL;
    case '\r':
        return value ? "" : "&#13;";
    default:
        return ch < 0x20 && value ? "" : NULL;
    }
}

void nb_xml_escape(nb_buf *b, const char *s, size_t len, nb_esc mode)
{
    size_t i;
    size_t from = 0;

    for (i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)s[i];
        const char *rep;

        if (ch > '>')
            continue; /* fast path: nothing above '>' is ever escaped */
        rep = escape_of(ch, mode);
        if (rep == NULL)
            continue;
        nb_buf_add(b, s + from, i - from);
        nb_buf_adds(b, rep);
        from = i + 1;
    }
    nb_buf_add(b, s + from, len - from);
}

uint32_t nb_xml_line(const xmlNode *node)
{
    long l = xmlGetLineNo(node);

    return l > 0 && l < (long)UINT32_MAX ? (uint32_t)l : 0;
}

const char *nb_xml_attr_dup(nb_arena *a, const xmlNode *n, const char *name,
                            bool *oom)
{
    xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
    const char *copy;

    if (v == NULL)
        return NULL;
    copy = nb_arena_strdup(a, (const char *)v);
    xmlFree(v);
    if (copy == NULL)
        *oom = true;
    return copy;
}

/* Collapse 's' in place as xs:token does. */
static void collapse(char *s)
{
    char *w = s;
    const char *r = s;
    bool space = false;

    for (; *r != '\0'; r++) {
        if (*r == ' ' || *r == '\t' || *r == '\n' || *r == '\r') {
            space = w != s;
            continue;
        }
        if (space)
            *w++ = ' ';
        space = false;
        *w++ = *r;
    }
    *w = '\0';
}

const char *nb_xml_token_dup(nb_arena *a, const xmlNode *n, const char *name,
                             bool *oom)
{
    char *copy = (char *)nb_xml_attr_dup(a, n, name, oom);

    if (copy != NULL)
        collapse(copy);
    return copy;
}

bool nb_xml_token_is(const xmlNode *n, const char *name, const char *value)
{
    xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
    bool eq;

    if (v == NULL)
        return false;
    collapse((char *)v);
    eq = strcmp((const char *)v, value) == 0;
    xmlFree(v);
    return eq;
}

bool nb_xml_is(const xmlNode *node, const char *ns_uri, const char *name)
{
    if (node == NULL || node->type != XML_ELEMENT_NODE)
        return false;
    if (strcmp((const char *)node->name, name) != 0)
        return false;
    if (ns_uri == NULL)
        return true;
    return node->ns != NULL && node->ns->href != NULL &&
           strcmp((const char *)node->ns->href, ns_uri) == 0;
}

const char *nb_xml_attr(const xmlNode *n, const char *name)
{
    const xmlAttr *a;

    for (a = n->properties; a != NULL; a = a->next)
        if (a->ns == NULL && strcmp((const char *)a->name, name) == 0 &&
            a->children != NULL && a->children->type == XML_TEXT_NODE)
            return (const char *)a->children->content;
    return NULL;
}

/* libxml2 messages end in "\n", some in a full stop or a space; ours are
 * one line without a full stop (STYLE.md §3). */
static void trim_msg(char *buf)
{
    size_t n = strlen(buf);

    while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' ' ||
                     buf[n - 1] == '\r' || buf[n - 1] == '.'))
        buf[--n] = '\0';
}

static nb_code classify(const nb_xml_sink *s, int code)
{
    switch (code) {
    case XML_ERR_INVALID_CHAR:
    case XML_ERR_UNKNOWN_ENCODING:
    case XML_ERR_UNSUPPORTED_ENCODING:
    case XML_ERR_ENCODING_NAME:
    case XML_ERR_INVALID_ENCODING:
        return NB_XML_ENCODING;
    case XML_ERR_ENTITY_LOOP:
        return NB_XML_DTD_FORBIDDEN;
    case XML_ERR_NAME_TOO_LONG:
        return NB_XML_TOO_LARGE;
    default:
        return s->code;
    }
}

void nb_xml_sink_error(void *data, xmlErrorPtr err)
{
    nb_xml_sink *s = data;
    nb_loc loc = {s->file, 0, 0, s->where};
    char msg[512];
    nb_code code;

    if (err == NULL)
        return;
    if (err->code == XML_ERR_USER_STOP && s->dtd_seen)
        return; /* our own stop after a DOCTYPE, already reported */
    loc.line = err->line > 0 ? (uint32_t)err->line : 0;
    loc.col = err->int2 > 0 ? (uint32_t)err->int2 : 0;
    snprintf(msg, sizeof(msg), "%s",
             err->message != NULL ? err->message : "unknown XML error");
    trim_msg(msg);
    code = classify(s, err->code);
    if (err->level == XML_ERR_WARNING) {
        nb_diag_add(s->dl, NB_XML_WARNING, &loc, "%s", msg);
        return;
    }
    s->n_errors++;
    /* libxml2's wording names its own API; say what it means for a user */
    if (err->domain == XML_FROM_PARSER && err->code == XML_ERR_INTERNAL_ERROR &&
        strstr(msg, "depth") != NULL) {
        nb_diag_add(s->dl, NB_XML_TOO_DEEP, &loc,
                    _("elements are nested more than %d deep"), 256);
        return;
    }
    if (strstr(msg, "huge") != NULL || strstr(msg, "too long") != NULL) {
        nb_diag_add(s->dl, NB_XML_TOO_LARGE, &loc,
                    _("a text or name is larger than the parser's limit "
                      "(10 MB of text): %s"),
                    msg);
        return;
    }
    if (strncmp(msg, "Input is not proper UTF-8", 25) == 0) {
        const char *bytes = strstr(msg, "Bytes:");

        nb_diag_add(s->dl, NB_XML_ENCODING, &loc,
                    _("not UTF-8 (%s); save the file as UTF-8, or declare "
                      "its encoding, e.g. <?xml version=\"1.0\" "
                      "encoding=\"GB18030\"?>"),
                    bytes != NULL ? bytes : "?");
        return;
    }
    nb_diag_add(s->dl, code, &loc, "%s", msg);
}

static void parser_serror(void *user, nb_xml_err_arg err)
{
    xmlParserCtxtPtr ctxt = user;

    nb_xml_sink_error(ctxt->_private, (xmlErrorPtr)err);
}

static void scope_serror(void *sink, nb_xml_err_arg err)
{
    nb_xml_sink_error(sink, (xmlErrorPtr)err);
}

static void generic_quiet(void *ctx, const char *msg, ...)
{
    (void)ctx;
    (void)msg;
}

void nb_xml_scope_begin(nb_xml_scope *sc, nb_xml_sink *sink)
{
    sc->old_generic_ctx = xmlGenericErrorContext;
    sc->old_generic = (void *)xmlGenericError;
    sc->old_structured_ctx = xmlStructuredErrorContext;
    sc->old_structured = (void *)xmlStructuredError;
    sc->sink = sink;
    xmlSetGenericErrorFunc(NULL, generic_quiet);
    xmlSetStructuredErrorFunc(sink, (xmlStructuredErrorFunc)scope_serror);
}

void nb_xml_scope_end(nb_xml_scope *sc)
{
    xmlSetGenericErrorFunc(sc->old_generic_ctx,
                           (xmlGenericErrorFunc)sc->old_generic);
    xmlSetStructuredErrorFunc(sc->old_structured_ctx,
                              (xmlStructuredErrorFunc)sc->old_structured);
}

/* A DOCTYPE: refuse it before any declaration inside it is parsed. */
static void refuse_subset(void *user, const xmlChar *name,
                          const xmlChar *external_id, const xmlChar *system_id)
{
    xmlParserCtxtPtr ctxt = user;
    nb_xml_sink *s = ctxt->_private;
    nb_loc loc = {s->file, (uint32_t)xmlSAX2GetLineNumber(ctxt),
                  (uint32_t)xmlSAX2GetColumnNumber(ctxt), s->where};

    (void)name;
    (void)external_id;
    (void)system_id;
    if (!s->dtd_seen) {
        s->dtd_seen = true;
        s->n_errors++;
        nb_diag_add(s->dl, NB_XML_DTD_FORBIDDEN, &loc, "%s",
                    _("DOCTYPE declarations are not allowed (no DTDs, no "
                      "entities); remove it"));
    }
    xmlStopParser(ctxt);
}

enum { SCAN_TEXT, SCAN_LT, SCAN_BANG, SCAN_SKIP, SCAN_TAG };

void nb_attr_scan_init(nb_attr_scan *sc, const nb_limits *lim, bool whole)
{
    nb_limits l = nb_limits_resolve(lim);

    memset(sc, 0, sizeof(*sc));
    sc->max = l.max_attributes;
    sc->max_elements = whole ? l.max_elements : SIZE_MAX;
    sc->line = 1;
    sc->state = SCAN_TEXT;
}

bool nb_attr_scan_feed(nb_attr_scan *sc, const char *data, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        char c = data[i];

        if (sc->state == SCAN_TEXT) { /* text between tags: to a tag */
            while (c != '<' && c != '\n' && ++i < len)
                c = data[i];
            if (i == len)
                break;
        } else if (sc->state == SCAN_TAG && sc->quote != 0) {
            while (c != sc->quote && c != '\n' && ++i < len)
                c = data[i]; /* an attribute's value: to its end */
            if (i == len)
                break;
        }
        if (c == '\n')
            sc->line++;
        switch (sc->state) {
        case SCAN_TEXT:
            if (c == '<')
                sc->state = SCAN_LT;
            break;
        case SCAN_LT:
            if (c == '!') {
                sc->state = SCAN_BANG;
            } else if (c == '?') {
                sc->close = "?>";
                sc->matched = 0;
                sc->state = SCAN_SKIP;
            } else {
                if (c != '/' && ++sc->n_elements > sc->max_elements)
                    return false;
                sc->n = 0;
                sc->quote = 0;
                sc->token = true; /* the element's name */
                sc->after_eq = false;
                sc->tag_line = sc->line;
                sc->state = c == '>' ? SCAN_TEXT : SCAN_TAG;
            }
            break;
        case SCAN_BANG: /* a comment, CDATA or declaration: skipped whole */
            if (sc->no_doctype && c != '-' && c != '[') {
                sc->doctype = true;
                return false;
            }
            sc->close = c == '-' ? "-->" : c == '[' ? "]]>" : ">";
            sc->matched = c == '-' ? 1 : 0;
            sc->state = c == '>' ? SCAN_TEXT : SCAN_SKIP;
            break;
        case SCAN_SKIP:
            if (c == sc->close[sc->matched]) {
                if (sc->close[++sc->matched] == '\0')
                    sc->state = SCAN_TEXT;
            } else if (c == sc->close[0]) {
                /* "--->" and "]]]>": a run of the first mark stays
                   matched up to the mark before the end */
                sc->matched = sc->matched == 2 && sc->close[1] == c ? 2 : 1;
            } else {
                sc->matched = 0;
            }
            break;
        default:
            /* SCAN_TAG: a name outside quotes, not a value after '=', is
               an attribute (HTML's have no value: <p hidden>) */
            if (sc->quote != 0) {
                sc->quote = c == sc->quote ? 0 : sc->quote;
            } else if (c == '>') {
                sc->state = SCAN_TEXT;
            } else if (c == '=') {
                sc->after_eq = true;
                sc->token = false;
            } else if (c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
                       c == '/') {
                sc->token = false;
            } else if (c == '"' || c == '\'') {
                sc->quote = c;
                sc->after_eq = false;
            } else if (!sc->token) {
                sc->token = true;
                if (sc->after_eq)
                    sc->after_eq = false; /* an unquoted value */
                else if (++sc->n > sc->max)
                    return false;
            }
            break;
        }
    }
    return true;
}

void nb_attr_scan_report(const nb_attr_scan *sc, const char *file,
                         const char *where, nb_diag_list *dl)
{
    nb_loc loc = {file, sc->tag_line, 0, where};

    if (sc->doctype) {
        loc.line = sc->line;
        nb_diag_add(dl, NB_XML_DTD_FORBIDDEN, &loc, "%s",
                    _("DOCTYPE declarations are not allowed (no DTDs, no "
                      "entities); remove it"));
        return;
    }
    if (sc->n_elements > sc->max_elements) {
        loc.line = sc->line;
        nb_diag_add(dl, NB_XML_TOO_MANY_ELEMENTS, &loc,
                    _("more than %zu elements"), sc->max_elements);
        return;
    }
    nb_diag_add(dl, NB_XML_TOO_MANY_ATTRIBUTES, &loc,
                _("an element with more than %zu attributes"), sc->max);
}

nb_status nb_xml_parse(xmlDocPtr *out, const char *data, size_t len,
                       const char *file, const char *where, nb_code malformed,
                       bool huge, const nb_limits *lim, nb_diag_list *dl)
{
    nb_xml_sink sink = {dl, file, where, malformed, 0, false};
    nb_attr_scan scan;
    nb_xml_scope scope;
    xmlParserCtxtPtr ctxt;
    xmlDocPtr doc = NULL;
    nb_status st = NB_OK;

    *out = NULL;
    if (len > INT32_MAX) {
        nb_loc loc = {file, 0, 0, where};

        nb_diag_add(dl, NB_XML_TOO_LARGE, &loc, "%s",
                    _("XML larger than 2 GiB"));
        return NB_ERR_LIMIT;
    }
    nb_attr_scan_init(&scan, lim, true);
    if (!nb_attr_scan_feed(&scan, data, len)) {
        nb_attr_scan_report(&scan, file, where, dl);
        return NB_ERR_LIMIT;
    }
    ctxt = xmlNewParserCtxt();
    if (ctxt == NULL)
        return nb_diag_nomem(dl, file);
    ctxt->_private = &sink;
    ctxt->sax->serror = parser_serror;
    ctxt->sax->internalSubset = refuse_subset;
    ctxt->sax->externalSubset = refuse_subset;
    nb_xml_scope_begin(&scope, &sink);
    doc = xmlCtxtReadMemory(ctxt, data, (int)len, NULL, NULL,
                            XML_PARSE_NONET | XML_PARSE_BIG_LINES |
                                (huge ? XML_PARSE_HUGE : 0));
    nb_xml_scope_end(&scope);
    if (doc != NULL && (sink.n_errors > 0 || !ctxt->wellFormed)) {
        xmlFreeDoc(doc);
        doc = NULL;
    }
    if (doc == NULL) {
        if (sink.n_errors == 0) {
            nb_loc loc = {file, 0, 0, where};

            nb_diag_add(dl, malformed, &loc, "%s", _("not well-formed XML"));
        }
        st = NB_ERR_FORMAT;
    }
    xmlFreeParserCtxt(ctxt);
    *out = doc;
    return st;
}

/* ==== Streaming ==== */

#define STREAM_CHUNK 4096 /* bytes given to the push parser at a time */

typedef struct xstream {
    nb_xml_sink sink; /* first: parser_serror and refuse_subset take the
                         parser's _private as the sink */
    const nb_xml_handlers *h;
    void *u;
    size_t depth;     /* elements open */
    size_t max_depth; /* libxml2's own limit, which its push parser (2.9)
                         does not apply */
    bool stopped;     /* refused here: reported */
} xstream;

static void stream_serror(void *user, nb_xml_err_arg err)
{
    xstream *s = ((xmlParserCtxtPtr)user)->_private;

    if (!s->stopped)
        nb_xml_sink_error(&s->sink, (xmlErrorPtr)err);
}

/* Elements nested deeper than the limit: stop, located. */
static void too_deep(xmlParserCtxtPtr ctxt, xstream *s)
{
    nb_loc loc = {s->sink.file, (uint32_t)xmlSAX2GetLineNumber(ctxt),
                  (uint32_t)xmlSAX2GetColumnNumber(ctxt), s->sink.where};

    if (!s->stopped) {
        nb_diag_add(s->sink.dl, NB_XML_TOO_DEEP, &loc,
                    _("elements are nested more than %d deep"),
                    (int)s->max_depth);
        s->sink.n_errors++;
        s->stopped = true;
    }
    xmlStopParser(ctxt);
}

static void stream_start(void *ctx, const xmlChar *local,
                         const xmlChar *prefix, const xmlChar *uri, int n_ns,
                         const xmlChar **ns, int n_attrs, int n_defaulted,
                         const xmlChar **attrs)
{
    xstream *s = ((xmlParserCtxtPtr)ctx)->_private;

    (void)prefix;
    (void)n_ns;
    (void)ns;
    (void)n_defaulted;
    if (++s->depth > s->max_depth) {
        too_deep(ctx, s);
        return;
    }
    s->h->start(s->u, (const char *)local, (const char *)uri, n_attrs, attrs);
}

static void stream_end(void *ctx, const xmlChar *local, const xmlChar *prefix,
                       const xmlChar *uri)
{
    xstream *s = ((xmlParserCtxtPtr)ctx)->_private;

    (void)local;
    (void)prefix;
    (void)uri;
    if (s->depth-- <= s->max_depth)
        s->h->end(s->u);
}

static void stream_text(void *ctx, const xmlChar *text, int len)
{
    xstream *s = ((xmlParserCtxtPtr)ctx)->_private;

    if (len > 0)
        s->h->text(s->u, (const char *)text, (size_t)len);
}

static xmlParserCtxtPtr stream_parser(xstream *s, const nb_limits *lim)
{
    xmlSAXHandler sax;
    xmlParserCtxtPtr ctxt;
    nb_limits l = nb_limits_resolve(lim);

    memset(&sax, 0, sizeof(sax));
    xmlSAXVersion(&sax, 2);
    sax.startElementNs = stream_start;
    sax.endElementNs = stream_end;
    sax.characters = stream_text;
    sax.cdataBlock = stream_text;
    sax.ignorableWhitespace = NULL;
    sax.internalSubset = refuse_subset;
    sax.externalSubset = refuse_subset;
    sax.serror = stream_serror;
    sax.reference = NULL;
    sax.comment = NULL;
    sax.processingInstruction = NULL;
    ctxt = xmlCreatePushParserCtxt(&sax, NULL, NULL, 0, NULL);
    if (ctxt == NULL)
        return NULL;
    ctxt->_private = s;
    s->max_depth = l.xml_huge ? 2048 : 256;
    xmlCtxtUseOptions(ctxt, XML_PARSE_NONET | XML_PARSE_BIG_LINES |
                                (l.xml_huge ? XML_PARSE_HUGE : 0));
    return ctxt;
}

/* Feed data[0..len) to the parser a chunk at a time, each scanned first. */
static nb_status stream_feed(xmlParserCtxtPtr ctxt, nb_attr_scan *scan,
                             const char *data, size_t len, xstream *s)
{
    size_t off = 0;

    do {
        size_t n = len - off < STREAM_CHUNK ? len - off : STREAM_CHUNK;

        if (!nb_attr_scan_feed(scan, data + off, n)) {
            nb_attr_scan_report(scan, s->sink.file, s->sink.where,
                                s->sink.dl);
            return scan->doctype ? NB_ERR_FORMAT : NB_ERR_LIMIT;
        }
        off += n;
        if (xmlParseChunk(ctxt, data + off - n, (int)n, off == len) != 0 ||
            s->sink.n_errors > 0)
            break;
    } while (off < len);
    return NB_OK;
}

nb_status nb_xml_stream(const char *data, size_t len, const nb_xml_handlers *h,
                        void *u, const char *file, const char *where,
                        nb_code malformed, const nb_limits *lim,
                        nb_diag_list *dl)
{
    xstream s = {{dl, file, where, malformed, 0, false}, h, u, 0, 0, false};
    nb_attr_scan scan;
    nb_xml_scope scope;
    xmlParserCtxtPtr ctxt = stream_parser(&s, lim);
    nb_status st;

    if (ctxt == NULL)
        return nb_diag_nomem(dl, file);
    nb_attr_scan_init(&scan, lim, false);
    scan.no_doctype = true;
    nb_xml_scope_begin(&scope, &s.sink);
    st = stream_feed(ctxt, &scan, data, len, &s);
    nb_xml_scope_end(&scope);
    if (st == NB_OK && (s.sink.n_errors > 0 || !ctxt->wellFormed)) {
        if (s.sink.n_errors == 0) {
            nb_loc loc = {file, 0, 0, where};

            nb_diag_add(dl, malformed, &loc, "%s", _("not well-formed XML"));
        }
        st = NB_ERR_FORMAT;
    }
    xmlFreeDoc(ctxt->myDoc);
    xmlFreeParserCtxt(ctxt);
    return st;
}

bool nb_xml_sax_attr(int n_attrs, const xmlChar **attrs, const char *uri,
                     const char *name, char *out, size_t cap)
{
    int i;

    for (i = 0; i < n_attrs; i++) {
        const xmlChar **a = attrs + 5 * i;
        size_t len = (size_t)(a[4] - a[3]);

        if (strcmp((const char *)a[0], name) != 0 ||
            (uri != NULL &&
             (a[2] == NULL || strcmp((const char *)a[2], uri) != 0)))
            continue;
        if (cap == 0)
            return true;
        if (len >= cap)
            len = cap - 1;
        memcpy(out, a[3], len);
        out[len] = '\0';
        return true;
    }
    return false;
}

bool nb_node_list_push(nb_node_list *l, xmlNode *node)
{
    if (l->n == l->alloc) {
        size_t na = l->alloc == 0 ? 16 : l->alloc * 2;
        xmlNode **nv = realloc(l->v, na * sizeof(*nv));

        if (nv == NULL)
            return false;
        l->v = nv;
        l->alloc = na;
    }
    l->v[l->n++] = node;
    return true;
}
