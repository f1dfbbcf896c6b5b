/* read_xlsx.c: an Excel, WPS or LibreOffice workbook (.xlsx, ECMA-376
 * SpreadsheetML) -> the rows of its forms -> report model.
 *
 * A workbook is a form set with one sheet per form (基本信息/meta,
 * 正文/narrative, 指标/metrics). Its parts are found through the
 * relationships (_rels/.rels -> xl/workbook.xml -> its .rels), the small
 * ones (relationships, workbook, styles) parsed as DOM by xml_io.c here;
 * the shared strings and the sheets are streamed straight out of the zip
 * by xlsx_sheet.c, so memory holds the shared-string table and one row.
 * Each sheet's rows go to the form reader (form.c) as a CSV form's do,
 * and the form set is then built as from CSV (read_forms.c). The zip is
 * read from the file as it is unpacked, not loaded whole.
 *
 * Styles decide what a number is: the percent and date formats of each
 * cell style (cellXfs) are found here. Limits: the input file, entries
 * and part size of the zip limits, the shared-string table (strings),
 * each sheet unpacked (sheet), a cell (cell) and the columns of a row
 * (cells).
 */
#include "model.h"
#include "xlsx.h"
#include "xml_io.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#define SSML_NS "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
#define REL_NS                                                                 \
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


/* ==== Parts of the package ==== */

long xlsx_part_index(const book *b, const char *part)
{
    return nb_zip_find(b->za, part);
}

nb_status xlsx_part_size(uint64_t *out, book *b, long i, const char *part,
                         size_t max, nb_code code)
{
    const nb_zip_dirent *e = nb_zip_at(b->za, (size_t)i);
    nb_loc loc = xlsx_part_at(b, part);

    if (e->usize > max) {
        nb_diag_add(b->dl, code, &loc,
                    _("the part is %llu bytes unpacked, more than the limit "
                      "of %zu"),
                    (unsigned long long)e->usize, max);
        return NB_ERR_LIMIT;
    }
    *out = e->usize;
    return NB_OK;
}

/* A small part read whole (relationships, workbook, styles), within the
 * part limit. *out NULL and NB_OK when it is absent. */
static nb_status part_read(char **out, size_t *len_out, book *b,
                           const char *part)
{
    long i = xlsx_part_index(b, part);
    uint64_t size = 0;
    nb_status st;

    *out = NULL;
    *len_out = 0;
    if (i < 0)
        return NB_OK;
    st = xlsx_part_size(&size, b, i, part, b->lim.max_part_bytes, NB_LIMIT_ZIP);
    if (st != NB_OK)
        return st;
    return nb_zip_extract(b->za, (size_t)i, (unsigned char **)out, len_out,
                          NULL);
}

/* A small part as DOM; *out NULL and NB_OK when it is absent. */
static nb_status part_dom(xmlDocPtr *out, book *b, const char *part)
{
    char *data = NULL;
    size_t len = 0;
    nb_status st = part_read(&data, &len, b, part);

    *out = NULL;
    if (st == NB_OK && data != NULL)
        st = nb_xml_parse(out, data, len, b->name, part, NB_XLSX_MALFORMED,
                          b->lim.xml_huge, &b->lim, b->dl);
    free(data);
    return st;
}

static xmlNode *child(xmlNode *n, const char *name)
{
    for (n = n != NULL ? n->children : NULL; n != NULL; n = n->next)
        if (n->type == XML_ELEMENT_NODE &&
            strcmp((const char *)n->name, name) == 0)
            return n;
    return NULL;
}

/* ==== Relationships ==== */

/* "xl/" for "xl/workbook.xml". */
static size_t dir_len(const char *part)
{
    const char *slash = strrchr(part, '/');

    return slash != NULL ? (size_t)(slash - part) + 1 : 0;
}

/* A relationship's target as a part name: absolute ("/xl/x.xml") or
 * relative to the source's folder, with "." and ".." resolved; NULL when
 * it leaves the package. Caller frees. */
static char *resolve(const char *source, const char *target)
{
    size_t n = target[0] == '/' ? 0 : dir_len(source);
    size_t len = n + strlen(target) + 1;
    char *out = malloc(len);
    char *w;
    const char *p;

    if (out == NULL)
        return NULL;
    memcpy(out, source, n);
    w = out + n;
    for (p = target; *p != '\0';) {
        const char *end = strchr(p, '/');
        size_t seg = end != NULL ? (size_t)(end - p) : strlen(p);

        if (seg == 2 && p[0] == '.' && p[1] == '.') {
            if (w == out) {
                free(out);
                return NULL;
            }
            w--; /* back over the '/' */
            while (w > out && w[-1] != '/')
                w--;
        } else if (seg > 0 && !(seg == 1 && p[0] == '.')) {
            memcpy(w, p, seg);
            w += seg;
            if (end != NULL)
                *w++ = '/';
        }
        p += seg + (end != NULL);
    }
    *w = '\0';
    return out;
}

/* The relationships of 'source' ("xl/workbook.xml" ->
 * "xl/_rels/workbook.xml.rels"), or NULL when it has none. */
static nb_status rels_of(xmlDocPtr *out, book *b, const char *source)
{
    size_t n = dir_len(source);
    char name[512];

    if ((size_t)snprintf(name, sizeof(name), "%.*s_rels/%s.rels", (int)n,
                         source, source + n) >= sizeof(name)) {
        *out = NULL;
        return NB_OK;
    }
    return part_dom(out, b, name);
}

/* True when the relationship's Type ends in "/kind". */
static bool rel_is(xmlNode *rel, const char *kind)
{
    xmlChar *type = xmlGetProp(rel, (const xmlChar *)"Type");
    size_t n = type != NULL ? strlen((const char *)type) : 0;
    size_t k = strlen(kind);
    bool is = n > k && type[n - k - 1] == '/' &&
              strcmp((const char *)type + n - k, kind) == 0;

    xmlFree(type);
    return is;
}

/* The target of the first relationship of 'rels' whose Id is 'id' (or,
 * with id NULL, whose type is 'kind'), resolved against 'source'. */
static char *rel_target(xmlDocPtr rels, const char *source, const char *id,
                        const char *kind)
{
    xmlNode *n;

    for (n = rels != NULL ? xmlDocGetRootElement(rels)->children : NULL;
         n != NULL; n = n->next) {
        xmlChar *v;
        char *out = NULL;
        bool match;

        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (id != NULL) {
            v = xmlGetProp(n, (const xmlChar *)"Id");
            match = v != NULL && strcmp((const char *)v, id) == 0;
            xmlFree(v);
        } else {
            match = kind != NULL && rel_is(n, kind);
        }
        if (!match)
            continue;
        v = xmlGetProp(n, (const xmlChar *)"Target");
        if (v != NULL)
            out = resolve(source, (const char *)v);
        xmlFree(v);
        return out;
    }
    return NULL;
}

/* A relationship that points outside the package (an external link). */
static const xmlNode *external_rel(xmlDocPtr rels)
{
    xmlNode *n;

    for (n = rels != NULL ? xmlDocGetRootElement(rels)->children : NULL;
         n != NULL; n = n->next) {
        if (n->type == XML_ELEMENT_NODE &&
            (nb_xml_token_is(n, "TargetMode", "External") &&
             (rel_is(n, "externalLink") || rel_is(n, "externalLinkPath"))))
            return n;
        if (n->type == XML_ELEMENT_NODE && rel_is(n, "externalLink"))
            return n;
    }
    return NULL;
}

/* ==== Styles: which numbers are percents and dates ==== */

/* What a number format code shows: a % outside quotes makes a percent;
 * y, m, d, h or s outside quotes and [colour] brackets a date. */
static numkind classify_code(const char *code)
{
    bool date = false;
    const char *p;

    for (p = code; *p != '\0'; p++) {
        switch (*p) {
        case '"':
            p = strchr(p + 1, '"');
            if (p == NULL)
                return date ? K_DATE : K_NUMBER;
            break;
        case '\\':
        case '_':
        case '*':
            if (p[1] != '\0')
                p++;
            break;
        case '[':
            /* [Red], [$-804]: not digits; [h] [mm] [ss]: elapsed time */
            if (strchr("hHmMsS", p[1]) != NULL)
                date = true;
            p = strchr(p, ']');
            if (p == NULL)
                return date ? K_DATE : K_NUMBER;
            break;
        case '%':
            return K_PERCENT;
        default:
            if (strchr("yYmMdDhHsS", *p) != NULL)
                date = true;
            /* "General" holds none of these letters; "@" is text */
        }
    }
    return date ? K_DATE : K_NUMBER;
}

/* Built-in formats (ECMA-376 18.8.30), with the ones Chinese Excel adds
 * (27-36, 50-58: dates in 年 月 日). */
static numkind builtin_kind(long id)
{
    if (id == 9 || id == 10)
        return K_PERCENT;
    if ((id >= 14 && id <= 22) || (id >= 27 && id <= 36) ||
        (id >= 45 && id <= 47) || (id >= 50 && id <= 58))
        return K_DATE;
    return K_NUMBER;
}

static numkind format_kind(xmlNode *fmts, long id)
{
    xmlNode *n;

    for (n = fmts != NULL ? fmts->children : NULL; n != NULL; n = n->next) {
        xmlChar *v;
        xmlChar *code;
        numkind k;

        if (!nb_xml_is(n, NULL, "numFmt"))
            continue;
        v = xmlGetProp(n, (const xmlChar *)"numFmtId");
        if (v == NULL || strtol((const char *)v, NULL, 10) != id) {
            xmlFree(v);
            continue;
        }
        xmlFree(v);
        code = xmlGetProp(n, (const xmlChar *)"formatCode");
        k = code != NULL ? classify_code((const char *)code) : K_NUMBER;
        xmlFree(code);
        return k;
    }
    return builtin_kind(id);
}

static nb_status read_styles(book *b, const char *part)
{
    xmlDocPtr doc = NULL;
    xmlNode *root;
    xmlNode *xfs;
    xmlNode *fmts;
    xmlNode *n;
    size_t i = 0;
    nb_status st = part_dom(&doc, b, part);

    if (st != NB_OK || doc == NULL)
        return st;
    root = xmlDocGetRootElement(doc);
    xfs = child(root, "cellXfs");
    fmts = child(root, "numFmts");
    for (n = xfs != NULL ? xfs->children : NULL; n != NULL; n = n->next)
        b->n_xf += nb_xml_is(n, NULL, "xf");
    b->xf = calloc(b->n_xf + 1, 1);
    if (b->xf == NULL) {
        xmlFreeDoc(doc);
        return nb_diag_nomem(b->dl, b->name);
    }
    for (n = xfs != NULL ? xfs->children : NULL; n != NULL; n = n->next) {
        xmlChar *v;

        if (!nb_xml_is(n, NULL, "xf"))
            continue;
        v = xmlGetProp(n, (const xmlChar *)"numFmtId");
        b->xf[i++] = (unsigned char)(v != NULL ? format_kind(
                                                     fmts, strtol((const char *)v,
                                                                  NULL, 10))
                                               : K_NUMBER);
        xmlFree(v);
    }
    xmlFreeDoc(doc);
    return NB_OK;
}

/* ==== The workbook ==== */

static void book_fini(book *b)
{
    size_t i;

    for (i = 0; i < b->n_sheets; i++) {
        free(b->sheets[i].name);
        free(b->sheets[i].part);
        free(b->sheets[i].path);
    }
    nb_buf_fini(&b->sst);
    free(b->sst_off);
    free(b->xf);
    nb_zip_close(b->za);
    if (b->fd >= 0)
        close(b->fd);
}

static nb_status book_open(book *b, const char *data, size_t len)
{
    nb_zip_source src = {data, len, b->fd, b->fd_size, b->name,
                         NB_ZIP_NAMES_GUESS, NB_XLSX_NOT_WORKBOOK,
                         _("not a workbook: the file is not a zip archive, "
                           "or a damaged one")};
    nb_loc loc = {b->name, 0, 0, NULL};
    nb_status st;
    size_t i;

    if (b->fd >= 0)
        src.data = NULL;
    st = nb_zip_open(&b->za, &src, &b->lim, b->dl);
    if (st != NB_OK)
        return st;
    for (i = 0; i < nb_zip_count(b->za); i++) {
        if (nb_has_suffix(nb_zip_at(b->za, i)->name, "vbaProject.bin")) {
            nb_diag_add(b->dl, NB_XLSX_MACROS, &loc, "%s",
                        _("the workbook holds macros (a VBA project); "
                          "nianbao never reads them: save it as an Excel "
                          "Workbook (.xlsx)"));
            return NB_ERR_FORMAT;
        }
    }
    return NB_OK;
}

/* The sheet's form by its name: 基本信息 or meta, 正文 or narrative, 指标
 * or metrics (any case). */
static int form_of_sheet(const char *name)
{
    char file[300];

    if ((size_t)snprintf(file, sizeof(file), "%s.csv", name) >= sizeof(file))
        return -1;
    return nb_form_by_filename(file);
}

static nb_status add_sheet(book *b, xmlNode *n, xmlDocPtr rels,
                           const char *wb_part)
{
    xmlChar *name = xmlGetProp(n, (const xmlChar *)"name");
    xmlChar *id = xmlGetNsProp(n, (const xmlChar *)"id", (const xmlChar *)REL_NS);
    sheet *sh = &b->sheets[b->n_sheets];
    nb_status st = NB_OK;

    memset(sh, 0, sizeof(*sh));
    if (name != NULL && id != NULL) {
        sh->b = b;
        sh->name = strdup((const char *)name);
        sh->part = rel_target(rels, wb_part, (const char *)id, NULL);
        sh->path = nb_path_join(b->name, (const char *)name);
        sh->form = form_of_sheet((const char *)name);
        if (sh->name == NULL || sh->path == NULL)
            st = nb_diag_nomem(b->dl, b->name);
        b->n_sheets++; /* freed with the book, even when incomplete */
    }
    xmlFree(name);
    xmlFree(id);
    return st;
}

static nb_status read_workbook(book *b, const char *wb_part)
{
    xmlDocPtr doc = NULL;
    xmlDocPtr rels = NULL;
    xmlNode *root;
    xmlNode *n;
    nb_loc loc = xlsx_part_at(b, wb_part);
    nb_status st = part_dom(&doc, b, wb_part);
    char *part = NULL;

    if (st == NB_OK && doc == NULL) {
        nb_diag_add(b->dl, NB_XLSX_NOT_WORKBOOK, &loc, "%s",
                    _("not a workbook: the zip has no workbook part (is it a "
                      "Word document, or a zipped folder?)"));
        st = NB_ERR_FORMAT;
    }
    if (st == NB_OK)
        st = rels_of(&rels, b, wb_part);
    if (st != NB_OK)
        goto done;
    root = xmlDocGetRootElement(doc);
    n = child(root, "workbookPr");
    b->date1904 = n != NULL && (nb_xml_token_is(n, "date1904", "1") ||
                                nb_xml_token_is(n, "date1904", "true"));
    if (child(root, "externalReferences") != NULL || external_rel(rels)) {
        nb_diag_add(b->dl, NB_XLSX_EXTERNAL_LINK, &loc, "%s",
                    _("the workbook takes values from another workbook (an "
                      "external link), which nianbao does not read: copy the "
                      "cells, paste them as values (选择性粘贴 → 数值), and "
                      "save again"));
        st = NB_ERR_FORMAT;
        goto done;
    }
    for (n = child(child(root, "sheets"), "sheet"); n != NULL && st == NB_OK;
         n = n->next)
        if (nb_xml_is(n, NULL, "sheet") && b->n_sheets < MAX_SHEETS)
            st = add_sheet(b, n, rels, wb_part);
    part = rel_target(rels, wb_part, NULL, "sharedStrings");
    if (st == NB_OK && part != NULL && xlsx_part_index(b, part) >= 0)
        st = xlsx_read_sst(b, part);
    free(part);
    part = rel_target(rels, wb_part, NULL, "styles");
    if (st == NB_OK && part != NULL)
        st = read_styles(b, part);
done:
    free(part);
    xmlFreeDoc(rels);
    xmlFreeDoc(doc);
    return st;
}

static nb_status book_read(book *b, const char *data, size_t len)
{
    xmlDocPtr rels = NULL;
    char *wb = NULL;
    nb_xml_scope scope;
    nb_xml_sink sink = {b->dl, b->name, NULL, NB_XLSX_MALFORMED, 0, false};
    nb_status st;

    nb_xml_scope_begin(&scope, &sink);
    st = book_open(b, data, len);
    if (st == NB_OK)
        st = part_dom(&rels, b, "_rels/.rels");
    if (st == NB_OK) {
        wb = rel_target(rels, "", NULL, "officeDocument");
        if (wb == NULL)
            wb = strdup("xl/workbook.xml");
        st = wb != NULL ? read_workbook(b, wb) : nb_diag_nomem(b->dl, b->name);
    }
    free(wb);
    xmlFreeDoc(rels);
    nb_xml_scope_end(&scope);
    return st;
}

/* ==== The workbook as a form set ==== */

/* Each form's sheet, or a finding: no form at all, a form twice. */
static void find_forms(book *b, sheet *forms[NB_N_FORMS], size_t *n_out)
{
    nb_loc loc = {b->name, 0, 0, NULL};
    size_t i;

    *n_out = 0;
    memset(forms, 0, NB_N_FORMS * sizeof(forms[0]));
    for (i = 0; i < b->n_sheets; i++) {
        sheet *sh = &b->sheets[i];

        if (sh->form < 0 || sh->part == NULL)
            continue;
        if (forms[sh->form] != NULL) {
            nb_diag_add(b->dl, NB_XLSX_SHEET_TWICE, &loc,
                        _("sheets '%s' and '%s' are the same form; keep "
                          "one"),
                        forms[sh->form]->name, sh->name);
            continue;
        }
        forms[sh->form] = sh;
        (*n_out)++;
    }
}

static nb_csv_opts sheet_opts(const book *b, sheet *sh)
{
    nb_csv_opts o;

    memset(&o, 0, sizeof(o));
    o.max_cell_bytes = b->lim.max_cell_bytes;
    o.max_cells = b->lim.max_row_cells;
    o.rows = xlsx_sheet_rows;
    o.rows_ctx = sh;
    return o;
}

/* A workbook of one form: checked alone, as a CSV form given to
 * validate. */
static nb_status check_one(book *b, sheet *sh, const nb_read_opts *o)
{
    nb_csv_opts co = sheet_opts(b, sh);

    return nb_form_check(sh->path, (nb_form_id)sh->form, &co, o, b->dl);
}

static nb_status read_set(nb_report **out, book *b, sheet *forms[NB_N_FORMS],
                          const nb_read_opts *o)
{
    nb_form_files ff;
    nb_status st = NB_OK;
    int id;

    memset(&ff, 0, sizeof(ff));
    for (id = 0; id < NB_N_FORMS; id++) {
        if (forms[id] == NULL)
            continue;
        ff.path[id] = strdup(forms[id]->path);
        if (ff.path[id] == NULL) {
            st = nb_diag_nomem(b->dl, b->name);
            break;
        }
        ff.rows[id] = xlsx_sheet_rows;
        ff.rows_ctx[id] = forms[id];
    }
    if (st == NB_OK)
        st = nb_form_files_read(out, &ff, b->name, o, b->dl);
    nb_form_files_fini(&ff);
    return st;
}

static void report_missing(book *b, sheet *forms[NB_N_FORMS])
{
    nb_loc loc = {b->name, 0, 0, NULL};

    if (forms[NB_FORM_META] == NULL)
        nb_diag_add(b->dl, NB_XLSX_SHEET_MISSING, &loc, "%s",
                    _("the workbook has no sheet 基本信息 (meta): the report "
                      "needs its issuer and year (nianbao init --xlsx makes "
                      "a blank workbook)"));
    if (forms[NB_FORM_NARRATIVE] == NULL)
        nb_diag_add(b->dl, NB_XLSX_SHEET_MISSING, &loc, "%s",
                    _("the workbook has no sheet 正文 (narrative): the "
                      "report needs its text (nianbao init --xlsx makes a "
                      "blank workbook)"));
}

/* The workbook in 'data' or, when 'fd' is not -1, in the regular file
 * open on fd (fd_size bytes; taken). */
static nb_status read_book(nb_report **out, bool *one_form_out, int fd,
                           uint64_t fd_size, const char *data, size_t len,
                           const char *name, const nb_read_opts *o,
                           nb_diag_list *dl)
{
    book *b = calloc(1, sizeof(*b));
    sheet *forms[NB_N_FORMS];
    size_t n_forms = 0;
    nb_loc loc = {name, 0, 0, NULL};
    nb_status st;

    *out = NULL;
    if (one_form_out != NULL)
        *one_form_out = false;
    if (b == NULL) {
        if (fd >= 0)
            close(fd);
        return nb_diag_nomem(dl, name);
    }
    b->fd = fd;
    b->fd_size = fd_size;
    b->name = name;
    b->dl = dl;
    b->lim = nb_limits_resolve(o != NULL ? o->limits : NULL);
    if (nb_has_suffix(name, ".xlsm")) {
        nb_diag_add(dl, NB_XLSX_MACROS, &loc, "%s",
                    _("a macro-enabled workbook (.xlsm) is not read: save it "
                      "as an Excel Workbook (.xlsx)"));
        st = NB_ERR_FORMAT;
        goto done;
    }
    st = book_read(b, data, len);
    if (st != NB_OK)
        goto done;
    find_forms(b, forms, &n_forms);
    if (n_forms == 0) {
        nb_diag_add(dl, NB_XLSX_NO_FORMS, &loc,
                    _("no sheet is a form (the workbook has %zu sheets): "
                      "name them 基本信息, 正文 and 指标, or meta, narrative "
                      "and metrics"),
                    b->n_sheets);
    } else if (n_forms == 1 && one_form_out != NULL &&
               forms[NB_FORM_META] == NULL &&
               forms[NB_FORM_NARRATIVE] == NULL) {
        *one_form_out = true;
        st = check_one(b, forms[NB_FORM_METRICS], o);
    } else if (n_forms == 1 && one_form_out != NULL) {
        size_t id = forms[NB_FORM_META] != NULL ? NB_FORM_META
                                                : NB_FORM_NARRATIVE;

        *one_form_out = true;
        st = check_one(b, forms[id], o);
    } else if (forms[NB_FORM_META] == NULL ||
               forms[NB_FORM_NARRATIVE] == NULL) {
        report_missing(b, forms);
    } else {
        st = read_set(out, b, forms, o);
    }
done:
    book_fini(b);
    free(b);
    return st;
}

nb_status nb_xlsx_read_memory(nb_report **out, bool *one_form_out,
                              const char *data, size_t len, const char *name,
                              const nb_read_opts *o, nb_diag_list *dl)
{
    return read_book(out, one_form_out, -1, 0, data, len, name, o, dl);
}

/* A regular file within the input limit, open to be read as it is
 * unpacked: memory does not grow with the workbook. -1 for anything else
 * (standard input, a pipe, an error), which is read whole by
 * nb_file_read and reported there. */
static int file_source(const char *path, size_t max, uint64_t *size)
{
    struct stat sb;
    int fd;

    if (strcmp(path, "-") == 0)
        return -1;
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) ||
        (uintmax_t)sb.st_size > (uintmax_t)max) {
        close(fd);
        return -1;
    }
    *size = (uint64_t)sb.st_size;
    return fd;
}

static nb_status read_path(nb_report **out, bool *one_form_out,
                           const char *path, const nb_read_opts *o,
                           nb_diag_list *dl)
{
    nb_limits lim = nb_limits_resolve(o != NULL ? o->limits : NULL);
    uint64_t size = 0;
    int fd;
    char *data = NULL;
    size_t len = 0;
    nb_status st;

    *out = NULL;
    if (one_form_out != NULL)
        *one_form_out = false;
    fd = file_source(path, lim.max_input_bytes, &size);
    if (fd >= 0)
        return read_book(out, one_form_out, fd, size, NULL, 0, path, o, dl);
    st = nb_file_read(&data, &len, path, lim.max_input_bytes, NB_LIMIT_ZIP,
                      dl);
    if (st == NB_OK)
        st = nb_xlsx_read_memory(out, one_form_out, data, len, path, o, dl);
    free(data);
    return st;
}

nb_status nb_xlsx_read_report(nb_report **out, const char *path,
                              const nb_read_opts *o, nb_diag_list *dl)
{
    bool one = false;
    nb_status st = read_path(out, &one, path, o, dl);

    if (st == NB_OK && one) {
        nb_loc loc = {path, 0, 0, NULL};

        nb_diag_add(dl, NB_FORM_NOT_FORM, &loc, "%s",
                    _("the workbook holds one form, not a whole report: a "
                      "report needs the sheets 基本信息 and 正文 (validate "
                      "checks one form on its own)"));
    }
    return st;
}

nb_status nb_workbook_read(nb_report **out, bool *one_form_out,
                           const char *path, const nb_read_opts *opts,
                           nb_diag_list *dl)
{
    bool one = false;
    nb_status st = read_path(out, &one, path, opts, dl);

    if (one_form_out != NULL)
        *one_form_out = one;
    return st;
}
