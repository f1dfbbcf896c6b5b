/* fuzz_render: the whole path, from report XML to a DOCX in memory with
 * the standard template (read, validate, rules, merge, zip). */
#include "fuzz_common.h"

static nb_template *tmpl;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    nb_diag_list *dl = nb_diag_list_new();
    nb_report *r = NULL;
    void *out = NULL;
    size_t len = 0;

    if (dl == NULL)
        return 0;
    if (tmpl == NULL && nb_template_load_standard(&tmpl, dl) != NB_OK) {
        nb_diag_list_free(dl);
        return 0;
    }
    nb_report_read_xml_memory(&r, (const char *)data, size, "fuzz.xml",
                              &fuzz_limits, dl);
    if (r != NULL && nb_report_check(r, NULL, dl) == NB_OK &&
        nb_render_memory(&out, &len, tmpl, r, dl) == NB_OK)
        nb_free(out);
    nb_report_free(r);
    nb_diag_list_free(dl);
    return 0;
}
