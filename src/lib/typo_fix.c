/* typo_fix.c: nianbao fix, the safe typography fixes applied to the data.
 *
 * Works on the bytes of a report XML or a CSV form, not on the model, so
 * that everything but the fixed characters stays as the office wrote it
 * (layout, comments, quoting). Only text is touched: between the tags of
 * XML (never markup, attributes, comments, CDATA or entity references) and
 * inside the cells of CSV (never a separator or a quote). The fixes are the
 * ones that cannot change what the text says (GB/T 15834-2011): the
 * full-width form of ，；：？！（） next to Chinese, one of a doubled mark,
 * no space between Chinese characters, half-width digits and letters.
 * Each change is a located note, so a dry run shows the office what would
 * change; render never changes text (docs/typography.md).
 */
#include "typo.h"

#include <dirent.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct fx {
    nb_buf out;
    const char *file;
    nb_diag_list *dl;
    uint32_t line, col; /* of the next input byte */
    size_t changes;
    uint32_t last; /* the last code point written in this run of text */
    bool ref_after; /* a metric reference follows the run */
} fx;

/* What a metric reference (<m code="…"/>, {{code}}) counts as beside a
 * mark: its figure is printed with a Chinese unit (130件, 同比增长9.8%). */
#define REF_CP 0x4EF6

/* Pass over s[0..n), keeping the line and column; 'emit': copy it. */
static void advance(fx *f, const char *s, size_t n, bool emit)
{
    size_t i;

    if (emit)
        nb_buf_add(&f->out, s, n);
    for (i = 0; i < n; i++) {
        if (s[i] == '\n') {
            f->line++;
            f->col = 1;
        } else if (((unsigned char)s[i] & 0xC0) != 0x80) {
            f->col++;
        }
    }
}

static void copy(fx *f, const char *s, size_t n)
{
    advance(f, s, n, true);
}

static void put_cp(fx *f, uint32_t cp)
{
    char u[4];
    size_t n;

    if (cp < 0x80) {
        u[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        u[0] = (char)(0xC0 | (cp >> 6));
        u[1] = (char)(0x80 | (cp & 0x3F));
        n = 2;
    } else {
        u[0] = (char)(0xE0 | (cp >> 12));
        u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    }
    nb_buf_add(&f->out, u, n);
}

static void note(fx *f, const char *from, size_t n, const char *to)
{
    nb_loc loc = {f->file, f->line, f->col, NULL};
    char was[32];

    if (n >= sizeof(was))
        n = sizeof(was) - 1;
    memcpy(was, from, n);
    was[n] = '\0';
    f->changes++;
    if (*to != '\0')
        nb_diag_add(f->dl, NB_TYPO_FIXED, &loc, _("'%s' -> '%s'"), was, to);
    else
        nb_diag_add(f->dl, NB_TYPO_FIXED, &loc, _("'%s' removed"), was);
}

/* ==== One run of text ==== */

/* The code point at s[i] for neighbour tests: an entity reference or a
 * CSV quote is no Chinese. */
static uint32_t at(const fx *f, const char *s, size_t len, size_t i)
{
    uint32_t cp;

    if (i >= len)
        return f->ref_after ? REF_CP : 0;
    if (s[i] == '{' && i + 1 < len && s[i + 1] == '{')
        return REF_CP;
    if (s[i] == '&' || s[i] == '"')
        return 0;
    nb_typo_next(s + i, len - i, &cp);
    return cp;
}

static uint32_t before_at(const fx *f, const char *s, size_t i)
{
    uint32_t cp;

    if (i == 0)
        return f->last;
    if (i >= 2 && s[i - 1] == '}' && s[i - 2] == '}')
        return REF_CP;
    cp = nb_typo_last(s, i);
    return cp == ';' || cp == '"' ? 0 : cp;
}

/* Which ASCII brackets of s[0..len) become full-width: a pair together,
 * when Chinese is next to either of them; a lone one by its neighbours.
 * 'mark' has one byte per byte of s. */
static void brackets(const fx *f, char *mark, const char *s, size_t len)
{
    size_t stack[64];
    size_t depth = 0;
    size_t i;

    for (i = 0; i < len; i++) {
        bool cn = nb_typo_is_chinese(before_at(f, s, i)) ||
                  nb_typo_is_chinese(at(f, s, len, i + 1));

        if (s[i] == '(') {
            mark[i] = cn;
            if (depth < 64)
                stack[depth] = i;
            depth++;
        } else if (s[i] == ')') {
            mark[i] = cn;
            if (depth > 0 && --depth < 64 && (cn || mark[stack[depth]])) {
                mark[i] = 1;
                mark[stack[depth]] = 1;
            }
        }
    }
}

/* Blanks at s[i..) followed by Chinese, after Chinese: their length. */
static size_t stray_blanks(const fx *f, const char *s, size_t len, size_t i)
{
    size_t j = i;
    uint32_t cp = 0;

    if (!nb_typo_is_chinese(f->last))
        return 0;
    while (j < len) {
        size_t n = nb_typo_next(s + j, len - j, &cp);

        if (cp != ' ') /* a tab or a full-width space is meant */
            break;
        j += n;
    }
    return j > i && nb_typo_is_chinese(at(f, s, len, j)) ? j - i : 0;
}

/* The replacement for the character at s[i] (n bytes), or 0 to keep it;
 * UINT32_MAX to drop it. */
static uint32_t fix_one(const fx *f, const char *s, size_t len, size_t i,
                        size_t n, uint32_t cp, const char *mark)
{
    uint32_t full = nb_typo_full_mark(cp);

    if (full != 0) {
        if (cp == '(' || cp == ')')
            return mark != NULL && mark[i] ? full : 0;
        if (nb_typo_is_chinese(before_at(f, s, i)) ||
            nb_typo_is_chinese(at(f, s, len, i + n)))
            return full == f->last ? UINT32_MAX : full;
        return 0;
    }
    if ((cp == 0x3002 || cp == 0xFF0C || cp == 0x3001 || cp == 0xFF1B ||
         cp == 0xFF1A) &&
        cp == f->last)
        return UINT32_MAX;
    if ((cp >= 0xFF10 && cp <= 0xFF19) || (cp >= 0xFF21 && cp <= 0xFF3A) ||
        (cp >= 0xFF41 && cp <= 0xFF5A))
        return cp - 0xFEE0;
    return 0;
}

/* Fix the text s[0..len), entity references kept whole. 'last' is what
 * stands before it (0: nothing that counts). */
static void fix_run(fx *f, const char *s, size_t len, uint32_t last)
{
    char *mark = NULL;
    size_t i = 0;

    f->last = last;
    if (memchr(s, '(', len) != NULL || memchr(s, ')', len) != NULL) {
        mark = calloc(len, 1);
        if (mark == NULL) {
            f->out.st = NB_ERR_NOMEM;
            return;
        }
        brackets(f, mark, s, len);
    }
    while (i < len && f->out.st == NB_OK) {
        uint32_t cp;
        size_t n = nb_typo_next(s + i, len - i, &cp);
        size_t blanks = stray_blanks(f, s, len, i);
        uint32_t to;
        char u[8] = {0};

        if (s[i] == '&') {
            const char *semi = memchr(s + i, ';', len - i < 16 ? len - i : 16);

            n = semi != NULL ? (size_t)(semi - (s + i)) + 1 : 1;
            copy(f, s + i, n);
            f->last = 0;
            i += n;
            continue;
        }
        if (blanks > 0) {
            note(f, s + i, blanks, "");
            advance(f, s + i, blanks, false);
            i += blanks;
            continue;
        }
        to = fix_one(f, s, len, i, n, cp, mark);
        if (to == 0) {
            copy(f, s + i, n);
            f->last = cp;
        } else {
            size_t mark_len = f->out.len;

            if (to != UINT32_MAX) {
                put_cp(f, to);
                memcpy(u, f->out.data + mark_len, f->out.len - mark_len);
                f->last = to;
            }
            note(f, s + i, n, u);
            f->col++;
        }
        i += n;
    }
    free(mark);
}

/* ==== XML and CSV ==== */

/* The end of the markup that starts at s[i] ('<'). */
static size_t markup_end(const char *s, size_t len, size_t i)
{
    static const char *const ends[][2] = {
        {"<!--", "-->"}, {"<![CDATA[", "]]>"}, {"<?", "?>"}};
    size_t k;
    char quote = 0;

    for (k = 0; k < 3; k++) {
        size_t l = strlen(ends[k][0]);

        if (len - i >= l && memcmp(s + i, ends[k][0], l) == 0) {
            const char *e = NULL;
            size_t j;

            for (j = i + l; j + strlen(ends[k][1]) <= len && e == NULL; j++)
                if (memcmp(s + j, ends[k][1], strlen(ends[k][1])) == 0)
                    e = s + j + strlen(ends[k][1]);
            return e != NULL ? (size_t)(e - s) : len;
        }
    }
    for (; i < len; i++) {
        if (quote != 0 && s[i] == quote)
            quote = 0;
        else if (quote == 0 && (s[i] == '"' || s[i] == '\''))
            quote = s[i];
        else if (quote == 0 && s[i] == '>')
            return i + 1;
    }
    return len;
}

/* Is the markup at s[0..len) a metric reference (<m …/>)? */
static bool is_ref(const char *s, size_t len)
{
    return len >= 3 && s[0] == '<' && s[1] == 'm' &&
           (s[2] == ' ' || s[2] == '/' || s[2] == '>');
}

static void fix_xml(fx *f, const char *s, size_t len)
{
    size_t i = 0;
    bool ref_before = false;

    while (i < len && f->out.st == NB_OK) {
        size_t j;

        if (s[i] == '<') {
            j = markup_end(s, len, i);
            copy(f, s + i, j - i);
            ref_before = is_ref(s + i, j - i);
        } else {
            const char *lt = memchr(s + i, '<', len - i);

            j = lt != NULL ? (size_t)(lt - s) : len;
            f->ref_after = j < len && is_ref(s + j, len - j);
            fix_run(f, s + i, j - i, ref_before ? REF_CP : 0);
            f->ref_after = false;
        }
        i = j;
    }
}

static void fix_csv(fx *f, const char *s, size_t len)
{
    size_t i = 0;

    if (len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) {
        nb_buf_add(&f->out, s, 3);
        i = 3;
    }
    while (i < len && f->out.st == NB_OK) {
        size_t j = i;

        if (s[i] == ',' || s[i] == '\n' || s[i] == '\r') {
            copy(f, s + i, 1);
            i++;
            continue;
        }
        if (s[i] == '"') {
            /* a quoted cell: fix between its quotes, "" kept */
            copy(f, s + i, 1);
            i++;
            for (j = i; j < len; j++) {
                if (s[j] == '"' && j + 1 < len && s[j + 1] == '"')
                    j++;
                else if (s[j] == '"')
                    break;
            }
            fix_run(f, s + i, j - i, 0);
            if (j < len)
                copy(f, s + j, 1);
            i = j + 1;
            continue;
        }
        while (j < len && s[j] != ',' && s[j] != '\n' && s[j] != '\r')
            j++;
        fix_run(f, s + i, j - i, 0);
        i = j;
    }
}

nb_status nb_typo_fix(char **out, size_t *len_out, size_t *changes_out,
                      const char *data, size_t len, nb_typo_format fmt,
                      const char *file, nb_diag_list *dl)
{
    fx f;
    nb_status st;

    *out = NULL;
    *len_out = 0;
    *changes_out = 0;
    memset(&f, 0, sizeof(f));
    nb_buf_init(&f.out, len + len / 2 + 16);
    f.file = nb_diag_intern(dl, file != NULL ? file : "-");
    f.dl = dl;
    f.line = 1;
    f.col = 1;
    if (fmt == NB_TYPO_CSV)
        fix_csv(&f, data, len);
    else
        fix_xml(&f, data, len);
    nb_buf_addc(&f.out, '\0');
    st = f.out.st;
    if (st != NB_OK) {
        nb_buf_fini(&f.out);
        return st == NB_ERR_NOMEM ? nb_diag_nomem(dl, file) : st;
    }
    f.out.len--;
    *changes_out = f.changes;
    *out = nb_buf_steal(&f.out, len_out);
    return NB_OK;
}

/* ==== Files and folders ==== */

/* s[0..len) (UTF-8) as GB18030, for a form that came in GB18030; caller
 * frees *out. NB_ERR_FORMAT when iconv cannot. */
static nb_status to_gb18030(char **out, size_t *len_out, const char *s,
                            size_t len)
{
    iconv_t cd = iconv_open("GB18030", "UTF-8");
    char *in = (char *)s;
    size_t in_left = len;
    size_t cap = len * 2 + 16; /* a Latin letter may take 4 bytes */
    char *buf;
    char *o;
    size_t o_left = cap;
    nb_status st = NB_OK;

    *out = NULL;
    if (cd == (iconv_t)-1)
        return NB_ERR_FORMAT;
    buf = malloc(cap);
    o = buf;
    if (buf == NULL)
        st = NB_ERR_NOMEM;
    else if (iconv(cd, &in, &in_left, &o, &o_left) == (size_t)-1)
        st = NB_ERR_FORMAT;
    iconv_close(cd);
    if (st != NB_OK) {
        free(buf);
        return st;
    }
    *len_out = cap - o_left;
    *out = buf;
    return NB_OK;
}

/* The text of a file as UTF-8: as it is, or decoded from GB18030 (*gb
 * set). NB_ERR_FORMAT, reported, when it is neither. */
static nb_status file_text(char **data, size_t *len, bool *gb,
                           const char *path, nb_diag_list *dl)
{
    size_t bad;
    char *u = NULL;
    nb_loc loc = {path, 0, 0, NULL};

    *gb = false;
    if (nb_utf8_valid(*data, *len, &bad))
        return NB_OK;
    if (nb_has_suffix(path, ".csv") &&
        nb_gb18030_dup(&u, *data, *len) == NB_OK) {
        free(*data);
        *data = u;
        *len = strlen(u);
        *gb = true;
        return NB_OK;
    }
    nb_diag_add(dl, NB_TYPO_FIX_UNREADABLE, &loc,
                _("not UTF-8 (byte %zu) nor a GB18030 CSV form"), bad + 1);
    return NB_ERR_FORMAT;
}

static nb_status fix_file(const char *path, bool write, size_t *changes,
                          nb_diag_list *dl)
{
    char *data = NULL;
    char *fixed = NULL;
    size_t len = 0;
    size_t fixed_len = 0;
    char *gb_out = NULL;
    size_t n = 0;
    bool gb;
    nb_status st;

    st = nb_file_read(&data, &len, path, NB_DEFAULT_MAX_INPUT,
                      NB_XML_TOO_LARGE, dl);
    if (st != NB_OK)
        goto done;
    if (file_text(&data, &len, &gb, path, dl) != NB_OK)
        goto done; /* reported; the other files are still fixed */
    st = nb_typo_fix(&fixed, &fixed_len, &n,
                     data, len,
                     nb_has_suffix(path, ".csv") ? NB_TYPO_CSV : NB_TYPO_XML,
                     path, dl);
    if (st != NB_OK)
        goto done;
    *changes += n;
    if (gb && n > 0 && to_gb18030(&gb_out, &fixed_len, fixed, fixed_len) !=
                           NB_OK) {
        nb_loc loc = {path, 0, 0, NULL};

        nb_diag_add(dl, NB_TYPO_FIX_UNREADABLE, &loc,
                    _("the fixed text cannot be written back in GB18030"));
        goto done;
    }
    if (write && n > 0)
        st = nb_write_file_atomic(path, gb ? gb_out : fixed, fixed_len, dl);
done:
    free(gb_out);
    free(data);
    nb_free(fixed);
    return st;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
    return strcmp((*a)->d_name, (*b)->d_name);
}

static nb_status fix_dir(const char *dir, bool write, size_t *changes,
                         nb_diag_list *dl)
{
    struct dirent **list = NULL;
    int n = scandir(dir, &list, NULL, by_name);
    int i;
    nb_status st = NB_OK;

    if (n < 0) {
        nb_loc loc = {dir, 0, 0, NULL};

        nb_diag_add(dl, NB_IO_OPEN, &loc, _("cannot read the folder"));
        return NB_ERR_IO;
    }
    for (i = 0; i < n; i++) {
        const char *name = list[i]->d_name;
        char *p;

        if (st == NB_OK && name[0] != '.' &&
            (nb_has_suffix(name, ".xml") || nb_has_suffix(name, ".csv"))) {
            p = nb_path_join(dir, name);
            st = p != NULL ? fix_file(p, write, changes, dl)
                           : nb_diag_nomem(dl, dir);
            free(p);
        }
        free(list[i]);
    }
    free(list);
    return st;
}

nb_status nb_typo_fix_path(const char *path, bool write, size_t *changes_out,
                           nb_diag_list *dl)
{
    struct stat sb;

    *changes_out = 0;
    if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
        return fix_dir(path, write, changes_out, dl);
    if (!nb_has_suffix(path, ".xml") && !nb_has_suffix(path, ".csv") &&
        stat(path, &sb) == 0) {
        nb_loc loc = {path, 0, 0, NULL};

        nb_diag_add(dl, NB_TYPO_FIX_UNREADABLE, &loc,
                    _("not a report XML (.xml) or CSV form (.csv)"));
        return NB_OK;
    }
    return fix_file(path, write, changes_out, dl);
}
