/* typo_bench: what the typography check costs validate.
 *
 *   typo_bench N REPORT.xml
 *
 * Times, N times each, in one process: reading the report XML (with the
 * XSD), the rules with the typography check (nb_report_check, what
 * validate runs), and the typography check alone (nb_typo_check). Prints
 * "read_ms rules_ms typo_ms" (medians of CPU time) on one line. Used by
 * bench/typography.sh; not part of `make check`.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <nianbao/nianbao.h>

static double now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts); /* the machine may be busy */
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a;
    double y = *(const double *)b;

    return (x > y) - (x < y);
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof(*v), cmp_double);
    return v[n / 2];
}

int main(int argc, char **argv)
{
    int n;
    int i;
    double *t[3];

    if (argc != 3 || (n = atoi(argv[1])) < 1 || n > 1000) {
        fprintf(stderr, "usage: typo_bench N REPORT.xml\n");
        return 2;
    }
    for (i = 0; i < 3; i++)
        t[i] = calloc((size_t)n, sizeof(double));
    for (i = 0; i < n; i++) {
        nb_diag_list *dl = nb_diag_list_new();
        nb_limits lim = nb_limits_defaults();
        nb_report *r = NULL;
        double t0 = now_ms();
        double t1;
        double t2;

        if (nb_report_read_xml(&r, argv[2], &lim, dl) != NB_OK || r == NULL) {
            fprintf(stderr, "typo_bench: cannot read %s\n", argv[2]);
            return 1;
        }
        t1 = now_ms();
        nb_report_check(r, NULL, dl);
        t2 = now_ms();
        nb_diag_list_free(dl); /* a fresh list: a full one stops the check */
        dl = nb_diag_list_new();
        nb_typo_check(r, dl);
        t[0][i] = t1 - t0;
        t[1][i] = t2 - t1;
        t[2][i] = now_ms() - t2;
        nb_report_free(r);
        nb_diag_list_free(dl);
    }
    printf("%.2f %.2f %.2f\n", median(t[0], n), median(t[1], n),
           median(t[2], n));
    for (i = 0; i < 3; i++)
        free(t[i]);
    return 0;
}
