/* schema_json.c: JSON Schema for the data of `render --data`.
 *
 * The subset of draft 2020-12 (and draft-07) that matters for documents:
 * type, properties, required, additionalProperties, items (a schema, or
 * draft-07's array of them), prefixItems, minItems, maxItems, enum,
 * const, minimum, maximum, exclusiveMinimum, exclusiveMaximum, minLength,
 * maxLength, pattern (POSIX extended regular expressions, regex.h: no
 * \d, lookahead or lazy quantifiers), format "date", $ref to "#",
 * "#/$defs/…" or "#/definitions/…", allOf, anyOf, oneOf. Any other keyword
 * is named in a warning, never passed over in silence. Findings carry the
 * JSON pointer of the value (the location's "where") and the keyword of
 * the schema that fails. The schema is bounded in size and depth, and a
 * $ref that leads back to itself without going into the data is an error.
 * The schema's shape (properties, items) is what check-template checks a
 * template's names against, with or without data.
 */
#include "schema_json.h"
#include "tmpl.h"

#include <jansson.h>
#include <regex.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SCHEMA_DEPTH 64     /* nesting of the schema document */
#define MAX_SCHEMA_NODES 100000 /* values in the schema document */
#define PTR_MAX NB_JSON_PTR_MAX

struct nb_json_schema {
    json_t *root;
    char *name;
    bool broken; /* a $ref is unresolved or cyclic: nothing is checked */
};

/* ==== Keywords ==== */

static const char *const checked[] = {
    "type",      "properties", "required",  "additionalProperties",
    "items",     "prefixItems", "minItems", "maxItems",
    "enum",      "const",      "minimum",   "maximum",
    "exclusiveMinimum", "exclusiveMaximum", "minLength", "maxLength",
    "pattern",   "format",     "$ref",      "$defs",
    "definitions", "allOf",    "anyOf",     "oneOf"};
static const char *const annotations[] = {
    "$schema", "$id",      "$comment", "title",    "description",
    "default", "examples", "deprecated", "readOnly", "writeOnly"};

static bool in(const char *const *list, size_t n, const char *k)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (strcmp(list[i], k) == 0)
            return true;
    return false;
}

/* ==== JSON pointers ==== */

/* 'base' + "/" + 'key' escaped (~0 ~1), cut at PTR_MAX. */
void nb_json_ptr_join(char *out, const char *base, const char *key)
{
    size_t n = strlen(base);

    if (n >= PTR_MAX - 2) {
        memcpy(out, base, PTR_MAX - 1);
        out[PTR_MAX - 1] = '\0';
        return;
    }
    memcpy(out, base, n);
    out[n++] = '/';
    for (; *key != '\0' && n < PTR_MAX - 3; key++) {
        if (*key == '~' || *key == '/') {
            out[n++] = '~';
            out[n++] = *key == '~' ? '0' : '1';
        } else {
            out[n++] = *key;
        }
    }
    out[n] = '\0';
}

void nb_json_ptr_index(char *out, const char *base, size_t i)
{
    char num[32];

    snprintf(num, sizeof(num), "%zu", i);
    nb_json_ptr_join(out, base, num);
}

/* ==== Loading: bounds, keywords, references ==== */

typedef struct loader {
    const nb_json_schema *s;
    nb_diag_list *dl;
    size_t nodes;
    bool too_big;
} loader;

static void schema_diag(const nb_json_schema *s, nb_diag_list *dl,
                        nb_code code, const char *ptr, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static void schema_diag(const nb_json_schema *s, nb_diag_list *dl,
                        nb_code code, const char *ptr, const char *fmt, ...)
{
    nb_loc loc = {s->name, 0, 0, ptr[0] != '\0' ? ptr : "/"};
    char msg[1024];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    nb_diag_add(dl, code, &loc, "%s", msg);
}

/* The schema a "$ref" names, or NULL: "#", "#/$defs/NAME",
 * "#/definitions/NAME" (a pointer of those segments, ~0 and ~1 read). */
static const json_t *resolve(const nb_json_schema *s, const char *ref)
{
    const json_t *at = s->root;
    const char *p;

    if (ref == NULL || ref[0] != '#')
        return NULL;
    for (p = ref + 1; *p == '/' && at != NULL;) {
        char seg[256];
        size_t n = 0;

        for (p++; *p != '\0' && *p != '/' && n < sizeof(seg) - 1; p++) {
            if (p[0] == '~' && (p[1] == '0' || p[1] == '1')) {
                seg[n++] = p[1] == '0' ? '~' : '/';
                p++;
            } else {
                seg[n++] = *p;
            }
        }
        seg[n] = '\0';
        at = json_is_object(at) ? json_object_get(at, seg) : NULL;
    }
    if (*p != '\0')
        return NULL;
    return json_is_object(at) || json_is_boolean(at) ? at : NULL;
}

/* A $ref chain that comes back to where it started without a step into
 * the data (a schema that is only a $ref to itself, or a ring of them). */
static bool ref_cycle(const nb_json_schema *s, const json_t *start)
{
    const json_t *at = start;
    size_t hops;

    for (hops = 0; hops < 64; hops++) {
        const json_t *ref = json_is_object(at) ? json_object_get(at, "$ref")
                                               : NULL;

        if (!json_is_string(ref))
            return false;
        at = resolve(s, json_string_value(ref));
        if (at == NULL)
            return false;
        if (at == start)
            return true;
    }
    return true;
}

static void walk(loader *ld, const json_t *j, const char *ptr, size_t depth);

/* One schema object: its keywords. */
static void walk_schema(loader *ld, const json_t *j, const char *ptr,
                        size_t depth)
{
    const char *key;
    json_t *val;
    char sub[PTR_MAX];

    json_object_foreach ((json_t *)j, key, val) {
        nb_json_ptr_join(sub, ptr, key);
        if (!in(checked, NB_COUNT(checked), key) &&
            !in(annotations, NB_COUNT(annotations), key)) {
            schema_diag(ld->s, ld->dl, NB_DATA_SCHEMA_UNSUPPORTED, sub,
                        _("the keyword '%s' is not checked by nianbao: "
                          "the data is not held to it"),
                        key);
            continue; /* nor what is inside it */
        }
        if (strcmp(key, "$ref") == 0) {
            const char *ref = json_string_value(val);

            if (resolve(ld->s, ref) == NULL)
                schema_diag(ld->s, ld->dl, NB_DATA_SCHEMA_REF, sub,
                            _("$ref '%s' names no schema of this file: "
                              "write \"#/$defs/NAME\" or "
                              "\"#/definitions/NAME\""),
                            ref != NULL ? ref : "");
            else if (ref_cycle(ld->s, j))
                schema_diag(ld->s, ld->dl, NB_DATA_SCHEMA_REF, sub,
                            _("$ref '%s' leads back to itself: give the "
                              "schema a type or properties"),
                            ref);
        } else if (strcmp(key, "format") == 0 &&
                   strcmp(json_string_value(val) != NULL
                              ? json_string_value(val)
                              : "",
                          "date") != 0) {
            schema_diag(ld->s, ld->dl, NB_DATA_SCHEMA_UNSUPPORTED, sub,
                        _("format '%s' is not checked by nianbao (only "
                          "\"date\" is)"),
                        json_string_value(val) != NULL
                            ? json_string_value(val)
                            : "?");
        } else if (strcmp(key, "pattern") == 0 && json_is_string(val)) {
            regex_t re;

            if (regcomp(&re, json_string_value(val),
                        REG_EXTENDED | REG_NOSUB) != 0)
                schema_diag(ld->s, ld->dl, NB_DATA_SCHEMA_UNSUPPORTED, sub,
                            _("pattern '%s' is not a POSIX extended regular "
                              "expression (write [0-9] for \\d): it is not "
                              "checked"),
                            json_string_value(val));
            else
                regfree(&re);
        }
        if (in(annotations, NB_COUNT(annotations), key) ||
            strcmp(key, "enum") == 0 || strcmp(key, "const") == 0)
            continue; /* values, not schemas: counted, not walked */
        walk(ld, val, sub, depth + 1);
    }
}

static void walk(loader *ld, const json_t *j, const char *ptr, size_t depth)
{
    size_t i;
    const char *key;
    json_t *val;
    char sub[PTR_MAX];

    if (ld->too_big)
        return;
    if (++ld->nodes > MAX_SCHEMA_NODES || depth > MAX_SCHEMA_DEPTH) {
        ld->too_big = true;
        return;
    }
    if (json_is_array(j)) {
        for (i = 0; i < json_array_size(j); i++) {
            nb_json_ptr_index(sub, ptr, i);
            walk(ld, json_array_get(j, i), sub, depth + 1);
        }
    } else if (json_is_object(j)) {
        /* a schema where a keyword's value is one (or a map of them:
         * properties, $defs) */
        const char *last = strrchr(ptr, '/');
        bool map = last != NULL && (strcmp(last, "/properties") == 0 ||
                                    strcmp(last, "/$defs") == 0 ||
                                    strcmp(last, "/definitions") == 0);

        if (!map) {
            walk_schema(ld, j, ptr, depth);
            return;
        }
        json_object_foreach ((json_t *)j, key, val) {
            nb_json_ptr_join(sub, ptr, key);
            walk(ld, val, sub, depth + 1);
        }
    }
}

nb_status nb_json_schema_load(nb_json_schema **out, const char *path,
                              const nb_limits *limits, nb_diag_list *dl)
{
    nb_limits lim = nb_limits_resolve(limits);
    char *buf = NULL;
    size_t len = 0;
    json_error_t err;
    nb_json_schema *s = NULL;
    nb_loc loc = {path, 0, 0, NULL};
    loader ld;
    size_t before = nb_diag_list_count_sev(dl, NB_SEV_ERROR);
    nb_status st;

    *out = NULL;
    st = nb_file_read(&buf, &len, path, lim.max_input_bytes, NB_DATA_TOO_LARGE,
                      dl);
    if (st != NB_OK)
        goto done;
    s = calloc(1, sizeof(*s));
    if (s != NULL)
        s->name = strdup(path);
    if (s == NULL || s->name == NULL) {
        st = nb_diag_nomem(dl, path);
        goto done;
    }
    s->root = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &err);
    if (s->root == NULL) {
        loc.line = err.line > 0 ? (uint32_t)err.line : 0;
        loc.col = err.column > 0 ? (uint32_t)err.column : 0;
        nb_diag_add(dl, NB_DATA_SCHEMA_MALFORMED, &loc,
                    _("the schema is not valid JSON: %s"), err.text);
        st = NB_ERR_FORMAT;
        goto done;
    }
    if (!json_is_object(s->root) && !json_is_boolean(s->root)) {
        nb_diag_add(dl, NB_DATA_SCHEMA_MALFORMED, &loc, "%s",
                    _("a JSON Schema is an object {\"type\": …} (or true "
                      "or false)"));
        st = NB_ERR_FORMAT;
        goto done;
    }
    memset(&ld, 0, sizeof(ld));
    ld.s = s;
    ld.dl = dl;
    walk(&ld, s->root, "", 0);
    if (ld.too_big) {
        nb_diag_add(dl, NB_DATA_SCHEMA_LIMIT, &loc,
                    _("the schema is nested deeper than %d or has more than "
                      "%d values: split it with $defs"),
                    MAX_SCHEMA_DEPTH, MAX_SCHEMA_NODES);
        st = NB_ERR_LIMIT;
        goto done;
    }
    s->broken = nb_diag_list_count_sev(dl, NB_SEV_ERROR) > before;
    *out = s;
    s = NULL;
done:
    nb_json_schema_free(s);
    free(buf);
    return st;
}

void nb_json_schema_free(nb_json_schema *s)
{
    if (s == NULL)
        return;
    json_decref(s->root);
    free(s->name);
    free(s);
}

bool nb_json_schema_ok(const nb_json_schema *s)
{
    return s != NULL && !s->broken;
}

const json_t *nb_json_schema_root(const nb_json_schema *s)
{
    return s->root;
}

const json_t *nb_json_schema_resolve(const nb_json_schema *s, const char *ref)
{
    return resolve(s, ref);
}
