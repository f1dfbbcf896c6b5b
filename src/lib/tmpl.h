/* tmpl.h: compiled DOCX templates (tmpl_parse.c) and their evaluation
 * (tmpl_eval.c). docs/templates.md is the user's view of the language.
 */
#ifndef NIANBAO_SRC_LIB_TMPL_H
#define NIANBAO_SRC_LIB_TMPL_H

#include "internal.h"
#include "value.h"
#include "zip_io.h"

struct _xmlNode; /* libxml2 */
struct _xmlAttr;

/* Filters (tmpl_filter.c, docs/templates.md "Filters"). Append only. */
typedef enum nb_filter {
    NB_FILTER_CN = 0,        /* 1 -> 一 */
    NB_FILTER_CN_DATE,       /* 2023-02-08 -> 2023年2月8日 */
    NB_FILTER_CN_PAREN,      /* 1 -> （一） */
    NB_FILTER_CN_DUN,        /* 1 -> 一、 */
    NB_FILTER_CN_SHI,        /* 1 -> 一是 */
    NB_FILTER_CN_DI,         /* 1 -> 第一 */
    NB_FILTER_CN_YEAR,       /* 2023 -> 二〇二三 */
    NB_FILTER_CN_DATE_HANZI, /* 2023-02-08 -> 二〇二三年二月八日 */
    NB_FILTER_THOUSANDS,     /* 1234567 -> 1,234,567 */
    NB_FILTER_FIXED,         /* fixed:2: 3.14159 -> 3.14 */
    NB_FILTER_PERCENT,       /* 0.981 -> 98.1% */
    NB_FILTER_DEFAULT,       /* default:"无": "" -> 无 */
    NB_FILTER_UPPER,         /* ASCII a-z -> A-Z */
    NB_FILTER_LOWER,         /* ASCII A-Z -> a-z */
    NB_FILTER_PICTURE,       /* picture:60mm,40mm: the value is a picture */
    NB_FILTER_ALT,           /* alt:"…": the picture's alternative text */
    NB_FILTER__COUNT
} nb_filter;

/* The argument a filter takes after ':'. */
typedef enum nb_farg {
    NB_FARG_NONE = 0,     /* none */
    NB_FARG_DECIMALS,     /* a number of decimals, 0-6, required */
    NB_FARG_DECIMALS_OPT, /* the same, optional */
    NB_FARG_TEXT,         /* any text, usually quoted, required */
    NB_FARG_BOX           /* a picture's box "W,H", optional */
} nb_farg;

/* One filter of a tag, with its argument. */
typedef struct nb_fcall {
    nb_filter f;
    int decimals;     /* NB_FARG_DECIMALS*: 0-6, or -1 when not given */
    const char *text; /* NB_FARG_TEXT, NB_FARG_BOX: the text, NUL-terminated */
    size_t text_len;
    int64_t box_w; /* NB_FARG_BOX: the box in EMU; 0 for a side not given */
    int64_t box_h;
} nb_fcall;

typedef enum nb_tnode_kind {
    NB_T_STATIC = 0, /* bytes copied to the output */
    NB_T_FIELD,      /* a value, escaped */
    NB_T_SECTION,    /* children repeated, shown or hidden */
    NB_T_TABLE,      /* a table whose rows repeat: the next 'len' nodes,
                        left out when none of its rows was written */
    NB_T_ROW,        /* a row of that table starts here */
    NB_T_CELL,       /* a cell whose paragraphs repeat: the next 'len'
                        nodes, then 's' (an empty paragraph) unless they
                        ended the cell with a paragraph */
    NB_T_BLOCK,      /* a block of that cell starts here: 'sub' is 1 for
                        a paragraph */
    NB_T_ID,         /* an ID attribute's value in repeated content:
                        'sub' is an nb_id_kind, 'id' the template's value */
    NB_T_NUMID,      /* a paragraph's w:numId value: 'id' in the template,
                        renumbered where a loop restarts that list */
    NB_T_MARK,       /* a bookmark or comment mark: the next 'len' nodes,
                        'sub' an nb_mark_kind; left out when 'drop' or,
                        for a comment mark, when written already */
    NB_T_NUMS        /* numbering.xml: the w:num a render added */
} nb_tnode_kind;

#define NB_NO_SLOT UINT32_MAX

/* What an NB_T_ID node renumbers. */
typedef enum nb_id_kind {
    NB_ID_DRAWING = 0,   /* wp:docPr/@id, pic:cNvPr/@id */
    NB_ID_BOOKMARK,      /* w:bookmarkStart/@w:id, w:bookmarkEnd/@w:id */
    NB_ID_BOOKMARK_NAME, /* w:bookmarkStart/@w:name: 's' */
    NB_ID_PARA           /* w14:paraId, 8 hexadecimal digits */
} nb_id_kind;

typedef enum nb_mark_kind {
    NB_MARK_BOOKMARK_START = 0, /* w:bookmarkStart */
    NB_MARK_BOOKMARK_END,       /* w:bookmarkEnd */
    NB_MARK_COMMENT             /* w:commentRangeStart, End or Reference */
} nb_mark_kind;

typedef struct nb_tnode nb_tnode;
struct nb_tnode {
    nb_tnode_kind kind;
    const char *s;     /* static bytes */
    size_t len;        /* bytes of 's'; nodes spanned by NB_T_TABLE */
    const char **path; /* field/section path segments; none for "." */
    size_t n_path;
    nb_fcall *filters; /* applied in order */
    size_t n_filters;
    bool in_wt;     /* a field inside <w:t>: tabs become <w:tab/>, newlines
                       <w:br/> or, with 'nl', new paragraphs */
    bool quotes;    /* a field of an HTML template: quotes are escaped too,
                       so that a value in an attribute stays in it */
    const char *nl; /* a field alone in its paragraph: the bytes that end
                       the paragraph and start a copy of it, written for
                       each newline in the value; NULL otherwise */
    size_t nl_len;
    bool inverted;      /* {{^name}} */
    bool once;          /* {{#name if}}: children once when true, in the
                           enclosing scope */
    const char *alias;  /* {{#name as x}}: x names each element */
    nb_tnode *children; /* section body */
    size_t n_children;
    const char *tag; /* the tag's text, for diagnostics */
    uint32_t line;   /* the tag's line in its part */
    uint8_t sub;     /* NB_T_BLOCK, NB_T_ID, NB_T_MARK: see there */
    bool drop;       /* NB_T_MARK: never written */
    bool vanished;   /* NB_T_MARK: a mark of a paragraph that vanished
                        (len 0), noted so that its other half goes too */
    uint32_t id;     /* NB_T_ID, NB_T_NUMID, NB_T_MARK: template value */
    uint32_t slot;   /* NB_T_ID, NB_T_MARK: the render's slot for it, or
                        NB_NO_SLOT (written as in the template) */
    const uint32_t *restart; /* NB_T_SECTION: w:numId values whose lists
                                restart in every element of a list */
    size_t n_restart;
};

typedef struct nb_tpart {
    const char *name;         /* part name in the package */
    const unsigned char *raw; /* the part's bytes, copied when not merged */
    size_t raw_len;
    bool merged;      /* has tags: evaluate 'nodes' */
    bool unreferenced; /* no relationship reaches it: copied (tmpl_reach.c) */
    bool numbering;   /* word/numbering.xml: 'blob' when no list restarted,
                         else 'nodes' with the render's w:num added */
    nb_zip_blob blob; /* not merged: deflated once, copied */
    nb_tnode *nodes;
    size_t n_nodes;
} nb_tpart;

struct nb_template {
    nb_arena *arena;
    const char *file;      /* the name it was loaded under */
    nb_zip_entry *entries; /* owns the raw bytes */
    size_t n_entries;
    nb_tpart *parts; /* one per entry, same order */
    size_t n_parts;
    nb_limits limits;
    nb_template_tag *tags; /* every tag, as the compiler met them */
    size_t n_tags;
    size_t alloc_tags;
    bool html;       /* an HTML template (tmpl_html.c): one part, text */
    bool broken;     /* loading found errors: parts left uncompiled */
    bool has_errors; /* loading or checking found errors: not rendered */
    /* IDs (tmpl_ids.c): the largest in any merged part, so that repeated
     * content gets new ones above them */
    uint32_t max_drawing_id;
    uint32_t max_bookmark_id;
    uint32_t max_para_id;
    char **bookmark_names; /* every w:bookmarkStart/@w:name (malloc'd) */
    size_t n_bookmark_names;
    size_t alloc_bookmark_names;
    size_t n_slots; /* NB_T_ID and NB_T_MARK slots of all parts */
    /* word/numbering.xml's w:num, by w:numId */
    struct nb_tnum *nums;
    size_t n_nums;
    uint32_t max_num_id;
};

/* A w:num of the template: the list it starts and where its levels start
 * (ECMA-376 §17.9.15, §17.9.26). */
#define NB_NUM_LEVELS 9
typedef struct nb_tnum {
    uint32_t num_id;
    uint32_t abstract_id;
    uint16_t levels;              /* bit i: level i is defined */
    int32_t start[NB_NUM_LEVELS]; /* its start value, or its override */
} nb_tnum;

/* State shared by the parts of one render: the IDs given out, the lists
 * restarted. */
typedef struct nb_id_slot {
    uint64_t stamp; /* the iteration that last gave it a value */
    uint32_t value;
    bool used;  /* written once: later copies get new values */
    bool fresh; /* the current value is a new one */
} nb_id_slot;

typedef struct nb_render_state {
    const nb_template *t;
    const char *data;  /* names the data in messages (nb_render_value's
                          'name'); NULL: "-" */
    nb_id_slot *slots; /* t->n_slots */
    uint64_t n_iters;  /* iterations begun: their stamps */
    uint32_t next_drawing;
    uint32_t next_bookmark;
    uint32_t next_para;
    size_t spent; /* bytes of the parts merged so far: all of them share
                     the output limit */
    char **names; /* bookmark names in the output: a hash set */
    size_t names_cap;
    size_t n_names;
    uint32_t *num_orig; /* w:num added: the w:numId each copies */
    size_t n_num;
    size_t alloc_num;
    nb_buf scratch;
    bool oom; /* a list could not be restarted */
    /* pictures from data (tmpl_picture.c) */
    const struct nb_data_dirs *dirs; /* where their files may be; NULL:
                                        the data file's folder */
    struct nb_pkg_adds *pkg; /* the parts they add; NULL: none written
                                (an HTML page has them inline) */
    size_t picture_errors;   /* pictures refused: nothing is written */
    int64_t text_width;      /* EMU: the body's text width, 0 unknown */
} nb_render_state;

/* Compile one part's XML into nodes. Tags split over runs are joined
 * first. Problems are reported against (file, part name, line). Sets
 * part->merged when the part has at least one tag. */
nb_status nb_tmpl_compile_part(nb_template *t, nb_tpart *part,
                               nb_diag_list *dl);

/* Check the path of every tag of 't' against the data a report's
 * template sees (view.c's nb_view_shape); metric.<code> against 'cat'
 * (NULL: the built-in catalog). Findings go to 'dl'. */
void nb_tmpl_check_paths(const nb_template *t, const nb_catalog *cat,
                         nb_diag_list *dl);
/* The same against the shape of other data ('root': a JSON file's,
 * data_json.c). */
struct nb_vnode;
void nb_tmpl_check_shape(const nb_template *t, const nb_catalog *cat,
                         const struct nb_vnode *root, nb_diag_list *dl);
/* Compile word/numbering.xml: read its w:num (t->nums) and cut it where
 * the w:num of a render go. Sets part->numbering. */
nb_status nb_tmpl_compile_numbering(nb_template *t, nb_tpart *part,
                                    nb_diag_list *dl);

/* The first 60 bytes or so of s[0..len) for a message, into 'b' (reset
 * first): cut on a character, "…" when cut, control characters as
 * spaces. */
void nb_tmpl_excerpt(nb_buf *b, const char *s, size_t len);

/* Report what the template's package would make Word fetch or run
 * (tmpl_active.c): macros, DDE and INCLUDE fields, external targets, OLE
 * objects, altChunks, a DOCTYPE in a part copied unchanged. Located
 * findings go to 'dl'; NB_ERR_NOMEM only. */
nb_status nb_tmpl_scan_active(const nb_template *t, nb_diag_list *dl);

/* Mark the parts no relationship of the package reaches
 * (tmpl_reach.c): they are copied unchanged, never merged. When the
 * relationships cannot be read, none is marked. NB_ERR_NOMEM only. */
nb_status nb_tmpl_mark_unreferenced(nb_template *t);

/* Is 'name' a part whose tags are merged? */
bool nb_tmpl_part_is_merged(const char *name);

/* Evaluate a part against 'root' into 'out'. Problems in the data met
 * while merging (a value a filter cannot convert, characters XML cannot
 * carry) are warnings in 'dl', located where the value came from when
 * its nb_value knows (else in the file 'data', which names the data). */
nb_status nb_tmpl_eval_part(nb_buf *out, const nb_template *t,
                            const nb_tpart *part, const nb_value *root,
                            const char *data, nb_diag_list *dl);

/* As nb_tmpl_eval_part, pictures read from 'dirs' (NULL: the folder of
 * the file 'data'); NB_ERR_FORMAT when a picture was refused. */
struct nb_data_dirs;
nb_status nb_tmpl_eval_part_dirs(nb_buf *out, const nb_template *t,
                                 const nb_tpart *part, const nb_value *root,
                                 const char *data,
                                 const struct nb_data_dirs *dirs,
                                 nb_diag_list *dl);

/* Evaluate a part as one of the parts of a render: IDs and lists are
 * numbered across the parts evaluated with 'rs'. */
nb_status nb_tmpl_eval_part_state(nb_buf *out, nb_render_state *rs,
                                  const nb_tpart *part, const nb_value *root,
                                  nb_diag_list *dl);

/* ==== IDs and lists (tmpl_ids.c) ==== */

/* Note the IDs and bookmark names of a merged part's XML ('root'), so that
 * copies get others. False on OOM. */
bool nb_tmpl_ids_scan(nb_template *t, const struct _xmlNode *root);

/* Is attribute 'a' (its value 'v') of element 'n' one the render writes:
 * an ID that copies must not share, or a paragraph's w:numId? Then *out is
 * its NB_T_ID or NB_T_NUMID node. 'repeated': 'n' is inside a section.
 * Bookmark IDs and names always are (tmpl_ids.c pairs them); *oom is set
 * when a copy fails. */
bool nb_tmpl_id_attr(nb_tnode *out, const struct _xmlNode *n,
                     const struct _xmlAttr *a, const char *v, bool repeated,
                     nb_arena *arena, bool *oom);

/* Read word/numbering.xml's w:num and w:abstractNum into t->nums. False
 * on OOM. */
bool nb_tmpl_numbering_read(nb_template *t, const struct _xmlNode *root);

/* After a part is compiled: pair its bookmarks, give each pair and each
 * NB_T_ID a slot, and drop the bookmarks whose halves are not repeated
 * together (in different section bodies, or one half gone with its
 * paragraph). */
void nb_tmpl_ids_link(nb_template *t, nb_tpart *part);

/* The nb_tnum of 'num_id'; NULL if numbering.xml has none. */
const nb_tnum *nb_tmpl_num(const nb_template *t, uint32_t num_id);

nb_status nb_render_state_init(nb_render_state *rs, const nb_template *t);
void nb_render_state_fini(nb_render_state *rs);

/* Write the value of NB_T_ID 'node' in the iteration 'stamp'. */
void nb_render_id(nb_render_state *rs, nb_buf *out, const nb_tnode *node,
                  uint64_t stamp);

/* Should the comment mark 'node' be written (its first copy only)? */
bool nb_render_mark_first(nb_render_state *rs, const nb_tnode *node);

/* A new w:num restarting the list of 'num_id'; 0 if it has none. */
uint32_t nb_render_num_new(nb_render_state *rs, uint32_t num_id);

/* The w:num elements the render added, for numbering.xml. */
void nb_render_nums_write(const nb_render_state *rs, nb_buf *out,
                          const char *prefix);

/* Merge 'root' into every part of 't' and build the package in memory
 * ('name' names the data in messages); nb_render_memory does this with
 * a report's view. Caller frees *out with nb_free(). */
nb_status nb_render_value(void **out, size_t *len_out, const nb_template *t,
                          const nb_value *root, const char *name,
                          nb_diag_list *dl);
/* As nb_render_value, pictures read from 'dirs' (NULL: the folder of the
 * file 'name'). */
nb_status nb_render_value_dirs(void **out, size_t *len_out,
                               const nb_template *t, const nb_value *root,
                               const char *name,
                               const struct nb_data_dirs *dirs,
                               nb_diag_list *dl);

/* ==== Pictures from data (tmpl_picture.c) ==== */

/* Where a picture field is written, for tmpl_picture.c. */
typedef struct nb_pic_field {
    nb_render_state *rs;
    const nb_tpart *part;   /* NULL in an HTML template */
    const nb_tnode *node;
    const nb_value *root;   /* the data, to place a value by JSON pointer */
    const nb_value *value;  /* the field's value */
    const char *text;       /* its text after the filters before picture */
    size_t text_len;
    nb_diag_list *dl;
} nb_pic_field;

/* The index of the picture filter of a field, or -1. */
int nb_tmpl_picture_filter(const nb_tnode *node);

/* Write the picture of field 'pf' into 'out': a w:drawing inside the run
 * (the field's <w:t> closed before it and opened again after), or an
 * <img> in an HTML template. A value that is not a picture that can be
 * read is a located error (rs->picture_errors counts them) and writes
 * nothing; an empty or missing value writes nothing. */
void nb_tmpl_picture(nb_buf *out, const nb_pic_field *pf);

/* ==== The characters of tags (tmpl_text.c) ==== */

/* Bytes of the tag delimiter at s[i]: "{{" (or "}}" for 'close') with
 * either brace ASCII or full-width (U+FF5B, U+FF5D); 0 if none. */
size_t nb_tmpl_delim_at(const char *s, size_t len, size_t i, bool close);

/* The offset of the first delimiter at or after 'from' (len if none);
 * *width_out is its bytes (0 if none). */
size_t nb_tmpl_find_delim(const char *s, size_t len, size_t from, bool close,
                          size_t *width_out);

/* Does 's' hold a brace, ASCII or full-width, of either kind? */
bool nb_tmpl_has_brace(const char *s, size_t len);

/* Is there a closing brace ('}' or '｝') at s[i]? */
bool nb_tmpl_is_close_brace(const char *s, size_t len, size_t i);

/* Bytes of the space at s[i], 0 if none: an ASCII blank, U+3000 (the
 * full-width space) or a no-break space. */
size_t nb_tmpl_space_at(const char *s, size_t len, size_t i);

/* Append the text between a tag's delimiters to 'out' as the tag parser
 * reads it: outside quotes, U+3000 and no-break spaces become spaces and
 * '｜' becomes '|'; a full-width sigil (＃＾／！, and "……" for '^') becomes
 * ASCII; in the name (up to the first '|') the full-width forms
 * U+FF01-FF5E become ASCII, "。" becomes '.' and "——" '_'. Quoted text
 * after the name (filter arguments: "…", '…', “…”, ‘…’) and the words of
 * a comment are copied as they are. */
void nb_tmpl_fold_tag(nb_buf *out, const char *s, size_t len);

/* ==== Filters (tmpl_filter.c) ==== */

/* A filter's name, as written in templates. */
const char *nb_filter_name(nb_filter f);

/* The argument filter 'f' takes. */
nb_farg nb_filter_arg(nb_filter f);

/* Filter by name; -1 if unknown. */
int nb_filter_lookup(const char *name, size_t len);

/* The filter name closest to name[0..len) (at most two edits, fewer than
 * its length, ASCII case ignored), for "did you mean"; NULL if none. */
const char *nb_filter_suggest(const char *name, size_t len);

/* Every filter name, ", " between them, into 'b'. */
void nb_filter_list(nb_buf *b);

/* A filter call as text, appended to 'b': "cn", "fixed:2",
 * "default:"无"". */
void nb_filter_call_text(nb_buf *b, const nb_fcall *call);

/* Apply a filter call to s[0..len); *ok is false when the input does not
 * convert (the result is then 's' unchanged). The result is in 'scratch'
 * (reset first) or is 's'; *len_out is its length. */
const char *nb_filter_call_apply(const nb_fcall *call, const char *s,
                                 size_t len, size_t *len_out, nb_buf *scratch,
                                 bool *ok);

/* As nb_filter_call_apply for filter 'f' without an argument. */
const char *nb_filter_apply(nb_filter f, const char *s, size_t len,
                            size_t *len_out, nb_buf *scratch, bool *ok);

/* ==== HTML templates (tmpl_html.c) and their writers ==== */

/* Are these the bytes of an HTML template (text starting with '<') rather
 * than a .docx? */
bool nb_tmpl_is_html(const void *data, size_t len);

/* Compile an HTML template (the bytes are copied). With 'keep', *out is
 * the template even when it has errors (marked so). */
nb_status nb_tmpl_html_load(nb_template **out, const void *data, size_t len,
                            const char *name, const nb_limits *limits,
                            bool keep, nb_diag_list *dl);

/* Merge 'root' into an HTML template: the page, or with 'fragment' its
 * <article> element only (html_write.c). Caller frees *out (nb_free). */
nb_status nb_html_render(void **out, size_t *len_out, const nb_template *t,
                         const nb_value *root, const char *name,
                         bool fragment, nb_diag_list *dl);
/* As nb_html_render, pictures read from 'dirs' (NULL: the folder of the
 * file 'name'). */
nb_status nb_html_render_dirs(void **out, size_t *len_out,
                              const nb_template *t, const nb_value *root,
                              const char *name, bool fragment,
                              const struct nb_data_dirs *dirs,
                              nb_diag_list *dl);

/* Merge 'root' into a .docx template's word/document.xml and write its
 * paragraphs as text, one a line (text_write.c). Caller frees *out. */
nb_status nb_text_render(void **out, size_t *len_out, const nb_template *t,
                         const nb_value *root, const char *name,
                         nb_diag_list *dl);

#endif /* NIANBAO_SRC_LIB_TMPL_H */
