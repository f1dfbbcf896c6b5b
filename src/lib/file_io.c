/* file_io.c: whole-file reads with a size cap, and atomic writes.
 *
 * Output is written to a temporary file in the destination's folder and
 * renamed over the destination only when every byte is on disk, so a
 * reader never sees half a document and a failed run (disk full, killed
 * process) leaves the previous file untouched (DESIGN.md, "Non-negotiables").
 */
#include "internal.h"

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

char *nb_path_join(const char *dir, const char *name)
{
    size_t ld = strlen(dir);
    size_t ln = strlen(name);
    char *p = malloc(ld + ln + 2);

    if (p == NULL)
        return NULL;
    memcpy(p, dir, ld);
    if (ld > 0 && dir[ld - 1] == '/')
        ld--;
    p[ld] = '/';
    memcpy(p + ld + 1, name, ln + 1);
    return p;
}

nb_status nb_file_read(char **out, size_t *len_out, const char *path,
                       size_t max, nb_code limit_code, nb_diag_list *dl)
{
    nb_loc loc = {path, 0, 0, NULL};
    nb_status st = NB_ERR_IO;
    struct stat sb;
    char *data = NULL;
    size_t len = 0;
    size_t alloc;
    int fd;

    *out = NULL;
    *len_out = 0;
    /* "-" is standard input, as nb_loc documents */
    fd = strcmp(path, "-") == 0 ? dup(STDIN_FILENO)
                                : open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        nb_diag_add(dl, NB_IO_OPEN, &loc, _("cannot open: %s"),
                    strerror(errno));
        return NB_ERR_IO;
    }
    if (fstat(fd, &sb) != 0) {
        nb_diag_add(dl, NB_IO_READ, &loc, _("cannot read: %s"),
                    strerror(errno));
        goto done;
    }
    if (S_ISDIR(sb.st_mode)) {
        nb_diag_add(dl, NB_IO_READ, &loc, "%s", _("is a folder, not a file"));
        goto done;
    }
    if (S_ISREG(sb.st_mode) && (uintmax_t)sb.st_size > (uintmax_t)max) {
        nb_diag_add(dl, limit_code, &loc,
                    _("file is %jd bytes, more than the limit of %zu"),
                    (intmax_t)sb.st_size, max);
        st = NB_ERR_LIMIT;
        goto done;
    }
    /* read until EOF, not until st_size: pipes and growing files */
    alloc = S_ISREG(sb.st_mode) ? (size_t)sb.st_size + 1 : 65536;
    data = malloc(alloc + 1);
    if (data == NULL) {
        st = nb_diag_nomem(dl, path);
        goto done;
    }
    for (;;) {
        ssize_t n;

        if (len == alloc) {
            size_t na = alloc * 2;
            char *nd;

            if (na > max + 1)
                na = max + 1;
            if (na <= alloc) {
                nb_diag_add(dl, limit_code, &loc,
                            _("file is larger than the limit of %zu bytes"),
                            max);
                st = NB_ERR_LIMIT;
                goto done;
            }
            nd = realloc(data, na + 1);
            if (nd == NULL) {
                st = nb_diag_nomem(dl, path);
                goto done;
            }
            data = nd;
            alloc = na;
        }
        n = read(fd, data + len, alloc - len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            nb_diag_add(dl, NB_IO_READ, &loc, _("cannot read: %s"),
                        strerror(errno));
            goto done;
        }
        if (n == 0)
            break;
        len += (size_t)n;
        if (len > max) {
            nb_diag_add(dl, limit_code, &loc,
                        _("file is larger than the limit of %zu bytes"), max);
            st = NB_ERR_LIMIT;
            goto done;
        }
    }
    data[len] = '\0';
    *out = data;
    *len_out = len;
    data = NULL;
    st = NB_OK;
done:
    free(data);
    close(fd);
    return st;
}

/* ==== A file inside a form set ==== */

/* True when 'real' names something inside the folder 'set_real'. */
static bool inside(const char *real, const char *set_real)
{
    size_t n = strlen(set_real);

    if (n == 1 && set_real[0] == '/')
        return real[0] == '/' && real[1] != '\0';
    return strncmp(real, set_real, n) == 0 && real[n] == '/';
}

int nb_open_in_set(const char *path, const char *set, nb_diag_list *dl)
{
    nb_loc loc = {path, 0, 0, NULL};
    char *real = realpath(path, NULL);
    char *set_real = realpath(set, NULL);
    struct stat sb;
    int fd = -1;
    int flags;

    if (real == NULL || set_real == NULL) {
        nb_diag_add(dl, NB_IO_OPEN, &loc, _("cannot open: %s"),
                    strerror(errno));
        goto done;
    }
    /* offices' zips unpack symbolic links: one to a file outside the set
     * would put that file's text into the summaries sent upward */
    if (!inside(real, set_real)) {
        nb_diag_add(dl, NB_FORM_NOT_INSIDE, &loc, "%s",
                    _("a symbolic link to a file outside the form set: "
                      "put the file itself in the folder"));
        goto done;
    }
    /* O_NONBLOCK: a pipe put in place of the file does not stall the
     * open; O_NOFOLLOW: nor does a link put there since realpath() */
    fd = open(real, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOFOLLOW);
    if (fd < 0) {
        nb_diag_add(dl, NB_IO_OPEN, &loc, _("cannot open: %s"),
                    strerror(errno));
        goto done;
    }
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        nb_diag_add(dl, NB_FORM_NOT_REGULAR, &loc, "%s",
                    S_ISDIR(sb.st_mode)
                        ? _("a folder, not a form: a form is a CSV file")
                        : _("not a regular file (a pipe, a device or a "
                            "socket): a form is a CSV file"));
        close(fd);
        fd = -1;
        goto done;
    }
    flags = fcntl(fd, F_GETFL);
    if (flags >= 0)
        (void)fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
done:
    free(real);
    free(set_real);
    return fd;
}

static nb_status write_all(int fd, const char *p, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, p, len);

        if (n < 0) {
            if (errno == EINTR)
                continue;
            return NB_ERR_IO;
        }
        p += n;
        len -= (size_t)n;
    }
    return NB_OK;
}

/* ==== Temporary files, removed on a signal ==== */

/* The temporary files and folders being written, so that a signal
 * handler can remove them (nb_tmp_cleanup). Signals are the process's,
 * so this one table is too; slots are claimed and released atomically,
 * and the handler only reads them. */
enum { TMP_SLOTS = 256 };
static _Atomic(char *) tmp_slot[TMP_SLOTS];
static _Atomic(bool) tmp_is_dir[TMP_SLOTS];

static int tmp_register(char *path, bool is_dir)
{
    int i;

    for (i = 0; i < TMP_SLOTS; i++) {
        char *none = NULL;

        if (atomic_compare_exchange_strong(&tmp_slot[i], &none, path)) {
            atomic_store(&tmp_is_dir[i], is_dir);
            return i;
        }
    }
    return -1; /* more at once than slots: not removed on a signal */
}

static void tmp_release(int slot)
{
    if (slot >= 0)
        atomic_store(&tmp_slot[slot], NULL);
}

void nb_tmp_cleanup(void)
{
    int pass;
    int i;

    /* files first, then the folders they were in */
    for (pass = 0; pass < 2; pass++)
        for (i = 0; i < TMP_SLOTS; i++) {
            char *p = atomic_load(&tmp_slot[i]);

            if (p != NULL && atomic_load(&tmp_is_dir[i]) == (pass == 1))
                (void)(pass == 0 ? unlink(p) : rmdir(p));
        }
}

bool nb_is_tmp_name(const char *name)
{
    const char *t = strstr(name, ".tmp-");

    while (t != NULL && strlen(t) != sizeof(".tmp-XXXXXX") - 1)
        t = strstr(t + 1, ".tmp-");
    return t != NULL;
}

/* "path[0..len).tmp-XXXXXX", for mkstemp or mkdtemp: a temporary name in
 * the destination's folder, so that the final rename stays on one file
 * system. Caller frees; NULL when out of memory. */
static char *tmp_beside(const char *path, size_t len)
{
    char *tmp = malloc(len + sizeof(".tmp-XXXXXX"));

    if (tmp != NULL) {
        memcpy(tmp, path, len);
        memcpy(tmp + len, ".tmp-XXXXXX", sizeof(".tmp-XXXXXX"));
    }
    return tmp;
}

/* The process's umask, read once: reading it means setting it, and two
 * threads writing files at once must not see each other's 0. */
static pthread_once_t umask_once = PTHREAD_ONCE_INIT;
static mode_t umask_value;

static void read_umask(void)
{
    umask_value = umask(0);
    umask(umask_value);
}

/* The mode a plain create gives: 'base' less the umask. */
mode_t nb_create_mode(mode_t base)
{
    pthread_once(&umask_once, read_umask);
    return base & ~umask_value;
}

nb_status nb_write_file_atomic(const char *path, const void *data, size_t len,
                               nb_diag_list *dl)
{
    nb_loc loc = {path, 0, 0, NULL};
    char *tmp = NULL;
    char *real = NULL;
    const char *target = path;
    struct stat sb;
    int fd = -1;
    int err;
    int slot = -1;
    mode_t mode = nb_create_mode(0666);
    nb_status st = NB_ERR_IO;

    /* a symbolic link: the file it names is replaced, not the link */
    if (lstat(path, &sb) == 0 && S_ISLNK(sb.st_mode)) {
        real = realpath(path, NULL);
        if (real == NULL) {
            nb_diag_add(dl, NB_IO_WRITE, &loc, _("cannot write the output: %s"),
                        strerror(errno));
            return NB_ERR_IO;
        }
        target = real;
    }
    /* only a file is replaced: renaming over a device (/dev/full) or a
     * pipe would put a file in its place */
    if (stat(target, &sb) == 0 && !S_ISREG(sb.st_mode)) {
        nb_diag_add(dl, NB_IO_WRITE, &loc, _("cannot write the output: %s"),
                    S_ISDIR(sb.st_mode)
                        ? strerror(EISDIR)
                        : _("not a regular file (a device, a pipe or a "
                            "socket); give the name of a file"));
        free(real);
        return NB_ERR_IO;
    }
    /* a file replaced keeps its mode: a 0600 report stays private */
    if (stat(target, &sb) == 0)
        mode = sb.st_mode & 0777;
    tmp = tmp_beside(target, strlen(target));
    if (tmp == NULL) {
        free(real);
        return nb_diag_nomem(dl, path);
    }
    fd = mkstemp(tmp);
    if (fd < 0) {
        nb_diag_add(dl, NB_IO_WRITE, &loc, _("cannot create the output: %s"),
                    strerror(errno));
        free(tmp);
        free(real);
        return NB_ERR_IO;
    }
    slot = tmp_register(tmp, false);
    /* mkstemp makes the file 0600; give it the mode a plain create would,
     * or the replaced file's */
    if (fchmod(fd, mode) != 0 ||
        write_all(fd, data, len) != NB_OK || fsync(fd) != 0) {
        err = errno;
        nb_diag_add(dl, NB_IO_WRITE, &loc, _("cannot write the output: %s"),
                    strerror(err));
        goto fail;
    }
    if (close(fd) != 0) {
        fd = -1;
        err = errno;
        nb_diag_add(dl, NB_IO_WRITE, &loc, _("cannot write the output: %s"),
                    strerror(err));
        goto fail;
    }
    fd = -1;
    if (rename(tmp, target) != 0) {
        err = errno;
        nb_diag_add(dl, NB_IO_WRITE, &loc, _("cannot write the output: %s"),
                    strerror(err));
        goto fail;
    }
    tmp_release(slot);
    free(tmp);
    free(real);
    return NB_OK;
fail:
    if (fd >= 0)
        close(fd);
    unlink(tmp);
    tmp_release(slot);
    free(tmp);
    free(real);
    return st;
}

/* ==== Folders ==== */

static void remove_written(const char *tmp, const nb_out_file *files, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        char *p = malloc(strlen(tmp) + strlen(files[i].name) + 2);

        if (p == NULL)
            continue;
        memcpy(p, tmp, strlen(tmp));
        p[strlen(tmp)] = '/';
        memcpy(p + strlen(tmp) + 1, files[i].name, strlen(files[i].name) + 1);
        unlink(p);
        free(p);
    }
    rmdir(tmp);
}

static bool dir_is_empty(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    bool empty = true;

    if (d == NULL)
        return false;
    while (empty && (e = readdir(d)) != NULL)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            empty = false;
    closedir(d);
    return empty;
}

enum { DIR_SLOTS = 8 };

nb_status nb_dir_write_atomic(const char *dir, const nb_out_file *files,
                              size_t n, nb_diag_list *dl)
{
    nb_loc loc = {dir, 0, 0, NULL};
    struct stat sb;
    size_t dlen = strlen(dir);
    char *tmp;
    size_t i;
    int dfd;
    /* the files written, for nb_tmp_cleanup (a form set has 3) */
    char *fpath[DIR_SLOTS] = {NULL};
    int fslot[DIR_SLOTS];
    int dslot;
    nb_status st = NB_ERR_IO;

    for (i = 0; i < DIR_SLOTS; i++)
        fslot[i] = -1;
    while (dlen > 1 && dir[dlen - 1] == '/')
        dlen--;
    if (stat(dir, &sb) == 0) {
        if (!S_ISDIR(sb.st_mode) || !dir_is_empty(dir)) {
            nb_diag_add(dl, NB_IO_WRITE, &loc, "%s",
                        S_ISDIR(sb.st_mode)
                            ? _("the folder exists and is not empty; "
                                "nianbao writes a form set only into a new "
                                "or empty folder")
                            : _("exists and is not a folder"));
            return NB_ERR_IO;
        }
    }
    tmp = tmp_beside(dir, dlen);
    if (tmp == NULL)
        return nb_diag_nomem(dl, dir);
    if (mkdtemp(tmp) == NULL) {
        nb_diag_add(dl, NB_IO_WRITE, &loc, _("cannot create the folder: %s"),
                    strerror(errno));
        free(tmp);
        return NB_ERR_IO;
    }
    dslot = tmp_register(tmp, true);
    /* mkdtemp makes the folder 0700; give it the mode mkdir would */
    dfd = open(tmp, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0 || fchmod(dfd, nb_create_mode(0777)) != 0)
        goto fail;
    for (i = 0; i < n; i++) {
        int fd = openat(dfd, files[i].name,
                        O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);

        if (fd < 0)
            goto fail;
        if (i < DIR_SLOTS && fpath[i] == NULL) {
            fpath[i] = nb_path_join(tmp, files[i].name);
            fslot[i] = fpath[i] != NULL ? tmp_register(fpath[i], false) : -1;
        }
        if (write_all(fd, files[i].data, files[i].len) != NB_OK ||
            fsync(fd) != 0) {
            int err = errno;

            close(fd);
            errno = err;
            goto fail;
        }
        if (close(fd) != 0)
            goto fail;
    }
    if (fsync(dfd) != 0)
        goto fail;
    close(dfd);
    dfd = -1;
    /* rename replaces an empty folder of the same name */
    if (rename(tmp, dir) != 0)
        goto fail;
    st = NB_OK;
    goto done;
fail:
    nb_diag_add(dl, NB_IO_WRITE, &loc, _("cannot write the folder: %s"),
                strerror(errno));
    if (dfd >= 0)
        close(dfd);
    remove_written(tmp, files, n);
done:
    tmp_release(dslot);
    for (i = 0; i < DIR_SLOTS; i++) {
        tmp_release(fslot[i]);
        free(fpath[i]);
    }
    free(tmp);
    return st;
}
