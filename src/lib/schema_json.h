/* schema_json.h: JSON Schema for `render --data` (schema_json.c loads and
 * bounds it, schema_check.c holds data to it and gives its shape). */
#ifndef NIANBAO_SRC_LIB_SCHEMA_JSON_H
#define NIANBAO_SRC_LIB_SCHEMA_JSON_H

#include "internal.h"
#include "value.h"

#include <jansson.h>

#define NB_SCHEMA_EVAL_DEPTH 256 /* schemas entered for one value */
#define NB_JSON_PTR_MAX 512      /* bytes of a JSON pointer kept */

/* False when the schema has errors (a bad $ref): data is not checked. */
bool nb_json_schema_ok(const nb_json_schema *s);
/* The schema document; borrowed. */
const json_t *nb_json_schema_root(const nb_json_schema *s);
/* The schema "$ref" 'ref' names ("#", "#/$defs/…"), or NULL. */
const json_t *nb_json_schema_resolve(const nb_json_schema *s,
                                     const char *ref);
/* 'base' + "/" + 'key' as a JSON pointer (~0, ~1) into out[NB_JSON_PTR_MAX],
 * cut at that size; the same with an array index. */
void nb_json_ptr_join(char *out, const char *base, const char *key);
void nb_json_ptr_index(char *out, const char *base, size_t i);
/* The names the schema declares, as a shape for check-template, in arena
 * 'a'; nb_vnode_any where it says nothing; NULL when out of memory. */
const nb_vnode *nb_json_schema_shape(nb_arena *a, const nb_json_schema *s);

#endif /* NIANBAO_SRC_LIB_SCHEMA_JSON_H */
