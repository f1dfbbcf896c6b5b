/* fuzz_import_html: the import of an article page, its outline and its report
 * XML. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_import(data, size, "fuzz.html");
    return 0;
}
