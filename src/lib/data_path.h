/* data_path.h: files that data names (a picture's path, another document
 * to include), read only from where the user allowed.
 *
 * A path in the data is relative to the data file's folder (the current
 * folder for data read from standard input). Once every symbolic link
 * and ".." is resolved (realpath), the file must lie inside that folder
 * or inside one of the folders the user allowed (`--allow-dir`); an
 * absolute path is taken on the same terms. Only a regular file is read,
 * never a folder, device, FIFO or socket (it is opened non-blocking and
 * checked with fstat before a byte is read, so nothing can hang), and
 * never more than the limit given. The library prints nothing: the
 * caller turns an nb_dpath_err into a located diagnostic with
 * nb_data_path_why().
 */
#ifndef NIANBAO_SRC_LIB_DATA_PATH_H
#define NIANBAO_SRC_LIB_DATA_PATH_H

#include <stdbool.h>
#include <stddef.h>

/* Where files named by data may be read from. */
typedef struct nb_data_dirs {
    char *base;     /* realpath of the folder relative paths start from */
    char **allowed; /* realpaths of the folders also allowed */
    size_t n_allowed;
} nb_data_dirs;

typedef enum nb_dpath_err {
    NB_DPATH_OK = 0,
    NB_DPATH_EMPTY,      /* the path is empty, or holds a NUL */
    NB_DPATH_MISSING,    /* no such file, or a folder on its way is missing */
    NB_DPATH_OUTSIDE,    /* resolves outside the base and allowed folders */
    NB_DPATH_FOLDER,     /* a folder */
    NB_DPATH_NOT_FILE,   /* a device, FIFO or socket */
    NB_DPATH_TOO_LARGE,  /* more bytes than the limit */
    NB_DPATH_UNREADABLE, /* open or read failed (errno in *errnum) */
    NB_DPATH_NOMEM
} nb_dpath_err;

/* Start 'd' from the data file 'data_file' (its folder is the base;
 * NULL or "-": the current folder). NB_DPATH_NOMEM, NB_DPATH_MISSING
 * (the folder cannot be resolved) or NB_DPATH_OK. */
nb_dpath_err nb_data_dirs_init(nb_data_dirs *d, const char *data_file);

/* Allow the folder 'dir' too. NB_DPATH_MISSING when it does not exist,
 * NB_DPATH_NOT_FILE when it is not a folder. */
nb_dpath_err nb_data_dirs_allow(nb_data_dirs *d, const char *dir);

/* Copy 'from' into 'd' (initialised by this call). */
nb_dpath_err nb_data_dirs_copy(nb_data_dirs *d, const nb_data_dirs *from);

void nb_data_dirs_fini(nb_data_dirs *d);

/* Read the file 'path' names (see above) into *out (malloc'd, caller
 * frees; *len its bytes), at most 'max' bytes. On NB_DPATH_UNREADABLE,
 * *errnum is the errno. */
nb_dpath_err nb_data_path_read(const nb_data_dirs *d, const char *path,
                               size_t max, unsigned char **out, size_t *len,
                               int *errnum);

/* Why a path was refused, translated, for a message that names the path
 * before it: "is outside the data's folder and every --allow-dir". */
const char *nb_data_path_why(nb_dpath_err e);

#endif /* NIANBAO_SRC_LIB_DATA_PATH_H */
