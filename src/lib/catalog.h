/* catalog.h: the indicator catalog. The built-in one (schemas/indicators.xml)
 * is compiled into the library as constant tables by tools/catalog2c; an
 * office's local catalog (catalog_load.c) adds to it at run time. */
#ifndef NIANBAO_SRC_LIB_CATALOG_H
#define NIANBAO_SRC_LIB_CATALOG_H

#include "internal.h"

/* A relation between a whole and its parts (docs/rules.md). */
typedef struct nb_catalog_rule {
    const char *id;
    const char *whole;  /* an indicator code */
    const char *parts;  /* indicator codes, separated by spaces */
    const char *source; /* what the rule rests on, quoted in findings */
    bool exhaustive;    /* the parts add up to the whole */
} nb_catalog_rule;

extern const nb_indicator nb_catalog_table[];
extern const size_t nb_catalog_len;
/* Open addressing over FNV-1a of the code: index + 1, 0 = empty. */
extern const unsigned short nb_catalog_hash[];
extern const size_t nb_catalog_hash_size; /* a power of two */
extern const nb_catalog_rule nb_catalog_rules[];
extern const size_t nb_catalog_rules_len;

/* A name or an alias of a local indicator. */
typedef struct nb_catalog_name {
    const char *key; /* not NUL-terminated: len bytes */
    size_t len;
    uint32_t ind;    /* index into local */
} nb_catalog_name;

struct nb_catalog {
    nb_arena *arena;
    const char *file;
    nb_indicator *local; /* the local indicators, in file order */
    size_t n_local;
    nb_catalog_rule *rules; /* the local rules */
    size_t n_rules;
    nb_catalog_name *names; /* names and aliases of the local indicators */
    size_t n_names;
    /* open addressing over the local codes (index into local + 1) and
     * names (index into names + 1), 0 = empty; hash_size is a power of
     * two, 0 before the tables exist */
    uint32_t *code_hash;
    uint32_t *name_hash;
    size_t hash_size;
};

/* The local indicator whose code (or, 'by_name', name or alias) is
 * key[0..len), or NULL. */
const nb_indicator *nb_catalog_local_find(const nb_catalog *c, const char *key,
                                          size_t len, bool by_name);

/* Rules, built-in first; 'c' may be NULL (the built-in ones only). */
size_t nb_catalog_rule_count(const nb_catalog *c);
const nb_catalog_rule *nb_catalog_rule_at(const nb_catalog *c, size_t i);

/* The indicator whose Chinese name or alias is 'name', or NULL (the
 * same as nb_catalog_lookup_name). */
const nb_indicator *nb_catalog_find_name(const nb_catalog *c, const char *name,
                                         size_t len);

/* The indicator whose name or alias is closest to name[0..len) (UTF-8),
 * for a "did you mean" hint: at most one character in three differs,
 * or one holds the other whole. NULL when none is that close. */
const nb_indicator *nb_catalog_suggest_name(const nb_catalog *c,
                                            const char *name, size_t len);

/* The catalog code closest to 'code' (edit distance at most 3), for a
 * "did you mean" hint, or NULL. */
const char *nb_indicator_suggest(const nb_catalog *c, const char *code);

/* Report an unknown code: "'what' 'code' is not in the indicator catalog",
 * with a did-you-mean when one is near. */
void nb_catalog_unknown(const nb_catalog *c, nb_code diag, const nb_loc *loc,
                        const char *what, const char *code, nb_diag_list *dl);

/* Check a metric against its indicator: a known code, a value as reports
 * write them (figures.h), a count a whole number >= 0, an amount >= 0, a
 * rate 0 to 100, the unit the catalog's. 'code_col' and 'value_col' name
 * the code and the value in messages. Returns false when an error was
 * reported; *ind_out (if not NULL) is the indicator, or NULL for an
 * unknown code. */
bool nb_metric_check(const nb_indicator **ind_out, const nb_catalog *c,
                     const char *code, const char *value, const char *unit,
                     const nb_loc *loc, const char *code_col,
                     const char *value_col, nb_diag_list *dl);

#endif /* NIANBAO_SRC_LIB_CATALOG_H */
