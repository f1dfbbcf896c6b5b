/* fuzz_report_xml: report XML reading, XSD validation and the rules. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    nb_diag_list *dl = nb_diag_list_new();
    nb_report *r = NULL;

    if (dl == NULL)
        return 0;
    nb_report_read_xml_memory(&r, (const char *)data, size, "fuzz.xml",
                              &fuzz_limits, dl);
    if (r != NULL) {
        nb_check_opts co = {NULL, NB_PROFILE_DEFAULT, NULL, true, NULL};

        nb_report_check(r, &co, dl);
    }
    nb_report_free(r);
    nb_diag_list_free(dl);
    return 0;
}
