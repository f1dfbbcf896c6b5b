/* docx_write.c: load DOCX templates and write merged DOCX packages.
 *
 * The last stage of DESIGN.md's pipeline. A template is unpacked once
 * (zip_io.c, with limits), its parts compiled (tmpl_parse.c), and then
 * rendered any number of times: each render builds the report's template
 * data (view.c), evaluates the merged parts (tmpl_eval.c) and copies every
 * other part byte for byte, in the template's order, into a reproducible
 * archive. Parts copied unchanged are written as the template stored
 * them (deflated once, at load time, when it stored them otherwise).
 * word/numbering.xml is copied too, unless a loop restarted a list: it is
 * then written after the other parts, with the lists they started.
 */
#include "data_path.h"
#include "docx_media.h"
#include "model.h"
#include "tmpl.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

extern const unsigned char nb_standard_docx[];
extern const size_t nb_standard_docx_len;

const unsigned char *nb_template_standard_bytes(size_t *len_out)
{
    *len_out = nb_standard_docx_len;
    return nb_standard_docx;
}

void nb_template_free(nb_template *t)
{
    size_t i;

    if (t == NULL)
        return;
    for (i = 0; i < t->n_parts; i++)
        nb_zip_blob_fini(&t->parts[i].blob);
    for (i = 0; i < t->n_bookmark_names; i++)
        free(t->bookmark_names[i]);
    free(t->bookmark_names);
    free(t->nums);
    nb_zip_entries_free(t->entries, t->n_entries);
    nb_arena_free(t->arena);
    free(t->tags);
    free(t);
}

static bool has_entry(const nb_template *t, const char *name)
{
    size_t i;

    for (i = 0; i < t->n_entries; i++)
        if (strcmp(t->entries[i].name, name) == 0)
            return true;
    return false;
}

/* The deflated bytes of every part copied unchanged: its stream as the
 * template stored it, or deflated now when it stored none. */
static nb_status pack_copied(nb_template *t)
{
    nb_zip_deflater *z = NULL;
    nb_status st = NB_OK;
    size_t i;

    for (i = 0; i < t->n_parts && st == NB_OK; i++) {
        nb_tpart *p = &t->parts[i];

        if (p->merged) {
            /* written anew by every render: its stream is of no use */
            free(t->entries[i].packed);
            t->entries[i].packed = NULL;
            continue;
        }
        if (nb_zip_blob_take(&p->blob, &t->entries[i]))
            continue;
        if (z == NULL && (z = nb_zip_deflater_new()) == NULL)
            st = NB_ERR_NOMEM;
        else
            st = nb_zip_blob_make(&p->blob, z, p->raw, p->raw_len);
    }
    nb_zip_deflater_free(z);
    return st;
}

/* Unpack and compile a template. With 'keep', *out is the template even
 * when it has errors (marked so), for nb_template_check. */
static nb_status load(nb_template **out, const void *data, size_t len,
                      const char *name, const nb_limits *limits, bool keep,
                      nb_diag_list *dl)
{
    nb_template *t;
    nb_status st;
    size_t errors_before = nb_diag_errors(dl);
    size_t i;

    *out = NULL;
    if (name == NULL)
        name = "-";
    t = calloc(1, sizeof(*t));
    if (t == NULL)
        return nb_diag_nomem(dl, name);
    t->limits = nb_limits_resolve(limits);
    t->arena = nb_arena_new();
    if (t->arena == NULL ||
        (t->file = nb_arena_strdup(t->arena, name)) == NULL) {
        nb_template_free(t);
        return nb_diag_nomem(dl, name);
    }
    st = nb_zip_read_template(&t->entries, &t->n_entries, data, len, t->file,
                              &t->limits, dl);
    if (st != NB_OK) {
        nb_template_free(t);
        return st == NB_ERR_NOMEM || st == NB_ERR_LIMIT ? st : NB_ERR_FORMAT;
    }
    if (!has_entry(t, "[Content_Types].xml") ||
        !has_entry(t, "word/document.xml")) {
        nb_loc loc = {t->file, 0, 0, NULL};

        nb_diag_add(dl, NB_TMPL_NOT_DOCX, &loc, "%s",
                    _("not a Word document: [Content_Types].xml or "
                      "word/document.xml is missing"));
        nb_template_free(t);
        return NB_ERR_FORMAT;
    }
    t->parts = nb_arena_array(t->arena, t->n_entries, sizeof(nb_tpart));
    if (t->parts == NULL && t->n_entries > 0) {
        nb_template_free(t);
        return nb_diag_nomem(dl, name);
    }
    t->n_parts = t->n_entries;
    for (i = 0; i < t->n_parts; i++) {
        t->parts[i].name = t->entries[i].name;
        t->parts[i].raw = t->entries[i].data;
        t->parts[i].raw_len = t->entries[i].len;
    }
    if (nb_tmpl_mark_unreferenced(t) != NB_OK) {
        nb_template_free(t);
        return nb_diag_nomem(dl, name);
    }
    for (i = 0; i < t->n_parts; i++) {
        nb_tpart *p = &t->parts[i];

        if (p->unreferenced)
            continue;
        if (strcmp(p->name, "word/numbering.xml") == 0)
            st = nb_tmpl_compile_numbering(t, p, dl);
        else if (nb_tmpl_part_is_merged(p->name))
            st = nb_tmpl_compile_part(t, p, dl);
        else
            continue;
        if (st == NB_ERR_NOMEM || st == NB_ERR_LIMIT) {
            nb_template_free(t);
            return st;
        }
        /* a malformed part is reported; keep looking at the others */
    }
    if (nb_tmpl_scan_active(t, dl) != NB_OK) {
        nb_template_free(t);
        return nb_diag_nomem(dl, name);
    }
    if (pack_copied(t) != NB_OK) {
        nb_template_free(t);
        return nb_diag_nomem(dl, name);
    }
    t->broken = nb_diag_errors(dl) > errors_before;
    t->has_errors = t->broken;
    if (t->broken && !keep) {
        nb_template_free(t);
        return NB_OK; /* findings in the template: reported, no template */
    }
    *out = t;
    return NB_OK;
}

nb_status nb_template_load_memory(nb_template **out, const void *data,
                                  size_t len, const char *name,
                                  const nb_limits *limits, nb_diag_list *dl)
{
    if (nb_tmpl_is_html(data, len))
        return nb_tmpl_html_load(out, data, len, name != NULL ? name : "-",
                                 limits, false, dl);
    return load(out, data, len, name, limits, false, dl);
}

nb_status nb_template_check_memory(nb_template **out, const void *data,
                                   size_t len, const char *name,
                                   const nb_template_check_opts *opts,
                                   nb_diag_list *dl)
{
    nb_template_check_opts o = {NULL, NULL, NULL};
    size_t errors_before = nb_diag_errors(dl);
    nb_status st;

    if (opts != NULL)
        o = *opts;
    if (nb_tmpl_is_html(data, len))
        st = nb_tmpl_html_load(out, data, len, name != NULL ? name : "-",
                               o.limits, true, dl);
    else
        st = load(out, data, len, name, o.limits, true, dl);
    if (st != NB_OK || *out == NULL)
        return st;
    if (o.data != NULL)
        nb_tmpl_check_shape(*out, o.catalog, nb_data_shape(o.data), dl);
    else
        nb_tmpl_check_paths(*out, o.catalog, dl);
    (*out)->has_errors = nb_diag_errors(dl) > errors_before;
    return NB_OK;
}

/* The bytes of a template file; caller frees *data with free(). */
static nb_status read_template(char **data, size_t *len, const char *path,
                               const nb_limits *limits, nb_diag_list *dl)
{
    nb_limits lim = nb_limits_resolve(limits);

    /* the packed file is at most the total unpacked limit */
    return nb_file_read(data, len, path, lim.max_total_bytes, NB_LIMIT_ZIP, dl);
}

nb_status nb_template_load(nb_template **out, const char *path,
                           const nb_limits *limits, nb_diag_list *dl)
{
    char *data = NULL;
    size_t len = 0;
    nb_status st;

    *out = NULL;
    st = read_template(&data, &len, path, limits, dl);
    if (st != NB_OK)
        return st;
    st = nb_template_load_memory(out, data, len, path, limits, dl);
    free(data);
    return st;
}

nb_status nb_template_check(nb_template **out, const char *path,
                            const nb_template_check_opts *opts,
                            nb_diag_list *dl)
{
    char *data = NULL;
    size_t len = 0;
    nb_status st;

    *out = NULL;
    if (path == NULL)
        return nb_template_check_memory(out, nb_standard_docx,
                                        nb_standard_docx_len, "standard.docx",
                                        opts, dl);
    st = read_template(&data, &len, path, opts != NULL ? opts->limits : NULL,
                       dl);
    if (st != NB_OK)
        return st;
    st = nb_template_check_memory(out, data, len, path, opts, dl);
    free(data);
    return st;
}

nb_status nb_template_load_standard(nb_template **out, nb_diag_list *dl)
{
    return nb_template_load_standard_limits(out, NULL, dl);
}

nb_status nb_template_load_standard_limits(nb_template **out,
                                           const nb_limits *limits,
                                           nb_diag_list *dl)
{
    return nb_template_load_memory(out, nb_standard_docx, nb_standard_docx_len,
                                   "standard.docx", limits, dl);
}

/* The merged parts' bytes, evaluated before any is written: the lists
 * they restart go into numbering.xml, which may come first. */
typedef struct part_out {
    char *bytes;
    size_t len;
} part_out;

static nb_status eval_one(part_out *o, nb_render_state *rs, const nb_tpart *p,
                          const nb_value *root, const char *name,
                          nb_diag_list *dl)
{
    size_t max = rs->t->limits.max_output_bytes;
    nb_buf b;
    nb_status st;

    /* the parts together, not each, within the limit: eight headers
       looping over the same list would hold eight times as much */
    nb_buf_init(&b, rs->spent < max ? max - rs->spent : 0);
    st = nb_tmpl_eval_part_state(&b, rs, p, root, dl);
    if (st != NB_OK) {
        nb_buf_fini(&b);
        return st;
    }
    o->bytes = nb_buf_steal(&b, &o->len);
    rs->spent += o->len;
    return o->bytes != NULL ? NB_OK : nb_diag_nomem(dl, name);
}

static void report_unpatched(const nb_template *t, const char *part,
                             nb_diag_list *dl)
{
    nb_loc loc = {t->file, 0, 0, part};

    nb_diag_add(dl, NB_DOCX_WRITE, &loc, "%s",
                _("the pictures' relationships or content types cannot be "
                  "added to this part: its root element is not there"));
}

/* Write the package: every part of the template, merged, patched with
 * the relationships and content types of the parts the render added, or
 * copied; then the parts added. Takes the merged parts' bytes. */
static nb_status write_package(void **out, size_t *len_out,
                               const nb_template *t, part_out *po,
                               const nb_pkg_adds *pkg, nb_diag_list *dl)
{
    nb_zip_writer *w = NULL;
    nb_status st = nb_zip_writer_new(&w, dl);
    size_t i;

    for (i = 0; i < t->n_parts && st == NB_OK; i++) {
        const nb_tpart *p = &t->parts[i];
        char *patched = NULL;
        size_t len = 0;

        if (po[i].bytes != NULL) {
            /* merged: never a relationships part or the content types */
            st = nb_zip_writer_add(w, p->name, po[i].bytes, po[i].len, true);
            po[i].bytes = NULL;
            continue;
        }
        if (!nb_pkg_patch(pkg, p->name, p->raw, p->raw_len, &patched, &len,
                          &st)) {
            if (st == NB_OK)
                st = nb_zip_writer_add_blob(w, p->name, &p->blob);
            else if (st == NB_ERR_FORMAT)
                report_unpatched(t, p->name, dl);
            continue;
        }
        st = nb_zip_writer_add(w, p->name, patched, len, true);
    }
    if (st == NB_OK)
        st = nb_pkg_write_new(pkg, w);
    if (st == NB_OK) {
        st = nb_zip_writer_finish(w, out, len_out);
        w = NULL;
    }
    nb_zip_writer_free(w);
    return st;
}

nb_status nb_render_value(void **out, size_t *len_out, const nb_template *t,
                          const nb_value *root, const char *name,
                          nb_diag_list *dl)
{
    return nb_render_value_dirs(out, len_out, t, root, name, NULL, dl);
}

nb_status nb_render_value_dirs(void **out, size_t *len_out,
                               const nb_template *t, const nb_value *root,
                               const char *name, const nb_data_dirs *dirs,
                               nb_diag_list *dl)
{
    nb_render_state rs;
    nb_pkg_adds pkg;
    part_out *po;
    nb_status st;
    size_t i;

    /* parts with errors were not compiled (nb_template_renderable) */
    assert(!t->broken);
    *out = NULL;
    *len_out = 0;
    po = calloc(t->n_parts + 1, sizeof(*po));
    nb_pkg_adds_init(&pkg, t->entries, t->n_entries);
    st = nb_render_state_init(&rs, t);
    rs.data = name;
    rs.dirs = dirs;
    rs.pkg = &pkg;
    if (po == NULL || st != NB_OK) {
        st = nb_diag_nomem(dl, name);
        goto done;
    }
    for (i = 0; i < t->n_parts && st == NB_OK; i++)
        if (t->parts[i].merged)
            st = eval_one(&po[i], &rs, &t->parts[i], root, name, dl);
    for (i = 0; i < t->n_parts && st == NB_OK; i++)
        if (t->parts[i].numbering && rs.n_num > 0)
            st = eval_one(&po[i], &rs, &t->parts[i], root, name, dl);
    if (st == NB_OK && rs.picture_errors > 0)
        st = NB_ERR_FORMAT; /* reported: nothing is written */
    if (st == NB_OK)
        st = write_package(out, len_out, t, po, &pkg, dl);
done:
    if (po != NULL)
        for (i = 0; i < t->n_parts; i++)
            nb_free(po[i].bytes);
    free(po);
    nb_pkg_adds_fini(&pkg);
    nb_render_state_fini(&rs);
    return st;
}

nb_format nb_template_format(const nb_template *t)
{
    return t->html ? NB_FORMAT_HTML : NB_FORMAT_DOCX;
}

/* Can 't' write 'f'? Else NB7012. */
static bool format_ok(const nb_template *t, nb_format f, nb_diag_list *dl)
{
    nb_loc loc = {t->file, 0, 0, NULL};

    if (f == NB_FORMAT_HTML ? t->html
                            : !t->html && f != NB_FORMAT_PDF)
        return true;
    nb_diag_add(dl, NB_RENDER_FORMAT, &loc,
                _("a %s template cannot write %s"),
                t->html ? "HTML" : ".docx", nb_format_name(f));
    return false;
}

/* The report checked, as nb_render_memory says. */
static nb_status check_first(nb_report *r, nb_diag_list *dl)
{
    /* a figure the check derives or a reference it fills would print
     * blank without it ("纠错率。") */
    size_t before = nb_diag_list_count_sev(dl, NB_SEV_ERROR);
    nb_status st;

    if (nb_report_refuse_partial(r, dl))
        return NB_ERR_FORMAT;
    if (r->checked)
        return NB_OK;
    st = nb_report_check(r, NULL, dl);
    if (st == NB_OK && nb_diag_list_count_sev(dl, NB_SEV_ERROR) > before)
        st = NB_ERR_FORMAT;
    return st;
}

nb_status nb_render_memory_opts(void **out, size_t *len_out,
                                const nb_template *t, nb_report *r,
                                const nb_render_opts *opts, nb_diag_list *dl)
{
    nb_render_opts o = {nb_template_format(t), false};
    nb_arena *arena;
    nb_value *root;
    nb_status st;

    *out = NULL;
    *len_out = 0;
    if (opts != NULL)
        o = *opts;
    if (!format_ok(t, o.format, dl))
        return NB_ERR_FORMAT;
    st = check_first(r, dl);
    if (st != NB_OK)
        return st;
    arena = nb_arena_new();
    root = arena != NULL ? nb_view_build(arena, r) : NULL;
    if (root == NULL)
        st = nb_diag_nomem(dl, r->file);
    else if (o.format == NB_FORMAT_HTML)
        st = nb_html_render(out, len_out, t, root, r->file, o.fragment, dl);
    else if (o.format == NB_FORMAT_TEXT)
        st = nb_text_render(out, len_out, t, root, r->file, dl);
    else
        st = nb_render_value(out, len_out, t, root, r->file, dl);
    nb_arena_free(arena);
    return st;
}

nb_status nb_render_memory(void **out, size_t *len_out, const nb_template *t,
                           nb_report *r, nb_diag_list *dl)
{
    return nb_render_memory_opts(out, len_out, t, r, NULL, dl);
}

nb_status nb_render_file_opts(const char *path, const nb_template *t,
                              nb_report *r, const nb_render_opts *opts,
                              nb_diag_list *dl)
{
    void *data = NULL;
    size_t len = 0;
    nb_status st;

    st = nb_render_memory_opts(&data, &len, t, r, opts, dl);
    if (st != NB_OK)
        return st;
    st = nb_write_file_atomic(path, data, len, dl);
    nb_free(data);
    return st;
}

nb_status nb_render_file(const char *path, const nb_template *t,
                         nb_report *r, nb_diag_list *dl)
{
    return nb_render_file_opts(path, t, r, NULL, dl);
}
