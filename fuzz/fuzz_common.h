/* fuzz_common.h: shared pieces of the libFuzzer harnesses (fuzz/README.md).
 * Each harness feeds one reader of nianbao the fuzzer's bytes and checks
 * only what the library promises: no crash, no hang, no leak, and every
 * allocation freed; findings in the data are diagnostics like any other. */
#ifndef NIANBAO_FUZZ_COMMON_H
#define NIANBAO_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>

#include <nianbao/nianbao.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Limits small enough that a fuzzer's inputs cannot make a run slow by
 * size alone: the defaults are for real files. */
static const nb_limits fuzz_limits = {
    1u << 20, /* max_input_bytes */
    4u << 20, /* max_part_bytes */
    8u << 20, /* max_total_bytes */
    64,       /* max_zip_entries */
    8u << 20, /* max_output_bytes */
    64u << 10, /* max_cell_bytes */
    1000,     /* max_row_cells */
    20,       /* max_section_depth */
    false,    /* xml_huge */
};

#endif /* NIANBAO_FUZZ_COMMON_H */
