/* testlib.h: shared helpers for the Check unit tests. Each check_<module>.c
 * defines nb_test_suite(); testlib.c supplies main(). Assertion helpers are
 * macros so that Check reports the failing test's line. */
#ifndef NIANBAO_TESTS_UNIT_TESTLIB_H
#define NIANBAO_TESTS_UNIT_TESTLIB_H

#include <check.h>
#include <stddef.h>

#include <nianbao/nianbao.h>

Suite *nb_test_suite(void);

/* Path of a file under tests/data (NB_DATA), in a static buffer. */
const char *nb_test_data(const char *rel);

/* Path of a file under the source tree (NB_SRCDIR). */
const char *nb_test_src(const char *rel);

/* Exactly one diagnostic, with this code and line. */
#define NB_ASSERT_ONE_DIAG(dl, code_, line_)                                   \
    do {                                                                       \
        ck_assert_uint_eq(nb_diag_list_count(dl), 1);                          \
        ck_assert_int_eq(nb_diag_list_at(dl, 0)->code, (code_));               \
        ck_assert_uint_eq(nb_diag_list_at(dl, 0)->loc.line, (line_));          \
    } while (0)

/* Some diagnostic has this code. */
#define NB_ASSERT_HAS_DIAG(dl, code_)                                          \
    do {                                                                       \
        size_t i_, found_ = 0;                                                 \
        for (i_ = 0; i_ < nb_diag_list_count(dl); i_++)                        \
            if (nb_diag_list_at(dl, i_)->code == (code_))                      \
                found_++;                                                      \
        ck_assert_msg(found_ > 0, "no diagnostic %s among %zu",                \
                      nb_code_id(code_), nb_diag_list_count(dl));              \
    } while (0)

#endif /* NIANBAO_TESTS_UNIT_TESTLIB_H */
