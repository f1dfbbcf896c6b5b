/* check_buf.c: the capped, sticky byte buffer (src/lib/buf.c). */
#include "internal.h"
#include "testlib.h"

#include <stdlib.h>
#include <string.h>

START_TEST(test_buf_appends_and_terminates)
{
    nb_buf b;

    nb_buf_init(&b, 1000);
    ck_assert_int_eq(nb_buf_adds(&b, "年报"), NB_OK);
    ck_assert_int_eq(nb_buf_addc(&b, '!'), NB_OK);
    ck_assert_int_eq(nb_buf_printf(&b, "%d", 2023), NB_OK);
    ck_assert_str_eq(b.data, "年报!2023");
    ck_assert_uint_eq(b.len, strlen("年报!2023"));
    nb_buf_fini(&b);
}
END_TEST

START_TEST(test_buf_cap_fails_and_sticks)
{
    nb_buf b;

    nb_buf_init(&b, 8);
    ck_assert_int_eq(nb_buf_adds(&b, "12345678"), NB_OK);
    ck_assert_int_eq(nb_buf_addc(&b, '9'), NB_ERR_LIMIT);
    ck_assert_int_eq(nb_buf_adds(&b, ""), NB_ERR_LIMIT);
    ck_assert_uint_eq(b.len, 8);
    nb_buf_reset(&b);
    ck_assert_int_eq(nb_buf_adds(&b, "ok"), NB_OK);
    nb_buf_fini(&b);
}
END_TEST

START_TEST(test_buf_grows_past_initial_size)
{
    nb_buf b;
    int i;

    nb_buf_init(&b, 1u << 20);
    for (i = 0; i < 10000; i++)
        nb_buf_adds(&b, "0123456789");
    ck_assert_int_eq(b.st, NB_OK);
    ck_assert_uint_eq(b.len, 100000);
    ck_assert_int_eq(b.data[99999], '9');
    nb_buf_fini(&b);
}
END_TEST

START_TEST(test_buf_steal_hands_over_and_resets)
{
    nb_buf b;
    size_t len;
    char *p;

    nb_buf_init(&b, 100);
    nb_buf_adds(&b, "abc");
    p = nb_buf_steal(&b, &len);
    ck_assert_str_eq(p, "abc");
    ck_assert_uint_eq(len, 3);
    ck_assert_ptr_null(b.data);
    ck_assert_uint_eq(b.len, 0);
    nb_free(p);
    p = nb_buf_steal(&b, &len); /* empty buffer: an empty string */
    ck_assert_str_eq(p, "");
    nb_free(p);
}
END_TEST

Suite *nb_test_suite(void)
{
    Suite *s = suite_create("buf");
    TCase *tc = tcase_create("buf");

    tcase_add_test(tc, test_buf_appends_and_terminates);
    tcase_add_test(tc, test_buf_cap_fails_and_sticks);
    tcase_add_test(tc, test_buf_grows_past_initial_size);
    tcase_add_test(tc, test_buf_steal_hands_over_and_resets);
    suite_add_tcase(s, tc);
    return s;
}
