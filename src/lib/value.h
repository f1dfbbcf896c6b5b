/* value.h: the data tree a template sees (docs/templates.md, "The data a
 * template sees"): null, booleans, strings, lists and maps, all allocated
 * in an arena. view.c builds it from a report; tmpl_eval.c reads it.
 */
#ifndef NIANBAO_SRC_LIB_VALUE_H
#define NIANBAO_SRC_LIB_VALUE_H

#include "internal.h"

typedef enum nb_vtype {
    NB_V_NULL = 0,
    NB_V_BOOL,
    NB_V_STR,
    NB_V_LIST,
    NB_V_MAP
} nb_vtype;

typedef struct nb_value nb_value;

typedef struct nb_kv {
    const char *key;
    nb_value *val;
} nb_kv;

struct nb_value {
    nb_vtype type;
    bool b;           /* NB_V_BOOL */
    const char *s;    /* NB_V_STR, NUL-terminated */
    size_t len;       /* NB_V_STR, bytes */
    nb_value **items; /* NB_V_LIST */
    nb_kv *kv;        /* NB_V_MAP, in insertion order */
    size_t n;         /* list items or map entries */
    size_t alloc;     /* map entries allocated */
    /* where the data came from (borrowed from the model), or NULL: for
     * messages about it */
    const nb_loc *loc;
};

/* Constructors; NULL when out of memory. Strings are borrowed: they must
 * live as long as the arena (they normally live in the report's). */
nb_value *nb_v_null(nb_arena *a);
nb_value *nb_v_bool(nb_arena *a, bool b);
nb_value *nb_v_str(nb_arena *a, const char *s);
nb_value *nb_v_list(nb_arena *a, size_t n); /* n slots, filled by caller */
nb_value *nb_v_map(nb_arena *a, size_t alloc);
/* Add a key (no duplicate check); false when the map is full or val NULL. */
bool nb_v_map_set(nb_value *map, const char *key, nb_value *val);
/* The value under 'key', or NULL. */
const nb_value *nb_v_map_get(const nb_value *map, const char *key,
                             size_t key_len);
/* Mustache truthiness: false, null, "" and [] are false. */
bool nb_v_truthy(const nb_value *v);

/* Build the template data tree of a report in 'a'. NULL when out of
 * memory. */
struct nb_report;
nb_value *nb_view_build(nb_arena *a, const struct nb_report *r);

/* The signature block of GB/T 9704-2012 7.3.5 as the view's
 * meta.signature: signer_pad, date_pad (spaces that place the 署名 and the
 * date on the 28-character line), signer_right, date_right (characters
 * right of each) and date_text (2023年2月8日, or empty). 'date' is
 * YYYY-MM-DD or NULL. NULL when out of memory. */
nb_value *nb_view_signature(nb_arena *a, const char *signer, const char *date,
                            bool seal);

/* ==== The shape of the view ==== */

/* What a name of the view holds: the tree nb_view_build makes, described
 * once (view.c), so that templates can be checked without a report. */
typedef enum nb_vkind {
    NB_VK_STR = 0, /* a string */
    NB_VK_BOOL,    /* true or false */
    NB_VK_MAP,     /* named fields */
    NB_VK_LIST,    /* elements, each an 'elem' */
    NB_VK_BY_CODE  /* a map keyed by indicator codes, each an 'elem' */
} nb_vkind;

typedef struct nb_vfield nb_vfield;

typedef struct nb_vnode {
    nb_vkind kind;
    const nb_vfield *fields; /* NB_VK_MAP */
    size_t n_fields;
    const struct nb_vnode *elem; /* NB_VK_LIST, NB_VK_BY_CODE */
} nb_vnode;

struct nb_vfield {
    const char *name;
    const nb_vnode *node;
};

/* The root of a report's view (docs/templates.md, "The data a template
 * sees"). */
extern const nb_vnode nb_view_shape;

/* The field 'name[0..len)' of map 'n', or NULL. */
const nb_vnode *nb_vnode_field(const nb_vnode *n, const char *name, size_t len);

/* The shape of JSON data (data_json.c): its objects' fields, merged over
 * the elements of each array. */
const nb_vnode *nb_data_shape(const nb_data *d);

/* A node whose names are not known: any path below it is taken. */
extern const nb_vnode nb_vnode_any;

#endif /* NIANBAO_SRC_LIB_VALUE_H */
