/* pdf.c: DOCX to PDF through LibreOffice, found at run time: one headless
 * process converts every document of a run, in a private profile
 * (a running LibreOffice would otherwise take the job), with the
 * project's fontconfig aliases so that the free fonts stand in for the
 * official ones; PDF/A-2b, every font embedded, unless plain PDF is
 * asked for. The process group is killed and the temporary folder removed
 * whatever happens: on success, failure, a time-out or a signal
 * (SIGINT, SIGTERM, SIGHUP), which is then raised again. */
#define _XOPEN_SOURCE 700
#include "pdf.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#define PDFA_FILTER                                                            \
    "pdf:writer_pdf_Export:{\"SelectPdfVersion\":{\"type\":\"long\","          \
    "\"value\":\"2\"},\"EmbedStandardFonts\":{\"type\":\"boolean\","           \
    "\"value\":\"true\"}}"

/* What a signal handler needs: the group to kill, the folder to remove. */
static volatile sig_atomic_t got_signal;
static volatile pid_t child_group;

static void on_signal(int sig)
{
    got_signal = sig;
    if (child_group > 0)
        kill(-child_group, SIGKILL);
}

/* An executable file named 'name' on $PATH, into 'buf'. */
static bool on_path(char *buf, size_t size, const char *name)
{
    const char *p = getenv("PATH");

    while (p != NULL && *p != '\0') {
        const char *e = strchr(p, ':');
        size_t n = e != NULL ? (size_t)(e - p) : strlen(p);

        if (n > 0 && snprintf(buf, size, "%.*s/%s", (int)n, p, name) <
                         (int)size &&
            access(buf, X_OK) == 0)
            return true;
        p = e != NULL ? e + 1 : NULL;
    }
    return false;
}

bool pdf_find_soffice(char *buf, size_t size)
{
    const char *env = getenv("NIANBAO_SOFFICE");

    if (env != NULL && *env != '\0') {
        snprintf(buf, size, "%s", env);
        return access(buf, X_OK) == 0;
    }
    return on_path(buf, size, "soffice") || on_path(buf, size, "libreoffice");
}

/* The fontconfig file the child gets: the user's FONTCONFIG_FILE, else
 * the installed one, else the source tree's (an uninstalled build). */
static const char *fonts_conf(void)
{
    const char *env = getenv("FONTCONFIG_FILE");

    if (env != NULL && *env != '\0')
        return NULL; /* kept as it is */
    if (access(NB_FONTCONFIG, R_OK) == 0)
        return NB_FONTCONFIG;
    if (access(NB_SRC_FONTCONFIG, R_OK) == 0)
        return NB_SRC_FONTCONFIG;
    return NULL;
}

static int rm_entry(const char *path, const struct stat *st, int flag,
                    struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static void remove_tree(const char *dir)
{
    nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static bool write_all(const char *path, const void *data, size_t len)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
    const char *p = data;

    if (fd < 0)
        return false;
    while (len > 0) {
        ssize_t w = write(fd, p, len);

        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            close(fd);
            return false;
        }
        p += w;
        len -= (size_t)w;
    }
    return close(fd) == 0;
}

/* Read a whole file (a PDF LibreOffice wrote); NULL on failure. */
static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t cap = 0;
    size_t n = 0;

    if (f == NULL)
        return NULL;
    for (;;) {
        if (n == cap) {
            char *nb = realloc(buf, cap == 0 ? 1 << 16 : cap * 2);

            if (nb == NULL)
                break;
            buf = nb;
            cap = cap == 0 ? 1 << 16 : cap * 2;
        }
        size_t r = fread(buf + n, 1, cap - n, f);

        n += r;
        if (r == 0)
            break;
    }
    if (ferror(f) || n == 0) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    *len = n;
    return buf;
}

/* Run soffice with 'argv' in a process group of its own; wait at most
 * 'seconds'. The exit status, -1 when it could not run or was stopped. */
static int run_soffice(char *const argv[], const char *fonts, unsigned seconds,
                       const char *log, const char *tmp)
{
    posix_spawnattr_t at;
    posix_spawn_file_actions_t fa;
    pid_t pid;
    int status = 0;
    int rc;
    time_t end = time(NULL) + (time_t)seconds;

    const char *old_tmp = getenv("TMPDIR");
    char *saved_tmp = old_tmp != NULL ? strdup(old_tmp) : NULL;

    if (fonts != NULL)
        setenv("FONTCONFIG_FILE", fonts, 1);
    /* LibreOffice's own temporary files go into the folder removed
     * after it, even when it is killed */
    setenv("TMPDIR", tmp, 1);
    posix_spawnattr_init(&at);
    posix_spawnattr_setflags(&at, POSIX_SPAWN_SETPGROUP);
    posix_spawnattr_setpgroup(&at, 0);
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, log, O_WRONLY | O_CREAT, 0600);
    posix_spawn_file_actions_adddup2(&fa, 1, 2);
    rc = posix_spawn(&pid, argv[0], &fa, &at, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&at);
    if (fonts != NULL)
        unsetenv("FONTCONFIG_FILE");
    if (saved_tmp != NULL)
        setenv("TMPDIR", saved_tmp, 1);
    else
        unsetenv("TMPDIR");
    free(saved_tmp);
    if (rc != 0)
        return -1;
    child_group = pid;
    for (;;) {
        pid_t w = waitpid(pid, &status, WNOHANG);
        struct timespec ts = {0, 20 * 1000 * 1000};

        if (w == pid)
            break;
        if (w < 0 && errno != EINTR)
            break;
        if (got_signal || time(NULL) > end) {
            kill(-pid, SIGKILL);
            waitpid(pid, &status, 0);
            status = -1;
            break;
        }
        nanosleep(&ts, NULL);
    }
    /* soffice.bin and oosplash are in the group: none outlives the run */
    kill(-pid, SIGKILL);
    child_group = 0;
    if (status == -1)
        return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* Install the handlers; the old ones into 'old'. */
static void trap(struct sigaction old[3], bool on)
{
    static const int sigs[3] = {SIGINT, SIGTERM, SIGHUP};
    struct sigaction sa;
    int i;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    for (i = 0; i < 3; i++) {
        if (on)
            sigaction(sigs[i], &sa, &old[i]);
        else
            sigaction(sigs[i], &old[i], NULL);
    }
}

/* Write the documents into the folder, build the command line, run it. */
static int convert_in(const char *dir, const char *soffice,
                      const pdf_doc *docs, size_t n, bool plain)
{
    char **argv = calloc(n + 12, sizeof(*argv));
    char profile[4200];
    char outdir[4200];
    char log[4200];
    char tmp[4200];
    size_t k = 0;
    size_t i;
    int rc = -1;

    if (argv == NULL)
        return -1;
    snprintf(profile, sizeof(profile), "-env:UserInstallation=file://%s/profile",
             dir);
    snprintf(outdir, sizeof(outdir), "%s/out", dir);
    snprintf(log, sizeof(log), "%s/soffice.log", dir);
    argv[k++] = (char *)soffice;
    argv[k++] = profile;
    argv[k++] = (char *)"--headless";
    argv[k++] = (char *)"--norestore";
    argv[k++] = (char *)"--nolockcheck";
    argv[k++] = (char *)"--convert-to";
    argv[k++] = (char *)(plain ? "pdf" : PDFA_FILTER);
    argv[k++] = (char *)"--outdir";
    argv[k++] = outdir;
    for (i = 0; i < n; i++) {
        char path[4200];

        snprintf(path, sizeof(path), "%s/d%06zu.docx", dir, i);
        if ((docs[i].data != NULL
                 ? !write_all(path, docs[i].data, docs[i].len)
                 : symlink(docs[i].path, path) != 0) ||
            (argv[k++] = strdup(path)) == NULL)
            goto done;
    }
    snprintf(tmp, sizeof(tmp), "%s/tmp", dir);
    if (mkdir(tmp, 0700) == 0)
        rc = run_soffice(argv, fonts_conf(), 120 + 30 * (unsigned)n, log, tmp);
done:
    for (i = 9; i < k; i++)
        free(argv[i]);
    free(argv);
    return rc;
}

int pdf_convert(const pdf_doc *docs, size_t n, bool plain, nb_diag_list *dl)
{
    char soffice[4096];
    char dir[4096];
    const char *tmp = getenv("TMPDIR");
    struct sigaction old[3];
    size_t i;
    int rc;
    int result = EXIT_CLEAN;

    if (!pdf_find_soffice(soffice, sizeof(soffice))) {
        fprintf(stderr, "%s",
                _("nianbao: LibreOffice (soffice) was not found: PDF is "
                  "written through it; install it (Debian: "
                  "libreoffice-writer-nogui) or name its soffice in "
                  "NIANBAO_SOFFICE\n"));
        return EXIT_RUN;
    }
    snprintf(dir, sizeof(dir), "%s/nianbao-pdf-XXXXXX",
             tmp != NULL && *tmp != '\0' ? tmp : "/tmp");
    if (mkdtemp(dir) == NULL) {
        fprintf(stderr, _("nianbao: cannot make a temporary folder: %s\n"),
                strerror(errno));
        return EXIT_RUN;
    }
    got_signal = 0;
    trap(old, true);
    rc = convert_in(dir, soffice, docs, n, plain);
    for (i = 0; i < n && !got_signal; i++) {
        char path[4200];
        size_t len = 0;
        char *pdf;

        snprintf(path, sizeof(path), "%s/out/d%06zu.pdf", dir, i);
        pdf = read_all(path, &len);
        if (pdf == NULL) {
            fprintf(stderr,
                    _("nianbao: %s: LibreOffice did not convert it to PDF "
                      "(exit status %d)\n"),
                    docs[i].out, rc);
            result = EXIT_RUN;
            continue;
        }
        if (nb_write_file_atomic(docs[i].out, pdf, len, dl) != NB_OK)
            result = EXIT_RUN;
        free(pdf);
    }
    remove_tree(dir);
    trap(old, false);
    if (got_signal) {
        /* the action it had, now that all is clean; an ignored one
         * still stops the run */
        raise(got_signal);
        return 128 + got_signal;
    }
    return result;
}
