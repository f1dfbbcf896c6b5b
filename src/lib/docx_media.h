/* docx_media.h: parts a render adds to a .docx package (pictures from
 * data, other documents' content): the new part itself, a relationship
 * to it from the part that uses it, and the content type of its
 * extension.
 *
 * A render collects them in an nb_pkg_adds while it merges the parts; the
 * package writer (docx_write.c) then patches the template's
 * relationships parts and [Content_Types].xml with nb_pkg_patch, writes
 * the relationships parts the template did not have and the new parts
 * with nb_pkg_write_new. The same bytes added twice are one part; a part
 * that uses the same part twice has one relationship to it. Names and
 * relationship ids follow the order of adding, so the same render gives
 * the same package, byte for byte.
 */
#ifndef NIANBAO_SRC_LIB_DOCX_MEDIA_H
#define NIANBAO_SRC_LIB_DOCX_MEDIA_H

#include "internal.h"
#include "zip_io.h"

/* The relationship type of a picture (ECMA-376 Part 1, §15.2.14). */
#define NB_REL_IMAGE                                                           \
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"     \
    "image"

typedef struct nb_pkg_part {
    char *name;          /* "word/media/nianbao-<hash>.png" */
    unsigned char *data; /* malloc'd */
    size_t len;
    uint64_t hash;
    const char *content_type; /* static */
} nb_pkg_part;

typedef struct nb_pkg_rel {
    const char *from; /* the part that uses it (the template's name) */
    size_t part;      /* index in 'parts' */
    const char *type; /* relationship type (static) */
    char id[24];      /* "rIdNb3" */
} nb_pkg_rel;

typedef struct nb_pkg_adds {
    nb_pkg_part *parts;
    size_t n_parts;
    size_t alloc_parts;
    nb_pkg_rel *rels;
    size_t n_rels;
    size_t alloc_rels;
    const nb_zip_entry *existing; /* the template's parts (borrowed): a new
                                     name or relationship id is none of
                                     theirs */
    size_t n_existing;
    size_t bytes; /* of all parts added */
} nb_pkg_adds;

/* Start 'p' for a package whose parts are parts[0..n) (borrowed). */
void nb_pkg_adds_init(nb_pkg_adds *p, const nb_zip_entry *parts, size_t n);
void nb_pkg_adds_fini(nb_pkg_adds *p);

/* Add the part holding data[0..len) (copied) under word/media/ with the
 * extension 'ext' ("png") and content type 'type' ("image/png"), unless
 * the same bytes were added already, and a relationship of type
 * 'rel_type' to it from the part 'from' ("word/document.xml", a name
 * that outlives 'p'), unless it has one. *rid_out is the relationship's
 * id, valid as long as 'p'. NB_ERR_NOMEM only. */
nb_status nb_pkg_add_media(nb_pkg_adds *p, const char *from, const void *data,
                           size_t len, const char *ext, const char *type,
                           const char *rel_type, const char **rid_out);

/* Was data[0..len) added already (it would take no more room)? */
bool nb_pkg_has_media(const nb_pkg_adds *p, const void *data, size_t len);

/* Does the package need anything of 'p' at all? */
bool nb_pkg_adds_any(const nb_pkg_adds *p);

/* The relationships part of 'part': "word/_rels/document.xml.rels" for
 * "word/document.xml", malloc'd. */
char *nb_pkg_rels_name(const char *part);

/* If the template's part 'name' (raw[0..len)) is one that 'p' changes
 * (the relationships of a part with new relationships, or
 * [Content_Types].xml), its new bytes into *out (malloc'd) and true;
 * false when it is copied as it is. *st is NB_ERR_NOMEM, or
 * NB_ERR_FORMAT when the part needs additions but its root element
 * cannot be found. */
bool nb_pkg_patch(const nb_pkg_adds *p, const char *name,
                  const unsigned char *raw, size_t len, char **out,
                  size_t *out_len, nb_status *st);

/* Add to 'w' the relationships parts the template lacks and every new
 * part, after the template's parts. */
nb_status nb_pkg_write_new(const nb_pkg_adds *p, nb_zip_writer *w);

#endif /* NIANBAO_SRC_LIB_DOCX_MEDIA_H */
