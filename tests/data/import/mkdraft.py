#!/usr/bin/env python3
"""mkdraft.py: report drafts the way offices have them, for tests/cli/import.sh.

  mkdraft.py auto OUT.docx          Word draft, ordinals from numbering.xml
                                    (chineseCounting "%1、", "（%1）",
                                    decimal "%1."), direct formatting only,
                                    title split over two paragraphs, a
                                    tracked insertion and deletion, a
                                    comment, a table, a text box, a footnote
  mkdraft.py html IN.txt OUT.html   article page in GB18030 (meta gb2312)
                                    with navigation, scripts and the
                                    metadata table around the body
  mkdraft.py docx IN.txt OUT.docx   Word draft of typed paragraphs
  mkdraft.py html IN.txt OUT.html ISSUER
                                    the same page, its 发布机构 given
  mkdraft.py autonum IN.txt OUT.docx
                                    Word draft of the text whose 一、
                                    （一） and 1. come from numbering.xml
                                    (taken out of the text), its headings
                                    bold in 黑体
  mkdraft.py bold IN.txt OUT.docx   the headings without ordinals, in
                                    黑体 (parts) and 楷体 (areas)
"""
import sys
import zipfile
from xml.sax.saxutils import escape

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
CT = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
      '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
      '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
      '<Default Extension="xml" ContentType="application/xml"/>'
      '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
      '</Types>')
RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
        '</Relationships>')


def para(text, num=None, bold=False, extra='', face='黑体'):
    ppr = ''
    if num is not None:
        ppr = ('<w:pPr><w:numPr><w:ilvl w:val="%d"/><w:numId w:val="1"/>'
               '</w:numPr></w:pPr>' % num)
    rpr = ('<w:rPr><w:b/><w:rFonts w:eastAsia="%s"/></w:rPr>' % face
           if bold else '')
    return ('<w:p>%s<w:r>%s<w:t xml:space="preserve">%s</w:t></w:r>%s</w:p>'
            % (ppr, rpr, escape(text), extra))


def package(path, body, parts=()):
    doc = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
           '<w:document %s><w:body>%s<w:sectPr/></w:body></w:document>'
           % (W, body))
    write_package(path, doc, parts)


def write_package(path, doc, parts=()):
    """A package of document.xml as given (hostile parts: tests)."""
    with zipfile.ZipFile(path, 'w', zipfile.ZIP_DEFLATED) as z:
        z.writestr('[Content_Types].xml', CT)
        z.writestr('_rels/.rels', RELS)
        z.writestr('word/document.xml', doc)
        for name, data in parts:
            z.writestr(name, data)


NUMBERING = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
             '<w:numbering %s><w:abstractNum w:abstractNumId="7">'
             '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%%1、"/></w:lvl>'
             '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%%2）"/></w:lvl>'
             '<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%%3."/></w:lvl>'
             '</w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="7"/></w:num>'
             '</w:numbering>' % W)
FOOTNOTES = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
             '<w:footnotes %s><w:footnote w:id="2"><w:p><w:r><w:t>数据来源：县统计局。</w:t></w:r></w:p></w:footnote></w:footnotes>' % W)


def auto(out):
    b = [para('某某县人民政府', bold=True),
         para('关于2023年度法治政府建设情况的报告', bold=True),
         para('市人民政府：'),
         para('2023年，我县深入学习贯彻习近平法治思想，现将有关情况报告如下。'),
         para('2023年法治政府建设的主要举措和成效', num=0, bold=True),
         para('加强组织领导', num=1, bold=True),
         para('县政府常务会议专题研究法治政府建设工作4次。'),
         para('健全决策机制。出台重大行政决策程序规定。', num=2),
         '<w:p><w:pPr><w:numPr><w:ilvl w:val="2"/><w:numId w:val="1"/></w:numPr></w:pPr>'
         '<w:r><w:t>规范执法行为。</w:t></w:r>'
         '<w:del w:id="1" w:author="a"><w:r><w:delText>删去的文字。</w:delText></w:r></w:del>'
         '<w:ins w:id="2" w:author="a"><w:r><w:t>全年办理行政处罚案件312件。</w:t></w:r></w:ins>'
         '<w:commentRangeStart w:id="3"/><w:r><w:t>推行说理式执法。</w:t></w:r><w:commentRangeEnd w:id="3"/>'
         '<w:r><w:commentReference w:id="3"/></w:r>'
         '<w:r><w:footnoteReference w:id="2"/></w:r></w:p>',
         para('深化普法宣传。一是抓好领导干部学法。二是抓好青少年普法。', num=1),
         '<w:tbl><w:tr><w:tc><w:p><w:r><w:t>表1 行政复议案件情况</w:t></w:r></w:p></w:tc></w:tr></w:tbl>',
         para('存在的不足和原因', num=0, bold=True),
         para('法治宣传的针对性还不强。'),
         para('党政主要负责人履行推进法治建设第一责任人职责情况', num=0, bold=True),
         '<w:p><w:r><w:t>县委书记带头述法。</w:t></w:r><w:r><w:drawing><w:txbxContent>'
         '<w:p><w:r><w:t>文本框中的说明。</w:t></w:r></w:p></w:txbxContent></w:drawing></w:r></w:p>',
         para('2024年推进法治政府建设的主要安排', num=0, bold=True),
         para('持续完善依法行政制度体系。'),
         para('某某县人民政府'),
         para('2024年1月18日')]
    package(out, ''.join(b), [('word/numbering.xml', NUMBERING),
                              ('word/footnotes.xml', FOOTNOTES)])


def lines(path):
    with open(path, encoding='utf-8') as f:
        return [l.rstrip('\n') for l in f if l.strip()]


def html(src, out, issuer=None):
    import re
    ps = lines(src)
    # the signature block's lines, without the spaces that set them right
    end = [p.strip(' \u3000') for p in ps[-2:]]
    m = re.match(r'(\d{4})年(\d{1,2})月(\d{1,2})日$', end[-1])
    date = '%s-%02d-%02d' % (m.group(1), int(m.group(2)), int(m.group(3))) if m else ''
    if issuer is None:
        issuer = end[-2] if m else end[-1]
    body = ''.join('<p style="text-indent:2em">%s</p>\n' % escape(p) for p in ps)
    page = f'''<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN">
<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>{escape(ps[0])}_政府信息公开</title>
<script>var nav = "<p>首页</p>"; document.write("<p>脚本里的段落</p>");</script>
<style>p {{ margin: 0 }}</style></head>
<body><div class="header"><ul><li><a href="/">首页</a></li><li><a href="/zwgk">政务公开</a></li>
<li><a href="/xxgk">信息公开目录</a></li></ul></div>
<div class="crumb">当前位置：首页 &gt; 政府信息公开 &gt; 法治政府建设年度报告</div>
<table class="meta"><tr><td>索引号：</td><td>11330822MB1234567X/2024-01234</td>
<td>发布机构：</td><td>{escape(issuer)}</td></tr>
<tr><td>发文字号：</td><td>某司〔2024〕3号</td><td>成文日期：</td><td>{date}</td></tr>
<tr><td>公开方式：</td><td>主动公开</td></tr></table>
<div class="article"><div id="zoom" class="TRS_Editor">
{body}</div></div>
<div class="share">分享到：<a>微信</a><a>微博</a></div>
<div class="footer"><p>主办单位：某某县人民政府办公室　地址：某某路1号</p>
<p>网站标识码3308220001　备案号：浙ICP备00000000号</p></div>
<script>console.log("<p>统计代码</p>")</script></body></html>
'''
    with open(out, 'wb') as f:
        f.write(page.encode('gb18030'))


def docx(src, out):
    package(out, ''.join(para(p) for p in lines(src)))


CN = '一二三四五六七八九十'


def autonum(src, out):
    """Typed 一、 （一） 1. made automatic numbering: the ordinal leaves the
    text and numbering.xml gives it again (levels 0, 1, 2 of NUMBERING,
    each restarting under the one above, as Word numbers them)."""
    import re
    levels = [(re.compile('^[%s]+、' % CN), 0),
              (re.compile('^[（(][%s]+[）)]' % CN), 1),
              (re.compile(r'^[0-9]+[.．、](?![0-9])'), 2)]
    b = []
    for p in lines(src):
        p = p.strip(' \u3000')
        for rx, lvl in levels:
            m = rx.match(p)
            if m:
                text = p[m.end():].lstrip(' \u3000')
                heading = lvl < 2 and '。' not in text.rstrip('。')
                b.append(para(text, num=lvl, bold=heading))
                break
        else:
            b.append(para(p))
    package(out, ''.join(b), [('word/numbering.xml', NUMBERING)])


def bold(src, out):
    """Headings (一、 and （一） lines with no sentence) without their
    ordinals, set in 黑体 and 楷体 as GB/T 9704 has them: the draft of an
    office whose numbering was lost."""
    import re
    b = []
    for p in lines(src):
        p = p.strip(' \u3000')
        m = re.match('^([%s]+、|[（(][%s]+[）)])' % (CN, CN), p)
        text = p[m.end():] if m else p
        if m and '。' not in text.rstrip('。') and '；' not in text:
            face = '黑体' if m.group(1).endswith('、') else '楷体'
            b.append(para(text, bold=True, face=face))
        else:
            b.append(para(p))
    package(out, ''.join(b))


if __name__ == '__main__':
    if sys.argv[1] == 'auto':
        auto(sys.argv[2])
    elif sys.argv[1] == 'html':
        html(sys.argv[2], sys.argv[3], *sys.argv[4:5])
    elif sys.argv[1] == 'autonum':
        autonum(sys.argv[2], sys.argv[3])
    elif sys.argv[1] == 'bold':
        bold(sys.argv[2], sys.argv[3])
    else:
        docx(sys.argv[2], sys.argv[3])
