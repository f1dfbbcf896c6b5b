/* internal.h: declarations shared between the files of libnianbao.
 *
 * Nothing here is exported (no NB_API). Unit tests link the convenience
 * library and may call these directly.
 */
#ifndef NIANBAO_SRC_LIB_INTERNAL_H
#define NIANBAO_SRC_LIB_INTERNAL_H

#include <config.h>

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <nianbao/nianbao.h>

/* ==== Translation ==== */

#if ENABLE_NLS
#include <libintl.h>
#endif
/* The message in the user's language, the domain bound on first use
 * (i18n.c). */
const char *nb_gettext(const char *msgid) __attribute__((format_arg(1)));
#define _(s) nb_gettext(s)
#define N_(s) (s)
#define NB_COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* ==== Allocation ==== */

/* Multiply two sizes, failing on overflow. */
bool nb_size_mul(size_t *out, size_t a, size_t b);

/* An arena: many small allocations freed at once. Containers own their
 * children by allocating them here. */
typedef struct nb_arena nb_arena;

nb_arena *nb_arena_new(void);
void nb_arena_free(nb_arena *a);
/* Zeroed, 16-byte aligned memory; NULL when out of memory. */
void *nb_arena_alloc(nb_arena *a, size_t size);
/* An array of n elements of 'size' bytes; NULL on overflow or OOM. */
void *nb_arena_array(nb_arena *a, size_t n, size_t size);
/* As nb_arena_array, for builders that check for OOM once at the end:
 * NULL for n == 0, and *oom set when the allocation fails. */
void *nb_arena_array_or_flag(nb_arena *a, size_t n, size_t size, bool *oom);
/* A NUL-terminated copy of s[0..len). */
char *nb_arena_strndup(nb_arena *a, const char *s, size_t len);
char *nb_arena_strdup(nb_arena *a, const char *s);
/* printf into the arena. */
char *nb_arena_printf(nb_arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* ==== Growable buffer ==== */

/* A byte buffer with a maximum size (curl's dynbuf). Once an append fails,
 * the buffer stays failed ("sticky"), so a sequence of appends needs one
 * check at the end. */
typedef struct nb_buf {
    char *data;   /* NUL-terminated when non-NULL */
    size_t len;   /* bytes used, excluding the NUL */
    size_t cap;   /* bytes allocated */
    size_t max;   /* the largest len allowed */
    nb_status st; /* NB_OK, or the first failure */
} nb_buf;

void nb_buf_init(nb_buf *b, size_t max);
void nb_buf_fini(nb_buf *b);
void nb_buf_reset(nb_buf *b);
nb_status nb_buf_add(nb_buf *b, const void *data, size_t len);
nb_status nb_buf_adds(nb_buf *b, const char *s);
nb_status nb_buf_addc(nb_buf *b, char c);
/* Append v < 10^8 in Chinese numerals (〇, 十一, 一万零一) (tmpl_filter.c). */
void nb_cn_number(nb_buf *out, unsigned long v);
nb_status nb_buf_printf(nb_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
nb_status nb_buf_vprintf(nb_buf *b, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));
/* Hand the bytes to the caller (free with nb_free); the buffer is reset. */
char *nb_buf_steal(nb_buf *b, size_t *len_out);

/* ==== Diagnostics ==== */

/* Append a diagnostic; its severity comes from the code table. The message
 * is a printf format, already translated by the caller with _(). Never
 * fails visibly: on OOM or past the cap the entry is counted as dropped. */
void nb_diag_add(nb_diag_list *dl, nb_code code, const nb_loc *loc,
                 const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void nb_diag_addv(nb_diag_list *dl, nb_code code, const nb_loc *loc,
                  const char *fmt, va_list ap)
    __attribute__((format(printf, 4, 0)));
/* Turn every finding from the 'from'-th on whose code 'allowed' accepts
 * into the note NB5200, its message prefixed by its code and 'how'
 * ("acknowledged with --allow"): kept in sight, no longer an error. */
void nb_diag_acknowledge(nb_diag_list *dl, size_t from,
                         bool (*allowed)(nb_code code, void *payload),
                         void *payload, const char *how);

/* As nb_diag_add with an explicit severity. */
void nb_diag_add_sev(nb_diag_list *dl, nb_code code, nb_severity sev,
                     const nb_loc *loc, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* Report an out-of-memory failure against 'file' and return NB_ERR_NOMEM. */
nb_status nb_diag_nomem(nb_diag_list *dl, const char *file);

/* FNV-1a of a string (tools/catalog2c hashes the built-in codes the same
 * way): the hash of every table keyed by a code. */
uint32_t nb_str_hash(const char *s);
uint32_t nb_str_hash_n(const char *s, size_t len);

/* True when the list stores no more diagnostics (they are only counted):
 * work that only improves a message can be skipped. */
bool nb_diag_list_full(const nb_diag_list *dl);
/* The list's interned copy of 'file' (diagnostics outlive their inputs). */
const char *nb_diag_intern(nb_diag_list *dl, const char *s);
/* Number of errors added since the list was created. */
size_t nb_diag_errors(const nb_diag_list *dl);

/* ==== Limits ==== */

#define NB_DEFAULT_MAX_INPUT (64u << 20)
#define NB_DEFAULT_MAX_PART (64u << 20)
#define NB_DEFAULT_MAX_TOTAL (256u << 20)
#define NB_DEFAULT_MAX_ENTRIES 10000u
#define NB_DEFAULT_MAX_OUTPUT (512u << 20)
#define NB_DEFAULT_MAX_CELL_BYTES (1u << 20)
#define NB_DEFAULT_MAX_ROW_CELLS 10000u
#define NB_DEFAULT_MAX_SECTION_DEPTH 100u
/* libxml2 2.9 checks an element's attributes for duplicates pairwise:
 * 100,000 of them take 35 s; real elements have a few dozen */
#define NB_DEFAULT_MAX_ATTRIBUTES 1000u
/* libxml2's tree takes 200-350 bytes an element: 1,000,000 of them about
 * 350 MB; a long report has a few thousand, a template part some 10,000 */
#define NB_DEFAULT_MAX_ELEMENTS 1000000u
#define NB_DEFAULT_MAX_XLSX_STRINGS (64u << 20)
#define NB_DEFAULT_MAX_SHEET ((size_t)1 << 30)
#define NB_DEFAULT_MAX_PICTURE (20u << 20)
#define NB_DEFAULT_MAX_PICTURES (100u << 20)
#define NB_DEFAULT_MAX_PICTURE_SIDE 30000u
#define NB_MAX_SECTION_DEPTH 120u /* below tmpl_eval.c's MAX_STACK */

/* 'in' with every zero field replaced by its default; 'in' may be NULL. */
nb_limits nb_limits_resolve(const nb_limits *in);

/* ==== Text ==== */

/* Space, tab, CR or LF: the blanks trimmed around data text. */
bool nb_is_blank(char c);

/* Narrow s[0..*len) to drop the blanks at both ends. */
void nb_trim(const char **s, size_t *len);

/* True when 'name' ends in 'suffix' (".csv"), in any case, and is more
 * than the suffix. */
/* strcasecmp() for ASCII letters only: the same in every locale (in
 * tr_TR, strcasecmp("ZIP", "zip") is not 0). */
int nb_ascii_casecmp(const char *a, const char *b);
bool nb_has_suffix(const char *name, const char *suffix);

/* An office's name as compared (names.c): zero-width and bidi controls
 * dropped, white space of every kind trimmed and, inside, one U+0020 each,
 * full-width ASCII made ASCII (as NFKC). Caller frees; NULL when out of
 * memory. *changed_out (if not NULL) is set when it differs from 's'. */
char *nb_name_norm(const char *s, bool *changed_out);

/* True when 'a' and 'b' are one name once normalised; out of memory:
 * false and *oom set. */
bool nb_same_name(const char *a, const char *b, bool *oom);

/* nb_name_norm(s) kept in 'a', with a warning at 'loc' when it differs
 * from 's' (NB_NAME_NORMALIZED); NULL for NULL. Out of memory: NULL and
 * *oom set. */
const char *nb_name_keep(nb_arena *a, const char *s, const nb_loc *loc,
                         bool *oom, nb_diag_list *dl);

/* True when s[0..len) is well-formed UTF-8 (no overlongs, surrogates or
 * code points past U+10FFFF); otherwise *bad_out is the offset of the
 * first bad byte (read_csv.c). */
bool nb_utf8_valid(const char *s, size_t len, size_t *bad_out);

/* The code point UTF-8 encodes at s[0..len): its length in bytes (1-4)
 * and *cp, or 0 when the bytes are not a well-formed sequence (overlong,
 * truncated, past U+10FFFF). An encoded surrogate (ED A0 80 - ED BF BF)
 * is decoded, as U+D800-U+DFFF, for the caller to judge. */
size_t nb_utf8_decode(const char *s, size_t len, uint32_t *cp);

/* s[0..len), GB18030 (GBK, GB2312), as a new NUL-terminated UTF-8
 * string; caller frees *out with free(). NB_ERR_FORMAT (nothing
 * reported) when it is not GB18030 or iconv has no GB18030, NB_ERR_NOMEM
 * when memory runs out. */
nb_status nb_gb18030_dup(char **out, const char *s, size_t len);

/* ==== Numbers ==== */

/* The value of a decimal string ("-12.5"), whatever the locale; parsing
 * stops at the first character that is not part of one. */
double nb_decimal_value(const char *s);

/* ==== Files ==== */

/* Read a whole regular file, at most 'max' bytes. Caller frees with free().
 * Reports NB_IO_OPEN / NB_IO_READ / NB_LIMIT_* against 'path'. */
nb_status nb_file_read(char **out, size_t *len_out, const char *path,
                       size_t max, nb_code limit_code, nb_diag_list *dl);

/* "dir/name" (one '/' between, whether 'dir' ends in one or not), or
 * NULL when out of memory. Caller frees with free(). */
char *nb_path_join(const char *dir, const char *name);

/* True for a name nb_write_file_atomic() or nb_dir_write_atomic() gives
 * what it is writing ("x.docx.tmp-Ab12Cd"): never a submission. */
bool nb_is_tmp_name(const char *name);

/* Open 'path', a file of the form set in the folder 'set', for reading:
 * only a regular file that resolves inside the set (a symbolic link
 * between its files is followed, one out of it is not), never a pipe or
 * a device, so that nothing stalls and nothing outside the set is read.
 * Returns the descriptor, or -1 with a located error appended
 * (NB_FORM_NOT_INSIDE, NB_FORM_NOT_REGULAR, NB_IO_OPEN). */
int nb_open_in_set(const char *path, const char *set, nb_diag_list *dl);

/* The mode a plain create gives: 'base' less the process's umask, read
 * once (the first call sets the umask to 0 for a moment: make it before
 * starting threads that create files). */
mode_t nb_create_mode(mode_t base);

/* A file to write into a folder: its name (no '/') and bytes. */
typedef struct nb_out_file {
    const char *name;
    const void *data;
    size_t len;
} nb_out_file;

/* Write 'files' into the new folder 'dir' atomically: into a temporary
 * folder beside it, renamed into place when every file is on disk. 'dir'
 * must not exist or be an empty folder. On failure nothing is left. */
nb_status nb_dir_write_atomic(const char *dir, const nb_out_file *files,
                              size_t n, nb_diag_list *dl);

#endif /* NIANBAO_SRC_LIB_INTERNAL_H */
