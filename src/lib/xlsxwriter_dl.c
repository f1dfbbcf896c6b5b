/* xlsxwriter_dl.c: libxlsxwriter loaded with dlopen at the first workbook
 * written (xlsxwriter_dl.h says why), by the soname configure found. */
#include "xlsxwriter_dl.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

/* configure's soname (LIBXLSXWRITER_SONAME); a test may name another */
#ifndef NB_LXW_SONAME
#ifdef NB_LIBXLSXWRITER_SONAME
#define NB_LXW_SONAME NB_LIBXLSXWRITER_SONAME
#else
#define NB_LXW_SONAME "libxlsxwriter.so.4"
#endif
#endif

static pthread_once_t once = PTHREAD_ONCE_INIT;
static nb_lxw table;
static bool loaded;
static char why[256]; /* dlerror's words when it failed */

static void load(void)
{
    void *h = dlopen(NB_LXW_SONAME, RTLD_NOW | RTLD_LOCAL);
    const char *err;

    if (h == NULL) {
        err = dlerror();
        snprintf(why, sizeof(why), "%s", err != NULL ? err : "?");
        return;
    }
    /* the object pointer dlsym gives, copied into a function pointer
       (POSIX guarantees the two have the same representation) */
#define NB_LXW_RESOLVE(f)                                                      \
    {                                                                          \
        void *p = dlsym(h, #f);                                                \
        if (p == NULL) {                                                       \
            err = dlerror();                                                   \
            snprintf(why, sizeof(why), "%s", err != NULL ? err : #f);          \
            dlclose(h);                                                        \
            return;                                                            \
        }                                                                      \
        memcpy(&table.f, &p, sizeof(p));                                       \
    }
    NB_LXW_FUNCS(NB_LXW_RESOLVE)
#undef NB_LXW_RESOLVE
    loaded = true; /* h stays open for the life of the process */
}

const nb_lxw *nb_lxw_load(const char *file, nb_diag_list *dl)
{
    nb_loc loc = {file, 0, 0, NULL};

    pthread_once(&once, load);
    if (loaded)
        return &table;
    nb_diag_add(dl, NB_XLSXWRITER_MISSING, &loc,
                _("cannot write a workbook: %s could not be loaded (%s); "
                  "install libxlsxwriter (Debian: libxlsxwriter4)"),
                NB_LXW_SONAME, why);
    return NULL;
}
