/* tmpl_compile.h: what the files of the template compiler share.
 *
 * nb_tmpl_compile_part (tmpl_parse.c) compiles one part of a DOCX template
 * into nodes in steps, each in a file of its own: tmpl_join.c joins the
 * tags that Word split over runs and marks paragraphs by what they hold,
 * tmpl_tag.c reads each tag and lists it for check-template, tmpl_mark.c
 * marks the table rows and cells whose tags work on them, and tmpl_parse.c
 * serialises the marked DOM into node trees. Private to those files.
 */
#ifndef NIANBAO_SRC_LIB_TMPL_COMPILE_H
#define NIANBAO_SRC_LIB_TMPL_COMPILE_H

#include "tmpl.h"
#include "xml_io.h"

#include <libxml/tree.h>

#define W_NS "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#define MC_NS "http://schemas.openxmlformats.org/markup-compatibility/2006"

/* Is 'n' the WordprocessingML element w:'name'? */
static inline bool is_w(const xmlNode *n, const char *name)
{
    return nb_xml_is(n, W_NS, name);
}

/* ==== Markers ==== */

/* Markers kept in xmlNode._private while a part is compiled: only their
 * addresses matter (defined in tmpl_mark.c). */
extern char nb_tmpl_mark_control;      /* a paragraph of section tags only */
extern char nb_tmpl_mark_cell_control; /* the same inside a table cell */
extern char nb_tmpl_mark_blank;        /* a paragraph without tags or text */
extern char nb_tmpl_mark_lone_field;   /* a paragraph whose text is one field
                                          and blanks: newlines in the value
                                          start new paragraphs */
extern char nb_tmpl_mark_control_row;  /* a table row of section tags only */
extern char nb_tmpl_mark_row_edge;     /* a cell control paragraph whose tags
                                          work on its row: first in the row's
                                          first cell or last in its last cell */
extern char nb_tmpl_mark_loop_table;   /* a table with tags working on its
                                          rows */
extern char nb_tmpl_mark_cell_loop;    /* a cell paragraph of section tags
                                          whose sections open and close in its
                                          cell: they work on the cell's
                                          paragraphs */
extern char nb_tmpl_mark_loop_cell;    /* a cell holding such paragraphs */

/* ==== Tags ==== */

/* What a tag is, by its first character. */
typedef enum tag_kind {
    TAG_FIELD,
    TAG_OPEN,
    TAG_INVERTED,
    TAG_CLOSE,
    TAG_COMMENT,
    TAG_INCLUDE /* {{> path}}, {{> "file.docx"}}: tmpl_include.c */
} tag_kind;

#define MAX_FILTERS 16 /* in one tag */

typedef struct tag {
    tag_kind kind;
    const char *text; /* the trimmed tag between the braces, as written */
    size_t text_len;
    const char *path_text; /* trimmed path, as written */
    size_t path_len;
    const char **path;
    size_t n_path;
    nb_fcall filters[MAX_FILTERS];
    size_t n_filters;
    bool cont; /* {{#name continue}}: lists inside do not restart */
    bool once; /* {{#name if}}: shown once when true, not repeated */
    const char *alias; /* {{#name as x}}: x names the element (arena) */
    const char *literal; /* {{> "file.docx"}}: the file named (arena) */
} tag;

/* ==== The compiler of one part ==== */

typedef struct compiler {
    nb_template *t;
    nb_tpart *part;
    nb_diag_list *dl;
    bool wml; /* a WordprocessingML part */
    bool text; /* a text template (HTML): its fields escape quotes */
    size_t n_tags;
    nb_buf stat; /* static bytes not yet flushed into a node */
    nb_buf scratch;
    nb_buf rec; /* the text of the tag being listed */
    nb_buf scratch2;
    nb_buf fold; /* a tag's text, folded (nb_tmpl_fold_tag) */
    struct frame *frames;
    size_t n_frames;
    size_t alloc_frames;
    bool oom;
    bool quiet;           /* tags were checked already: do not report twice */
    uint32_t paragraph;   /* w:p elements met so far in the part */
    bool plain;           /* write attributes as they are, without ID nodes */
    bool numbering;       /* word/numbering.xml: mark where new w:num go */
    unsigned in_fallback; /* inside mc:Fallback (below) */
    size_t first_diag;    /* diagnostics there were before this part's */
    nb_buf msg;           /* a report's message */
    struct open_end {     /* the last paragraph with text, if a tag may
                             begin at its end and go on in the next */
        bool unclosed;    /* its "{{" is never closed */
        bool brace;       /* it ends with one opening brace */
        const xmlNode *story; /* the text box or note it is in, or NULL */
        unsigned in_fallback; /* as c->in_fallback in it */
        uint32_t line;
        nb_buf text; /* its text from the "{{" or the brace on */
    } open;
} compiler;

/* Report a problem found at 'line' of the part being compiled. Word writes
 * a text box twice, as DrawingML in mc:Choice and as VML in mc:Fallback: a
 * problem in the copy is not reported a second time. */
void nb_tmpl_report(compiler *c, nb_code code, uint32_t line, const char *fmt,
                    ...) __attribute__((format(printf, 4, 5)));

/* ==== Reading tags (tmpl_tag.c) ==== */

/* Parse the text between "{{" and "}}". False (and a diagnostic) when it is
 * not a valid tag. */
bool nb_tmpl_parse_tag(compiler *c, tag *tg, const char *s, size_t len,
                       uint32_t line);

/* Add the tag raw[0..len) (between its braces), found at text[a..b) of its
 * paragraph, to the template's list, whether it is valid ('parsed', as
 * nb_tmpl_parse_tag read it) or not. */
void nb_tmpl_record_tag(compiler *c, const char *raw, size_t len,
                        const tag *parsed, bool valid, uint32_t line,
                        const char *text, size_t text_len, size_t a, size_t b);

/* ==== Joining tags split over runs (tmpl_join.c) ==== */

/* The <w:t> elements of a paragraph, in document order. */
typedef nb_node_list wt_list;

/* Collect the <w:t> of paragraph 'n' (not those of paragraphs nested in
 * text boxes, nor deleted ones) into 'l' and check whether it could vanish
 * as a control paragraph (*plain). False when out of memory; the caller
 * frees l->v either way. */
bool nb_tmpl_collect_wt(const xmlNode *n, wt_list *l, bool *plain);

/* Tracked changes: what a reviewer deleted (w:del, and w:moveFrom, the old
 * place of moved text) is not part of the text, and its tags are not
 * read. */
bool nb_tmpl_is_deleted(const xmlNode *n);

/* Are the tags of text node 'n' read? In WordprocessingML only those of a
 * <w:t> that was not deleted: not field codes (w:instrText), nor deleted
 * text (w:delText). */
bool nb_tmpl_is_tag_text(const compiler *c, const xmlNode *n);

/* Set the text of a <w:t> (or of a text node) to s[0..len). */
void nb_tmpl_set_text(xmlNode *t, const char *s, size_t len);

/* Is paragraph 'p' inside a table cell (and not in a text box there)? */
bool nb_tmpl_in_cell(const xmlNode *p);

/* Paragraph 'p' (text s[0..len)) follows one whose end may begin a tag,
 * or the part ends (p NULL): report that tag, as one cut by the paragraph
 * break when 'p' begins with its end. Returns the offset in 's' of the
 * "}}" that ends it, or SIZE_MAX. */
size_t nb_tmpl_settle_open_end(compiler *c, const xmlNode *p, const char *s,
                               size_t len);

/* ==== Paragraphs, rows and cells (tmpl_mark.c, tmpl_split.c) ==== */

/* A section tag of a paragraph, as the row form looks at them. */
typedef struct ptag {
    xmlNode
        *wt; /* the <w:t> that holds it whole (nb_tmpl_normalise_paragraph) */
    size_t off; /* its bytes in the text of 'wt' */
    size_t len;
    bool blank_before; /* only blanks since the previous tag or the start */
    tag tg;
} ptag;

typedef struct ptag_list {
    ptag *v;
    size_t n;
    size_t alloc;
    bool blank_after; /* only blanks after the last tag */
} ptag_list;

/* The first (or last) cell of row 'tr', looking into the content
 * controls and custom XML elements that wrap cells; NULL if none. */
xmlNode *nb_tmpl_row_cell(const xmlNode *tr, bool last);

/* Read the valid tags of paragraph 'p', in order (quietly: the
 * paragraph's bad tags were reported). A paragraph with a bad tag gives
 * none. The caller frees out->v. */
nb_status nb_tmpl_paragraph_tags(compiler *c, xmlNode *p, ptag_list *out);

/* A section whose opening and closing tags sit in different paragraphs
 * of one container, with text around them: each such tag moves into a
 * paragraph of its own, splitting its paragraph there, so that the
 * section repeats the paragraphs between (tmpl_split.c). Runs after the
 * tags were joined and before rows and cells are marked. */
nb_status nb_tmpl_split_sections(compiler *c, xmlNode *root);

/* Join split tags in one paragraph; mark it when it holds section tags
 * only, or one field only. */
nb_status nb_tmpl_normalise_paragraph(compiler *c, xmlNode *p);

/* Join the tags of the text nodes in 'n', its siblings and all they hold:
 * outside WordprocessingML (the document properties), each text node is
 * read on its own. */
nb_status nb_tmpl_normalise_text(compiler *c, xmlNode *n);

/* ==== Table rows and cells (tmpl_mark.c) ==== */

/* Content of a cell (ECMA-376 EG_BlockLevelElts); other children, such
 * as w:tcPr and bookmarks, are not. */
bool nb_tmpl_is_block(const xmlNode *n);

/* The first (or last) child of 'parent' that 'kind' accepts; NULL if
 * none. */
xmlNode *nb_tmpl_edge_child(const xmlNode *parent, bool last,
                            bool (*kind)(const xmlNode *));

/* The table a row belongs to (its parent, unless the row is inside a
 * content control); NULL if none. */
xmlNode *nb_tmpl_row_table(const xmlNode *tr);

/* The paragraph at the start of the first cell of 'tr' (or at the end of
 * its last cell), when it carries 'mark'. */
xmlNode *nb_tmpl_row_edge(const xmlNode *tr, bool last, const void *mark);

/* Join the tags of every paragraph in 'n' and its siblings, and all they
 * hold, and mark the paragraphs, rows and cells whose tags work on them. */
nb_status nb_tmpl_normalise(compiler *c, xmlNode *n);

/* ==== Text templates (tmpl_html.c drives these) ==== */

/* Start compiling 'part' as text: no XML, one level for every tag. */
nb_status nb_tmpl_text_begin(compiler *c, nb_template *t, nb_tpart *part,
                             nb_diag_list *dl);

/* Bytes copied to the output as they are. */
void nb_tmpl_text_static(compiler *c, const char *s, size_t len);

/* A tag read with nb_tmpl_parse_tag at 'line'. */
void nb_tmpl_text_tag(compiler *c, const tag *tg, uint32_t line);

/* Report sections never closed, make the part's nodes (part->merged when
 * it has a tag and no error) and free what compiling took. */
nb_status nb_tmpl_text_end(compiler *c);

#endif /* NIANBAO_SRC_LIB_TMPL_COMPILE_H */
