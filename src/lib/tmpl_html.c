/* tmpl_html.c: HTML templates: text with {{tags}}, compiled into the same
 * nodes as a .docx template's parts and evaluated by the same engine
 * (tmpl_eval.c) over the same report view (view.c).
 *
 * An HTML template is not parsed as HTML: HTML5 is not XML, and an office
 * restyling its page should be free to write any markup. The text is read
 * line by line. Tags are those of docs/templates.md, each whole on one
 * line. A line that holds nothing but section tags, comments and blanks
 * is a control line: it leaves nothing behind, not even its newline (as
 * Mustache's standalone tags), so a loop written one tag a line repeats
 * whole lines. Every field is escaped for HTML text and quoted attribute
 * values (& < > " '), so no value can add markup (docs/templates.md,
 * "HTML templates").
 */
#include "tmpl_compile.h"

#include <stdlib.h>
#include <string.h>

/* The part an HTML template's text is compiled into: it names the
 * template's lines in messages ("page.html(html):12"). */
#define HTML_PART "html"

/* Is s[0..len) blanks only (spaces, tabs, CR, LF, U+3000)? */
static bool blank_text(const char *s, size_t len)
{
    size_t i = 0;

    while (i < len) {
        size_t n = nb_tmpl_space_at(s, len, i);

        if (n == 0 && s[i] != '\r' && s[i] != '\n')
            return false;
        i += n > 0 ? n : 1;
    }
    return true;
}

/* The tags of one line: where each begins ("{{", or the full-width braces
 * a Chinese input method types), where its text lies, where it ends. */
typedef struct line_tags {
    size_t open[64];
    size_t in[64]; /* its text: in[i] .. out[i] */
    size_t out[64];
    size_t end[64];
    size_t n;
    bool more; /* more tags than kept: the line is not a control line */
} line_tags;

/* Find the tags of s[0..len); report a "{{" not closed on its line. A
 * "}}" alone is text: CSS closes nested rules with it. */
static void find_tags(compiler *c, line_tags *lt, const char *s, size_t len,
                      uint32_t line)
{
    size_t pos = 0;

    lt->n = 0;
    lt->more = false;
    for (;;) {
        size_t w_open;
        size_t w_close;
        size_t o = nb_tmpl_find_delim(s, len, pos, false, &w_open);
        size_t e;

        if (o == len)
            return;
        e = nb_tmpl_find_delim(s, len, o + w_open, true, &w_close);
        if (e == len) {
            nb_tmpl_report(c, NB_TMPL_TAG_UNCLOSED, line, "%s",
                           _("'{{' has no matching '}}' on its line"));
            return;
        }
        if (lt->n == sizeof(lt->open) / sizeof(lt->open[0])) {
            lt->more = true;
            return;
        }
        lt->open[lt->n] = o;
        lt->in[lt->n] = o + w_open;
        lt->out[lt->n] = e;
        lt->end[lt->n++] = e + w_close;
        pos = e + w_close;
    }
}

/* Does the line hold section tags or comments only, and blanks? */
static bool control_line(compiler *c, const line_tags *lt, const char *s,
                         size_t len)
{
    size_t from = 0;
    size_t i;

    if (lt->n == 0 || lt->more)
        return false;
    for (i = 0; i < lt->n; i++) {
        const char *t;

        nb_buf_reset(&c->fold);
        nb_tmpl_fold_tag(&c->fold, s + lt->in[i], lt->out[i] - lt->in[i]);
        t = c->fold.data != NULL ? c->fold.data : "";
        while (*t == ' ')
            t++;
        if (*t == '\0' || strchr("#^/!", *t) == NULL)
            return false;
        if (!blank_text(s + from, lt->open[i] - from))
            return false;
        from = lt->end[i];
    }
    return blank_text(s + from, len - from);
}

/* Compile one line (with its newline, if any), 64 tags at a time. */
static void compile_line(compiler *c, const char *s, size_t len, uint32_t line)
{
    line_tags lt;
    size_t base = 0;

    for (;;) {
        const char *x = s + base;
        size_t n = len - base;
        bool control;
        size_t from = 0;
        size_t i;

        find_tags(c, &lt, x, n, line);
        control = base == 0 && control_line(c, &lt, x, n);
        for (i = 0; i < lt.n; i++) {
            size_t a = lt.open[i];
            size_t b = lt.end[i];
            const char *t;
            tag tg;
            bool ok;

            if (!control)
                nb_tmpl_text_static(c, x + from, a - from);
            nb_buf_reset(&c->fold);
            nb_tmpl_fold_tag(&c->fold, x + lt.in[i], lt.out[i] - lt.in[i]);
            if (c->fold.st != NB_OK) {
                c->oom = true;
                return;
            }
            t = c->fold.data != NULL ? c->fold.data : "";
            ok = nb_tmpl_parse_tag(c, &tg, t, c->fold.len, line);
            nb_tmpl_record_tag(c, t, c->fold.len, &tg, ok, line, x, n, a, b);
            if (ok)
                nb_tmpl_text_tag(c, &tg, line);
            from = b;
        }
        if (!lt.more) {
            if (!control)
                nb_tmpl_text_static(c, x + from, n - from);
            return;
        }
        base += from;
    }
}

/* Compile the template's text into its one part. */
static nb_status compile_html(nb_template *t, nb_tpart *part, nb_diag_list *dl)
{
    compiler c;
    const char *s = (const char *)part->raw;
    size_t len = part->raw_len;
    size_t pos = 0;
    uint32_t line = 1;
    nb_status st = nb_tmpl_text_begin(&c, t, part, dl);

    if (len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
        pos = 3; /* a byte order mark, as Windows editors save UTF-8 */
    while (st == NB_OK && pos < len && !c.oom) {
        const char *nl = memchr(s + pos, '\n', len - pos);
        size_t end = nl != NULL ? (size_t)(nl - s) + 1 : len;

        compile_line(&c, s + pos, end - pos, line++);
        pos = end;
    }
    return nb_tmpl_text_end(&c) == NB_OK ? st : NB_ERR_NOMEM;
}

/* The bytes must be UTF-8 text: no NUL, every sequence whole. */
static bool check_text(const nb_template *t, const char *s, size_t len,
                       nb_diag_list *dl)
{
    size_t bad = 0;
    nb_loc loc = {t->file, 0, 0, NULL};

    if (memchr(s, '\0', len) != NULL || !nb_utf8_valid(s, len, &bad)) {
        nb_diag_add(dl, NB_TMPL_HTML_ENCODING, &loc,
                    _("not UTF-8 text (byte %zu); save the template as "
                      "UTF-8"),
                    bad + 1);
        return false;
    }
    return true;
}

bool nb_tmpl_is_html(const void *data, size_t len)
{
    const unsigned char *s = data;
    size_t i = 0;

    if (len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
        i = 3;
    while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' ||
                       s[i] == '\n'))
        i++;
    return i < len && s[i] == '<';
}

nb_status nb_tmpl_html_load(nb_template **out, const void *data, size_t len,
                            const char *name, const nb_limits *limits,
                            bool keep, nb_diag_list *dl)
{
    size_t errors_before = nb_diag_errors(dl);
    nb_template *t = calloc(1, sizeof(*t));
    nb_tpart *p;
    nb_status st = NB_OK;

    *out = NULL;
    if (t == NULL)
        return nb_diag_nomem(dl, name);
    t->html = true;
    t->limits = nb_limits_resolve(limits);
    t->arena = nb_arena_new();
    if (t->arena == NULL ||
        (t->file = nb_arena_strdup(t->arena, name)) == NULL ||
        (t->parts = nb_arena_array(t->arena, 1, sizeof(*p))) == NULL ||
        (p = t->parts, (p->raw = nb_arena_alloc(t->arena, len + 1)) == NULL)) {
        nb_template_free(t);
        return nb_diag_nomem(dl, name);
    }
    t->n_parts = 1;
    p->name = HTML_PART;
    memcpy((char *)p->raw, data, len);
    p->raw_len = len;
    if (len > t->limits.max_part_bytes) {
        nb_loc loc = {t->file, 0, 0, NULL};

        nb_diag_add(dl, NB_LIMIT_ZIP, &loc,
                    _("template of %zu bytes is larger than the limit of %zu"),
                    len, t->limits.max_part_bytes);
        nb_template_free(t);
        return NB_ERR_LIMIT;
    }
    if (check_text(t, (const char *)p->raw, len, dl))
        st = compile_html(t, p, dl);
    if (st != NB_OK) {
        nb_template_free(t);
        return st;
    }
    t->broken = nb_diag_errors(dl) > errors_before;
    t->has_errors = t->broken;
    if (t->broken && !keep) {
        nb_template_free(t);
        return NB_OK;
    }
    *out = t;
    return NB_OK;
}
