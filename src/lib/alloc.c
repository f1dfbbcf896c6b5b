/* alloc.c: allocation helpers: overflow-checked sizes and an arena.
 *
 * The report model and the template data tree are built from many small
 * strings and arrays that live exactly as long as their owner; an arena
 * makes one free release them all (cmark's and SQLite's lookaside idea).
 */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#define KEEP_BYTES (64 * 1024 * 1024)

void nb_heap_keep(void)
{
#if defined(__GLIBC__) && defined(M_TRIM_THRESHOLD) && defined(M_MMAP_THRESHOLD)
    mallopt(M_TRIM_THRESHOLD, KEEP_BYTES);
    mallopt(M_MMAP_THRESHOLD, KEEP_BYTES);
#endif
}

#define ARENA_CHUNK 16384u
#define ARENA_ALIGN 16u

typedef struct chunk {
    struct chunk *next;
    size_t used;
    size_t size;
    /* data follows, aligned */
} chunk;

struct nb_arena {
    chunk *head;
};

bool nb_size_mul(size_t *out, size_t a, size_t b)
{
    if (a != 0 && b > SIZE_MAX / a)
        return false;
    *out = a * b;
    return true;
}

nb_arena *nb_arena_new(void)
{
    return calloc(1, sizeof(nb_arena));
}

void nb_arena_free(nb_arena *a)
{
    chunk *c;
    chunk *next;

    if (a == NULL)
        return;
    for (c = a->head; c != NULL; c = next) {
        next = c->next;
        free(c);
    }
    free(a);
}

static size_t header_size(void)
{
    return (sizeof(chunk) + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
}

void *nb_arena_alloc(nb_arena *a, size_t size)
{
    chunk *c = a->head;
    size_t need;
    size_t csize;
    char *p;

    if (size > SIZE_MAX - ARENA_ALIGN - header_size() - ARENA_CHUNK)
        return NULL;
    need = (size + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
    if (need == 0)
        need = ARENA_ALIGN;
    if (c == NULL || c->size - c->used < need) {
        csize = need > ARENA_CHUNK ? need : ARENA_CHUNK;
        c = malloc(header_size() + csize);
        if (c == NULL)
            return NULL;
        c->used = 0;
        c->size = csize;
        if (a->head != NULL && need > ARENA_CHUNK) {
            /* a big block goes behind the current chunk, which keeps its
             * free space for the small allocations that follow */
            c->next = a->head->next;
            a->head->next = c;
        } else {
            c->next = a->head;
            a->head = c;
        }
    }
    p = (char *)c + header_size() + c->used;
    c->used += need;
    memset(p, 0, size);
    return p;
}

void *nb_arena_array(nb_arena *a, size_t n, size_t size)
{
    size_t total;

    if (!nb_size_mul(&total, n, size))
        return NULL;
    return nb_arena_alloc(a, total);
}

void *nb_arena_array_or_flag(nb_arena *a, size_t n, size_t size, bool *oom)
{
    void *p;

    if (n == 0)
        return NULL;
    p = nb_arena_array(a, n, size);
    if (p == NULL)
        *oom = true;
    return p;
}

char *nb_arena_strndup(nb_arena *a, const char *s, size_t len)
{
    char *p;

    if (len == SIZE_MAX)
        return NULL;
    p = nb_arena_alloc(a, len + 1);
    if (p == NULL)
        return NULL;
    if (len > 0)
        memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

char *nb_arena_strdup(nb_arena *a, const char *s)
{
    return nb_arena_strndup(a, s, strlen(s));
}

char *nb_arena_printf(nb_arena *a, const char *fmt, ...)
{
    va_list ap;
    int n;
    char *p;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return NULL;
    p = nb_arena_alloc(a, (size_t)n + 1);
    if (p == NULL)
        return NULL;
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}

void nb_free(void *p)
{
    free(p);
}

nb_limits nb_limits_resolve(const nb_limits *in)
{
    nb_limits l = {0};

    if (in != NULL)
        l = *in;
    if (l.max_input_bytes == 0)
        l.max_input_bytes = NB_DEFAULT_MAX_INPUT;
    if (l.max_part_bytes == 0)
        l.max_part_bytes = NB_DEFAULT_MAX_PART;
    if (l.max_total_bytes == 0)
        l.max_total_bytes = NB_DEFAULT_MAX_TOTAL;
    if (l.max_zip_entries == 0)
        l.max_zip_entries = NB_DEFAULT_MAX_ENTRIES;
    if (l.max_output_bytes == 0)
        l.max_output_bytes = NB_DEFAULT_MAX_OUTPUT;
    if (l.max_cell_bytes == 0)
        l.max_cell_bytes = NB_DEFAULT_MAX_CELL_BYTES;
    if (l.max_section_depth == 0)
        l.max_section_depth = NB_DEFAULT_MAX_SECTION_DEPTH;
    if (l.max_section_depth > NB_MAX_SECTION_DEPTH)
        l.max_section_depth = NB_MAX_SECTION_DEPTH; /* tmpl_eval.c's stack */
    if (l.max_row_cells == 0)
        l.max_row_cells = NB_DEFAULT_MAX_ROW_CELLS;
    if (l.max_attributes == 0)
        l.max_attributes = NB_DEFAULT_MAX_ATTRIBUTES;
    if (l.max_elements == 0)
        l.max_elements = NB_DEFAULT_MAX_ELEMENTS;
    if (l.max_picture_bytes == 0)
        l.max_picture_bytes = NB_DEFAULT_MAX_PICTURE;
    if (l.max_pictures_bytes == 0)
        l.max_pictures_bytes = NB_DEFAULT_MAX_PICTURES;
    if (l.max_picture_side == 0)
        l.max_picture_side = NB_DEFAULT_MAX_PICTURE_SIDE;
    if (l.max_xlsx_strings == 0)
        l.max_xlsx_strings = NB_DEFAULT_MAX_XLSX_STRINGS;
    if (l.max_sheet_bytes == 0)
        l.max_sheet_bytes = NB_DEFAULT_MAX_SHEET;
    return l;
}

const char *nb_version(void)
{
    return PACKAGE_VERSION;
}

nb_limits nb_limits_defaults(void)
{
    return nb_limits_resolve(NULL);
}
