#!/usr/bin/python3
"""bench/peers/make.py: the report data and templates of bench/peers.sh.

    make.py STANDARD.docx OUTDIR

Writes into OUTDIR:
  data.json, data10.json, data100.json   the report: 8 sections of 5
      paragraphs (about 7,000 characters, 17 pages of GB/T 9704 with the
      table) and a 30-row table of figures; then ten and a hundred times
      as many sections and rows
  braces.docx   the template in {{ }} tags: nianbao's, and docxtemplater's
      with delimiters set to {{ }} (paragraph loops, a one-row table loop)
  jinja.docx    the same template in python-docx-template's Jinja tags
      ({%p for %} paragraphs, {%tr for %} rows)
Both templates keep STANDARD.docx's styles, fonts, footers and page
setup; only word/document.xml differs. Standard library only.
"""
import json
import os
import re
import sys
import zipfile

W_NS = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/'
        'main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/'
        '2006/relationships"')

WORK = ["行政执法", "政务公开", "依法决策", "复议应诉", "普法宣传", "矛盾化解",
        "法治督察", "规范性文件备案审查"]
VERB = ["深入推进", "全面落实", "持续完善", "切实加强", "稳步推进", "不断健全"]
OBJ = ["行政执法三项制度", "重大行政决策程序", "权责清单动态调整机制",
       "行政规范性文件合法性审核", "府院联动工作机制", "基层法治观察点建设"]
END = ["取得明显成效", "群众满意度稳步提升", "为经济社会发展提供了有力法治保障",
       "各项工作有序开展"]


def sentence(i):
    return "%s%s，%s，全年办理相关事项%d件，%s。" % (
        VERB[i % len(VERB)], OBJ[(i // 3) % len(OBJ)],
        WORK[(i // 7) % len(WORK)] + "工作" + END[i % len(END)],
        100 + (i * 37) % 900, END[(i // 5) % len(END)])


def data(times):
    sections = []
    k = 0
    for s in range(8 * times):
        paragraphs = []
        for _ in range(5):
            text = "".join(sentence(k + j) for j in range(3))
            k += 3
            paragraphs.append({"text": text})
        sections.append({"heading": "%s、%s工作情况" % (
            "一二三四五六七八"[s % 8], WORK[s % len(WORK)]),
            "paragraphs": paragraphs})
    rows = []
    for i in range(30 * times):
        value = 1000 + (i * 7919) % 90000
        last = 1000 + (i * 6007) % 90000
        rows.append({"n": i + 1, "name": "%s案件数（第%d项）" % (
            WORK[i % len(WORK)], i + 1), "value": value, "unit": "件",
            "last": last, "change": "%+.1f%%" % ((value - last) * 100.0 / last)})
    return {"title": "某某市司法局2022年法治政府建设年度报告",
            "issuer": "某某市司法局", "year": 2022, "date": "2023年2月8日",
            "sections": sections, "rows": rows}


def para(text, style=None):
    ppr = '<w:pPr><w:pStyle w:val="%s"/></w:pPr>' % style if style else ""
    return '<w:p>%s<w:r><w:t xml:space="preserve">%s</w:t></w:r></w:p>' % (
        ppr, text)


def table(rows):
    widths = [900, 3600, 1200, 800, 1200, 1145]
    grid = "".join('<w:gridCol w:w="%d"/>' % w for w in widths)
    border = ('<w:tblBorders>' + "".join(
        '<w:%s w:val="single" w:sz="4" w:space="0" w:color="000000"/>' % b
        for b in ("top", "left", "bottom", "right", "insideH", "insideV"))
        + '</w:tblBorders>')
    out = ['<w:tbl><w:tblPr><w:tblW w:w="8845" w:type="dxa"/>%s</w:tblPr>'
           '<w:tblGrid>%s</w:tblGrid>' % (border, grid)]
    for cells in rows:
        out.append("<w:tr>" + "".join(
            '<w:tc><w:tcPr><w:tcW w:w="%d" w:type="dxa"/></w:tcPr>%s</w:tc>'
            % (w, para(c)) for w, c in zip(widths, cells)) + "</w:tr>")
    out.append("</w:tbl>")
    return "".join(out)


HEAD = ["序号", "指标", "本年", "单位", "上年", "增减"]


def body_braces():
    return "".join([
        para("{{title}}", "Title"),
        para("{{#sections}}"),
        para("{{heading}}", "Heading1"),
        para("{{#paragraphs}}"),
        para("{{text}}"),
        para("{{/paragraphs}}"),
        para("{{/sections}}"),
        para("附表：{{year}}年主要指标", "Heading1"),
        table([HEAD, ["{{#rows}}{{n}}", "{{name}}", "{{value}}", "{{unit}}",
                      "{{last}}", "{{change}}{{/rows}}"]]),
        para("{{issuer}}", "Signature"),
        para("{{date}}", "SignatureDate")])


def body_jinja():
    return "".join([
        para("{{ title }}", "Title"),
        para("{%p for s in sections %}"),
        para("{{ s.heading }}", "Heading1"),
        para("{%p for p in s.paragraphs %}"),
        para("{{ p.text }}"),
        para("{%p endfor %}"),
        para("{%p endfor %}"),
        para("附表：{{ year }}年主要指标", "Heading1"),
        table([HEAD, ["{%tr for r in rows %}", "", "", "", "", ""],
               ["{{ r.n }}", "{{ r.name }}", "{{ r.value }}", "{{ r.unit }}",
                "{{ r.last }}", "{{ r.change }}"],
               ["{%tr endfor %}", "", "", "", "", ""]]),
        para("{{ issuer }}", "Signature"),
        para("{{ date }}", "SignatureDate")])


def template(std, path, body):
    """The standard template with 'body' and the document properties'
    tags in the data's names."""
    src = zipfile.ZipFile(std)
    doc = src.read("word/document.xml").decode("utf-8")
    sect = re.search(r"<w:sectPr>.*</w:sectPr>", doc, re.S).group(0)
    doc = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
           '<w:document %s><w:body>%s%s</w:body></w:document>'
           % (W_NS, body, sect))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            part = src.read(info.filename)
            if info.filename == "word/document.xml":
                part = doc.encode("utf-8")
            elif info.filename == "docProps/core.xml":
                part = part.replace(b"{{meta.issuer}}", b"{{issuer}}")
                if "jinja" in path:
                    part = re.sub(rb"\{\{(\w+)\}\}", rb"{{ \1 }}", part)
            z.writestr(info, part, zipfile.ZIP_DEFLATED)


def main():
    std, out = sys.argv[1], sys.argv[2]
    for times, name in ((1, "data.json"), (10, "data10.json"),
                        (100, "data100.json")):
        with open(os.path.join(out, name), "w", encoding="utf-8") as f:
            json.dump(data(times), f, ensure_ascii=False, indent=1)
    template(std, os.path.join(out, "braces.docx"), body_braces())
    template(std, os.path.join(out, "jinja.docx"), body_jinja())


if __name__ == "__main__":
    main()
