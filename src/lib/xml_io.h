/* xml_io.h: safe libxml2 parsing with errors bridged into nb_diag_list. */
#ifndef NIANBAO_SRC_LIB_XML_IO_H
#define NIANBAO_SRC_LIB_XML_IO_H

#include "internal.h"

#include <libxml/tree.h>

/* Parse 'len' bytes as XML into a DOM, safely: no network, no external
 * entities, no DTD (a DOCTYPE stops the parse with NB_XML_DTD_FORBIDDEN
 * before any entity is declared), libxml2's default depth and text-size
 * limits. Errors are reported against 'file' (and 'where', the part name
 * inside a package, or NULL), with libxml2's line and column.
 * 'malformed' is the code used for well-formedness errors. 'huge'
 * (nb_limits.xml_huge) lifts libxml2's caps on depth and text size.
 * An element with more attributes than 'lim' allows (NULL: the defaults)
 * is refused before libxml2 sees it (NB_XML_TOO_MANY_ATTRIBUTES,
 * NB_ERR_LIMIT): its duplicate check is quadratic; so is a document of
 * more elements (NB_XML_TOO_MANY_ELEMENTS): its tree's memory.
 * On NB_OK *out is the document (xmlFreeDoc). NB_ERR_FORMAT when the bytes
 * are not well-formed XML (diagnostics added); NB_ERR_NOMEM. */
nb_status nb_xml_parse(xmlDocPtr *out, const char *data, size_t len,
                       const char *file, const char *where, nb_code malformed,
                       bool huge, const nb_limits *lim, nb_diag_list *dl);

/* Counts the attributes of every start tag, XML or HTML (a name outside
 * quotes that is not a value; comments, CDATA, declarations and
 * instructions skipped) in bytes fed
 * in pieces, so that a stream can be refused before libxml2 checks an
 * element's attributes for duplicates, pairwise. */
typedef struct nb_attr_scan {
    size_t max;        /* attributes allowed on one element */
    size_t n;          /* on the current element */
    size_t max_elements; /* elements allowed in the document */
    size_t n_elements;
    uint32_t line;     /* 1-based, of the byte being read */
    uint32_t tag_line; /* where the current element starts */
    int state;
    char quote;
    bool token;        /* inside a name or an unquoted value */
    bool after_eq;     /* an '=' seen, its value not yet */
    const char *close; /* the end of the markup being skipped */
    size_t matched;
    bool no_doctype;   /* set by the caller: refuse a declaration */
    bool doctype;      /* one was seen (<!DOCTYPE …): the scan stopped */
} nb_attr_scan;

/* The limits of 'lim' (NULL: the defaults); 'whole' counts elements too,
 * for a document read into a tree (a stream is not). */
void nb_attr_scan_init(nb_attr_scan *sc, const nb_limits *lim, bool whole);
/* False once an element has more than sc->max attributes, or the
 * document more than sc->max_elements elements; with sc->no_doctype, also
 * at a declaration (a "<!" that opens neither a comment nor CDATA: a
 * DOCTYPE, whose entities a streaming parser would meet before anyone
 * could refuse them), with sc->doctype set. */
bool nb_attr_scan_feed(nb_attr_scan *sc, const char *data, size_t len);
/* NB_XML_TOO_MANY_ATTRIBUTES, NB_XML_TOO_MANY_ELEMENTS or
 * NB_XML_DTD_FORBIDDEN at that element's line. */
void nb_attr_scan_report(const nb_attr_scan *sc, const char *file,
                         const char *where, nb_diag_list *dl);

/* How nb_xml_escape treats characters beyond & < >. */
typedef enum nb_esc {
    NB_ESC_TEXT,    /* parsed element text: kept, CR as &#13; */
    NB_ESC_ATTR,    /* attribute value: also " TAB LF CR as references */
    NB_ESC_VALUE,   /* data in element text: C0 controls but TAB and LF,
                       which XML 1.0 forbids, are dropped */
    NB_ESC_WT_VALUE /* data in <w:t>: as VALUE, and LF becomes <w:br/>,
                       TAB <w:tab/> */
} nb_esc;

/* Append s[0..len) to 'b' escaped for XML content or attributes. */
void nb_xml_escape(nb_buf *b, const char *s, size_t len, nb_esc mode);

/* The attribute 'name' of 'n' copied into arena 'a', or NULL when it is
 * absent (or, with *oom set, when the copy fails). */
const char *nb_xml_attr_dup(nb_arena *a, const xmlNode *n, const char *name,
                            bool *oom);

/* As nb_xml_attr_dup for an attribute of type xs:token: whitespace at
 * either end dropped, inner runs made one space, as the schema compares
 * it (libxml2 leaves the document's value as written). */
const char *nb_xml_token_dup(nb_arena *a, const xmlNode *n, const char *name,
                             bool *oom);

/* True when the xs:token attribute 'name' of 'n' is 'value'. */
bool nb_xml_token_is(const xmlNode *n, const char *name, const char *value);

/* The source line of a node, or 0. */
uint32_t nb_xml_line(const xmlNode *node);

/* True when 'node' is an element named 'name' in namespace 'ns_uri'
 * (NULL: no namespace check). */
bool nb_xml_is(const xmlNode *node, const char *ns_uri, const char *name);

/* The value of the unqualified attribute 'name' of 'n' when it is one
 * text node (as the parser gives it), else NULL. Borrowed from 'n'. */
const char *nb_xml_attr(const xmlNode *n, const char *name);

/* Route libxml2's thread-local generic and structured error handlers into
 * 'dl' for the lifetime of the scope; nb_xml_scope_end restores them. */
typedef struct nb_xml_scope {
    void *old_generic_ctx;
    void *old_generic;
    void *old_structured_ctx;
    void *old_structured;
    struct nb_xml_sink *sink;
} nb_xml_scope;

typedef struct nb_xml_sink {
    nb_diag_list *dl;
    const char *file;
    const char *where;
    nb_code code;    /* code for errors */
    size_t n_errors; /* errors bridged so far */
    bool dtd_seen;   /* a DOCTYPE stopped the parse */
} nb_xml_sink;

void nb_xml_scope_begin(nb_xml_scope *sc, nb_xml_sink *sink);
void nb_xml_scope_end(nb_xml_scope *sc);

/* The structured error callback that writes into an nb_xml_sink
 * (xmlStructuredErrorFunc; its error argument became const in 2.12). */
void nb_xml_sink_error(void *sink, xmlErrorPtr err);

/* What a streamed document's elements and text are given to: the
 * element's local name and namespace URI (NULL: none), its attributes as
 * libxml2's SAX2 gives them (n_attrs groups of five: local name, prefix,
 * URI, value, end of value); text in pieces. */
typedef struct nb_xml_handlers {
    void (*start)(void *u, const char *local, const char *uri, int n_attrs,
                  const xmlChar **attrs);
    void (*end)(void *u);
    void (*text)(void *u, const char *s, size_t len);
} nb_xml_handlers;

/* Parse data[0..len) as nb_xml_parse does (no network, no DTD: a DOCTYPE
 * is refused before libxml2 meets it; attribute counts checked first;
 * errors located against 'file' and 'where'), but through libxml2's
 * SAX2 push parser in chunks: no tree is built, and memory holds only
 * the parser's window. NB_ERR_FORMAT when not well-formed (reported),
 * NB_ERR_LIMIT, NB_ERR_NOMEM. */
nb_status nb_xml_stream(const char *data, size_t len, const nb_xml_handlers *h,
                        void *u, const char *file, const char *where,
                        nb_code malformed, const nb_limits *lim,
                        nb_diag_list *dl);

/* The value of the attribute 'name' in namespace 'uri' of a SAX2
 * attribute array copied into out[0..cap) (cut to fit); false when absent. */
bool nb_xml_sax_attr(int n_attrs, const xmlChar **attrs, const char *uri,
                     const char *name, char *out, size_t cap);

/* A growing list of nodes (the caller frees v). */
typedef struct nb_node_list {
    xmlNode **v;
    size_t n;
    size_t alloc;
} nb_node_list;

/* Append 'node' to 'l'; false when out of memory (l unchanged). */
bool nb_node_list_push(nb_node_list *l, xmlNode *node);

#endif /* NIANBAO_SRC_LIB_XML_IO_H */
