/* fuzz_csv_form: one CSV form, with encoding detection, its schema and
 * the catalog. The first byte picks the form (its file name decides the
 * schema); the rest is the file. */
#include "fuzz_common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[64];

static void remove_dir(void)
{
    rmdir(dir);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const names[] = {"meta.csv", "narrative.csv",
                                        "metrics.csv", "基本信息.csv",
                                        "other.csv"};
    static const nb_encoding encs[] = {NB_ENC_AUTO, NB_ENC_UTF8,
                                       NB_ENC_GB18030};
    nb_read_opts ro = {NB_ENC_AUTO, &fuzz_limits, NULL, false};
    nb_diag_list *dl;
    char path[128];
    FILE *f;

    if (size < 1)
        return 0;
    if (dir[0] == '\0') {
        snprintf(dir, sizeof(dir), "%s/nianbao-fuzz-XXXXXX",
                 getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp");
        if (mkdtemp(dir) == NULL)
            abort();
        atexit(remove_dir);
    }
    snprintf(path, sizeof(path), "%s/%s", dir, names[data[0] % 5]);
    ro.encoding = encs[(data[0] / 5) % 3];
    f = fopen(path, "wb");
    if (f == NULL)
        abort();
    if (size > 1 && fwrite(data + 1, 1, size - 1, f) != size - 1)
        abort();
    fclose(f);
    dl = nb_diag_list_new();
    if (dl != NULL)
        nb_form_validate(path, &ro, dl);
    nb_diag_list_free(dl);
    unlink(path);
    return 0;
}
