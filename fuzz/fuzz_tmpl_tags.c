/* fuzz_tmpl_tags: the template tag parser, on text as Word stores it. The
 * fuzzer's bytes are the text of a document: byte 0x01 starts a new run
 * (Word splits tags over runs), 0x02 a new paragraph, 0x03 a proofing
 * mark between runs. The text is packed into a minimal .docx, compiled,
 * and rendered with a small report. */
#include "fuzz_common.h"

#include "xml_io.h"
#include "zip_io.h"

#include <string.h>

static const char types[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types "
    "xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
    "<Default Extension=\"xml\" ContentType=\"application/xml\"/><Override "
    "PartName=\"/word/document.xml\" ContentType=\"application/"
    "vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>"
    "</Types>";

static void document(nb_buf *b, const uint8_t *data, size_t size)
{
    size_t i;

    nb_buf_adds(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?><w:document "
                   "xmlns:w=\"http://schemas.openxmlformats.org/"
                   "wordprocessingml/2006/main\"><w:body><w:p><w:r><w:t "
                   "xml:space=\"preserve\">");
    for (i = 0; i < size; i++) {
        switch (data[i]) {
        case 1:
            nb_buf_adds(b, "</w:t></w:r><w:r><w:t xml:space=\"preserve\">");
            break;
        case 2:
            nb_buf_adds(b, "</w:t></w:r></w:p><w:p><w:r><w:t "
                           "xml:space=\"preserve\">");
            break;
        case 3:
            nb_buf_adds(b, "</w:t></w:r><w:proofErr w:type=\"spellStart\"/>"
                           "<w:r><w:t xml:space=\"preserve\">");
            break;
        default:
            nb_xml_escape(b, (const char *)data + i, 1, NB_ESC_VALUE);
        }
    }
    nb_buf_adds(b, "</w:t></w:r></w:p></w:body></w:document>");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    nb_diag_list *dl = nb_diag_list_new();
    nb_zip_writer *w = NULL;
    nb_template *t = NULL;
    nb_buf doc;
    void *zip = NULL;
    size_t zip_len = 0;
    void *out = NULL;
    size_t len = 0;

    if (dl == NULL || size > 65536) {
        nb_diag_list_free(dl);
        return 0;
    }
    nb_buf_init(&doc, 1u << 22);
    document(&doc, data, size);
    if (doc.st == NB_OK && nb_zip_writer_new(&w, dl) == NB_OK &&
        nb_zip_writer_add(w, "[Content_Types].xml", types, sizeof(types) - 1,
                          false) == NB_OK &&
        nb_zip_writer_add(w, "word/document.xml", doc.data, doc.len, false) ==
            NB_OK) {
        if (nb_zip_writer_finish(w, &zip, &zip_len) == NB_OK) {
            nb_template_load_memory(&t, zip, zip_len, "fuzz.docx", &fuzz_limits,
                                    dl);
            if (t != NULL && nb_render_memory(&out, &len, t,
                                              fuzz_small_report(), dl) == NB_OK)
                nb_free(out);
        }
        w = NULL;
    }
    nb_zip_writer_free(w);
    nb_free(zip);
    nb_buf_fini(&doc);
    nb_template_free(t);
    nb_diag_list_free(dl);
    return 0;
}
