/* check_zip_read.c: the zip reader (src/lib/zip_read.c) on hostile
 * archives built here byte by byte: each is refused with a finding that
 * names the entry (or the archive) and why. */
#include "testlib.h"
#include "zip_io.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libdeflate.h>

static nb_diag_list *dl;

static void setup(void)
{
    dl = nb_diag_list_new();
}

static void teardown(void)
{
    nb_diag_list_free(dl);
}

/* An archive of stored entries, written as APPNOTE.TXT says. */
typedef struct zb {
    unsigned char b[16384];
    size_t len;
    unsigned char cd[4096];
    size_t cd_len;
    unsigned n;
} zb;

static void p16(unsigned char *p, unsigned v)
{
    p[0] = (unsigned char)(v & 0xFF);
    p[1] = (unsigned char)((v >> 8) & 0xFF);
}

static void p32(unsigned char *p, uint32_t v)
{
    p16(p, v & 0xFFFF);
    p16(p + 2, v >> 16);
}

static void p64(unsigned char *p, uint64_t v)
{
    p32(p, (uint32_t)v);
    p32(p + 4, (uint32_t)(v >> 32));
}

/* A stored entry; with zip64 its sizes and offset are in zip64 extra
 * fields. Returns the offset of its central record in z->cd. */
static size_t zb_add_n(zb *z, const char *name, const char *data,
                       size_t dlen, bool zip64)
{
    size_t nl = strlen(name);
    uint32_t crc = (uint32_t)libdeflate_crc32(0, data, dlen);
    unsigned char *l = z->b + z->len;
    unsigned char *c = z->cd + z->cd_len;
    size_t at = z->cd_len;
    unsigned lx = zip64 ? 20 : 0; /* local extra: usize, csize */
    unsigned cx = zip64 ? 28 : 0; /* central extra: usize, csize, offset */

    memset(l, 0, 30);
    p32(l, 0x04034b50u);
    p16(l + 4, zip64 ? 45 : 10);
    p32(l + 14, crc);
    p32(l + 18, zip64 ? 0xFFFFFFFFu : (uint32_t)dlen);
    p32(l + 22, zip64 ? 0xFFFFFFFFu : (uint32_t)dlen);
    p16(l + 26, (unsigned)nl);
    p16(l + 28, lx);
    memcpy(l + 30, name, nl);
    if (zip64) {
        p16(l + 30 + nl, 1);
        p16(l + 32 + nl, 16);
        p64(l + 34 + nl, dlen);
        p64(l + 42 + nl, dlen);
    }
    memcpy(l + 30 + nl + lx, data, dlen);
    memset(c, 0, 46);
    p32(c, 0x02014b50u);
    p16(c + 4, 20);
    p16(c + 6, zip64 ? 45 : 10);
    p32(c + 16, crc);
    p32(c + 20, zip64 ? 0xFFFFFFFFu : (uint32_t)dlen);
    p32(c + 24, zip64 ? 0xFFFFFFFFu : (uint32_t)dlen);
    p16(c + 28, (unsigned)nl);
    p16(c + 30, cx);
    p32(c + 42, zip64 ? 0xFFFFFFFFu : (uint32_t)z->len);
    memcpy(c + 46, name, nl);
    if (zip64) {
        p16(c + 46 + nl, 1);
        p16(c + 48 + nl, 24);
        p64(c + 50 + nl, dlen);
        p64(c + 58 + nl, dlen);
        p64(c + 66 + nl, z->len);
    }
    z->len += 30 + nl + lx + dlen;
    z->cd_len += 46 + nl + cx;
    z->n++;
    return at;
}

static size_t zb_add(zb *z, const char *name, const char *data, bool zip64)
{
    return zb_add_n(z, name, data, strlen(data), zip64);
}

/* The central directory and the end record ('count' entries; with zip64
 * a zip64 end record and locator too). Returns the end record's offset. */
static size_t zb_end(zb *z, unsigned count, bool zip64)
{
    size_t cd_off = z->len;
    unsigned char *e;

    memcpy(z->b + z->len, z->cd, z->cd_len);
    z->len += z->cd_len;
    if (zip64) {
        e = z->b + z->len;
        memset(e, 0, 76);
        p32(e, 0x06064b50u);
        p64(e + 4, 44);
        p16(e + 12, 45);
        p16(e + 14, 45);
        p64(e + 24, count);
        p64(e + 32, count);
        p64(e + 40, z->cd_len);
        p64(e + 48, cd_off);
        p32(e + 56, 0x07064b50u);
        p64(e + 64, z->len);
        p32(e + 72, 1);
        z->len += 76;
    }
    e = z->b + z->len;
    memset(e, 0, 22);
    p32(e, 0x06054b50u);
    p16(e + 8, zip64 ? 0xFFFF : count);
    p16(e + 10, zip64 ? 0xFFFF : count);
    p32(e + 12, zip64 ? 0xFFFFFFFFu : (uint32_t)z->cd_len);
    p32(e + 16, zip64 ? 0xFFFFFFFFu : (uint32_t)cd_off);
    z->len += 22;
    return z->len - 22;
}

/* Open z; on success close it again. */
static nb_status open_zb(const zb *z, size_t len)
{
    nb_zip_source src = {z->b, len, -1, 0, "h.zip", NB_ZIP_NAMES_GUESS, 0,
                         NULL};
    nb_limits lim = nb_limits_resolve(NULL);
    nb_zip_archive *a = NULL;
    nb_status st = nb_zip_open(&a, &src, &lim, dl);

    nb_zip_close(a);
    return st;
}

/* The one finding is 'code', located at 'entry' (NULL: the archive),
 * and says 'words'. */
static void assert_finding(nb_code code, const char *entry, const char *words)
{
    const nb_diag *d;

    ck_assert_uint_eq(nb_diag_list_count(dl), 1);
    d = nb_diag_list_at(dl, 0);
    ck_assert_int_eq(d->code, code);
    if (entry == NULL)
        ck_assert_ptr_null(d->loc.where);
    else
        ck_assert_str_eq(d->loc.where, entry);
    ck_assert_msg(strstr(d->msg, words) != NULL, "'%s' lacks '%s'", d->msg,
                  words);
}

START_TEST(test_read_plain_and_zip64)
{
    zb z = {0};
    nb_zip_source src = {z.b, 0, -1, 0, "h.zip", NB_ZIP_NAMES_GUESS, 0, NULL};
    nb_limits lim = nb_limits_resolve(NULL);
    nb_zip_archive *a = NULL;
    unsigned char *data = NULL;
    size_t len = 0;
    bool zip64 = _i == 1;

    zb_add(&z, "word/document.xml", "<w:document/>", zip64);
    zb_add(&z, "docProps/app.xml", "<Properties/>", zip64);
    src.len = zb_end(&z, 2, zip64) + 22;
    ck_assert_int_eq(nb_zip_open(&a, &src, &lim, dl), NB_OK);
    ck_assert_uint_eq(nb_zip_count(a), 2);
    ck_assert_int_eq(nb_zip_find(a, "DOCPROPS/App.xml"), 1);
    ck_assert_int_eq(nb_zip_extract(a, 1, &data, &len, NULL), NB_OK);
    ck_assert_str_eq((const char *)data, "<Properties/>");
    ck_assert_uint_eq(nb_diag_list_count(dl), 0);
    free(data);
    nb_zip_close(a);
}
END_TEST

START_TEST(test_read_comment_skipped)
{
    zb z = {0};
    size_t end;

    zb_add(&z, "a.xml", "<a/>", false);
    end = zb_end(&z, 1, false);
    p16(z.b + end + 20, 7);
    memcpy(z.b + end + 22, "PK\5\6 x", 7);
    ck_assert_int_eq(open_zb(&z, z.len + 7), NB_OK);
}
END_TEST

START_TEST(test_read_truncated_end)
{
    zb z = {0};

    zb_add(&z, "a.xml", "<a/>", false);
    zb_end(&z, 1, false);
    ck_assert_int_eq(open_zb(&z, z.len - 5), NB_ERR_FORMAT);
    assert_finding(NB_ZIP_CORRUPT, NULL, "no end of central directory");
}
END_TEST

START_TEST(test_read_directory_outside)
{
    zb z = {0};
    size_t end;

    zb_add(&z, "a.xml", "<a/>", false);
    end = zb_end(&z, 1, false);
    p32(z.b + end + 16, 0x7FFFFFF0u);
    ck_assert_int_eq(open_zb(&z, z.len), NB_ERR_FORMAT);
    assert_finding(NB_ZIP_CORRUPT, NULL, "central directory lies outside");
}
END_TEST

/* b.xml's local header and data lie inside a.xml's stored data: both
 * are sound on their own, and together a bomb by overlap. */
START_TEST(test_read_overlapping_entries)
{
    zb inner = {0};
    zb z = {0};
    char blob[256];
    size_t at;

    zb_add(&inner, "b.xml", "<b/>", false);
    ck_assert_uint_lt(inner.len, sizeof(blob));
    memcpy(blob, inner.b, inner.len);
    zb_add_n(&z, "a.xml", blob, inner.len, false);
    at = zb_add(&z, "b.xml", "<b/>", false);
    /* b's central record points at the copy inside a.xml's data */
    p32(z.cd + at + 42, 30 + 5);
    zb_end(&z, 2, false);
    ck_assert_int_eq(open_zb(&z, z.len), NB_ERR_FORMAT);
    assert_finding(NB_ZIP_CORRUPT, "b.xml", "overlap");
}
END_TEST

START_TEST(test_read_huge_declared_size)
{
    zb z = {0};
    size_t at = zb_add(&z, "word/document.xml", "<w:document/>", false);
    nb_zip_entry *e = NULL;
    size_t n = 0;
    nb_limits lim = nb_limits_resolve(NULL);

    /* deflated, 3 GB unpacked, in both headers: a consistent lie */
    p16(z.cd + at + 10, 8);
    p32(z.cd + at + 24, 0xC0000000u);
    p16(z.b + 8, 8);
    p32(z.b + 22, 0xC0000000u);
    zb_end(&z, 1, false);
    ck_assert_int_eq(nb_zip_read_all(&e, &n, z.b, z.len, "h.zip", &lim, dl),
                     NB_ERR_LIMIT);
    ck_assert_ptr_null(e);
    assert_finding(NB_LIMIT_ZIP, "word/document.xml",
                   "unpacks to 3221225472 bytes");
}
END_TEST

START_TEST(test_read_stored_size_lie)
{
    zb z = {0};
    size_t at = zb_add(&z, "a.xml", "<a/>", false);

    p32(z.cd + at + 24, 1000);
    p32(z.b + 22, 1000);
    zb_end(&z, 1, false);
    ck_assert_int_eq(open_zb(&z, z.len), NB_ERR_FORMAT);
    assert_finding(NB_ZIP_CORRUPT, "a.xml", "sizes differ");
}
END_TEST

START_TEST(test_read_dotdot_and_nul_names)
{
    zb z = {0};
    nb_zip_entry *e = NULL;
    size_t n = 0;
    nb_limits lim = nb_limits_resolve(NULL);

    zb_add(&z, "a/../../b.xml", "<a/>", false);
    zb_end(&z, 1, false);
    ck_assert_int_eq(nb_zip_read_all(&e, &n, z.b, z.len, "h.zip", &lim, dl),
                     NB_ERR_FORMAT);
    assert_finding(NB_ZIP_BAD_NAME, "a/../../b.xml", "\"..\"");
    nb_diag_list_free(dl);
    dl = nb_diag_list_new();
    memset(&z, 0, sizeof(z));
    zb_add(&z, "a.xmlXb", "<a/>", false);
    z.b[30 + 5] = '\0';
    z.cd[46 + 5] = '\0';
    zb_end(&z, 1, false);
    ck_assert_int_eq(open_zb(&z, z.len), NB_ERR_FORMAT);
    assert_finding(NB_ZIP_CORRUPT, NULL, "entry #1: its name is empty or "
                                         "holds a NUL byte");
}
END_TEST

START_TEST(test_read_count_mismatch)
{
    zb z = {0};

    zb_add(&z, "a.xml", "<a/>", false);
    zb_add(&z, "b.xml", "<b/>", false);
    /* two entries, the end record says one; then three */
    zb_end(&z, _i == 0 ? 1 : 3, false);
    ck_assert_int_eq(open_zb(&z, z.len), NB_ERR_FORMAT);
    if (_i == 0)
        assert_finding(NB_ZIP_CORRUPT, NULL, "more entries than its end "
                                             "record counts");
    else
        assert_finding(NB_ZIP_CORRUPT, NULL, "can hold");
}
END_TEST

START_TEST(test_read_bad_crc)
{
    zb z = {0};
    size_t at = zb_add(&z, "a.xml", "<a/>", false);
    nb_zip_entry *e = NULL;
    size_t n = 0;
    nb_limits lim = nb_limits_resolve(NULL);

    z.b[30 + 5] = '['; /* the data changed, not the CRC-32 */
    (void)at;
    zb_end(&z, 1, false);
    ck_assert_int_eq(nb_zip_read_all(&e, &n, z.b, z.len, "h.zip", &lim, dl),
                     NB_ERR_FORMAT);
    assert_finding(NB_ZIP_CORRUPT, "a.xml", "CRC-32");
}
END_TEST

START_TEST(test_read_encrypted_or_bzip2)
{
    zb z = {0};
    size_t at = zb_add(&z, "word/document.xml", "<a/>", false);

    if (_i == 0) {
        p16(z.cd + at + 8, 1);
        p16(z.b + 6, 1);
    } else {
        p16(z.cd + at + 10, 12);
        p16(z.b + 8, 12);
    }
    zb_end(&z, 1, false);
    ck_assert_int_eq(open_zb(&z, z.len), NB_ERR_FORMAT);
    assert_finding(NB_ZIP_CORRUPT, "word/document.xml",
                   _i == 0 ? "encrypted" : "method 12 (bzip2)");
}
END_TEST

/* zip64 values that lie: 0 a size that says "in the extra field" with no
 * extra field; 1 an offset past the archive there; 2 an end record that
 * says "zip64" with no locator; 3 a zip64 end record that puts the
 * directory elsewhere. */
START_TEST(test_read_zip64_lies)
{
    zb z = {0};
    size_t at;
    size_t end;

    at = zb_add(&z, "a.xml", "<a/>", _i != 0);
    if (_i == 0)
        p32(z.cd + at + 24, 0xFFFFFFFFu);
    if (_i == 1)
        p64(z.cd + at + 66 + 5, 1u << 30);
    end = zb_end(&z, 1, _i != 0 && _i != 2);
    if (_i == 2) {
        p16(z.b + end + 8, 0xFFFF);
        p16(z.b + end + 10, 0xFFFF);
    }
    if (_i == 3)
        p64(z.b + end - 76 + 48, 4);
    ck_assert_int_eq(open_zb(&z, z.len), NB_ERR_FORMAT);
    switch (_i) {
    case 0:
        assert_finding(NB_ZIP_CORRUPT, "a.xml", "zip64 extra field");
        break;
    case 1:
        assert_finding(NB_ZIP_CORRUPT, "a.xml", "local header is missing");
        break;
    case 2:
        assert_finding(NB_ZIP_CORRUPT, NULL, "zip64 end locator");
        break;
    default:
        assert_finding(NB_ZIP_CORRUPT, NULL, "central directory lies");
    }
}
END_TEST

START_TEST(test_read_local_header_elsewhere)
{
    zb z = {0};
    size_t at;

    zb_add(&z, "a.xml", "<a/>", false);
    at = zb_add(&z, "b.xml", "<b/>", false);
    p32(z.cd + at + 42, 0); /* b's record points at a's header */
    zb_end(&z, 2, false);
    ck_assert_int_eq(open_zb(&z, z.len), NB_ERR_FORMAT);
    assert_finding(NB_ZIP_CORRUPT, "b.xml", "names another entry");
}
END_TEST

/* A deflated entry streamed from a file, in chunks: its bytes, then a
 * copy whose declared size is one less is refused at the end. */
START_TEST(test_read_stream_from_file)
{
    static const char *const names[] = {"xl/worksheets/sheet1.xml"};
    char path[] = "/tmp/nb-zip-read-XXXXXX";
    int fd = mkstemp(path);
    nb_zip_writer *w = NULL;
    void *z = NULL;
    size_t len = 0;
    char *body = malloc(200001);
    nb_zip_source src = {NULL, 0, fd, 0, "s.xlsx", NB_ZIP_NAMES_GUESS, 0,
                         NULL};
    nb_limits lim = nb_limits_resolve(NULL);
    nb_zip_archive *a = NULL;
    nb_zip_stream *s = NULL;
    char buf[70000];
    size_t got = 0;
    size_t total = 0;
    size_t i;
    nb_status st;

    ck_assert_int_ge(fd, 0);
    for (i = 0; i < 200000; i++)
        body[i] = (char)('a' + (i * 7 + i / 13) % 26);
    body[200000] = '\0';
    ck_assert_int_eq(nb_zip_writer_new(&w, dl), NB_OK);
    ck_assert_int_eq(nb_zip_writer_add(w, names[0], body, 200000, false),
                     NB_OK);
    ck_assert_int_eq(nb_zip_writer_finish(w, &z, &len), NB_OK);
    if (_i == 1) { /* the declared size one less, in both headers */
        unsigned char *u = z;
        const unsigned char *end = u + len - 22;
        size_t cd = (size_t)end[16] | (size_t)end[17] << 8 |
                    (size_t)end[18] << 16 | (size_t)end[19] << 24;

        p32(u + 22, 199999);
        p32(u + cd + 24, 199999);
    }
    ck_assert_int_eq(write(fd, z, len), (ssize_t)len);
    src.file_size = len;
    ck_assert_int_eq(nb_zip_open(&a, &src, &lim, dl), NB_OK);
    ck_assert_int_eq(nb_zip_stream_open(&s, a, 0), NB_OK);
    do {
        st = nb_zip_stream_read(s, buf, sizeof(buf), &got);
        if (st == NB_OK && _i == 0) {
            ck_assert_int_eq(memcmp(buf, body + total, got), 0);
            ck_assert_uint_le(got, 65536);
        }
        total += got;
    } while (st == NB_OK && got > 0);
    if (_i == 0) {
        ck_assert_int_eq(st, NB_OK);
        ck_assert_uint_eq(total, 200000);
    } else {
        ck_assert_int_eq(st, NB_ERR_FORMAT);
        ck_assert_uint_le(total, 200000);
        assert_finding(NB_ZIP_CORRUPT, names[0], "header declares");
    }
    nb_zip_stream_close(s);
    nb_zip_close(a);
    close(fd);
    unlink(path);
    nb_free(z);
    free(body);
}
END_TEST

Suite *nb_test_suite(void)
{
    Suite *s = suite_create("zip_read");
    TCase *tc = tcase_create("hostile");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_loop_test(tc, test_read_plain_and_zip64, 0, 2);
    tcase_add_test(tc, test_read_comment_skipped);
    tcase_add_test(tc, test_read_truncated_end);
    tcase_add_test(tc, test_read_directory_outside);
    tcase_add_test(tc, test_read_overlapping_entries);
    tcase_add_test(tc, test_read_huge_declared_size);
    tcase_add_test(tc, test_read_stored_size_lie);
    tcase_add_test(tc, test_read_dotdot_and_nul_names);
    tcase_add_loop_test(tc, test_read_count_mismatch, 0, 2);
    tcase_add_test(tc, test_read_bad_crc);
    tcase_add_loop_test(tc, test_read_encrypted_or_bzip2, 0, 2);
    tcase_add_loop_test(tc, test_read_zip64_lies, 0, 4);
    tcase_add_test(tc, test_read_local_header_elsewhere);
    tcase_add_loop_test(tc, test_read_stream_from_file, 0, 2);
    suite_add_tcase(s, tc);
    return s;
}
