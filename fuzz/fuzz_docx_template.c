/* fuzz_docx_template: a .docx template (zip, then XML, then tags), and
 * when it compiles, a render of a small report into it. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    nb_diag_list *dl = nb_diag_list_new();
    nb_template *t = NULL;
    void *out = NULL;
    size_t len = 0;

    if (dl == NULL)
        return 0;
    nb_template_load_memory(&t, data, size, "fuzz.docx", &fuzz_limits, dl);
    if (t != NULL &&
        nb_render_memory(&out, &len, t, fuzz_small_report(), dl) == NB_OK)
        nb_free(out);
    nb_template_free(t);
    nb_diag_list_free(dl);
    return 0;
}
