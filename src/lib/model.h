/* model.h: the report model, the one in-memory form every reader builds and
 * every later stage (rules, templates) reads (DESIGN.md, "Data model").
 *
 * All strings and arrays live in the report's arena; nb_report_free frees
 * the whole tree. Every node keeps the place it came from.
 */
#ifndef NIANBAO_SRC_LIB_MODEL_H
#define NIANBAO_SRC_LIB_MODEL_H

#include "internal.h"

typedef enum nb_section_kind {
    NB_SECTION_MEASURES = 0,     /* 主要举措和成效 */
    NB_SECTION_SHORTCOMINGS = 1, /* 存在的不足和原因 */
    NB_SECTION_DUTIES = 2,       /* 第一责任人职责 */
    NB_SECTION_PLANS = 3,        /* 下一年度主要安排 */
    NB_SECTION_OTHER = 4         /* 其他需要报告的情况 */
} nb_section_kind;

/* Narrative text (paragraphs, item texts, summaries) may refer to a
 * metric. A reference is kept in the text as NB_REF_OPEN, the indicator
 * code, optionally "." and a field ("value", "yoy"), and NB_REF_CLOSE:
 * two control characters no reader lets through from a file. The report
 * XML writes it as <m code="…"/>, a CSV form as {{code}}; the template's
 * view holds the formatted figure instead. */
#define NB_REF_OPEN '\x1e'
#define NB_REF_CLOSE '\x1f'

/* The longest text built from a report (a paragraph with its references,
 * a converted report): above what any input limit lets in, so that only
 * the input limits bound it. */
#define NB_TEXT_MAX ((size_t)8 << 30)

typedef struct nb_para {
    const char *text;
    nb_loc loc;
} nb_para;

/* How the items of one list are numbered (numbering="…"): AUTO takes the
 * report's default, then the ordinal of the item's place (一是 run in,
 * 1. as paragraphs, （1） nested as paragraphs). Append only. */
typedef enum nb_numbering {
    NB_NUM_AUTO = 0,
    NB_NUM_NONE = 1,    /* no ordinal: a lead phrase alone opens the item */
    NB_NUM_YISHI = 2,   /* 一是 二是 */
    NB_NUM_DECIMAL = 3, /* 1. 2. */
    NB_NUM_PAREN = 4,   /* （1）（2） */
    NB_NUM_DIYI = 5     /* 第一， 第二， */
} nb_numbering;

typedef struct nb_item nb_item;
struct nb_item {
    const char *lead; /* lead phrase without its full stop, or NULL */
    const char *text; /* or NULL */
    bool numbered;    /* false under numbering="none" */
    nb_numbering numbering; /* the style of the list the item is in */
    nb_para *paras;         /* paragraphs that continue the item */
    size_t n_paras;
    bool run_in;      /* nested items go inside this paragraph */
    nb_item *items;   /* nested items */
    size_t n_items;
    nb_loc loc;
};

typedef struct nb_area {
    const char *title;
    bool run_in;   /* layout="run-in" */
    bool numbered; /* numbering is not "none" (its items get ordinals) */
    nb_numbering numbering; /* the style of its items */
    nb_para *paras;
    size_t n_paras;
    nb_item *items;
    size_t n_items;
    nb_loc loc;
} nb_area;

typedef struct nb_section {
    nb_section_kind kind;
    const char *title;  /* from the data or the default for the kind */
    bool title_default; /* the data gave no title */
    nb_para *intro;
    size_t n_intro;
    const char *summary; /* or NULL */
    nb_loc summary_loc;
    nb_area *areas;
    size_t n_areas;
    nb_para *closing;
    size_t n_closing;
    nb_loc loc;
} nb_section;

typedef struct nb_metric {
    const char *code;
    const char *value; /* as written: "130", "20.5", "1万余", "近千" */
    const char *unit;  /* or NULL */
    const char *note;  /* or NULL */
    const char *allow; /* findings acknowledged, "NB5022 NB5020", or NULL */
    const char *reason; /* why they are kept, or NULL */
    bool truncate;     /* a stated rate is cut, not rounded, to its
                          decimals (rounding="truncate", 取舍 截尾) */
    bool allow_used;   /* the rules met a finding it acknowledges */
    nb_loc loc;
    /* filled by the readers from the catalog and the value */
    const nb_indicator *ind;
    double num;        /* the value, scaled: "17.8万" is 178000 */
    bool approx;       /* 余, 多, 近, 约, 超, 逾, or a bare numeral */
    unsigned decimals; /* as written */
    /* filled by the rules (rules.c) */
    bool derived;    /* computed from its formula; not in the data */
    bool has_prev;   /* the previous report gives it */
    double prev_num; /* its value there */
    const char *prev_value;
    bool prev_approx;
} nb_metric;

/* Whether and how the standard template appends a table of the report's
 * figures (附件, GB/T 9704-2012 7.3.7): <figures-table> in the report
 * XML, 附件指标表 in meta.csv. Append only. */
typedef enum nb_figures_table {
    NB_FIGTAB_NONE = 0,    /* no appendix (the default) */
    NB_FIGTAB_CATALOG = 1, /* one table in the catalog's order */
    NB_FIGTAB_GROUP = 2    /* the same, a heading row before each group */
} nb_figures_table;

typedef struct nb_meta {
    const char *issuer;       /* 发布机构 */
    int year;                 /* the year reported on */
    const char *year_text;    /* the same, as text */
    const char *date;         /* 成文日期, YYYY-MM-DD, or NULL */
    const char *index_number; /* 索引号 */
    const char *doc_number;   /* 文号 */
    const char *disclosure;   /* 公开方式 */
    const char *topic;        /* 主题分类 */
    const char *published;    /* 发布日期, YYYY-MM-DD as given, or NULL */
    const char *addressee;    /* 主送机关 */
    const char *signer;       /* 署名; the issuer when not given */
    bool signer_default;      /* the data gave no signer */
    bool seal;                /* 用印: the sealed signature layout */
    nb_profile profile;       /* DEFAULT when the data names none */
    nb_numbering numbering;   /* the default style of areas' items */
    nb_figures_table figures_table; /* the appendix of figures */
    nb_loc date_loc;          /* where the date was given */
} nb_meta;

/* A hash index over a metrics array, by code (model.c). */
typedef struct nb_mindex {
    uint32_t *slot; /* index + 1, 0 = empty; NULL: no index */
    size_t size;    /* a power of two, at least twice the capacity */
} nb_mindex;

/* Index m[0..n) with room for 'cap' metrics in all; false when out of
 * memory. Free with nb_mindex_free. */
bool nb_mindex_build(nb_mindex *ix, const nb_metric *m, size_t n, size_t cap);
/* Enter m[i] (after the build, i < cap). */
void nb_mindex_add(nb_mindex *ix, const nb_metric *m, size_t i);
const nb_metric *nb_mindex_find(const nb_mindex *ix, const nb_metric *m,
                                const char *code, size_t len);
void nb_mindex_free(nb_mindex *ix);

/* A partial report (nb_read_opts.partial) is never written: true, with
 * NB_REPORT_PARTIAL in 'dl', for one. */
bool nb_report_refuse_partial(const struct nb_report *r, nb_diag_list *dl);

struct nb_report {
    nb_arena *arena;
    const char *file; /* the file it was read from */
    nb_meta meta;
    const char *title;  /* from the data or built from issuer and year */
    bool title_default; /* the data gave no title */
    nb_para *preamble;
    size_t n_preamble;
    nb_section *sections;
    size_t n_sections;
    nb_metric *metrics;
    size_t n_metrics;
    bool checked;     /* nb_report_check has run */
    /* Read with errors (nb_read_opts.partial): what could not be read.
     * unread_codes: the indicator codes of metric rows left out, each
     * followed by a space; unread_metric: a metric row whose code itself
     * could not be read; unread_narrative, unread_meta: rows of those
     * forms left out. */
    bool partial;
    bool unread_metric;
    bool unread_narrative;
    bool unread_meta;
    const char *unread_codes;
    nb_mindex mindex; /* over metrics, built by nb_report_check */
};

/* A reference in a text (NB_REF_OPEN … NB_REF_CLOSE). */
typedef struct nb_ref {
    const char *code;
    size_t code_len;
    const char *field; /* "" (the figure and unit), "value" or "yoy" */
    size_t field_len;
} nb_ref;

/* Split a text at its references: returns the length of the plain text at
 * 's' before the next reference, or to the end. When a reference follows,
 * *ref is it and *next points past it; else *next is NULL. */
size_t nb_ref_scan(const char *s, nb_ref *ref, const char **next);

bool nb_ref_field_is(const nb_ref *ref, const char *field);

/* A CSV cell's text with every {{code}}, {{code.value}}, {{code.yoy}} or
 * {{指标名称}} turned into a reference, in arena 'a'; 'text' itself when
 * it has none. NULL after reporting a malformed one against 'loc' and
 * column 'col' (or on no memory, with *oom set). */
const char *nb_refs_from_csv(nb_arena *a, const char *text,
                             const nb_catalog *cat, const nb_loc *loc,
                             const char *col, nb_diag_list *dl, bool *oom);

/* Read report XML with the catalog of 'o' (read_xml.c). */
nb_status nb_read_xml_memory(nb_report **out, const char *data, size_t len,
                             const char *name, const nb_read_opts *o,
                             nb_diag_list *dl);
nb_status nb_read_xml_file(nb_report **out, const char *path,
                           const nb_read_opts *o, nb_diag_list *dl);

/* The bytes of the file that says who sent a zipped submission: its
 * report XML, or its form set's meta.csv (*meta_out); for a look at an
 * office and year when the submission itself does not read. Nothing is
 * reported; NB_ERR_FORMAT when the zip holds neither. Caller frees *out. */
nb_status nb_zip_peek(char **out, size_t *len_out, bool *meta_out,
                      const char *data, size_t len, const char *name,
                      const nb_limits *limits);

/* Read a zipped submission, data[0..len) named 'name' (read_zip.c): one
 * report XML, or one form set, at the top or in one folder. A zip that
 * holds neither, or more than one, is reported (NB_SUBMISSION_ZIP_CONTENTS)
 * with *out NULL and NB_OK; a damaged zip, an unsafe entry name or a limit
 * are failures (NB_ERR_FORMAT, NB_ERR_LIMIT). Otherwise as the reader of
 * what it holds; messages name entries "name/entry". */
nb_status nb_read_zip_memory(nb_report **out, const char *data, size_t len,
                             const char *name, const nb_read_opts *o,
                             nb_diag_list *dl);

/* Read a workbook (read_xlsx.c), data[0..len) named 'name': one sheet
 * per form of a form set, read as nb_form_files_read reads CSV forms; or
 * a workbook of one form, checked on its own (*one_form_out set, *out
 * NULL). 'one_form_out' NULL: a workbook of one form is reported as not a
 * whole report. Findings name the sheet ("name/指标") and the cell. */
nb_status nb_xlsx_read_memory(nb_report **out, bool *one_form_out,
                              const char *data, size_t len, const char *name,
                              const nb_read_opts *o, nb_diag_list *dl);

/* nb_xlsx_read_memory on the file at 'path' (within the input limit), a
 * workbook of one form reported as not a whole report. */
nb_status nb_xlsx_read_report(nb_report **out, const char *path,
                              const nb_read_opts *o, nb_diag_list *dl);

/* Fill m->ind, num, approx and decimals from m->code and m->value, which
 * nb_metric_check has accepted. */
void nb_metric_settle(nb_metric *m, const nb_catalog *c);

/* The metric with this code ('len' bytes), or NULL. */
const nb_metric *nb_report_metric(const nb_report *r, const char *code);
const nb_metric *nb_report_metric_n(const nb_report *r, const char *code,
                                    size_t len);

/* Call 'fn' for every text of the report that may hold references, with
 * its place. Stops when 'fn' returns false. */
typedef bool (*nb_text_fn)(const char *text, const nb_loc *loc, void *ctx);
bool nb_report_each_text(const nb_report *r, nb_text_fn fn, void *ctx);

/* A new, empty report whose strings will live in its own arena. */
nb_report *nb_report_new(const char *file);

/* Read a numbering style as report XML and the forms write it ("auto",
 * "none", "一是", "1.", "（1）", "第一") or as a clerk types it ("自动",
 * "不编号", "(1)", "1、", "第一，"); false when 's' is none of them. */
bool nb_numbering_parse(const char *s, nb_numbering *out);
/* The spelling report XML writes: "auto", "none", "一是", "1.", "（1）",
 * "第一". */
const char *nb_numbering_name(nb_numbering n);

/* The figures-table value 's' (catalog, group, none, true, false, 是,
 * 否, 分类, or "" for catalog) as *out; false when it is none of them. */
bool nb_figures_table_parse(const char *s, nb_figures_table *out);

/* The report XML name of 'f' ("catalog", "group"; "none"). */
const char *nb_figures_table_name(nb_figures_table f);
/* The style a list of items at this place prints: 'n' itself unless AUTO,
 * then the report default 'dflt' for an area's items ('top'), else 一是 for
 * run-in items, 1. for an area's paragraph items, （1） below them. */
nb_numbering nb_numbering_resolve(nb_numbering n, nb_numbering dflt, bool top,
                                  bool run_in);
/* Append the ordinal of the i-th item (from 0) in style 'n' (not AUTO) to
 * 'b': "三是", "3.", "（3）", "第三，", "" for NONE. */
void nb_ordinal_append(nb_buf *b, nb_numbering n, size_t i);

/* "measures" … "other". */
const char *nb_section_kind_name(nb_section_kind kind);

/* The title a section of this kind has when the data gives none, for a
 * report on 'year'. Allocated in the report's arena. */
const char *nb_section_default_title(nb_report *r, nb_section_kind kind,
                                     int year);

/* The title a report has when the data gives none. */
const char *nb_report_default_title(nb_report *r);

/* The length bound of a text item of the meta (and the report's title),
 * the same in report XML (schemas/report.xsd maxLength), the forms and
 * workbooks: room for twice the longest published value. */
typedef struct nb_meta_bound {
    const char *key;     /* the forms' code: "issuer", "title" */
    const char *element; /* report XML's element: "index-number" */
    const char *label;   /* the forms' title: "发布机构" */
    size_t max_chars;    /* code points */
} nb_meta_bound;

/* The bound of the item whose forms' code or XML element is 'name', or
 * NULL (an item with a type of its own: year, dates, enumerations).
 * Static storage. */
const nb_meta_bound *nb_meta_bound_find(const char *name);

/* Report NB_META_TOO_LONG at 'loc' when 'value' (UTF-8) is longer than
 * the bound of item 'name'; true when it is not. */
bool nb_meta_check_length(const char *name, const char *value,
                          const nb_loc *loc, nb_diag_list *dl);

/* Report NB_META_TOO_LONG at 'loc': item 'mb' has n characters. */
void nb_meta_report_long(const nb_meta_bound *mb, size_t n,
                         const nb_loc *loc, nb_diag_list *dl);

#endif /* NIANBAO_SRC_LIB_MODEL_H */
