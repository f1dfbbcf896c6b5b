/* check_alloc.c: overflow checks and the arena (src/lib/alloc.c). */
#include "internal.h"
#include "testlib.h"

#include <stdint.h>
#include <string.h>

START_TEST(test_size_mul_detects_overflow)
{
    size_t out;

    ck_assert(nb_size_mul(&out, 1000, 1000));
    ck_assert_uint_eq(out, 1000000);
    ck_assert(!nb_size_mul(&out, SIZE_MAX / 2 + 1, 2));
    ck_assert(nb_size_mul(&out, 0, SIZE_MAX));
    ck_assert_uint_eq(out, 0);
}
END_TEST

START_TEST(test_arena_allocations_are_aligned_and_zeroed)
{
    nb_arena *a = nb_arena_new();
    int i;

    for (i = 1; i < 200; i++) {
        unsigned char *p = nb_arena_alloc(a, (size_t)i * 7);
        int k;

        ck_assert_ptr_nonnull(p);
        ck_assert_uint_eq((uintptr_t)p % 16, 0);
        for (k = 0; k < i * 7; k++)
            ck_assert_uint_eq(p[k], 0);
        memset(p, 0xAB, (size_t)i * 7);
    }
    nb_arena_free(a);
}
END_TEST

START_TEST(test_arena_big_block_keeps_small_space)
{
    nb_arena *a = nb_arena_new();
    char *small1 = nb_arena_alloc(a, 10);
    char *big = nb_arena_alloc(a, 1u << 20);
    char *small2 = nb_arena_alloc(a, 10);

    ck_assert_ptr_nonnull(big);
    /* the small allocations share the first chunk */
    ck_assert_int_lt(small2 - small1, 64);
    nb_arena_free(a);
}
END_TEST

START_TEST(test_arena_strings)
{
    nb_arena *a = nb_arena_new();

    ck_assert_str_eq(nb_arena_strndup(a, "常山县司法局", 6), "常山");
    ck_assert_str_eq(nb_arena_strdup(a, "x"), "x");
    ck_assert_str_eq(nb_arena_printf(a, "%d年", 2022), "2022年");
    ck_assert_ptr_null(nb_arena_array(a, SIZE_MAX / 2, 4));
    nb_arena_free(a);
    nb_arena_free(NULL);
}
END_TEST

START_TEST(test_limits_resolve_fills_defaults)
{
    nb_limits in = {0};
    nb_limits l;

    in.max_zip_entries = 5;
    l = nb_limits_resolve(&in);
    ck_assert_uint_eq(l.max_zip_entries, 5);
    ck_assert_uint_eq(l.max_part_bytes, NB_DEFAULT_MAX_PART);
    l = nb_limits_resolve(NULL);
    ck_assert_uint_eq(l.max_zip_entries, NB_DEFAULT_MAX_ENTRIES);
}
END_TEST

Suite *nb_test_suite(void)
{
    Suite *s = suite_create("alloc");
    TCase *tc = tcase_create("alloc");

    tcase_add_test(tc, test_size_mul_detects_overflow);
    tcase_add_test(tc, test_arena_allocations_are_aligned_and_zeroed);
    tcase_add_test(tc, test_arena_big_block_keeps_small_space);
    tcase_add_test(tc, test_arena_strings);
    tcase_add_test(tc, test_limits_resolve_fills_defaults);
    suite_add_tcase(s, tc);
    return s;
}
