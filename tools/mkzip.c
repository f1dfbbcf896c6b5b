/* mkzip: pack an unpacked OOXML tree (templates/standard/, test fixtures
 * kept unpacked for review) into a reproducible .docx/.xlsx.
 *
 * Usage: mkzip DIR [OVERLAY] OUTPUT
 * With OVERLAY, its files replace those of DIR with the same path, and
 * are added where DIR has none (the summary template is the standard one
 * with another document). "[Content_Types].xml" comes first, then every other
 * file in byte order of its path; every entry is deflated with the same DOS
 * timestamp (1980-01-01), so the same tree always gives the same bytes. Folders
 * get no entries of their own. The archive is written here (the classic
 * format of APPNOTE.TXT 4.3, as src/lib/zip_io.c's writer), deflated by
 * libdeflate.
 */
#include <dirent.h>
#include <stdbool.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <stdint.h>

#include <libdeflate.h>

/* The archive being written: local headers and data to 'fp', the central
 * directory gathered in 'cd'. */
typedef struct writer {
    FILE *fp;
    unsigned char *cd;
    size_t cd_len;
    size_t cd_alloc;
    uint32_t off;
    unsigned n;
    struct libdeflate_compressor *c;
} writer;

static void le(unsigned char *p, uint32_t v, int bytes)
{
    int i;

    for (i = 0; i < bytes; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

/* The header fields local and central headers share, from 'version'. */
static void fields(unsigned char *p, uint32_t crc, size_t clen, size_t ulen,
                   size_t name_len)
{
    le(p, 20, 2);            /* version needed: 2.0 */
    le(p + 2, 0x0800, 2);    /* UTF-8 name */
    le(p + 4, 8, 2);         /* deflate */
    le(p + 6, 0, 2);         /* 00:00:00 */
    le(p + 8, (1 << 5) | 1, 2); /* 1980-01-01 */
    le(p + 10, crc, 4);
    le(p + 14, (uint32_t)clen, 4);
    le(p + 18, (uint32_t)ulen, 4);
    le(p + 22, (uint32_t)name_len, 2);
    le(p + 24, 0, 2); /* no extra field */
}

static int add(writer *w, const char *name, const unsigned char *data,
               size_t len)
{
    size_t name_len = strlen(name);
    size_t bound = libdeflate_deflate_compress_bound(w->c, len);
    unsigned char *z = malloc(bound + 1);
    size_t zlen = z != NULL ? libdeflate_deflate_compress(w->c, data, len, z,
                                                          bound)
                            : 0;
    uint32_t crc = libdeflate_crc32(0, data, len);
    unsigned char h[46];

    if (zlen == 0 || name_len > 0xFFFF || w->n == 0xFFFF ||
        (uint64_t)w->off + 30 + name_len + zlen > 0xFFFFFFFFu) {
        free(z);
        return 1;
    }
    if (w->cd_len + 46 + name_len > w->cd_alloc) {
        unsigned char *q = realloc(w->cd, (w->cd_alloc + 46 + name_len) * 2);

        if (q == NULL) {
            free(z);
            return 1;
        }
        w->cd = q;
        w->cd_alloc = (w->cd_alloc + 46 + name_len) * 2;
    }
    le(h, 0x04034b50u, 4);
    fields(h + 4, crc, zlen, len, name_len);
    fwrite(h, 1, 30, w->fp);
    fwrite(name, 1, name_len, w->fp);
    fwrite(z, 1, zlen, w->fp);
    free(z);
    memset(h, 0, sizeof(h));
    le(h, 0x02014b50u, 4);
    le(h + 4, 20, 2); /* made by MS-DOS, 2.0 */
    fields(h + 6, crc, zlen, len, name_len);
    le(h + 42, w->off, 4);
    memcpy(w->cd + w->cd_len, h, 46);
    memcpy(w->cd + w->cd_len + 46, name, name_len);
    w->cd_len += 46 + name_len;
    w->off += (uint32_t)(30 + name_len + zlen);
    w->n++;
    return 0;
}

static int finish(writer *w)
{
    unsigned char e[22];

    memset(e, 0, sizeof(e));
    le(e, 0x06054b50u, 4);
    le(e + 8, w->n, 2);
    le(e + 10, w->n, 2);
    le(e + 12, (uint32_t)w->cd_len, 4);
    le(e + 16, w->off, 4);
    fwrite(w->cd, 1, w->cd_len, w->fp);
    fwrite(e, 1, sizeof(e), w->fp);
    return ferror(w->fp) ? 1 : 0;
}

/* The file at 'path' whole into *out (free()). */
static int slurp(unsigned char **out, size_t *len, const char *path)
{
    FILE *fp = fopen(path, "rb");
    size_t alloc = 0;
    size_t got;

    *out = NULL;
    *len = 0;
    if (fp == NULL)
        return 1;
    do {
        unsigned char *q = realloc(*out, alloc + 65536);

        if (q == NULL) {
            fclose(fp);
            return 1;
        }
        *out = q;
        alloc += 65536;
        got = fread(*out + *len, 1, 65536, fp);
        *len += got;
    } while (got > 0);
    got = (size_t)ferror(fp);
    fclose(fp);
    return got != 0;
}

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
    writer w = {NULL, NULL, 0, 0, 0, 0, NULL};
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
    w.fp = fopen(tmp, "wb");
    w.c = libdeflate_alloc_compressor(6);
    if (w.fp == NULL || w.c == NULL) {
        fprintf(stderr, "mkzip: cannot create %s: %s\n", tmp, strerror(errno));
        return 1;
    }
    for (i = 0; i < n; i++) {
        char full[8192];
        unsigned char *data = NULL;
        size_t len = 0;
        int rc;

        snprintf(full, sizeof(full), "%s/%s", files[i].root, files[i].rel);
        rc = slurp(&data, &len, full) || add(&w, files[i].rel, data, len);
        free(data);
        if (rc != 0) {
            fprintf(stderr, "mkzip: %s: cannot read or add it\n", full);
            fclose(w.fp);
            return 1;
        }
    }
    if (finish(&w) != 0 || fclose(w.fp) != 0) {
        fprintf(stderr, "mkzip: %s: %s\n", tmp, strerror(errno));
        return 1;
    }
    free(w.cd);
    libdeflate_free_compressor(w.c);
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
