/* mkzip: pack an unpacked OOXML tree (templates/standard/, test fixtures
 * kept unpacked for review) into a reproducible .docx/.xlsx.
 *
 * Usage: mkzip DIR [OVERLAY] OUTPUT
 * With OVERLAY, its files replace those of DIR with the same path, and
 * are added where DIR has none (the summary template is the standard one
 * with another document). "[Content_Types].xml" comes first, then every other
 * file in byte order of its path; every entry is deflated with the same DOS
 * timestamp (1980-01-01), so the same tree always gives the same bytes. Folders
 * get no entries of their own.
 */
#include <dirent.h>
#include <stdbool.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <zip.h>

typedef struct list {
    char **v;
    size_t n;
    size_t alloc;
} list;

static int push(list *l, const char *s)
{
    if (l->n == l->alloc) {
        size_t na = l->alloc == 0 ? 32 : l->alloc * 2;
        char **nv = realloc(l->v, na * sizeof(*nv));

        if (nv == NULL)
            return -1;
        l->v = nv;
        l->alloc = na;
    }
    l->v[l->n] = strdup(s);
    if (l->v[l->n] == NULL)
        return -1;
    l->n++;
    return 0;
}

/* Collect regular files under root/rel, as paths relative to root. */
static int walk(const char *root, const char *rel, list *out)
{
    char path[4096];
    DIR *d;
    struct dirent *e;

    snprintf(path, sizeof(path), "%s%s%s", root, rel[0] ? "/" : "", rel);
    d = opendir(path);
    if (d == NULL) {
        fprintf(stderr, "mkzip: %s: %s\n", path, strerror(errno));
        return -1;
    }
    while ((e = readdir(d)) != NULL) {
        char sub[4096];
        char full[8192];
        struct stat sb;

        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        snprintf(sub, sizeof(sub), "%s%s%s", rel, rel[0] ? "/" : "", e->d_name);
        snprintf(full, sizeof(full), "%s/%s", root, sub);
        if (stat(full, &sb) != 0) {
            fprintf(stderr, "mkzip: %s: %s\n", full, strerror(errno));
            closedir(d);
            return -1;
        }
        if (S_ISDIR(sb.st_mode)) {
            if (walk(root, sub, out) != 0) {
                closedir(d);
                return -1;
            }
        } else if (S_ISREG(sb.st_mode) && push(out, sub) != 0) {
            closedir(d);
            return -1;
        }
    }
    closedir(d);
    return 0;
}

static bool listed(const list *l, const char *s)
{
    size_t i;

    for (i = 0; i < l->n; i++)
        if (strcmp(l->v[i], s) == 0)
            return true;
    return false;
}

/* An entry and the tree it is read from. */
typedef struct entry {
    const char *rel;
    const char *root;
} entry;

static int cmp(const void *a, const void *b)
{
    const char *x = ((const entry *)a)->rel;
    const char *y = ((const entry *)b)->rel;
    int cx = strcmp(x, "[Content_Types].xml") == 0;
    int cy = strcmp(y, "[Content_Types].xml") == 0;

    if (cx != cy)
        return cy - cx;
    return strcmp(x, y);
}

int main(int argc, char **argv)
{
    list base = {NULL, 0, 0};
    list over = {NULL, 0, 0};
    entry *files;
    size_t n = 0;
    zip_t *za;
    int err;
    size_t i;
    char tmp[4096];
    const char *out = argv[argc - 1];

    if (argc != 3 && argc != 4) {
        fprintf(stderr, "usage: mkzip DIR [OVERLAY] OUTPUT\n");
        return 2;
    }
    if (walk(argv[1], "", &base) != 0 ||
        (argc == 4 && walk(argv[2], "", &over) != 0))
        return 1;
    files = calloc(base.n + over.n + 1, sizeof(*files));
    if (files == NULL)
        return 1;
    for (i = 0; i < base.n; i++)
        if (!listed(&over, base.v[i]))
            files[n++] = (entry){base.v[i], argv[1]};
    for (i = 0; i < over.n; i++)
        files[n++] = (entry){over.v[i], argv[2]};
    qsort(files, n, sizeof(files[0]), cmp);
    snprintf(tmp, sizeof(tmp), "%s.tmp", out);
    remove(tmp);
    za = zip_open(tmp, ZIP_CREATE | ZIP_TRUNCATE, &err);
    if (za == NULL) {
        fprintf(stderr, "mkzip: cannot create %s (libzip error %d)\n", tmp,
                err);
        return 1;
    }
    for (i = 0; i < n; i++) {
        char full[8192];
        zip_source_t *src;
        zip_int64_t idx;

        snprintf(full, sizeof(full), "%s/%s", files[i].root, files[i].rel);
        src = zip_source_file(za, full, 0, -1);
        if (src == NULL) {
            fprintf(stderr, "mkzip: %s: %s\n", full, zip_strerror(za));
            zip_discard(za);
            return 1;
        }
        idx = zip_file_add(za, files[i].rel, src, ZIP_FL_ENC_UTF_8);
        if (idx < 0) {
            fprintf(stderr, "mkzip: %s: %s\n", files[i].rel, zip_strerror(za));
            zip_source_free(src);
            zip_discard(za);
            return 1;
        }
        if (zip_set_file_compression(za, (zip_uint64_t)idx, ZIP_CM_DEFLATE,
                                     0) != 0 ||
            zip_file_set_dostime(za, (zip_uint64_t)idx, 0, (1 << 5) | 1, 0) !=
                0) {
            fprintf(stderr, "mkzip: %s: %s\n", files[i].rel, zip_strerror(za));
            zip_discard(za);
            return 1;
        }
    }
    if (zip_close(za) != 0) {
        fprintf(stderr, "mkzip: %s: %s\n", tmp, zip_strerror(za));
        zip_discard(za);
        return 1;
    }
    for (i = 0; i < base.n; i++)
        free(base.v[i]);
    for (i = 0; i < over.n; i++)
        free(over.v[i]);
    free(base.v);
    free(over.v);
    free(files);
    if (rename(tmp, out) != 0) {
        fprintf(stderr, "mkzip: %s: %s\n", out, strerror(errno));
        return 1;
    }
    return 0;
}
