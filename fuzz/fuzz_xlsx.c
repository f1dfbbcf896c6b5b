/* fuzz_xlsx: a workbook read as a form set (read_xlsx.c). The first
 * byte picks what the rest is: even, a whole .xlsx; odd, the XML of its
 * one sheet (指标, or 基本信息 with byte 3), zipped here beside a fixed
 * workbook, relationships, shared strings and styles, so that mutations
 * reach the sheet reader instead of breaking the zip. */
#include "fuzz_common.h"
#include "model.h"
#include "zip_io.h"

#include <stdio.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

static const char rels[] =
    "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas."
    "openxmlformats.org/package/2006/relationships\"><Relationship Id=\"r1\" "
    "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
    "relationships/officeDocument\" Target=\"xl/workbook.xml\"/>"
    "</Relationships>";
static const char wb_rels[] =
    "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas."
    "openxmlformats.org/package/2006/relationships\"><Relationship Id=\"r1\" "
    "Type=\"x/worksheet\" Target=\"worksheets/sheet1.xml\"/><Relationship "
    "Id=\"r2\" Type=\"x/sharedStrings\" Target=\"sharedStrings.xml\"/>"
    "<Relationship Id=\"r3\" Type=\"x/styles\" Target=\"styles.xml\"/>"
    "</Relationships>";
static const char sst[] =
    "<?xml version=\"1.0\"?><sst><si><t>指标代码</t></si><si><t>数值</t></si>"
    "<si><r><t>fy_</t></r><r><t>received</t></r></si></sst>";
static const char styles[] =
    "<?xml version=\"1.0\"?><styleSheet><numFmts><numFmt numFmtId=\"164\" "
    "formatCode=\"0.0%\"/></numFmts><cellXfs><xf numFmtId=\"0\"/><xf "
    "numFmtId=\"164\"/><xf numFmtId=\"14\"/></cellXfs></styleSheet>";

static void *wrap(const uint8_t *sheet, size_t len, bool meta, size_t *out_len)
{
    char wb[512];
    nb_zip_writer *w = NULL;
    nb_diag_list *dl = nb_diag_list_new();
    void *out = NULL;

    snprintf(wb, sizeof(wb),
             "<?xml version=\"1.0\"?><workbook xmlns:r=\"http://schemas."
             "openxmlformats.org/officeDocument/2006/relationships\">"
             "<workbookPr date1904=\"%d\"/><sheets><sheet name=\"%s\" "
             "sheetId=\"1\" r:id=\"r1\"/></sheets></workbook>",
             (int)(len % 2), meta ? "基本信息" : "指标");
    if (dl != NULL && nb_zip_writer_new(&w, dl) == NB_OK &&
        nb_zip_writer_add(w, "_rels/.rels", rels, strlen(rels), false) ==
            NB_OK &&
        nb_zip_writer_add(w, "xl/workbook.xml", wb, strlen(wb), false) ==
            NB_OK &&
        nb_zip_writer_add(w, "xl/_rels/workbook.xml.rels", wb_rels,
                          strlen(wb_rels), false) == NB_OK &&
        nb_zip_writer_add(w, "xl/sharedStrings.xml", sst, strlen(sst),
                          false) == NB_OK &&
        nb_zip_writer_add(w, "xl/styles.xml", styles, strlen(styles),
                          false) == NB_OK &&
        nb_zip_writer_add(w, "xl/worksheets/sheet1.xml", sheet, len, false) ==
            NB_OK) {
        nb_zip_writer_finish(w, &out, out_len);
        w = NULL;
    }
    nb_zip_writer_free(w);
    nb_diag_list_free(dl);
    return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* partial: what a bad workbook still gives goes through the rules */
    nb_read_opts ro = {NB_ENC_AUTO, &fuzz_limits, NULL, true};
    nb_diag_list *dl;
    nb_report *r = NULL;
    void *book = NULL;
    const void *p = data + 1;
    size_t len = size > 0 ? size - 1 : 0;
    bool one = false;

    if (size < 1)
        return 0;
    if (data[0] % 2 == 1) {
        book = wrap(data + 1, len, data[0] == 3, &len);
        if (book == NULL)
            return 0;
        p = book;
    }
    dl = nb_diag_list_new();
    if (dl != NULL)
        nb_xlsx_read_memory(&r, data[0] % 4 == 2 ? NULL : &one, p, len,
                            "fuzz.xlsx", &ro, dl);
    if (r != NULL && dl != NULL)
        (void)nb_report_check(r, NULL, dl);
    nb_report_free(r);
    nb_diag_list_free(dl);
    nb_free(book);
    return 0;
}
