#!/bin/sh
# Tags wherever Word, WPS and LibreOffice put them (docs/templates.md,
# "Where tags work"). The templates are the Word-saved files of
# shared/ooxml/fixtures/good/word (next to validate-docx) with tags written
# into them by tagdocx.py below (zipfile and string replacement), so that
# Word's own XML, all on one line, is what the parser reads; and the
# unpacked tests/data/templates/anywhere/bad-* for errors, whose line
# numbers are readable. Every template is rendered with
# examples/changshan-2022/report.xml; every output passes validate-docx,
# holds the exact texts expected in each part, and no tag is left in it.
. "$(dirname "$0")/lib.sh"

need_validate_docx
need_python
word=$(dirname "$NB_VALIDATE_DOCX")/fixtures/good/word
[ -f "$word/word2016-header-footer.docx" ] ||
    skip "the Word-saved fixtures are not in $word"

# work in $tmp with relative names, so diagnostics hold stable paths
cd "$tmp"
ln -s "$NB_SRCDIR/examples" examples
report=examples/changshan-2022/report.xml
mkdir xml # for render_ok
ln -s "../$report" xml/changshan.xml

# tagdocx.py: tag(SRC, OUT, {part: [(old, new, count)]}) copies the .docx
# SRC to OUT with each 'old' (which must occur exactly 'count' times)
# replaced; r(TEXT, RPR) is a run; B a bold run's properties.
cat > tagdocx.py <<'EOF'
import zipfile

B = "<w:rPr><w:b/></w:rPr>"


def r(text, rpr=""):
    return '<w:r>%s<w:t xml:space="preserve">%s</w:t></w:r>' % (rpr, text)


def tag(src, out, edits):
    zin = zipfile.ZipFile(src)
    zout = zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED)
    for info in zin.infolist():
        data = zin.read(info.filename)
        for old, new, count in edits.pop(info.filename, []):
            text = data.decode("utf-8")
            n = text.count(old)
            if n != count:
                raise SystemExit("%s: %r occurs %d times, not %d"
                                 % (info.filename, old, n, count))
            data = text.replace(old, new).encode("utf-8")
        zout.writestr(info, data)
    if edits:
        raise SystemExit("no such parts: %s" % ", ".join(edits))
    zout.close()
EOF

# count DOCX PART STRING: how many times STRING is in the part
count() {
    flat_part "$1" "$2" | grep -oF -- "$3" | wc -l | tr -d ' '
}

# same_count TEMPLATE OUT PART STRING: as many in the output as in the
# template
same_count() {
    _a=$(count "$1" "$3" "$4")
    _b=$(count "$2" "$3" "$4")
    [ "$_a" -gt 0 ] || fail "$1($3) has no $4 to check"
    [ "$_a" -eq "$_b" ] || fail "$2($3): $_b of $4, the template has $_a"
}

# no_tags DOCX: no "{{", "}}" or full-width brace left in the text of any
# XML part, deleted and moved-away text aside (it stays as the reviewer
# left it)
no_tags() {
    "$NB_PYTHON3" - "$1" <<'EOF' || fail "$1: a tag was left (above)"
import sys, zipfile
import xml.etree.ElementTree as ET

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
left = 0
z = zipfile.ZipFile(sys.argv[1])
for name in z.namelist():
    if not name.endswith(".xml") and not name.endswith(".rels"):
        continue
    root = ET.fromstring(z.read(name))
    for parent in list(root.iter()):
        for child in list(parent):
            if child.tag in (W + "del", W + "moveFrom"):
                parent.remove(child)
    text = "".join(root.itertext())
    for mark in ("{{", "}}", "｛", "｝"):
        if mark in text:
            i = text.index(mark)
            print("%s: %r" % (name, text[max(0, i - 30):i + 30]),
                  file=sys.stderr)
            left += 1
            break
sys.exit(1 if left else 0)
EOF
}

# ==== 1. One tag split over runs by everything Word puts between them ====
# Each paragraph of the body holds {{meta.issuer}} in three runs, the first
# bold, with one kind of markup between the pieces; the last one holds a
# tag with a filter split over fourteen runs and all of them at once.
"$NB_PYTHON3" - "$word/word2016-header-footer.docx" joiner.docx <<'EOF'
import sys
from tagdocx import B, r, tag

D = ' w:author="审稿人" w:date="2023-02-01T09:00:00Z"'
BEGIN = '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
INSTR = ('<w:r><w:instrText xml:space="preserve"> DOCPROPERTY Company '
         '</w:instrText></w:r>')
SEP = '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
END = '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
between = [
    ("proofErr", '<w:proofErr w:type="spellStart"/>', r("ta.iss"),
     '<w:proofErr w:type="spellEnd"/>'),
    ("bookmark", '<w:bookmarkStart w:id="10" w:name="tag"/>', r("ta.iss"),
     '<w:bookmarkEnd w:id="10"/>'),
    ("rsid", "", '<w:r w:rsidR="00A1B2C3" w:rsidRPr="00D4E5F6">'
     '<w:t>ta.iss</w:t></w:r>', ""),
    ("smartTag", '<w:smartTag w:uri="urn:schemas-microsoft-com:office:'
     'smarttags" w:element="PersonName"><w:smartTagPr><w:attr '
     'w:name="ProductID" w:val="x"/></w:smartTagPr>', r("ta.iss"),
     "</w:smartTag>"),
    ("customXml", '<w:customXml w:uri="urn:nianbao:test" '
     'w:element="issuer">', r("ta.iss"), "</w:customXml>"),
    ("sdt", '<w:sdt><w:sdtPr><w:alias w:val="机构"/><w:tag w:val="issuer"/>'
     '<w:id w:val="100"/></w:sdtPr><w:sdtContent>', r("ta.iss"),
     "</w:sdtContent></w:sdt>"),
    ("field", BEGIN + INSTR + SEP, r("ta.iss"), END),
    ("lastRenderedPageBreak", "",
     "<w:r><w:lastRenderedPageBreak/><w:t>ta.iss</w:t></w:r>", ""),
    ("ins", '<w:ins w:id="20"%s>' % D, r("ta.iss"), "</w:ins>"),
    ("del", '<w:del w:id="21"%s><w:r><w:delText>删去{{title}}</w:delText>'
     '</w:r></w:del>' % D, r("ta.iss"),
     '<w:moveFromRangeStart w:id="22" w:name="move1"%s/>'
     '<w:moveFrom w:id="23"%s><w:r><w:t>{{title}}</w:t></w:r></w:moveFrom>'
     '<w:moveFromRangeEnd w:id="22"/>' % (D, D)),
    ("hyperlink", '<w:hyperlink w:anchor="tag" w:history="1">', r("ta.iss"),
     "</w:hyperlink>"),
]
body = ""
for name, before, middle, after in between:
    body += ("<w:p>" + r(name + ":") + r("{{me", B) + before + middle + after
             + r("uer}}") + "</w:p>")
# the moved text's new place
body += ('<w:p><w:moveToRangeStart w:id="24" w:name="move1"%s/>'
         '<w:moveTo w:id="25"%s>%s</w:moveTo><w:moveToRangeEnd w:id="24"/>'
         "</w:p>" % (D, D, r("moved")))
# {{ meta.date | cn_date }} over fourteen runs
body += ("<w:p>" + r("all:") + r("{", B) + '<w:proofErr w:type="spellStart"/>'
         + r("{") + '<w:bookmarkStart w:id="11" w:name="all"/>' + r(" me")
         + '<w:smartTag w:uri="urn:x" w:element="y">' + r("ta")
         + "</w:smartTag>" + '<w:customXml w:element="z">' + r(".")
         + "</w:customXml>" + '<w:sdt><w:sdtPr><w:id w:val="101"/></w:sdtPr>'
         + "<w:sdtContent>" + r("da") + "</w:sdtContent></w:sdt>"
         + BEGIN + INSTR + SEP + r("te") + END
         + "<w:r><w:lastRenderedPageBreak/><w:t xml:space=\"preserve\"> "
         "</w:t></w:r>" + '<w:ins w:id="26"%s>%s</w:ins>' % (D, r("|"))
         + '<w:del w:id="27"%s><w:r><w:delText>x</w:delText></w:r></w:del>' % D
         + '<w:permStart w:id="5" w:edGrp="everyone"/>' + r(" cn") + r("_da")
         + '<w:permEnd w:id="5"/>'
         + '<w:hyperlink w:anchor="all">' + r("te ") + "</w:hyperlink>"
         + '<w:bookmarkEnd w:id="11"/>' + r("}")
         + '<w:proofErr w:type="spellEnd"/>' + r("}。") + "</w:p>")
# a table with a table in its second cell
cell = '<w:tc><w:tcPr><w:tcW w:w="4000" w:type="dxa"/></w:tcPr>%s</w:tc>'
body += ('<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/></w:tblPr>'
         '<w:tblGrid><w:gridCol w:w="4000"/><w:gridCol w:w="4000"/>'
         "</w:tblGrid><w:tr>"
         + cell % ("<w:p>" + r("表:{{me", B) + r("ta.year}}年") + "</w:p>")
         + cell % ('<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/></w:tblPr>'
                   '<w:tblGrid><w:gridCol w:w="3000"/></w:tblGrid><w:tr>'
                   + cell % ("<w:p>" + r("嵌套:{{ti", B)
                             + '<w:proofErr w:type="spellStart"/>'
                             + r("tle}}") + '<w:proofErr w:type="spellEnd"/>'
                             + "</w:p><w:p>" + r("{{#sections}}{{n|cn}}")
                             + r("、{{/sec") + r("tions}}") + "</w:p>")
                   + "</w:tr></w:tbl><w:p/>")
         + "</w:tr></w:tbl>")
# notes
SUP = '<w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
body += ("<w:p>" + r("注") + '<w:r>%s<w:footnoteReference w:id="1"/></w:r>'
         '<w:r>%s<w:endnoteReference w:id="1"/></w:r></w:p>' % (SUP, SUP))


def note(kind, text):
    return ('<w:%s w:id="1"><w:p><w:r>%s<w:%sRef/></w:r>%s</w:p></w:%s>'
            % (kind, SUP, kind, text, kind))


def header(text):
    return [('<w:pStyle w:val="Header"/></w:pPr></w:p>',
             '<w:pStyle w:val="Header"/></w:pPr>%s</w:p>' % text, 1)]


def footer(text):
    return [('<w:pStyle w:val="Footer"/></w:pPr></w:p>',
             '<w:pStyle w:val="Footer"/></w:pPr>%s</w:p>' % text, 1)]


tag(sys.argv[1], sys.argv[2], {
    "word/document.xml": [
        ("<w:r><w:t>section with header</w:t></w:r></w:p>",
         r("{{ti", B) + r("tle}}") + "</w:p>" + body, 1),
        # a first page of its own: the first page header and footer
        ('<w:docGrid w:linePitch="360"/></w:sectPr></w:pPr>',
         '<w:titlePg/><w:docGrid w:linePitch="360"/></w:sectPr></w:pPr>', 1),
    ],
    # even and odd pages differ: the even header and footer
    "word/settings.xml": [('<w:defaultTabStop w:val="720"/>',
                           '<w:defaultTabStop w:val="720"/>'
                           "<w:evenAndOddHeaders/>", 1)],
    "word/header1.xml": header(r("偶数页:{{me") + r("ta.issuer}}", B)),
    "word/header2.xml": [("<w:r><w:t>Header for section-1</w:t></w:r>",
                          r("奇数页:{{ti") + '<w:bookmarkStart w:id="1" '
                          'w:name="h"/>' + r("tle}}")
                          + '<w:bookmarkEnd w:id="1"/>', 1)],
    "word/header3.xml": header(r("首页:{{meta.year}}年度")),
    "word/footer1.xml": footer(r("偶数页脚:{{meta.index") + r("_number}}")),
    "word/footer2.xml": [('<w:r><w:t xml:space="preserve">Footer for section '
                          "</w:t></w:r><w:r><w:t>1</w:t></w:r>",
                          r("奇数页脚:{{meta.") + r("issuer}} 第") + BEGIN
                          + '<w:r><w:instrText xml:space="preserve"> PAGE '
                          "</w:instrText></w:r>" + SEP + r("1") + END
                          + r("页"), 1)],
    "word/footer3.xml": footer(r("首页页脚:{{meta.disclosure}}")),
    "word/footnotes.xml": [("</w:footnotes>", note(
        "footnote", r(" 脚注:{{me") + '<w:proofErr w:type="spellStart"/>'
        + r("ta.issuer}}") + '<w:proofErr w:type="spellEnd"/>')
        + "</w:footnotes>", 1)],
    "word/endnotes.xml": [("</w:endnotes>", note(
        "endnote", r(" 尾注:{{meta.date") + r("|cn_date}}", B))
        + "</w:endnotes>", 1)],
    "docProps/core.xml": [
        ("<dc:title></dc:title>", "<dc:title>{{title}}</dc:title>", 1),
        ("<dc:creator>Steve Canny</dc:creator>",
         "<dc:creator>{{meta.issuer}}</dc:creator>", 1)],
    "docProps/app.xml": [
        ("<Company>Cisco Systems, Inc.</Company>",
         "<Company>{{ meta.issuer }}</Company>", 1)],
})
EOF
render_ok changshan.xml joiner.docx joiner-out.docx
cat > want <<'EOF'
常山县司法局2022年度法治政府建设情况报告
proofErr:常山县司法局
bookmark:常山县司法局
rsid:常山县司法局
smartTag:常山县司法局
customXml:常山县司法局
sdt:常山县司法局
field:常山县司法局
lastRenderedPageBreak:常山县司法局
ins:常山县司法局
del:常山县司法局{{title}}
hyperlink:常山县司法局
moved
all:2023年2月8日。
表:2022年
嵌套:常山县司法局2022年度法治政府建设情况报告
一、二、三、四、

注

section without header of its own.
EOF
paragraphs_are joiner-out.docx
# the value is written in the bold run where its tag starts, and the runs
# the tag spilled into are left empty, each where it was
v='<w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">常山县司法局</w:t></w:r>'
e='<w:r><w:t xml:space="preserve"/></w:r>'
# (one line a paragraph: what lies between the value and the last piece;
# the field keeps its code and its characters, its result is now empty;
# deleted and moved-away text is not part of the tag, and the tags in it
# stay as the reviewer left them)
while IFS= read -r between; do
    has joiner-out.docx word/document.xml "$v$between$e</w:p>"
done <<EOF
<w:proofErr w:type="spellStart"/>$e<w:proofErr w:type="spellEnd"/>
<w:bookmarkStart w:id="10" w:name="tag"/>$e<w:bookmarkEnd w:id="10"/>
<w:r w:rsidR="00A1B2C3" w:rsidRPr="00D4E5F6"><w:t/></w:r>
<w:smartTag w:uri="urn:schemas-microsoft-com:office:smarttags" w:element="PersonName"><w:smartTagPr><w:attr w:name="ProductID" w:val="x"/></w:smartTagPr>$e</w:smartTag>
<w:customXml w:uri="urn:nianbao:test" w:element="issuer">$e</w:customXml>
<w:sdt><w:sdtPr><w:alias w:val="机构"/><w:tag w:val="issuer"/><w:id w:val="100"/></w:sdtPr><w:sdtContent>$e</w:sdtContent></w:sdt>
<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> DOCPROPERTY Company </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>$e<w:r><w:fldChar w:fldCharType="end"/></w:r>
<w:r><w:lastRenderedPageBreak/><w:t/></w:r>
<w:ins w:id="20" w:author="审稿人" w:date="2023-02-01T09:00:00Z">$e</w:ins>
<w:del w:id="21" w:author="审稿人" w:date="2023-02-01T09:00:00Z"><w:r><w:delText>删去{{title}}</w:delText></w:r></w:del>$e<w:moveFromRangeStart w:id="22" w:name="move1" w:author="审稿人" w:date="2023-02-01T09:00:00Z"/><w:moveFrom w:id="23" w:author="审稿人" w:date="2023-02-01T09:00:00Z"><w:r><w:t>{{title}}</w:t></w:r></w:moveFrom><w:moveFromRangeEnd w:id="22"/>
<w:hyperlink w:anchor="tag" w:history="1">$e</w:hyperlink>
EOF
has joiner-out.docx word/document.xml '<w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">2023年2月8日</w:t></w:r><w:proofErr w:type="spellStart"/>'
has joiner-out.docx word/document.xml "<w:bookmarkEnd w:id=\"11\"/>$e<w:proofErr w:type=\"spellEnd\"/><w:r><w:t xml:space=\"preserve\">。</w:t></w:r></w:p>"
# Word's markup around the pieces is all kept
for m in '<w:proofErr ' '<w:bookmarkStart ' '<w:bookmarkEnd ' '<w:smartTag ' \
         '<w:customXml ' '<w:sdt>' '<w:fldChar ' '<w:instrText ' \
         '<w:lastRenderedPageBreak/>' '<w:ins ' '<w:del ' '<w:moveFrom ' \
         '<w:moveTo ' '<w:hyperlink ' '<w:permStart ' 'w:rsidR=' \
         '<w:tbl>' '<w:footnoteReference ' '<w:endnoteReference '; do
    same_count joiner.docx joiner-out.docx word/document.xml "$m"
done
# headers and footers: even pages (1), odd pages (2, the default) and the
# first page (3)
while read -r part text; do
    echo "$text" > want
    paragraphs_are joiner-out.docx "word/$part.xml"
done <<'EOF'
header1 偶数页:常山县司法局
header2 奇数页:常山县司法局2022年度法治政府建设情况报告
header3 首页:2022年度
footer1 偶数页脚:02165835-010/2023-77311
footer2 奇数页脚:常山县司法局 第1页
footer3 首页页脚:主动公开
EOF
has joiner-out.docx word/document.xml '<w:headerReference w:type="even" r:id="rId6"/><w:headerReference w:type="default" r:id="rId7"/><w:footerReference w:type="even" r:id="rId8"/><w:footerReference w:type="default" r:id="rId9"/><w:headerReference w:type="first" r:id="rId10"/><w:footerReference w:type="first" r:id="rId11"/>'
has joiner-out.docx word/document.xml '<w:titlePg/>'
has joiner-out.docx word/settings.xml '<w:evenAndOddHeaders/>'
# the page number field of the odd footer is kept
has joiner-out.docx word/footer2.xml '<w:instrText xml:space="preserve"> PAGE </w:instrText>'
# footnotes and endnotes (the separators first)
printf '\n\n%s\n' ' 脚注:常山县司法局' > want
paragraphs_are joiner-out.docx word/footnotes.xml
printf '\n\n%s\n' ' 尾注:2023年2月8日' > want
paragraphs_are joiner-out.docx word/endnotes.xml
# the document properties: title, author, company
has joiner-out.docx docProps/core.xml '<dc:title>常山县司法局2022年度法治政府建设情况报告</dc:title>'
has joiner-out.docx docProps/core.xml '<dc:creator>常山县司法局</dc:creator>'
has joiner-out.docx docProps/core.xml '<cp:lastModifiedBy>Steve Canny</cp:lastModifiedBy>'
has joiner-out.docx docProps/app.xml '<Company>常山县司法局</Company>'
has joiner-out.docx docProps/app.xml '<Application>Microsoft Office Word</Application>'
no_tags joiner-out.docx

# ==== 2. A text box: the DrawingML shape and its VML fallback ====
# Word writes the box twice, in mc:Choice and in mc:Fallback: both copies
# get the values, and a section repeats paragraphs in both.
"$NB_PYTHON3" - "$word/word2010-text-box.docx" textbox.docx <<'EOF'
import sys
from tagdocx import B, r, tag

loop = ("</w:p><w:p>" + r("{{#sections}}") + "</w:p><w:p>"
        + r("{{n|cn}}、{{ti", B) + '<w:proofErr w:type="spellStart"/>'
        + r("tle}}") + '<w:proofErr w:type="spellEnd"/>' + "</w:p><w:p>"
        + r("{{/sections}}") + "</w:p></w:txbxContent>")
tag(sys.argv[1], sys.argv[2], {
    "word/document.xml": [
        ("<w:r><w:t>Datum plane</w:t></w:r>",
         r("{{me", B) + '<w:proofErr w:type="spellStart"/>' + r("ta.iss")
         + '<w:proofErr w:type="spellEnd"/>' + r("uer}}"), 2),
        ('<w:bookmarkEnd w:id="0"/></w:p></w:txbxContent>',
         '<w:bookmarkEnd w:id="0"/>' + loop, 1),
        ('<w:bookmarkEnd w:id="1"/></w:p></w:txbxContent>',
         '<w:bookmarkEnd w:id="1"/>' + loop, 1),
        ("<w:sectPr ", "<w:p>" + r("正文:{{meta.year}}年") + "</w:p><w:sectPr ",
         1)],
})
EOF
render_ok changshan.xml textbox.docx textbox-out.docx
cat > want <<'EOF'

常山县司法局
一、2022年推进法治政府建设的主要举措和成效
二、存在的不足和原因
三、党政主要负责人履行推进法治建设第一责任人职责的情况
四、2023年推进法治政府建设的主要工作安排
常山县司法局
一、2022年推进法治政府建设的主要举措和成效
二、存在的不足和原因
三、党政主要负责人履行推进法治建设第一责任人职责的情况
四、2023年推进法治政府建设的主要工作安排
正文:2022年
EOF
paragraphs_are textbox-out.docx
# one copy in wps:txbx (mc:Choice), one in v:textbox (mc:Fallback)
has textbox-out.docx word/document.xml '<wps:txbx><w:txbxContent><w:p w:rsidR="00487BF9" w:rsidRDefault="00487BF9"><w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">常山县司法局</w:t></w:r>'
has textbox-out.docx word/document.xml '<v:textbox style="mso-fit-shape-to-text:t"><w:txbxContent><w:p w:rsidR="00487BF9" w:rsidRDefault="00487BF9"><w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">常山县司法局</w:t></w:r>'
[ "$(count textbox-out.docx word/document.xml '、2022年推进法治政府建设的主要举措和成效<')" -eq 2 ] ||
    fail "textbox: the section did not repeat in both copies"
for m in '<mc:AlternateContent>' '<mc:Choice Requires="wps">' '<mc:Fallback>' \
         '<wp:docPr id="307" name="Text Box 2"/>' '<v:shape ' '<w:txbxContent>'; do
    same_count textbox.docx textbox-out.docx word/document.xml "$m"
done
no_tags textbox-out.docx

# ==== 3. Comment ranges between the pieces ====
# "{" and "{" on either side of the start of a comment range, the name on
# either side of its end and of the comment's reference mark
"$NB_PYTHON3" - "$word/word2010-comments.docx" comments.docx <<'EOF'
import sys
from tagdocx import B, r, tag

tag(sys.argv[1], sys.argv[2], {
    "word/document.xml": [
        ('<w:commentRangeStart w:id="0"/><w:r><w:t>Ouch</w:t></w:r>',
         r("发布:") + r("{", B) + '<w:commentRangeStart w:id="0"/>'
         + r("{meta."), 1),
        ("<w:r><w:t>.</w:t></w:r>", r("issuer}}。"), 1)],
})
EOF
render_ok changshan.xml comments.docx comments-out.docx
echo '发布:常山县司法局。' > want
paragraphs_are comments-out.docx
has comments-out.docx word/document.xml '<w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">常山县司法局</w:t></w:r><w:commentRangeStart w:id="0"/><w:r><w:t xml:space="preserve"/></w:r><w:commentRangeEnd w:id="0"/><w:r><w:rPr><w:rStyle w:val="CommentReference"/></w:rPr><w:commentReference w:id="0"/></w:r><w:r><w:t xml:space="preserve">。</w:t></w:r>'
# the comments themselves are not merged: copied byte for byte
"$NB_DOCXDUMP" --part word/comments.xml comments.docx > a
"$NB_DOCXDUMP" --part word/comments.xml comments-out.docx > b
cmp a b || fail "comments: word/comments.xml changed"
no_tags comments-out.docx

# ==== 4. Tags typed with a Chinese input method ====
# Full-width braces (one or both), full-width spaces, sigils and bars,
# full-width letters, 。 for '.' and —— for '_', …… for '^'; split over
# runs as well; in a header and in the title property too.
"$NB_PYTHON3" - "$word/word2016-header-footer.docx" ime.docx <<'EOF'
import sys
from tagdocx import B, r, tag

paras = [
    r("｛｛title｝｝"),
    r("{｛meta.issuer｝}"),
    r("{{　meta.year　}}年"),
    r("｛｛＃sections｝｝{{n｜cn}}、｛｛／sections｝｝"),
    r("{{ｍｅｔａ。ｙｅａｒ}}"),
    r("{{metric.ys——loss——rate.text}}"),
    r("{{……meta.addressee}}无主送机关{{/meta.addressee}}"),
    r("｛", B) + '<w:proofErr w:type="spellStart"/>' + r("｛ti")
    + '<w:proofErr w:type="spellEnd"/>' + r("tle｝") + r("｝"),
    r("{{！ 备注:“这里”　不输出 }}注释已删"),
    # a section alone in its paragraphs, indented with full-width spaces
    r("　　｛｛＃sections｝｝"),
    r("　　{{n|cn}}、{{title}}"),
    r("{{/sections}}　"),
]
tag(sys.argv[1], sys.argv[2], {
    "word/document.xml": [
        ("<w:r><w:t>section with header</w:t></w:r></w:p>",
         r("输入法") + "</w:p>"
         + "".join("<w:p>%s</w:p>" % p for p in paras), 1)],
    "word/header2.xml": [("<w:r><w:t>Header for section-1</w:t></w:r>",
                          r("｛｛　meta.issuer　｝｝"), 1)],
    "docProps/core.xml": [("<dc:title></dc:title>",
                           "<dc:title>｛｛title｝｝</dc:title>", 1)],
})
EOF
render_ok changshan.xml ime.docx ime-out.docx
cat > want <<'EOF'
输入法
常山县司法局2022年度法治政府建设情况报告
常山县司法局
2022年
一、二、三、四、
2022
2.6%
无主送机关
常山县司法局2022年度法治政府建设情况报告
注释已删
　　一、2022年推进法治政府建设的主要举措和成效
　　二、存在的不足和原因
　　三、党政主要负责人履行推进法治建设第一责任人职责的情况
　　四、2023年推进法治政府建设的主要工作安排

section without header of its own.
EOF
paragraphs_are ime-out.docx
echo '常山县司法局' > want
paragraphs_are ime-out.docx word/header2.xml
has ime-out.docx docProps/core.xml '<dc:title>常山县司法局2022年度法治政府建设情况报告</dc:title>'
# the split full-width tag went whole into the bold run where it starts
has ime-out.docx word/document.xml '<w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">常山县司法局2022年度法治政府建设情况报告</w:t></w:r><w:proofErr w:type="spellStart"/>'
no_tags ime-out.docx

# ==== 5. Quotes inside a tag stay as they were typed ====
# A filter argument in curly quotes with a full-width space in it, its
# quote marks in runs of their own, in a tag with full-width braces and
# bar: the argument reaches the filter whole (quotes taken off, the
# full-width space kept).
"$NB_PYTHON3" - "$word/word2016-header-footer.docx" quotes.docx <<'EOF'
import sys
from tagdocx import B, r, tag

tag(sys.argv[1], sys.argv[2], {
    "word/document.xml": [
        ("<w:r><w:t>section with header</w:t></w:r>",
         r("主送:") + r("｛｛meta.addressee ｜ default:", B) + r("“")
         + r("无　主送") + r("”") + r("｝｝"), 1)],
})
EOF
render_ok changshan.xml quotes.docx quotes-out.docx
paragraphs quotes-out.docx | head -n 1 > got
echo '主送:无　主送' > want
diff -u want got >&2 || fail "quotes: the filter argument did not arrive whole"
has quotes-out.docx word/document.xml '<w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">无　主送</w:t></w:r>'

# ==== 6. Errors: tags cut by a paragraph break, braces without a tag ====
# exit 1, exactly the .expect, nothing written
for name in bad-across; do
    "$NB_MKZIP" "$NB_DATA/templates/anywhere/$name" "$name.docx" ||
        fail "mkzip could not pack templates/anywhere/$name"
    expect_run 1 "$NB_DATA/templates/anywhere/$name.expect" -- \
        render "$report" -t "$name.docx" -o "$name-out.docx"
    [ ! -e "$name-out.docx" ] || fail "render with $name wrote a document"
done

# the same in Word's XML, inside a text box: reported once, not once per
# copy, located by part and line (Word writes everything on line 2) and by
# the text of both parts
"$NB_PYTHON3" - "$word/word2010-text-box.docx" bad-textbox.docx <<'EOF'
import sys
from tagdocx import r, tag

tag(sys.argv[1], sys.argv[2], {
    "word/document.xml": [
        ("<w:r><w:t>Datum plane</w:t></w:r>", r("框内:{{meta.iss"), 2),
        ('<w:bookmarkEnd w:id="0"/></w:p>',
         '<w:bookmarkEnd w:id="0"/></w:p><w:p>' + r("uer}}") + "</w:p>", 1),
        ('<w:bookmarkEnd w:id="1"/></w:p>',
         '<w:bookmarkEnd w:id="1"/></w:p><w:p>' + r("uer}}") + "</w:p>", 1),
        ("<w:sectPr ", "<w:p>" + r("{{meta.year}}}}年") + "</w:p><w:sectPr ",
         1)],
})
EOF
cat > want <<'EOF'
bad-textbox.docx(word/document.xml):2: error: '{{meta.iss' and 'uer}}' are one tag cut in two by a paragraph break (the second part at line 2): a tag must be whole inside one paragraph; delete the break inside it [NB6020]
bad-textbox.docx(word/document.xml):2: error: '}}' without '{{' before it in this paragraph: '{{meta.year}}}}' [NB6021]
EOF
expect_run 1 want -- render "$report" -t bad-textbox.docx -o bad-textbox-out.docx
[ ! -e bad-textbox-out.docx ] || fail "render with bad-textbox wrote a document"

# ==== 7. A LibreOffice round trip of the tagged Word document ====
# LibreOffice stores the same text with its own runs, bookmarks and
# fields: the joined tags must come out the same.
case ${NB_SOFFICE:-no} in
"" | no) ;;
*)
    if command -v "$NB_SOFFICE" > /dev/null 2>&1; then
        mkdir lo
        if ! run_timeout "$NB_SOFFICE" "-env:UserInstallation=file://$tmp/lo-profile" \
                --headless --convert-to docx:'MS Word 2007 XML' --outdir lo \
                joiner.docx > soffice.log 2>&1 || [ ! -s lo/joiner.docx ]; then
            cat soffice.log >&2
            fail "LibreOffice could not convert joiner.docx"
        fi
        expect_run 0 /dev/null -- render "$report" -t lo/joiner.docx -o lo-out.docx
        # LibreOffice 7 writes the section break of a paragraph before its
        # style (w:pPr out of order): the merge must add no other problem
        for f in lo/joiner.docx lo-out.docx; do
            "$NB_VALIDATE_DOCX" -q "$f" 2>&1 | sed 's/ (col [0-9]*)//' > "$f.v" || :
        done
        diff -u lo/joiner.docx.v lo-out.docx.v >&2 ||
            fail "the merge made the LibreOffice copy less valid"
        # (it drops the empty paragraph that ends the first section)
        paragraphs joiner-out.docx | grep -v '^$' > a
        paragraphs lo-out.docx | grep -v '^$' > b
        diff -u a b >&2 || fail "the LibreOffice copy renders other text"
        for p in $("$NB_DOCXDUMP" --parts lo-out.docx | sed 's/ .*//' |
                   grep -E '^word/(header|footer)[0-9]*\.xml$'); do
            paragraphs lo-out.docx "$p" >> lo-hf
        done
        # (the page number field's last result is LibreOffice's own)
        sed 's/第[0-9]*页/第N页/' lo-hf | sort > got
        for p in header1 header2 header3 footer1 footer2 footer3; do
            paragraphs joiner-out.docx "word/$p.xml"
        done | sed 's/第[0-9]*页/第N页/' | sort > want
        diff -u want got >&2 ||
            fail "the LibreOffice copy's headers and footers differ"
        no_tags lo-out.docx
    fi
    ;;
esac

for f in *.tmp-*; do
    [ -e "$f" ] && fail "temporary file left behind: $f"
done
exit 0
