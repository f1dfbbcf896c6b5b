/* write_forms.c: report model -> form set (docs/forms.md), and the blank
 * form set of `nianbao init`.
 *
 * The forms are written the way Excel and WPS read them without asking:
 * UTF-8 with a BOM (or GB18030, what Excel saves as "CSV" on Chinese
 * Windows), CRLF row ends, Chinese headers and labels. What the model
 * filled in by default (a section's title, the signer, the report title)
 * is left blank, so reading the forms back gives the same report.
 */
#include "catalog.h"
#include "csv_io.h"
#include "form.h"
#include "model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const kind_labels[] = {"举措成效", "存在不足", "第一责任人",
                                          "下年安排", "其他"};

/* The 编号 cell of a numbering style: NULL (empty) for AUTO. */
static const char *numbering_label(nb_numbering n)
{
    if (n == NB_NUM_AUTO)
        return NULL;
    return n == NB_NUM_NONE ? "不编号" : nb_numbering_name(n);
}

/* ==== meta.csv ==== */

static void meta_row(nb_buf *b, const char *key, const char *value)
{
    nb_csv_cell(b, key);
    nb_csv_cell(b, value != NULL ? value : "");
    nb_csv_end_row(b);
}

static void write_meta(nb_buf *b, const nb_report *r)
{
    const nb_meta *m = &r->meta;

    meta_row(b, "项目", "内容");
    meta_row(b, "发布机构", m->issuer);
    meta_row(b, "年度", m->year_text);
    if (m->date != NULL)
        meta_row(b, "成文日期", m->date);
    if (m->index_number != NULL)
        meta_row(b, "索引号", m->index_number);
    if (m->doc_number != NULL)
        meta_row(b, "文号", m->doc_number);
    if (m->disclosure != NULL)
        meta_row(b, "公开方式", m->disclosure);
    if (m->topic != NULL)
        meta_row(b, "主题分类", m->topic);
    if (m->published != NULL)
        meta_row(b, "发布日期", m->published);
    if (m->addressee != NULL)
        meta_row(b, "主送机关", m->addressee);
    if (!m->signer_default)
        meta_row(b, "署名", m->signer);
    if (!r->title_default)
        meta_row(b, "标题", r->title);
    if (m->profile == NB_PROFILE_ANNUAL)
        meta_row(b, "报告类型", "年度报告");
    else if (m->profile == NB_PROFILE_SUMMARY)
        meta_row(b, "报告类型", "工作总结");
    if (m->seal)
        meta_row(b, "用印", "是");
    if (m->numbering != NB_NUM_AUTO)
        meta_row(b, "事项编号", numbering_label(m->numbering));
    if (m->figures_table != NB_FIGTAB_NONE)
        meta_row(b, "附件指标表",
                 m->figures_table == NB_FIGTAB_GROUP ? "分类" : "是");
}

/* ==== narrative.csv ==== */

typedef struct nrow_out {
    const char *section;
    const char *area;
    const char *item;
    const char *type;
    const char *layout;
    const char *numbering;
    const char *lead;
    const char *text;
} nrow_out;

/* Plain text of a cell, where "{{" would open a reference: written as
 * {{"{{"}}, which reads back as "{{"; so is a last "{" before a
 * reference. */
static void plain_text(nb_buf *t, const char *s, size_t n, bool before_ref)
{
    const char *end = s + n;

    while (s < end) {
        const char *brace = memchr(s, '{', (size_t)(end - s));

        if (brace == NULL) {
            nb_buf_add(t, s, (size_t)(end - s));
            return;
        }
        if (brace + 1 >= end) {
            /* a last '{' before a reference would open it as "{{{" */
            nb_buf_add(t, s, (size_t)(brace - s));
            nb_buf_adds(t, before_ref ? "{{\"{\"}}" : "{");
            return;
        }
        nb_buf_add(t, s, (size_t)(brace - s));
        if (brace[1] == '{') {
            nb_buf_adds(t, "{{\"{{\"}}");
            s = brace + 2;
        } else {
            nb_buf_addc(t, '{');
            s = brace + 1;
        }
    }
}

/* A text cell: each metric reference (model.h) as {{code}}. */
static void text_cell(nb_buf *b, const char *text)
{
    nb_buf t;
    const char *p = text;

    if (text == NULL ||
        (strchr(text, NB_REF_OPEN) == NULL && strstr(text, "{{") == NULL)) {
        nb_csv_cell(b, text);
        return;
    }
    nb_buf_init(&t, NB_TEXT_MAX);
    while (p != NULL) {
        nb_ref ref;
        const char *next;
        size_t n = nb_ref_scan(p, &ref, &next);

        plain_text(&t, p, n, next != NULL);
        if (next != NULL)
            nb_buf_printf(&t, "{{%.*s%s%.*s}}", (int)ref.code_len, ref.code,
                          ref.field_len > 0 ? "." : "", (int)ref.field_len,
                          ref.field);
        p = next;
    }
    if (t.st != NB_OK && b->st == NB_OK)
        b->st = t.st; /* the row's buffer fails as its text did */
    nb_csv_cell(b, t.data != NULL ? t.data : "");
    nb_buf_fini(&t);
}

static void narrative_row(nb_buf *b, const nrow_out *o)
{
    nb_csv_cell(b, o->section);
    nb_csv_cell(b, o->area);
    nb_csv_cell(b, o->item);
    nb_csv_cell(b, o->type);
    nb_csv_cell(b, o->layout);
    nb_csv_cell(b, o->numbering);
    nb_csv_cell(b, o->lead);
    text_cell(b, o->text);
    nb_csv_end_row(b);
}

static void paras_rows(nb_buf *b, nrow_out o, const char *type,
                       const nb_para *p, size_t n)
{
    size_t i;

    o.type = type;
    o.lead = NULL;
    for (i = 0; i < n; i++) {
        o.text = p[i].text;
        narrative_row(b, &o);
    }
}

static void area_rows(nb_buf *b, const char *kind, size_t ai, const nb_area *a)
{
    char area[24];
    char key[48];
    nrow_out o = {kind, area, NULL, "标题", NULL, NULL, NULL, a->title};
    size_t i;
    size_t j;

    snprintf(area, sizeof(area), "%zu", ai + 1);
    o.layout = a->run_in ? "连排" : NULL;
    o.numbering = numbering_label(a->numbering);
    narrative_row(b, &o);
    o.layout = o.numbering = NULL;
    paras_rows(b, o, "段落", a->paras, a->n_paras);
    for (i = 0; i < a->n_items; i++) {
        const nb_item *it = &a->items[i];
        nrow_out io = {kind, area, key, "事项", NULL, NULL, it->lead, it->text};

        snprintf(key, sizeof(key), "%zu", i + 1);
        io.layout = it->run_in ? NULL : "分段";
        io.numbering = it->n_items > 0
                           ? numbering_label(it->items[0].numbering)
                           : NULL;
        narrative_row(b, &io);
        io.layout = io.numbering = NULL;
        paras_rows(b, io, "段落", it->paras, it->n_paras);
        for (j = 0; j < it->n_items; j++) {
            snprintf(key, sizeof(key), "%zu.%zu", i + 1, j + 1);
            io.lead = it->items[j].lead;
            io.text = it->items[j].text;
            narrative_row(b, &io);
            paras_rows(b, io, "段落", it->items[j].paras,
                       it->items[j].n_paras);
        }
    }
}

static nb_status write_narrative(nb_buf *b, const nb_report *r,
                                 nb_diag_list *dl)
{
    nrow_out hdr = {"部分", "方面", "事项", "类型",
                    "版式", "编号", "要点", "内容"};
    nrow_out o = {"前言", NULL, NULL, NULL, NULL, NULL, NULL, NULL};
    size_t s;
    size_t i;

    narrative_row(b, &hdr);
    paras_rows(b, o, "段落", r->preamble, r->n_preamble);
    for (s = 0; s < r->n_sections; s++) {
        const nb_section *sec = &r->sections[s];

        if (s > 0 && r->sections[s - 1].kind == sec->kind) {
            nb_loc loc = sec->loc;

            nb_diag_add(dl, NB_FORM_STRUCTURE, &loc,
                        _("two sections of kind '%s' in a row: a form set "
                          "cannot tell them apart; merge them"),
                        nb_section_kind_name(sec->kind));
            return NB_ERR_FORMAT;
        }
        o.section = kind_labels[sec->kind];
        o.type = "标题";
        o.text = sec->title_default ? NULL : sec->title;
        narrative_row(b, &o);
        paras_rows(b, o, "段落", sec->intro, sec->n_intro);
        if (sec->summary != NULL) {
            o.type = "引导语";
            o.text = sec->summary;
            narrative_row(b, &o);
        }
        for (i = 0; i < sec->n_areas; i++)
            area_rows(b, o.section, i, &sec->areas[i]);
        paras_rows(b, o, "结束语", sec->closing, sec->n_closing);
    }
    return NB_OK;
}

/* ==== metrics.csv ==== */

static void metric_row(nb_buf *b, const char *code, const char *name,
                       const char *value, const char *unit, const char *note)
{
    nb_csv_cell(b, code);
    nb_csv_cell(b, name);
    nb_csv_cell(b, value);
    nb_csv_cell(b, unit);
    nb_csv_cell(b, note);
}

/* The columns of acknowledged findings, only when a metric has one, so
 * that other form sets keep the form nianbao init writes. */
static bool any_acknowledged(const nb_report *r)
{
    size_t i;

    for (i = 0; r != NULL && i < r->n_metrics; i++)
        if (!r->metrics[i].derived &&
            (r->metrics[i].allow != NULL || r->metrics[i].reason != NULL ||
             r->metrics[i].truncate))
            return true;
    return false;
}

static void write_metrics(nb_buf *b, const nb_report *r)
{
    bool ack = any_acknowledged(r);
    size_t i;

    metric_row(b, "指标代码", "指标名称", "数值", "单位", "备注");
    if (ack) {
        nb_csv_cell(b, "确认");
        nb_csv_cell(b, "理由");
        nb_csv_cell(b, "取舍");
    }
    nb_csv_end_row(b);
    for (i = 0; r != NULL && i < r->n_metrics; i++) {
        const nb_metric *m = &r->metrics[i];
        const nb_indicator *ind =
            m->ind != NULL ? m->ind : nb_indicator_find(m->code);

        if (m->derived)
            continue; /* computed by the rules, not data */
        metric_row(b, m->code, ind != NULL ? ind->name : NULL, m->value,
                   m->unit, m->note);
        if (ack) {
            nb_csv_cell(b, m->allow);
            nb_csv_cell(b, m->reason);
            nb_csv_cell(b, m->truncate ? "截尾" : NULL);
        }
        nb_csv_end_row(b);
    }
    if (r != NULL)
        return;
    /* the blank form: every indicator, with its unit, to fill in */
    for (i = 0; i < nb_catalog_len; i++) {
        metric_row(b, nb_catalog_table[i].code, nb_catalog_table[i].name, NULL,
                   nb_catalog_table[i].unit, NULL);
        nb_csv_end_row(b);
    }
}

/* ==== Writing the set ==== */

enum { F_META, F_NARRATIVE, F_METRICS, F_README, N_FILES };

static nb_status write_set(const char *dir, nb_buf *bufs, size_t n,
                           nb_encoding enc, nb_diag_list *dl)
{
    static const char *const names[N_FILES] = {"meta.csv", "narrative.csv",
                                               "metrics.csv", "README.txt"};
    nb_out_file files[N_FILES];
    char *enc_data[N_FILES] = {NULL, NULL, NULL, NULL};
    nb_status st = NB_OK;
    size_t i;

    for (i = 0; i < n && st == NB_OK; i++) {
        size_t len = 0;

        if (bufs[i].st != NB_OK) {
            st = nb_diag_nomem(dl, dir);
            break;
        }
        st = nb_csv_encode(&enc_data[i], &len, bufs[i].data, bufs[i].len, enc,
                           names[i], dl);
        files[i].name = names[i];
        files[i].data = enc_data[i];
        files[i].len = len;
    }
    if (st == NB_OK)
        st = nb_dir_write_atomic(dir, files, n, dl);
    for (i = 0; i < N_FILES; i++)
        free(enc_data[i]);
    return st;
}

static void blank_forms(nb_buf *bufs, const char *issuer, int year);

nb_status nb_forms_csv(nb_buf bufs[NB_N_FORMS], const nb_report *r,
                       const char *issuer, int year, nb_diag_list *dl)
{
    size_t i;

    for (i = 0; i < NB_N_FORMS; i++)
        nb_buf_init(&bufs[i], NB_TEXT_MAX);
    if (r == NULL) {
        blank_forms(bufs, issuer, year);
        return NB_OK;
    }
    write_meta(&bufs[F_META], r);
    write_metrics(&bufs[F_METRICS], r);
    return write_narrative(&bufs[F_NARRATIVE], r, dl);
}

nb_status nb_report_write_forms(const nb_report *r, const char *dir,
                                nb_encoding enc, nb_diag_list *dl)
{
    nb_buf bufs[3];
    nb_status st;
    size_t i;

    if (nb_report_refuse_partial(r, dl))
        return NB_ERR_FORMAT;
    st = nb_forms_csv(bufs, r, NULL, 0, dl);
    if (st == NB_OK)
        st = write_set(dir, bufs, 3, enc, dl);
    for (i = 0; i < 3; i++)
        nb_buf_fini(&bufs[i]);
    return st;
}

/* ==== The blank form set ==== */

static const char readme[] =
    "nianbao 填报表格\r\n"
    "================\r\n"
    "\r\n"
    "本文件夹是一份法治政府建设年度报告的填报表格，可用 Excel 或 WPS 打开、"
    "填写、保存（“CSV UTF-8”或“CSV”格式均可）。\r\n"
    "\r\n"
    "meta.csv（基本信息）：每行一项。必须填写“发布机构”和“年度”；"
    "成文日期写作 2023-02-08 或 2023年2月8日。\r\n"
    "\r\n"
    "narrative.csv（正文）：每行一段，按阅读顺序排列。\r\n"
    "  部分：前言、举措成效、存在不足、第一责任人、下年安排、其他。\r\n"
    "  "
    "方面：同一部分中的第几个方面（1、2、3……），同一方面的各行要连在一起。\r\n"
    "  事项：方面中的第几项（1、2……），2.1 表示第 2 项中的第 1 小项。\r\n"
    "  "
    "类型：标题、段落、引导语、事项、结束语。部分的标题留空时使用默认标题。\r\n"
    "  版式：方面的标题行可填“连排”（标题与正文同段，如“（一）……。一是……”），"
    "默认“标题行”；事项可填“分段”（小项各自成段）。\r\n"
    "  编号：填“不编号”时，该方面的事项不加“一是”“1.”等序号。\r\n"
    "  要点：事项的要点（不加句号），内容：正文。\r\n"
    "  不要手工输入“一、”“（一）”“一是”等序号：nianbao 按顺序自动编号。\r\n"
    "\r\n"
    "metrics.csv（指标）：已列出全部标准指标。在“数值”列只填数字（如 130、"
    "20.5），约数照报告写法填（如 1万余、3530余、近千），单位在“单位”列；"
    "没有的指标留空。\r\n"
    "  正文引用指标：在“内容”中写 {{指标代码}}（如 {{fy_received}}）或 "
    "{{指标名称}}，生成时换成“数值+单位”（如“93件”）；"
    "{{指标代码.value}} 只写数值，{{指标代码.yoy}} 写同比变化。\r\n"
    "\r\n"
    "填好后检查：nianbao validate 本文件夹\r\n"
    "生成报告：nianbao render 本文件夹 -o 报告.docx\r\n";

nb_status nb_forms_init(const char *dir, const char *issuer, int year,
                        nb_encoding enc, nb_diag_list *dl)
{
    nb_buf bufs[N_FILES];
    nb_status st;
    size_t i;

    nb_forms_csv(bufs, NULL, issuer, year, dl);
    nb_buf_init(&bufs[F_README], NB_TEXT_MAX);
    nb_buf_add(&bufs[F_README], readme, sizeof(readme) - 1);
    st = write_set(dir, bufs, N_FILES, enc, dl);
    for (i = 0; i < N_FILES; i++)
        nb_buf_fini(&bufs[i]);
    return st;
}

/* The blank forms of init: the issuer and year given, the four parts
 * art. 25 requires with one example area, every indicator. */
static void blank_forms(nb_buf *bufs, const char *issuer, int year)
{
    char year_text[16] = "";
    nrow_out o = {"举措成效", NULL, NULL, "标题", NULL, NULL, NULL, NULL};
    static const char *const kinds[] = {"举措成效", "存在不足", "第一责任人",
                                        "下年安排"};
    nrow_out hdr = {"部分", "方面", "事项", "类型",
                    "版式", "编号", "要点", "内容"};
    size_t i;

    if (year > 0)
        snprintf(year_text, sizeof(year_text), "%d", year);
    meta_row(&bufs[F_META], "项目", "内容");
    meta_row(&bufs[F_META], "发布机构", issuer);
    meta_row(&bufs[F_META], "年度", year_text);
    meta_row(&bufs[F_META], "成文日期", NULL);
    meta_row(&bufs[F_META], "索引号", NULL);
    meta_row(&bufs[F_META], "公开方式", "主动公开");
    meta_row(&bufs[F_META], "主送机关", NULL);

    narrative_row(&bufs[F_NARRATIVE], &hdr);
    /* the four parts art. 25 requires, with their default titles; one
     * example area to show the shape */
    for (i = 0; i < 4; i++) {
        o.section = kinds[i];
        narrative_row(&bufs[F_NARRATIVE], &o);
        if (i == 0) {
            nrow_out t = {"举措成效", "1",
                          NULL,       "标题",
                          NULL,       NULL,
                          NULL,       "坚持党的全面领导，统筹推进法治政府建设"};
            nrow_out e = {"举措成效",
                          "1",
                          "1",
                          "事项",
                          NULL,
                          NULL,
                          "强化组织领导",
                          "（示例）召开全面依法治县委员会会议2次，研究部署年度"
                          "重点任务。"};

            narrative_row(&bufs[F_NARRATIVE], &t);
            narrative_row(&bufs[F_NARRATIVE], &e);
        }
    }
    write_metrics(&bufs[F_METRICS], NULL);
}

/* ==== Encodings ==== */

bool nb_encoding_parse(nb_encoding *out, const char *name)
{
    static const struct {
        const char *name;
        nb_encoding enc;
    } names[] = {{"auto", NB_ENC_AUTO},    {"utf-8", NB_ENC_UTF8},
                 {"utf8", NB_ENC_UTF8},    {"gb18030", NB_ENC_GB18030},
                 {"gbk", NB_ENC_GB18030},  {"gb2312", NB_ENC_GB18030},
                 {"cp936", NB_ENC_GB18030}};
    size_t i;

    for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (nb_ascii_casecmp(name, names[i].name) == 0) {
            *out = names[i].enc;
            return true;
        }
    return false;
}

const char *nb_encoding_name(nb_encoding enc)
{
    return enc == NB_ENC_UTF8      ? "UTF-8"
           : enc == NB_ENC_GB18030 ? "GB18030"
                                   : "auto";
}
