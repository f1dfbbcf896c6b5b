/* tmpl_tag.c: read a template tag, and list it for check-template.
 *
 * Part of the template compiler (tmpl_parse.c drives it). The text between
 * a tag's "{{" and "}}", joined and folded to ASCII first (tmpl_join.c,
 * tmpl_text.c), is read into a tag: a field "path | filter:argument | …",
 * a section "#name continue", "^name" or "/name", or a comment "!…".
 * Filters and their arguments are looked up in tmpl_filter.c's table;
 * their punctuation may be full-width and their text in typographic
 * quotes, as Word and Chinese input methods type them. Every tag met,
 * valid or not, is also added to the template's list of tags
 * (nianbao check-template, tmpl_check.c).
 */
#include "picture.h"
#include "tmpl_compile.h"

#include <stdlib.h>
#include <string.h>

/* ==== Tags ==== */

/* Tag syntax errors: reported once, when the paragraph is first read. */
#define tag_report(c, ...)                                                     \
    do {                                                                       \
        if (!(c)->quiet)                                                       \
            nb_tmpl_report((c), __VA_ARGS__);                                  \
    } while (0)

static bool valid_seg_char(char ch)
{
    return !nb_is_blank(ch) && ch != '.' && ch != '|' && ch != '{' &&
           ch != '}' && ch != '#' && ch != '^' && ch != '/' && ch != '!';
}

/* Split a path "a.b.c" (or ".") into segments in the arena. */
static bool parse_path(compiler *c, tag *tg, const char *s, size_t len)
{
    size_t i;
    size_t n = 1;
    size_t k = 0;
    size_t start = 0;

    /* the tag outlives the text it was read from */
    tg->path_text = nb_arena_strndup(c->t->arena, s, len);
    tg->path_len = len;
    tg->path = NULL;
    tg->n_path = 0;
    if (tg->path_text == NULL) {
        c->oom = true;
        return false;
    }
    if (len == 1 && s[0] == '.')
        return true;
    if (len == 0)
        return false;
    for (i = 0; i < len; i++)
        if (s[i] == '.')
            n++;
    tg->path = nb_arena_array(c->t->arena, n, sizeof(char *));
    if (tg->path == NULL) {
        c->oom = true;
        return false;
    }
    for (i = 0; i <= len; i++) {
        if (i < len && s[i] != '.') {
            if (!valid_seg_char(s[i]))
                return false;
            continue;
        }
        if (i == start)
            return false; /* empty segment */
        tg->path[k] = nb_arena_strndup(c->t->arena, s + start, i - start);
        if (tg->path[k] == NULL) {
            c->oom = true;
            return false;
        }
        k++;
        start = i + 1;
    }
    tg->n_path = k;
    return true;
}

/* The bytes of s[0..len) up to the first blank: a section's name, before
 * its options. */
static size_t section_name_len(const char *s, size_t len)
{
    size_t n = 0;

    while (n < len && !nb_is_blank(s[n]))
        n++;
    return n;
}

/* "as NAME" after a section's name (s: what follows "as"): NAME names
 * the element in the section, so that a field of an outer element that an
 * inner one shadows stays reachable ({{#areas as a}}…{{a.title}}). The
 * bytes read. */
static size_t parse_alias(compiler *c, tag *tg, const char *s, size_t len,
                          uint32_t line)
{
    size_t i = 0;
    size_t n;

    while (i < len && nb_is_blank(s[i]))
        i++;
    for (n = 0; i + n < len && !nb_is_blank(s[i + n]); n++)
        if (!valid_seg_char(s[i + n]) || s[i + n] == '@')
            break;
    if (n == 0 || (i + n < len && !nb_is_blank(s[i + n]))) {
        tag_report(c, NB_TMPL_SECTION_OPTION, line,
                   _("'{{#%.*s as …}}': 'as' needs a name for the element, "
                     "such as '{{#%.*s as x}}', then '{{x.name}}'"),
                   (int)tg->path_len, tg->path_text, (int)tg->path_len,
                   tg->path_text);
        return len;
    }
    tg->alias = nb_arena_strndup(c->t->arena, s + i, n);
    if (tg->alias == NULL)
        c->oom = true;
    return i + n;
}

/* The words after a section's name: "continue" on an opening tag. A wrong
 * one is reported, and the tag still opens or closes its section, so that
 * one mistake gives one message. */
static void parse_options(compiler *c, tag *tg, const char *s, size_t len,
                          uint32_t line)
{
    char k = tg->kind == TAG_OPEN ? '#' : tg->kind == TAG_INVERTED ? '^' : '/';

    for (;;) {
        size_t n;

        while (len > 0 && nb_is_blank(*s)) {
            s++;
            len--;
        }
        if (len == 0)
            return;
        for (n = 0; n < len && !nb_is_blank(s[n]); n++)
            ;
        if (n == 2 && memcmp(s, "as", 2) == 0 && tg->kind == TAG_OPEN) {
            n += parse_alias(c, tg, s + n, len - n, line);
        } else if (n == 8 && memcmp(s, "continue", 8) == 0 &&
                   tg->kind == TAG_OPEN) {
            tg->cont = true;
        } else if (n == 2 && memcmp(s, "if", 2) == 0 && tg->kind == TAG_OPEN) {
            tg->once = true;
        } else if (n == 2 && memcmp(s, "if", 2) == 0) {
            tag_report(c, NB_TMPL_SECTION_OPTION, line,
                       _("'{{%c%.*s if}}': only an opening tag '{{#%.*s if}}' "
                         "takes 'if'"),
                       k, (int)tg->path_len, tg->path_text, (int)tg->path_len,
                       tg->path_text);
        } else if (n == 8 && memcmp(s, "continue", 8) == 0) {
            tag_report(c, NB_TMPL_SECTION_OPTION, line,
                       _("'{{%c%.*s continue}}': only an opening tag "
                         "'{{#%.*s continue}}' takes 'continue'"),
                       k, (int)tg->path_len, tg->path_text, (int)tg->path_len,
                       tg->path_text);
        } else {
            tag_report(c, NB_TMPL_SECTION_OPTION, line,
                       _("unknown option '%.*s' in '{{%c%.*s …}}' (known: "
                         "continue, if, as NAME)"),
                       (int)n, s, k, (int)tg->path_len, tg->path_text);
        }
        s += n;
        len -= n;
    }
}

/* ==== Filters in a tag ==== */

/* Word, WPS and Chinese input methods type some of a tag's punctuation
 * full-width, or as typographic quotes (Word's AutoFormat turns "无" into
 * “无” as it is typed): each is read as its ASCII counterpart. */
#define FW_PIPE "\xef\xbd\x9c"    /* ｜ U+FF5C */
#define FW_COLON "\xef\xbc\x9a"   /* ： U+FF1A */
#define IDEO_SPACE "\xe3\x80\x80" /* U+3000, the full-width space */

/* Bytes of 'word' at s[i..len), or 0. */
static size_t at(const char *s, size_t len, size_t i, const char *word)
{
    size_t n = strlen(word);

    return len - i >= n && memcmp(s + i, word, n) == 0 ? n : 0;
}

static size_t pipe_at(const char *s, size_t len, size_t i)
{
    return s[i] == '|' ? 1 : at(s, len, i, FW_PIPE);
}

static size_t colon_at(const char *s, size_t len, size_t i)
{
    return s[i] == ':' ? 1 : at(s, len, i, FW_COLON);
}

static size_t blank_at(const char *s, size_t len, size_t i)
{
    return nb_is_blank(s[i]) ? 1 : at(s, len, i, IDEO_SPACE);
}

static size_t skip_blanks(const char *s, size_t len, size_t i)
{
    while (i < len) {
        size_t n = blank_at(s, len, i);

        if (n == 0)
            break;
        i += n;
    }
    return i;
}

/* s[0..*len) without blanks (and full-width spaces) at its end. */
static void trim_end(const char *s, size_t *len)
{
    for (;;) {
        if (*len > 0 && nb_is_blank(s[*len - 1]))
            (*len)--;
        else if (*len >= 3 && memcmp(s + *len - 3, IDEO_SPACE, 3) == 0)
            *len -= 3;
        else
            return;
    }
}

/* *s[0..*len) without blanks and full-width spaces at either end. */
static void trim_tag(const char **s, size_t *len)
{
    size_t i = skip_blanks(*s, *len, 0);

    *s += i;
    *len -= i;
    trim_end(*s, len);
}

/* A quote that opens a filter's text at s[i..len): its length, and the
 * quote that closes it in *close. */
static size_t quote_at(const char *s, size_t len, size_t i, const char **close)
{
    static const char *const quotes[][2] = {
        {"\"", "\""},
        {"'", "'"},
        {"\xe2\x80\x9c", "\xe2\x80\x9d"}, /* “ ” */
        {"\xe2\x80\x98", "\xe2\x80\x99"}, /* ‘ ’ */
        /* Word's AutoFormat makes a quote typed after a letter or ':' a
         * closing one: default:”无” */
        {"\xe2\x80\x9d", "\xe2\x80\x9d"}, /* ” ” */
        {"\xe2\x80\x99", "\xe2\x80\x99"}, /* ’ ’ */
        {"\xef\xbc\x82", "\xef\xbc\x82"}, /* ＂ ＂ full-width */
        {"\xef\xbc\x87", "\xef\xbc\x87"}, /* ＇ ＇ */
    };
    size_t k;
    size_t n;

    for (k = 0; k < sizeof(quotes) / sizeof(quotes[0]); k++) {
        n = at(s, len, i, quotes[k][0]);
        if (n > 0) {
            *close = quotes[k][1];
            return n;
        }
    }
    return 0;
}

/* "2" (or a full-width "２") as a number of decimals, 0-6; -1 if it is
 * not one. */
static int decimals_of(const char *s, size_t len)
{
    if (len == 1 && s[0] >= '0' && s[0] <= '6')
        return s[0] - '0';
    if (len == 3 && memcmp(s, "\xef\xbc", 2) == 0 &&
        (unsigned char)s[2] >= 0x90 && (unsigned char)s[2] <= 0x96)
        return (unsigned char)s[2] - 0x90;
    return -1;
}

/* The box of a picture filter, "60mm,40mm", "5cm", "*,120pt" (a full-width
 * comma too), into fc->box_w and box_h. */
static bool bind_box(compiler *c, const tag *tg, nb_fcall *fc, bool has_arg,
                     const char *arg, size_t arg_len, uint32_t line)
{
    const char *comma;
    size_t w_len = arg_len;
    size_t skip = 0;

    if (!has_arg)
        return true;
    comma = memchr(arg, ',', arg_len);
    if (comma != NULL) {
        w_len = (size_t)(comma - arg);
        skip = 1;
    } else {
        size_t i;

        for (i = 0; i + 3 <= arg_len; i++)
            if (memcmp(arg + i, "\xef\xbc\x8c", 3) == 0) /* ， */
                break;
        if (i + 3 <= arg_len) {
            w_len = i;
            skip = 3;
        }
    }
    if (nb_pic_length(arg, w_len, &fc->box_w) &&
        (w_len == arg_len ||
         nb_pic_length(arg + w_len + skip, arg_len - w_len - skip,
                       &fc->box_h)) &&
        (fc->box_w > 0 || fc->box_h > 0)) {
        fc->text = nb_arena_strndup(c->t->arena, arg, arg_len);
        fc->text_len = arg_len;
        if (fc->text == NULL)
            c->oom = true;
        return fc->text != NULL;
    }
    tag_report(c, NB_TMPL_PICTURE_ARG, line,
               _("'%.*s' is not a box for a picture: write a width and a "
                 "height, as in '{{logo | picture:60mm,40mm}}', one of them "
                 "('picture:5cm', 'picture:*,120pt'), or none; units mm, cm, "
                 "in, pt, px: '{{%.*s}}'"),
               (int)arg_len, arg, (int)tg->text_len, tg->text);
    return false;
}

/* picture is the last filter, or followed by alt only; alt follows
 * picture. False, reported, when not. */
static bool picture_last(compiler *c, const tag *tg, uint32_t line)
{
    size_t i;
    size_t pic = tg->n_filters;

    for (i = 0; i < tg->n_filters; i++) {
        nb_filter f = tg->filters[i].f;

        if (f == NB_FILTER_PICTURE && pic == tg->n_filters) {
            pic = i;
            continue;
        }
        if (pic == tg->n_filters && f != NB_FILTER_ALT)
            continue;
        if (f == NB_FILTER_ALT && pic != tg->n_filters && i == pic + 1)
            continue;
        tag_report(c, NB_TMPL_PICTURE_PLACE, line,
                   _("'%s' cannot come here in '{{%.*s}}': picture is the "
                     "last filter of a tag, and alt:\"…\" may follow it, "
                     "once: '{{logo | picture:60mm | alt:\"单位标志\"}}'"),
                   nb_filter_name(f), (int)tg->text_len, tg->text);
        return false;
    }
    return true;
}

/* An argument for filter call 'fc' (has_arg: one was written after ':').
 * False, reported, when the filter takes none, needs one, or cannot use
 * this one. */
static bool bind_arg(compiler *c, const tag *tg, nb_fcall *fc, bool has_arg,
                     const char *arg, size_t arg_len, uint32_t line)
{
    const char *name = nb_filter_name(fc->f);
    nb_farg kind = nb_filter_arg(fc->f);
    int t_len = (int)tg->text_len;

    fc->decimals = -1;
    if (kind == NB_FARG_BOX)
        return bind_box(c, tg, fc, has_arg, arg, arg_len, line);
    if (!has_arg && (kind == NB_FARG_NONE || kind == NB_FARG_DECIMALS_OPT))
        return true;
    if (has_arg && kind == NB_FARG_NONE) {
        tag_report(c, NB_TMPL_FILTER_ARG, line,
                   _("filter '%s' takes no argument: '{{%.*s}}'"), name, t_len,
                   tg->text);
        return false;
    }
    if (!has_arg) {
        if (kind == NB_FARG_TEXT)
            tag_report(c, NB_TMPL_FILTER_ARG, line,
                       _("filter '%s' needs the text to show, as in "
                         "'{{x | %s:\"无\"}}': '{{%.*s}}'"),
                       name, name, t_len, tg->text);
        else
            tag_report(c, NB_TMPL_FILTER_ARG, line,
                       _("filter '%s' needs a number of decimals, as in "
                         "'{{x | %s:2}}': '{{%.*s}}'"),
                       name, name, t_len, tg->text);
        return false;
    }
    if (kind == NB_FARG_TEXT) {
        fc->text = nb_arena_strndup(c->t->arena, arg, arg_len);
        fc->text_len = arg_len;
        if (fc->text == NULL)
            c->oom = true;
        return fc->text != NULL;
    }
    fc->decimals = decimals_of(arg, arg_len);
    if (fc->decimals < 0) {
        tag_report(c, NB_TMPL_FILTER_ARG, line,
                   _("'%.*s' is not a number of decimals (0 to 6) for "
                     "filter '%s': '{{%.*s}}'"),
                   (int)arg_len, arg, name, t_len, tg->text);
        return false;
    }
    return true;
}

static void report_unknown_filter(compiler *c, const tag *tg, const char *fs,
                                  size_t flen, uint32_t line)
{
    const char *hint = nb_filter_suggest(fs, flen);

    if (c->quiet)
        return;
    if (hint != NULL) {
        nb_tmpl_report(
            c, NB_TMPL_FILTER_UNKNOWN, line,
            _("unknown filter '%.*s' in '{{%.*s}}': did you mean '%s'?"),
            (int)flen, fs, (int)tg->text_len, tg->text, hint);
        return;
    }
    nb_buf_reset(&c->scratch);
    nb_filter_list(&c->scratch);
    nb_tmpl_report(c, NB_TMPL_FILTER_UNKNOWN, line,
                   _("unknown filter '%.*s' in '{{%.*s}}' (known: %s)"),
                   (int)flen, fs, (int)tg->text_len, tg->text,
                   c->scratch.data != NULL ? c->scratch.data : "");
}

/* The argument that s[i..len) begins with, after a filter's colon: the
 * text between quotes, or the bytes up to the next '|' without blanks at
 * their end, into *arg_out[0..*arg_len_out). Returns the offset after it
 * and the blanks that follow a quote; SIZE_MAX when the quote is not
 * closed. */
static size_t filter_arg(const char **arg_out, size_t *arg_len_out,
                         const char *s, size_t len, size_t i)
{
    const char *close;
    const char *end;
    size_t n;

    i = skip_blanks(s, len, i);
    n = i < len ? quote_at(s, len, i, &close) : 0;
    if (n == 0) {
        *arg_out = s + i;
        while (i < len && pipe_at(s, len, i) == 0)
            i++;
        *arg_len_out = (size_t)(s + i - *arg_out);
        trim_end(*arg_out, arg_len_out);
        return i;
    }
    *arg_out = s + i + n;
    end = strstr(*arg_out, close);
    if (end == NULL || end >= s + len)
        return SIZE_MAX;
    *arg_len_out = (size_t)(end - *arg_out);
    return skip_blanks(s, len, (size_t)(end - s) + strlen(close));
}

/* The filters of a field, s[0..len) being what follows its path: "| cn",
 * "| fixed:2 | thousands", "| default:“无”". False, reported, when one is
 * unknown or its argument is wrong. */
static bool parse_filters(compiler *c, tag *tg, const char *s, size_t len,
                          uint32_t line)
{
    size_t i = pipe_at(s, len, 0);
    int t_len = (int)tg->text_len;

    while (i <= len) {
        size_t name_at;
        size_t name_len;
        const char *arg = NULL;
        size_t arg_len = 0;
        bool has_arg = false;
        size_t n;
        int f;
        nb_fcall *fc;

        i = skip_blanks(s, len, i);
        name_at = i;
        while (i < len && blank_at(s, len, i) == 0 && pipe_at(s, len, i) == 0 &&
               colon_at(s, len, i) == 0)
            i++;
        name_len = i - name_at;
        if (name_len == 0) {
            tag_report(c, NB_TMPL_TAG_SYNTAX, line,
                       _("'|' without a filter after it in '{{%.*s}}'"), t_len,
                       tg->text);
            return false;
        }
        i = skip_blanks(s, len, i);
        n = i < len ? colon_at(s, len, i) : 0;
        if (n > 0) {
            has_arg = true;
            i = filter_arg(&arg, &arg_len, s, len, i + n);
            if (i == SIZE_MAX) {
                tag_report(c, NB_TMPL_FILTER_ARG, line,
                           _("the quote after '%.*s:' is not closed in "
                             "'{{%.*s}}'"),
                           (int)name_len, s + name_at, t_len, tg->text);
                return false;
            }
        }
        if (i < len && pipe_at(s, len, i) == 0) {
            tag_report(c, NB_TMPL_FILTER_ARG, line,
                       _("'%.*s' after filter '%.*s' in '{{%.*s}}' (an "
                         "argument follows a colon: '| fixed:2', and a '|' "
                         "the next filter)"),
                       (int)(len - i), s + i, (int)name_len, s + name_at, t_len,
                       tg->text);
            return false;
        }
        f = nb_filter_lookup(s + name_at, name_len);
        if (f < 0) {
            report_unknown_filter(c, tg, s + name_at, name_len, line);
            return false;
        }
        if (tg->n_filters == MAX_FILTERS) {
            tag_report(c, NB_TMPL_TAG_SYNTAX, line,
                       _("more than %d filters in one tag"), MAX_FILTERS);
            return false;
        }
        fc = &tg->filters[tg->n_filters++];
        memset(fc, 0, sizeof(*fc));
        fc->f = (nb_filter)f;
        if (!bind_arg(c, tg, fc, has_arg, arg, arg_len, line))
            return false;
        if (i == len)
            break;
        i += pipe_at(s, len, i);
    }
    return picture_last(c, tg, line);
}

bool nb_tmpl_parse_tag(compiler *c, tag *tg, const char *s, size_t len,
                       uint32_t line)
{
    size_t plen;
    const char *ps;
    size_t pl;

    memset(tg, 0, sizeof(*tg));
    trim_tag(&s, &len);
    tg->text = s;
    tg->text_len = len;
    if (len == 0) {
        tag_report(c, NB_TMPL_TAG_SYNTAX, line, "%s", _("empty tag '{{}}'"));
        return false;
    }
    switch (s[0]) {
    case '!':
        tg->kind = TAG_COMMENT;
        return true;
    case '#':
        tg->kind = TAG_OPEN;
        break;
    case '^':
        tg->kind = TAG_INVERTED;
        break;
    case '/':
        tg->kind = TAG_CLOSE;
        break;
    default:
        tg->kind = TAG_FIELD;
        break;
    }
    if (tg->kind != TAG_FIELD) {
        size_t name_len;

        s++;
        len--;
        trim_tag(&s, &len);
        name_len = section_name_len(s, len);
        if (!parse_path(c, tg, s, name_len)) {
            if (!c->oom)
                tag_report(c, NB_TMPL_TAG_SYNTAX, line,
                           _("'%.*s' is not a valid section name"), (int)len,
                           s);
            return false;
        }
        parse_options(c, tg, s + name_len, len - name_len, line);
        return true;
    }
    /* a field: path, then filters after '|' */
    for (plen = 0; plen < len && pipe_at(s, len, plen) == 0; plen++)
        ;
    ps = s;
    pl = plen;
    trim_tag(&ps, &pl);
    if (!parse_path(c, tg, ps, pl)) {
        if (!c->oom)
            tag_report(c, NB_TMPL_TAG_SYNTAX, line,
                       _("'{{%.*s}}' is not a valid field"), (int)len, s);
        return false;
    }
    /* the tag's text outlives the paragraph it was read from */
    tg->text = nb_arena_strndup(c->t->arena, s, len);
    if (tg->text == NULL) {
        c->oom = true;
        return false;
    }
    return plen == len ||
           parse_filters(c, tg, tg->text + plen, len - plen, line);
}

/* ==== The list of tags (nianbao check-template) ==== */

#define EXCERPT_SIDE 12 /* characters of text each side of a listed tag */

/* An arena copy of s[0..len), blanks as spaces; NULL (and c->oom) when out
 * of memory. */
static const char *keep_text(compiler *c, const nb_buf *b)
{
    char *s = nb_arena_strndup(c->t->arena, b->data != NULL ? b->data : "",
                               b->data != NULL ? b->len : 0);
    size_t i;

    if (s == NULL || b->st != NB_OK) {
        c->oom = true;
        return NULL;
    }
    for (i = 0; s[i] != '\0'; i++)
        if (nb_is_blank(s[i]))
            s[i] = ' ';
    return s;
}

/* Step over one UTF-8 character of s[0..len) from 'at', back or forth. */
static size_t utf8_step(const char *s, size_t len, size_t at, bool back)
{
    if (back) {
        do
            at--;
        while (at > 0 && ((unsigned char)s[at] & 0xC0) == 0x80);
    } else {
        do
            at++;
        while (at < len && ((unsigned char)s[at] & 0xC0) == 0x80);
    }
    return at;
}

/* The text around the tag at text[a..b). */
static const char *tag_excerpt(compiler *c, const char *text, size_t len,
                               size_t a, size_t b)
{
    size_t from = a;
    size_t to = b;
    size_t k;

    for (k = 0; k < EXCERPT_SIDE && from > 0; k++)
        from = utf8_step(text, len, from, true);
    for (k = 0; k < EXCERPT_SIDE && to < len; k++)
        to = utf8_step(text, len, to, false);
    nb_buf_reset(&c->rec);
    if (from > 0)
        nb_buf_adds(&c->rec, "…");
    nb_buf_add(&c->rec, text + from, to - from);
    if (to < len)
        nb_buf_adds(&c->rec, "…");
    return keep_text(c, &c->rec);
}

/* s[0..len) trimmed, as an arena string. */
static const char *keep_trimmed(compiler *c, const char *s, size_t len)
{
    nb_trim(&s, &len);
    nb_buf_reset(&c->rec);
    nb_buf_add(&c->rec, s, len);
    return keep_text(c, &c->rec);
}

/* The path and filters of a valid tag as the parser read them (a
 * full-width '｜', blanks, a '|' in a quoted argument): "fixed:2|cn". */
static void recorded_parse(compiler *c, nb_template_tag *tg, const tag *parsed)
{
    size_t i;

    tg->path = keep_trimmed(c, parsed->path_text, parsed->path_len);
    tg->once = parsed->once;
    tg->alias = parsed->alias;
    nb_buf_reset(&c->rec);
    for (i = 0; i < parsed->n_filters; i++) {
        if (i > 0)
            nb_buf_addc(&c->rec, '|');
        nb_filter_call_text(&c->rec, &parsed->filters[i]);
    }
    tg->filters = keep_text(c, &c->rec);
}

void nb_tmpl_record_tag(compiler *c, const char *raw, size_t len,
                        const tag *parsed, bool valid, uint32_t line,
                        const char *text, size_t text_len, size_t a, size_t b)
{
    nb_template *t = c->t;
    nb_template_tag tg;
    const char *s = raw;
    size_t n = len;
    const char *bar;

    memset(&tg, 0, sizeof(tg));
    tg.part = c->part->name;
    tg.paragraph = c->paragraph;
    tg.line = line;
    tg.valid = valid;
    nb_trim(&s, &n);
    tg.text = keep_trimmed(c, s, n);
    tg.kind = n == 0      ? NB_TAG_FIELD
              : *s == '#' ? NB_TAG_SECTION
              : *s == '^' ? NB_TAG_INVERTED
              : *s == '/' ? NB_TAG_CLOSE
              : *s == '!' ? NB_TAG_COMMENT
                          : NB_TAG_FIELD;
    if (tg.kind != NB_TAG_FIELD) {
        s++;
        n--;
    }
    bar = tg.kind == NB_TAG_FIELD ? memchr(s, '|', n) : NULL;
    if (tg.kind != NB_TAG_FIELD && tg.kind != NB_TAG_COMMENT) {
        /* a section's name, without its options ("continue") */
        nb_trim(&s, &n);
        n = section_name_len(s, n);
    }
    tg.path = keep_trimmed(c, s,
                           tg.kind == NB_TAG_COMMENT ? 0
                           : bar != NULL             ? (size_t)(bar - s)
                                                     : n);
    nb_buf_reset(&c->rec);
    while (bar != NULL) {
        const char *fs = bar + 1;
        size_t fl;

        bar = memchr(fs, '|', (size_t)(s + n - fs));
        fl = bar != NULL ? (size_t)(bar - fs) : (size_t)(s + n - fs);
        nb_trim(&fs, &fl);
        if (c->rec.len > 0)
            nb_buf_addc(&c->rec, '|');
        nb_buf_add(&c->rec, fs, fl);
    }
    tg.filters = keep_text(c, &c->rec);
    if (valid && tg.kind != NB_TAG_COMMENT)
        recorded_parse(c, &tg, parsed);
    tg.excerpt = tag_excerpt(c, text, text_len, a, b);
    if (c->oom)
        return;
    if (t->n_tags == t->alloc_tags) {
        size_t na = t->alloc_tags == 0 ? 64 : t->alloc_tags * 2;
        nb_template_tag *nv = realloc(t->tags, na * sizeof(*nv));

        if (nv == NULL) {
            c->oom = true;
            return;
        }
        t->tags = nv;
        t->alloc_tags = na;
    }
    t->tags[t->n_tags++] = tg;
}
