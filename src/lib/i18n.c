/* i18n.c: the library's messages in the user's language. libnianbao binds
 * its own gettext domain ("nianbao") the first time it needs a message,
 * so that a program embedding it gets Chinese findings under a Chinese
 * locale with nothing to set up but setlocale(LC_ALL, ""). The catalogs
 * are looked for in $NIANBAO_LOCALEDIR when it is set, else in the
 * install prefix's locale folder. */
#include "internal.h"

#include <pthread.h>
#include <stdlib.h>

#if ENABLE_NLS
static pthread_once_t bound = PTHREAD_ONCE_INIT;
static const char *bound_dir;

static void bind_domain(void)
{
    const char *dir = getenv("NIANBAO_LOCALEDIR");

    if (dir == NULL || dir[0] == '\0')
        dir = LOCALEDIR;
    bindtextdomain(PACKAGE, dir);
    bind_textdomain_codeset(PACKAGE, "UTF-8");
    bound_dir = dir;
}
#endif

const char *nb_gettext(const char *msgid)
{
#if ENABLE_NLS
    pthread_once(&bound, bind_domain);
    return dgettext(PACKAGE, msgid);
#else
    return msgid;
#endif
}

const char *nb_locale_dir(void)
{
#if ENABLE_NLS
    pthread_once(&bound, bind_domain);
    return bound_dir;
#else
    return NULL;
#endif
}
