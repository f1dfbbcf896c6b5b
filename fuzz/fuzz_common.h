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
    1u << 20,  /* max_input_bytes */
    4u << 20,  /* max_part_bytes */
    8u << 20,  /* max_total_bytes */
    64,        /* max_zip_entries */
    8u << 20,  /* max_output_bytes */
    64u << 10, /* max_cell_bytes */
    1000,      /* max_row_cells */
    20,        /* max_section_depth */
    false,     /* xml_huge */
    100,       /* max_attributes */
    1u << 20,  /* max_xlsx_strings */
    4u << 20,  /* max_sheet_bytes */
    100000,    /* max_elements */
    false,     /* allow_external */
    1u << 20,  /* max_picture_bytes */
    4u << 20,  /* max_pictures_bytes */
    4096,      /* max_picture_side */
};

/* A small report with every kind of node a template can meet (areas run
 * in and not, items with nested items, a metric reference), read once:
 * what the template harnesses render into what the fuzzer made. */
static inline nb_report *fuzz_small_report(void)
{
    static const char xml[] =
        "<?xml version=\"1.0\"?><report xmlns=\"urn:nianbao:report:1\" "
        "version=\"1\"><meta><issuer>某某县司法局</issuer><year>2022</year>"
        "<date>2023-02-08</date></meta><preamble><p>前言。</p></preamble>"
        "<section kind=\"measures\"><area layout=\"run-in\"><title>甲</title>"
        "<p>调解<m code=\"tj_cases\"/>。</p><item><lead>乙</lead>"
        "<text>丙</text><item><text>丁</text></item></item></area>"
        "<area><title>戊</title><p>己</p></area></section>"
        "<section kind=\"plans\"><intro><p>庚</p></intro></section>"
        "<metrics><metric code=\"tj_cases\">12</metric></metrics></report>";
    static nb_report *r;

    if (r == NULL) {
        nb_diag_list *dl = nb_diag_list_new();

        nb_report_read_xml_memory(&r, xml, sizeof(xml) - 1, "report.xml", NULL,
                                  dl);
        if (r == NULL || nb_report_check(r, NULL, dl) != NB_OK)
            __builtin_trap(); /* the harness's own data must read */
        nb_diag_list_free(dl);
    }
    return r;
}

/* One draft through the import (nb_import_memory), its outline and its
 * report XML: the harnesses fuzz_import_txt, _html and _docx. */
static inline void fuzz_import(const uint8_t *data, size_t size,
                               const char *name)
{
    nb_diag_list *dl = nb_diag_list_new();
    nb_import_opts io = {&fuzz_limits, NULL, false};
    nb_report *r = NULL;

    if (dl == NULL)
        return;
    nb_import_memory(&r, data, size, name, &io, dl);
    if (r != NULL) {
        char *t = NULL;
        size_t len = 0;

        if (nb_report_outline(&t, r) == NB_OK)
            nb_free(t);
        t = NULL;
        if (nb_report_to_xml(&t, &len, r, dl) == NB_OK)
            nb_free(t);
    }
    nb_report_free(r);
    nb_diag_list_free(dl);
}

#endif /* NIANBAO_FUZZ_COMMON_H */
