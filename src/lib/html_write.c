/* html_write.c: the report as a web page, from an HTML template
 * (tmpl_html.c) merged with the report's view (view.c) by the template
 * engine (tmpl_eval.c); the page whole or its <article> element alone;
 * and the names of the output formats.
 */
#include "tmpl.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

extern const unsigned char nb_standard_html[];
extern const size_t nb_standard_html_len;

const char *nb_template_standard_html(size_t *len_out)
{
    *len_out = nb_standard_html_len;
    return (const char *)nb_standard_html;
}

nb_status nb_template_check_standard(nb_template **out, nb_format f,
                                     const nb_template_check_opts *opts,
                                     nb_diag_list *dl)
{
    if (f != NB_FORMAT_HTML)
        return nb_template_check(out, NULL, opts, dl);
    return nb_template_check_memory(out, nb_standard_html,
                                    nb_standard_html_len, "standard.html",
                                    opts, dl);
}

/* ==== Formats ==== */

static const struct {
    const char *name;
    const char *ext; /* with its dot */
    nb_format f;
} formats[] = {
    {"docx", ".docx", NB_FORMAT_DOCX}, {"html", ".html", NB_FORMAT_HTML},
    {"html", ".htm", NB_FORMAT_HTML},  {"txt", ".txt", NB_FORMAT_TEXT},
    {"text", NULL, NB_FORMAT_TEXT},    {"pdf", ".pdf", NB_FORMAT_PDF}};

#define N_FORMATS (sizeof(formats) / sizeof(formats[0]))

bool nb_format_of_path(nb_format *out, const char *path)
{
    size_t len = path != NULL ? strlen(path) : 0;
    size_t i;

    for (i = 0; i < N_FORMATS; i++) {
        const char *e = formats[i].ext;
        size_t n = e != NULL ? strlen(e) : 0;

        if (e != NULL && len > n && strcasecmp(path + len - n, e) == 0) {
            *out = formats[i].f;
            return true;
        }
    }
    return false;
}

bool nb_format_lookup(nb_format *out, const char *name)
{
    size_t i;

    for (i = 0; name != NULL && i < N_FORMATS; i++)
        if (strcmp(name, formats[i].name) == 0) {
            *out = formats[i].f;
            return true;
        }
    return false;
}

const char *nb_format_name(nb_format f)
{
    size_t i;

    for (i = 0; i < N_FORMATS; i++)
        if (formats[i].f == f)
            return formats[i].name;
    return "?";
}

/* ==== Writing ==== */

/* The first 'tag' ("<article", a whole tag name) in s[from..len); len if
 * none. The
 * search is on the merged page, where every value is escaped: only the
 * template can have written a '<'. */
static size_t find_tag(const char *s, size_t len, size_t from, const char *tag)
{
    size_t n = strlen(tag);
    size_t i;

    for (i = from; i + n < len; i++)
        if (s[i] == '<' && strncasecmp(s + i + 1, tag + 1, n - 1) == 0 &&
            strchr(" \t\r\n>/", s[i + n]) != NULL)
            return i;
    return len;
}

/* Keep the template's <article> element: from its start tag to the end of
 * the last </article> (articles may nest). */
static bool cut_article(char *s, size_t *len)
{
    size_t a = find_tag(s, *len, 0, "<article");
    size_t b = *len;
    size_t k = a;
    size_t end;

    if (a == *len)
        return false;
    while ((k = find_tag(s, *len, k + 1, "</article")) < *len)
        b = k;
    if (b == *len)
        return false;
    end = b + strlen("</article");
    while (end < *len && s[end] != '>')
        end++;
    if (end == *len)
        return false;
    end++;
    memmove(s, s + a, end - a);
    *len = end - a;
    s[*len] = '\n';
    (*len)++;
    return true;
}

nb_status nb_html_render(void **out, size_t *len_out, const nb_template *t,
                         const nb_value *root, const char *name,
                         bool fragment, nb_diag_list *dl)
{
    return nb_html_render_dirs(out, len_out, t, root, name, fragment, NULL,
                               dl);
}

nb_status nb_html_render_dirs(void **out, size_t *len_out,
                              const nb_template *t, const nb_value *root,
                              const char *name, bool fragment,
                              const struct nb_data_dirs *dirs,
                              nb_diag_list *dl)
{
    const nb_tpart *p = &t->parts[0];
    nb_buf b;
    nb_status st;
    char *s;
    size_t len;

    *out = NULL;
    *len_out = 0;
    nb_buf_init(&b, t->limits.max_output_bytes);
    if (p->merged)
        st = nb_tmpl_eval_part_dirs(&b, t, p, root, name, dirs, dl);
    else
        st = nb_buf_add(&b, p->raw, p->raw_len);
    /* room for the newline after a fragment */
    if (st == NB_OK)
        st = nb_buf_add(&b, "\n", 1);
    if (st == NB_ERR_NOMEM)
        nb_diag_nomem(dl, name);
    if (st != NB_OK) {
        nb_buf_fini(&b);
        return st;
    }
    b.len--;
    s = nb_buf_steal(&b, &len);
    if (s == NULL)
        return nb_diag_nomem(dl, name);
    if (fragment && !cut_article(s, &len)) {
        nb_loc loc = {t->file, 0, 0, NULL};

        nb_diag_add(dl, NB_RENDER_NO_ARTICLE, &loc, "%s",
                    _("the template has no <article> element: a fragment "
                      "is its article"));
        nb_free(s);
        return NB_ERR_FORMAT;
    }
    *out = s;
    *len_out = len;
    return NB_OK;
}
