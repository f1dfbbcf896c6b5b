#!/bin/sh
# Loops that leave Word documents whole (docs/templates.md, "Where a
# section repeats" and "Repeated content"). Templates are kept unpacked in
# tests/data/templates/word-loops/NAME/, zipped here with mkzip, and
# rendered with the Changshan example or word-loops/nested.xml; every DOCX
# written passes validate-docx.
#   (a) cells      paragraphs repeat inside a table cell, which keeps a w:p
#   (b) breaks     control paragraphs leave nothing but page breaks behind
#   (c) nesting    loops nested to any depth; sections over an empty
#                  string, an empty list, false and a missing value
#   (d) numbering  lists restart in every element, or continue
#   (e) ids        copies get IDs of their own
#   (f) bad-option wrong section options, NB6040
# With python3: the IDs across the whole package, templates nested up to
# the section-depth limit; with LibreOffice and pdftotext: the restarted
# lists as LibreOffice prints them.
. "$(dirname "$0")/lib.sh"

need_validate_docx

# work in $tmp with relative names, so diagnostics hold stable paths
cd "$tmp"
mkdir xml
ln -s "$NB_SRCDIR/examples/changshan-2022/report.xml" xml/changshan.xml
ln -s "$NB_DATA/templates/word-loops/nested.xml" xml/nested.xml
ln -s "$NB_DATA/xml/ok-minimal.xml" xml/ok-minimal.xml

# zip_template NAME: $tmp/NAME.docx from tests/data/templates/word-loops/NAME/
zip_template() {
    "$NB_MKZIP" "$NB_DATA/templates/word-loops/$1" "$1.docx" ||
        fail "mkzip could not pack word-loops/$1"
}

# tables_are DOCX: docxdump --tables equals $tmp/want
tables_are() {
    "$NB_DOCXDUMP" --tables "$1" > got || fail "docxdump cannot read $1"
    diff -u want got >&2 ||
        fail "tables of $1 differ (diff above: - expected, + actual)"
}

# count DOCX PART STRING: how often STRING is in the flattened part
count() {
    flat_part "$1" "$2" | grep -oF -- "$3" | wc -l | tr -d ' '
}

# count_is N DOCX PART STRING
count_is() {
    _n=$(count "$2" "$3" "$4")
    [ "$_n" -eq "$1" ] || fail "$2($3): '$4' $_n times, expected $1"
}

# no_tags DOCX: no tag is left in the document
no_tags() {
    if flat_part "$1" word/document.xml | grep -q -e '{{' -e '}}'; then
        fail "$1: a tag was left in the document"
    fi
}

# every_cell_ends_with_a_paragraph DOCX (ECMA-376 §17.4.66, and Word)
every_cell_ends_with_a_paragraph() {
    if flat_part "$1" word/document.xml | grep -q -e '</w:tbl></w:tc>' -e '</w:tcPr></w:tc>' -e '<w:tc></w:tc>'; then
        fail "$1: a cell does not end with a paragraph"
    fi
}

# ==== (a) paragraphs repeat inside a table cell ====
zip_template cells
render_ok changshan.xml cells.docx cells-out.docx
cat > want <<'EOF'
table
| 部分 | 一、2022年推进法治政府建设的主要举措和成效¶二、存在的不足和原因¶三、党政主要负责人履行推进法治建设第一责任人职责的情况¶四、2023年推进法治政府建设的主要工作安排 |
| 空循环,单元格里只有循环 |  |
| 空循环,循环前有文字 | 前文 |
table
| 一、2022年推进法治政府建设的主要举措和成效¶(一)强化统筹协调，在法治常山建设上攻坚发力进位争先¶(二)坚持依法行政，在法治政府建设上攻坚发力进位争先¶(三)深化法治为民，在法治社会建设上攻坚发力进位争先¶(四)加强闭环管控，在除险护航保障上攻坚发力进位争先¶(五)加快系统重塑，在改革实践上攻坚发力进位争先¶二、存在的不足和原因¶三、党政主要负责人履行推进法治建设第一责任人职责的情况¶四、2023年推进法治政府建设的主要工作安排¶(一)“1条主线”谋篇，注入强劲动力。¶(二)“1个品牌”支撑，激发发展活力。¶(三)“3条路径”推进，凝聚工作合力。¶(四)“5大工程”布局，打造硬核实力。 |
table
| 部分 | 方面 |
| 一、 | (一)强化统筹协调，在法治常山建设上攻坚发力进位争先¶(二)坚持依法行政，在法治政府建设上攻坚发力进位争先¶(三)深化法治为民，在法治社会建设上攻坚发力进位争先¶(四)加强闭环管控，在除险护航保障上攻坚发力进位争先¶(五)加快系统重塑，在改革实践上攻坚发力进位争先 |
| 二、 |  |
| 三、 |  |
| 四、 | (一)“1条主线”谋篇，注入强劲动力。¶(二)“1个品牌”支撑，激发发展活力。¶(三)“3条路径”推进，凝聚工作合力。¶(四)“5大工程”布局，打造硬核实力。 |
EOF
tables_are cells-out.docx
no_tags cells-out.docx
every_cell_ends_with_a_paragraph cells-out.docx
# the rows are not repeated: 3 + 1 + 1 (heading) + 4 (the row loop)
count_is 9 cells-out.docx word/document.xml '<w:tr>'
# a cell left without a paragraph by its empty loop gets one, empty, with
# the properties of its last control paragraph; a cell with text before
# the empty loop gets none
count_is 1 cells-out.docx word/document.xml '<w:p><w:pPr><w:jc w:val="center"/></w:pPr></w:p></w:tc>'
has cells-out.docx word/document.xml '<w:t>前文</w:t></w:r></w:p></w:tc>'
count_is 2 cells-out.docx word/document.xml '<w:p><w:pPr><w:jc w:val="right"/></w:pPr></w:p></w:tc>'
count_is 0 cells-out.docx word/document.xml '不出现'

# ==== (b) control paragraphs leave nothing behind but page breaks ====
zip_template breaks
render_ok changshan.xml breaks.docx breaks-out.docx
cat > want <<'EOF'
开头
一、2022年推进法治政府建设的主要举措和成效
(一)强化统筹协调，在法治常山建设上攻坚发力进位争先
(二)坚持依法行政，在法治政府建设上攻坚发力进位争先
(三)深化法治为民，在法治社会建设上攻坚发力进位争先
(四)加强闭环管控，在除险护航保障上攻坚发力进位争先
(五)加快系统重塑，在改革实践上攻坚发力进位争先
二、存在的不足和原因
三、党政主要负责人履行推进法治建设第一责任人职责的情况
四、2023年推进法治政府建设的主要工作安排
(一)“1条主线”谋篇，注入强劲动力。
(二)“1个品牌”支撑，激发发展活力。
(三)“3条路径”推进，凝聚工作合力。
(四)“5大工程”布局，打造硬核实力。
\n
2022年推进法治政府建设的主要举措和成效
\n
\n
存在的不足和原因
\n
\n
党政主要负责人履行推进法治建设第一责任人职责的情况
\n
\n
2023年推进法治政府建设的主要工作安排
\n
\n
完
EOF
paragraphs_are breaks-out.docx
no_tags breaks-out.docx
# the "\n" lines above are the page breaks (two per section: after the
# opening tag and before the closing one, both inside the loop) and the
# column break after the loop; the soft line break, the tabs and Word's
# lastRenderedPageBreak went with their paragraphs, in the empty loop too
count_is 8 breaks-out.docx word/document.xml '<w:br w:type="page"/>'
count_is 1 breaks-out.docx word/document.xml '<w:br w:type="column"/>'
count_is 0 breaks-out.docx word/document.xml '<w:br/>'
count_is 0 breaks-out.docx word/document.xml '<w:tab/>'
count_is 0 breaks-out.docx word/document.xml 'lastRenderedPageBreak'
count_is 0 breaks-out.docx word/document.xml '不出现'
# a break keeps the paragraph properties of its control paragraph
count_is 4 breaks-out.docx word/document.xml '<w:p><w:pPr><w:spacing w:after="0"/><w:jc w:val="both"/></w:pPr><w:r><w:br w:type="page"/></w:r></w:p><w:p><w:r><w:t xml:space="preserve">'
count_is 4 breaks-out.docx word/document.xml '</w:p><w:p><w:r><w:br w:type="page"/></w:r></w:p>'
# bookmarks: the one inside a control paragraph went, and so did both
# halves of the one whose start was in a control paragraph
count_is 1 breaks-out.docx word/document.xml '<w:bookmarkStart '
count_is 1 breaks-out.docx word/document.xml '<w:bookmarkEnd '
has breaks-out.docx word/document.xml '<w:bookmarkStart w:id="1" w:name="开头"/>'

# ==== (c) loops nested to any depth; conditions ====
zip_template nesting
render_ok nested.xml nesting.docx nesting-out.docx
cat > want <<'EOF'
一、段落循环四层,倒置节:
一、主要举措
(一)甲方面
1.第一项
(1)细项一
(2)细项二
2.第二项
(二)乙方面
二、下一步安排
本部分没有方面(空列表)
二、条件:
主送:空字符串
缺失:没有这个值
甲方面:另起一段(假),[第一项][第二项]
甲方面的段落只在假时出现
乙方面:连排,无分项(空列表)
没有文号(空字符串)
没有这个值(缺失)
第四层里的倒置节:细项一
第四层里的倒置节:细项二
三、表套表,三层行循环,行循环里有段落循环:
一、主要举措
(一)甲方面
1.第一项
(1)细项一
(2)细项二
2.第二项

(二)乙方面


二、下一步安排

完
EOF
paragraphs_are nesting-out.docx
cat > want <<'EOF'
table
| 一、主要举措 | [table]¶ |
  table
  | (一)甲方面 | [table]¶ |
    table
    | 1.第一项¶(1)细项一¶(2)细项二 |
    | 2.第二项 |
  | (二)乙方面 |  |
| 二、下一步安排 |  |
EOF
tables_are nesting-out.docx
no_tags nesting-out.docx
every_cell_ends_with_a_paragraph nesting-out.docx
count_is 0 nesting-out.docx word/document.xml '不出现'

# ==== (d) numbered lists restart in every element, or continue ====
zip_template numbering
render_ok changshan.xml numbering.docx numbering-out.docx
no_tags numbering-out.docx
# the lists of loop one (w:num 1, two levels) and of the row loop (4)
# restart in each section that has areas: one w:num each, after the
# template's, over the same w:abstractNum, every level started again
has numbering-out.docx word/numbering.xml '<w:num w:numId="4"><w:abstractNumId w:val="3"/></w:num><w:num w:numId="5"><w:abstractNumId w:val="0"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride><w:lvlOverride w:ilvl="1"><w:startOverride w:val="1"/></w:lvlOverride></w:num><w:num w:numId="6"><w:abstractNumId w:val="0"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride><w:lvlOverride w:ilvl="1"><w:startOverride w:val="1"/></w:lvlOverride></w:num><w:num w:numId="7"><w:abstractNumId w:val="3"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num><w:num w:numId="8"><w:abstractNumId w:val="3"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num></w:numbering>'
count_is 8 numbering-out.docx word/numbering.xml '<w:num '
count_is 4 numbering-out.docx word/numbering.xml '<w:startOverride w:val="1"/></w:lvlOverride></w:num>'
# section one: 5 areas and 11 items on w:num 5, section four: 4 areas and
# 8 items on 6; the template's w:num 1 is not used any more
count_is 16 numbering-out.docx word/document.xml '<w:numId w:val="5"/>'
count_is 12 numbering-out.docx word/document.xml '<w:numId w:val="6"/>'
count_is 0 numbering-out.docx word/document.xml '<w:numId w:val="1"/>'
# {{#sections continue}}: one list (3) through all sections; the loop of
# the list's items (metrics) continues its list (2); the row loop: 7, 8
count_is 9 numbering-out.docx word/document.xml '<w:numId w:val="3"/>'
count_is 2 numbering-out.docx word/document.xml '<w:numId w:val="2"/>'
count_is 5 numbering-out.docx word/document.xml '<w:numId w:val="7"/>'
count_is 4 numbering-out.docx word/document.xml '<w:numId w:val="8"/>'
# a page break of a control paragraph in a list stays, without the number
has numbering-out.docx word/document.xml '<w:p><w:pPr><w:jc w:val="both"/></w:pPr><w:r><w:br w:type="page"/></w:r></w:p>'
# check-template takes the option: the path is the section's name
expect_run 0 /dev/null -- check-template -q numbering.docx
# no list restarted (a report without areas and metrics): numbering.xml is
# the template's, byte for byte
render_ok ok-minimal.xml numbering.docx numbering-min.docx
"$NB_DOCXDUMP" --part word/numbering.xml numbering-min.docx > got
cmp -s "$NB_DATA/templates/word-loops/numbering/word/numbering.xml" got ||
    fail "numbering-min.docx: numbering.xml is not the template's"

# ==== (e) copies get IDs of their own ====
zip_template ids
render_ok changshan.xml ids.docx ids-out.docx
no_tags ids-out.docx
# the first copy keeps the template's IDs, later ones get new ones above
# every ID of the template (its header's drawing is 30 and 130); the same
# input gives the same bytes
has ids-out.docx word/document.xml '<w:bookmarkStart w:id="3" w:name="方面"/><w:r><w:t xml:space="preserve">(一)强化统筹协调'
has ids-out.docx word/document.xml '<w:bookmarkStart w:id="41" w:name="方面_2"/>'
has ids-out.docx word/document.xml '<wp:docPr id="131" name="图片 3"/>'
has ids-out.docx word/document.xml '<w:p w14:paraId="00000A07" w14:textId="77777777">'
count_is 0 ids-out.docx word/document.xml '被循环切开'
count_is 1 ids-out.docx word/document.xml '<w:commentReference w:id="0"/>'
expect_run 0 /dev/null -- render xml/changshan.xml -t ids.docx -o ids-again.docx
cmp -s ids-out.docx ids-again.docx || fail "ids: two renders of the same input differ"

# ==== (f) wrong section options: NB6040 each, nothing written ====
zip_template bad-option
mkdir out-bad
expect_run 1 "$NB_DATA/templates/word-loops/bad-option.expect" -- \
    render xml/changshan.xml -t bad-option.docx -o out-bad/out.docx
[ -z "$(ls -A out-bad)" ] || fail "render with bad-option wrote: $(ls -A out-bad)"

# ==== with python3: IDs across the package; nesting to the limit ====
need_python
cat > ids.py <<'EOF'
import re
import sys
import zipfile
import xml.etree.ElementTree as ET

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
W14 = "{http://schemas.microsoft.com/office/word/2010/wordml}"
WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
PIC = "{http://schemas.openxmlformats.org/drawingml/2006/picture}"
errors = []
z = zipfile.ZipFile(sys.argv[1])
parts = [n for n in z.namelist()
         if re.fullmatch(r"word/(document|header\d*|footer\d*)\.xml", n)]
drawing, para = [], []
names = set()
for part in parts:
    root = ET.fromstring(z.read(part))
    drawing += [e.get("id") for e in root.iter(WP + "docPr")]
    drawing += [e.get("id") for e in root.iter(PIC + "cNvPr")]
    para += [e.get(W14 + "paraId") for e in root.iter(W + "p")
             if e.get(W14 + "paraId") is not None]
    # every start has one end with its id, after it, in the same part
    order = list(root.iter())
    starts = {}
    for i, e in enumerate(order):
        if e.tag == W + "bookmarkStart":
            bid, name = e.get(W + "id"), e.get(W + "name")
            if bid in starts:
                errors.append("%s: bookmark id %s twice" % (part, bid))
            starts[bid] = i
            if name in names:
                errors.append("%s: bookmark name %s twice" % (part, name))
            if len(name) > 40:
                errors.append("%s: bookmark name %s over 40" % (part, name))
            names.add(name)
    ends = {}
    for i, e in enumerate(order):
        if e.tag == W + "bookmarkEnd":
            bid = e.get(W + "id")
            if bid in ends or bid not in starts or starts[bid] > i:
                errors.append("%s: bookmark end %s without its start" % (part, bid))
            ends[bid] = i
    for bid in starts:
        if bid not in ends:
            errors.append("%s: bookmark %s is not ended" % (part, bid))
    for tag in ("commentRangeStart", "commentRangeEnd", "commentReference"):
        ids = [e.get(W + "id") for e in root.iter(W + tag)]
        if len(ids) != len(set(ids)):
            errors.append("%s: %s ids repeat: %s" % (part, tag, ids))
for kind, ids in (("drawing", drawing), ("w14:paraId", para)):
    dup = sorted(set(i for i in ids if ids.count(i) > 1))
    if dup:
        errors.append("%s ids used twice: %s" % (kind, dup))
if any(int(p, 16) >= 0x80000000 for p in para):
    errors.append("a w14:paraId is not below 80000000")
want = {"drawing": int(sys.argv[2]), "bookmarks": int(sys.argv[3])}
if len(drawing) != want["drawing"]:
    errors.append("%d drawing ids, expected %d" % (len(drawing), want["drawing"]))
if len(names) != want["bookmarks"]:
    errors.append("%d bookmarks, expected %d" % (len(names), want["bookmarks"]))
for e in errors:
    print("%s: %s" % (sys.argv[1], e), file=sys.stderr)
sys.exit(1 if errors else 0)
EOF
# drawings: 1 + 4 sections + 9 areas + 2 metrics + 1 after, and the
# header's, twice each (wp:docPr and pic:cNvPr); bookmarks: 开头, the
# title's and 跨方面 per section, 方面 per area, 指标 per metric, 页眉
"$NB_PYTHON3" ids.py ids-out.docx 36 21 || fail "ids-out.docx: IDs repeat (above)"
"$NB_PYTHON3" ids.py cells-out.docx 0 0 || fail "cells-out.docx: IDs repeat (above)"

# depth.py N OUT [tables]: a template whose paragraph loop over meta is
# nested N deep, the issuer at the bottom; with "tables", also tables
# nested N deep, each a row loop whose cell holds a paragraph loop around
# the next table (2N sections deep), the year at the bottom
cat > depth.py <<'EOF'
import os
import sys

n, out = int(sys.argv[1]), sys.argv[2]
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def p(s):
    return "<w:p><w:r><w:t>%s</w:t></w:r></w:p>" % s


def row(s):
    return "<w:tr><w:tc>%s</w:tc></w:tr>" % s


body = p("{{#meta}}") * n + p("深处:{{issuer}}") + p("{{/meta}}") * n
if len(sys.argv) > 3:
    inner = p("表中深处:{{year}}")
    for _ in range(n):
        inner = ('<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/></w:tblPr>'
                 '<w:tblGrid><w:gridCol w:w="5000"/></w:tblGrid>' +
                 row(p("{{#meta}}")) +
                 row(p("{{#meta}}") + inner + p("{{/meta}}")) +
                 row(p("{{/meta}}")) + "</w:tbl>")
    body += inner + p("")
os.makedirs(out + "/_rels")
os.makedirs(out + "/word")
open(out + "/[Content_Types].xml", "w").write(
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    '</Types>')
open(out + "/_rels/.rels", "w").write(
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
    '</Relationships>')
open(out + "/word/document.xml", "w", encoding="utf-8").write(
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<w:document xmlns:w="%s"><w:body>%s<w:sectPr/></w:body></w:document>'
    % (W, body))
EOF
# 100 deep (the default limit) works, 101 is reported, and
# --limit section-depth=120 lets 120 through
"$NB_PYTHON3" depth.py 100 deep-100 && "$NB_MKZIP" deep-100 deep-100.docx ||
    fail "could not make deep-100.docx"
render_ok nested.xml deep-100.docx deep-100-out.docx
echo '深处:某某县司法局' > want
paragraphs_are deep-100-out.docx
"$NB_PYTHON3" depth.py 101 deep-101 && "$NB_MKZIP" deep-101 deep-101.docx ||
    fail "could not make deep-101.docx"
cat > want <<'EOF'
deep-101.docx(word/document.xml):1: error: sections nested more than 100 deep [NB6010]
nianbao: a safety limit was reached; if the file is trusted, raise it with --limit (see 'nianbao limits')
EOF
expect_run 1 want -- render xml/nested.xml -t deep-101.docx -o deep-101-out.docx
"$NB_PYTHON3" depth.py 120 deep-120 && "$NB_MKZIP" deep-120 deep-120.docx ||
    fail "could not make deep-120.docx"
expect_run 0 /dev/null -- render --limit section-depth=120 xml/nested.xml \
    -t deep-120.docx -o deep-120-out.docx
validate_docx deep-120-out.docx
echo '深处:某某县司法局' > want
paragraphs_are deep-120-out.docx
# tables nested 30 deep, each a row loop holding a paragraph loop in its
# cell (60 sections deep); each cell ends with the table, so the render
# adds the paragraph a cell must end with
"$NB_PYTHON3" depth.py 30 deep-tables tables && "$NB_MKZIP" deep-tables deep-tables.docx ||
    fail "could not make deep-tables.docx"
render_ok nested.xml deep-tables.docx deep-tables-out.docx
every_cell_ends_with_a_paragraph deep-tables-out.docx
[ "$(count deep-tables-out.docx word/document.xml '<w:tbl>')" -eq 30 ] ||
    fail "deep-tables-out.docx: not 30 tables"
paragraphs deep-tables-out.docx | grep -c '^表中深处:2022$' > got
echo 1 > want
diff -u want got >&2 || fail "deep-tables-out.docx: the innermost paragraph is not there once"

# ==== with LibreOffice: the restarted lists as printed ====
need_libreoffice
if ! run_timeout "$NB_SOFFICE" "-env:UserInstallation=file://$tmp/lo" \
        --headless --convert-to pdf --outdir "$tmp/pdf" numbering-out.docx \
        > soffice.log 2>&1 || [ ! -s pdf/numbering-out.pdf ]; then
    cat soffice.log >&2
    fail "numbering: LibreOffice could not convert the DOCX to PDF"
fi
"$NB_PDFTOTEXT" -enc UTF-8 pdf/numbering-out.pdf numbering.txt ||
    fail "pdftotext failed"
# the numbers LibreOffice printed, in order, and what follows each
cat > in_order.py <<'EOF'
import sys

text = "".join(open(sys.argv[1], encoding="utf-8").read().split())
pos = 0
for want in open(sys.argv[2], encoding="utf-8").read().split():
    at = text.find(want, pos)
    if at < 0:
        sys.exit("%s: '%s' is not printed after '%s'"
                 % (sys.argv[1], want, text[max(0, pos - 20):pos]))
    pos = at + len(want)
EOF
cat > want <<'EOF'
一、2022年推进法治政府建设的主要举措和成效
1.强化统筹协调 a)加快推进 b)加大法治 2.坚持依法行政 a)力促 b)谋求 3.深化法治为民
4.加强闭环管控 5.加快系统重塑 a)推进司法行政 b)推进乡镇 c)推进司法所
二、存在的不足和原因 四、2023年推进法治政府建设的主要工作安排
1.“1条主线” 2.“1个品牌” 3.“3条路径” a)统筹协调 b)服务大局 c)守牢底线
4.“5大工程” a)聚力打造 b)聚力打造 c)聚力打造 d)聚力打造 e)聚力打造
二、连续编号(continue)
A.强化统筹协调 B.坚持依法行政 C.深化法治为民 D.加强闭环管控 E.加快系统重塑
F.“1条主线” G.“1个品牌” H.“3条路径” I.“5大工程”
三、列表项的循环 1、行政应诉败诉率 2、制发行政执法监督通知书
四、行循环 一、 (1)强化统筹协调 (2)坚持依法行政 (3)深化法治为民 (4)加强闭环管控
(5)加快系统重塑 二、 三、 四、 (1)“1条主线” (2)“1个品牌” (3)“3条路径” (4)“5大工程”
完
EOF
"$NB_PYTHON3" in_order.py numbering.txt want ||
    fail "numbering: LibreOffice does not print the lists restarted (above)"
exit 0
