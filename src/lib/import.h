/* import.h: report drafts (.docx, .html, .txt) read into the report model.
 *
 * Each reader turns its file into a list of paragraphs of plain text with
 * what the format tells of them (a heading level from a style, an ordinal
 * from automatic numbering, bold); import.c recognises the report's
 * structure in that list, the same for every format (docs/import.md).
 */
#ifndef NIANBAO_SRC_LIB_IMPORT_H
#define NIANBAO_SRC_LIB_IMPORT_H

#include "model.h"

typedef struct nb_ipara {
    const char *text; /* trimmed UTF-8; an automatic ordinal is prepended */
    uint32_t line;    /* the paragraph's place in its source, from 1 */
    unsigned level;   /* outline level from a Heading style, 1-9; 0 none */
    bool bold;        /* all of its text is bold (or 黑体, 楷体) */
    unsigned face;    /* all 黑体: 1; all 楷体: 2 (GB/T 9704's heading
                         levels); 0 */
} nb_ipara;

/* The paragraphs of a draft, in an arena of their own that is released
 * once the report is built (the report keeps copies of what it uses). */
typedef struct nb_idoc {
    nb_report *r;
    nb_arena *texts;
    const char *where; /* the part, "word/document.xml", or NULL */
    nb_ipara *p;
    size_t n;
    size_t cap;
    bool oom;
} nb_idoc;

/* Trim s[0..len) of blanks, full-width spaces and no-break spaces. */
void nb_idoc_trim(const char **s, size_t *len);

/* A new paragraph of s[0..len) (trimmed of blanks, full-width spaces and
 * no-break spaces); nothing when blank. False when out of memory. */
bool nb_idoc_add(nb_idoc *d, const char *s, size_t len, uint32_t line,
                 unsigned level, bool bold);

/* Recognise the structure in d's paragraphs and fill d->r: title, meta,
 * preamble, sections, areas, items. Every guess is a located note. The
 * figures are not looked at (nb_import_figures, once d's paragraphs are
 * released). */
nb_status nb_import_build(nb_idoc *d, const nb_import_opts *o,
                          nb_diag_list *dl);

/* The figures of the built report's prose that name their indicator
 * plainly made metrics with references (import_figures.c); notes in
 * 'dl'. NB_ERR_NOMEM only. */
nb_status nb_import_figures(nb_report *r, const nb_catalog *cat,
                           nb_diag_list *dl);

/* The readers: data[0..len) into d's paragraphs (and d->r's meta, from an
 * article page's metadata). */
nb_status nb_import_txt(nb_idoc *d, const char *data, size_t len,
                        nb_diag_list *dl);
nb_status nb_import_html(nb_idoc *d, const char *data, size_t len,
                         const nb_limits *lim, nb_diag_list *dl);
nb_status nb_import_docx(nb_idoc *d, const char *data, size_t len,
                         const nb_limits *lim, nb_diag_list *dl);

/* The page around a report (import_page.c): the index of the first
 * paragraph from i that is neither the page's metadata (read into meta)
 * nor its chrome, and the end of the body before n without the page's
 * chrome after it; each line left out a note in 'dl'. */
size_t nb_import_page_head(nb_idoc *d, size_t i, size_t n, nb_diag_list *dl);
size_t nb_import_page_tail(nb_idoc *d, size_t from, size_t n,
                           nb_diag_list *dl);

/* The meta field that the metadata label at s names (索引号, 发布机构,
 * 成文日期 …), the label's length in *klen; NULL if none. */
const char **nb_import_meta_field(nb_meta *m, const char *s, size_t *klen);

/* The value of a Chinese numeral 一 … 九十九 at s (its length in *len_out),
 * or 0. */
unsigned nb_cn_numeral(const char *s, size_t *len_out);

#endif /* NIANBAO_SRC_LIB_IMPORT_H */
