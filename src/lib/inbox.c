/* inbox.c: a folder of submissions read and checked in parallel, with a
 * row per submission, the expected offices that have not submitted, the
 * totals of the valid ones and batch rendering (docs/inbox.md).
 *
 * Every submission is read, checked (and rendered) on its own by one of a
 * fixed number of threads, into its own diagnostics list, so memory holds
 * one report per thread whatever the size of the folder; what stays is a
 * small row per submission. The rows are in the folder's name order and
 * the totals are exact integer sums, so the result does not depend on the
 * number of threads or on which finished first.
 */
#include "form.h"
#include "totals.h"
#include "model.h"
#include "xml_io.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#define MAX_JOBS 256

typedef struct row {
    nb_submission s; /* the public view; its strings are the ones below */
    char *name;
    char *path;
    char *office;
    char *first_error;
    char *output;    /* where a batch render writes it */
    char *output_error;
    char *stale;
    uint64_t digest; /* of what it gave the totals (nb_totals_digest) */
    bool unsum;      /* a duplicate to take out of the totals */
} row;

struct nb_inbox {
    char *dir;
    row *rows;
    size_t n_rows;
    nb_totals *totals;
};

const char *nb_sub_status_name(nb_sub_status s)
{
    static const char *const names[] = {"valid",   "invalid", "unreadable",
                                        "skipped", "missing", "fault"};

    return (unsigned)s < 6 ? names[s] : "unknown";
}

const char *nb_sub_status_label(nb_sub_status s)
{
    static const char *const labels[] = {"通过",   "有错误", "无法读取",
                                         "非报送文件", "未报送", "无法访问"};

    return (unsigned)s < 6 ? labels[s] : "?";
}

static char *dup_str(const char *s)
{
    return s != NULL ? strdup(s) : NULL;
}

static void row_fini(row *r)
{
    free(r->name);
    free(r->path);
    free(r->office);
    free(r->first_error);
    free(r->output);
    free(r->output_error);
    free(r->stale);
}

void nb_inbox_free(nb_inbox *ib)
{
    size_t i;

    if (ib == NULL)
        return;
    for (i = 0; i < ib->n_rows; i++)
        row_fini(&ib->rows[i]);
    free(ib->rows);
    free(ib->dir);
    nb_totals_free(ib->totals);
    free(ib);
}

size_t nb_inbox_count(const nb_inbox *ib)
{
    return ib->n_rows;
}

const nb_submission *nb_inbox_at(const nb_inbox *ib, size_t i)
{
    return i < ib->n_rows ? &ib->rows[i].s : NULL;
}

size_t nb_inbox_count_status(const nb_inbox *ib, nb_sub_status s)
{
    size_t n = 0;
    size_t i;

    for (i = 0; i < ib->n_rows; i++)
        n += ib->rows[i].s.status == s;
    return n;
}

const nb_totals *nb_inbox_totals(const nb_inbox *ib)
{
    return ib->totals;
}

/* ==== The folder ==== */

/* 's' as valid UTF-8, for the summaries: itself, or decoded from GB18030
 * (names that Windows tools unzip as GBK), or with each bad byte as '?'.
 * NULL when out of memory. */
static char *utf8_text(const char *s)
{
    size_t len = strlen(s);
    size_t bad;
    char *out = NULL;
    size_t i;

    if (nb_utf8_valid(s, len, &bad))
        return strdup(s);
    if (nb_gb18030_dup(&out, s, len) == NB_OK)
        return out;
    out = strdup(s);
    while (out != NULL && !nb_utf8_valid(out, len, &bad)) {
        out[bad] = '?';
        for (i = bad + 1; i < len && ((unsigned char)out[i] & 0xC0) == 0x80;
             i++)
            out[i] = '?'; /* the rest of a broken sequence */
    }
    return out;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
    return strcmp((*a)->d_name, (*b)->d_name); /* not the locale's order */
}

/* Errors that say the run may not or cannot read a file, whatever the
 * file holds: a fault of the run (its user's permissions, the disk), not
 * of the office that sent it. */
static bool run_fault(int e)
{
    return e == EACCES || e == EPERM || e == EIO || e == EMFILE ||
           e == ENFILE || e == ENOMEM;
}

/* A folder is a form set when it holds one of the forms; *err is set
 * when it cannot be listed. */
static bool holds_forms(const char *path, int *err)
{
    DIR *d = opendir(path);
    struct dirent *e;
    bool found = false;

    if (d == NULL) {
        *err = errno;
        return false;
    }
    while (!found && (e = readdir(d)) != NULL)
        found = nb_form_by_filename(e->d_name) >= 0;
    closedir(d);
    return found;
}

/* The kind of submission 'path' is, or NULL; *err is the errno when it
 * could not be looked at (0 when it could). */
static const char *form_of(const char *path, const char *name, int *err)
{
    struct stat sb;

    *err = 0;
    if (stat(path, &sb) != 0) {
        *err = errno;
        return NULL;
    }
    if (S_ISDIR(sb.st_mode))
        return holds_forms(path, err) ? "forms" : NULL;
    if (!S_ISREG(sb.st_mode))
        return NULL;
    if (nb_has_suffix(name, ".xml"))
        return "xml";
    if (nb_has_suffix(name, ".zip"))
        return "zip";
    if (nb_has_suffix(name, ".xlsx"))
        return "xlsx";
    /* a draft, imported (import.c); not .txt: a folder's notes are text */
    if (nb_import_is_draft(name) && !nb_has_suffix(name, ".txt"))
        return strrchr(name, '.') + 1;
    return NULL;
}

/* The entry's name without .xml, .zip or a draft's suffix. */
static size_t stem_len(const char *name)
{
    size_t n = strlen(name);

    if (nb_has_suffix(name, ".xml") || nb_has_suffix(name, ".zip") ||
        nb_has_suffix(name, ".xlsx") ||
        (nb_import_is_draft(name) && !nb_has_suffix(name, ".txt")))
        n -= strlen(strrchr(name, '.'));
    return n;
}

/* Row indexes sorted by a key; qsort has no payload, so each entry
 * carries its row. */
typedef struct keyed {
    const row *r;
    size_t i;
} keyed;

static keyed *sorted_rows(const nb_inbox *ib,
                          int (*cmp)(const void *, const void *))
{
    keyed *v = calloc(ib->n_rows + 1, sizeof(*v));
    size_t i;

    if (v == NULL)
        return NULL;
    for (i = 0; i < ib->n_rows; i++) {
        v[i].r = &ib->rows[i];
        v[i].i = i;
    }
    qsort(v, ib->n_rows, sizeof(*v), cmp);
    return v;
}

static int by_output(const void *a, const void *b)
{
    const row *x = ((const keyed *)a)->r;
    const row *y = ((const keyed *)b)->r;

    if (x->output == NULL || y->output == NULL)
        return (x->output == NULL) - (y->output == NULL);
    return strcmp(x->output, y->output);
}

static bool set_output(row *r, const char *out_dir, bool whole)
{
    const char *name = strrchr(r->path, '/') + 1; /* as on disk */
    size_t n = whole ? strlen(name) : stem_len(name);
    char *file = malloc(n + 6);

    free(r->output);
    r->output = NULL;
    if (file == NULL)
        return false;
    memcpy(file, name, n);
    memcpy(file + n, ".docx", 6);
    r->output = nb_path_join(out_dir, file);
    free(file);
    return r->output != NULL;
}

/* Output names: NAME.docx, or the whole entry name (a.xml.docx) where two
 * would be the same ("a.xml" and "a.zip"). Entry names are distinct, so
 * turning the clashing short names into whole ones ends every clash. */
static nb_status plan_outputs(nb_inbox *ib, const char *out_dir,
                              nb_diag_list *dl)
{
    bool *whole = calloc(ib->n_rows + 1, sizeof(*whole));
    bool clash = true;
    size_t i;

    if (whole == NULL)
        return nb_diag_nomem(dl, ib->dir);
    while (clash) {
        keyed *v;

        for (i = 0; i < ib->n_rows; i++)
            if (ib->rows[i].s.form != NULL &&
                !set_output(&ib->rows[i], out_dir, whole[i])) {
                free(whole);
                return nb_diag_nomem(dl, ib->dir);
            }
        v = sorted_rows(ib, by_output);
        if (v == NULL) {
            free(whole);
            return nb_diag_nomem(dl, ib->dir);
        }
        clash = false;
        for (i = 1; i < ib->n_rows && v[i].r->output != NULL; i++)
            if (by_output(&v[i - 1], &v[i]) == 0) {
                /* at least one of the two has a short name */
                whole[v[i - 1].i] = whole[v[i].i] = true;
                clash = true;
            }
        free(v);
    }
    free(whole);
    return NB_OK;
}

static bool same_path(const char *a, const char *b)
{
    struct stat sa;
    struct stat sb;

    return a != NULL && b != NULL && stat(a, &sa) == 0 && stat(b, &sb) == 0 &&
           sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

static nb_status scan(nb_inbox *ib, const nb_inbox_opts *o, nb_diag_list *dl)
{
    struct dirent **list = NULL;
    nb_loc loc = {ib->dir, 0, 0, NULL};
    nb_status st = NB_OK;
    int n = scandir(ib->dir, &list, NULL, by_name);
    int i, err;

    if (n < 0) {
        nb_diag_add(dl, NB_IO_OPEN, &loc, _("cannot open the folder: %s"),
                    strerror(errno));
        return NB_ERR_IO;
    }
    ib->rows = calloc((size_t)n + 1, sizeof(*ib->rows));
    if (ib->rows == NULL)
        st = nb_diag_nomem(dl, ib->dir);
    for (i = 0; i < n; i++) {
        const char *name = list[i]->d_name;
        row *r;

        /* a write in progress (or one a kill -9 left) is no
         * submission */
        if (st != NB_OK || nb_form_ignored_name(name) ||
            nb_is_tmp_name(name)) {
            free(list[i]);
            continue;
        }
        r = &ib->rows[ib->n_rows];
        r->name = utf8_text(name); /* shown; the path opens it */
        r->path = nb_path_join(ib->dir, name);
        free(list[i]);
        if (r->name == NULL || r->path == NULL) {
            row_fini(r);
            st = nb_diag_nomem(dl, ib->dir);
            continue;
        }
        if (o->render_dir != NULL && same_path(r->path, o->render_dir)) {
            row_fini(r); /* the batch's own output folder */
            continue;
        }
        ib->n_rows++;
        r->s.name = r->name;
        r->s.path = r->path;
        r->s.form = form_of(r->path, r->name, &err);
        if (r->s.form == NULL && run_fault(err)) {
            nb_loc at = {r->path, 0, 0, NULL};

            r->s.status = NB_SUB_FAULT;
            nb_diag_add(dl, NB_INBOX_FAULT, &at,
                        _("cannot be read: %s: a fault of this run, not of "
                          "the submission"),
                        strerror(err));
            r->first_error = dup_str(strerror(err));
            r->s.first_error = r->first_error;
        } else if (r->s.form == NULL) {
            nb_loc at = {r->path, 0, 0, NULL};

            r->s.status = NB_SUB_SKIPPED;
            nb_diag_add(dl, NB_INBOX_NOT_SUBMISSION, &at, "%s",
                        _("not a submission (a report .xml, a form set "
                          "folder with meta.csv, or a .zip of either): "
                          "skipped"));
        }
    }
    free(list);
    if (st == NB_OK && o->render_dir != NULL)
        st = plan_outputs(ib, o->render_dir, dl);
    return st;
}

/* ==== Who sent it, when the report could not be read ==== */

static char *xml_child_text(const xmlNode *parent, const char *name)
{
    const xmlNode *k;

    for (k = parent != NULL ? parent->children : NULL; k != NULL; k = k->next)
        if (k->type == XML_ELEMENT_NODE &&
            strcmp((const char *)k->name, name) == 0) {
            xmlChar *s = xmlNodeGetContent(k);
            char *copy = s != NULL ? strdup((const char *)s) : NULL;

            xmlFree(s);
            return copy;
        }
    return NULL;
}

/* meta/issuer and meta/year of report XML data[0..len). */
static void peek_xml_data(row *r, const char *data, size_t len,
                          const nb_limits *lim)
{
    nb_diag_list *scratch = nb_diag_list_new();
    xmlDocPtr doc = NULL;
    const xmlNode *root;
    const xmlNode *meta = NULL;
    const xmlNode *k;
    char *year;

    if (scratch == NULL ||
        nb_xml_parse(&doc, data, len, r->path, NULL, NB_XML_MALFORMED,
                     lim->xml_huge, lim, scratch) != NB_OK)
        goto done;
    root = xmlDocGetRootElement(doc);
    for (k = root != NULL ? root->children : NULL; k != NULL && meta == NULL;
         k = k->next)
        if (k->type == XML_ELEMENT_NODE &&
            strcmp((const char *)k->name, "meta") == 0)
            meta = k;
    year = xml_child_text(meta, "issuer");
    r->office = year != NULL ? nb_name_norm(year, NULL) : NULL;
    free(year);
    year = xml_child_text(meta, "year");
    if (year != NULL) {
        r->s.year = (int)strtol(year, NULL, 10);
        free(year);
    }
done:
    xmlFreeDoc(doc);
    nb_diag_list_free(scratch);
}

typedef struct meta_peek {
    row *r;
} meta_peek;

static bool on_meta_row(const nb_csv_row *row_, void *payload)
{
    meta_peek *mp = payload;

    if (row_->n < 2)
        return true;
    if ((strcmp(row_->cells[0], "发布机构") == 0 ||
         strcmp(row_->cells[0], "issuer") == 0) &&
        mp->r->office == NULL && row_->cells[1][0] != '\0')
        mp->r->office = nb_name_norm(row_->cells[1], NULL);
    if (strcmp(row_->cells[0], "年度") == 0 ||
        strcmp(row_->cells[0], "year") == 0)
        mp->r->s.year = (int)strtol(row_->cells[1], NULL, 10);
    return true;
}

static nb_csv_opts peek_opts(const nb_read_opts *ro)
{
    nb_csv_opts o = {
        .encoding = ro != NULL ? ro->encoding : NB_ENC_AUTO,
        .max_bytes =
            nb_limits_resolve(ro != NULL ? ro->limits : NULL).max_input_bytes};

    return o;
}

static void peek_forms(row *r, const nb_read_opts *ro)
{
    static const char *const names[] = {"meta.csv", "基本信息.csv"};
    size_t i;

    for (i = 0; i < 2; i++) {
        char *path = nb_path_join(r->path, names[i]);
        nb_diag_list *scratch = nb_diag_list_new();
        nb_csv_opts o = peek_opts(ro);
        meta_peek mp = {r};
        struct stat sb;

        o.set_dir = r->path; /* nothing outside the set, no pipe */
        if (path != NULL && scratch != NULL && stat(path, &sb) == 0)
            nb_csv_read(path, &o, on_meta_row, &mp, NULL, scratch);
        nb_diag_list_free(scratch);
        free(path);
    }
}

/* Who sent a submission that does not read: its XML's meta, its form
 * set's meta.csv, or either inside its zip. Nothing is reported. */
static void peek(row *r, const nb_read_opts *ro)
{
    nb_limits lim = nb_limits_resolve(ro->limits);
    nb_diag_list *scratch;
    char *data = NULL;
    size_t len = 0;
    char *inner = NULL;
    size_t inner_len = 0;
    bool meta = false;

    if (strcmp(r->s.form, "forms") == 0) {
        peek_forms(r, ro);
        return;
    }
    if (strcmp(r->s.form, "xlsx") == 0)
        return; /* a workbook that does not read names no office */
    scratch = nb_diag_list_new();
    if (scratch == NULL ||
        nb_file_read(&data, &len, r->path, lim.max_input_bytes,
                     NB_XML_TOO_LARGE, scratch) != NB_OK) {
        nb_diag_list_free(scratch);
        return;
    }
    if (strcmp(r->s.form, "xml") == 0) {
        peek_xml_data(r, data, len, &lim);
    } else if (nb_zip_peek(&inner, &inner_len, &meta, data, len, r->path,
                           &lim) == NB_OK) {
        if (meta) {
            nb_csv_opts o = peek_opts(ro);
            meta_peek mp = {r};

            o.data = inner;
            o.data_len = inner_len;
            nb_csv_read(r->path, &o, on_meta_row, &mp, NULL, scratch);
        } else {
            peek_xml_data(r, inner, inner_len, &lim);
        }
    }
    free(inner);
    free(data);
    nb_diag_list_free(scratch);
}

/* ==== One submission ==== */

typedef struct pool {
    nb_inbox *ib;
    const nb_inbox_opts *o;
    const nb_template *tmpl;
    size_t *todo; /* rows to check */
    size_t n_todo;
    size_t next;
    size_t done;
    nb_status st;    /* the first failure that stops the run (no memory) */
    bool out_fault;  /* a document could not be written: render no more */
    pthread_mutex_t mu;
} pool;

typedef struct worker {
    pool *p;
    nb_totals *totals;
    pthread_t th;
    bool started;
} worker;

/* "file:line: message [NB1012]", the file relative to the folder, as
 * valid UTF-8 whatever the file's name. */
static char *describe(const nb_diag *d, const char *dir)
{
    size_t ld = strlen(dir);
    const char *file = d->loc.file != NULL ? d->loc.file : "";
    char line[16] = "";
    char *s;
    char *text;
    size_t n;

    while (ld > 1 && dir[ld - 1] == '/')
        ld--;
    if (strncmp(file, dir, ld) == 0 && file[ld] == '/')
        file += ld + 1;
    if (d->loc.line > 0)
        snprintf(line, sizeof(line), ":%u", (unsigned)d->loc.line);
    n = strlen(file) + strlen(line) + strlen(d->msg) + 32;
    s = malloc(n);
    if (s == NULL)
        return NULL;
    snprintf(s, n, "%s%s: %s [%s]", file, line, d->msg, nb_code_id(d->code));
    text = utf8_text(s);
    free(s);
    return text;
}

static size_t count_code(const nb_diag_list *sdl, nb_code code)
{
    size_t i;
    size_t k = 0;

    for (i = 0; i < nb_diag_list_count(sdl); i++)
        k += nb_diag_list_at(sdl, i)->code == code;
    return k;
}

static const nb_diag *first_error(nb_diag_list *sdl)
{
    size_t i;

    for (i = 0; i < nb_diag_list_count(sdl); i++) {
        const nb_diag *d = nb_diag_list_at(sdl, i);

        if (d->sev == NB_SEV_ERROR)
            return d;
    }
    return NULL;
}

/* Why the run cannot read the submission at 'path' (an errno), or 0: the
 * entry itself, and for a form set the folder and each form in it. */
static int read_fault(const char *path)
{
    struct stat sb;
    struct dirent *e;
    int err = 0;
    DIR *d;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);

    if (fd < 0)
        return errno;
    if (fstat(fd, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
        close(fd);
        return 0;
    }
    if ((d = fdopendir(fd)) == NULL) {
        err = errno;
        close(fd);
        return err;
    }
    while (err == 0 && (e = readdir(d)) != NULL) {
        int f;

        /* a link is the set's own mistake (NB9009), wherever it leads */
        if (nb_form_by_filename(e->d_name) < 0 ||
            fstatat(dirfd(d), e->d_name, &sb, AT_SYMLINK_NOFOLLOW) != 0 ||
            S_ISLNK(sb.st_mode))
            continue;
        f = openat(dirfd(d), e->d_name, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
        if (f < 0)
            err = run_fault(errno) ? errno : 0;
        else
            close(f);
    }
    closedir(d);
    return err;
}

/* Render a valid submission's document. A document that cannot be
 * written (a full or read-only disk) is the run's fault: its row keeps
 * the status its data deserve, says why in output_error, and no more
 * documents are tried. Other problems (the data's values) are the
 * submission's, in 'sdl'. NB_OK unless out of memory. */
static nb_status render_one(worker *w, row *r, nb_report *rep,
                            nb_diag_list *sdl)
{
    nb_diag_list *rdl;
    nb_status st;
    bool fault;
    size_t i;

    pthread_mutex_lock(&w->p->mu);
    fault = w->p->out_fault;
    pthread_mutex_unlock(&w->p->mu);
    if (fault) {
        r->output_error = dup_str(_("not written: writing an earlier "
                                    "document failed"));
        return r->output_error != NULL ? NB_OK : NB_ERR_NOMEM;
    }
    if ((rdl = nb_diag_list_new()) == NULL)
        return NB_ERR_NOMEM;
    st = nb_render_file(r->output, w->p->tmpl, rep, rdl);
    if (st == NB_OK)
        r->s.output = r->output;
    if (st == NB_ERR_IO) {
        const nb_diag *d = first_error(rdl);

        pthread_mutex_lock(&w->p->mu);
        w->p->out_fault = true;
        pthread_mutex_unlock(&w->p->mu);
        r->output_error = d != NULL ? describe(d, w->p->ib->dir)
                                    : dup_str(strerror(EIO));
        st = r->output_error != NULL ? NB_OK : NB_ERR_NOMEM;
    } else {
        for (i = 0; i < nb_diag_list_count(rdl); i++) {
            const nb_diag *d = nb_diag_list_at(rdl, i);

            nb_diag_add_sev(sdl, d->code, d->sev, &d->loc, "%s", d->msg);
        }
        st = st == NB_ERR_NOMEM ? st : NB_OK;
    }
    nb_diag_list_free(rdl);
    return st;
}

/* Read, check, sum and render one submission into its row; NB_OK unless
 * out of memory. */
static nb_status check_one(worker *w, row *r, nb_diag_list *sdl)
{
    const nb_inbox_opts *o = w->p->o;
    nb_read_opts ro = o->read;
    nb_report *rep = NULL;
    nb_status st;

    ro.partial = true; /* every finding of a form set, its office too */
    st = nb_report_read(&rep, r->path, &ro, sdl);

    if (st == NB_OK && rep != NULL) {
        st = nb_report_check(rep, &o->check, sdl);
        r->s.missing = nb_report_parts_missing(rep);
        r->s.year = nb_report_year(rep);
        r->office = dup_str(nb_report_issuer(rep));
    } else if (st != NB_ERR_NOMEM) {
        peek(r, &o->read); /* who sent it: the summary, the expected list */
    }
    if (st == NB_ERR_NOMEM) {
        nb_report_free(rep);
        return st;
    }
    if (st == NB_OK && rep != NULL &&
        nb_diag_list_count_sev(sdl, NB_SEV_ERROR) == 0) {
        if (w->totals != NULL) {
            st = nb_totals_add(w->totals, rep, sdl);
            r->s.summed = st == NB_OK;
            r->digest = nb_totals_digest(rep);
        }
        if (st == NB_OK && r->output != NULL)
            st = render_one(w, r, rep, sdl);
    }
    nb_report_free(rep);
    if (st == NB_ERR_NOMEM)
        return st;
    nb_diag_list_sort(sdl);
    r->s.errors = nb_diag_list_count_sev(sdl, NB_SEV_ERROR);
    r->s.warnings = nb_diag_list_count_sev(sdl, NB_SEV_WARNING);
    r->s.acknowledged = count_code(sdl, NB_RULE_ACKNOWLEDGED);
    /* the run may not read it, or one of its forms: a form set reads on
     * past a form it cannot open, so errors are enough to look */
    if ((st != NB_OK || r->s.errors > 0) && run_fault(read_fault(r->path)))
        r->s.status = NB_SUB_FAULT;
    else if (st != NB_OK) /* too broken to read at all, or a limit */
        r->s.status = NB_SUB_UNREADABLE;
    else if (r->s.errors > 0)
        r->s.status = NB_SUB_INVALID;
    else
        r->s.status = NB_SUB_VALID;
    if (r->s.errors > 0) {
        const nb_diag *d = first_error(sdl);

        if (d != NULL)
            r->first_error = describe(d, w->p->ib->dir);
    }
    r->s.first_error = r->first_error;
    r->s.office = r->office;
    return NB_OK;
}

/* ==== The threads ==== */

static void *work(void *arg)
{
    worker *w = arg;
    pool *p = w->p;

    for (;;) {
        nb_diag_list *sdl;
        nb_status st;
        row *r;

        pthread_mutex_lock(&p->mu);
        if (p->next >= p->n_todo || p->st != NB_OK) {
            pthread_mutex_unlock(&p->mu);
            return NULL;
        }
        r = &p->ib->rows[p->todo[p->next++]];
        pthread_mutex_unlock(&p->mu);
        sdl = nb_diag_list_new();
        st = sdl != NULL ? check_one(w, r, sdl) : NB_ERR_NOMEM;
        pthread_mutex_lock(&p->mu);
        if (st != NB_OK && p->st == NB_OK)
            p->st = st;
        p->done++;
        if (st == NB_OK && p->o->progress != NULL)
            p->o->progress(p->done, p->n_todo, &r->s, sdl, p->o->payload);
        pthread_mutex_unlock(&p->mu);
        nb_diag_list_free(sdl);
    }
}

/* What one job may hold at the default limits, hostile input included
 * (docs/limits.md, "Memory"). */
#define JOB_BUDGET ((uint64_t)600 << 20)

/* The jobs: as asked, or one per processor, but no more than the
 * machine's memory holds at a job's budget, so that the default never
 * asks for more memory than there is. */
static unsigned jobs_of(const nb_inbox_opts *o, size_t n)
{
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    long pages = sysconf(_SC_PHYS_PAGES);
    long page = sysconf(_SC_PAGESIZE);
    size_t j = o->jobs > 0 ? o->jobs : cpus > 0 ? (size_t)cpus : 1;

    if (o->jobs == 0 && pages > 0 && page > 0) {
        uint64_t fit = (uint64_t)pages * (uint64_t)page / JOB_BUDGET;

        if (fit < j)
            j = fit > 0 ? (size_t)fit : 1;
    }

    if (j > MAX_JOBS)
        j = MAX_JOBS;
    if (j > n)
        j = n;
    return j > 0 ? (unsigned)j : 1;
}

static nb_status run_pool(pool *p, unsigned jobs, nb_diag_list *dl)
{
    worker *w = calloc(jobs, sizeof(*w));
    nb_status st = NB_OK;
    unsigned i;

    if (w == NULL)
        return nb_diag_nomem(dl, p->ib->dir);
    for (i = 0; i < jobs; i++) {
        w[i].p = p;
        if (p->o->totals &&
            (w[i].totals = nb_totals_new(p->o->check.catalog)) == NULL)
            st = nb_diag_nomem(dl, p->ib->dir);
    }
    if (st == NB_OK && jobs == 1) {
        work(&w[0]);
    } else if (st == NB_OK) {
        for (i = 0; i < jobs; i++)
            w[i].started = pthread_create(&w[i].th, NULL, work, &w[i]) == 0;
        if (!w[0].started) { /* no thread at all: work here */
            work(&w[0]);
        }
        for (i = 0; i < jobs; i++)
            if (w[i].started)
                pthread_join(w[i].th, NULL);
    }
    if (st == NB_OK && p->st != NB_OK)
        st = p->st == NB_ERR_NOMEM ? nb_diag_nomem(dl, p->ib->dir) : p->st;
    for (i = 0; i < jobs && st == NB_OK; i++)
        if (w[i].totals != NULL)
            st = nb_totals_merge(p->ib->totals, w[i].totals, dl);
    for (i = 0; i < jobs; i++)
        nb_totals_free(w[i].totals);
    free(w);
    return st;
}

/* ==== Duplicates and the expected offices ==== */

/* A duplicate leaves the totals: read again, and taken back. */
static nb_status unsum(nb_inbox *ib, row *r, const nb_inbox_opts *o,
                       nb_diag_list *dl)
{
    nb_diag_list *scratch = nb_diag_list_new();
    nb_report *rep = NULL;
    nb_loc loc = {r->path, 0, 0, NULL};
    nb_status st = scratch != NULL ? NB_OK : NB_ERR_NOMEM;

    if (st == NB_OK)
        st = nb_report_read(&rep, r->path, &o->read, scratch);
    if (st == NB_OK && rep != NULL)
        st = nb_report_check(rep, &o->check, scratch);
    if ((st != NB_OK && st != NB_ERR_NOMEM) ||
        (st == NB_OK && (rep == NULL || nb_totals_digest(rep) != r->digest))) {
        nb_diag_add(dl, NB_IO_READ, &loc, "%s",
                    _("it changed while the folder was being read: the "
                      "totals cannot leave it out; run again"));
        st = NB_ERR_IO;
    }
    if (st == NB_OK)
        st = nb_totals_remove(ib->totals, rep);
    if (st == NB_OK)
        r->s.summed = false;
    else if (st == NB_ERR_NOMEM)
        st = nb_diag_nomem(dl, r->path);
    nb_report_free(rep);
    nb_diag_list_free(scratch);
    return st;
}

/* By office, then year, then name (rows without an office last). */
static int by_office(const void *a, const void *b)
{
    const row *x = ((const keyed *)a)->r;
    const row *y = ((const keyed *)b)->r;
    int c;

    if (x->office == NULL || y->office == NULL)
        return (x->office == NULL) - (y->office == NULL);
    c = strcmp(x->office, y->office);
    if (c == 0)
        c = x->s.year < y->s.year ? -1 : x->s.year > y->s.year;
    if (c == 0)
        c = ((const keyed *)a)->i < ((const keyed *)b)->i ? -1 : 1;
    return c;
}

static bool same_office_year(const row *a, const row *b)
{
    return a->office != NULL && b->office != NULL && a->s.year == b->s.year &&
           strcmp(a->office, b->office) == 0;
}

/* Two or more rows of one office and year: all flagged, the later ones
 * reported. When more than one of them is in the totals, none stays
 * there (which one is right is the bureau's call); a valid submission
 * beside broken ones stays. */
static nb_status mark_duplicates(nb_inbox *ib, nb_diag_list *dl)
{
    keyed *v = sorted_rows(ib, by_office);
    size_t start;
    size_t end;

    if (v == NULL)
        return nb_diag_nomem(dl, ib->dir);
    for (start = 0; start < ib->n_rows; start = end) {
        row *first = &ib->rows[v[start].i];
        size_t summed = first->s.summed;
        size_t k;

        for (end = start + 1;
             end < ib->n_rows && same_office_year(first, &ib->rows[v[end].i]);
             end++)
            summed += ib->rows[v[end].i].s.summed;
        if (end - start < 2)
            continue;
        for (k = start; k < end; k++) {
            row *b = &ib->rows[v[k].i];
            nb_loc loc = {b->path, 0, 0, NULL};

            b->s.duplicate = true;
            b->unsum = summed > 1 && b->s.summed;
            if (k > start)
                nb_diag_add(dl, NB_INBOX_DUPLICATE, &loc,
                            _("%s for %d was also submitted as '%s'; keep "
                              "one"),
                            b->office, b->s.year, first->name);
        }
    }
    free(v);
    return NB_OK;
}

typedef struct expect_rd {
    const char *path;
    long column; /* -1 until the first row is seen */
    char **names;
    uint32_t *lines;
    size_t n;
    size_t alloc;
    bool oom;
} expect_rd;

static bool is_office_header(const char *s)
{
    static const char *const names[] = {"发布机构", "单位",   "单位名称",
                                        "报送单位", "机构",   "名称",
                                        "office",   "issuer", "name"};
    size_t i;

    for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (nb_ascii_casecmp(s, names[i]) == 0)
            return true;
    return false;
}

static bool on_expect_row(const nb_csv_row *row_, void *payload)
{
    expect_rd *e = payload;
    const char *name;
    size_t i;

    if (e->column < 0) {
        e->column = 0;
        for (i = 0; i < row_->n; i++)
            if (is_office_header(row_->cells[i])) {
                e->column = (long)i;
                return true; /* a header row */
            }
    }
    if ((size_t)e->column >= row_->n)
        return true;
    name = row_->cells[e->column];
    if (name[0] == '\0')
        return true;
    if (e->n == e->alloc) {
        size_t na = e->alloc == 0 ? 64 : e->alloc * 2;
        char **nn = realloc(e->names, na * sizeof(*nn));
        uint32_t *nl;

        if (nn == NULL) {
            e->oom = true;
            return false;
        }
        e->names = nn;
        nl = realloc(e->lines, na * sizeof(*nl));
        if (nl == NULL) {
            e->oom = true;
            return false;
        }
        e->lines = nl;
        e->alloc = na;
    }
    e->names[e->n] = nb_name_norm(name, NULL); /* as reports' issuers */
    if (e->names[e->n] == NULL) {
        e->oom = true;
        return false;
    }
    e->lines[e->n++] = row_->row;
    return true;
}

static void expect_fini(expect_rd *e)
{
    size_t i;

    for (i = 0; i < e->n; i++)
        free(e->names[i]);
    free(e->names);
    free(e->lines);
}

static int by_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static bool in_sorted(const char *const *v, size_t n, const char *s)
{
    return n > 0 && bsearch(&s, v, n, sizeof(*v), by_str) != NULL;
}

/* The first slot (in the list's order) that holds 'name', or NULL. */
static char **listed(char ***slots, size_t n, const char *name)
{
    size_t lo = 0;
    size_t hi = n;

    while (lo < hi) { /* the first slot whose name is not below 'name' */
        size_t mid = lo + (hi - lo) / 2;

        if (strcmp(*slots[mid], name) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && strcmp(*slots[lo], name) == 0 ? slots[lo] : NULL;
}

/* Slots of the expected list (pointers into its array), by name, then in
 * the list's order. */
static int by_slot(const void *a, const void *b)
{
    char *const *x = *(char *const *const *)a;
    char *const *y = *(char *const *const *)b;
    int c = strcmp(*x, *y);

    return c != 0 ? c : x < y ? -1 : x > y;
}

/* The distinct names, sorted, and the offices that submitted, sorted:
 * each test is then a binary search, for lists of any length. */
static nb_status apply_expect(nb_inbox *ib, const nb_inbox_opts *o,
                              nb_diag_list *dl)
{
    expect_rd e = {o->expect, -1, NULL, NULL, 0, 0, false};
    nb_csv_opts co = {.encoding = o->read.encoding,
                      .max_bytes =
                          nb_limits_resolve(o->read.limits).max_input_bytes};
    nb_loc loc = {o->expect, 0, 0, NULL};
    nb_status st = nb_csv_read(o->expect, &co, on_expect_row, &e, NULL, dl);
    char ***names = NULL; /* slots of e.names, sorted */
    const char **sent = NULL;
    size_t n_names = 0;
    size_t n_sent = 0;
    size_t n_rows = ib->n_rows;
    size_t i;
    row *nv;

    if (st == NB_OK && e.oom)
        st = nb_diag_nomem(dl, o->expect);
    if (st == NB_OK && e.n == 0) {
        nb_diag_add(dl, NB_INBOX_EXPECT_FILE, &loc, "%s",
                    _("no office names in it: one office per row, in a "
                      "column headed 发布机构 (or the first column)"));
        st = NB_ERR_FORMAT;
    }
    if (st == NB_OK) {
        names = calloc(e.n + 1, sizeof(*names));
        sent = calloc(n_rows + 1, sizeof(*sent));
        nv = realloc(ib->rows, (n_rows + e.n + 1) * sizeof(*nv));
        if (nv != NULL)
            ib->rows = nv;
        if (names == NULL || sent == NULL || nv == NULL)
            st = nb_diag_nomem(dl, o->expect);
    }
    if (st != NB_OK) {
        free(names);
        free(sent);
        expect_fini(&e);
        return st;
    }
    for (i = 0; i < e.n; i++)
        names[n_names++] = &e.names[i];
    qsort(names, n_names, sizeof(*names), by_slot);
    for (i = 0; i < n_rows; i++)
        if (ib->rows[i].office != NULL)
            sent[n_sent++] = ib->rows[i].office;
    qsort(sent, n_sent, sizeof(*sent), by_str);
    for (i = 0; i < n_rows; i++) {
        row *r = &ib->rows[i];
        nb_loc at = {r->path, 0, 0, NULL};

        if (r->office == NULL || listed(names, n_names, r->office) != NULL)
            continue;
        r->s.unexpected = true;
        nb_diag_add(dl, NB_INBOX_UNEXPECTED, &at, _("'%s' is not in %s"),
                    r->office, o->expect);
    }
    for (i = 0; i < e.n; i++) {
        row *r;

        /* missing: once, at its first line, however often listed */
        if (in_sorted(sent, n_sent, e.names[i]) ||
            listed(names, n_names, e.names[i]) != &e.names[i])
            continue;
        r = &ib->rows[ib->n_rows++];
        memset(r, 0, sizeof(*r));
        r->office = strdup(e.names[i]);
        if (r->office == NULL) {
            ib->n_rows--;
            st = nb_diag_nomem(dl, o->expect);
            break;
        }
        r->s.office = r->office;
        r->s.status = NB_SUB_MISSING;
        loc.line = e.lines[i];
        nb_diag_add(dl, NB_INBOX_MISSING, &loc, _("%s has not submitted"),
                    r->office);
    }
    free(names);
    free(sent);
    expect_fini(&e);
    return st;
}

/* ==== The run ==== */

/* After a batch render: a submission not rendered now has no document
 * of an earlier run left in the output folder looking current (a
 * regular file of the name this run would have written; links and
 * folders are never touched), and the row's public view gets its
 * strings. NB_OK unless out of memory. */
static nb_status settle_output(row *r)
{
    struct stat sb;

    if (r->output != NULL && r->s.output == NULL &&
        lstat(r->output, &sb) == 0 && S_ISREG(sb.st_mode)) {
        if ((r->stale = strdup(r->output)) == NULL)
            return NB_ERR_NOMEM;
        r->s.stale_kept = unlink(r->output) != 0;
        if (r->s.stale_kept && r->output_error == NULL) {
            char msg[512];

            snprintf(msg, sizeof(msg),
                     _("last run's document %s could not be removed: %s"),
                     r->output, strerror(errno));
            if ((r->output_error = strdup(msg)) == NULL)
                return NB_ERR_NOMEM;
        }
    }
    r->s.output_error = r->output_error;
    r->s.stale = r->stale;
    return NB_OK;
}

size_t nb_inbox_faults(const nb_inbox *ib)
{
    size_t n = 0;
    size_t i;

    for (i = 0; i < ib->n_rows; i++)
        n += ib->rows[i].s.status == NB_SUB_FAULT ||
             ib->rows[i].output_error != NULL;
    return n;
}

nb_status nb_inbox_run(nb_inbox **out, const char *dir,
                       const nb_inbox_opts *opts, nb_diag_list *dl)
{
    nb_inbox_opts none;
    const nb_inbox_opts *o = opts;
    nb_template *standard = NULL;
    nb_inbox *ib;
    pool p;
    nb_status st;
    size_t i;

    *out = NULL;
    if (o == NULL) {
        memset(&none, 0, sizeof(none));
        o = &none;
    }
    ib = calloc(1, sizeof(*ib));
    if (ib == NULL || (ib->dir = strdup(dir)) == NULL) {
        nb_inbox_free(ib);
        return nb_diag_nomem(dl, dir);
    }
    memset(&p, 0, sizeof(p));
    /* libxml2 sets up its tables on first use, and the umask is read by
     * setting it: both before the threads */
    xmlInitParser();
    nb_create_mode(0);
    st = scan(ib, o, dl);
    if (st == NB_OK && o->totals &&
        (ib->totals = nb_totals_new(o->check.catalog)) == NULL)
        st = nb_diag_nomem(dl, dir);
    if (st == NB_OK && o->render_dir != NULL && o->tmpl == NULL)
        st = nb_template_load_standard_limits(&standard, o->read.limits, dl);
    if (st == NB_OK && o->render_dir != NULL && o->tmpl == NULL &&
        standard == NULL)
        st = NB_ERR_FORMAT; /* the limits refuse the standard template */
    if (st == NB_OK) {
        p.todo = calloc(ib->n_rows + 1, sizeof(*p.todo));
        if (p.todo == NULL)
            st = nb_diag_nomem(dl, dir);
    }
    if (st == NB_OK) {
        for (i = 0; i < ib->n_rows; i++)
            if (ib->rows[i].s.status != NB_SUB_SKIPPED &&
                ib->rows[i].s.status != NB_SUB_FAULT)
                p.todo[p.n_todo++] = i;
        p.ib = ib;
        p.o = o;
        p.tmpl = o->tmpl != NULL ? o->tmpl : standard;
        pthread_mutex_init(&p.mu, NULL);
        if (p.n_todo > 0)
            st = run_pool(&p, jobs_of(o, p.n_todo), dl);
        pthread_mutex_destroy(&p.mu);
    }
    free(p.todo);
    nb_template_free(standard);
    for (i = 0; st == NB_OK && i < ib->n_rows; i++)
        st = settle_output(&ib->rows[i]);
    if (st == NB_OK)
        st = mark_duplicates(ib, dl);
    for (i = 0; st == NB_OK && i < ib->n_rows; i++)
        if (ib->rows[i].unsum)
            st = unsum(ib, &ib->rows[i], o, dl);
    if (st == NB_OK && o->expect != NULL)
        st = apply_expect(ib, o, dl);
    if (st != NB_OK) {
        nb_inbox_free(ib);
        return st;
    }
    *out = ib;
    return NB_OK;
}
