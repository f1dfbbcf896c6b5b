/* fuzz_docx_template: a .docx template (zip, then XML, then tags), and
 * when it compiles, a render of a small report into it. */
#include "fuzz_common.h"

static const char report_xml[] =
    "<?xml version=\"1.0\"?><report xmlns=\"urn:nianbao:report:1\" "
    "version=\"1\"><meta><issuer>某某县司法局</issuer><year>2022</year>"
    "<date>2023-02-08</date></meta><preamble><p>前言。</p></preamble>"
    "<section kind=\"measures\"><area layout=\"run-in\"><title>甲</title>"
    "<p>调解<m code=\"tj_cases\"/>。</p><item><lead>乙</lead><text>丙</text>"
    "<item><text>丁</text></item></item></area></section>"
    "<section kind=\"plans\"><intro><p>戊</p></intro></section>"
    "<metrics><metric code=\"tj_cases\">12</metric></metrics></report>";

static nb_report *report;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    nb_diag_list *dl = nb_diag_list_new();
    nb_template *t = NULL;
    void *out = NULL;
    size_t len = 0;

    if (dl == NULL)
        return 0;
    if (report == NULL) {
        nb_report_read_xml_memory(&report, report_xml, sizeof(report_xml) - 1,
                                  "report.xml", NULL, dl);
        if (report == NULL || nb_report_check(report, NULL, dl) != NB_OK)
            __builtin_trap(); /* the harness's own data must read */
    }
    nb_template_load_memory(&t, data, size, "fuzz.docx", &fuzz_limits, dl);
    if (t != NULL && nb_render_memory(&out, &len, t, report, dl) == NB_OK)
        nb_free(out);
    nb_template_free(t);
    nb_diag_list_free(dl);
    return 0;
}
