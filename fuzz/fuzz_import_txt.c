/* fuzz_import_txt: the import of pasted text: UTF-8 or GB18030, its outline and its report
 * XML. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_import(data, size, "fuzz.txt");
    return 0;
}
