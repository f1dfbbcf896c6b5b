/* check_read_csv.c: the streaming CSV reader and writer (src/lib/read_csv.c):
 * row numbers as Excel shows them, line ends, quoting, trimming, encoding
 * detection, located decoding errors and limits. */
#include "csv_io.h"
#include "testlib.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char path[64];
static nb_diag_list *dl;
static nb_buf seen; /* "ROW:cell|cell\n" for every row the reader gives */

static void setup(void)
{
    int fd;

    snprintf(path, sizeof(path), "/tmp/check_read_csv.XXXXXX");
    fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    close(fd);
    dl = nb_diag_list_new();
    nb_buf_init(&seen, 1u << 24);
}

static void teardown(void)
{
    unlink(path);
    nb_diag_list_free(dl);
    nb_buf_fini(&seen);
}

static void write_file(const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");

    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(data, 1, len, f), len);
    fclose(f);
}

static bool collect(const nb_csv_row *row, void *payload)
{
    size_t i;

    (void)payload;
    nb_buf_printf(&seen, "%u:", (unsigned)row->row);
    for (i = 0; i < row->n; i++) {
        if (i > 0)
            nb_buf_addc(&seen, '|');
        nb_buf_adds(&seen, row->bad[i] ? "<bad>" : row->cells[i]);
    }
    nb_buf_addc(&seen, '\n');
    return true;
}

static nb_status read_with(nb_encoding enc, nb_encoding *used)
{
    nb_csv_opts o = {.encoding = enc};

    return nb_csv_read(path, &o, collect, NULL, used, dl);
}

#define READ_AS(data_, want_)                                                  \
    do {                                                                       \
        write_file((data_), sizeof(data_) - 1);                                \
        ck_assert_int_eq(read_with(NB_ENC_AUTO, NULL), NB_OK);                 \
        ck_assert_str_eq(seen.data != NULL ? seen.data : "", (want_));         \
    } while (0)

/* ==== Rows and line ends ==== */

static const struct {
    const char *name;
    const char *data;
    const char *want;
} shapes[] = {
    {"LF", "a,b\n1,2\n", "1:a|b\n2:1|2\n"},
    {"CRLF", "a,b\r\n1,2\r\n", "1:a|b\n2:1|2\n"},
    {"CR only (old Mac Excel)", "a,b\r1,2\r", "1:a|b\n2:1|2\n"},
    {"no final line end", "a,b\n1,2", "1:a|b\n2:1|2\n"},
    {"blank lines keep Excel's numbering", "a\n\n\nb\n", "1:a\n4:b\n"},
    {"blank CRLF lines", "a\r\n\r\n  \r\nb\r\n", "1:a\n4:b\n"},
    {"cleared rows are skipped but counted", "a,b\n,,\nc,d\n",
     "1:a|b\n3:c|d\n"},
    {"a multi-line cell is one row", "a,b\n\"x\r\ny\",2\nc,d\n",
     "1:a|b\n2:x\ny|2\n3:c|d\n"},
    {"quotes doubled", "\"say \"\"hi\"\"\",z\n", "1:say \"hi\"|z\n"},
    {"commas inside quotes", "\"1,234\",x\n", "1:1,234|x\n"},
    {"cells are trimmed", "  a  ,\t b \n\" c \",d\n", "1:a|b\n2:c|d\n"},
    {"trailing empty cells kept", "a,b,,\n", "1:a|b||\n"},
    {"quote-free and quoted rows agree", "x,y\n\"x\",\"y\"\n",
     "1:x|y\n2:x|y\n"},
    {"BOM stripped", "\xEF\xBB\xBFh,i\n", "1:h|i\n"},
    {"CR only with a blank line", "a\r\rb\r", "1:a\n3:b\n"},
    {"quoted rows around a blank line", "\"a\"\r\n\r\n\"b\"\r\n",
     "1:a\n3:b\n"},
    {"a blank line of a tab after a CR", "h,v\r\nx,1\r\t\nfy,2\n",
     "1:h|v\n2:x|1\n4:fy|2\n"},
    {"blank CR lines with blanks", "b\r \r\t\rc\n", "1:b\n4:c\n"},
};

START_TEST(test_csv_row_shapes)
{
    write_file(shapes[_i].data, strlen(shapes[_i].data));
    ck_assert_int_eq(read_with(NB_ENC_AUTO, NULL), NB_OK);
    ck_assert_msg(strcmp(seen.data != NULL ? seen.data : "", shapes[_i].want) ==
                      0,
                  "%s: got '%s'", shapes[_i].name, seen.data);
    ck_assert_uint_eq(nb_diag_list_count(dl), 0);
}
END_TEST

static bool stop_at_two(const nb_csv_row *row, void *payload)
{
    collect(row, payload);
    return row->row < 2;
}

START_TEST(test_csv_row_callback_can_stop)
{
    write_file("a\nb\nc\n", 6);
    ck_assert_int_eq(nb_csv_read(path, NULL, stop_at_two, NULL, NULL, dl),
                     NB_OK);
    ck_assert_str_eq(seen.data, "1:a\n2:b\n");
}
END_TEST

/* ==== Encodings ==== */

START_TEST(test_csv_gb18030_detected)
{
    nb_encoding used = NB_ENC_AUTO;

    /* "部分,内容\r\n举措,成效\r\n" in GB18030 */
    write_file("\xb2\xbf\xb7\xd6,\xc4\xda\xc8\xdd\r\n\xbe\xd9\xb4\xeb,"
               "\xb3\xc9\xd0\xa7\r\n",
               22);
    ck_assert_int_eq(read_with(NB_ENC_AUTO, &used), NB_OK);
    ck_assert_int_eq(used, NB_ENC_GB18030);
    ck_assert_str_eq(seen.data, "1:部分|内容\n2:举措|成效\n");
}
END_TEST

START_TEST(test_csv_gb18030_bad_bytes_located_in_their_cell)
{
    /* 部分,内容 / 举措,<0x80 0x20: no GB18030>,成效 */
    static const char data[] = "\xb2\xbf\xb7\xd6,\xc4\xda\xc8\xdd,c\n"
                               "\xbe\xd9\xb4\xeb,x\x80 y,\xb3\xc9\xd0\xa7\n";

    write_file(data, sizeof(data) - 1);
    ck_assert_int_eq(read_with(NB_ENC_GB18030, NULL), NB_OK);
    ck_assert_str_eq(seen.data, "1:部分|内容|c\n2:举措|<bad>|成效\n");
    NB_ASSERT_ONE_DIAG(dl, NB_CSV_ENCODING, 2);
    ck_assert_ptr_nonnull(strstr(nb_diag_list_at(dl, 0)->msg, "内容"));
}
END_TEST

START_TEST(test_csv_mixed_file_read_as_utf8_and_bad_cell_located)
{
    nb_encoding used = NB_ENC_AUTO;

    /* UTF-8 with one cell pasted in GB18030 ("成效") */
    READ_AS("部分,内容\n举措成效,很好\n举措,\xb3\xc9\xd0\xa7\n",
            "1:部分|内容\n2:举措成效|很好\n3:举措|<bad>\n");
    nb_diag_list_free(dl);
    dl = nb_diag_list_new();
    ck_assert_int_eq(read_with(NB_ENC_AUTO, &used), NB_OK);
    ck_assert_int_eq(used, NB_ENC_UTF8);
    NB_ASSERT_ONE_DIAG(dl, NB_CSV_ENCODING, 3);
    ck_assert_ptr_nonnull(strstr(nb_diag_list_at(dl, 0)->msg, "内容"));
}
END_TEST

static const char *const bad_utf8[] = {
    "\xC0\x80",         /* overlong NUL */
    "\xE0\x80\xAF",     /* overlong '/' */
    "\xED\xA0\x80",     /* a surrogate */
    "\xF4\x90\x80\x80", /* past U+10FFFF */
    "\xF5\x80\x80\x80", /* no such lead byte */
    "\x80",             /* a lone continuation byte */
    "\xE4\xB8",         /* cut short */
};

START_TEST(test_utf8_rejects_malformed)
{
    size_t bad = 99;

    ck_assert(!nb_utf8_valid(bad_utf8[_i], strlen(bad_utf8[_i]), &bad));
    ck_assert_uint_eq(bad, 0);
}
END_TEST

START_TEST(test_utf8_accepts_wellformed)
{
    const char *s = "ascii 年报 \xF0\x9F\x93\x84 \xEF\xBF\xBD";
    size_t bad = 99;

    ck_assert(nb_utf8_valid(s, strlen(s), &bad));
    ck_assert(!nb_utf8_valid("abcdefghij\xFF", 11, &bad));
    ck_assert_uint_eq(bad, 10);
}
END_TEST

START_TEST(test_csv_forced_encoding_reports_not_guesses)
{
    write_file("\xb2\xbf\xb7\xd6,x\n", 7);
    ck_assert_int_eq(read_with(NB_ENC_UTF8, NULL), NB_OK);
    NB_ASSERT_ONE_DIAG(dl, NB_CSV_ENCODING, 1);
    ck_assert_str_eq(seen.data, "1:<bad>|x\n");
}
END_TEST

START_TEST(test_csv_utf16_refused)
{
    write_file("\xFF\xFE" "a\0,\0b\0\n\0", 10);
    ck_assert_int_eq(read_with(NB_ENC_AUTO, NULL), NB_ERR_FORMAT);
    NB_ASSERT_ONE_DIAG(dl, NB_CSV_ENCODING, 0);
}
END_TEST

START_TEST(test_csv_control_character_located)
{
    READ_AS("a,b\nx,y\x01z\n", "1:a|b\n2:x|<bad>\n");
    NB_ASSERT_ONE_DIAG(dl, NB_CSV_CONTROL_CHAR, 2);
    ck_assert_ptr_nonnull(strstr(nb_diag_list_at(dl, 0)->msg, "U+0001"));
}
END_TEST

/* ==== Broken files and limits ==== */

START_TEST(test_csv_unterminated_quote_points_at_opening_row)
{
    READ_AS("a,b\n1,2\n3,\"never\nclosed\n", "1:a|b\n2:1|2\n");
    NB_ASSERT_ONE_DIAG(dl, NB_CSV_UNTERMINATED_QUOTE, 3);
}
END_TEST

START_TEST(test_csv_cell_limit)
{
    nb_csv_opts o = {.encoding = NB_ENC_AUTO, .max_cell_bytes = 100};
    char data[400];

    memset(data, 'x', sizeof(data));
    memcpy(data, "h\n\"", 3);
    data[sizeof(data) - 1] = '\n';
    write_file(data, sizeof(data));
    ck_assert_int_eq(nb_csv_read(path, &o, collect, NULL, NULL, dl),
                     NB_ERR_LIMIT);
    NB_ASSERT_ONE_DIAG(dl, NB_CSV_CELL_TOO_LARGE, 2);
}
END_TEST

START_TEST(test_csv_cells_per_row_limit)
{
    nb_csv_opts o = {.encoding = NB_ENC_AUTO, .max_cells = 5};

    write_file("a,b\n1,2,3,4,5,6,7\n", 18);
    ck_assert_int_eq(nb_csv_read(path, &o, collect, NULL, NULL, dl),
                     NB_ERR_LIMIT);
    NB_ASSERT_ONE_DIAG(dl, NB_CSV_TOO_MANY_CELLS, 2);
}
END_TEST

START_TEST(test_csv_missing_file)
{
    nb_csv_opts o = {.encoding = NB_ENC_AUTO};

    ck_assert_int_eq(nb_csv_read("/nonexistent/x.csv", &o, collect, NULL,
                                 NULL, dl),
                     NB_ERR_IO);
    NB_ASSERT_ONE_DIAG(dl, NB_IO_OPEN, 0);
}
END_TEST

START_TEST(test_csv_rows_across_blocks)
{
    /* more than one 1 MiB read: rows and row numbers stay right where a
     * block ends inside a row */
    size_t n = 200000;
    size_t i;
    nb_buf file;
    char want_last[64];

    nb_buf_init(&file, 1u << 26);
    nb_buf_adds(&file, "code,value\r\n");
    for (i = 0; i < n; i++)
        nb_buf_printf(&file, "c%zu,\"%zu\"\r\n", i, i);
    write_file(file.data, file.len);
    nb_buf_fini(&file);
    ck_assert_int_eq(read_with(NB_ENC_AUTO, NULL), NB_OK);
    snprintf(want_last, sizeof(want_last), "%zu:c%zu|%zu\n", n + 1, n - 1,
             n - 1);
    ck_assert_str_eq(seen.data + seen.len - strlen(want_last), want_last);
    ck_assert_uint_eq(nb_diag_list_count(dl), 0);
}
END_TEST

START_TEST(test_csv_memory_reads_as_the_file)
{
    /* a buffer (a zip entry) is read in the same blocks as a file: the
     * same rows, across a block end inside a quoted cell, and the same
     * GB18030 detection */
    nb_buf file;
    nb_buf from_file;
    nb_csv_opts o = {.encoding = NB_ENC_AUTO};
    size_t i;

    nb_buf_init(&file, 1u << 26);
    nb_buf_adds(&file, "\xD6\xB8\xB1\xEA,value\r\n"); /* 指标 */
    for (i = 0; i < 120000; i++)
        nb_buf_printf(&file, "c%zu,\"%zu\r\n\xC4\xEA\"\r\n", i, i); /* 年 */
    write_file(file.data, file.len);
    ck_assert_int_eq(read_with(NB_ENC_AUTO, NULL), NB_OK);
    from_file = seen;
    nb_buf_init(&seen, 1u << 24);
    o.data = file.data;
    o.data_len = file.len;
    ck_assert_int_eq(
        nb_csv_read("a.zip/metrics.csv", &o, collect, NULL, NULL, dl), NB_OK);
    ck_assert_uint_eq(seen.len, from_file.len);
    ck_assert_int_eq(memcmp(seen.data, from_file.data, seen.len), 0);
    ck_assert_uint_eq(nb_diag_list_count(dl), 0);
    nb_buf_fini(&from_file);
    nb_buf_fini(&file);
}
END_TEST

START_TEST(test_csv_memory_findings_name_the_entry)
{
    static const char data[] = "a,b\nx,\"y\n";
    nb_csv_opts o = {
        .encoding = NB_ENC_AUTO, .data = data, .data_len = sizeof(data) - 1};

    ck_assert_int_eq(nb_csv_read("a.zip/meta.csv", &o, collect, NULL, NULL, dl),
                     NB_OK);
    NB_ASSERT_ONE_DIAG(dl, NB_CSV_UNTERMINATED_QUOTE, 2);
    ck_assert_str_eq(nb_diag_list_at(dl, 0)->loc.file, "a.zip/meta.csv");
}
END_TEST

START_TEST(test_csv_stray_quote_reported_and_reading_goes_on)
{
    /* a hand-typed quote must not turn the rest of the file into a cell */
    READ_AS("a,b\n\"城管\"执法,x\n他说\"好\",y\nc,d\n",
            "1:a|b\n4:c|d\n");
    ck_assert_uint_eq(nb_diag_list_count(dl), 2);
    ck_assert_int_eq(nb_diag_list_at(dl, 0)->code, NB_CSV_BAD_QUOTE);
    ck_assert_uint_eq(nb_diag_list_at(dl, 0)->loc.line, 2);
    ck_assert_int_eq(nb_diag_list_at(dl, 1)->code, NB_CSV_BAD_QUOTE);
    ck_assert_uint_eq(nb_diag_list_at(dl, 1)->loc.line, 3);
}
END_TEST

START_TEST(test_csv_stray_quote_in_a_cr_only_file)
{
    READ_AS("h,v\rx,1\ra\"b,1\rc,2\rd,3\r", "1:h|v\n2:x|1\n4:c|2\n5:d|3\n");
    NB_ASSERT_ONE_DIAG(dl, NB_CSV_BAD_QUOTE, 3);
}
END_TEST

START_TEST(test_csv_stray_quote_in_the_header_stops)
{
    write_file("a,\"b\"x,c\n1,2,3\n", 16);
    ck_assert_int_eq(read_with(NB_ENC_AUTO, NULL), NB_ERR_FORMAT);
    NB_ASSERT_ONE_DIAG(dl, NB_CSV_BAD_QUOTE, 1);
    ck_assert_ptr_null(seen.data);
}
END_TEST

START_TEST(test_csv_cell_limit_same_quoted_or_not)
{
    nb_csv_opts o = {.encoding = NB_ENC_AUTO, .max_cell_bytes = 6};
    static const char *const files[] = {"h,v\na,1234567\n",
                                        "h,v\na,\"1234567\"\n",
                                        "h,v\na,   123456   \n"};
    size_t i;

    for (i = 0; i < 3; i++) {
        nb_diag_list_free(dl);
        dl = nb_diag_list_new();
        write_file(files[i], strlen(files[i]));
        ck_assert_int_eq(nb_csv_read(path, &o, collect, NULL, NULL, dl),
                         i < 2 ? NB_ERR_LIMIT : NB_OK);
        if (i < 2)
            NB_ASSERT_ONE_DIAG(dl, NB_CSV_CELL_TOO_LARGE, 2);
        else
            ck_assert_uint_eq(nb_diag_list_count(dl), 0);
    }
}
END_TEST

START_TEST(test_csv_row_limit)
{
    /* a row: 2*1000 + 16*4 */
    nb_csv_opts o = {.encoding = NB_ENC_AUTO, .max_cell_bytes = 1000,
                     .max_cells = 4};
    char data[2400];

    memset(data, 'x', sizeof(data));
    memcpy(data, "h\n", 2);
    data[800] = ',';
    data[1600] = ',';
    data[sizeof(data) - 1] = '\n';
    write_file(data, sizeof(data));
    ck_assert_int_eq(nb_csv_read(path, &o, collect, NULL, NULL, dl),
                     NB_ERR_LIMIT);
    NB_ASSERT_ONE_DIAG(dl, NB_CSV_ROW_TOO_LARGE, 2);
}
END_TEST

START_TEST(test_csv_gb18030_crlf_across_iconv_chunks)
{
    /* 1365 x 举 is 4095 bytes of UTF-8: the CR of the CRLF after them
     * ends one 4 KiB chunk of iconv's output, the LF starts the next */
    nb_buf file;
    nb_buf want;
    size_t i;

    nb_buf_init(&file, 1u << 20);
    nb_buf_init(&want, 1u << 20);
    nb_buf_adds(&file, "\xb2\xbf\xb7\xd6\n\""); /* 部分 */
    nb_buf_adds(&want, "1:部分\n2:");
    for (i = 0; i < 1365; i++) {
        nb_buf_adds(&file, "\xbe\xd9"); /* 举 */
        nb_buf_adds(&want, "举");
    }
    nb_buf_adds(&file, "\r\n\xce\xb2\"\n"); /* 尾 */
    nb_buf_adds(&want, "\n尾\n");
    write_file(file.data, file.len);
    ck_assert_int_eq(read_with(NB_ENC_GB18030, NULL), NB_OK);
    ck_assert_str_eq(seen.data, want.data);
    nb_buf_fini(&file);
    nb_buf_fini(&want);
}
END_TEST

START_TEST(test_csv_blank_line_across_read_blocks)
{
    /* a CRLF blank line whose CR is the last byte of the first 1 MiB
     * read: the row after it is still numbered as Excel numbers it */
    size_t block = 1u << 20;
    nb_buf file;
    size_t rows = 0;
    char want[64];

    nb_buf_init(&file, 1u << 22);
    nb_buf_adds(&file, "h\r\n");
    rows = 1;
    while (file.len + 20 < block - 2) {
        nb_buf_adds(&file, "x\r\n");
        rows++;
    }
    while (file.len < block - 3)
        nb_buf_addc(&file, 'y');
    nb_buf_adds(&file, "\r\n"); /* ends a row of y */
    rows++;
    ck_assert_uint_eq(file.len, block - 1);
    nb_buf_adds(&file, "\r\nlast\r\n"); /* the blank line's CR at block-1 */
    write_file(file.data, file.len);
    nb_buf_fini(&file);
    ck_assert_int_eq(read_with(NB_ENC_AUTO, NULL), NB_OK);
    snprintf(want, sizeof(want), "\n%zu:last\n", rows + 2);
    ck_assert_str_eq(seen.data + seen.len - strlen(want), want);
}
END_TEST

/* ==== Writing ==== */

START_TEST(test_csv_writer_quotes_what_needs_it_and_reads_back)
{
    nb_buf b;

    nb_buf_init(&b, 4096);
    nb_csv_cell(&b, "plain");
    nb_csv_cell(&b, "a,b");
    nb_csv_cell(&b, "say \"hi\"");
    nb_csv_cell(&b, "two\nlines");
    nb_csv_cell(&b, "");
    nb_csv_end_row(&b);
    ck_assert_str_eq(b.data,
                     "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\r\nlines\",\r\n");
    write_file(b.data, b.len);
    nb_buf_fini(&b);
    ck_assert_int_eq(read_with(NB_ENC_AUTO, NULL), NB_OK);
    ck_assert_str_eq(seen.data, "1:plain|a,b|say \"hi\"|two\nlines|\n");
}
END_TEST

START_TEST(test_csv_encode_bom_and_gb18030)
{
    char *out = NULL;
    size_t len = 0;

    ck_assert_int_eq(nb_csv_encode(&out, &len, "年", 3, NB_ENC_UTF8, "x", dl),
                     NB_OK);
    ck_assert_uint_eq(len, 6);
    ck_assert_int_eq(memcmp(out, "\xEF\xBB\xBF年", 6), 0);
    free(out);
    ck_assert_int_eq(nb_csv_encode(&out, &len, "年报", 6, NB_ENC_GB18030,
                                   "x", dl),
                     NB_OK);
    ck_assert_uint_eq(len, 4);
    ck_assert_int_eq(memcmp(out, "\xc4\xea\xb1\xa8", 4), 0);
    free(out);
}
END_TEST

Suite *nb_test_suite(void)
{
    Suite *s = suite_create("read_csv");
    TCase *tc = tcase_create("read_csv");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_loop_test(tc, test_csv_row_shapes, 0,
                        sizeof(shapes) / sizeof(shapes[0]));
    tcase_add_test(tc, test_csv_row_callback_can_stop);
    tcase_add_test(tc, test_csv_gb18030_detected);
    tcase_add_test(tc, test_csv_gb18030_bad_bytes_located_in_their_cell);
    tcase_add_test(tc, test_csv_mixed_file_read_as_utf8_and_bad_cell_located);
    tcase_add_loop_test(tc, test_utf8_rejects_malformed, 0,
                        sizeof(bad_utf8) / sizeof(bad_utf8[0]));
    tcase_add_test(tc, test_utf8_accepts_wellformed);
    tcase_add_test(tc, test_csv_forced_encoding_reports_not_guesses);
    tcase_add_test(tc, test_csv_utf16_refused);
    tcase_add_test(tc, test_csv_control_character_located);
    tcase_add_test(tc, test_csv_unterminated_quote_points_at_opening_row);
    tcase_add_test(tc, test_csv_cell_limit);
    tcase_add_test(tc, test_csv_cells_per_row_limit);
    tcase_add_test(tc, test_csv_missing_file);
    tcase_add_test(tc, test_csv_rows_across_blocks);
    tcase_add_test(tc, test_csv_memory_reads_as_the_file);
    tcase_add_test(tc, test_csv_memory_findings_name_the_entry);
    tcase_add_test(tc, test_csv_stray_quote_reported_and_reading_goes_on);
    tcase_add_test(tc, test_csv_stray_quote_in_a_cr_only_file);
    tcase_add_test(tc, test_csv_stray_quote_in_the_header_stops);
    tcase_add_test(tc, test_csv_cell_limit_same_quoted_or_not);
    tcase_add_test(tc, test_csv_row_limit);
    tcase_add_test(tc, test_csv_gb18030_crlf_across_iconv_chunks);
    tcase_add_test(tc, test_csv_blank_line_across_read_blocks);
    tcase_add_test(tc, test_csv_writer_quotes_what_needs_it_and_reads_back);
    tcase_add_test(tc, test_csv_encode_bom_and_gb18030);
    suite_add_tcase(s, tc);
    return s;
}
