/* tmpl.h: compiled DOCX templates (tmpl_parse.c) and their evaluation
 * (tmpl_eval.c). docs/templates.md is the user's view of the language.
 */
#ifndef NIANBAO_SRC_LIB_TMPL_H
#define NIANBAO_SRC_LIB_TMPL_H

#include "internal.h"
#include "value.h"
#include "zip_io.h"

typedef enum nb_filter {
    NB_FILTER_CN = 0,  /* 1 -> 一 */
    NB_FILTER_CN_DATE, /* 2023-02-08 -> 2023年2月8日 */
    NB_FILTER__COUNT
} nb_filter;

typedef enum nb_tnode_kind {
    NB_T_STATIC = 0, /* bytes copied to the output */
    NB_T_FIELD,      /* a value, escaped */
    NB_T_SECTION,    /* children repeated, shown or hidden */
    NB_T_TABLE,      /* a table whose rows repeat: the next 'len' nodes,
                        left out when none of its rows was written */
    NB_T_ROW         /* a row of that table starts here */
} nb_tnode_kind;

typedef struct nb_tnode nb_tnode;
struct nb_tnode {
    nb_tnode_kind kind;
    const char *s;     /* static bytes */
    size_t len;        /* bytes of 's'; nodes spanned by NB_T_TABLE */
    const char **path; /* field/section path segments; none for "." */
    size_t n_path;
    uint8_t *filters; /* nb_filter values, applied in order */
    size_t n_filters;
    bool in_wt;         /* a field inside <w:t>: newlines become <w:br/> */
    bool inverted;      /* {{^name}} */
    nb_tnode *children; /* section body */
    size_t n_children;
    const char *tag; /* the tag's text, for diagnostics */
    uint32_t line;   /* the tag's line in its part */
};

typedef struct nb_tpart {
    const char *name;         /* part name in the package */
    const unsigned char *raw; /* the part's bytes, copied when not merged */
    size_t raw_len;
    bool merged;      /* has tags: evaluate 'nodes' */
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
    bool broken;     /* loading found errors: parts left uncompiled */
    bool has_errors; /* loading or checking found errors: not rendered */
};

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

/* Is 'name' a part whose tags are merged? */
bool nb_tmpl_part_is_merged(const char *name);

/* Evaluate a part against 'root' into 'out'. Warnings (a filter that could
 * not convert its input) go to 'dl'. */
nb_status nb_tmpl_eval_part(nb_buf *out, const nb_template *t,
                            const nb_tpart *part, const nb_value *root,
                            nb_diag_list *dl);

/* Merge 'root' into every part of 't' and build the package in memory
 * ('name' names the data in messages); nb_render_memory does this with
 * a report's view. Caller frees *out with nb_free(). */
nb_status nb_render_value(void **out, size_t *len_out, const nb_template *t,
                          const nb_value *root, const char *name,
                          nb_diag_list *dl);

/* A filter's name, as written in templates. */
const char *nb_filter_name(nb_filter f);

/* Filter by name; -1 if unknown. */
int nb_filter_lookup(const char *name, size_t len);

/* Apply a filter to 's'; *ok is false when the input does not convert (the
 * result is then 's' unchanged). Result is in 'scratch' or 's'. */
const char *nb_filter_apply(nb_filter f, const char *s, size_t len,
                            size_t *len_out, nb_buf *scratch, bool *ok);

#endif /* NIANBAO_SRC_LIB_TMPL_H */
