/* fuzz_docx_template: a .docx template (zip, then XML, then tags), and
 * when it compiles, a render of a small report into it; then the same
 * bytes through nb_template_check (the tag list and the path check). */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    nb_diag_list *dl = nb_diag_list_new();
    nb_template *t = NULL;
    void *out = NULL;
    size_t len = 0;
    nb_template_check_opts copts = {&fuzz_limits, NULL, NULL};
    size_t i;

    if (dl == NULL)
        return 0;
    nb_template_load_memory(&t, data, size, "fuzz.docx", &fuzz_limits, dl);
    if (t != NULL &&
        nb_render_memory(&out, &len, t, fuzz_small_report(), dl) == NB_OK)
        nb_free(out);
    nb_template_free(t);
    t = NULL;
    nb_template_check_memory(&t, data, size, "fuzz.docx", &copts, dl);
    for (i = 0; i < nb_template_tag_count(t); i++) {
        const nb_template_tag *tg = nb_template_tag_at(t, i);

        if (tg->text == NULL || tg->path == NULL || tg->filters == NULL ||
            tg->excerpt == NULL)
            __builtin_trap(); /* every listed tag has all its strings */
    }
    nb_template_free(t);
    nb_diag_list_free(dl);
    return 0;
}
