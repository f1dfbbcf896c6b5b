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

typedef struct nb_para {
    const char *text;
    nb_loc loc;
} nb_para;

typedef struct nb_item nb_item;
struct nb_item {
    const char *lead; /* lead phrase without its full stop, or NULL */
    const char *text; /* or NULL */
    bool numbered;    /* false under numbering="none" */
    bool run_in;      /* nested items go inside this paragraph */
    nb_item *items;   /* nested items */
    size_t n_items;
    nb_loc loc;
};

typedef struct nb_area {
    const char *title;
    bool run_in;   /* layout="run-in" */
    bool numbered; /* numbering="auto" (its items get ordinals) */
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
    nb_area *areas;
    size_t n_areas;
    nb_para *closing;
    size_t n_closing;
    nb_loc loc;
} nb_section;

typedef struct nb_metric {
    const char *code;
    const char *value; /* as written: a decimal number */
    const char *unit;  /* or NULL */
    const char *note;  /* or NULL */
    nb_loc loc;
} nb_metric;

typedef struct nb_meta {
    const char *issuer;       /* 发布机构 */
    int year;                 /* the year reported on */
    const char *year_text;    /* the same, as text */
    const char *date;         /* 成文日期, YYYY-MM-DD, or NULL */
    const char *index_number; /* 索引号 */
    const char *doc_number;   /* 文号 */
    const char *disclosure;   /* 公开方式 */
    const char *addressee;    /* 主送机关 */
    const char *signer;       /* 署名; the issuer when not given */
    bool signer_default;      /* the data gave no signer */
} nb_meta;

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
};

/* A new, empty report whose strings will live in its own arena. */
nb_report *nb_report_new(const char *file);

/* "measures" … "other". */
const char *nb_section_kind_name(nb_section_kind kind);

/* The title a section of this kind has when the data gives none, for a
 * report on 'year'. Allocated in the report's arena. */
const char *nb_section_default_title(nb_report *r, nb_section_kind kind,
                                     int year);

/* The title a report has when the data gives none. */
const char *nb_report_default_title(nb_report *r);

#endif /* NIANBAO_SRC_LIB_MODEL_H */
