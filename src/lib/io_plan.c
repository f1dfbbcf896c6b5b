/* io_plan.c: every file a run reads and every file it will write, known
 * before anything is written, so that no output can replace an input.
 *
 * A run records its inputs (a file; a form set folder, whose files are
 * read; a folder of submissions, all of which is read) and its outputs (a
 * file; a folder written into). An output overlaps an input when it is
 * the same file (the same device and inode: through symbolic and hard
 * links alike), when it lies inside a folder of submissions (the next run
 * would read it), or when an input lies inside an output folder. Two
 * outputs that are one file overlap too. Paths are compared as realpath
 * gives them, and for an output that does not exist yet through its
 * nearest existing folder.
 */
#include "internal.h"

#include <dirent.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_FILES 100000 /* files recorded of one run's form sets */

typedef struct io_entry {
    char *path;       /* as the user gave it */
    char *real;       /* realpath of it, or of its nearest existing folder
                         joined with the rest; NULL when none resolves */
    dev_t dev;        /* when it exists */
    ino_t ino;
    bool exists;
    nb_io_use use;
    const char *name; /* what it is to the run, for messages: the path of
                         the input it was found in (a form in a set) */
} io_entry;

struct nb_io_plan {
    io_entry *v;
    size_t n;
    size_t alloc;
    size_t files; /* entries added for the files of read folders */
};

nb_io_plan *nb_io_plan_new(void)
{
    return calloc(1, sizeof(nb_io_plan));
}

void nb_io_plan_free(nb_io_plan *p)
{
    size_t i;

    if (p == NULL)
        return;
    for (i = 0; i < p->n; i++) {
        free(p->v[i].path);
        free(p->v[i].real);
    }
    free(p->v);
    free(p);
}

/* realpath of 'path', or of the nearest folder above it that exists with
 * the rest of the path joined on; NULL when nothing resolves. */
static char *resolve(const char *path)
{
    char *r = realpath(path, NULL);
    char *dir;
    char *slash;
    char *base;
    char *out;

    if (r != NULL)
        return r;
    dir = strdup(path);
    if (dir == NULL)
        return NULL;
    slash = strrchr(dir, '/');
    while (slash != NULL && slash[1] == '\0' && slash > dir) {
        *slash = '\0'; /* "out/" names the folder "out" */
        slash = strrchr(dir, '/');
    }
    if (slash == NULL) {
        base = nb_path_join(".", dir);
        r = base != NULL ? realpath(".", NULL) : NULL;
        out = r != NULL ? nb_path_join(r, dir) : NULL;
        free(base);
    } else {
        *slash = '\0';
        r = resolve(slash == dir ? "/" : dir);
        out = r != NULL ? nb_path_join(r, slash + 1) : NULL;
    }
    free(r);
    free(dir);
    return out;
}

static io_entry *add(nb_io_plan *p, const char *path, nb_io_use use,
                     const char *name)
{
    struct stat sb;
    io_entry *e;

    if (p->n == p->alloc) {
        size_t na = p->alloc == 0 ? 16 : p->alloc * 2;
        io_entry *nv = realloc(p->v, na * sizeof(*nv));

        if (nv == NULL)
            return NULL;
        p->v = nv;
        p->alloc = na;
    }
    e = &p->v[p->n];
    memset(e, 0, sizeof(*e));
    e->path = strdup(path);
    e->real = resolve(path);
    e->use = use;
    e->name = name;
    if (e->path == NULL) {
        free(e->real);
        return NULL;
    }
    if (stat(path, &sb) == 0) {
        e->exists = true;
        e->dev = sb.st_dev;
        e->ino = sb.st_ino;
    }
    p->n++;
    return e;
}

/* The regular files directly in the folder 'dir' (a form set): each is
 * an input. Bounded: a folder of very many files is not a form set. */
static nb_status add_folder_files(nb_io_plan *p, const char *dir,
                                  const char *name, nb_diag_list *dl)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    nb_status st = NB_OK;

    if (d == NULL)
        return NB_OK; /* reading it will say why it cannot be read */
    while (st == NB_OK && (de = readdir(d)) != NULL) {
        char *path;
        struct stat sb;

        if (de->d_name[0] == '.' || p->files >= MAX_FILES)
            continue;
        path = nb_path_join(dir, de->d_name);
        if (path == NULL) {
            st = nb_diag_nomem(dl, dir);
            break;
        }
        if (stat(path, &sb) == 0 && S_ISREG(sb.st_mode)) {
            p->files++;
            if (add(p, path, NB_USE_READ, name) == NULL)
                st = nb_diag_nomem(dl, dir);
        }
        free(path);
    }
    closedir(d);
    return st;
}

nb_status nb_io_plan_add(nb_io_plan *p, const char *path, nb_io_use use,
                         nb_diag_list *dl)
{
    io_entry *e;
    struct stat sb;

    if (path == NULL || strcmp(path, "-") == 0)
        return NB_OK; /* standard input and output are not files */
    e = add(p, path, use, NULL);
    if (e == NULL)
        return nb_diag_nomem(dl, path);
    e->name = e->path;
    if (use == NB_USE_READ && stat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
        return add_folder_files(p, e->path, e->path, dl);
    return NB_OK;
}

/* True when the path 'in' is 'dir' or lies below it. */
static bool below(const char *in, const char *dir)
{
    size_t n;

    if (in == NULL || dir == NULL)
        return false;
    n = strlen(dir);
    if (strcmp(dir, "/") == 0)
        return true;
    return strncmp(in, dir, n) == 0 && (in[n] == '\0' || in[n] == '/');
}

static bool same(const io_entry *a, const io_entry *b)
{
    if (a->exists && b->exists)
        return a->dev == b->dev && a->ino == b->ino;
    return a->real != NULL && b->real != NULL && strcmp(a->real, b->real) == 0;
}

static bool is_read(const io_entry *e)
{
    return e->use == NB_USE_READ || e->use == NB_USE_READ_TREE;
}

/* One output against one input or an earlier output: a finding when
 * they overlap; true then. */
static bool overlap(const io_entry *w, const io_entry *o, nb_diag_list *dl)
{
    nb_loc loc = {w->path, 0, 0, NULL};

    if (!is_read(o)) {
        if (!same(w, o))
            return false;
        nb_diag_add(dl, NB_IO_OVERLAP, &loc,
                    _("'%s' is given as two outputs of this run: give each "
                      "its own file"),
                    o->path);
        return true;
    }
    if (same(w, o)) {
        if (o->name != NULL && strcmp(o->name, o->path) != 0)
            nb_diag_add(dl, NB_IO_OVERLAP, &loc,
                        _("refusing to write over '%s', which this run "
                          "reads (in '%s'): write the output elsewhere"),
                        o->path, o->name);
        else
            nb_diag_add(dl, NB_IO_OVERLAP, &loc,
                        _("refusing to write over '%s', which this run "
                          "reads: write the output elsewhere"),
                        o->path);
        return true;
    }
    if (o->use == NB_USE_READ_TREE && below(w->real, o->real)) {
        nb_diag_add(dl, NB_IO_OVERLAP, &loc,
                    _("the output is inside the folder '%s', which this run "
                      "reads (the next run would read it too): write it "
                      "outside"),
                    o->path);
        return true;
    }
    if (w->use == NB_USE_WRITE_TREE && below(o->real, w->real)) {
        nb_diag_add(dl, NB_IO_OVERLAP, &loc,
                    _("'%s', which this run reads, is inside the output "
                      "folder: move it, or write elsewhere"),
                    o->path);
        return true;
    }
    return false;
}

nb_status nb_io_plan_check(const nb_io_plan *p, nb_diag_list *dl)
{
    bool found = false;
    size_t i;
    size_t k;

    for (i = 0; i < p->n; i++) {
        const io_entry *w = &p->v[i];

        if (is_read(w))
            continue;
        for (k = 0; k < p->n; k++)
            if (k != i && (is_read(&p->v[k]) || k < i) &&
                overlap(w, &p->v[k], dl)) {
                found = true;
                break;
            }
    }
    return found ? NB_ERR_FORMAT : NB_OK;
}
