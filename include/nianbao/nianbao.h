/* nianbao.h: the public API of libnianbao.
 *
 * libnianbao reads annual-report data (report XML, schemas/report.xsd),
 * validates it, and merges it into a DOCX template (docs/templates.md).
 * The pipeline is: read (nb_report_read_xml) -> validate (done while
 * reading) -> load a template (nb_template_load*) -> render
 * (nb_render_memory / nb_render_file).
 *
 * Conventions: the library never prints and never exits, and has no
 * mutable global state. Functions that can fail for operational reasons
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
    const char *where; /* optional: a part name such as "word/document.xml" */
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

/** Free memory returned by libnianbao (rendered bytes). NULL is a no-op. */
NB_API void nb_free(void *p);

/* ==== Limits ==== */

/* Safety limits for untrusted input. Zero in any field means "default". */
typedef struct nb_limits {
    size_t max_input_bytes;  /* report file size; default 64 MiB */
    size_t max_part_bytes;   /* one part of a template, unpacked; 64 MiB */
    size_t max_total_bytes;  /* all parts of a template, unpacked; 256 MiB */
    size_t max_zip_entries;  /* entries in a template; default 10000 */
    size_t max_output_bytes; /* one merged part; default 512 MiB */
} nb_limits;

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
                                    const nb_limits *limits,
                                    nb_diag_list *dl);

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

/* ==== Templates ==== */

typedef struct nb_template nb_template;

/** Load and compile a .docx template (docs/templates.md).
 * Every problem in the template (unclosed tags, mismatched sections,
 * unknown filters) is reported at once, located by part and line; then
 * *out is NULL and the status is NB_OK. On NB_OK with no errors, *out is
 * the compiled template, reusable for any number of renders; caller frees
 * with nb_template_free(). 'limits' may be NULL. */
NB_API nb_status nb_template_load(nb_template **out, const char *path,
                                  const nb_limits *limits, nb_diag_list *dl);

/** As nb_template_load, from a .docx in memory; 'name' names it in
 * diagnostics. The bytes are copied. */
NB_API nb_status nb_template_load_memory(nb_template **out, const void *data,
                                         size_t len, const char *name,
                                         const nb_limits *limits,
                                         nb_diag_list *dl);

/** Load the built-in standard template (GB/T 9704-2012). */
NB_API nb_status nb_template_load_standard(nb_template **out,
                                           nb_diag_list *dl);

/** The built-in standard template as .docx bytes. Static storage. */
NB_API const unsigned char *nb_template_standard_bytes(size_t *len_out);

/** Free a template. NULL is a no-op. */
NB_API void nb_template_free(nb_template *t);

/* ==== Rendering ==== */

/** Merge a report into a template and build the .docx in memory.
 * The output is deterministic: the same template and report give the same
 * bytes. On NB_OK, *out holds *len_out bytes; caller frees with nb_free().
 * Data problems met while merging (a filter that cannot convert a value)
 * are warnings in 'dl'. On failure *out is NULL and 'dl' says why. */
NB_API nb_status nb_render_memory(void **out, size_t *len_out,
                                  const nb_template *t, const nb_report *r,
                                  nb_diag_list *dl);

/** Render to a file, atomically: the bytes go to a temporary file in the
 * same folder, which is renamed over 'path' only when complete. On any
 * failure nothing is left at 'path' or beside it. */
NB_API nb_status nb_render_file(const char *path, const nb_template *t,
                                const nb_report *r, nb_diag_list *dl);

/** Write 'len' bytes to 'path' atomically (temporary file, then rename).
 * Errors are reported against 'path'. */
NB_API nb_status nb_write_file_atomic(const char *path, const void *data,
                                      size_t len, nb_diag_list *dl);

#ifdef __cplusplus
}
#endif

#endif /* NIANBAO_NIANBAO_H */
