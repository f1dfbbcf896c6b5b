/* tmpl_include.h: what the two files of includes share (tmpl_include.c
 * takes an included document's body in and writes the package's new
 * parts; tmpl_include_styles.c brings its styles and lists). Private to
 * them.
 */
#ifndef NIANBAO_SRC_LIB_TMPL_INCLUDE_H
#define NIANBAO_SRC_LIB_TMPL_INCLUDE_H

#include "tmpl.h"
#include "xml_io.h"

#include <libxml/tree.h>

#define W_NS "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#define R_NS                                                                   \
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define W14_NS "http://schemas.microsoft.com/office/word/2010/wordml"
#define MC_NS "http://schemas.openxmlformats.org/markup-compatibility/2006"
#define PR_NS "http://schemas.openxmlformats.org/package/2006/relationships"
#define CT_NS "http://schemas.openxmlformats.org/package/2006/content-types"
#define REL_IMAGE R_NS "/image"
#define REL_LINK R_NS "/hyperlink"
#define REL_STYLES R_NS "/styles"
#define REL_NUMBERING R_NS "/numbering"
#define CT_STYLES                                                              \
    "application/vnd.openxmlformats-officedocument.wordprocessingml."         \
    "styles+xml"
#define CT_NUMBERING                                                           \
    "application/vnd.openxmlformats-officedocument.wordprocessingml."         \
    "numbering+xml"
#define PARA_ID_LIMIT 0x7FFFFFFFu /* MS-DOCX: w14:paraId below 0x80000000 */

/* ==== Small maps of strings ==== */

typedef struct kvs {
    char **k;
    char **v;
    size_t n;
    size_t alloc;
} kvs;

void nb_incl_kvs_fini(kvs *m);
/* The value of 'k', or NULL; *found (may be NULL) says whether 'k' is
 * there. */
const char *nb_incl_kvs_get(const kvs *m, const char *k, bool *found);
bool nb_incl_kvs_has(const kvs *m, const char *k);
/* Add k (v may be NULL); false on OOM. */
bool nb_incl_kvs_put(kvs *m, const char *k, const char *v);

/* ==== What a render's includes add to the package ==== */

/* A part an include makes: word/styles.xml or word/numbering.xml when
 * the template has none (pictures go through docx_media.c). */
typedef struct media {
    char *name;
    unsigned char *data;
    size_t len;
} media;

struct nb_incl {
    size_t spent;    /* bytes of included packages, unpacked */
    bool read;       /* the report's parts below were read */
    kvs doc_ns;      /* word/document.xml's root: prefix -> namespace */
    kvs style_def;   /* style id -> its w:style, serialised (the report's
                        and those added) */
    kvs style_names; /* every w:name of a style */
    kvs renamed;     /* an included style's id and definition -> the id
                        it was added under */
    kvs rel_ids;     /* word/document.xml's relationship ids */
    char *main_default;  /* the report's default paragraph style's id */
    char *main_defaults; /* its w:docDefaults, serialised */
    const char *num_prefix; /* numbering.xml's prefix of w: ("w") */
    bool has_styles, has_numbering;
    uint32_t next_abstract; /* the next w:abstractNumId */
    unsigned next_rel;
    nb_buf styles;   /* w:style elements to add */
    nb_buf abstracts; /* w:abstractNum */
    nb_buf nums;     /* w:num */
    nb_buf rels;     /* Relationship */
    nb_buf types;    /* Override of a part made */
    media *media;
    size_t n_media;
    size_t alloc_media;
    char num_prefix_buf[64];
};

/* ==== One include ==== */

typedef struct one {
    nb_render_state *rs;
    nb_incl *in;
    nb_diag_list *dl;
    const nb_incl_req *rq;
    char *file; /* the included file as the user named it */
    nb_zip_entry *e;
    size_t n_e;
    xmlDocPtr doc;
    xmlDocPtr styles;
    xmlDocPtr numbering;
    xmlDocPtr rels;
    kvs style_map; /* its style id -> the id in the report */
    kvs num_map;   /* its w:numId -> the report's (decimal text) */
    kvs abs_map;   /* its w:abstractNumId -> the report's */
    kvs rel_map;   /* its r:id -> the report's; NULL value: left out */
    kvs mark_map;  /* its bookmark ids -> the report's */
    kvs name_map;  /* its bookmark names renamed -> the new names */
    unsigned dropped_notes, dropped_comments, dropped_objects;
    bool oom;
    nb_buf msg;
} one;

/* Is 'n' the element ns:name? */
static inline bool is_el(const xmlNode *n, const char *ns, const char *name)
{
    return nb_xml_is(n, ns, name);
}

/* The value of w:'name' on 'n', or NULL. */
const char *nb_incl_wval(const xmlNode *n, const char *name);
/* The attribute w:'name' of 'n', or NULL. */
xmlAttr *nb_incl_wattr(xmlNode *n, const char *name);
/* Set attribute 'a' (NULL: nothing) to 'v'. */
void nb_incl_set_attr(xmlAttr *a, const char *v);
/* Serialise 'n' into 'b' (o->oom on failure). */
void nb_incl_dump(one *o, nb_buf *b, xmlDocPtr doc, xmlNode *n);

/* Read the report's document root, styles, numbering, relationships and
 * content types, once (tmpl_include_styles.c). NB_ERR_NOMEM only. */
nb_status nb_incl_read_main(nb_incl *in, const nb_template *t,
                            nb_diag_list *dl);

/* Declare on 'n' the namespaces of the included part's root 'root' that
 * the report's part does not declare alike ('have': prefix -> URI), and
 * its mc:Ignorable, so that the element means the same in the report. */
void nb_incl_localise_ns(one *o, xmlNode *n, const xmlNode *root,
                         const kvs *have);

/* The styles the body uses and their lists: mapped to the report's,
 * added where they differ or are missing, the body's references
 * renamed. */
void nb_incl_take_styles_and_lists(one *o, xmlNode *body);

#endif /* NIANBAO_SRC_LIB_TMPL_INCLUDE_H */
