/* check_zip_io.c: limits and names when reading zips, reproducibility when
 * writing them (src/lib/zip_io.c). */
#include "testlib.h"
#include "zip_io.h"

#include <stdlib.h>
#include <string.h>

static nb_diag_list *dl;

static void setup(void)
{
    dl = nb_diag_list_new();
}

static void teardown(void)
{
    nb_diag_list_free(dl);
}

/* A zip in memory with entries named names[0..n) holding 'body'. */
static void *make_zip(const char *const *names, size_t n, const char *body,
                      size_t *len)
{
    nb_zip_writer *w = NULL;
    void *out = NULL;
    size_t i;

    ck_assert_int_eq(nb_zip_writer_new(&w, dl), NB_OK);
    for (i = 0; i < n; i++)
        ck_assert_int_eq(
            nb_zip_writer_add(w, names[i], body, strlen(body), false), NB_OK);
    ck_assert_int_eq(nb_zip_writer_finish(w, &out, len), NB_OK);
    return out;
}

START_TEST(test_zip_round_trip_keeps_order_and_bytes)
{
    static const char *const names[] = {"[Content_Types].xml", "b/x.xml",
                                        "a.xml"};
    size_t len;
    void *z = make_zip(names, 3, "<x>年报</x>", &len);
    nb_zip_entry *e = NULL;
    size_t n = 0;
    nb_limits lim = nb_limits_resolve(NULL);

    ck_assert_int_eq(nb_zip_read_all(&e, &n, z, len, "z", &lim, dl), NB_OK);
    ck_assert_uint_eq(n, 3);
    ck_assert_str_eq(e[0].name, "[Content_Types].xml");
    ck_assert_str_eq(e[2].name, "a.xml");
    ck_assert_str_eq((const char *)e[1].data, "<x>年报</x>");
    nb_zip_entries_free(e, n);
    nb_free(z);
}
END_TEST

START_TEST(test_zip_writer_is_reproducible)
{
    static const char *const names[] = {"a.xml", "b.xml"};
    size_t l1;
    size_t l2;
    void *z1 = make_zip(names, 2, "same", &l1);
    void *z2 = make_zip(names, 2, "same", &l2);

    ck_assert_uint_eq(l1, l2);
    ck_assert_int_eq(memcmp(z1, z2, l1), 0);
    nb_free(z1);
    nb_free(z2);
}
END_TEST

static const char *const bad_names[] = {"../evil.xml", "/abs.xml",
                                        "word/../../x", "a\\b.xml"};

START_TEST(test_zip_refuses_unsafe_names)
{
    const char *names[1] = {bad_names[_i]};
    size_t len;
    void *z = make_zip(names, 1, "x", &len);
    nb_zip_entry *e = NULL;
    size_t n = 0;
    nb_limits lim = nb_limits_resolve(NULL);

    ck_assert_int_eq(nb_zip_read_all(&e, &n, z, len, "z", &lim, dl),
                     NB_ERR_FORMAT);
    ck_assert_ptr_null(e);
    NB_ASSERT_ONE_DIAG(dl, NB_ZIP_BAD_NAME, 0);
    nb_free(z);
}
END_TEST

START_TEST(test_zip_refuses_case_duplicates)
{
    static const char *const names[] = {"word/A.xml", "word/a.xml"};
    size_t len;
    void *z = make_zip(names, 2, "x", &len);
    nb_zip_entry *e = NULL;
    size_t n = 0;
    nb_limits lim = nb_limits_resolve(NULL);

    ck_assert_int_eq(nb_zip_read_all(&e, &n, z, len, "z", &lim, dl),
                     NB_ERR_FORMAT);
    NB_ASSERT_ONE_DIAG(dl, NB_ZIP_BAD_NAME, 0);
    nb_free(z);
}
END_TEST

START_TEST(test_zip_limits_checked_before_reading)
{
    static const char *const names[] = {"a", "b", "c"};
    size_t len;
    void *z = make_zip(names, 3, "0123456789", &len);
    nb_zip_entry *e = NULL;
    size_t n = 0;
    nb_limits lim = {0};

    lim.max_zip_entries = 2;
    lim = nb_limits_resolve(&lim);
    ck_assert_int_eq(nb_zip_read_all(&e, &n, z, len, "z", &lim, dl),
                     NB_ERR_LIMIT);
    lim.max_zip_entries = 3;
    lim.max_part_bytes = 9;
    ck_assert_int_eq(nb_zip_read_all(&e, &n, z, len, "z", &lim, dl),
                     NB_ERR_LIMIT);
    lim.max_part_bytes = 10;
    lim.max_total_bytes = 25;
    ck_assert_int_eq(nb_zip_read_all(&e, &n, z, len, "z", &lim, dl),
                     NB_ERR_LIMIT);
    ck_assert_uint_eq(nb_diag_list_count(dl), 3);
    ck_assert_int_eq(nb_diag_list_at(dl, 0)->code, NB_LIMIT_ZIP);
    nb_free(z);
}
END_TEST

START_TEST(test_zip_not_a_zip)
{
    nb_zip_entry *e = NULL;
    size_t n = 0;
    nb_limits lim = nb_limits_resolve(NULL);

    ck_assert_int_eq(nb_zip_read_all(&e, &n, "PK\3\4garbage", 11, "z", &lim,
                                     dl),
                     NB_ERR_FORMAT);
    NB_ASSERT_ONE_DIAG(dl, NB_ZIP_CORRUPT, 0);
}
END_TEST

START_TEST(test_zip_truncated_archive)
{
    static const char *const names[] = {"a.xml"};
    size_t len;
    void *z = make_zip(names, 1, "some text that deflates", &len);
    nb_zip_entry *e = NULL;
    size_t n = 0;
    nb_limits lim = nb_limits_resolve(NULL);

    ck_assert_int_eq(nb_zip_read_all(&e, &n, z, len - 10, "z", &lim, dl),
                     NB_ERR_FORMAT);
    NB_ASSERT_HAS_DIAG(dl, NB_ZIP_CORRUPT);
    nb_free(z);
}
END_TEST

/* Clear the UTF-8 flag (general purpose bit 11) of every local and
 * central header of the writer's zip: names as Windows writes them in its
 * code page. */
static void clear_utf8_flags(unsigned char *z, size_t len)
{
    size_t i;

    for (i = 0; i + 10 < len; i++) {
        if (memcmp(z + i, "PK\3\4", 4) == 0)
            z[i + 7] &= (unsigned char)~0x08;
        else if (memcmp(z + i, "PK\1\2", 4) == 0)
            z[i + 9] &= (unsigned char)~0x08;
    }
}

START_TEST(test_zip_gbk_names_decoded_for_submissions)
{
    /* 基本信息.csv in GBK, as Chinese Windows zips it; 刓 ends in 0x5C, a
     * backslash before decoding; 0xFF is no GB18030 lead byte: read as
     * CP437 (U+00A0), as APPNOTE.TXT says */
    static const char *const names[] = {"\xBB\xF9\xB1\xBE\xD0\xC5\xCF\xA2.csv",
                                        "\x84\x5C.csv", "正文.csv", "\xFF.csv"};
    size_t len;
    void *z = make_zip(names, 4, "x", &len);
    nb_zip_entry *e = NULL;
    size_t n = 0;
    nb_limits lim = nb_limits_resolve(NULL);

    clear_utf8_flags(z, len);
    ck_assert_int_eq(nb_zip_read_entries(&e, &n, z, len, "z", &lim,
                                         NB_ZIP_NAMES_GB18030, dl),
                     NB_OK);
    ck_assert_uint_eq(n, 4);
    ck_assert_str_eq(e[0].name, "基本信息.csv");
    ck_assert_str_eq(e[1].name, "刓.csv");
    ck_assert_str_eq(e[2].name, "正文.csv");
    ck_assert_str_eq(e[3].name, "\u00A0.csv");
    ck_assert_uint_eq(nb_diag_list_count(dl), 0);
    nb_zip_entries_free(e, n);
    nb_free(z);
}
END_TEST

/* Offsets in the writer's zip of one entry named "a.xml": the local
 * header's CRC-32 and sizes, the data, the central header's. */
#define LOCAL_CRC 14
#define LOCAL_USIZE 22
#define DATA (30 + 5)
#define CENTRAL_CRC 16
#define CENTRAL_USIZE 24

static void put32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v & 0xFF);
    p[1] = (unsigned char)((v >> 8) & 0xFF);
    p[2] = (unsigned char)((v >> 16) & 0xFF);
    p[3] = (unsigned char)((v >> 24) & 0xFF);
}

static uint32_t get32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

/* The central header of the one-entry zip z[0..len). */
static unsigned char *central(unsigned char *z, size_t len)
{
    size_t i;

    for (i = DATA; i + 4 < len; i++)
        if (memcmp(z + i, "PK\1\2", 4) == 0)
            return z + i;
    ck_abort_msg("no central header");
    return NULL;
}

static const char body[] = "<w:document>年度报告 年度报告 年度报告</w:document>";

/* What reading z, changed as 'how' says, gives: 0 the CRC-32, 1 the size
 * declared one more, 2 one less, 3 the deflate stream damaged. */
static nb_status read_changed(int how)
{
    static const char *const names[] = {"a.xml"};
    size_t len;
    unsigned char *z = make_zip(names, 1, body, &len);
    unsigned char *c = central(z, len);
    uint32_t v;
    nb_zip_entry *e = NULL;
    size_t n = 0;
    nb_limits lim = nb_limits_resolve(NULL);
    nb_status st;

    if (how == 0) {
        v = get32(z + LOCAL_CRC) ^ 1u;
        put32(z + LOCAL_CRC, v);
        put32(c + CENTRAL_CRC, v);
    } else if (how == 1 || how == 2) {
        v = get32(z + LOCAL_USIZE) + (how == 1 ? 1u : (uint32_t)-1);
        put32(z + LOCAL_USIZE, v);
        put32(c + CENTRAL_USIZE, v);
    } else {
        z[DATA] = 0xFF; /* block type 3: reserved, never valid */
    }
    st = nb_zip_read_template(&e, &n, z, len, "z", &lim, dl);
    ck_assert_ptr_null(e);
    nb_free(z);
    return st;
}

START_TEST(test_zip_deflated_entry_checked)
{
    ck_assert_int_eq(read_changed(_i), NB_ERR_FORMAT);
    NB_ASSERT_ONE_DIAG(dl, NB_ZIP_CORRUPT, 0);
    if (_i == 1 || _i == 2)
        ck_assert_ptr_nonnull(
            strstr(nb_diag_list_at(dl, 0)->msg, "header declares"));
}
END_TEST

START_TEST(test_zip_template_streams_copied_as_stored)
{
    static const char *const names[] = {"a.xml"};
    size_t len;
    size_t len2;
    unsigned char *z = make_zip(names, 1, body, &len);
    void *z2 = NULL;
    nb_zip_entry *e = NULL;
    size_t n = 0;
    nb_limits lim = nb_limits_resolve(NULL);
    nb_zip_writer *w = NULL;
    nb_zip_blob blob;

    ck_assert_int_eq(nb_zip_read_template(&e, &n, z, len, "z", &lim, dl),
                     NB_OK);
    ck_assert_uint_eq(n, 1);
    ck_assert_str_eq((const char *)e[0].data, body);
    ck_assert_ptr_nonnull(e[0].packed);
    ck_assert_uint_eq(e[0].crc, get32(z + LOCAL_CRC));
    ck_assert(nb_zip_blob_take(&blob, &e[0]));
    ck_assert_ptr_null(e[0].packed);
    ck_assert_uint_eq(blob.ulen, strlen(body));
    /* written back, the stored stream gives the same archive */
    ck_assert_int_eq(nb_zip_writer_new(&w, dl), NB_OK);
    ck_assert_int_eq(nb_zip_writer_add_blob(w, "a.xml", &blob), NB_OK);
    ck_assert_int_eq(nb_zip_writer_finish(w, &z2, &len2), NB_OK);
    ck_assert_uint_eq(len2, len);
    ck_assert_int_eq(memcmp(z, z2, len), 0);
    /* nb_zip_read_all keeps no stream */
    nb_zip_blob_fini(&blob);
    nb_zip_entries_free(e, n);
    ck_assert_int_eq(nb_zip_read_all(&e, &n, z, len, "z", &lim, dl), NB_OK);
    ck_assert_ptr_null(e[0].packed);
    ck_assert_uint_eq(nb_diag_list_count(dl), 0);
    nb_zip_entries_free(e, n);
    nb_free(z);
    nb_free(z2);
}
END_TEST

Suite *nb_test_suite(void)
{
    Suite *s = suite_create("zip_io");
    TCase *tc = tcase_create("zip");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_zip_round_trip_keeps_order_and_bytes);
    tcase_add_test(tc, test_zip_writer_is_reproducible);
    tcase_add_loop_test(tc, test_zip_refuses_unsafe_names, 0,
                        sizeof(bad_names) / sizeof(bad_names[0]));
    tcase_add_test(tc, test_zip_refuses_case_duplicates);
    tcase_add_test(tc, test_zip_limits_checked_before_reading);
    tcase_add_test(tc, test_zip_not_a_zip);
    tcase_add_test(tc, test_zip_truncated_archive);
    tcase_add_test(tc, test_zip_gbk_names_decoded_for_submissions);
    tcase_add_loop_test(tc, test_zip_deflated_entry_checked, 0, 4);
    tcase_add_test(tc, test_zip_template_streams_copied_as_stored);
    suite_add_tcase(s, tc);
    return s;
}
