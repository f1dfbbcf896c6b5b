/* replay_main.c: runs a libFuzzer harness over files without libFuzzer,
 * so that the corpus and every input that once crashed are replayed by
 * `make check` with any compiler (tests/cli/fuzz.sh).
 *
 * Usage: replay_NAME FILE...  (exit 0 when every input ran) */
#include "fuzz_common.h"

#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    int i;

    for (i = 1; i < argc; i++) {
        FILE *f = fopen(argv[i], "rb");
        unsigned char *buf = NULL;
        size_t len = 0;
        size_t cap = 0;
        size_t n;

        if (f == NULL) {
            perror(argv[i]);
            return 2;
        }
        do {
            if (len == cap) {
                unsigned char *bigger;

                cap = cap == 0 ? 65536 : cap * 2;
                bigger = realloc(buf, cap);
                if (bigger == NULL) {
                    fprintf(stderr, "%s: out of memory\n", argv[i]);
                    return 2;
                }
                buf = bigger;
            }
            n = fread(buf + len, 1, cap - len, f);
            len += n;
        } while (n > 0);
        fclose(f);
        LLVMFuzzerTestOneInput(buf, len);
        free(buf);
    }
    return 0;
}
