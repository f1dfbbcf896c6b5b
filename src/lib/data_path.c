/* data_path.c: read a file that data names, only from the folders the
 * user allowed (data_path.h says the rules).
 */
#include "data_path.h"
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static nb_dpath_err err_of(int e)
{
    if (e == ENOMEM)
        return NB_DPATH_NOMEM;
    return NB_DPATH_MISSING;
}

/* The folder of 'file' ("." when it has none), malloc'd. */
static char *folder_of(const char *file)
{
    const char *slash = strrchr(file, '/');

    if (slash == NULL)
        return strdup(".");
    if (slash == file)
        return strdup("/");
    return strndup(file, (size_t)(slash - file));
}

nb_dpath_err nb_data_dirs_init(nb_data_dirs *d, const char *data_file)
{
    char *dir;

    memset(d, 0, sizeof(*d));
    if (data_file == NULL || strcmp(data_file, "-") == 0)
        dir = strdup(".");
    else
        dir = folder_of(data_file);
    if (dir == NULL)
        return NB_DPATH_NOMEM;
    d->base = realpath(dir, NULL);
    free(dir);
    return d->base != NULL ? NB_DPATH_OK : err_of(errno);
}

nb_dpath_err nb_data_dirs_allow(nb_data_dirs *d, const char *dir)
{
    struct stat sb;
    char **nv;
    char *real;

    real = realpath(dir, NULL);
    if (real == NULL)
        return err_of(errno);
    if (stat(real, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
        free(real);
        return NB_DPATH_NOT_FILE;
    }
    nv = realloc(d->allowed, (d->n_allowed + 1) * sizeof(*nv));
    if (nv == NULL) {
        free(real);
        return NB_DPATH_NOMEM;
    }
    d->allowed = nv;
    d->allowed[d->n_allowed++] = real;
    return NB_DPATH_OK;
}

nb_dpath_err nb_data_dirs_copy(nb_data_dirs *d, const nb_data_dirs *from)
{
    size_t i;

    memset(d, 0, sizeof(*d));
    if (from->base != NULL) {
        d->base = strdup(from->base);
        if (d->base == NULL)
            return NB_DPATH_NOMEM;
    }
    if (from->n_allowed == 0)
        return NB_DPATH_OK;
    d->allowed = calloc(from->n_allowed, sizeof(*d->allowed));
    if (d->allowed == NULL)
        return NB_DPATH_NOMEM;
    for (i = 0; i < from->n_allowed; i++) {
        d->allowed[i] = strdup(from->allowed[i]);
        if (d->allowed[i] == NULL)
            return NB_DPATH_NOMEM;
        d->n_allowed++;
    }
    return NB_DPATH_OK;
}

void nb_data_dirs_fini(nb_data_dirs *d)
{
    size_t i;

    if (d == NULL)
        return;
    free(d->base);
    for (i = 0; i < d->n_allowed; i++)
        free(d->allowed[i]);
    free(d->allowed);
    memset(d, 0, sizeof(*d));
}

/* Is the resolved path 'real' inside the resolved folder 'dir'? */
static bool inside(const char *real, const char *dir)
{
    size_t n = strlen(dir);

    if (n == 1 && dir[0] == '/')
        return real[0] == '/' && real[1] != '\0';
    return strncmp(real, dir, n) == 0 && real[n] == '/' && real[n + 1] != '\0';
}

static bool allowed(const nb_data_dirs *d, const char *real)
{
    size_t i;

    if (d->base != NULL && inside(real, d->base))
        return true;
    for (i = 0; i < d->n_allowed; i++)
        if (inside(real, d->allowed[i]))
            return true;
    return false;
}

/* A path that does not resolve (errno 'e'): outside when the folder it
 * would be in resolves outside, so that "../x.png" says where it leads
 * whether or not it is there. */
static nb_dpath_err missing_where(const nb_data_dirs *d, const char *joined,
                                  int e)
{
    char *dir;
    char *real;
    nb_dpath_err out = err_of(e);

    if (out == NB_DPATH_NOMEM)
        return out;
    dir = folder_of(joined);
    real = dir != NULL ? realpath(dir, NULL) : NULL;
    if (real != NULL && strcmp(real, "/") != 0) {
        /* a file directly in the folder 'real' */
        char *probe = nb_path_join(real, "x");

        if (probe != NULL && !allowed(d, probe))
            out = NB_DPATH_OUTSIDE;
        free(probe);
    } else if (real != NULL && !allowed(d, "/x")) {
        out = NB_DPATH_OUTSIDE;
    }
    free(real);
    free(dir);
    return out;
}

/* 'path' made absolute from the base (malloc'd), then resolved. */
static nb_dpath_err resolve(const nb_data_dirs *d, const char *path,
                            char **real)
{
    char *joined;

    *real = NULL;
    if (path[0] == '/' || d->base == NULL)
        joined = strdup(path);
    else
        joined = nb_path_join(d->base, path);
    if (joined == NULL)
        return NB_DPATH_NOMEM;
    *real = realpath(joined, NULL);
    if (*real == NULL) {
        nb_dpath_err e = missing_where(d, joined, errno);

        free(joined);
        return e;
    }
    free(joined);
    if (!allowed(d, *real)) {
        free(*real);
        *real = NULL;
        return NB_DPATH_OUTSIDE;
    }
    return NB_DPATH_OK;
}

/* Read all of the regular file open on 'fd', whose size is 'size'. */
static nb_dpath_err read_all(int fd, size_t size, size_t max,
                             unsigned char **out, size_t *len, int *errnum)
{
    /* one byte more than it said: a file that grew past the limit */
    size_t want = size < max ? size + 1 : max + 1;
    unsigned char *buf = malloc(want > 0 ? want : 1);
    size_t got = 0;

    if (buf == NULL)
        return NB_DPATH_NOMEM;
    while (got < want) {
        ssize_t n = read(fd, buf + got, want - got);

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            *errnum = errno;
            free(buf);
            return NB_DPATH_UNREADABLE;
        }
        if (n == 0)
            break;
        got += (size_t)n;
    }
    if (got > max) {
        free(buf);
        return NB_DPATH_TOO_LARGE;
    }
    *out = buf;
    *len = got;
    return NB_DPATH_OK;
}

nb_dpath_err nb_data_path_read(const nb_data_dirs *d, const char *path,
                               size_t max, unsigned char **out, size_t *len,
                               int *errnum)
{
    nb_dpath_err e;
    struct stat sb;
    char *real = NULL;
    int fd;

    *out = NULL;
    *len = 0;
    *errnum = 0;
    if (path == NULL || path[0] == '\0')
        return NB_DPATH_EMPTY;
    e = resolve(d, path, &real);
    if (e != NB_DPATH_OK)
        return e;
    /* non-blocking: a FIFO opens at once and is refused below */
    fd = open(real, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_NOFOLLOW | O_CLOEXEC);
    free(real);
    if (fd < 0) {
        *errnum = errno;
        return errno == ELOOP ? NB_DPATH_OUTSIDE : NB_DPATH_UNREADABLE;
    }
    if (fstat(fd, &sb) != 0) {
        *errnum = errno;
        e = NB_DPATH_UNREADABLE;
    } else if (S_ISDIR(sb.st_mode)) {
        e = NB_DPATH_FOLDER;
    } else if (!S_ISREG(sb.st_mode)) {
        e = NB_DPATH_NOT_FILE;
    } else if ((uintmax_t)sb.st_size > (uintmax_t)max) {
        e = NB_DPATH_TOO_LARGE;
    } else {
        e = read_all(fd, (size_t)sb.st_size, max, out, len, errnum);
    }
    close(fd);
    return e;
}

const char *nb_data_path_why(nb_dpath_err e)
{
    switch (e) {
    case NB_DPATH_OK:
        return "";
    case NB_DPATH_EMPTY:
        return _("is empty");
    case NB_DPATH_MISSING:
        return _("does not exist");
    case NB_DPATH_OUTSIDE:
        return _("is outside the data file's folder and every --allow-dir "
                 "folder (after following links)");
    case NB_DPATH_FOLDER:
        return _("is a folder, not a file");
    case NB_DPATH_NOT_FILE:
        return _("is not a regular file (a device, FIFO or socket)");
    case NB_DPATH_TOO_LARGE:
        return _("is larger than the limit");
    case NB_DPATH_UNREADABLE:
        return _("cannot be read");
    case NB_DPATH_NOMEM:
        return _("could not be read: out of memory");
    }
    return "";
}
