/* testlib.c: main() for every unit-test program (Check's check_money.c
 * pattern), and paths to test data. */
#include "testlib.h"

#include <stdio.h>
#include <stdlib.h>

static const char *path_in(const char *env, const char *fallback,
                           const char *rel, char *buf, size_t size)
{
    const char *base = getenv(env);

    snprintf(buf, size, "%s/%s", base != NULL ? base : fallback, rel);
    return buf;
}

const char *nb_test_data(const char *rel)
{
    static char buf[4096];

    return path_in("NB_DATA", "tests/data", rel, buf, sizeof(buf));
}

const char *nb_test_src(const char *rel)
{
    static char buf[4096];

    return path_in("NB_SRCDIR", ".", rel, buf, sizeof(buf));
}

int main(void)
{
    SRunner *sr = srunner_create(nb_test_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
