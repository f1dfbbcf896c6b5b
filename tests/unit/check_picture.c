/* check_picture.c: picture headers, data URIs and boxes (src/lib/picture.c),
 * paths that data names (src/lib/data_path.c) and the parts a render adds
 * to a package (src/lib/docx_media.c). */
#include "data_path.h"
#include "docx_media.h"
#include "picture.h"
#include "testlib.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A 1×1 PNG with pHYs at 11811 pixels a metre (300 dpi). */
static const unsigned char png_300dpi[] = {
    0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n',
    0, 0, 0, 13, 'I', 'H', 'D', 'R', 0, 0, 0, 2, 0, 0, 0, 1, 8, 2, 0, 0, 0,
    0, 0, 0, 0,
    0, 0, 0, 9, 'p', 'H', 'Y', 's', 0, 0, 0x2e, 0x23, 0, 0, 0x2e, 0x23, 1,
    0, 0, 0, 0,
    0, 0, 0, 0, 'I', 'D', 'A', 'T', 0, 0, 0, 0,
    0, 0, 0, 0, 'I', 'E', 'N', 'D', 0, 0, 0, 0};

/* A JPEG's headers: SOI, APP1 Exif (big-endian TIFF: 200/1 by 200/1,
 * unit inch), SOF0 640×480, SOS, a byte of scan, EOI. */
static const unsigned char jpeg_exif[] = {
    0xFF, 0xD8,
    0xFF, 0xE1, 0, 66, 'E', 'x', 'i', 'f', 0, 0,
    'M', 'M', 0, 42, 0, 0, 0, 8,   /* TIFF header, IFD0 at 8 */
    0, 3,                          /* three entries */
    0x01, 0x1A, 0, 5, 0, 0, 0, 1, 0, 0, 0, 50, /* XResolution at 50 */
    0x01, 0x1B, 0, 5, 0, 0, 0, 1, 0, 0, 0, 50, /* YResolution at 50 */
    0x01, 0x28, 0, 3, 0, 0, 0, 1, 0, 2, 0, 0,  /* ResolutionUnit: inch */
    0, 0, 0, 0,                                /* no next IFD */
    0, 0, 0, 200, 0, 0, 0, 1,                  /* 200/1 */
    0xFF, 0xC0, 0, 11, 8, 0x01, 0xE0, 0x02, 0x80, 1, 1, 0x11, 0,
    0xFF, 0xDA, 0, 8, 1, 1, 0, 0, 0x3F, 0,
    0x00, 0xFF, 0xD9};

START_TEST(test_picture_png_size_and_density)
{
    nb_pic_info info;
    bool limit;

    ck_assert_ptr_null(
        nb_pic_probe(png_300dpi, sizeof(png_300dpi), 30000, &info, &limit));
    ck_assert_int_eq(info.format, NB_PIC_PNG);
    ck_assert_uint_eq(info.width, 2);
    ck_assert_uint_eq(info.height, 1);
    ck_assert(info.dpi_x > 299.9 && info.dpi_x < 300.1);
    /* cut anywhere before IEND: refused */
    ck_assert_ptr_nonnull(nb_pic_probe(png_300dpi, sizeof(png_300dpi) - 12,
                                       30000, &info, &limit));
    ck_assert_ptr_nonnull(nb_pic_probe(png_300dpi, 20, 30000, &info, &limit));
    /* sides over the limit */
    ck_assert_ptr_nonnull(
        nb_pic_probe(png_300dpi, sizeof(png_300dpi), 1, &info, &limit));
    ck_assert(limit);
}
END_TEST

START_TEST(test_picture_jpeg_exif_density)
{
    nb_pic_info info;
    bool limit;
    size_t n;

    ck_assert_ptr_null(
        nb_pic_probe(jpeg_exif, sizeof(jpeg_exif), 30000, &info, &limit));
    ck_assert_int_eq(info.format, NB_PIC_JPEG);
    ck_assert_uint_eq(info.width, 640);
    ck_assert_uint_eq(info.height, 480);
    ck_assert(info.dpi_x > 199.9 && info.dpi_x < 200.1);
    /* every cut short of the end marker is refused, and none is read
     * past its end (the sanitizer build checks) */
    for (n = 0; n + 2 < sizeof(jpeg_exif); n++)
        ck_assert_ptr_nonnull(
            nb_pic_probe(jpeg_exif, n, 30000, &info, &limit));
}
END_TEST

START_TEST(test_picture_other_formats_named)
{
    static const struct {
        const char *bytes;
        size_t len;
        const char *named;
    } cases[] = {
        {"<svg xmlns='http://www.w3.org/2000/svg'/>", 41, "SVG"},
        {"RIFF\x10\0\0\0WEBPVP8 ", 16, "WebP"},
        {"BM\x46\0\0\0\0\0", 8, "BMP"},
        {"II*\0\x08\0\0\0", 8, "TIFF"},
        {"hello", 5, "not a PNG"},
    };
    nb_pic_info info;
    bool limit;
    size_t i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const char *why =
            nb_pic_probe((const unsigned char *)cases[i].bytes, cases[i].len,
                         30000, &info, &limit);

        ck_assert_ptr_nonnull(why);
        ck_assert_msg(strstr(why, cases[i].named) != NULL, "%s: %s",
                      cases[i].named, why);
    }
    ck_assert_ptr_nonnull(nb_pic_probe(NULL, 0, 30000, &info, &limit));
}
END_TEST

START_TEST(test_picture_data_uri)
{
    static const char ok[] = "data:image/png;base64,aGVs bG8=";
    unsigned char *out = NULL;
    size_t len = 0;
    bool limit;

    ck_assert(nb_pic_is_data_uri("DATA:x", 6));
    ck_assert(!nb_pic_is_data_uri("logo.png", 8));
    ck_assert_ptr_null(nb_pic_data_uri(ok, strlen(ok), 100, &out, &len, &limit));
    ck_assert_uint_eq(len, 5);
    ck_assert_int_eq(memcmp(out, "hello", 5), 0);
    free(out);
    ck_assert_ptr_nonnull(nb_pic_data_uri(ok, strlen(ok), 4, &out, &len, &limit));
    ck_assert(limit);
    ck_assert_ptr_null(out);
    ck_assert_ptr_nonnull(nb_pic_data_uri("data:image/png;base64,a=b", 25, 100,
                                          &out, &len, &limit));
    ck_assert_ptr_nonnull(nb_pic_data_uri("data:image/png;base64,a", 23, 100,
                                          &out, &len, &limit));
    ck_assert_ptr_nonnull(nb_pic_data_uri("data:image/png,abc", 18, 100, &out,
                                          &len, &limit));
    ck_assert_ptr_nonnull(
        nb_pic_data_uri("data:text/plain;base64,aGk=", 27, 100, &out, &len,
                        &limit));
    ck_assert_ptr_nonnull(
        nb_pic_data_uri("data:image/png;base64", 21, 100, &out, &len, &limit));
}
END_TEST

START_TEST(test_picture_lengths_and_fit)
{
    nb_pic_info p = {NB_PIC_PNG, 300, 150, 300, 300};
    int64_t emu;
    int64_t cx;
    int64_t cy;

    ck_assert(nb_pic_length("60mm", 4, &emu) && emu == 2160000);
    ck_assert(nb_pic_length(" 2.5cm ", 7, &emu) && emu == 900000);
    ck_assert(nb_pic_length("1in", 3, &emu) && emu == 914400);
    ck_assert(nb_pic_length("72pt", 4, &emu) && emu == 914400);
    ck_assert(nb_pic_length("96px", 4, &emu) && emu == 914400);
    ck_assert(nb_pic_length("\xef\xbc\x96\xef\xbc\x90mm", 8, &emu) &&
              emu == 2160000); /* ６０mm */
    ck_assert(nb_pic_length("*", 1, &emu) && emu == 0);
    ck_assert(!nb_pic_length("60", 2, &emu));
    ck_assert(!nb_pic_length("60xx", 4, &emu));
    ck_assert(!nb_pic_length("-5mm", 4, &emu));
    ck_assert(!nb_pic_length("0mm", 3, &emu));
    ck_assert(!nb_pic_length("99999999mm", 10, &emu));
    /* into 60×40 mm: the width decides */
    nb_pic_fit(&p, 2160000, 1440000, 0, &cx, &cy);
    ck_assert_int_eq(cx, 2160000);
    ck_assert_int_eq(cy, 1080000);
    /* its own size: 1 in × 0.5 in; narrower than the text */
    nb_pic_fit(&p, 0, 0, 5000000, &cx, &cy);
    ck_assert_int_eq(cx, 914400);
    ck_assert_int_eq(cy, 457200);
    /* wider than the text: the text's width */
    nb_pic_fit(&p, 0, 0, 457200, &cx, &cy);
    ck_assert_int_eq(cx, 457200);
    ck_assert_int_eq(cy, 228600);
}
END_TEST

START_TEST(test_data_path_stays_inside)
{
    char dir[] = "/tmp/nb-dpath-XXXXXX";
    char path[256];
    char data_file[256];
    nb_data_dirs d;
    unsigned char *out = NULL;
    size_t len = 0;
    int err = 0;
    FILE *f;

    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/in.png", dir);
    f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    fputs("1234567890", f);
    fclose(f);
    snprintf(path, sizeof(path), "%s/sub", dir);
    ck_assert_int_eq(mkdir(path, 0700), 0);
    snprintf(path, sizeof(path), "%s/fifo", dir);
    ck_assert_int_eq(mkfifo(path, 0600), 0);
    snprintf(path, sizeof(path), "%s/link", dir);
    ck_assert_int_eq(symlink("/etc/hostname", path), 0);
    snprintf(data_file, sizeof(data_file), "%s/d.json", dir);
    ck_assert_int_eq(nb_data_dirs_init(&d, data_file), NB_DPATH_OK);

    ck_assert_int_eq(nb_data_path_read(&d, "in.png", 100, &out, &len, &err),
                     NB_DPATH_OK);
    ck_assert_uint_eq(len, 10);
    free(out);
    ck_assert_int_eq(nb_data_path_read(&d, "sub/../in.png", 100, &out, &len,
                                       &err),
                     NB_DPATH_OK);
    free(out);
    ck_assert_int_eq(nb_data_path_read(&d, "in.png", 9, &out, &len, &err),
                     NB_DPATH_TOO_LARGE);
    ck_assert_ptr_null(out);
    ck_assert_int_eq(nb_data_path_read(&d, "../in.png", 100, &out, &len, &err),
                     NB_DPATH_OUTSIDE); /* not there, and outside anyway */
    ck_assert_int_eq(nb_data_path_read(&d, "sub/none.png", 100, &out, &len,
                                       &err),
                     NB_DPATH_MISSING);
    ck_assert_int_eq(nb_data_path_read(&d, "/none.png", 100, &out, &len, &err),
                     NB_DPATH_OUTSIDE);
    ck_assert_int_eq(nb_data_path_read(&d, "/etc/hostname", 100, &out, &len,
                                       &err),
                     NB_DPATH_OUTSIDE);
    ck_assert_int_eq(nb_data_path_read(&d, "link", 100, &out, &len, &err),
                     NB_DPATH_OUTSIDE);
    ck_assert_int_eq(nb_data_path_read(&d, "fifo", 100, &out, &len, &err),
                     NB_DPATH_NOT_FILE);
    ck_assert_int_eq(nb_data_path_read(&d, "sub", 100, &out, &len, &err),
                     NB_DPATH_FOLDER);
    ck_assert_int_eq(nb_data_path_read(&d, ".", 100, &out, &len, &err),
                     NB_DPATH_OUTSIDE); /* the folder itself */
    ck_assert_int_eq(nb_data_path_read(&d, "", 100, &out, &len, &err),
                     NB_DPATH_EMPTY);
    ck_assert_int_eq(nb_data_dirs_allow(&d, "/dev"), NB_DPATH_OK);
    ck_assert_int_eq(nb_data_path_read(&d, "/dev/null", 100, &out, &len, &err),
                     NB_DPATH_NOT_FILE);
    ck_assert_int_eq(nb_data_dirs_allow(&d, "/no/such/dir"), NB_DPATH_MISSING);
    nb_data_dirs_fini(&d);
    nb_data_dirs_fini(&d); /* twice is harmless */

    unlink(path);
    snprintf(path, sizeof(path), "%s/fifo", dir);
    unlink(path);
    snprintf(path, sizeof(path), "%s/in.png", dir);
    unlink(path);
    snprintf(path, sizeof(path), "%s/sub", dir);
    rmdir(path);
    rmdir(dir);
}
END_TEST

START_TEST(test_media_stored_once_with_relationships)
{
    static const char types[] =
        "<Types xmlns=\"x\"><Default Extension=\"rels\" ContentType=\"r\"/>"
        "<Default Extension=\"PNG\" ContentType=\"image/png\"/></Types>";
    static const char rels[] =
        "<Relationships xmlns=\"x\"><Relationship Id=\"rIdNianbao1\" "
        "Type=\"t\" Target=\"a.xml\"/></Relationships>";
    nb_zip_entry parts[2];
    nb_pkg_adds p;
    const char *rid1;
    const char *rid2;
    const char *rid3;
    char *out = NULL;
    size_t len = 0;
    nb_status st;

    memset(parts, 0, sizeof(parts));
    parts[0].name = (char *)"[Content_Types].xml";
    parts[0].data = (unsigned char *)types;
    parts[0].len = strlen(types);
    parts[1].name = (char *)"word/_rels/document.xml.rels";
    parts[1].data = (unsigned char *)rels;
    parts[1].len = strlen(rels);
    nb_pkg_adds_init(&p, parts, 2);
    ck_assert(!nb_pkg_adds_any(&p));
    ck_assert_int_eq(nb_pkg_add_media(&p, "word/document.xml", "abc", 3,
                                      "png", "image/png", NB_REL_IMAGE, &rid1),
                     NB_OK);
    /* the template has rIdNianbao1: the next one */
    ck_assert_str_eq(rid1, "rIdNianbao2");
    ck_assert_int_eq(nb_pkg_add_media(&p, "word/document.xml", "abc", 3,
                                      "png", "image/png", NB_REL_IMAGE, &rid2),
                     NB_OK);
    ck_assert_str_eq(rid2, "rIdNianbao2");
    ck_assert_int_eq(nb_pkg_add_media(&p, "word/header1.xml", "abc", 3, "png",
                                      "image/png", NB_REL_IMAGE, &rid3),
                     NB_OK);
    ck_assert_str_eq(rid3, "rIdNianbao1");
    ck_assert_uint_eq(p.n_parts, 1);
    ck_assert_uint_eq(p.n_rels, 2);
    ck_assert(nb_pkg_has_media(&p, "abc", 3));
    ck_assert(!nb_pkg_has_media(&p, "abd", 3));
    /* a Default for png exists (in another case): none added */
    ck_assert(!nb_pkg_patch(&p, "[Content_Types].xml", parts[0].data,
                            parts[0].len, &out, &len, &st));
    ck_assert(nb_pkg_patch(&p, parts[1].name, parts[1].data, parts[1].len,
                           &out, &len, &st));
    ck_assert_ptr_nonnull(strstr(out, "Id=\"rIdNianbao2\""));
    ck_assert_ptr_nonnull(strstr(out, "Target=\"media/nianbao-"));
    ck_assert_ptr_nonnull(strstr(out, "</Relationships>"));
    free(out);
    /* a relationships part written empty, and one with no root at all */
    ck_assert(nb_pkg_patch(&p, "word/_rels/header1.xml.rels",
                           (const unsigned char *)"<Relationships xmlns=\"x\"/>",
                           26, &out, &len, &st));
    ck_assert_str_eq(out, "<Relationships xmlns=\"x\"><Relationship "
                          "Id=\"rIdNianbao1\" Type=\"" NB_REL_IMAGE
                          "\" Target=\"media/nianbao-e71fa2190541574b.png\"/>"
                          "</Relationships>");
    free(out);
    ck_assert(!nb_pkg_patch(&p, "word/_rels/header1.xml.rels",
                            (const unsigned char *)"garbage", 7, &out, &len,
                            &st));
    ck_assert_int_eq(st, NB_ERR_FORMAT);
    out = nb_pkg_rels_name("word/header1.xml");
    ck_assert_str_eq(out, "word/_rels/header1.xml.rels");
    free(out);
    nb_pkg_adds_fini(&p);
}
END_TEST

Suite *nb_test_suite(void)
{
    Suite *s = suite_create("picture");
    TCase *tc = tcase_create("picture");

    tcase_add_test(tc, test_picture_png_size_and_density);
    tcase_add_test(tc, test_picture_jpeg_exif_density);
    tcase_add_test(tc, test_picture_other_formats_named);
    tcase_add_test(tc, test_picture_data_uri);
    tcase_add_test(tc, test_picture_lengths_and_fit);
    tcase_add_test(tc, test_data_path_stays_inside);
    tcase_add_test(tc, test_media_stored_once_with_relationships);
    suite_add_tcase(s, tc);
    return s;
}
