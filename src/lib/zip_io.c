/* zip_io.c: libzip with limits for reading, reproducible archives for
 * writing.
 *
 * Reading: a template is untrusted. Before any entry is inflated its
 * declared size is checked against the part and total caps (zip bombs), and
 * reading stops one byte past the declared size, so an entry that lies
 * about its size is caught too. Entry names are never used as file paths,
 * but unsafe ones are refused anyway: the output package must not carry
 * them (OPC part names are relative, no "..").
 * Writing: the same input must give the same bytes (DESIGN.md), so every
 * entry gets the same DOS time and entries keep their order.
 */
#include "zip_io.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <zip.h>

/* 1980-01-01 00:00:00, the earliest DOS date. */
#define DOS_DATE ((0u << 9) | (1u << 5) | 1u)
#define DOS_TIME 0u

void nb_zip_entries_free(nb_zip_entry *v, size_t n)
{
    size_t i;

    if (v == NULL)
        return;
    for (i = 0; i < n; i++) {
        free(v[i].name);
        free(v[i].data);
    }
    free(v);
}

static bool unsafe_name(const char *name)
{
    const char *p;

    if (name[0] == '\0' || name[0] == '/' || strchr(name, '\\') != NULL)
        return true;
    for (p = name; *p != '\0'; p++)
        if ((unsigned char)*p < 0x20)
            return true;
    /* any ".." path segment */
    for (p = name; p != NULL; p = strchr(p, '/')) {
        if (*p == '/')
            p++;
        if (p[0] == '.' && p[1] == '.' && (p[2] == '/' || p[2] == '\0'))
            return true;
    }
    return false;
}

static nb_status read_entry(nb_zip_entry *e, zip_t *za, zip_uint64_t idx,
                            size_t declared, const char *file,
                            nb_diag_list *dl)
{
    nb_loc loc = {file, 0, 0, e->name};
    zip_file_t *zf;
    zip_int64_t n;
    unsigned char *buf;

    buf = malloc(declared + 2);
    if (buf == NULL)
        return nb_diag_nomem(dl, file);
    zf = zip_fopen_index(za, idx, 0);
    if (zf == NULL) {
        nb_diag_add(dl, NB_ZIP_CORRUPT, &loc, _("cannot open entry: %s"),
                    zip_strerror(za));
        free(buf);
        return NB_ERR_FORMAT;
    }
    /* ask for one byte more than declared: an entry that inflates to more
     * than its header says is a lie, and we stop there */
    n = zip_fread(zf, buf, (zip_uint64_t)declared + 1);
    if (n < 0) {
        nb_diag_add(dl, NB_ZIP_CORRUPT, &loc, _("cannot read entry: %s"),
                    zip_file_strerror(zf));
        zip_fclose(zf);
        free(buf);
        return NB_ERR_FORMAT;
    }
    zip_fclose(zf);
    if ((zip_uint64_t)n != declared) {
        nb_diag_add(dl, NB_ZIP_CORRUPT, &loc,
                    _("entry unpacks to a size other than the %zu bytes its "
                      "header declares"),
                    declared);
        free(buf);
        return NB_ERR_FORMAT;
    }
    buf[declared] = '\0';
    e->data = buf;
    e->len = declared;
    return NB_OK;
}

nb_status nb_zip_read_all(nb_zip_entry **out, size_t *n_out, const void *data,
                          size_t len, const char *file, const nb_limits *lim,
                          nb_diag_list *dl)
{
    nb_loc loc = {file, 0, 0, NULL};
    zip_error_t ze;
    zip_source_t *src;
    zip_t *za = NULL;
    zip_int64_t n_all;
    nb_zip_entry *v = NULL;
    size_t n = 0;
    size_t total = 0;
    zip_uint64_t i;
    nb_status st = NB_OK;

    *out = NULL;
    *n_out = 0;
    zip_error_init(&ze);
    src = zip_source_buffer_create(data, len, 0, &ze);
    if (src == NULL) {
        zip_error_fini(&ze);
        return nb_diag_nomem(dl, file);
    }
    za = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &ze);
    if (za == NULL) {
        nb_diag_add(dl, NB_ZIP_CORRUPT, &loc,
                    _("not a readable zip archive: %s"), zip_error_strerror(&ze));
        zip_source_free(src);
        zip_error_fini(&ze);
        return NB_ERR_FORMAT;
    }
    zip_error_fini(&ze);
    n_all = zip_get_num_entries(za, 0);
    if (n_all < 0 || (zip_uint64_t)n_all > lim->max_zip_entries) {
        nb_diag_add(dl, NB_LIMIT_ZIP, &loc,
                    _("archive has %jd entries, more than the limit of %zu"),
                    (intmax_t)n_all, lim->max_zip_entries);
        st = NB_ERR_LIMIT;
        goto done;
    }
    v = calloc((size_t)n_all + 1, sizeof(*v));
    if (v == NULL) {
        st = nb_diag_nomem(dl, file);
        goto done;
    }
    for (i = 0; i < (zip_uint64_t)n_all; i++) {
        zip_stat_t zs;
        size_t k;

        if (zip_stat_index(za, i, 0, &zs) != 0 ||
            (zs.valid & (ZIP_STAT_NAME | ZIP_STAT_SIZE)) !=
                (ZIP_STAT_NAME | ZIP_STAT_SIZE)) {
            nb_diag_add(dl, NB_ZIP_CORRUPT, &loc, _("unreadable entry #%ju"),
                        (uintmax_t)i);
            st = NB_ERR_FORMAT;
            goto done;
        }
        if (zs.name[0] != '\0' && zs.name[strlen(zs.name) - 1] == '/')
            continue; /* a folder entry */
        loc.where = zs.name;
        if (unsafe_name(zs.name)) {
            nb_diag_add(dl, NB_ZIP_BAD_NAME, &loc, "%s",
                        _("entry name is absolute, contains \"..\", a "
                          "backslash or a control character"));
            st = NB_ERR_FORMAT;
            goto done;
        }
        for (k = 0; k < n; k++) {
            if (strcasecmp(v[k].name, zs.name) == 0) {
                nb_diag_add(dl, NB_ZIP_BAD_NAME, &loc, "%s",
                            _("entry name appears twice in the archive"));
                st = NB_ERR_FORMAT;
                goto done;
            }
        }
        if (zs.size > lim->max_part_bytes) {
            nb_diag_add(dl, NB_LIMIT_ZIP, &loc,
                        _("entry unpacks to %ju bytes, more than the limit "
                          "of %zu"),
                        (uintmax_t)zs.size, lim->max_part_bytes);
            st = NB_ERR_LIMIT;
            goto done;
        }
        if (zs.size > lim->max_total_bytes - total) {
            nb_diag_add(dl, NB_LIMIT_ZIP, &loc,
                        _("archive unpacks to more than the limit of %zu "
                          "bytes"),
                        lim->max_total_bytes);
            st = NB_ERR_LIMIT;
            goto done;
        }
        total += (size_t)zs.size;
        v[n].name = strdup(zs.name);
        if (v[n].name == NULL) {
            st = nb_diag_nomem(dl, file);
            goto done;
        }
        st = read_entry(&v[n], za, i, (size_t)zs.size, file, dl);
        n++;
        if (st != NB_OK)
            goto done;
    }
    *out = v;
    *n_out = n;
    v = NULL;
done:
    nb_zip_entries_free(v, n);
    zip_discard(za);
    return st;
}

/* ==== Writing ==== */

struct nb_zip_writer {
    zip_source_t *src; /* the in-memory archive */
    zip_t *za;
    nb_diag_list *dl;
    nb_status st;
};

static nb_status writer_fail(nb_zip_writer *w, const char *what)
{
    nb_loc loc = {"-", 0, 0, NULL};

    if (w->st == NB_OK) {
        nb_diag_add(w->dl, NB_DOCX_WRITE, &loc, _("cannot build the package: %s"),
                    what);
        w->st = NB_ERR_FORMAT;
    }
    return w->st;
}

nb_status nb_zip_writer_new(nb_zip_writer **out, nb_diag_list *dl)
{
    nb_zip_writer *w;
    zip_error_t ze;

    *out = NULL;
    w = calloc(1, sizeof(*w));
    if (w == NULL)
        return nb_diag_nomem(dl, "-");
    w->dl = dl;
    zip_error_init(&ze);
    w->src = zip_source_buffer_create(NULL, 0, 0, &ze);
    if (w->src != NULL) {
        w->za = zip_open_from_source(w->src, ZIP_TRUNCATE, &ze);
        if (w->za == NULL) {
            zip_source_free(w->src);
            w->src = NULL;
        } else {
            zip_source_keep(w->src); /* its bytes are read after zip_close */
        }
    }
    if (w->za == NULL) {
        nb_status st = writer_fail(w, zip_error_strerror(&ze));

        zip_error_fini(&ze);
        free(w);
        return st;
    }
    zip_error_fini(&ze);
    *out = w;
    return NB_OK;
}

nb_status nb_zip_writer_add(nb_zip_writer *w, const char *name,
                            const void *data, size_t len, bool take)
{
    zip_source_t *fs;
    zip_int64_t idx;

    if (w->st != NB_OK) {
        if (take)
            free((void *)data);
        return w->st;
    }
    fs = zip_source_buffer(w->za, data, len, take ? 1 : 0);
    if (fs == NULL) {
        if (take)
            free((void *)data);
        return writer_fail(w, zip_strerror(w->za));
    }
    idx = zip_file_add(w->za, name, fs, ZIP_FL_ENC_UTF_8);
    if (idx < 0) {
        zip_source_free(fs); /* a failed add leaves the source with us */
        return writer_fail(w, zip_strerror(w->za));
    }
    if (zip_set_file_compression(w->za, (zip_uint64_t)idx, ZIP_CM_DEFLATE,
                                 0) != 0 ||
        zip_file_set_dostime(w->za, (zip_uint64_t)idx, DOS_TIME, DOS_DATE,
                             0) != 0)
        return writer_fail(w, zip_strerror(w->za));
    return NB_OK;
}

nb_status nb_zip_writer_finish(nb_zip_writer *w, void **out, size_t *len_out)
{
    zip_stat_t zs;
    unsigned char *buf = NULL;
    nb_status st;

    *out = NULL;
    *len_out = 0;
    if (w->st != NB_OK) {
        st = w->st;
        nb_zip_writer_free(w);
        return st;
    }
    if (zip_close(w->za) != 0) {
        writer_fail(w, zip_strerror(w->za));
        st = w->st;
        nb_zip_writer_free(w);
        return st;
    }
    w->za = NULL;
    if (zip_source_stat(w->src, &zs) != 0 || zip_source_open(w->src) != 0) {
        st = writer_fail(w, "cannot read back the archive");
        nb_zip_writer_free(w);
        return st;
    }
    buf = malloc(zs.size > 0 ? zs.size : 1);
    if (buf == NULL) {
        nb_diag_list *dl = w->dl;

        zip_source_close(w->src);
        nb_zip_writer_free(w);
        return nb_diag_nomem(dl, "-");
    }
    if (zip_source_read(w->src, buf, zs.size) != (zip_int64_t)zs.size) {
        free(buf);
        zip_source_close(w->src);
        st = writer_fail(w, "cannot read back the archive");
        nb_zip_writer_free(w);
        return st;
    }
    zip_source_close(w->src);
    *out = buf;
    *len_out = (size_t)zs.size;
    nb_zip_writer_free(w);
    return NB_OK;
}

void nb_zip_writer_free(nb_zip_writer *w)
{
    if (w == NULL)
        return;
    if (w->za != NULL)
        zip_discard(w->za);
    if (w->src != NULL)
        zip_source_free(w->src);
    free(w);
}
