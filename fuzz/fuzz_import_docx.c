/* fuzz_import_docx: the import of a Word draft, its outline and its report
 * XML. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_import(data, size, "fuzz.docx");
    return 0;
}
