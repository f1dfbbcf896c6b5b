/* render_bench: time nianbao's rendering, in process and as a command.
 *
 *   render_bench inproc N REPORT.xml      render N times in one process
 *   render_bench exec N -- CMD ARGS...    run a command N times
 *   render_bench formats N REPORT.xml     HTML and text, N times each
 *   render_bench data N T.docx DATA.json  load T and render DATA, N times
 *   render_bench import N DRAFT           import DRAFT N times in one process
 *
 * Prints "median_ms p90_ms peak_rss_kb" on one line. In-process mode loads
 * the standard template once and renders the already-read report N times
 * (what a portal embedding libnianbao does per request); it also reports
 * the median of read+validate+rules+render as a fourth field. Exec mode measures
 * wall time around fork/exec/wait and the child's peak RSS from wait4,
 * then the median and the least CPU time (user + system, from wait4: what
 * a shared machine's other load does not inflate) as fourth and fifth.
 * Data mode reads the template's bytes and the JSON data once, then times
 * N loads of the template from memory each followed by a render (what
 * bench/peers.sh times in docxtemplater and python-docx-template), and N
 * renders of one loaded template; it prints "median_ms p90_ms
 * cpu_ms_per_load_and_render peak_rss_kb render_median_ms".
 * Import mode times nb_import_file (read, structure, figures; the catalog
 * loaded once before) and prints "median_ms p90_ms peak_rss_kb".
 * The heap is kept (nb_heap_keep) as the nianbao command keeps it;
 * NB_BENCH_TRIM=1 leaves the allocator's defaults.
 * Used by bench/run.sh; not part of `make check`.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <nianbao/nianbao.h>

static double now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a;
    double y = *(const double *)b;

    return (x > y) - (x < y);
}

static double quantile(double *v, int n, double q)
{
    qsort(v, (size_t)n, sizeof(*v), cmp_double);
    return v[(int)(q * (n - 1) + 0.5)];
}

static int inproc(int n, const char *path)
{
    nb_diag_list *dl = nb_diag_list_new();
    nb_template *t = NULL;
    nb_report *r = NULL;
    double *v = calloc((size_t)n, sizeof(double));
    double *w = calloc((size_t)n, sizeof(double));
    struct rusage ru;
    int i;

    if (dl == NULL || v == NULL || w == NULL ||
        nb_template_load_standard(&t, dl) != NB_OK || t == NULL ||
        nb_report_read_xml(&r, path, NULL, dl) != NB_OK || r == NULL ||
        nb_report_check(r, NULL, dl) != NB_OK) {
        fprintf(stderr, "render_bench: cannot load %s\n", path);
        return 1;
    }
    for (i = 0; i < n; i++) {
        void *out = NULL;
        size_t len;
        double t0 = now_ms();

        if (nb_render_memory(&out, &len, t, r, dl) != NB_OK) {
            fprintf(stderr, "render_bench: render failed\n");
            return 1;
        }
        v[i] = now_ms() - t0;
        nb_free(out);
    }
    for (i = 0; i < n; i++) {
        nb_report *r2 = NULL;
        void *out = NULL;
        size_t len;
        double t0 = now_ms();

        nb_report_read_xml(&r2, path, NULL, dl);
        if (r2 != NULL)
            nb_report_check(r2, NULL, dl);
        nb_render_memory(&out, &len, t, r2, dl);
        w[i] = now_ms() - t0;
        nb_free(out);
        nb_report_free(r2);
    }
    getrusage(RUSAGE_SELF, &ru);
    printf("%.3f %.3f %ld %.3f\n", quantile(v, n, 0.5), quantile(v, n, 0.9),
           ru.ru_maxrss, quantile(w, n, 0.5));
    nb_report_free(r);
    nb_template_free(t);
    nb_diag_list_free(dl);
    free(v);
    free(w);
    return 0;
}

/* One format, n times: its median and p90 into m[0], m[1]. */
static int time_format(double m[2], int n, const nb_template *t, nb_report *r,
                       nb_format f, nb_diag_list *dl)
{
    nb_render_opts o = {f, false};
    double *v = calloc((size_t)n, sizeof(double));
    int i;

    for (i = 0; v != NULL && i < n; i++) {
        void *out = NULL;
        size_t len;
        double t0 = now_ms();

        if (nb_render_memory_opts(&out, &len, t, r, &o, dl) != NB_OK) {
            free(v);
            return 1;
        }
        v[i] = now_ms() - t0;
        nb_free(out);
    }
    if (v == NULL)
        return 1;
    m[0] = quantile(v, n, 0.5);
    m[1] = quantile(v, n, 0.9);
    free(v);
    return 0;
}

/* "html_med html_p90 text_med text_p90": the web page (the standard HTML
 * template) and the text (the standard .docx template's paragraphs) of an
 * already-read report, templates compiled once. */
static int formats(int n, const char *path)
{
    nb_diag_list *dl = nb_diag_list_new();
    nb_template *html = NULL;
    nb_template *docx = NULL;
    nb_report *r = NULL;
    double h[2];
    double x[2];
    int rc = 1;

    if (dl != NULL &&
        nb_template_check_standard(&html, NB_FORMAT_HTML, NULL, dl) == NB_OK &&
        html != NULL && nb_template_load_standard(&docx, dl) == NB_OK &&
        docx != NULL && nb_report_read_xml(&r, path, NULL, dl) == NB_OK &&
        r != NULL && nb_report_check(r, NULL, dl) == NB_OK &&
        time_format(h, n, html, r, NB_FORMAT_HTML, dl) == 0 &&
        time_format(x, n, docx, r, NB_FORMAT_TEXT, dl) == 0) {
        printf("%.3f %.3f %.3f %.3f\n", h[0], h[1], x[0], x[1]);
        rc = 0;
    } else {
        fprintf(stderr, "render_bench: cannot render %s\n", path);
    }
    nb_report_free(r);
    nb_template_free(html);
    nb_template_free(docx);
    nb_diag_list_free(dl);
    return rc;
}

static double cpu_ms(void)
{
    struct rusage ru;

    getrusage(RUSAGE_SELF, &ru);
    return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
           (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
}

/* The bytes of 'path' (free()), or NULL. */
static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *p = NULL;
    long n;

    if (f != NULL && fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 &&
        fseek(f, 0, SEEK_SET) == 0 && (p = malloc((size_t)n + 1)) != NULL &&
        fread(p, 1, (size_t)n, f) != (size_t)n) {
        free(p);
        p = NULL;
    }
    if (p != NULL)
        *len = (size_t)n;
    if (f != NULL)
        fclose(f);
    return p;
}

/* One load of the template from memory and one render: its time, or a
 * negative one on failure. With *keep, the template is kept there. */
static double load_render(const char *bytes, size_t len, const nb_data *d,
                          nb_template **keep, nb_diag_list *dl)
{
    nb_template *t = NULL;
    void *out = NULL;
    size_t out_len;
    double t0 = now_ms();
    double ms = -1;

    if (nb_template_load_memory(&t, bytes, len, "template", NULL, dl) ==
            NB_OK &&
        t != NULL && nb_render_data_memory(&out, &out_len, t, d, dl) == NB_OK)
        ms = now_ms() - t0;
    nb_free(out);
    if (keep != NULL && *keep == NULL)
        *keep = t;
    else
        nb_template_free(t);
    return ms;
}

static int data_mode(int n, const char *tpath, const char *dpath)
{
    nb_diag_list *dl = nb_diag_list_new();
    nb_data *d = NULL;
    nb_template *t = NULL;
    size_t len = 0;
    char *bytes = slurp(tpath, &len);
    double *v = calloc((size_t)n + 1, sizeof(double));
    double *w = calloc((size_t)n + 1, sizeof(double));
    double cpu;
    struct rusage ru;
    int i;
    int rc = 1;

    if (dl == NULL || bytes == NULL || v == NULL || w == NULL || n < 1 ||
        nb_data_load(&d, dpath, NULL, dl) != NB_OK || d == NULL ||
        load_render(bytes, len, d, &t, dl) < 0) {
        fprintf(stderr, "render_bench: cannot render %s into %s\n", dpath,
                tpath);
        goto done;
    }
    cpu = cpu_ms();
    for (i = 0; i < n && (v[i] = load_render(bytes, len, d, NULL, dl)) >= 0;
         i++)
        ;
    cpu = (cpu_ms() - cpu) / n;
    for (i = 0; i < n; i++) {
        void *out = NULL;
        size_t out_len;
        double t0 = now_ms();

        nb_render_data_memory(&out, &out_len, t, d, dl);
        w[i] = now_ms() - t0;
        nb_free(out);
    }
    getrusage(RUSAGE_SELF, &ru);
    printf("%.3f %.3f %.3f %ld %.3f\n", quantile(v, n, 0.5),
           quantile(v, n, 0.9), cpu, ru.ru_maxrss, quantile(w, n, 0.5));
    rc = 0;
done:
    nb_template_free(t);
    nb_data_free(d);
    nb_diag_list_free(dl);
    free(bytes);
    free(v);
    free(w);
    return rc;
}

static int run_exec(int n, char **argv)
{
    double *v = calloc((size_t)n, sizeof(double));
    double *cpu = calloc((size_t)n, sizeof(double));
    double cpu_min = 0;
    long peak = 0;
    int i;

    if (v == NULL || cpu == NULL) {
        free(v);
        free(cpu);
        return 1;
    }
    for (i = 0; i < n; i++) {
        struct rusage ru;
        int status;
        double t0 = now_ms();
        pid_t pid = fork();

        if (pid == 0) {
            execvp(argv[0], argv);
            _exit(127);
        }
        if (pid < 0 || wait4(pid, &status, 0, &ru) < 0 || !WIFEXITED(status) ||
            WEXITSTATUS(status) != 0) {
            fprintf(stderr, "render_bench: '%s' failed\n", argv[0]);
            return 1;
        }
        v[i] = now_ms() - t0;
        cpu[i] = (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000.0 +
                 (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1000.0;
        if (i == 0 || cpu[i] < cpu_min)
            cpu_min = cpu[i];
        if (ru.ru_maxrss > peak)
            peak = ru.ru_maxrss;
    }
    printf("%.3f %.3f %ld %.3f %.3f\n", quantile(v, n, 0.5),
           quantile(v, n, 0.9), peak, quantile(cpu, n, 0.5), cpu_min);
    free(v);
    free(cpu);
    return 0;
}

static int import_mode(int n, const char *path)
{
    double *v = calloc((size_t)n > 0 ? (size_t)n : 1, sizeof(double));
    struct rusage ru;
    int i;

    for (i = 0; i < n && v != NULL; i++) {
        nb_diag_list *dl = nb_diag_list_new();
        nb_report *r = NULL;
        double t0 = now_ms();

        if (dl == NULL || nb_import_file(&r, path, NULL, dl) != NB_OK) {
            fprintf(stderr, "render_bench: cannot import %s\n", path);
            return 1;
        }
        v[i] = now_ms() - t0;
        nb_report_free(r);
        nb_diag_list_free(dl);
    }
    if (v == NULL || n <= 0)
        return 1;
    getrusage(RUSAGE_SELF, &ru);
    printf("%.3f %.3f %ld\n", quantile(v, n, 0.5), quantile(v, n, 0.9),
           ru.ru_maxrss);
    free(v);
    return 0;
}

int main(int argc, char **argv)
{
    if (getenv("NB_BENCH_TRIM") == NULL)
        nb_heap_keep(); /* as the nianbao command does */
    if (argc >= 4 && strcmp(argv[1], "inproc") == 0)
        return inproc(atoi(argv[2]), argv[3]);
    if (argc >= 4 && strcmp(argv[1], "import") == 0)
        return import_mode(atoi(argv[2]), argv[3]);
    if (argc >= 4 && strcmp(argv[1], "formats") == 0)
        return formats(atoi(argv[2]), argv[3]);
    if (argc >= 5 && strcmp(argv[1], "data") == 0)
        return data_mode(atoi(argv[2]), argv[3], argv[4]);
    if (argc >= 5 && strcmp(argv[1], "exec") == 0 &&
        strcmp(argv[3], "--") == 0)
        return run_exec(atoi(argv[2]), argv + 4);
    fprintf(stderr, "usage: render_bench inproc N REPORT.xml\n"
                    "       render_bench data N T.docx DATA.json\n"
                    "       render_bench exec N -- CMD ARGS...\n");
    return 2;
}
