/* import_txt.c: pasted text, one paragraph a line, UTF-8 (with or without
 * a BOM) or else GB18030 (GBK), as Notepad saves it on Chinese Windows. */
#include "import.h"

#include <stdlib.h>
#include <string.h>

/* Each line of s[0..len) a paragraph; the line number is its place. */
static void lines(nb_idoc *d, const char *s, size_t len)
{
    uint32_t line = 1;
    size_t i = 0;

    while (i < len && !d->oom) {
        const char *nl = memchr(s + i, '\n', len - i);
        size_t end = nl != NULL ? (size_t)(nl - s) : len;

        nb_idoc_add(d, s + i, end - i, line, 0, false);
        i = end + 1;
        line++;
    }
}

/* True when s[0..len) holds a byte no text has: NUL or a C0 control but
 * TAB, LF, CR, FF. */
static bool binary(const char *s, size_t len, size_t *at)
{
    size_t i;

    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];

        if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') {
            *at = i;
            return true;
        }
    }
    return false;
}

nb_status nb_import_txt(nb_idoc *d, const char *data, size_t len,
                        nb_diag_list *dl)
{
    nb_loc loc = {d->r->file, 0, 0, NULL};
    char *conv = NULL;
    size_t bad;
    nb_status st;

    if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0) {
        data += 3;
        len -= 3;
    }
    if (!nb_utf8_valid(data, len, &bad)) {
        st = nb_gb18030_dup(&conv, data, len);
        if (st == NB_ERR_NOMEM)
            return nb_diag_nomem(dl, d->r->file);
        if (st != NB_OK) {
            loc.line = 1;
            for (size_t i = 0; i < bad; i++)
                loc.line += data[i] == '\n';
            nb_diag_add(dl, NB_IMPORT_ENCODING, &loc,
                        _("byte %zu is neither UTF-8 nor GB18030: save the "
                          "text as UTF-8"),
                        bad + 1);
            return NB_ERR_FORMAT;
        }
        data = conv;
        len = strlen(conv);
    }
    if (binary(data, len, &bad)) {
        nb_diag_add(dl, NB_IMPORT_UNREADABLE, &loc,
                    _("byte %zu is a control character: this is not a text "
                      "file"),
                    bad + 1);
        free(conv);
        return NB_ERR_FORMAT;
    }
    lines(d, data, len);
    free(conv);
    return d->oom ? nb_diag_nomem(dl, d->r->file) : NB_OK;
}
