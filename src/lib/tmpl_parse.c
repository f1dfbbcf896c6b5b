/* tmpl_parse.c: compile the parts of a DOCX template into node trees.
 *
 * Stage "template parser" of DESIGN.md's pipeline. For each part that can
 * hold tags (document, headers, footers, notes, core and app properties):
 *   1. parse the XML safely (xml_io.c);
 *   2. join tags that Word split over several runs: Word breaks "{{name}}"
 *      into runs when spell checking marks part of it, when an edit session
 *      changes the rsid, or when the font changes halfway, and puts
 *      bookmarks, comment ranges, fields, content controls, hyperlinks and
 *      tracked changes between the pieces. The characters of every tag are
 *      moved into the <w:t> where the tag starts, so the run that starts
 *      the tag gives the value its formatting; deleted text (w:del) and
 *      field codes are not text. Tags typed with a Chinese input method
 *      (full-width braces and spaces) are folded to ASCII (tmpl_text.c). A
 *      tag cut by a paragraph break and a "}}" without its "{{" are
 *      errors;
 *   3. mark paragraphs that hold nothing but section tags: those tags work
 *      on whole paragraphs and the paragraph itself disappears. Inside a
 *      table, a row whose cells hold nothing but section tags works on
 *      whole rows, and so do such paragraphs at the start of a row's first
 *      cell and at the end of its last, and an opening tag that starts the
 *      row's text with the tag that closes it at the end (docxtemplater's
 *      and poi-tl's row loops); such paragraphs whose sections open and
 *      close in one cell work on that cell's paragraphs instead;
 *   4. serialise the DOM, cutting it at tags into static byte runs, fields
 *      and sections (the docxtemplater idea: a section repeats the XML
 *      between its tags, which is balanced when both tags sit at the same
 *      level, checked here). What the render must decide is left as nodes
 *      too: the IDs of repeated content, the w:numId of lists that loops
 *      restart, bookmarks, and whether a cell still ends with a paragraph.
 * Everything found wrong is reported at once, located by part and line.
 * word/numbering.xml is compiled here too, cut where the lists restarted
 * by a render go (nb_tmpl_compile_numbering).
 */
#include "tmpl.h"
#include "xml_io.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#define W_NS "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#define MC_NS "http://schemas.openxmlformats.org/markup-compatibility/2006"
#define EXCERPT 60 /* bytes of paragraph text quoted in a diagnostic */

/* Markers kept in xmlNode._private while a part is compiled. */
static char mark_control;      /* a paragraph of section tags only */
static char mark_cell_control; /* the same inside a table cell */
static char mark_blank;        /* a paragraph without tags or text */
static char mark_lone_field;   /* a paragraph whose text is one field and
                                  blanks: newlines in the value start new
                                  paragraphs */
static char mark_control_row;  /* a table row of section tags only */
static char mark_row_edge;     /* a cell control paragraph whose tags work on
                                  its row: first in the row's first cell or
                                  last in its last cell */
static char mark_loop_table;   /* a table with tags working on its rows */
static char mark_cell_loop;    /* a cell paragraph of section tags whose
                                  sections open and close in its cell: they
                                  work on the cell's paragraphs */
static char mark_loop_cell;    /* a cell holding such paragraphs */

bool nb_tmpl_part_is_merged(const char *name)
{
    size_t len = strlen(name);

    if (strcmp(name, "word/document.xml") == 0 ||
        strcmp(name, "word/footnotes.xml") == 0 ||
        strcmp(name, "word/endnotes.xml") == 0 ||
        strcmp(name, "docProps/core.xml") == 0 ||
        strcmp(name, "docProps/app.xml") == 0)
        return true;
    if (len < 4 || strcmp(name + len - 4, ".xml") != 0)
        return false;
    return strncmp(name, "word/header", 11) == 0 ||
           strncmp(name, "word/footer", 11) == 0;
}

/* ==== Tags ==== */

typedef enum tag_kind {
    TAG_FIELD,
    TAG_OPEN,
    TAG_INVERTED,
    TAG_CLOSE,
    TAG_COMMENT
} tag_kind;

#define MAX_FILTERS 16 /* in one tag */

typedef struct tag {
    tag_kind kind;
    const char *text; /* the trimmed tag between the braces, as written */
    size_t text_len;
    const char *path_text; /* trimmed path, as written */
    size_t path_len;
    const char **path;
    size_t n_path;
    nb_fcall filters[MAX_FILTERS];
    size_t n_filters;
    bool cont; /* {{#name continue}}: lists inside do not restart */
} tag;

typedef struct compiler {
    nb_template *t;
    nb_tpart *part;
    nb_diag_list *dl;
    bool wml; /* a WordprocessingML part */
    size_t n_tags;
    nb_buf stat; /* static bytes not yet flushed into a node */
    nb_buf scratch;
    nb_buf rec; /* the text of the tag being listed */
    nb_buf scratch2;
    nb_buf fold; /* a tag's text, folded (nb_tmpl_fold_tag) */
    struct frame *frames;
    size_t n_frames;
    size_t alloc_frames;
    bool oom;
    bool quiet;           /* tags were checked already: do not report twice */
    uint32_t paragraph;   /* w:p elements met so far in the part */
    bool plain;           /* write attributes as they are, without ID nodes */
    bool numbering;       /* word/numbering.xml: mark where new w:num go */
    unsigned in_fallback; /* inside mc:Fallback (below) */
    size_t first_diag;    /* diagnostics there were before this part's */
    nb_buf msg;           /* a report's message */
    struct open_end {     /* the last paragraph with text, if a tag may
                             begin at its end and go on in the next */
        bool unclosed;    /* its "{{" is never closed */
        bool brace;       /* it ends with one opening brace */
        const xmlNode *story; /* the text box or note it is in, or NULL */
        unsigned in_fallback; /* as c->in_fallback in it */
        uint32_t line;
        nb_buf text; /* its text from the "{{" or the brace on */
    } open;
} compiler;

static void report(compiler *c, nb_code code, uint32_t line, const char *fmt,
                   ...) __attribute__((format(printf, 4, 5)));

/* Has this part reported 'msg' with 'code' already? */
static bool reported(const compiler *c, nb_code code, const char *msg)
{
    size_t i;

    for (i = c->first_diag; i < nb_diag_list_count(c->dl); i++) {
        const nb_diag *d = nb_diag_list_at(c->dl, i);

        if (d->code == code && d->loc.where != NULL &&
            strcmp(d->loc.where, c->part->name) == 0 &&
            strcmp(d->msg, msg) == 0)
            return true;
    }
    return false;
}

/* Word writes a text box twice, as DrawingML in mc:Choice and as VML in
 * mc:Fallback: a problem in the copy is not reported a second time. */
static void report(compiler *c, nb_code code, uint32_t line, const char *fmt,
                   ...)
{
    nb_loc loc = {c->t->file, line, 0, c->part->name};
    va_list ap;

    va_start(ap, fmt);
    if (c->in_fallback == 0) {
        nb_diag_addv(c->dl, code, &loc, fmt, ap);
    } else {
        nb_buf_reset(&c->msg);
        nb_buf_vprintf(&c->msg, fmt, ap);
        if (c->msg.st != NB_OK)
            c->oom = true;
        else if (!reported(c, code, c->msg.data))
            nb_diag_add(c->dl, code, &loc, "%s", c->msg.data);
    }
    va_end(ap);
}

/* Tag syntax errors: reported once, when the paragraph is first read. */
#define tag_report(c, ...)                                                     \
    do {                                                                       \
        if (!(c)->quiet)                                                       \
            report((c), __VA_ARGS__);                                          \
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
        if (n == 8 && memcmp(s, "continue", 8) == 0 && tg->kind == TAG_OPEN) {
            tg->cont = true;
        } else if (n == 8 && memcmp(s, "continue", 8) == 0) {
            tag_report(c, NB_TMPL_SECTION_OPTION, line,
                       _("'{{%c%.*s continue}}': only an opening tag "
                         "'{{#%.*s continue}}' takes 'continue'"),
                       k, (int)tg->path_len, tg->path_text, (int)tg->path_len,
                       tg->path_text);
        } else {
            tag_report(c, NB_TMPL_SECTION_OPTION, line,
                       _("unknown option '%.*s' in '{{%c%.*s …}}' (known: "
                         "continue)"),
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
        report(c, NB_TMPL_FILTER_UNKNOWN, line,
               _("unknown filter '%.*s' in '{{%.*s}}': did you mean '%s'?"),
               (int)flen, fs, (int)tg->text_len, tg->text, hint);
        return;
    }
    nb_buf_reset(&c->scratch);
    nb_filter_list(&c->scratch);
    report(c, NB_TMPL_FILTER_UNKNOWN, line,
           _("unknown filter '%.*s' in '{{%.*s}}' (known: %s)"), (int)flen, fs,
           (int)tg->text_len, tg->text,
           c->scratch.data != NULL ? c->scratch.data : "");
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
            const char *close;

            has_arg = true;
            i = skip_blanks(s, len, i + n);
            n = i < len ? quote_at(s, len, i, &close) : 0;
            if (n > 0) {
                const char *end;

                arg = s + i + n;
                end = strstr(arg, close);
                if (end == NULL || end >= s + len) {
                    tag_report(c, NB_TMPL_FILTER_ARG, line,
                               _("the quote after '%.*s:' is not closed in "
                                 "'{{%.*s}}'"),
                               (int)name_len, s + name_at, t_len, tg->text);
                    return false;
                }
                arg_len = (size_t)(end - arg);
                i = skip_blanks(s, len, (size_t)(end - s) + strlen(close));
            } else {
                arg = s + i;
                while (i < len && pipe_at(s, len, i) == 0)
                    i++;
                arg_len = (size_t)(s + i - arg);
                trim_end(arg, &arg_len);
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
    return true;
}

/* Parse the text between "{{" and "}}". False (and a diagnostic) when it is
 * not a valid tag. */
static bool parse_tag(compiler *c, tag *tg, const char *s, size_t len,
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
    nb_buf_reset(&c->rec);
    for (i = 0; i < parsed->n_filters; i++) {
        if (i > 0)
            nb_buf_addc(&c->rec, '|');
        nb_filter_call_text(&c->rec, &parsed->filters[i]);
    }
    tg->filters = keep_text(c, &c->rec);
}

/* Add the tag raw[0..len) (between its braces), found at text[a..b) of its
 * paragraph, to the template's list, whether it is valid ('parsed', as
 * parse_tag read it) or not. */
static void record_tag(compiler *c, const char *raw, size_t len,
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

/* ==== Joining tags split over runs ==== */

static bool is_w(const xmlNode *n, const char *name)
{
    return nb_xml_is(n, W_NS, name);
}

typedef struct wt_list {
    xmlNode **v;
    size_t n;
    size_t alloc;
} wt_list;

static bool wt_push(wt_list *l, xmlNode *n)
{
    if (l->n == l->alloc) {
        size_t na = l->alloc == 0 ? 16 : l->alloc * 2;
        xmlNode **nv = realloc(l->v, na * sizeof(*nv));

        if (nv == NULL)
            return false;
        l->v = nv;
        l->alloc = na;
    }
    l->v[l->n++] = n;
    return true;
}

/* Elements a paragraph of section tags may hold and still disappear. */
static bool control_ok(const xmlNode *n)
{
    static const char *const ok[] = {"r",
                                     "t",
                                     "proofErr",
                                     "bookmarkStart",
                                     "bookmarkEnd",
                                     "lastRenderedPageBreak",
                                     "br",
                                     "cr",
                                     "tab",
                                     "softHyphen",
                                     "noBreakHyphen",
                                     "smartTag",
                                     "customXml",
                                     "ins",
                                     "del",
                                     "permStart",
                                     "permEnd",
                                     "rPr"};
    size_t i;

    if (n->ns == NULL || strcmp((const char *)n->ns->href, W_NS) != 0)
        return false;
    for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
        if (strcmp((const char *)n->name, ok[i]) == 0)
            return true;
    return false;
}

/* Tracked changes: what a reviewer deleted (w:del, and w:moveFrom, the old
 * place of moved text) is not part of the text, and its tags are not
 * read. */
static bool is_deleted(const xmlNode *n)
{
    return is_w(n, "del") || is_w(n, "moveFrom");
}

/* Collect the <w:t> of paragraph 'p' (not those of paragraphs nested in
 * text boxes, nor deleted ones) and check whether it could vanish as a
 * control paragraph. */
static bool collect_wt(const xmlNode *n, wt_list *l, bool *plain)
{
    xmlNode *c;

    for (c = n->children; c != NULL; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (is_w(c, "p")) {
            *plain = false;
            continue;
        }
        if (is_w(c, "pPr")) {
            const xmlNode *k;

            for (k = c->children; k != NULL; k = k->next)
                if (is_w(k, "sectPr"))
                    *plain = false;
            continue;
        }
        if (is_w(c, "rPr"))
            continue;
        if (!control_ok(c))
            *plain = false;
        if (is_deleted(c))
            continue;
        if (is_w(c, "t")) {
            if (!wt_push(l, c))
                return false;
            continue;
        }
        if (!collect_wt(c, l, plain))
            return false;
    }
    return true;
}

/* Are the tags of text node 'n' read? In WordprocessingML only those of a
 * <w:t> that was not deleted: not field codes (w:instrText), nor deleted
 * text (w:delText). */
static bool is_tag_text(const compiler *c, const xmlNode *n)
{
    const xmlNode *k;

    if (!c->wml)
        return true;
    if (!is_w(n->parent, "t"))
        return false;
    for (k = n->parent; k != NULL && k->type == XML_ELEMENT_NODE;
         k = k->parent) {
        if (is_w(k, "p"))
            break;
        if (is_deleted(k))
            return false;
    }
    return true;
}

/* Set the text of a <w:t> (or of a text node) to s[0..len). */
static void set_text(xmlNode *t, const char *s, size_t len)
{
    xmlNode *txt;

    if (t->type != XML_ELEMENT_NODE) {
        xmlNodeSetContentLen(t, (const xmlChar *)s, (int)len);
        return;
    }
    xmlFreeNodeList(t->children);
    t->children = NULL;
    t->last = NULL;
    if (len == 0)
        return;
    txt = xmlNewTextLen((const xmlChar *)s, (int)len);
    if (txt != NULL)
        xmlAddChild(t, txt);
}

void nb_tmpl_excerpt(nb_buf *b, const char *s, size_t len)
{
    size_t n = len < EXCERPT ? len : EXCERPT;
    size_t i;

    /* cut on a UTF-8 boundary */
    while (n > 0 && n < len && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--;
    nb_buf_reset(b);
    for (i = 0; i < n; i++) /* a message is one line */
        nb_buf_addc(b, (unsigned char)s[i] < 0x20 ? ' ' : s[i]);
    if (n < len)
        nb_buf_adds(b, "…");
}

/* The last EXCERPT bytes of s[0..len), after "…" when cut. */
static void excerpt_tail(nb_buf *b, const char *s, size_t len)
{
    size_t from = len < EXCERPT ? 0 : len - EXCERPT;

    while (from < len && ((unsigned char)s[from] & 0xC0) == 0x80)
        from++;
    nb_buf_reset(b);
    if (from > 0)
        nb_buf_adds(b, "…");
    for (; from < len; from++) /* a message is one line */
        nb_buf_addc(b, (unsigned char)s[from] < 0x20 ? ' ' : s[from]);
}

/* Is paragraph 'p' inside a table cell (and not in a text box there)? */
static bool in_cell(const xmlNode *p)
{
    const xmlNode *k;

    for (k = p->parent; k != NULL && k->type == XML_ELEMENT_NODE;
         k = k->parent) {
        if (is_w(k, "tc"))
            return true;
        if (is_w(k, "txbxContent") || is_w(k, "body"))
            return false;
    }
    return false;
}

/* Spaces only? Full-width ones count: Chinese text is indented with
 * them. */
static bool all_blank(const char *s, size_t len)
{
    size_t i = 0;
    size_t w;

    while (i < len) {
        w = nb_tmpl_space_at(s, len, i);
        if (w == 0)
            return false;
        i += w;
    }
    return true;
}

/* Mark paragraph 'p', which may vanish ('plain'), by what its text holds:
 * section tags and blanks only ('control'), or no tag and blanks only. */
static void classify_paragraph(xmlNode *p, bool plain, bool control, bool blank)
{
    if (!plain)
        return;
    if (control) {
        /* a paragraph repeated inside a cell could leave the cell without
         * one: such tags work inside their paragraph, or on the row */
        p->_private = in_cell(p) ? &mark_cell_control : &mark_control;
        return;
    }
    if (blank)
        p->_private = &mark_blank;
}

/* ---- A paragraph's text, byte by byte with the piece it came from ---- */

typedef struct ptext {
    nb_buf text;
    uint32_t *owner; /* text byte i came from piece owner[i] */
    size_t alloc;
} ptext;

static void ptext_init(ptext *t, size_t max)
{
    nb_buf_init(&t->text, max);
    t->owner = NULL;
    t->alloc = 0;
}

static void ptext_fini(ptext *t)
{
    nb_buf_fini(&t->text);
    free(t->owner);
}

/* Append s[0..n), byte i from piece owners[i] or, when 'owners' is NULL,
 * every byte from piece 'one'. Failures stick in t->text.st. */
static void ptext_add(ptext *t, const char *s, size_t n, const uint32_t *owners,
                      uint32_t one)
{
    size_t len = t->text.len;
    size_t i;

    if (nb_buf_add(&t->text, s, n) != NB_OK)
        return;
    if (t->text.len > t->alloc) {
        size_t na = t->alloc == 0 ? 256 : t->alloc;
        uint32_t *nv;

        while (na < t->text.len)
            na *= 2;
        nv = realloc(t->owner, na * sizeof(*nv));
        if (nv == NULL) {
            t->text.st = NB_ERR_NOMEM;
            return;
        }
        t->owner = nv;
        t->alloc = na;
    }
    for (i = 0; i < n; i++)
        t->owner[len + i] = owners != NULL ? owners[i] : one;
}

static nb_status ptext_read(ptext *t, const wt_list *l)
{
    size_t i;

    for (i = 0; i < l->n; i++) {
        xmlChar *s = xmlNodeGetContent(l->v[i]);

        if (s != NULL) {
            ptext_add(t, (const char *)s, strlen((const char *)s), NULL,
                      (uint32_t)i);
            xmlFree(s);
        }
    }
    return t->text.st;
}

/* Give every piece its bytes of 't'. They are in order: a tag moves into
 * the piece it starts in, and the text around it stays in its pieces. */
static void ptext_write(const ptext *t, const wt_list *l)
{
    size_t pos = 0;
    size_t i;

    for (i = 0; i < l->n; i++) {
        size_t end = pos;

        while (end < t->text.len && t->owner[end] == i)
            end++;
        set_text(l->v[i], t->text.data + pos, end - pos);
        pos = end;
    }
    assert(pos == t->text.len);
}

/* ---- Tags cut by a paragraph break, braces without a tag ---- */

/* The text box or note that paragraph 'p' is in; NULL for the body. */
static const xmlNode *story_of(const xmlNode *p)
{
    const xmlNode *k;

    for (k = p->parent; k != NULL && k->type == XML_ELEMENT_NODE; k = k->parent)
        if (is_w(k, "txbxContent") || is_w(k, "footnote") || is_w(k, "endnote"))
            return k;
    return NULL;
}

/* Where the brace that s[0..len) ends with (blanks aside) starts; len if
 * it ends otherwise. */
static size_t ends_with_brace(const char *s, size_t len, bool close)
{
    size_t n = len;

    while (n > 0 && nb_is_blank(s[n - 1]))
        n--;
    if (n > 0 && s[n - 1] == (close ? '}' : '{'))
        return n - 1;
    /* ｝ or ｛ */
    if (n >= 3 &&
        memcmp(s + n - 3, close ? "\xEF\xBD\x9D" : "\xEF\xBD\x9B", 3) == 0)
        return n - 3;
    return len;
}

/* Paragraph 'p' (text s[0..len)) follows one whose end may begin a tag,
 * or the part ends (p NULL): report that tag, as one cut by the paragraph
 * break when 'p' begins with its end. Returns the offset in 's' of the
 * "}}" that ends it, or SIZE_MAX. */
static size_t settle_open_end(compiler *c, const xmlNode *p, const char *s,
                              size_t len)
{
    struct open_end *o = &c->open;
    size_t end = SIZE_MAX; /* where the tag's end ends in 's' */
    size_t closed = SIZE_MAX;
    unsigned in_fallback = c->in_fallback;

    if (!o->unclosed && !o->brace)
        return SIZE_MAX;
    c->in_fallback = o->in_fallback; /* reported as from its paragraph */
    if (p != NULL && story_of(p) == o->story) {
        size_t cw;
        size_t aw;
        size_t f = nb_tmpl_find_delim(s, len, 0, true, &cw);
        size_t a = nb_tmpl_find_delim(s, len, 0, false, &aw);
        size_t k = 0;

        while (k < len && nb_is_blank(s[k]))
            k++;
        if (f < len && f < a) {
            end = f + cw;
            closed = f;
        } else if (o->unclosed && nb_tmpl_is_close_brace(s, len, k) &&
                   ends_with_brace(o->text.data, o->text.len, true) <
                       o->text.len) {
            /* "{{title}" and "}": the break is between the braces */
            end = k + (s[k] == '}' ? 1 : 3);
        }
    }
    if (end != SIZE_MAX) {
        nb_tmpl_excerpt(&c->scratch, o->text.data, o->text.len);
        excerpt_tail(&c->scratch2, s, end);
        report(c, NB_TMPL_TAG_ACROSS_PARAGRAPHS, o->line,
               _("'%s' and '%s' are one tag cut in two by a paragraph "
                 "break (the second part at line %u): a tag must be whole "
                 "inside one paragraph; delete the break inside it"),
               c->scratch.data, c->scratch2.data, nb_xml_line(p));
    } else if (o->unclosed) {
        nb_tmpl_excerpt(&c->scratch, o->text.data, o->text.len);
        report(c, NB_TMPL_TAG_UNCLOSED, o->line,
               _("'{{' without '}}' in this paragraph (a tag must be whole "
                 "inside one paragraph): '%s'"),
               c->scratch.data);
    }
    o->unclosed = false;
    o->brace = false;
    c->in_fallback = in_fallback;
    return closed;
}

/* Remember that the text of paragraph 'p' ends with s[0..len), which
 * opens a tag ('unclosed') or may (a brace). */
static void open_end_set(compiler *c, const xmlNode *p, const char *s,
                         size_t len, bool unclosed)
{
    c->open.unclosed = unclosed;
    c->open.brace = !unclosed;
    c->open.story = story_of(p);
    c->open.in_fallback = c->in_fallback;
    c->open.line = nb_xml_line(p);
    nb_buf_reset(&c->open.text);
    nb_buf_add(&c->open.text, s, len);
    if (c->open.text.st != NB_OK)
        c->oom = true;
}

/* Report each "}}" in s[from..to) but the one at 'closed' (it ends the
 * tag of the paragraph before). */
static void report_stray(compiler *c, const xmlNode *p, const char *s,
                         size_t from, size_t to, size_t closed)
{
    size_t w;
    size_t k;

    for (k = nb_tmpl_find_delim(s, to, from, true, &w); k < to;
         k = nb_tmpl_find_delim(s, to, k + w, true, &w)) {
        if (k == closed)
            continue;
        excerpt_tail(&c->scratch, s, k + w);
        if (c->wml)
            report(c, NB_TMPL_TAG_STRAY_CLOSE, nb_xml_line(p),
                   _("'}}' without '{{' before it in this paragraph: '%s'"),
                   c->scratch.data);
        else
            report(c, NB_TMPL_TAG_STRAY_CLOSE, nb_xml_line(p),
                   _("'}}' without '{{' before it in this property: '%s'"),
                   c->scratch.data);
    }
}

/* A "{{" at s[a] that is not closed before the end, or before the next
 * "{{" ('inner'). At the end of a paragraph, the next paragraph may hold
 * the rest: settle_open_end reports it then. */
static void report_unclosed(compiler *c, const xmlNode *p, const char *s,
                            size_t a, size_t len, bool inner)
{
    if (c->wml && !inner) {
        open_end_set(c, p, s + a, len - a, true);
        return;
    }
    nb_tmpl_excerpt(&c->scratch, s + a, len - a);
    if (c->wml)
        report(c, NB_TMPL_TAG_UNCLOSED, nb_xml_line(p),
               _("'{{' without '}}' in this paragraph (a tag must be whole "
                 "inside one paragraph): '%s'"),
               c->scratch.data);
    else
        report(c, NB_TMPL_TAG_UNCLOSED, nb_xml_line(p),
               _("'{{' without '}}' in this property: '%s'"), c->scratch.data);
}

/* ---- Joining ---- */

typedef struct joined {
    size_t n_tags;
    size_t n_fields;
    size_t n_sections; /* opening and closing tags */
    bool bad;          /* a tag is not closed or not valid */
    bool blank;        /* blanks only between and around the tags */
    bool changed;      /* a tag moved into the piece it starts in, or its
                          characters were folded */
} joined;

/* Join the tags in the text 'in' of paragraph 'p' (or, outside
 * WordprocessingML, of one text node) into 'out': every tag whole in the
 * piece it starts in, its characters folded (nb_tmpl_fold_tag), the text
 * between tags as it was. Its bad tags, stray "}}" and a tag the
 * paragraph before left open are reported. */
static void join_tags(compiler *c, const xmlNode *p, const ptext *in,
                      ptext *out, joined *j)
{
    const char *s = in->text.data;
    size_t len = in->text.len;
    size_t pos = 0;
    size_t closed = c->wml ? settle_open_end(c, p, s, len) : SIZE_MAX;

    memset(j, 0, sizeof(*j));
    j->blank = true;
    for (;;) {
        size_t ow;
        size_t cw;
        size_t aw;
        size_t a = nb_tmpl_find_delim(s, len, pos, false, &ow);
        size_t b;
        size_t again;
        uint32_t who;
        const char *f;
        tag tg;
        bool ok;

        report_stray(c, p, s, pos, a, closed);
        if (!all_blank(s + pos, a - pos))
            j->blank = false;
        ptext_add(out, s + pos, a - pos, in->owner + pos, 0);
        if (a == len)
            break;
        b = nb_tmpl_find_delim(s, len, a + ow, true, &cw);
        again = nb_tmpl_find_delim(s, len, a + ow, false, &aw);
        if (b == len || again < b) {
            report_unclosed(c, p, s, a, len, again < b);
            j->bad = true;
            ptext_add(out, s + a, len - a, in->owner + a, 0);
            return;
        }
        /* all of the tag goes to the piece it starts in */
        who = in->owner[a];
        nb_buf_reset(&c->fold);
        nb_tmpl_fold_tag(&c->fold, s + a + ow, b - a - ow);
        f = c->fold.data != NULL ? c->fold.data : "";
        ptext_add(out, "{{", 2, NULL, who);
        ptext_add(out, f, c->fold.len, NULL, who);
        ptext_add(out, "}}", 2, NULL, who);
        if (in->owner[b + cw - 1] != who || ow != 2 || cw != 2 ||
            c->fold.len != b - a - ow || memcmp(f, s + a + ow, c->fold.len))
            j->changed = true;
        j->n_tags++;
        ok = parse_tag(c, &tg, f, c->fold.len, nb_xml_line(p));
        record_tag(c, f, c->fold.len, &tg, ok, nb_xml_line(p), s, len, a,
                   b + cw);
        if (!ok)
            j->bad = true;
        else if (tg.kind == TAG_FIELD)
            j->n_fields++;
        else if (tg.kind != TAG_COMMENT)
            j->n_sections++;
        pos = b + cw;
    }
    pos = ends_with_brace(s, len, false);
    if (c->wml && pos < len)
        open_end_set(c, p, s + pos, len - pos, false);
}

/* Join the tags of the pieces 'l' of paragraph (or element) 'p'. *blank
 * says whether their text is blanks only. */
static nb_status join_pieces(compiler *c, const xmlNode *p, const wt_list *l,
                             joined *j, bool *blank)
{
    ptext in;
    ptext out;
    nb_status st;

    memset(j, 0, sizeof(*j));
    *blank = true;
    ptext_init(&in, c->t->limits.max_part_bytes);
    ptext_init(&out, c->t->limits.max_part_bytes);
    st = ptext_read(&in, l);
    if (st != NB_OK || in.text.len == 0)
        goto done;
    *blank = all_blank(in.text.data, in.text.len);
    if (!nb_tmpl_has_brace(in.text.data, in.text.len)) {
        if (c->wml)
            settle_open_end(c, p, in.text.data, in.text.len);
        goto done;
    }
    join_tags(c, p, &in, &out, j);
    st = c->oom ? NB_ERR_NOMEM : out.text.st;
    if (st == NB_OK && j->changed)
        ptext_write(&out, l);
done:
    ptext_fini(&in);
    ptext_fini(&out);
    return st;
}

/* Join split tags in one paragraph; mark it when it holds section tags
 * only, or one field only. */
static nb_status normalise_paragraph(compiler *c, xmlNode *p)
{
    wt_list l = {NULL, 0, 0};
    bool plain = true;
    bool blank = true;
    joined j;
    nb_status st = NB_ERR_NOMEM;

    memset(&j, 0, sizeof(j));
    if (collect_wt(p, &l, &plain))
        st = join_pieces(c, p, &l, &j, &blank);
    if (st != NB_OK)
        goto done;
    /* one field and blanks: its value's lines may become paragraphs */
    if (!j.bad && j.blank && j.n_fields == 1 && j.n_sections == 0)
        p->_private = &mark_lone_field;
    classify_paragraph(
        p, plain, j.n_tags > 0 && j.blank && !j.bad && j.n_fields == 0, blank);
done:
    free(l.v);
    return st;
}

/* Outside WordprocessingML (the document properties), each text node is
 * read on its own. */
static nb_status normalise_text(compiler *c, xmlNode *n)
{
    joined j;
    bool blank;
    nb_status st;

    for (; n != NULL; n = n->next) {
        if (n->type == XML_ELEMENT_NODE) {
            st = normalise_text(c, n->children);
            if (st != NB_OK)
                return st;
        } else if ((n->type == XML_TEXT_NODE ||
                    n->type == XML_CDATA_SECTION_NODE) &&
                   n->content != NULL &&
                   nb_tmpl_has_brace((const char *)n->content,
                                     strlen((const char *)n->content))) {
            xmlNode *one = n;
            wt_list l = {&one, 1, 1};

            st = join_pieces(c, n->parent, &l, &j, &blank);
            if (st != NB_OK)
                return st;
        }
    }
    return NB_OK;
}

/* ==== Table rows ==== */

/* Content of a cell (ECMA-376 EG_BlockLevelElts) and of a row
 * (EG_ContentCellContent); other children, such as w:tcPr, w:trPr and
 * bookmarks, are not. */
static bool is_block(const xmlNode *n)
{
    return is_w(n, "p") || is_w(n, "tbl") || is_w(n, "sdt") ||
           is_w(n, "customXml") || is_w(n, "altChunk");
}

static bool is_cell_slot(const xmlNode *n)
{
    return is_w(n, "tc") || is_w(n, "sdt") || is_w(n, "customXml");
}

/* The first (or last) child of 'parent' that 'kind' accepts; NULL if
 * none. */
static xmlNode *edge_child(const xmlNode *parent, bool last,
                           bool (*kind)(const xmlNode *))
{
    xmlNode *k;
    xmlNode *found = NULL;

    for (k = parent->children; k != NULL; k = k->next) {
        if (!kind(k))
            continue;
        found = k;
        if (!last)
            break;
    }
    return found;
}

/* The table a row belongs to (its parent, unless the row is inside a
 * content control); NULL if none. */
static xmlNode *row_table(const xmlNode *tr)
{
    xmlNode *k;

    for (k = tr->parent; k != NULL && k->type == XML_ELEMENT_NODE;
         k = k->parent)
        if (is_w(k, "tbl"))
            return k;
    return NULL;
}

/* Do the cells of 'tr' hold only paragraphs of section tags and blank
 * paragraphs, with at least one tag? */
static bool is_control_row(const xmlNode *tr)
{
    const xmlNode *tc;
    const xmlNode *q;
    bool any = false;

    for (tc = tr->children; tc != NULL; tc = tc->next) {
        if (tc->type != XML_ELEMENT_NODE || is_w(tc, "trPr") ||
            is_w(tc, "tblPrEx"))
            continue;
        if (!is_w(tc, "tc"))
            return false;
        for (q = tc->children; q != NULL; q = q->next) {
            if (q->type != XML_ELEMENT_NODE || is_w(q, "tcPr"))
                continue;
            if (!is_w(q, "p"))
                return false;
            if (q->_private == &mark_cell_control)
                any = true;
            else if (q->_private != &mark_blank)
                return false;
        }
    }
    return any;
}

/* The paragraph at the start of the first cell of 'tr' (or at the end of
 * its last cell), when it carries 'mark'. */
static xmlNode *row_edge(const xmlNode *tr, bool last, const void *mark)
{
    const xmlNode *tc = edge_child(tr, last, is_cell_slot);
    xmlNode *p;

    if (tc == NULL || !is_w(tc, "tc"))
        return NULL;
    p = edge_child(tc, last, is_block);
    return p != NULL && p->_private == mark ? p : NULL;
}

/* A section tag of a paragraph, as the row form looks at them. */
typedef struct ptag {
    xmlNode *wt; /* the <w:t> that holds it whole (normalise_paragraph) */
    size_t off;  /* its bytes in the text of 'wt' */
    size_t len;
    bool blank_before; /* only blanks since the previous tag or the start */
    tag tg;
} ptag;

typedef struct ptag_list {
    ptag *v;
    size_t n;
    size_t alloc;
    bool blank_after; /* only blanks after the last tag */
} ptag_list;

static bool ptag_push(ptag_list *l, const ptag *t)
{
    if (l->n == l->alloc) {
        size_t na = l->alloc == 0 ? 8 : l->alloc * 2;
        ptag *nv = realloc(l->v, na * sizeof(*nv));

        if (nv == NULL)
            return false;
        l->v = nv;
        l->alloc = na;
    }
    l->v[l->n++] = *t;
    return true;
}

/* Read the valid tags of paragraph 'p', in order. A paragraph with a bad
 * tag gives none (it was reported). */
static nb_status paragraph_tags(compiler *c, xmlNode *p, ptag_list *out)
{
    wt_list l = {NULL, 0, 0};
    bool plain = true;
    bool blank = true;
    nb_status st = NB_OK;
    size_t i;

    out->n = 0;
    if (!collect_wt(p, &l, &plain)) {
        free(l.v);
        return NB_ERR_NOMEM;
    }
    for (i = 0; i < l.n && st == NB_OK; i++) {
        xmlChar *all = xmlNodeGetContent(l.v[i]);
        const char *s = all != NULL ? (const char *)all : "";
        size_t pos = 0;
        ptag t;

        while (st == NB_OK) {
            const char *open = strstr(s + pos, "{{");
            const char *close = open != NULL ? strstr(open + 2, "}}") : NULL;
            size_t end = open != NULL ? (size_t)(open - s) : strlen(s);

            for (; pos < end; pos++)
                blank = blank && nb_is_blank(s[pos]);
            if (open == NULL)
                break;
            t.wt = l.v[i];
            t.off = end;
            t.len = close != NULL ? (size_t)(close + 2 - open) : 0;
            t.blank_before = blank;
            if (close == NULL ||
                !parse_tag(c, &t.tg, open + 2, t.len - 4, nb_xml_line(p))) {
                out->n = 0;
                st = c->oom ? NB_ERR_NOMEM : NB_ERR_FORMAT;
            } else if (!ptag_push(out, &t)) {
                st = NB_ERR_NOMEM;
            }
            pos = end + t.len;
            blank = true;
        }
        xmlFree(all);
    }
    free(l.v);
    out->blank_after = blank;
    return st == NB_ERR_FORMAT ? NB_OK : st;
}

/* The tag at the start of a row's first paragraph that opens a section
 * the paragraph does not close (last = false), or the tag at the end of
 * its last paragraph that closes one the paragraph did not open; NULL if
 * none. */
static const ptag *row_edge_tag(const ptag_list *l, bool last)
{
    const ptag *t;
    size_t i;
    size_t depth = 0;

    if (l->n == 0)
        return NULL;
    t = last ? &l->v[l->n - 1] : &l->v[0];
    if (last ? !l->blank_after || t->tg.kind != TAG_CLOSE
             : !t->blank_before ||
                   (t->tg.kind != TAG_OPEN && t->tg.kind != TAG_INVERTED))
        return NULL;
    for (i = 0; i < l->n; i++) {
        const ptag *k = &l->v[last ? l->n - 1 - i : i];
        bool opens = k->tg.kind == TAG_OPEN || k->tg.kind == TAG_INVERTED;

        if (!opens && k->tg.kind != TAG_CLOSE)
            continue;
        if (opens != last)
            depth++;
        else if (--depth == 0)
            return NULL; /* matched inside the paragraph */
    }
    return t;
}

/* Move tag 't' of paragraph 'p' into a new paragraph before 'p' (or after
 * it), marked as a cell paragraph of section tags only. */
static nb_status split_edge_tag(xmlNode *p, const ptag *t, bool after)
{
    xmlChar *all = xmlNodeGetContent(t->wt);
    size_t len = all != NULL ? strlen((const char *)all) : 0;
    xmlChar *text = NULL;
    xmlNode *np = NULL;
    xmlNode *r = NULL;
    char *rest = NULL;
    nb_status st = NB_ERR_NOMEM;

    if (all == NULL || t->off + t->len > len)
        goto done;
    text = xmlStrndup(all + t->off, (int)t->len);
    np = xmlNewDocNode(p->doc, p->ns, (const xmlChar *)"p", NULL);
    r = np != NULL ? xmlNewChild(np, p->ns, (const xmlChar *)"r", NULL) : NULL;
    rest = malloc(len - t->len + 1);
    if (text == NULL || r == NULL || rest == NULL ||
        xmlNewTextChild(r, p->ns, (const xmlChar *)"t", text) == NULL)
        goto done;
    memcpy(rest, all, t->off);
    memcpy(rest + t->off, all + t->off + t->len, len - t->off - t->len);
    set_text(t->wt, rest, len - t->len);
    np->line = p->line;
    np->_private = &mark_cell_control;
    if (after)
        xmlAddNextSibling(p, np);
    else
        xmlAddPrevSibling(p, np);
    np = NULL;
    st = NB_OK;
done:
    xmlFreeNode(np);
    free(rest);
    xmlFree(text);
    xmlFree(all);
    return st;
}

/* The row form written inline, as docxtemplater users do:
 * "{{#rows}}{{name}}" in the first cell and "{{text}}{{/rows}}" in the
 * last. When the first paragraph of the row starts with an opening tag
 * that the last paragraph ends by closing, those two tags move into
 * paragraphs of their own, which then work on the row. */
static nb_status split_row_edges(compiler *c, xmlNode *tr)
{
    const xmlNode *first = edge_child(tr, false, is_cell_slot);
    const xmlNode *last = edge_child(tr, true, is_cell_slot);
    xmlNode *hp = is_w(first, "tc") ? edge_child(first, false, is_block) : NULL;
    xmlNode *tp = is_w(last, "tc") ? edge_child(last, true, is_block) : NULL;
    ptag_list hl = {NULL, 0, 0, false};
    ptag_list tl = {NULL, 0, 0, false};
    const ptag *h;
    const ptag *t;
    nb_status st = NB_OK;
    bool quiet = c->quiet;

    if (!is_w(hp, "p") || !is_w(tp, "p") || hp == tp ||
        hp->_private == &mark_cell_loop || tp->_private == &mark_cell_loop)
        return NB_OK;
    c->quiet = true; /* normalise_paragraph reported their bad tags */
    st = paragraph_tags(c, hp, &hl);
    if (st == NB_OK)
        st = paragraph_tags(c, tp, &tl);
    c->quiet = quiet;
    h = st == NB_OK ? row_edge_tag(&hl, false) : NULL;
    t = st == NB_OK ? row_edge_tag(&tl, true) : NULL;
    if (h != NULL && t != NULL && h->tg.path_len == t->tg.path_len &&
        memcmp(h->tg.path_text, t->tg.path_text, h->tg.path_len) == 0) {
        if (hp->_private != &mark_cell_control)
            st = split_edge_tag(hp, h, false);
        if (st == NB_OK && tp->_private != &mark_cell_control)
            st = split_edge_tag(tp, t, true);
    }
    free(hl.v);
    free(tl.v);
    return st;
}

/* A cell's control paragraphs, and how many of their section tags open
 * or close a section of the same cell. */
typedef struct cell_par {
    xmlNode *p;
    size_t n_tags;
    size_t n_matched;
} cell_par;

typedef struct open_tag {
    size_t par;       /* index into the cell_par array */
    const char *path; /* the tag's path_text, in the arena */
    size_t path_len;
} open_tag;

/* Match the section tags of the cell's control paragraphs in order; 'pv'
 * holds those paragraphs. */
static nb_status match_cell_tags(compiler *c, cell_par *pv, size_t n)
{
    ptag_list l = {NULL, 0, 0, false};
    open_tag *stack = NULL;
    size_t depth = 0;
    size_t alloc = 0;
    size_t i;
    size_t j;
    nb_status st = NB_OK;
    bool quiet = c->quiet;

    c->quiet = true; /* normalise_paragraph reported their bad tags */
    for (i = 0; i < n && st == NB_OK; i++) {
        st = paragraph_tags(c, pv[i].p, &l);
        for (j = 0; j < l.n && st == NB_OK; j++) {
            const tag *tg = &l.v[j].tg;
            open_tag *top = depth > 0 ? &stack[depth - 1] : NULL;

            if (tg->kind == TAG_COMMENT || tg->kind == TAG_FIELD)
                continue;
            pv[i].n_tags++;
            if (tg->kind == TAG_CLOSE) {
                if (top != NULL && top->path_len == tg->path_len &&
                    memcmp(top->path, tg->path_text, tg->path_len) == 0) {
                    pv[top->par].n_matched++;
                    pv[i].n_matched++;
                    depth--;
                }
                continue;
            }
            if (depth == alloc) {
                size_t na = alloc == 0 ? 8 : alloc * 2;
                open_tag *nv = realloc(stack, na * sizeof(*nv));

                if (nv == NULL) {
                    st = NB_ERR_NOMEM;
                    break;
                }
                stack = nv;
                alloc = na;
            }
            stack[depth].par = i;
            stack[depth].path = tg->path_text;
            stack[depth].path_len = tg->path_len;
            depth++;
        }
    }
    c->quiet = quiet;
    free(stack);
    free(l.v);
    return st;
}

/* Section tags alone in paragraphs of one cell that open and close in
 * that cell work on the cell's paragraphs (the smallest thing that holds
 * both tags repeats, as in docxtemplater). Such paragraphs and their cell
 * are marked; tags that close in another cell still work on rows. */
static nb_status mark_cell(compiler *c, xmlNode *tc)
{
    cell_par *pv = NULL;
    size_t n = 0;
    size_t alloc = 0;
    xmlNode *q;
    size_t i;
    nb_status st = NB_OK;

    for (q = tc->children; q != NULL; q = q->next) {
        if (q->_private != &mark_cell_control)
            continue;
        if (n == alloc) {
            size_t na = alloc == 0 ? 8 : alloc * 2;
            cell_par *nv = realloc(pv, na * sizeof(*nv));

            if (nv == NULL) {
                free(pv);
                return NB_ERR_NOMEM;
            }
            pv = nv;
            alloc = na;
        }
        pv[n].p = q;
        pv[n].n_tags = 0;
        pv[n].n_matched = 0;
        n++;
    }
    if (n > 1)
        st = match_cell_tags(c, pv, n);
    for (i = 0; i < n && st == NB_OK; i++) {
        if (pv[i].n_tags == 0 || pv[i].n_matched != pv[i].n_tags)
            continue;
        pv[i].p->_private = &mark_cell_loop;
        tc->_private = &mark_loop_cell;
    }
    free(pv);
    return st;
}

/* Decide whether the tags of row 'tr' work on rows: all of them in a
 * control row, or those of the paragraphs at its edges. The cells were
 * read already. */
static nb_status mark_row(compiler *c, xmlNode *tr)
{
    xmlNode *tbl = row_table(tr);
    xmlNode *head;
    xmlNode *tail;
    nb_status st;

    if (tbl == NULL)
        return NB_OK;
    if (is_control_row(tr)) {
        tr->_private = &mark_control_row;
        tbl->_private = &mark_loop_table;
        return NB_OK;
    }
    st = split_row_edges(c, tr);
    if (st != NB_OK)
        return st;
    head = row_edge(tr, false, &mark_cell_control);
    tail = row_edge(tr, true, &mark_cell_control);
    if (head != NULL)
        head->_private = &mark_row_edge;
    if (tail != NULL && tail != head)
        tail->_private = &mark_row_edge;
    if (head != NULL || tail != NULL)
        tbl->_private = &mark_loop_table;
    return NB_OK;
}

static nb_status normalise(compiler *c, xmlNode *n)
{
    xmlNode *k;
    nb_status st;

    for (k = n; k != NULL; k = k->next) {
        bool fallback = nb_xml_is(k, MC_NS, "Fallback");

        if (k->type != XML_ELEMENT_NODE)
            continue;
        if (is_w(k, "p")) {
            c->paragraph++;
            st = normalise_paragraph(c, k);
            if (st != NB_OK)
                return st;
        }
        c->in_fallback += fallback;
        st = normalise(c, k->children);
        c->in_fallback -= fallback;
        if (st != NB_OK)
            return st;
        if (is_w(k, "tc")) {
            st = mark_cell(c, k);
            if (st != NB_OK)
                return st;
        }
        if (is_w(k, "tr")) {
            st = mark_row(c, k);
            if (st != NB_OK)
                return st;
        }
    }
    return NB_OK;
}

/* ==== Node trees ==== */

/* What the tags of a section work on; both tags must agree. */
typedef enum sig_level {
    LEVEL_INLINE,     /* text inside one paragraph (or element) */
    LEVEL_CELL,       /* the same, in a paragraph of a table cell */
    LEVEL_PARAGRAPHS, /* whole paragraphs: control paragraphs */
    LEVEL_ROWS        /* whole rows of a table */
} sig_level;

typedef struct sig {
    const void *container; /* paragraph (inline, cell), parent (paragraphs)
                              or the rows' parent, the table (rows) */
    uint32_t path_hash;    /* element names from container down */
    sig_level level;
} sig;

typedef struct frame {
    nb_tnode *v; /* children so far */
    size_t n;
    size_t alloc;
    tag tg; /* the opening tag (not for the root frame) */
    sig where;
    uint32_t line;
    int64_t first_num; /* the w:numId of the body's first paragraph, 0 for
                          one without, -1 before the first */
    uint32_t *nums;    /* every w:numId of the body's paragraphs */
    size_t n_nums;
    size_t alloc_nums;
} frame;

static void frame_free(frame *f)
{
    free(f->v);
    free(f->nums);
    f->v = NULL;
    f->nums = NULL;
}

static bool frame_add_num(compiler *c, frame *f, uint32_t num)
{
    size_t i;

    for (i = 0; i < f->n_nums; i++)
        if (f->nums[i] == num)
            return true;
    if (f->n_nums == f->alloc_nums) {
        size_t na = f->alloc_nums == 0 ? 4 : f->alloc_nums * 2;
        uint32_t *nv = realloc(f->nums, na * sizeof(*nv));

        if (nv == NULL) {
            c->oom = true;
            return false;
        }
        f->nums = nv;
        f->alloc_nums = na;
    }
    f->nums[f->n_nums++] = num;
    return true;
}

/* A paragraph written in the current section body, numbered 'num' (0:
 * not in a list). */
static void frame_note_paragraph(compiler *c, uint32_t num)
{
    frame *f = &c->frames[c->n_frames - 1];

    if (f->first_num < 0)
        f->first_num = num;
    if (num != 0)
        frame_add_num(c, f, num);
}

/* The lists a closing section restarts in every element: those in its
 * body, except the list that the body begins with (a loop of that list's
 * items continues it), none with "continue". What the body holds counts
 * for the enclosing body too. */
static void frame_close_numbering(compiler *c, frame *f, nb_tnode *node)
{
    frame *up = &c->frames[c->n_frames - 2];
    uint32_t *r = NULL;
    size_t n = 0;
    size_t i;

    if (!f->tg.cont && f->tg.kind == TAG_OPEN && f->n_nums > 0) {
        r = nb_arena_array(c->t->arena, f->n_nums, sizeof(*r));
        if (r == NULL) {
            c->oom = true;
            return;
        }
        for (i = 0; i < f->n_nums; i++)
            if ((int64_t)f->nums[i] != f->first_num)
                r[n++] = f->nums[i];
    }
    node->restart = r;
    node->n_restart = n;
    if (up->first_num < 0)
        up->first_num = f->first_num;
    for (i = 0; i < f->n_nums; i++)
        if (!frame_add_num(c, up, f->nums[i]))
            return;
}

static bool frame_push_node(compiler *c, const nb_tnode *node)
{
    frame *f = &c->frames[c->n_frames - 1];

    if (f->n == f->alloc) {
        size_t na = f->alloc == 0 ? 8 : f->alloc * 2;
        nb_tnode *nv = realloc(f->v, na * sizeof(*nv));

        if (nv == NULL) {
            c->oom = true;
            return false;
        }
        f->v = nv;
        f->alloc = na;
    }
    f->v[f->n++] = *node;
    return true;
}

static bool open_frame(compiler *c, const tag *tg, sig where, uint32_t line)
{
    frame *f;

    if (c->n_frames == c->alloc_frames) {
        size_t na = c->alloc_frames == 0 ? 8 : c->alloc_frames * 2;
        frame *nv = realloc(c->frames, na * sizeof(*nv));

        if (nv == NULL) {
            c->oom = true;
            return false;
        }
        c->frames = nv;
        c->alloc_frames = na;
    }
    f = &c->frames[c->n_frames++];
    memset(f, 0, sizeof(*f));
    f->first_num = -1;
    if (tg != NULL)
        f->tg = *tg;
    f->where = where;
    f->line = line;
    return true;
}

/* Move a frame's children into the arena. */
static nb_tnode *seal(compiler *c, frame *f)
{
    nb_tnode *v = NULL;

    if (f->n > 0) {
        v = nb_arena_array(c->t->arena, f->n, sizeof(*v));
        if (v == NULL)
            c->oom = true;
        else
            memcpy(v, f->v, f->n * sizeof(*v));
    }
    free(f->v);
    f->v = NULL;
    return v;
}

static void flush_static(compiler *c)
{
    nb_tnode node;

    if (c->stat.st != NB_OK) {
        c->oom = true;
        return;
    }
    if (c->stat.len == 0)
        return;
    memset(&node, 0, sizeof(node));
    node.kind = NB_T_STATIC;
    node.s = nb_arena_strndup(c->t->arena, c->stat.data, c->stat.len);
    node.len = c->stat.len;
    if (node.s == NULL)
        c->oom = true;
    else
        frame_push_node(c, &node);
    nb_buf_reset(&c->stat);
}

static const char *tag_text(compiler *c, const tag *tg)
{
    const char *prefix = tg->kind == TAG_OPEN       ? "#"
                         : tg->kind == TAG_INVERTED ? "^"
                         : tg->kind == TAG_CLOSE    ? "/"
                                                    : "";
    const char *s = tg->kind == TAG_FIELD
                        ? nb_arena_printf(c->t->arena, "{{%.*s}}",
                                          (int)tg->text_len, tg->text)
                        : nb_arena_printf(c->t->arena, "{{%s%.*s}}", prefix,
                                          (int)tg->path_len, tg->path_text);

    if (s == NULL)
        c->oom = true;
    return s;
}

static bool same_sig(sig a, sig b)
{
    return a.container == b.container && a.path_hash == b.path_hash &&
           a.level == b.level;
}

/* Two tags of one section that are not at the same level: say how to put
 * them right. */
static void report_level(compiler *c, const frame *f, const tag *tg, sig where,
                         uint32_t line)
{
    char k = f->tg.kind == TAG_INVERTED ? '^' : '#';
    int n = (int)tg->path_len;
    const char *s = tg->path_text;

    if (f->where.level == LEVEL_ROWS && where.level == LEVEL_ROWS)
        report(c, NB_TMPL_SECTION_LEVEL, line,
               _("'{{%c%.*s}}' (line %u) and its closing tag repeat rows of "
                 "different tables: put both in the same table"),
               k, n, s, f->line);
    else if (f->where.level == LEVEL_ROWS)
        report(c, NB_TMPL_SECTION_LEVEL, line,
               _("'{{%c%.*s}}' (line %u) repeats table rows, so its closing "
                 "tag must end rows of the same table: put '{{/%.*s}}' in a "
                 "row of its own, or alone in the last paragraph of a row's "
                 "last cell"),
               k, n, s, f->line, n, s);
    else if (where.level == LEVEL_ROWS)
        report(c, NB_TMPL_SECTION_LEVEL, line,
               _("'{{/%.*s}}' ends table rows, so its opening tag (line %u) "
                 "must start rows of the same table: put '{{%c%.*s}}' in a "
                 "row of its own, or alone in the first paragraph of a row's "
                 "first cell"),
               n, s, f->line, k, n, s);
    else if (f->where.level == LEVEL_CELL || where.level == LEVEL_CELL)
        report(c, NB_TMPL_SECTION_LEVEL, line,
               _("'{{%c%.*s}}' (line %u) and its closing tag are not at the "
                 "same level: in a table cell, put both tags alone in "
                 "paragraphs of the same cell (those paragraphs repeat) or "
                 "both inside one paragraph, or repeat rows: begin a row's "
                 "first cell with the opening tag and end that row's last "
                 "cell with the closing tag, or put each tag in a row of its "
                 "own"),
               k, n, s, f->line);
    else
        report(c, NB_TMPL_SECTION_LEVEL, line,
               _("'{{#%.*s}}' (line %u) and its closing tag are not at the "
                 "same level: put both alone in their own paragraphs, or "
                 "both inside one paragraph"),
               n, s, f->line);
}

/* Where a field is written: inside <w:t> or not, and what its newlines
 * become (nb_tnode.nl). */
typedef struct field_ctx {
    bool in_wt;
    const char *nl;
    size_t nl_len;
} field_ctx;

/* A tag met while serialising: add its node or open/close a section.
 * 'fx' is NULL for the tags of control paragraphs, which hold no field. */
static void emit_tag(compiler *c, const tag *tg, sig where, const field_ctx *fx,
                     uint32_t line)
{
    nb_tnode node;
    frame *f;

    c->n_tags++;
    if (tg->kind == TAG_COMMENT)
        return;
    flush_static(c);
    memset(&node, 0, sizeof(node));
    node.line = line;
    if (tg->kind == TAG_FIELD) {
        node.kind = NB_T_FIELD;
        node.path = tg->path;
        node.n_path = tg->n_path;
        if (fx != NULL) {
            node.in_wt = fx->in_wt;
            node.nl = fx->nl;
            node.nl_len = fx->nl_len;
        }
        node.tag = tag_text(c, tg);
        if (tg->n_filters > 0) {
            node.filters =
                nb_arena_array(c->t->arena, tg->n_filters, sizeof(nb_fcall));
            if (node.filters == NULL) {
                c->oom = true;
                return;
            }
            memcpy(node.filters, tg->filters, tg->n_filters * sizeof(nb_fcall));
            node.n_filters = tg->n_filters;
        }
        frame_push_node(c, &node);
        return;
    }
    if (tg->kind == TAG_OPEN || tg->kind == TAG_INVERTED) {
        /* reported once, at the first section too deep; it still opens,
         * so that the closing tags match and say nothing more */
        if (c->n_frames == c->t->limits.max_section_depth + 1)
            report(c, NB_TMPL_TOO_DEEP, line,
                   _("sections nested more than %zu deep"),
                   c->t->limits.max_section_depth);
        open_frame(c, tg, where, line);
        return;
    }
    /* closing tag */
    f = &c->frames[c->n_frames - 1];
    if (c->n_frames == 1) {
        report(c, NB_TMPL_SECTION_MISMATCH, line,
               _("'{{/%.*s}}' closes a section that is not open"),
               (int)tg->path_len, tg->path_text);
        return;
    }
    if (f->tg.path_len != tg->path_len ||
        memcmp(f->tg.path_text, tg->path_text, tg->path_len) != 0) {
        report(c, NB_TMPL_SECTION_MISMATCH, line,
               _("'{{/%.*s}}' does not close the open section "
                 "'{{#%.*s}}' (line %u)"),
               (int)tg->path_len, tg->path_text, (int)f->tg.path_len,
               f->tg.path_text, f->line);
        return;
    }
    if (!same_sig(f->where, where))
        report_level(c, f, tg, where, line);
    node.kind = NB_T_SECTION;
    node.path = f->tg.path;
    node.n_path = f->tg.n_path;
    node.inverted = f->tg.kind == TAG_INVERTED;
    node.line = f->line;
    node.tag = tag_text(c, &f->tg);
    node.n_children = f->n;
    node.children = seal(c, f);
    frame_close_numbering(c, f, &node);
    frame_free(f);
    c->n_frames--;
    frame_push_node(c, &node);
}

/* ==== Serialising ==== */

static void put_escaped(nb_buf *b, const char *s, size_t len, bool attr)
{
    nb_xml_escape(b, s, len, attr ? NB_ESC_ATTR : NB_ESC_TEXT);
}

static void put_qname(nb_buf *b, const xmlNs *ns, const xmlChar *name)
{
    if (ns != NULL && ns->prefix != NULL) {
        nb_buf_adds(b, (const char *)ns->prefix);
        nb_buf_addc(b, ':');
    }
    nb_buf_adds(b, (const char *)name);
}

static uint32_t hash_step(uint32_t h, const char *s)
{
    for (; *s != '\0'; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return (h ^ '/') * 16777619u;
}

/* Where an inline tag in text node 'n' sits: its paragraph (or, outside
 * WordprocessingML, its element) and the element path down to it. */
static sig inline_sig(const compiler *c, const xmlNode *n)
{
    sig s = {NULL, 2166136261u, LEVEL_INLINE};
    const xmlNode *k;

    for (k = n->parent; k != NULL && k->type == XML_ELEMENT_NODE;
         k = k->parent) {
        if (c->wml && is_w(k, "p")) {
            s.container = k;
            if (in_cell(k))
                s.level = LEVEL_CELL;
            return s;
        }
        s.path_hash = hash_step(s.path_hash, (const char *)k->name);
        if (!c->wml) {
            s.container = k;
            return s;
        }
    }
    s.container = n->parent;
    return s;
}

static bool put_start_tag(compiler *c, const xmlNode *n, bool copy);
static void put_end_tag(compiler *c, const xmlNode *n);
static void put_element(compiler *c, const xmlNode *n);

/* The first child element of 'n', when it is w:'name'. */
static const xmlNode *first_child_is(const xmlNode *n, const char *name)
{
    const xmlNode *k = n->children;

    while (k != NULL && k->type != XML_ELEMENT_NODE)
        k = k->next;
    return is_w(k, name) ? k : NULL;
}

/* For a field in <w:t> 'wt' alone in its paragraph (mark_lone_field):
 * the bytes that end the paragraph and start a copy of it, with the
 * paragraph's and the run's properties, for each newline of the value
 * (nb_tnode.nl). NULL, and newlines are line breaks, when the run is not
 * simply in the paragraph or in a hyperlink there, or when the
 * paragraph ends a section of the document (its w:sectPr must not
 * repeat). */
static const char *paragraph_break(compiler *c, const xmlNode *wt,
                                   size_t *len_out)
{
    const xmlNode *r = wt->parent;
    const xmlNode *link = NULL;
    const xmlNode *p;
    const xmlNode *ppr;
    const xmlNode *rpr;
    nb_buf saved = c->stat;
    bool plain = c->plain;
    const char *nl = NULL;

    if (!is_w(r, "r"))
        return NULL;
    p = r->parent;
    if (is_w(p, "hyperlink")) {
        link = p;
        p = p->parent;
    }
    if (!is_w(p, "p") || p->_private != &mark_lone_field)
        return NULL;
    ppr = first_child_is(p, "pPr");
    if (ppr != NULL)
        for (rpr = ppr->children; rpr != NULL; rpr = rpr->next)
            if (is_w(rpr, "sectPr"))
                return NULL;
    rpr = first_child_is(r, "rPr");
    /* written with the serialiser's own functions, into a buffer of its
     * own, as static bytes: the copies leave Word's paragraph ids out, and
     * keep the rest of the properties as the template has them */
    nb_buf_init(&c->stat, c->t->limits.max_part_bytes);
    c->plain = true;
    put_end_tag(c, wt);
    put_end_tag(c, r);
    if (link != NULL)
        put_end_tag(c, link);
    put_end_tag(c, p);
    put_start_tag(c, p, true);
    nb_buf_addc(&c->stat, '>');
    if (ppr != NULL)
        put_element(c, ppr);
    if (link != NULL) {
        put_start_tag(c, link, true);
        nb_buf_addc(&c->stat, '>');
    }
    put_start_tag(c, r, true);
    nb_buf_addc(&c->stat, '>');
    if (rpr != NULL)
        put_element(c, rpr);
    nb_buf_addc(&c->stat, '<');
    put_qname(&c->stat, wt->ns, wt->name);
    nb_buf_adds(&c->stat, " xml:space=\"preserve\">");
    if (c->stat.st == NB_OK) {
        nl = nb_arena_strndup(c->t->arena, c->stat.data, c->stat.len);
        *len_out = c->stat.len;
    }
    if (nl == NULL)
        c->oom = true;
    nb_buf_fini(&c->stat);
    c->stat = saved;
    c->plain = plain;
    return nl;
}

/* The tags in s[0..len), each working at 'where'. With 'fx', the text of
 * element 'wt' holding fields: the text between the tags is written too;
 * without, the tags of a paragraph of section tags only. */
static void put_text_tags(compiler *c, const xmlNode *wt, const char *s,
                          size_t len, sig where, field_ctx *fx, uint32_t line)
{
    size_t pos = 0;

    while (pos < len) {
        const char *open = strstr(s + pos, "{{");
        const char *close;
        tag tg;

        if (open == NULL)
            break;
        close = strstr(open + 2, "}}");
        if (close == NULL)
            break; /* reported by normalise() */
        if (fx != NULL)
            put_escaped(&c->stat, s + pos, (size_t)(open - (s + pos)), false);
        if (parse_tag(c, &tg, open + 2, (size_t)(close - open - 2), line)) {
            if (fx != NULL && tg.kind == TAG_FIELD && fx->in_wt &&
                fx->nl == NULL)
                fx->nl = paragraph_break(c, wt, &fx->nl_len);
            emit_tag(c, &tg, where, fx, line);
        }
        pos = (size_t)(close + 2 - s);
    }
    if (fx != NULL)
        put_escaped(&c->stat, s + pos, len - pos, false);
}

/* Text with tags: static pieces and tag nodes. */
static void put_text_with_tags(compiler *c, const xmlNode *n, const char *s,
                               size_t len)
{
    field_ctx fx = {c->wml && is_w(n->parent, "t"), NULL, 0};

    put_text_tags(c, n->parent, s, len, inline_sig(c, n), &fx,
                  nb_xml_line(n->parent));
}

static void put_start_tag_plain(compiler *c, const xmlNode *n);
static void put_element(compiler *c, const xmlNode *n);
static void put_end_tag(compiler *c, const xmlNode *n);

/* "<w:p>" and the properties of 'p' without its list numbering: the start
 * of a paragraph that stands for 'p' (its ID attributes are not copied, so
 * this may be written more than once). */
static void put_bare_paragraph_start(compiler *c, const xmlNode *p)
{
    const xmlNode *k = p->children;
    const xmlNode *q;
    bool plain = c->plain;

    while (k != NULL && k->type != XML_ELEMENT_NODE)
        k = k->next;
    nb_buf_addc(&c->stat, '<');
    put_qname(&c->stat, p->ns, p->name);
    nb_buf_addc(&c->stat, '>');
    if (!is_w(k, "pPr"))
        return;
    c->plain = true;
    put_start_tag_plain(c, k);
    nb_buf_addc(&c->stat, '>');
    for (q = k->children; q != NULL; q = q->next)
        if (q->type == XML_ELEMENT_NODE && !is_w(q, "numPr"))
            put_element(c, q);
    put_end_tag(c, k);
    c->plain = plain;
}

/* A page or column break of a control paragraph: the template asked for
 * it, so it stays, in a paragraph of its own. */
static bool is_hard_break(const xmlNode *n)
{
    return is_w(n, "br") && (nb_xml_token_is(n, "type", "page") ||
                             nb_xml_token_is(n, "type", "column"));
}

static void put_break_paragraph(compiler *c, const xmlNode *p,
                                const xmlNode *br)
{
    bool plain = c->plain;

    flush_static(c);
    put_bare_paragraph_start(c, p);
    c->plain = true;
    nb_buf_addc(&c->stat, '<');
    put_qname(&c->stat, br->ns, (const xmlChar *)"r");
    nb_buf_addc(&c->stat, '>');
    put_element(c, br);
    put_end_tag(c, br->parent);
    put_end_tag(c, p);
    c->plain = plain;
}

/* normalise() put each tag whole in one <w:t>; deleted text is not read. */
static void put_tags_in(compiler *c, const xmlNode *p, const xmlNode *n,
                        sig where, bool breaks)
{
    const xmlNode *k;
    uint32_t line = nb_xml_line(p);

    for (k = n->children; k != NULL; k = k->next) {
        if (k->type != XML_ELEMENT_NODE || is_deleted(k))
            continue;
        if (is_w(k, "t")) {
            xmlChar *all = xmlNodeGetContent(k);

            if (all != NULL)
                put_text_tags(c, k, (const char *)all,
                              strlen((const char *)all), where, NULL, line);
            xmlFree(all);
        } else if (breaks && is_hard_break(k)) {
            put_break_paragraph(c, p, k);
        } else {
            put_tags_in(c, p, k, where, breaks);
        }
    }
}

/* A paragraph of section tags only: its tags, each working at 'where'; with
 * 'breaks', its page and column breaks stay, each in a paragraph of its
 * own, in their place among the tags. Soft line breaks, tabs, bookmarks
 * and Word's lastRenderedPageBreak go with the paragraph. */
static void put_tags(compiler *c, const xmlNode *p, sig where, bool breaks)
{
    put_tags_in(c, p, p, where, breaks);
}

static bool has_tag_text(const compiler *c, const xmlNode *el)
{
    const xmlNode *k;

    for (k = el->children; k != NULL; k = k->next)
        if ((k->type == XML_TEXT_NODE || k->type == XML_CDATA_SECTION_NODE) &&
            k->content != NULL && strstr((const char *)k->content, "{{") &&
            is_tag_text(c, k))
            return true;
    return false;
}

static void serialise(compiler *c, const xmlNode *n);

/* Word 2010's paragraph ids (w14:paraId, w14:textId): unique in a part,
 * so a paragraph written twice keeps them only once. */
#define W14_NS "http://schemas.microsoft.com/office/word/2010/wordml"

static bool is_paragraph_id(const xmlAttr *a)
{
    return a->ns != NULL && strcmp((const char *)a->ns->href, W14_NS) == 0 &&
           (strcmp((const char *)a->name, "paraId") == 0 ||
            strcmp((const char *)a->name, "textId") == 0);
}

/* "<name xmlns…="…" attr="…"", unclosed ('copy': a further copy of the
 * element, without Word's paragraph ids). True when it sets
 * xml:space="preserve". The IDs that repeated content must renumber
 * become nodes (tmpl_ids.c), unless c->plain. */
static bool put_start_tag(compiler *c, const xmlNode *n, bool copy)
{
    nb_buf *b = &c->stat;
    const xmlNs *ns;
    const xmlAttr *a;
    bool preserve = false;
    nb_tnode idn;

    nb_buf_addc(b, '<');
    put_qname(b, n->ns, n->name);
    for (ns = n->nsDef; ns != NULL; ns = ns->next) {
        nb_buf_adds(b, " xmlns");
        if (ns->prefix != NULL) {
            nb_buf_addc(b, ':');
            nb_buf_adds(b, (const char *)ns->prefix);
        }
        nb_buf_adds(b, "=\"");
        put_escaped(b, (const char *)ns->href, strlen((const char *)ns->href),
                    true);
        nb_buf_addc(b, '"');
    }
    for (a = n->properties; a != NULL; a = a->next) {
        /* the unescaped value (inLine = 1); put_escaped escapes it once */
        xmlChar *v;
        const char *vs;

        if (copy && is_paragraph_id(a))
            continue;
        v = xmlNodeListGetString(n->doc, a->children, 1);
        vs = v != NULL ? (const char *)v : "";

        nb_buf_addc(b, ' ');
        put_qname(b, a->ns, a->name);
        nb_buf_adds(b, "=\"");
        if (c->wml && !c->plain &&
            nb_tmpl_id_attr(&idn, n, a, vs, c->n_frames > 1, c->t->arena,
                            &c->oom)) {
            flush_static(c);
            frame_push_node(c, &idn);
        } else {
            put_escaped(b, vs, strlen(vs), true);
        }
        nb_buf_addc(b, '"');
        if (a->ns != NULL && a->ns->prefix != NULL &&
            strcmp((const char *)a->ns->prefix, "xml") == 0 &&
            strcmp((const char *)a->name, "space") == 0)
            preserve = true;
        xmlFree(v);
    }
    return preserve;
}

static void put_start_tag_plain(compiler *c, const xmlNode *n)
{
    bool plain = c->plain;

    c->plain = true;
    put_start_tag(c, n, false);
    c->plain = plain;
}

static void put_end_tag(compiler *c, const xmlNode *n)
{
    nb_buf_adds(&c->stat, "</");
    put_qname(&c->stat, n->ns, n->name);
    nb_buf_addc(&c->stat, '>');
}

/* An element as it is, its tags merged. */
static void put_element(compiler *c, const xmlNode *n)
{
    bool preserve = put_start_tag(c, n, false);

    if (c->wml && !preserve && is_w(n, "t") && has_tag_text(c, n))
        nb_buf_adds(&c->stat, " xml:space=\"preserve\"");
    if (n->children == NULL) {
        nb_buf_adds(&c->stat, "/>");
        return;
    }
    nb_buf_addc(&c->stat, '>');
    serialise(c, n->children);
    put_end_tag(c, n);
}

/* A node without bytes: the start of a table, a row, a cell, a block or
 * a mark. */
static nb_tnode *put_marker(compiler *c, nb_tnode_kind kind)
{
    nb_tnode node;
    frame *f;

    flush_static(c);
    memset(&node, 0, sizeof(node));
    node.kind = kind;
    node.len = SIZE_MAX; /* a span: not closed yet */
    if (!frame_push_node(c, &node))
        return NULL;
    f = &c->frames[c->n_frames - 1];
    return &f->v[f->n - 1]; /* valid until the next node is pushed */
}

/* The end of a table whose rows repeat (or of a cell, a mark): its node
 * spans the nodes written since. Sections opened in a table close in it
 * (their tags are in the table), so both are in the same frame; when they
 * are not, an error was reported and the part is not merged. */
static void close_span(compiler *c, nb_tnode_kind kind)
{
    frame *f = &c->frames[c->n_frames - 1];
    size_t i;

    flush_static(c);
    for (i = f->n; i-- > 0;) {
        if (f->v[i].kind == kind && f->v[i].len == SIZE_MAX) {
            f->v[i].len = f->n - i - 1;
            return;
        }
    }
}

/* The decimal WordprocessingML attribute 'name' of 'n' (w:id, w:val). */
static bool attr_num(const xmlNode *n, const char *name, uint32_t *out)
{
    xmlChar *v = xmlGetNsProp(n, (const xmlChar *)name, (const xmlChar *)W_NS);
    char *end = NULL;
    unsigned long id = v != NULL ? strtoul((const char *)v, &end, 10) : 0;
    bool ok = v != NULL && end != (char *)v && *end == '\0' &&
              id <= UINT32_MAX && v[0] != '-';

    xmlFree(v);
    *out = (uint32_t)id;
    return ok;
}

static bool mark_id(const xmlNode *n, uint32_t *out)
{
    return attr_num(n, "id", out);
}

static int mark_kind(const compiler *c, const xmlNode *n)
{
    if (!c->wml)
        return -1;
    if (is_w(n, "bookmarkStart"))
        return NB_MARK_BOOKMARK_START;
    if (is_w(n, "bookmarkEnd"))
        return NB_MARK_BOOKMARK_END;
    /* comment marks matter only where they repeat */
    if (c->n_frames > 1 &&
        (is_w(n, "commentRangeStart") || is_w(n, "commentRangeEnd") ||
         is_w(n, "commentReference")))
        return NB_MARK_COMMENT;
    return -1;
}

/* A bookmark or comment mark, in a span the render may leave out. */
static void put_mark(compiler *c, const xmlNode *n, int kind, uint32_t id)
{
    nb_tnode *m = put_marker(c, NB_T_MARK);

    if (m == NULL)
        return;
    m->sub = (uint8_t)kind;
    m->id = id;
    m->slot = NB_NO_SLOT;
    put_element(c, n);
    close_span(c, NB_T_MARK);
}

/* The bookmarks in 'n', which is not written: noted, so that their other
 * halves are left out too (tmpl_ids.c). */
static void note_vanished(compiler *c, const xmlNode *n)
{
    const xmlNode *k;
    int kind = mark_kind(c, n);
    uint32_t id;

    if (kind == NB_MARK_BOOKMARK_START || kind == NB_MARK_BOOKMARK_END) {
        nb_tnode *m = mark_id(n, &id) ? put_marker(c, NB_T_MARK) : NULL;

        if (m != NULL) {
            m->sub = (uint8_t)kind;
            m->id = id;
            m->slot = NB_NO_SLOT;
            m->len = 0;
            m->vanished = true;
        }
        return;
    }
    for (k = n->children; k != NULL; k = k->next)
        if (k->type == XML_ELEMENT_NODE)
            note_vanished(c, k);
}

/* The w:numId of paragraph 'p' (0: none). */
static uint32_t paragraph_num(const xmlNode *p)
{
    const xmlNode *k;
    const xmlNode *q;

    for (k = p->children; k != NULL; k = k->next) {
        if (!is_w(k, "pPr"))
            continue;
        for (q = k->children; q != NULL; q = q->next) {
            if (!is_w(q, "numPr"))
                continue;
            for (q = q->children; q != NULL; q = q->next) {
                uint32_t id;

                if (is_w(q, "numId") && attr_num(q, "val", &id))
                    return id;
            }
            return 0;
        }
    }
    return 0;
}

/* Should the row-edge paragraph 'p' stay as an empty paragraph? A cell
 * must end with a w:p (ECMA-376 §17.4.66 and Word), so it stays when it
 * is the last of its cell and no other paragraph would end the cell. */
static bool edge_keeps_paragraph(const xmlNode *p)
{
    const xmlNode *k;

    if (edge_child(p->parent, true, is_block) != p)
        return false;
    for (k = p->prev; k != NULL && !is_block(k); k = k->prev)
        ;
    return k == NULL || !is_w(k, "p") || k->_private == &mark_row_edge;
}

/* Paragraph 'p' without its content: its properties only. */
static void put_empty_paragraph(compiler *c, const xmlNode *p)
{
    const xmlNode *k = p->children;

    while (k != NULL && k->type != XML_ELEMENT_NODE)
        k = k->next;
    put_start_tag(c, p, false);
    nb_buf_addc(&c->stat, '>');
    if (is_w(k, "pPr"))
        put_element(c, k);
    put_end_tag(c, p);
}

/* A row: the tags of its edge paragraphs work before and after it. */
static void put_row(compiler *c, const xmlNode *tr)
{
    sig where = {tr->parent, 0, LEVEL_ROWS};
    const xmlNode *head = row_edge(tr, false, &mark_row_edge);
    const xmlNode *tail = row_edge(tr, true, &mark_row_edge);
    const xmlNode *tbl = row_table(tr);

    if (head != NULL)
        put_tags(c, head, where, false);
    if (tbl != NULL && tbl->_private == &mark_loop_table)
        put_marker(c, NB_T_ROW);
    put_element(c, tr);
    if (tail != NULL && tail != head)
        put_tags(c, tail, where, false);
}

/* A control row: only the tags of its cells remain, working on rows. */
static void put_control_row(compiler *c, const xmlNode *tr)
{
    sig where = {tr->parent, 0, LEVEL_ROWS};
    const xmlNode *tc;
    const xmlNode *p;

    for (tc = tr->children; tc != NULL; tc = tc->next) {
        if (!is_w(tc, "tc"))
            continue;
        for (p = tc->children; p != NULL; p = p->next)
            if (p->_private == &mark_cell_control)
                put_tags(c, p, where, false);
    }
}

static void serialise_node(compiler *c, const xmlNode *n);

/* Is 'p' a paragraph in a text box of another paragraph? */
static bool nested_paragraph(const xmlNode *p)
{
    const xmlNode *k;

    for (k = p->parent; k != NULL && k->type == XML_ELEMENT_NODE; k = k->parent)
        if (is_w(k, "p"))
            return true;
    return false;
}

/* A paragraph written as it is: noted for list numbering. */
static void note_paragraph(compiler *c, const xmlNode *p)
{
    if (c->wml && is_w(p, "p") && !nested_paragraph(p))
        frame_note_paragraph(c, paragraph_num(p));
}

/* Does cell paragraph 'p' of a cell whose paragraphs repeat go? */
static bool cell_paragraph_goes(const xmlNode *p)
{
    return p->_private == &mark_cell_loop || p->_private == &mark_row_edge;
}

/* A cell whose paragraphs repeat. Word needs a w:p at the end of every
 * cell (ECMA-376 §17.4.66), which an empty loop could take away: the
 * render then writes an empty paragraph with the properties of the cell's
 * last control paragraph (NB_T_CELL). */
static void put_loop_cell(compiler *c, const xmlNode *tc)
{
    const xmlNode *k;
    const xmlNode *last = NULL;
    const char *fallback = NULL;
    nb_tnode *m;
    nb_buf saved = c->stat;

    for (k = tc->children; k != NULL; k = k->next)
        if (cell_paragraph_goes(k))
            last = k;
    if (last != NULL) {
        nb_buf_init(&c->stat, c->t->limits.max_output_bytes);
        put_bare_paragraph_start(c, last);
        put_end_tag(c, last);
        if (c->stat.st != NB_OK || c->stat.data == NULL ||
            (fallback = nb_arena_strndup(c->t->arena, c->stat.data,
                                         c->stat.len)) == NULL)
            c->oom = true;
        nb_buf_fini(&c->stat);
        c->stat = saved;
    }
    put_start_tag(c, tc, false);
    nb_buf_addc(&c->stat, '>');
    m = put_marker(c, NB_T_CELL);
    if (m != NULL)
        m->s = fallback;
    for (k = tc->children; k != NULL && !c->oom; k = k->next) {
        if (is_block(k) && !cell_paragraph_goes(k) &&
            k->_private != &mark_loop_table) {
            /* a table whose rows repeat says itself whether it was
             * written */
            m = put_marker(c, NB_T_BLOCK);
            if (m != NULL) {
                m->sub = is_w(k, "p");
                m->len = 0;
            }
        }
        serialise_node(c, k);
    }
    close_span(c, NB_T_CELL);
    put_end_tag(c, tc);
}

/* numbering.xml's root: the w:num of a render go after the template's,
 * before a w:numIdMacAtCleanup (CT_Numbering's order). */
static void put_nums_marker(compiler *c, const xmlNode *root)
{
    nb_tnode *m = put_marker(c, NB_T_NUMS);
    const char *prefix =
        root->ns != NULL ? (const char *)root->ns->prefix : NULL;

    if (m == NULL)
        return;
    /* the parse is freed after the compile: a copy */
    m->s = nb_arena_strdup(c->t->arena, prefix != NULL ? prefix : "");
    if (m->s == NULL)
        c->oom = true;
}

static void put_numbering_root(compiler *c, const xmlNode *root)
{
    const xmlNode *k;
    bool placed = false;

    put_start_tag(c, root, false);
    nb_buf_addc(&c->stat, '>');
    for (k = root->children; k != NULL && !c->oom; k = k->next) {
        if (!placed && is_w(k, "numIdMacAtCleanup")) {
            put_nums_marker(c, root);
            placed = true;
        }
        serialise_node(c, k);
    }
    if (!placed)
        put_nums_marker(c, root);
    put_end_tag(c, root);
}

static void serialise_element(compiler *c, const xmlNode *n)
{
    int mark = mark_kind(c, n);
    uint32_t id;
    bool fallback = nb_xml_is(n, MC_NS, "Fallback");

    c->in_fallback += fallback;
    if (n->_private == &mark_control) {
        note_vanished(c, n);
        put_tags(c, n, (sig){n->parent, 0, LEVEL_PARAGRAPHS}, true);
    } else if (n->_private == &mark_cell_loop) {
        /* Word does not break a page inside a table cell */
        note_vanished(c, n);
        put_tags(c, n, (sig){n->parent, 0, LEVEL_PARAGRAPHS}, false);
    } else if (n->_private == &mark_control_row) {
        note_vanished(c, n);
        put_control_row(c, n);
    } else if (n->_private == &mark_row_edge) {
        /* its tags went before or after the row */
        note_vanished(c, n);
        if (n->parent->_private != &mark_loop_cell && edge_keeps_paragraph(n)) {
            note_paragraph(c, n);
            put_empty_paragraph(c, n);
        }
    } else if (n->_private == &mark_loop_table) {
        put_marker(c, NB_T_TABLE);
        put_element(c, n);
        close_span(c, NB_T_TABLE);
    } else if (n->_private == &mark_loop_cell) {
        put_loop_cell(c, n);
    } else if (c->wml && is_w(n, "tr")) {
        put_row(c, n);
    } else if (mark >= 0 && mark_id(n, &id)) {
        put_mark(c, n, mark, id);
    } else if (c->numbering && n->parent != NULL &&
               n->parent->type == XML_DOCUMENT_NODE) {
        put_numbering_root(c, n);
    } else {
        note_paragraph(c, n);
        put_element(c, n);
    }
    c->in_fallback -= fallback;
}

static void serialise_node(compiler *c, const xmlNode *n)
{
    switch (n->type) {
    case XML_ELEMENT_NODE:
        serialise_element(c, n);
        break;
    case XML_TEXT_NODE:
    case XML_CDATA_SECTION_NODE: {
        const char *s = (const char *)n->content;
        size_t len = s != NULL ? strlen(s) : 0;

        if (len > 0 && strstr(s, "{{") != NULL && is_tag_text(c, n))
            put_text_with_tags(c, n, s, len);
        else
            put_escaped(&c->stat, s, len, false);
        break;
    }
    default:
        break; /* comments and processing instructions are dropped */
    }
}

static void serialise(compiler *c, const xmlNode *n)
{
    for (; n != NULL && !c->oom; n = n->next)
        serialise_node(c, n);
}

/* Start compiling 'part': parse it into *doc (xmlFreeDoc). */
static nb_status compile_begin(compiler *c, xmlDocPtr *doc, nb_template *t,
                               nb_tpart *part, nb_diag_list *dl)
{
    memset(c, 0, sizeof(*c));
    c->t = t;
    c->part = part;
    c->dl = dl;
    c->first_diag = nb_diag_list_count(dl);
    nb_buf_init(&c->stat, t->limits.max_output_bytes);
    nb_buf_init(&c->scratch, 4096);
    nb_buf_init(&c->rec, t->limits.max_part_bytes);
    nb_buf_init(&c->scratch2, 4096);
    nb_buf_init(&c->fold, t->limits.max_part_bytes);
    nb_buf_init(&c->msg, 1u << 16);
    nb_buf_init(&c->open.text, t->limits.max_part_bytes);
    *doc = NULL;
    return nb_xml_parse(doc, (const char *)part->raw, part->raw_len, t->file,
                        part->name, NB_TMPL_PART_MALFORMED, t->limits.xml_huge,
                        dl);
}

/* Serialise 'root' into the root frame. */
static nb_status compile_root(compiler *c, const xmlNode *root)
{
    if (!open_frame(c, NULL, (sig){NULL, 0, LEVEL_PARAGRAPHS}, 0))
        return nb_diag_nomem(c->dl, c->t->file);
    nb_buf_adds(&c->stat, "<?xml version=\"1.0\" encoding=\"UTF-8\" "
                          "standalone=\"yes\"?>\r\n");
    serialise(c, root);
    flush_static(c);
    return NB_OK;
}

/* The root frame's nodes become the part's. */
static nb_status compile_seal(compiler *c)
{
    c->part->n_nodes = c->frames[0].n;
    c->part->nodes = seal(c, &c->frames[0]);
    return c->oom ? nb_diag_nomem(c->dl, c->t->file) : NB_OK;
}

static void compile_end(compiler *c, xmlDocPtr doc)
{
    size_t i;

    for (i = 0; i < c->n_frames; i++)
        frame_free(&c->frames[i]);
    free(c->frames);
    nb_buf_fini(&c->stat);
    nb_buf_fini(&c->scratch);
    nb_buf_fini(&c->rec);
    nb_buf_fini(&c->scratch2);
    nb_buf_fini(&c->fold);
    nb_buf_fini(&c->msg);
    nb_buf_fini(&c->open.text);
    xmlFreeDoc(doc);
}

nb_status nb_tmpl_compile_part(nb_template *t, nb_tpart *part, nb_diag_list *dl)
{
    compiler c;
    xmlDocPtr doc = NULL;
    xmlNodePtr root;
    nb_status st;
    size_t errors_before = nb_diag_errors(dl);

    part->merged = false;
    st = compile_begin(&c, &doc, t, part, dl);
    if (st != NB_OK)
        goto done;
    root = xmlDocGetRootElement(doc);
    c.wml = root != NULL && root->ns != NULL &&
            strcmp((const char *)root->ns->href, W_NS) == 0;
    if (c.wml && !nb_tmpl_ids_scan(t, root)) {
        st = nb_diag_nomem(dl, t->file);
        goto done;
    }
    /* a part is parsed even without a brace in it, so that a broken part
     * is reported rather than copied into the output */
    if (!nb_tmpl_has_brace((const char *)part->raw, part->raw_len))
        goto done;
    if (c.wml) {
        st = normalise(&c, root);
        if (st == NB_OK)
            settle_open_end(&c, NULL, "", 0);
    } else {
        st = normalise_text(&c, root);
    }
    if (st == NB_OK && c.oom)
        st = NB_ERR_NOMEM;
    if (st != NB_OK) {
        nb_diag_nomem(dl, t->file);
        goto done;
    }
    /* normalise() has reported every bad tag of every paragraph */
    c.quiet = true;
    st = compile_root(&c, root);
    if (st != NB_OK)
        goto done;
    c.quiet = false;
    while (c.n_frames > 1) {
        frame *f = &c.frames[c.n_frames - 1];

        report(&c, NB_TMPL_SECTION_UNCLOSED, f->line,
               _("'{{%c%.*s}}' is never closed"),
               f->tg.kind == TAG_INVERTED ? '^' : '#', (int)f->tg.path_len,
               f->tg.path_text);
        frame_free(f);
        c.n_frames--;
    }
    if (c.oom) {
        st = nb_diag_nomem(dl, t->file);
        goto done;
    }
    if (c.n_tags > 0) {
        part->merged = true;
        st = compile_seal(&c);
        if (st == NB_OK)
            nb_tmpl_ids_link(t, part);
    }
done:
    compile_end(&c, doc);
    if (st == NB_OK && nb_diag_errors(dl) > errors_before)
        part->merged = false;
    return st;
}

nb_status nb_tmpl_compile_numbering(nb_template *t, nb_tpart *part,
                                    nb_diag_list *dl)
{
    compiler c;
    xmlDocPtr doc = NULL;
    xmlNodePtr root;
    nb_status st;

    part->numbering = false;
    st = compile_begin(&c, &doc, t, part, dl);
    if (st != NB_OK)
        goto done;
    root = xmlDocGetRootElement(doc);
    /* a part of another kind under that name is copied as it is */
    if (!is_w(root, "numbering"))
        goto done;
    c.wml = true;
    c.numbering = true;
    c.plain = true;
    if (!nb_tmpl_numbering_read(t, root)) {
        st = nb_diag_nomem(dl, t->file);
        goto done;
    }
    st = compile_root(&c, root);
    if (st == NB_OK && c.oom)
        st = nb_diag_nomem(dl, t->file);
    if (st == NB_OK)
        st = compile_seal(&c);
    part->numbering = st == NB_OK;
done:
    compile_end(&c, doc);
    return st;
}
