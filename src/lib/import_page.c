/* import_page.c: a published page pasted as text, or saved, around the
 * report: the metadata lines of a 政府信息公开 page (索引号, 发布机构,
 * 成文日期 …) read into meta, and the page's chrome (breadcrumbs, browser
 * notices, 字体大小, 打印, 扫一扫 …) before the title and after the body
 * left out, each a located note (NB2120). The article itself is never
 * touched: the first paragraph that is neither ends the head, the last
 * one the tail.
 */
#include "form.h"
#include "import.h"

#include <stddef.h>
#include <string.h>

/* ==== Metadata labels ==== */

typedef struct mkey {
    const char *key;
    size_t off; /* of the field in nb_meta; (size_t)-1: read, not kept */
} mkey;

#define NONE ((size_t)-1)

static const mkey mkeys[] = {
    {"索引号", offsetof(nb_meta, index_number)},
    {"发布机构", offsetof(nb_meta, issuer)},
    {"发布单位", offsetof(nb_meta, issuer)},
    {"发文机关", offsetof(nb_meta, issuer)},
    {"制发机构", offsetof(nb_meta, issuer)},
    {"发文字号", offsetof(nb_meta, doc_number)},
    {"文号", offsetof(nb_meta, doc_number)},
    {"成文日期", offsetof(nb_meta, date)},
    {"发布日期", offsetof(nb_meta, published)},
    {"公开方式", offsetof(nb_meta, disclosure)},
    {"主题分类", offsetof(nb_meta, topic)},
    {"所属主题", NONE},
    {"体裁分类", NONE},
    {"公开目录", NONE},
    {"生效日期", NONE},
    {"废止日期", NONE},
    {"有效性", NONE},
    {"发布时间", NONE},
    {"更新时间", NONE},
    {"文章来源", NONE},
    {"信息来源", NONE},
    {"来源", NONE},
    {"访问次数", NONE},
    {"浏览次数", NONE},
    {"点击数", NONE},
    {"字体大小", NONE},
    {"字号", NONE},
    {"标题", NONE},
    {"主题词", NONE},
};

const char **nb_import_meta_field(nb_meta *m, const char *s, size_t *klen)
{
    size_t i;

    for (i = 0; i < NB_COUNT(mkeys); i++) {
        size_t k = strlen(mkeys[i].key);

        if (strncmp(s, mkeys[i].key, k) == 0 && mkeys[i].off != NONE) {
            *klen = k;
            return (const char **)((char *)m + mkeys[i].off);
        }
    }
    return NULL;
}

/* The label at s followed by its colon: the entry, and the bytes both
 * take in *len; NULL if none. */
static const mkey *label_at(const char *s, size_t *len)
{
    size_t i;

    for (i = 0; i < NB_COUNT(mkeys); i++) {
        size_t k = strlen(mkeys[i].key);

        if (strncmp(s, mkeys[i].key, k) != 0)
            continue;
        if (s[k] == ':') {
            *len = k + 1;
            return &mkeys[i];
        }
        if (strncmp(s + k, "：", 3) == 0) {
            *len = k + 3;
            return &mkeys[i];
        }
    }
    return NULL;
}

/* s without blanks (ASCII, U+3000, U+00A0) and table bars, in the arena:
 * "索 引 号: | 123 |" as "索引号:123". */
static char *compact(nb_idoc *d, const char *s)
{
    size_t n = strlen(s);
    char *t = nb_arena_alloc(d->r->arena, n + 1);
    size_t k = 0;
    size_t i = 0;

    if (t == NULL) {
        d->oom = true;
        return NULL;
    }
    while (s[i] != '\0') {
        if (s[i] == ' ' || s[i] == '\t' || s[i] == '|')
            i++;
        else if (strncmp(s + i, "\xe3\x80\x80", 3) == 0 ||
                 strncmp(s + i, "｜", 3) == 0)
            i += 3;
        else if (strncmp(s + i, "\xc2\xa0", 2) == 0)
            i += 2;
        else
            t[k++] = s[i++];
    }
    t[k] = '\0';
    return t;
}

/* Keep value v[0..n) in the field of 'key' unless it has one; true when
 * it was kept. */
static bool keep(nb_idoc *d, const mkey *key, const char *v, size_t n)
{
    const char **field;
    char iso[16];
    char *val;

    if (key->off == NONE || n == 0 || n >= 200)
        return false;
    field = (const char **)((char *)&d->r->meta + key->off);
    if (*field != NULL)
        return false;
    val = nb_arena_strndup(d->r->arena, v, n);
    if (val == NULL)
        return !(d->oom = true);
    if (key->off == offsetof(nb_meta, date) ||
        key->off == offsetof(nb_meta, published)) {
        if (n > 10)
            val[10] = '\0'; /* "2024-03-28 09:18" */
        if (!nb_date_norm(iso, sizeof(iso), val))
            return false;
        val = nb_arena_strdup(d->r->arena, iso);
    }
    *field = val;
    return val != NULL;
}

/* A line of "label: value" pairs ("发布机构: 江北区司法局 成文日期:
 * 2022-02-28"): its values kept in meta, *kept when one of them was.
 * False when s does not open with a label. */
static bool meta_line(nb_idoc *d, const char *s, bool *kept)
{
    const char *t = compact(d, s);
    const mkey *key;
    size_t len;

    *kept = false;
    if (t == NULL || (key = label_at(t, &len)) == NULL)
        return false;
    t += len;
    for (;;) {
        const char *v = t;
        const mkey *next = NULL;

        while (*t != '\0' && (next = label_at(t, &len)) == NULL)
            t++;
        *kept |= keep(d, key, v, (size_t)(t - v));
        if (next == NULL)
            return true;
        key = next;
        t += len;
    }
}

/* ==== Chrome ==== */

static bool has_any(const char *s, const char *const *w)
{
    for (; *w != NULL; w++)
        if (strstr(s, *w) != NULL)
            return true;
    return false;
}

/* Words of a page's frame, never of a report's title or first lines. */
static const char *const head_words[] = {
    "浏览器", "当前位置", "所在位置", "您的位置", "首页>", "首页 >",
    "首页＞", "字体大小", "无障碍", "简体", "繁体", "今天是", "【打印】",
    "打印本页", "分享到", "扫一扫", "【大】", "【中】", "【小】", NULL};

static const char *const tail_words[] = {
    "扫一扫", "您即将离开", "打印本页", "关闭窗口", "【打印】", "【关闭】",
    "分享到", "责任编辑", "网站地图", "主办单位", "承办单位", "ICP备",
    "公网安备", "网站标识码", "联系我们", "上一篇", "下一篇", "相关链接",
    "附件下载", "收藏本页", "我要纠错", "浏览器", NULL};

/* A value the metadata already gave, on a line of its own (a page's
 * table copied cell by cell). */
static bool meta_value(const nb_meta *m, const char *s)
{
    const char *const v[] = {m->index_number, m->issuer,     m->doc_number,
                             m->date,         m->published,  m->disclosure,
                             m->topic};
    size_t i;

    for (i = 0; i < NB_COUNT(v); i++)
        if (v[i] != NULL && strcmp(v[i], s) == 0)
            return true;
    return false;
}

/* A line that only dates the page: "2024-03-28", "2024-03-28 09:18". */
static bool stamp(const char *s)
{
    size_t i;

    for (i = 0; s[i] != '\0'; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || s[i] == '-' || s[i] == '/' ||
              s[i] == ':' || s[i] == ' ' || s[i] == '.'))
            return false;
    return i >= 8 && i <= 20;
}

static bool short_plain(const char *s)
{
    return strlen(s) <= 240;
}

static void note(nb_idoc *d, const nb_ipara *p, bool meta, nb_diag_list *dl)
{
    nb_loc loc = {d->r->file, p->line, 0, d->where};
    size_t n = strlen(p->text) < 36 ? strlen(p->text) : 36;

    while (n > 0 && n < strlen(p->text) &&
           ((unsigned char)p->text[n] & 0xc0) == 0x80)
        n--; /* not inside a character */
    if (meta)
        nb_diag_add(dl, NB_IMPORT_PAGE_LINE, &loc,
                    _("'%.*s' is the page's metadata: read into meta, not "
                      "into the text"),
                    (int)n, p->text);
    else
        nb_diag_add(dl, NB_IMPORT_PAGE_LINE, &loc,
                    _("'%.*s' is the web page around the report: left out"),
                    (int)n, p->text);
}

/* The first half of a title split over two lines: "桃源县人民政府" before
 * "2017年度法治政府建设情况报告". */
static bool title_half(const nb_idoc *d, size_t i, size_t n)
{
    static const char *const ends[] = {"报告", "情况", "总结"};
    const char *t;
    size_t k;
    size_t j;

    if (i + 1 >= n)
        return false;
    t = d->p[i + 1].text;
    k = strlen(t);
    for (j = 0; j < NB_COUNT(ends); j++)
        if (k >= 6 && strcmp(t + k - 6, ends[j]) == 0)
            return true;
    return false;
}

size_t nb_import_page_head(nb_idoc *d, size_t i, size_t n, nb_diag_list *dl)
{
    bool table = false; /* metadata lines were read */

    for (; i < n && !d->oom; i++) {
        const nb_ipara *p = &d->p[i];
        bool kept;

        if (meta_line(d, p->text, &kept)) {
            note(d, p, kept, dl);
            table = true;
        } else if (short_plain(p->text) &&
                   (has_any(p->text, head_words) || stamp(p->text) ||
                    (table && meta_value(&d->r->meta, p->text) &&
                     !title_half(d, i, n)))) {
            note(d, p, false, dl);
        } else {
            break;
        }
    }
    return i;
}

size_t nb_import_page_tail(nb_idoc *d, size_t from, size_t n,
                           nb_diag_list *dl)
{
    while (n > from && short_plain(d->p[n - 1].text) &&
           strstr(d->p[n - 1].text, "。") == NULL &&
           has_any(d->p[n - 1].text, tail_words)) {
        note(d, &d->p[n - 1], false, dl);
        n--;
    }
    return n;
}
