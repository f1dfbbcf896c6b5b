/* pdf.h: documents converted to PDF by LibreOffice (pdf.c). */
#ifndef NIANBAO_SRC_CLI_PDF_H
#define NIANBAO_SRC_CLI_PDF_H

#include "cli.h"

#include <stddef.h>

/* One document: its DOCX bytes (or, with 'data' NULL, the DOCX file
 * 'path') and the PDF to write. */
typedef struct pdf_doc {
    const void *data;
    size_t len;
    const char *path;
    const char *out;
} pdf_doc;

/* The soffice to run (NIANBAO_SOFFICE, else soffice or libreoffice on
 * $PATH) into 'buf'; false when there is none. */
bool pdf_find_soffice(char *buf, size_t size);

/* Convert every document in one LibreOffice process; each PDF is written
 * atomically. PDF/A-2b with every font embedded, or plain PDF. An exit
 * status: EXIT_RUN (said why) when LibreOffice is missing or a document
 * was not converted. */
int pdf_convert(const pdf_doc *docs, size_t n, bool plain, nb_diag_list *dl);

#endif /* NIANBAO_SRC_CLI_PDF_H */
