/* read_zip.c: a zipped submission -> report model.
 *
 * Bureaus receive reports as zip files holding one report XML or one form
 * set (docs/forms.md), at the top of the zip or inside one folder, as
 * Windows' "send to compressed folder" makes it. The zip is read in memory
 * by the capped reader (zip_io.c: unsafe names, zip bombs, entry count),
 * with GBK names decoded; nothing is extracted. What macOS and Office
 * leave behind (__MACOSX/, .DS_Store, ~$ lock files) is ignored. A zip
 * that holds anything else is one finding, NB_SUBMISSION_ZIP_CONTENTS,
 * saying what it holds. Entries are named "office.zip/meta.csv" in
 * messages.
 */
#include "form.h"
#include "model.h"
#include "zip_io.h"

#include <stdlib.h>
#include <string.h>

/* ==== What the zip holds ==== */

#define N_LISTED 3 /* names a message lists */

typedef struct contents {
    const nb_zip_entry *files[N_LISTED]; /* the first files not ignored */
    size_t n_files;
    const nb_zip_entry *xml[2]; /* the first two XML files */
    size_t n_xml;
    const nb_zip_entry *form;  /* the first form: its folder is the set's */
    const nb_zip_entry *stray; /* a form in another folder, or NULL */
    bool office;               /* [Content_Types].xml: a DOCX or XLSX */
    bool workbook;             /* xl/workbook.xml: the zip is an XLSX */
    const nb_zip_entry *book;  /* the first workbook (.xlsx) it holds */
    size_t n_books;
} contents;

/* True for an entry no submission holds: in a folder or with a name that
 * starts with '.', in __MACOSX/, or an Office lock file (~$). */
static bool ignored(const char *name)
{
    const char *p = name;

    for (;;) {
        const char *slash = strchr(p, '/');

        if (nb_form_ignored_name(p) || strncmp(p, "__MACOSX/", 9) == 0)
            return true;
        if (slash == NULL)
            return false;
        p = slash + 1;
    }
}

/* The length of the entry's folder ("a/" in "a/meta.csv"); 0 at the top. */
static size_t dir_len(const char *name)
{
    const char *slash = strrchr(name, '/');

    return slash != NULL ? (size_t)(slash - name) + 1 : 0;
}

static bool same_dir(const char *a, const char *b)
{
    size_t n = dir_len(a);

    return n == dir_len(b) && memcmp(a, b, n) == 0;
}

static size_t depth(const char *name)
{
    size_t n = 0;

    for (; *name != '\0'; name++)
        n += *name == '/';
    return n;
}

static void survey(contents *c, const nb_zip_entry *v, size_t n)
{
    size_t i;

    memset(c, 0, sizeof(*c));
    for (i = 0; i < n; i++) {
        const char *name = v[i].name;
        const char *base = name + dir_len(name);

        if (ignored(name))
            continue;
        if (c->n_files < N_LISTED)
            c->files[c->n_files] = &v[i];
        c->n_files++;
        if (depth(name) > 1)
            continue; /* at the top or in one folder only */
        if (strcmp(name, "[Content_Types].xml") == 0)
            c->office = true;
        if (strcmp(name, "xl/workbook.xml") == 0)
            c->workbook = true;
        if (nb_has_suffix(base, ".xlsx") || nb_has_suffix(base, ".xlsm")) {
            if (c->book == NULL)
                c->book = &v[i];
            c->n_books++;
        } else if (nb_has_suffix(base, ".xml")) {
            if (c->n_xml < 2)
                c->xml[c->n_xml] = &v[i];
            c->n_xml++;
        } else if (nb_form_by_filename(base) >= 0) {
            if (c->form == NULL)
                c->form = &v[i];
            else if (c->stray == NULL && !same_dir(c->form->name, name))
                c->stray = &v[i];
        }
    }
}

/* ==== Saying what it holds ==== */

/* "'a.xml', 'b.xml'", with "and N more" past the ones listed. */
static void list_names(nb_buf *b, const nb_zip_entry *const *v, size_t n_v,
                       size_t n)
{
    size_t i;

    for (i = 0; i < n_v && i < n; i++)
        nb_buf_printf(b, i == 0 ? "'%s'" : ", '%s'", v[i]->name);
    if (n > n_v)
        nb_buf_printf(b, _(" and %zu more"), n - n_v);
}

/* The finding when the zip is not one submission; false when it is. */
static bool describe(nb_buf *b, const contents *c)
{
    if (c->office) {
        nb_buf_adds(b, _("the zip is a Word or Excel document "
                         "([Content_Types].xml), not a zipped report"));
    } else if (c->n_books > 0 && (c->n_books > 1 || c->n_xml > 0 ||
                                  c->form != NULL)) {
        if (c->n_books > 1)
            nb_buf_printf(b, _("the zip holds %zu workbooks ('%s' among "
                               "them)"),
                          c->n_books, c->book->name);
        else
            nb_buf_printf(b, _("the zip holds a workbook ('%s') and another "
                               "report ('%s')"),
                          c->book->name,
                          c->n_xml > 0 ? c->xml[0]->name : c->form->name);
    } else if (c->n_books == 1) {
        return false;
    } else if (c->n_xml > 0 && c->form != NULL) {
        nb_buf_printf(b,
                      _("the zip holds a report XML ('%s') and forms "
                        "('%s')"),
                      c->xml[0]->name, c->form->name);
    } else if (c->n_xml > 1) {
        nb_buf_printf(b, _("the zip holds %zu XML files ("), c->n_xml);
        list_names(b, c->xml, 2, c->n_xml);
        nb_buf_adds(b, _(")"));
    } else if (c->n_xml == 0 && c->stray != NULL) {
        nb_buf_printf(b,
                      _("the zip holds forms in more than one folder "
                        "('%s', '%s')"),
                      c->form->name, c->stray->name);
    } else if (c->n_xml == 0 && c->form == NULL && c->n_files == 0) {
        nb_buf_adds(b, _("the zip holds no files"));
    } else if (c->n_xml == 0 && c->form == NULL) {
        nb_buf_adds(b, _("the zip holds no report XML and no form: "));
        list_names(b, c->files, N_LISTED, c->n_files);
    } else {
        return false;
    }
    return true;
}

/* ==== Reading what it holds ==== */

static nb_status read_xml(nb_report **out, const nb_zip_entry *e,
                          const char *zip, const nb_read_opts *o,
                          nb_diag_list *dl)
{
    char *name = nb_path_join(zip, e->name);
    nb_status st;

    if (name == NULL)
        return nb_diag_nomem(dl, zip);
    st = nb_read_xml_memory(out, (const char *)e->data, e->len, name, o, dl);
    free(name);
    return st;
}

static nb_status read_book(nb_report **out, const nb_zip_entry *e,
                           const char *zip, const nb_read_opts *o,
                           nb_diag_list *dl)
{
    char *name = nb_path_join(zip, e->name);
    nb_status st;

    if (name == NULL)
        return nb_diag_nomem(dl, zip);
    st = nb_xlsx_read_memory(out, NULL, (const char *)e->data, e->len, name, o,
                             dl);
    free(name);
    return st;
}

/* The form set in the folder of c->form, its files found as a folder's
 * are (nb_form_files_add), then read as any form set. */
static nb_status read_set(nb_report **out, const contents *c,
                          const nb_zip_entry *v, size_t n, const char *zip,
                          const nb_read_opts *o, nb_diag_list *dl)
{
    size_t dl_len = dir_len(c->form->name);
    nb_form_files ff;
    char *set = NULL;
    nb_status st = NB_OK;
    size_t i;

    memset(&ff, 0, sizeof(ff));
    for (i = 0; i < n; i++) {
        char *path;

        if (ignored(v[i].name) || !same_dir(v[i].name, c->form->name))
            continue;
        path = nb_path_join(zip, v[i].name);
        if (path == NULL) {
            st = nb_diag_nomem(dl, zip);
            goto done;
        }
        nb_form_files_add(&ff, v[i].name + dl_len, path,
                          (const char *)v[i].data, v[i].len, dl);
    }
    /* the set is named by its folder in the zip, if it has one */
    set = dl_len > 0 ? nb_path_join(zip, c->form->name) : strdup(zip);
    if (set == NULL) {
        st = nb_diag_nomem(dl, zip);
        goto done;
    }
    if (dl_len > 0)
        set[strlen(zip) + dl_len] = '\0'; /* "a.zip/folder", no '/' */
    st = nb_form_files_read(out, &ff, set, o, dl);
done:
    free(set);
    nb_form_files_fini(&ff);
    return st;
}

nb_status nb_read_zip_memory(nb_report **out, const char *data, size_t len,
                             const char *name, const nb_read_opts *o,
                             nb_diag_list *dl)
{
    nb_limits lim = nb_limits_resolve(o != NULL ? o->limits : NULL);
    nb_zip_entry *v = NULL;
    size_t n = 0;
    contents c;
    nb_buf msg;
    nb_status st;

    *out = NULL;
    st = nb_zip_read_entries(&v, &n, data, len, name, &lim,
                             NB_ZIP_NAMES_GB18030, dl);
    if (st != NB_OK)
        return st;
    survey(&c, v, n);
    nb_buf_init(&msg, (size_t)-1 / 2);
    if (c.office && c.workbook) {
        /* a workbook whose name does not say so */
        st = nb_xlsx_read_memory(out, NULL, data, len, name, o, dl);
    } else if (describe(&msg, &c)) {
        nb_loc loc = {name, 0, 0, NULL};

        if (msg.st != NB_OK)
            st = nb_diag_nomem(dl, name);
        else
            nb_diag_add(dl, NB_SUBMISSION_ZIP_CONTENTS, &loc,
                        _("%s; expected one report XML, or one form set "
                          "(meta.csv, narrative.csv, metrics.csv), at the "
                          "top of the zip or in one folder"),
                        msg.data);
    } else if (c.n_books == 1) {
        st = read_book(out, c.book, name, o, dl);
    } else if (c.n_xml == 1) {
        st = read_xml(out, c.xml[0], name, o, dl);
    } else {
        st = read_set(out, &c, v, n, name, o, dl);
    }
    nb_buf_fini(&msg);
    nb_zip_entries_free(v, n);
    return st;
}

nb_status nb_zip_peek(char **out, size_t *len_out, bool *meta_out,
                      const char *data, size_t len, const char *name,
                      const nb_limits *limits)
{
    nb_limits lim = nb_limits_resolve(limits);
    nb_diag_list *scratch = nb_diag_list_new();
    nb_zip_entry *v = NULL;
    size_t n = 0;
    const nb_zip_entry *e = NULL;
    contents c;
    nb_status st;
    size_t i;

    *out = NULL;
    *len_out = 0;
    *meta_out = false;
    if (scratch == NULL)
        return NB_ERR_NOMEM;
    st = nb_zip_read_entries(&v, &n, data, len, name, &lim,
                             NB_ZIP_NAMES_GB18030, scratch);
    nb_diag_list_free(scratch);
    if (st != NB_OK)
        return st;
    survey(&c, v, n);
    if (c.n_xml == 1 && c.form == NULL) {
        e = c.xml[0];
    } else if (c.n_xml == 0 && c.form != NULL) {
        for (i = 0; i < n && e == NULL; i++)
            if (!ignored(v[i].name) && same_dir(v[i].name, c.form->name) &&
                nb_form_by_filename(v[i].name + dir_len(v[i].name)) ==
                    NB_FORM_META)
                e = &v[i];
        *meta_out = true;
    }
    if (e != NULL && (*out = malloc(e->len + 1)) != NULL) {
        memcpy(*out, e->data, e->len);
        (*out)[e->len] = '\0';
        *len_out = e->len;
    }
    st = e == NULL ? NB_ERR_FORMAT : *out == NULL ? NB_ERR_NOMEM : NB_OK;
    nb_zip_entries_free(v, n);
    return st;
}
