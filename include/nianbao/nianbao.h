/* nianbao.h: the public API of libnianbao.
 *
 * libnianbao reads annual-report data (report XML, schemas/report.xsd),
 * validates it, and merges it into a DOCX template (docs/templates.md).
 * The pipeline is: read (nb_report_read_xml) -> validate (done while
 * reading) -> load a template (nb_template_load*) -> render
 * (nb_render_memory / nb_render_file).
 *
 * The pipeline in full: read (nb_report_read: report XML, a form set, a
 * zip) -> check (nb_report_check: the rules; render runs it itself on a
 * report it has not seen) -> load and check a template
 * (nb_template_check) -> render (nb_render_memory / nb_render_file).
 * docs/internals.md describes each stage.
 *
 * Messages: the diagnostics' texts are in the language of the process's
 * locale. The library binds its own gettext domain ("nianbao") on first
 * use, to $NIANBAO_LOCALEDIR when that is set, else to the install
 * prefix's locale folder, so a program needs only setlocale(LC_ALL, "")
 * to get Chinese messages under a Chinese locale (nb_locale_dir tells
 * where they are looked for).
 *
 * Conventions: the library never prints and never exits, and has no
 * mutable global state (but the text domain, bound once). Functions that can fail for operational reasons
 * (I/O, memory, limits) return a negative nb_status and append a
 * diagnostic saying why; problems found in the data are diagnostics only
 * and the function returns NB_OK. Borrowed pointers are tied to the object
 * that returned them. Free functions accept NULL.
 */
#ifndef NIANBAO_NIANBAO_H
#define NIANBAO_NIANBAO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(NB_BUILDING_LIBRARY) && defined(__GNUC__)
#define NB_API __attribute__((visibility("default")))
#else
#define NB_API
#endif

/* ==== Status and diagnostics ==== */

typedef enum nb_status {
    NB_OK = 0,
    NB_ERR_IO = -1,     /* a file could not be opened, read or written */
    NB_ERR_NOMEM = -2,  /* out of memory */
    NB_ERR_FORMAT = -3, /* input too broken to build anything from */
    NB_ERR_LIMIT = -4   /* a safety limit was hit */
} nb_status;

typedef enum nb_severity {
    NB_SEV_NOTE = 0,
    NB_SEV_WARNING = 1,
    NB_SEV_ERROR = 2
} nb_severity;

#define NB_DIAG(name, number, sev, summary) NB_##name = number,
typedef enum nb_code {
    NB_CODE_NONE = 0,
#include <nianbao/diag_codes.def>
} nb_code;
#undef NB_DIAG

/* A place in an input file. */
typedef struct nb_loc {
    const char *file;  /* the file as the user named it; "-" for stdin */
    uint32_t line;     /* 1-based; 0 = the file as a whole */
    uint32_t col;      /* 1-based, in code points; 0 = unknown */
    const char *where; /* optional: a part name such as "word/document.xml";
                          or, starting with '!', the cell of a sheet
                          ("!C14", with file "报告.xlsx/指标") */
} nb_loc;

typedef struct nb_diag {
    nb_code code;
    nb_severity sev;
    nb_loc loc;
    const char *msg; /* one line, translated at the time it was added */
} nb_diag;

typedef struct nb_diag_list nb_diag_list;

/** Create an empty diagnostics list.
 * Returns NULL when out of memory. Caller frees with nb_diag_list_free(). */
NB_API nb_diag_list *nb_diag_list_new(void);

/** Free a diagnostics list and every string it holds. NULL is a no-op. */
NB_API void nb_diag_list_free(nb_diag_list *dl);

/** Number of diagnostics stored (at most the cap; see nb_diag_list_dropped). */
NB_API size_t nb_diag_list_count(const nb_diag_list *dl);

/** The i-th diagnostic, or NULL when i is out of range.
 * Borrowed; valid until the list is changed or freed. */
NB_API const nb_diag *nb_diag_list_at(const nb_diag_list *dl, size_t i);

/** Number of diagnostics of severity 'sev', including dropped ones. */
NB_API size_t nb_diag_list_count_sev(const nb_diag_list *dl, nb_severity sev);

/** Number of diagnostics that were not stored (cap reached or no memory). */
NB_API size_t nb_diag_list_dropped(const nb_diag_list *dl);

/** Sort by file, line, column, then the order they were added. */
NB_API void nb_diag_list_sort(nb_diag_list *dl);

/** Set the maximum number of diagnostics stored (default 1000, minimum 1).
 * Diagnostics beyond it are counted, not stored. */
NB_API void nb_diag_list_set_cap(nb_diag_list *dl, size_t cap);

/** "NB2001" for NB_XML_MALFORMED; "NB0000" for an unknown code.
 * Static storage. */
NB_API const char *nb_code_id(nb_code code);

/** The code's symbolic name without prefix ("XML_MALFORMED"), or NULL
 * for an unknown code. Static storage. */
NB_API const char *nb_code_name(nb_code code);

/** The code's one-line summary, translated. Static storage; NULL for an
 * unknown code. */
NB_API const char *nb_code_summary(nb_code code);

/** What the user can do about a finding of this code, one or two
 * sentences, translated: the text `nianbao explain` prints after the
 * summary. Static storage; NULL for an unknown code. */
NB_API const char *nb_code_help(nb_code code);

/** The code's default severity. */
NB_API nb_severity nb_code_severity(nb_code code);

/** Parse "NB2001", "nb2001" or "2001"; NB_CODE_NONE if unknown. */
NB_API nb_code nb_code_parse(const char *s);

/** Call 'fn' once for every code in the table, in table order. */
NB_API void nb_code_foreach(void (*fn)(nb_code code, void *payload),
                            void *payload);

/** "error", "warning" or "note", translated. Static storage. */
NB_API const char *nb_severity_name(nb_severity sev);

/* ==== Version and memory ==== */

/** The library version, "0.1.0". Static storage. */
NB_API const char *nb_version(void);

/** Levenshtein distance in bytes between two strings of at most 64 bytes,
 * for "did you mean" hints (the library's own, for names of indicators,
 * columns and filters; the command's, for option names); SIZE_MAX for
 * longer ones. */
NB_API size_t nb_edit_distance(const char *a, const char *b);

/** The folder the library's message catalogs are read from (the domain
 * bound if it was not yet), or NULL when built without translations. */
NB_API const char *nb_locale_dir(void);

/** Free memory returned by libnianbao (rendered bytes). NULL is a no-op. */
NB_API void nb_free(void *p);

/** Ask the C library's allocator to keep freed memory for reuse rather
 * than give it back to the system after each large free (glibc: no heap
 * trimming, no mmap for blocks under 64 MiB). A render allocates and
 * frees the same large buffers part after part: with this, rendering the
 * 17-page example in process takes about a quarter of the time. It is
 * process-wide, so the library never does it by itself: call it once at
 * start (the nianbao command does). A no-op where unsupported. */
NB_API void nb_heap_keep(void);

/* ==== Limits ==== */

/* Safety limits for untrusted input. Zero in any field means "default". */
typedef struct nb_limits {
    size_t max_input_bytes;   /* report file size; default 64 MiB */
    size_t max_part_bytes;    /* one part of a template (or file of a
                                 zipped report), unpacked; 64 MiB */
    size_t max_total_bytes;   /* all parts of a template (or files of a
                                 zipped report), unpacked; 256 MiB */
    size_t max_zip_entries;   /* entries in a template or a zipped report;
                                 default 10000 */
    size_t max_output_bytes;  /* one merged part; default 512 MiB */
    size_t max_cell_bytes;    /* one CSV cell; default 1 MiB */
    size_t max_row_cells;     /* cells in one CSV row; default 10000 */
    size_t max_section_depth; /* template sections nested; default 100,
                                 at most 120 */
    bool xml_huge; /* lift libxml2's caps on XML nesting (256 deep) and on
                      one text node (10 MB) to 2048 and 1 GB */
    size_t max_attributes; /* attributes (and namespace declarations) on
                              one XML element; default 1000 */
    size_t max_xlsx_strings; /* a workbook's shared-string table, in
                                memory; default 64 MiB */
    size_t max_sheet_bytes;  /* one sheet of a workbook, unpacked (it is
                                read streaming); default 1 GiB */
    size_t max_elements; /* elements in one XML document read whole (a
                            report, a catalog, a template or workbook
                            part): what its tree takes in memory;
                            default 1,000,000 */
    bool allow_external; /* a template's macros, DDE fields and remote
                            attached template are notes, not errors, and
                            its other external or active content (links,
                            INCLUDE fields, OLE objects) notes, not
                            warnings (docs/templates.md, "External and
                            active content") */
    size_t max_picture_bytes;  /* one picture from data (a file, or a data
                                  URI decoded); default 20 MiB */
    size_t max_pictures_bytes; /* all the pictures of one render, each
                                  counted once; default 100 MiB */
    size_t max_picture_side;   /* a picture's width or height in pixels;
                                  default 30000 */
} nb_limits;

/** The limits used where a field is zero: every default filled in. */
NB_API nb_limits nb_limits_defaults(void);

/* ==== Reports ==== */

typedef struct nb_report nb_report;

/** Read and validate a report XML file (schemas/report.xsd).
 * The XML is parsed with network access, external entities and DTDs off;
 * a DOCTYPE is an error. Every XSD violation is reported, located.
 * On NB_OK, *out is the report when the file was valid, or NULL when the
 * data had errors (all of them in 'dl'); caller frees with
 * nb_report_free(). On failure (cannot read, limit hit) *out is NULL and
 * 'dl' says why. 'limits' may be NULL. */
NB_API nb_status nb_report_read_xml(nb_report **out, const char *path,
                                    const nb_limits *limits, nb_diag_list *dl);

/** As nb_report_read_xml, from memory; 'name' is used in diagnostics. */
NB_API nb_status nb_report_read_xml_memory(nb_report **out, const char *data,
                                           size_t len, const char *name,
                                           const nb_limits *limits,
                                           nb_diag_list *dl);

/** Free a report. NULL is a no-op. */
NB_API void nb_report_free(nb_report *r);

/** The report title: the one in the data or the default built from issuer
 * and year. Borrowed; valid until the report is freed. */
NB_API const char *nb_report_title(const nb_report *r);

/** The issuer (发布机构). Borrowed. */
NB_API const char *nb_report_issuer(const nb_report *r);

/** The year reported on. */
NB_API int nb_report_year(const nb_report *r);

/** Number of sections. */
NB_API size_t nb_report_section_count(const nb_report *r);

/* ==== Form sets: the report as CSV forms (docs/forms.md) ==== */

/* The encoding of a CSV form. */
typedef enum nb_encoding {
    NB_ENC_AUTO = 0,   /* reading: a BOM, else UTF-8, else GB18030;
                          writing: UTF-8 with a BOM */
    NB_ENC_UTF8 = 1,   /* UTF-8, with or without a BOM */
    NB_ENC_GB18030 = 2 /* GB18030, which includes GBK and GB2312 */
} nb_encoding;

/** Parse "auto", "utf-8"/"utf8", "gb18030", "gbk", "gb2312", "cp936"
 * (any case); false for anything else. */
NB_API bool nb_encoding_parse(nb_encoding *out, const char *name);

/** "auto", "UTF-8" or "GB18030". Static storage. */
NB_API const char *nb_encoding_name(nb_encoding enc);

typedef struct nb_catalog nb_catalog;

/* How reports are read. Zero-initialised means: detect the encoding,
 * default limits, the built-in indicator catalog. */
typedef struct nb_read_opts {
    nb_encoding encoding;      /* of CSV forms */
    const nb_limits *limits;   /* NULL: defaults */
    const nb_catalog *catalog; /* NULL: the built-in catalog; it must
                                  outlive the reports read with it */
    bool partial; /* a form set (folder, zip or workbook) with findings in
                     its rows: *out is what could be read, marked partial
                     (nb_report_partial), so that the rules run on it and
                     one run shows everything; never rendered */
} nb_read_opts;

/** Read a form set: a folder with meta.csv (基本信息), narrative.csv
 * (正文) and optionally metrics.csv (指标), each checked against its
 * schema in schemas/forms/ and the indicator catalog. Every finding is
 * reported at once, located as file:row with the column named. Results
 * as for nb_report_read_xml: on NB_OK, *out is the report, or NULL when
 * the data had errors. 'opts' may be NULL. */
NB_API nb_status nb_report_read_forms(nb_report **out, const char *dir,
                                      const nb_read_opts *opts,
                                      nb_diag_list *dl);

/** Read a report from a form set folder, a report XML file, or a zip
 * (named .zip, or starting as a zip does) that holds one report XML or
 * one form set, at its top or in one folder, whichever 'path' is. A zip is
 * read in memory within the limits of 'opts'; GBK entry names are decoded;
 * findings are named "zip/entry". A zip holding no report or more than one
 * is the finding NB_SUBMISSION_ZIP_CONTENTS (NB_OK, *out NULL); a damaged
 * zip or an unsafe entry name is NB_ERR_FORMAT, a limit NB_ERR_LIMIT. */
NB_API nb_status nb_report_read(nb_report **out, const char *path,
                                const nb_read_opts *opts, nb_diag_list *dl);

/** True for a report read with errors (nb_read_opts.partial): the rules
 * check it, skipping what depends on the rows that could not be read
 * (NB5300 says which), and rendering or writing it is refused. */
NB_API bool nb_report_partial(const nb_report *r);

/* What a path given as an input is, as nb_report_read tells it. Append
 * only. */
typedef enum nb_input_kind {
    NB_INPUT_MISSING = 0, /* nothing there, or it cannot be looked at */
    NB_INPUT_FOLDER,      /* a folder: a form set, or one of submissions */
    NB_INPUT_XML,         /* a file read as report XML (any other name) */
    NB_INPUT_ZIP,         /* a zip: named .zip, or starting as one does */
    NB_INPUT_CSV,         /* one CSV form (named .csv) */
    NB_INPUT_OTHER,       /* not a regular file or folder (a FIFO …) */
    NB_INPUT_XLSX         /* a workbook: named .xlsx or .xlsm */
} nb_input_kind;

/** What 'path' is: the same test nb_report_read makes before reading it
 * ("-" is standard input, read as XML). Reads at most the first bytes of
 * a regular file. */
NB_API nb_input_kind nb_input_kind_of(const char *path);

/* ==== Import of drafts ==== */

/* How nb_import_file reads a draft. Zero-initialise. */
typedef struct nb_import_opts {
    const nb_limits *limits;   /* NULL: defaults (input size, zip limits) */
    const nb_catalog *catalog; /* NULL: the built-in catalog */
    bool no_metrics;           /* leave every figure as typed text */
} nb_import_opts;

/** True when 'path' names a draft that nb_import_file reads: .docx, .html,
 * .htm or .txt, in any case. */
NB_API bool nb_import_is_draft(const char *path);

/** Read a report draft: a Word document (.docx), a 政府信息公开 article
 * page (.html, .htm; UTF-8 or the GB18030/GBK its meta tag declares) or
 * pasted text (.txt; UTF-8 or GB18030), by its name. Its structure
 * (title, 主送, preamble, parts and their kinds, areas, items, closing
 * paragraphs, 署名, 成文日期) is recognised from its wording, ordinals and
 * styles; ordinals become structure and numbering style. Every guess is a
 * located note (NB2101); every paragraph lands in the report, in order.
 * On NB_OK *out is the report (nb_report_free), or NULL when the draft had
 * errors; failures as nb_report_read. 'opts' may be NULL. */
NB_API nb_status nb_import_file(nb_report **out, const char *path,
                                const nb_import_opts *opts, nb_diag_list *dl);

/** nb_import_file on data[0..len), a file named 'name' (its suffix tells
 * the format). */
NB_API nb_status nb_import_memory(nb_report **out, const void *data,
                                  size_t len, const char *name,
                                  const nb_import_opts *opts,
                                  nb_diag_list *dl);

/** The report's structure as an indented outline, one node a line (the
 * title, 主送, parts with their kinds, areas, items with their numbering
 * style, closing, 署名, date), for `import --tree`. Caller frees *out with
 * nb_free. */
NB_API nb_status nb_report_outline(char **out, const nb_report *r);

/** Check one CSV form on its own, streaming: memory does not grow with
 * its rows. The form is known by its file name (meta.csv, 基本信息.csv,
 * …) or else by its header. Findings go to 'dl'; returns as
 * nb_report_read_forms. */
NB_API nb_status nb_form_validate(const char *path, const nb_read_opts *opts,
                                  nb_diag_list *dl);

/** Read an Excel, WPS or LibreOffice workbook (.xlsx): a form set with
 * one sheet per form (基本信息/meta, 正文/narrative, 指标/metrics), read
 * through the same form schemas and checks as CSV forms; or a workbook
 * of one form (a bureau's metrics sheet), checked on its own, streaming:
 * then *out is NULL and *one_form_out true. Number formats decide a
 * cell's value: a percent format's 0.985 is 98.5, a date format's serial
 * number the date. Findings are located by sheet and cell: file
 * "报告.xlsx/指标", line 14, col 3, where "!C14". Macro workbooks
 * (.xlsm), external links and DOCTYPEs are refused; the workbook is read
 * within the limits of 'opts' (input, entries, part, strings, sheet,
 * cell, cells). Results otherwise as nb_report_read_forms. */
NB_API nb_status nb_workbook_read(nb_report **out, bool *one_form_out,
                                  const char *path, const nb_read_opts *opts,
                                  nb_diag_list *dl);

/** Write the report as a workbook to 'path' (.xlsx), atomically: a sheet
 * per form with frozen bold headers, a 填写说明 (instructions) sheet,
 * drop-down lists for the enum columns and the indicator codes and names
 * (from a hidden catalog sheet), numeric validation with Chinese
 * messages. Reading it back gives the same report. 'r' NULL writes the
 * blank workbook of nb_forms_init_xlsx with no issuer or year. */
NB_API nb_status nb_report_write_xlsx(const nb_report *r, const char *path,
                                      nb_diag_list *dl);

/** Write the blank form set as one workbook to 'path', as
 * nb_report_write_xlsx writes; 'issuer' may be NULL, 'year' 0 leaves it
 * blank. */
NB_API nb_status nb_forms_init_xlsx(const char *path, const char *issuer,
                                    int year, nb_diag_list *dl);

/** The report as report XML (schemas/report.xsd), in memory. Caller
 * frees *out with nb_free(). */
NB_API nb_status nb_report_to_xml(char **out, size_t *len_out,
                                  const nb_report *r, nb_diag_list *dl);

/** Write the report as report XML to 'path', atomically. */
NB_API nb_status nb_report_write_xml(const nb_report *r, const char *path,
                                     nb_diag_list *dl);

/** Write the report as a form set into the new folder 'dir' (it must not
 * exist, or be empty), atomically: the forms are written into a
 * temporary folder beside it, which is renamed into place when complete.
 * 'enc' NB_ENC_AUTO or NB_ENC_UTF8 writes UTF-8 with a BOM (what Excel
 * and WPS open as UTF-8); NB_ENC_GB18030 writes what Excel saves as "CSV"
 * on Chinese Windows. Rows end in CRLF. Reading the folder back gives the
 * same report. */
NB_API nb_status nb_report_write_forms(const nb_report *r, const char *dir,
                                       nb_encoding enc, nb_diag_list *dl);

/** Write a blank form set into the new folder 'dir', as
 * nb_report_write_forms writes: headers, an example row, the metrics form
 * with every indicator of the catalog, and a README in Chinese on how to
 * fill the forms. 'issuer' may be NULL; 'year' 0 leaves it blank. */
NB_API nb_status nb_forms_init(const char *dir, const char *issuer, int year,
                               nb_encoding enc, nb_diag_list *dl);

/* ==== The indicator catalog (schemas/indicators.xml) ==== */

typedef struct nb_indicator {
    const char *code;    /* "fy_received" */
    const char *name;    /* "行政复议收到申请" */
    const char *unit;    /* "件" */
    const char *type;    /* "count", "amount" or "rate" */
    const char *group;   /* "行政复议", or NULL */
    const char *formula; /* for rates, or NULL */
    int decimals;        /* a computed rate is rounded to these */
    const char *min;     /* bounds beyond the type's, or NULL: a */
    const char *max;     /* decimal such as "0" or "10" */
    const char *aliases; /* other names reports give it, separated by
                            spaces ("直接纠错率 复议纠错率"), or NULL */
    const char *units;   /* other units reports count it in, separated
                            by spaces ("本 名"), or NULL */
} nb_indicator;

/** Number of indicators in the built-in catalog. */
NB_API size_t nb_indicator_count(void);

/** The i-th indicator of the built-in catalog, in catalog order, or NULL.
 * Static storage. */
NB_API const nb_indicator *nb_indicator_at(size_t i);

/** The indicator with this code, or NULL. Static storage. */
NB_API const nb_indicator *nb_indicator_find(const char *code);

/** Load an office's local indicator catalog (schemas/indicators.xsd)
 * on top of the built-in one. Its indicators and rules may use the
 * built-in codes; a local code that the built-in catalog already has is
 * an error, never a silent override, and so is a name another indicator
 * has. Every problem is reported, located; then *out is NULL and the
 * status NB_OK. Caller frees with nb_catalog_free(), after every report
 * read or checked with the catalog: their metrics point into it. */
NB_API nb_status nb_catalog_load(nb_catalog **out, const char *path,
                                 nb_diag_list *dl);

/** Free a catalog. NULL is a no-op. */
NB_API void nb_catalog_free(nb_catalog *c);

/** Number of indicators, built-in and local. 'c' NULL: the built-in
 * catalog alone (as for every nb_catalog_* function). */
NB_API size_t nb_catalog_count(const nb_catalog *c);

/** The i-th indicator, built-in first, or NULL. Borrowed from 'c'. */
NB_API const nb_indicator *nb_catalog_at(const nb_catalog *c, size_t i);

/** The indicator with this code, or NULL. Borrowed from 'c'. */
NB_API const nb_indicator *nb_catalog_find(const nb_catalog *c,
                                           const char *code);

/** The indicator whose name, or one of whose aliases, is exactly
 * name[0..len) (UTF-8), or NULL. Names are unique across names and
 * aliases, built-in and local, so at most one indicator matches.
 * Borrowed from 'c'. */
NB_API const nb_indicator *nb_catalog_lookup_name(const nb_catalog *c,
                                                  const char *name,
                                                  size_t len);

/** Number of aliases of 'ind' (other names reports give it). */
NB_API size_t nb_indicator_alias_count(const nb_indicator *ind);

/** The i-th alias of 'ind', not NUL-terminated: *len_out bytes at the
 * returned pointer, or NULL past the last. Borrowed from 'ind'. */
NB_API const char *nb_indicator_alias_at(const nb_indicator *ind, size_t i,
                                         size_t *len_out);

/** True when 'unit' is the unit of 'ind' or one of the other units it
 * accepts ("%" and "％" are the same unit). */
NB_API bool nb_indicator_unit_ok(const nb_indicator *ind, const char *unit);

/** True when 'query' (UTF-8; empty matches all) is part of the code,
 * the name, an alias or the group of 'ind'. ASCII letters match in
 * either case. */
NB_API bool nb_indicator_matches(const nb_indicator *ind, const char *query);

/** The next indicator at or after *pos (start with 0) that
 * nb_indicator_matches 'query', in catalog order, built-in first; *pos
 * is then past it. NULL when there is none. Borrowed from 'c'. */
NB_API const nb_indicator *nb_catalog_search(const nb_catalog *c,
                                             const char *query, size_t *pos);

/* ==== Rules (docs/rules.md) ==== */

/* Which content rules a report is held to. */
typedef enum nb_profile {
    NB_PROFILE_DEFAULT = 0, /* the report's own (meta profile), else
                               annual-report */
    NB_PROFILE_ANNUAL = 1,  /* annual-report: art. 25 strictly; a missing
                               or empty required section is an error */
    NB_PROFILE_SUMMARY = 2  /* work-summary: not bound by art. 25 (no
                               required parts, no deadline); every other
                               rule applies */
} nb_profile;

/** Parse "annual-report" (also "strict", 年度报告) or "work-summary"
 * ("lenient", 工作总结); false for anything else. */
NB_API bool nb_profile_parse(nb_profile *out, const char *name);

/** "annual-report" or "work-summary". Static storage. */
NB_API const char *nb_profile_name(nb_profile p);

typedef struct nb_check_opts {
    const nb_catalog *catalog; /* NULL: the built-in catalog */
    nb_profile profile;        /* DEFAULT: the report's, else annual */
    const nb_report *previous; /* last year's report, or NULL; what the
                                  check takes from it is copied */
    bool figures;              /* also list figures typed in the prose */
    const char *allow;         /* codes of findings acknowledged for the
                                  whole run ("NB5022 NB5020"), printed as
                                  notes (NB5200); NULL: none */
} nb_check_opts;

/** Apply the rules to a report that was read without errors: the
 * content art. 25 requires for its profile, the years and the date, the
 * catalog's arithmetic (parts and wholes, stated rates against their
 * counts), and every metric reference in the text. Rates the report does
 * not state are computed from their formulas, and with a previous report
 * every metric gets its year-on-year change; both are then in the
 * template's view. All findings go to 'dl'. 'opts' may be NULL. */
NB_API nb_status nb_report_check(nb_report *r, const nb_check_opts *opts,
                                 nb_diag_list *dl);

/* The four parts art. 25 requires, as bits of a set. */
typedef enum nb_part {
    NB_PART_MEASURES = 1u << 0,     /* 主要举措和成效 */
    NB_PART_SHORTCOMINGS = 1u << 1, /* 存在的不足和原因 */
    NB_PART_DUTIES = 1u << 2, /* 第一责任人职责 (a part, or an area) */
    NB_PART_PLANS = 1u << 3   /* 下一年度的主要安排 */
} nb_part;

/** The required parts a report lacks or gives as a title alone, as
 * nb_part bits; 0 when all four have content. The same test as the rules'
 * NB5010 and NB5011, whatever the profile. */
NB_API unsigned nb_report_parts_missing(const nb_report *r);

/** "举措成效", "存在不足", "第一责任人" or "下年安排" for one nb_part bit,
 * NULL for anything else. Static storage. */
NB_API const char *nb_part_label(unsigned part);

/** The section kind of one nb_part bit: "measures", "shortcomings",
 * "duties" or "plans"; NULL for anything else. Static storage. */
NB_API const char *nb_part_name(unsigned part);

/* ==== Templates ==== */

typedef struct nb_template nb_template;

/** Load and compile a .docx template (docs/templates.md).
 * Every problem in the template (unclosed tags, mismatched sections,
 * unknown filters) is reported at once, located by part and line; then
 * *out is NULL and the status is NB_OK. On NB_OK with no errors, *out is
 * the compiled template, reusable for any number of renders; caller frees
 * with nb_template_free(). 'limits' may be NULL. The paths of its tags
 * are not checked against a report's data: nb_template_check does that. */
NB_API nb_status nb_template_load(nb_template **out, const char *path,
                                  const nb_limits *limits, nb_diag_list *dl);

/** As nb_template_load, from a .docx in memory; 'name' names it in
 * diagnostics. The bytes are copied. */
NB_API nb_status nb_template_load_memory(nb_template **out, const void *data,
                                         size_t len, const char *name,
                                         const nb_limits *limits,
                                         nb_diag_list *dl);

/** Load the built-in standard template (GB/T 9704-2012). */
NB_API nb_status nb_template_load_standard(nb_template **out, nb_diag_list *dl);

/** As nb_template_load_standard, with limits ('limits' may be NULL):
 * those on merged output and section depth apply to every render. */
NB_API nb_status nb_template_load_standard_limits(nb_template **out,
                                                  const nb_limits *limits,
                                                  nb_diag_list *dl);

/** The built-in standard template as .docx bytes. Static storage. */
NB_API const unsigned char *nb_template_standard_bytes(size_t *len_out);

/** Free a template. NULL is a no-op. */
NB_API void nb_template_free(nb_template *t);

/* ==== Checking a template ==== */

/* What a tag is, by its first character. */
typedef enum nb_tag_kind {
    NB_TAG_FIELD = 0, /* {{path}} or {{path | filter}} */
    NB_TAG_SECTION,   /* {{#path}} */
    NB_TAG_INVERTED,  /* {{^path}} */
    NB_TAG_CLOSE,     /* {{/path}} */
    NB_TAG_COMMENT    /* {{! text}} */
} nb_tag_kind;

/* One tag of a template, where it is and what it says. A plain value
 * struct; its strings are borrowed from the template. */
typedef struct nb_template_tag {
    const char *part;    /* the part: "word/document.xml", "word/header1.xml" */
    uint32_t paragraph;  /* 1-based: the w:p elements of the part counted in
                            document order (table cells, text boxes and empty
                            paragraphs count); 0 in a part without paragraphs
                            (docProps/core.xml) */
    uint32_t line;       /* the paragraph's line in the part's XML */
    nb_tag_kind kind;
    const char *text;    /* between the braces, trimmed: "n | cn", "#areas" */
    const char *path;    /* "meta.issuer", "." ; "" for a comment */
    const char *filters; /* "cn" or "cn|cn_date"; "" without filters */
    const char *excerpt; /* the paragraph's text around the tag, "…" where
                            it is cut */
    bool valid;          /* false: the tag itself is wrong (reported) */
    bool once;           /* {{#name if}}: a condition, never repeated */
    const char *alias;   /* {{#name as x}}: "x", else NULL */
} nb_template_tag;

typedef struct nb_data nb_data;

typedef struct nb_template_check_opts {
    const nb_limits *limits;   /* NULL: the defaults */
    const nb_catalog *catalog; /* codes metric.<code> may name; NULL: the
                                  built-in catalog */
    const nb_data *data; /* not NULL: check the paths against the shape of
                            this data (nb_data_load) instead of a report's */
} nb_template_check_opts;

/** Load a template as nb_template_load does, list its tags and check
 * their paths against the data a report's template sees (docs/templates.md,
 * "Checking a template"): a name that no enclosing section nor the report
 * has, a field of a list used outside a section over it, an indicator code
 * metric.<code> that is not in the catalog. 'path' NULL checks the
 * built-in standard template. Every problem is reported at once in 'dl'.
 * On NB_OK, *out is the template even when it has errors, so that its tags
 * can be listed (nb_template_tag_at); render it only when
 * nb_template_renderable() says so. Caller frees with nb_template_free().
 * On failure (the file cannot be read, is not a zip, a limit) *out is
 * NULL and 'dl' says why. 'opts' may be NULL. */
NB_API nb_status nb_template_check(nb_template **out, const char *path,
                                   const nb_template_check_opts *opts,
                                   nb_diag_list *dl);

/** As nb_template_check, from a .docx in memory named 'name'. */
NB_API nb_status nb_template_check_memory(nb_template **out, const void *data,
                                          size_t len, const char *name,
                                          const nb_template_check_opts *opts,
                                          nb_diag_list *dl);

/** False when loading or checking the template found errors: such a
 * template must not be rendered. */
NB_API bool nb_template_renderable(const nb_template *t);

/** Number of tags of the template, in the order of its parts and, within
 * a part, in document order. */
NB_API size_t nb_template_tag_count(const nb_template *t);

/** The i-th tag, or NULL. Borrowed; valid until the template is freed. */
NB_API const nb_template_tag *nb_template_tag_at(const nb_template *t,
                                                 size_t i);

/* ==== Rendering ==== */

/** Merge a report into a template and build the .docx in memory.
 * The report is checked first (nb_report_check) when it has not been:
 * the check derives the rates the report does not state and fills the
 * text's metric references, so a figure is never printed blank. That
 * check runs with the default options (the built-in catalog, the
 * report's own profile, no previous report); call nb_report_check
 * yourself to give others. When it finds errors, nothing is rendered
 * and the result is NB_ERR_FORMAT with the findings in 'dl'.
 * The output is deterministic: the same template and report give the same
 * bytes. On NB_OK, *out holds *len_out bytes; caller frees with nb_free().
 * Data problems met while merging (a filter that cannot convert a value)
 * are warnings in 'dl'. On failure *out is NULL and 'dl' says why. */
NB_API nb_status nb_render_memory(void **out, size_t *len_out,
                                  const nb_template *t, nb_report *r,
                                  nb_diag_list *dl);

/** Render to a file, atomically: the bytes go to a temporary file in the
 * same folder, which is renamed over 'path' only when complete. On any
 * failure nothing is left at 'path' or beside it. */
NB_API nb_status nb_render_file(const char *path, const nb_template *t,
                                nb_report *r, nb_diag_list *dl);

/* ==== Other formats: HTML, text (PDF is a DOCX LibreOffice converts) ==== */

/* What a render writes. Append only. */
typedef enum nb_format {
    NB_FORMAT_DOCX = 0, /* a Word document, from a .docx template */
    NB_FORMAT_HTML,     /* one self-contained web page, from an HTML
                           template */
    NB_FORMAT_TEXT,     /* the DOCX's paragraphs as UTF-8 text, one a line */
    NB_FORMAT_PDF       /* the DOCX converted by LibreOffice (not by the
                           library: nianbao's render does it) */
} nb_format;

/** The format a file name asks for by its extension (.docx, .html or
 * .htm, .txt, .pdf; ASCII case ignored). False for any other. */
NB_API bool nb_format_of_path(nb_format *out, const char *path);

/** The format by its name: "docx", "html", "txt" (or "text"), "pdf". */
NB_API bool nb_format_lookup(nb_format *out, const char *name);

/** The format's name ("docx", "html", "txt", "pdf"). Static storage. */
NB_API const char *nb_format_name(nb_format f);

/** What a template writes: NB_FORMAT_HTML for an HTML template, else
 * NB_FORMAT_DOCX (whose template also gives the text and the PDF). */
NB_API nb_format nb_template_format(const nb_template *t);

/** nb_template_check of the built-in template for 'f': the standard web
 * page for NB_FORMAT_HTML, standard.docx for the others. */
NB_API nb_status nb_template_check_standard(nb_template **out, nb_format f,
                                            const nb_template_check_opts *opts,
                                            nb_diag_list *dl);

/** The built-in HTML template's text. Static storage. */
NB_API const char *nb_template_standard_html(size_t *len_out);

typedef struct nb_render_opts {
    nb_format format; /* DOCX, HTML or TEXT; it must be one the template
                         writes (nb_template_format; TEXT from a .docx
                         template), else NB_ERR_FORMAT and NB7012 */
    bool fragment;    /* HTML: only the template's <article> element, for
                         pasting into a site's editor (NB7010 without one) */
} nb_render_opts;

/** nb_render_memory in the format 'opts' asks for ('opts' NULL: the
 * template's own). Text is the paragraphs of the merged document
 * (word/document.xml, with its tables and text boxes, in reading order),
 * one a line, empty ones left out: the DOCX's text, ordinals included. */
NB_API nb_status nb_render_memory_opts(void **out, size_t *len_out,
                                       const nb_template *t, nb_report *r,
                                       const nb_render_opts *opts,
                                       nb_diag_list *dl);

/** nb_render_file in the format 'opts' asks for, atomically. */
NB_API nb_status nb_render_file_opts(const char *path, const nb_template *t,
                                     nb_report *r, const nb_render_opts *opts,
                                     nb_diag_list *dl);

/* ==== Any data: JSON (docs/templates.md, "Any data: JSON") ==== */

/** Read a JSON file whose top level is an object: the tree a template
 * sees with nb_render_data_memory (objects as maps in their order, arrays
 * as lists, numbers as JSON wrote them, true/false, null as missing).
 * On NB_OK, *out is the data, or NULL when the file was not valid JSON
 * (located in 'dl'); caller frees with nb_data_free(). 'limits' may be
 * NULL (max_input_bytes applies). */
NB_API nb_status nb_data_load(nb_data **out, const char *path,
                              const nb_limits *limits, nb_diag_list *dl);

/** As nb_data_load, from memory; 'name' names it in messages. */
NB_API nb_status nb_data_load_memory(nb_data **out, const void *data,
                                     size_t len, const char *name,
                                     const nb_limits *limits,
                                     nb_diag_list *dl);

/** Free data. NULL is a no-op. */
NB_API void nb_data_free(nb_data *d);

/** Let pictures named in the data be read from the folder 'dir' too,
 * besides the data file's own folder (docs/templates.md, "Pictures from
 * data"). NB_ERR_IO, reported, when it is not a folder. */
NB_API nb_status nb_data_allow_dir(nb_data *d, const char *dir,
                                   nb_diag_list *dl);

/** A JSON Schema for data (docs/templates.md, "A JSON Schema for the
 * data"). */
typedef struct nb_json_schema nb_json_schema;

/** Read a JSON Schema (the subset of draft 2020-12 and draft-07 that
 * docs/templates.md lists). Keywords nianbao does not check are warned
 * about (NB7063); a $ref that names nothing or leads back to itself is an
 * error (NB7062), and the data is then not checked. On NB_OK *out is the
 * schema; caller frees with nb_json_schema_free(). A file that is not
 * JSON or not a schema gives NB_ERR_FORMAT, one too large or deep
 * NB_ERR_LIMIT, with a diagnostic. */
NB_API nb_status nb_json_schema_load(nb_json_schema **out, const char *path,
                                     const nb_limits *limits,
                                     nb_diag_list *dl);

/** Free a schema. NULL is a no-op. */
NB_API void nb_json_schema_free(nb_json_schema *s);

/** Hold the JSON file 'data_path' to schema 's': every value that does
 * not match is an error (NB7064) located by its JSON pointer. NB_OK
 * unless the file cannot be read. */
NB_API nb_status nb_json_schema_validate(const nb_json_schema *s,
                                         const char *data_path,
                                         const nb_limits *limits,
                                         nb_diag_list *dl);

/** Make the names a template may use those the schema declares: *d's
 * shape becomes the schema's; when *d is NULL, a new data without values
 * (for check-template without data; caller frees with nb_data_free()).
 * NB_ERR_NOMEM (with a diagnostic) when out of memory. */
NB_API nb_status nb_data_use_schema(nb_data **d, const nb_json_schema *s,
                                    nb_diag_list *dl);

/** Merge data into a template and build the .docx in memory, as
 * nb_render_memory does with a report; deterministic. A template with
 * errors is not rendered (NB_ERR_FORMAT). Caller frees *out with
 * nb_free(). */
NB_API nb_status nb_render_data_memory(void **out, size_t *len_out,
                                       const nb_template *t, const nb_data *d,
                                       nb_diag_list *dl);

/** Render data to a file atomically, as nb_render_file does. */
NB_API nb_status nb_render_data_file(const char *path, const nb_template *t,
                                     const nb_data *d, nb_diag_list *dl);

/* ==== What a run reads and writes ==== */

/* How a run uses a path. Append only. */
typedef enum nb_io_use {
    NB_USE_READ,      /* a file read, or a form set folder: its files */
    NB_USE_READ_TREE,  /* a folder read whole (a folder of submissions) */
    NB_USE_WRITE,     /* a file written (or a folder made, then filled) */
    NB_USE_WRITE_TREE  /* a folder written into */
} nb_io_use;

typedef struct nb_io_plan nb_io_plan;

/** A new, empty plan; NULL when out of memory. Free with
 * nb_io_plan_free. */
NB_API nb_io_plan *nb_io_plan_new(void);
NB_API void nb_io_plan_free(nb_io_plan *p);

/** Record that the run uses 'path' as 'use' (NULL and "-" are ignored).
 * A form set folder read records each of its files. */
NB_API nb_status nb_io_plan_add(nb_io_plan *p, const char *path,
                                nb_io_use use, nb_diag_list *dl);

/** Check the plan before anything is written: every output that is an
 * input (the same file, through any link), lies inside a folder read
 * whole, holds an input in the folder it writes into, or is given twice
 * is an NB_IO_OVERLAP finding, and the result is NB_ERR_FORMAT; else
 * NB_OK. */
NB_API nb_status nb_io_plan_check(const nb_io_plan *p, nb_diag_list *dl);

/** Write 'len' bytes to 'path' atomically (temporary file, then rename).
 * Errors are reported against 'path'. */
NB_API nb_status nb_write_file_atomic(const char *path, const void *data,
                                      size_t len, nb_diag_list *dl);

/** Remove the temporary files and folders of every write in progress
 * (nb_write_file_atomic and the library's other writes): for a program's
 * SIGTERM, SIGINT or SIGHUP handler, before it ends. Async-signal-safe:
 * it only reads a table and calls unlink() and rmdir(). */
NB_API void nb_tmp_cleanup(void);

/* ==== Totals: metrics summed over reports (docs/inbox.md) ==== */

typedef struct nb_totals nb_totals;

/** An empty set of totals over the indicators of 'cat' (NULL: the
 * built-in catalog), which must outlive it. NULL when out of memory. */
NB_API nb_totals *nb_totals_new(const nb_catalog *cat);

/** Free totals. NULL is a no-op. */
NB_API void nb_totals_free(nb_totals *t);

/** Add the figures of one checked report (nb_report_check), under its
 * year: every exact count and amount is summed; a rate is never summed
 * but recomputed from its formula over the counts of the reports that give
 * all of them. Approximate figures (1万余) and figures in another unit
 * than their indicator's are counted as left out, with a note
 * (NB_AGGREGATE_NOT_SUMMED) in 'dl' when 'dl' is not NULL. Sums are exact
 * (to 10^-6) and do not depend on the order reports are added in. */
NB_API nb_status nb_totals_add(nb_totals *t, const nb_report *r,
                               nb_diag_list *dl);

/** Add all of 'from' (same catalog) to 'into'. */
NB_API nb_status nb_totals_merge(nb_totals *into, const nb_totals *from,
                                 nb_diag_list *dl);

/** Number of reports added, all years together. */
NB_API size_t nb_totals_reports(const nb_totals *t);

/** Number of figures left out of the totals (approximate, in another
 * unit, or a rate without its counts), all years together. */
NB_API size_t nb_totals_left_out(const nb_totals *t);

/** Write the totals as CSV (UTF-8 with a BOM, for Excel and WPS): one row
 * per year and indicator that any report gives, in catalog order, with
 * the total, the number of offices it sums and the number left out; a
 * rate row also lists the sums it is computed from, so that totals files
 * merge (nb_totals_read_csv). Atomic. */
NB_API nb_status nb_totals_write_csv(const nb_totals *t, const char *path,
                                     nb_diag_list *dl);

/** Before merging 'part' (the totals of the folder 'name') into 'into':
 * NB_ERR_FORMAT, with NB_AGGREGATE_TOTALS_COPY, when a totals file read
 * into 'into' has the same rows (this folder's totals, given again);
 * totals files read later are checked against it too. */
NB_API nb_status nb_totals_note_part(nb_totals *into, const nb_totals *part,
                                     const char *name, nb_diag_list *dl);

/** Add a totals file written by nb_totals_write_csv (a shard of a larger
 * roll-up) to 't'. A file that is not one is NB_AGGREGATE_TOTALS_FILE. */
NB_API nb_status nb_totals_read_csv(nb_totals *t, const char *path,
                                    nb_diag_list *dl);

/* ==== Submission folders (docs/inbox.md) ==== */

/* What became of one submission. */
typedef enum nb_sub_status {
    NB_SUB_VALID = 0,      /* read and checked: no errors (warnings allowed) */
    NB_SUB_INVALID = 1,    /* read, with errors in the data */
    NB_SUB_UNREADABLE = 2, /* could not be read: damaged, unreadable, a limit */
    NB_SUB_SKIPPED = 3,    /* not a report XML, form set or zip of either */
    NB_SUB_MISSING = 4,    /* an expected office that has sent nothing */
    NB_SUB_FAULT = 5       /* the run could not read it (permissions, a disk
                              error): the run's fault, not the office's */
} nb_sub_status;

/** "valid", "invalid", "unreadable", "skipped", "missing" or "fault".
 * Static. */
NB_API const char *nb_sub_status_name(nb_sub_status s);

/** 通过, 有错误, 无法读取, 非报送文件, 未报送 or 无法访问. Static. */
NB_API const char *nb_sub_status_label(nb_sub_status s);

/* One entry of a submissions folder, or one expected office missing from
 * it. Strings are borrowed from the inbox. */
typedef struct nb_submission {
    const char *name; /* the entry's name in the folder ("江北区.zip");
                         NULL for a missing office */
    const char *path; /* the folder joined with the name, or NULL */
    const char *form; /* "xml", "forms" or "zip"; NULL when skipped */
    nb_sub_status status;
    const char *office; /* the issuer (发布机构), or the expected name;
                           NULL when unknown */
    int year;           /* the year reported on; 0 when unknown */
    size_t errors;
    size_t warnings;
    unsigned missing;        /* nb_part bits: required parts absent or empty */
    const char *first_error; /* "meta.csv:3: message [NB1012]", or NULL */
    bool unexpected;         /* its office is not in the expected list */
    bool duplicate;          /* another submission has its office and year */
    bool summed;             /* its figures are in the totals (opts->totals):
                                valid, and not a duplicate */
    const char *output;      /* the document a batch render wrote, or NULL */
    size_t acknowledged;     /* findings the data or --allow acknowledges
                                (NB5200 notes), listed in the remarks */
    const char *output_error; /* a batch render: why its document was not
                                 written though its data allow it (a full
                                 or read-only disk: the run's fault), or
                                 NULL */
    const char *stale;        /* a batch render: last run's document of a
                                 submission not rendered now, removed */
    bool stale_kept;          /* ... or that could not be removed (a
                                 fault: output_error says why) */
} nb_submission;

/* Called after each submission, from the thread that checked it, one
 * call at a time: 'done' of 'total' are finished; 'sub' is the one just
 * done and 'sdl' its findings. */
typedef void (*nb_inbox_progress_fn)(size_t done, size_t total,
                                     const nb_submission *sub,
                                     const nb_diag_list *sdl, void *payload);

typedef struct nb_inbox_opts {
    nb_read_opts read;       /* encoding, limits, catalog of every submission */
    nb_check_opts check;     /* profile and catalog for the rules */
    unsigned jobs;           /* threads; 0: one per online processor,
                                at most one per 600 MB of memory */
    const char *expect;      /* a CSV of the offices expected, or NULL */
    bool totals;             /* sum the metrics of the valid submissions */
    const char *render_dir;  /* render every valid one into this folder */
    const nb_template *tmpl; /* for render_dir; NULL: the standard one */
    nb_inbox_progress_fn progress; /* or NULL */
    void *payload;
} nb_inbox_opts;

typedef struct nb_inbox nb_inbox;

/** Read and check every submission in the folder 'dir': report XML
 * files, form set folders and zip files of either, in parallel, each on
 * its own (one bad submission never stops the others). Hidden files are
 * ignored; anything else is a skipped entry (NB_INBOX_NOT_SUBMISSION).
 * Memory holds one report per thread, not the whole folder. With
 * opts->expect, offices listed there that have not submitted are added
 * (NB_INBOX_MISSING) and submissions from others are flagged
 * (NB_INBOX_UNEXPECTED). Two submissions of one office for one year are
 * both flagged (NB_INBOX_DUPLICATE) and both left out of the totals. With
 * opts->render_dir, every valid submission is rendered there as NAME.docx (the
 * entry's name without its extension). Findings about the folder go to 'dl';
 * each submission's own findings are counted in its row and given to
 * opts->progress. On NB_OK, *out is the result; caller frees with
 * nb_inbox_free(). */
NB_API nb_status nb_inbox_run(nb_inbox **out, const char *dir,
                              const nb_inbox_opts *opts, nb_diag_list *dl);

NB_API void nb_inbox_free(nb_inbox *ib);

/** Number of rows: the folder's entries in name order, then the missing
 * offices in the expected list's order. */
NB_API size_t nb_inbox_count(const nb_inbox *ib);

/** The i-th row, or NULL. */
NB_API const nb_submission *nb_inbox_at(const nb_inbox *ib, size_t i);

/** Number of rows with status 's'. */
NB_API size_t nb_inbox_count_status(const nb_inbox *ib, nb_sub_status s);

/** Faults of the run, not of the data: rows the run could not read
 * (NB_SUB_FAULT) and documents a batch render could not write or remove
 * (output_error). A caller exits with its "could not run" status. */
NB_API size_t nb_inbox_faults(const nb_inbox *ib);

/** The totals of the valid submissions (opts->totals), or NULL. */
NB_API const nb_totals *nb_inbox_totals(const nb_inbox *ib);

/** The summary as CSV (UTF-8 with a BOM), one row per submission: 报送文件,
 * 单位, 年度, 状态, 错误, 警告, 缺少部分, 备注, 首个错误. Atomic. */
NB_API nb_status nb_inbox_write_csv(const nb_inbox *ib, const char *path,
                                    nb_diag_list *dl);

/** The summary as one JSON object: "counts" by status and "submissions",
 * one per line, each with the fields of nb_submission (not "path" nor
 * "summed"). Atomic. */
NB_API nb_status nb_inbox_write_json(const nb_inbox *ib, const char *path,
                                     nb_diag_list *dl);

/** The summary as a Word document in the official-document format: a
 * title, counts by status, the table of submissions and the list of
 * missing offices. 'issuer' (the bureau) signs it and 'date' (YYYY-MM-DD,
 * written 2023年3月20日) dates it; either may be NULL. Atomic;
 * deterministic. */
NB_API nb_status nb_inbox_write_docx(const nb_inbox *ib, const char *path,
                                     const char *issuer, const char *date,
                                     nb_diag_list *dl);

/** As nb_inbox_write_docx, as one self-contained web page (the built-in
 * HTML template templates/html/summary.html). */
NB_API nb_status nb_inbox_write_html(const nb_inbox *ib, const char *path,
                                     const char *issuer, const char *date,
                                     nb_diag_list *dl);

/* ==== Chinese typography (typo.c, typo_check.c, typo_fix.c) ==== */

/** The width of UTF-8 text s[0..len) as a GB/T 9704 page sets it, in
 * hundredths of a character: a Chinese character or full-width mark
 * (quotes, dashes and ellipses included) 100, a digit, Latin letter or
 * other half-width character 50, and the space a word processor puts
 * between Chinese and a digit or letter 20. */
NB_API int nb_typo_width(const char *s, size_t len);

/* One line of a broken title: title[off .. off + len). */
typedef struct nb_typo_line {
    size_t off; /* bytes from the start of the title */
    size_t len; /* bytes */
} nb_typo_line;

/** Break a title into lines that fit 'chars' characters (0: the 2号
 * title of GB/T 9704, 20), balanced and at word boundaries (7.3.1):
 * after the issuer, after the year ("2022年度"), before the report's name
 * (情况报告, 工作报告) or after a mark, never leaving a fragment. A title
 * with line breaks (LF) in the data is broken there and nowhere else.
 * 'issuer' may be NULL. Writes at most 'max' lines to 'out' and returns
 * how many there are. */
NB_API size_t nb_typo_title_lines(nb_typo_line *out, size_t max,
                                  const char *title, const char *issuer,
                                  int chars);

/* Where the signature block goes (GB/T 9704-2012 7.3.5), in hundredths of
 * a character of a body line. */
typedef struct nb_typo_sign {
    int signer_pad;   /* from the left edge of the text to the 署名 */
    int date_pad;     /* from the left edge to the 成文日期 */
    int signer_right; /* space right of the 署名 */
    int date_right;   /* space right of the date */
} nb_typo_sign;

/** Place the 署名 'signer' and the date 'date' (as printed: 2023年2月8日;
 * may be NULL) on lines of 'chars' characters (0: 28). Without a seal
 * (7.3.5.2) the date is 右空二字 and starts two characters right of the
 * 署名, which moves left when the date is the longer; with one (7.3.5.1)
 * the date is 右空四字 and the 署名 is centred on it. Pads are whole or
 * half characters. */
NB_API void nb_typo_sign_place(nb_typo_sign *out, const char *signer,
                               const char *date, bool seal, int chars);

/** The typography check: every text of the report (titles, lead phrases,
 * paragraphs, items, the disclosure fields) against GB/T 15834-2011 and
 * the template: half-width marks next to Chinese, unbalanced quotes and
 * brackets, doubled marks, spaces inside Chinese text, full-width digits
 * and letters, lead phrases and run-in titles that end in the full stop
 * the template adds, ordinals typed where the structure numbers, years
 * with both 〇 and 零, and a 署名 the data gives without a 成文日期.
 * Warnings (NB5100-NB5108) go to 'dl'; nb_report_check runs it. */
NB_API void nb_typo_check(const nb_report *r, nb_diag_list *dl);

/* What a file holds, for nb_typo_fix. */
typedef enum nb_typo_format {
    NB_TYPO_XML = 0, /* report XML: the text between the tags */
    NB_TYPO_CSV = 1  /* a CSV form: each cell */
} nb_typo_format;

/** Apply the safe typography fixes to the text of a report XML or CSV
 * form in data[0..len) (UTF-8): half-width ，；：？！（） next to Chinese
 * made full-width (a bracket pair together), doubled marks made single,
 * spaces between Chinese characters removed, full-width digits and
 * letters made half-width. Markup, attributes, entity references and CSV
 * separators are never changed. Each change is a note (NB5150) located
 * at 'file', line and column of the input. *out (caller frees with
 * nb_free) holds the fixed bytes, and *changes_out how many changes were
 * made; both may be equal to the input. */
NB_API nb_status nb_typo_fix(char **out, size_t *len_out, size_t *changes_out,
                             const char *data, size_t len,
                             nb_typo_format fmt, const char *file,
                             nb_diag_list *dl);

/** nb_typo_fix on a file (.xml, or .csv) or on every .xml and .csv file
 * of a folder (a form set), in name order. With 'write', each changed file
 * is replaced atomically; otherwise nothing is written (a dry run). Files
 * that are not UTF-8 are reported (NB5151) and left alone. */
NB_API nb_status nb_typo_fix_path(const char *path, bool write,
                                  size_t *changes_out, nb_diag_list *dl);

#ifdef __cplusplus
}
#endif

#endif /* NIANBAO_NIANBAO_H */
