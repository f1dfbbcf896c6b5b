#!/bin/sh
# nianbao render --template with real templates, kept unpacked in
# tests/data/templates/NAME/ and zipped here with mkzip. The good ones are
# checked through the text of the written DOCX (docxdump --paragraphs) and
# validate-docx; each bad-NAME/ and warn-NAME/ has a NAME.expect with the
# exact stderr. Reports come from tests/data/xml (ok-*.xml).
#
# Each invalid tag and unknown filter is reported once, at its paragraph.
. "$(dirname "$0")/lib.sh"

need_validate_docx

# work in $tmp with relative names, so diagnostics hold stable paths
cd "$tmp"
ln -s "$NB_DATA/xml" xml
mkdir tpl

# zip TEMPLATE: $tmp/NAME.docx from tests/data/templates/NAME/
zip_template() {
    "$NB_MKZIP" "$NB_DATA/templates/$1" "$1.docx" ||
        fail "mkzip could not pack templates/$1"
}

# ==== (a) tags split over runs the way Word stores them ====
zip_template split-runs
render_ok ok-small.xml split-runs.docx split.docx
cat > want <<'EOF'
某某县司法局2022年度法治政府建设情况报告
发布机构:某某县司法局。
年度:2022
一、2022年度推进法治政府建设的主要举措和成效
二、下一步工作安排
2023年2月8日
EOF
paragraphs_are split.docx
# the value takes the formatting of the run where its tag starts: a break
# inside "{{" (bold run), inside the name (red), inside "}}" (italic),
# inside a filter "| cn" (bold); the runs the tag spilled into are emptied
has split.docx word/document.xml '<w:r w:rsidR="00A11111"><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">某某县司法局2022年度法治政府建设情况报告</w:t></w:r><w:r w:rsidR="00B22222"><w:t/></w:r>'
has split.docx word/document.xml '<w:rPr><w:color w:val="FF0000"/></w:rPr><w:t xml:space="preserve">某某县司法局</w:t></w:r><w:proofErr w:type="spellStart"/><w:r w:rsidR="00D44444"><w:t/></w:r><w:proofErr w:type="spellEnd"/><w:r w:rsidR="00E55555"><w:t/></w:r><w:r w:rsidR="00F66666"><w:t>。</w:t>'
has split.docx word/document.xml '<w:rPr><w:i/></w:rPr><w:t xml:space="preserve">2022</w:t></w:r><w:r w:rsidR="00B22222"><w:t/></w:r><w:r w:rsidR="00C33333"><w:rPr><w:u w:val="single"/></w:rPr><w:t/>'
has split.docx word/document.xml '<w:rPr><w:b/></w:rPr><w:t xml:space="preserve">一</w:t>'
has split.docx word/document.xml '<w:rPr><w:b/></w:rPr><w:t xml:space="preserve">二</w:t>'
# the tag "{{title}}" starts in the run holding "、{": both stay there
has split.docx word/document.xml '<w:r w:rsidR="00C33333"><w:t xml:space="preserve">、2022年度推进法治政府建设的主要举措和成效</w:t>'
# Word's markup around the pieces is kept, and no brace is left
for n in proofErr rsidR; do
    a=$(grep -o "w:$n" "$NB_DATA/templates/split-runs/word/document.xml" | wc -l)
    b=$(flat_part split.docx word/document.xml | grep -o "w:$n" | wc -l)
    # two section paragraphs vanish, the one between them repeats twice
    [ "$b" -ge "$a" ] || fail "split-runs: w:$n lost ($a in the template, $b rendered)"
done
if flat_part split.docx word/document.xml | grep -q -e '{{' -e '}}'; then
    fail "split-runs: a tag was left in the document"
fi

# ==== (b) sections, inverted sections, {{.}}, dotted paths, filters ====
zip_template loops
render_ok ok-21-areas.xml loops.docx loops-21.docx
cat > want <<'EOF'
《某某区司法局》
机构:某某区司法局(2021年度)
前言:前言第一段。
前言:前言第二段。
一、2021年度推进法治政府建设的主要举措和成效(某某区司法局measures)
(一)方面1;(二)方面2;(三)方面3;(四)方面4;(五)方面5;(六)方面6;(七)方面7;(八)方面8;(九)方面9;(十)方面10;(十一)方面11;(十二)方面12;(十三)方面13;(十四)方面14;(十五)方面15;(十六)方面16;(十七)方面17;(十八)方面18;(十九)方面19;(二十)方面20;(二十一)方面21;
二、2021年度推进法治政府建设存在的不足和原因(某某区司法局shortcomings)

本部分没有分项。
主送:(无)
fy_received=59件;ys_loss_rate=2.6%;
日期:2022年1月5日
EOF
paragraphs_are loops-21.docx

# the same template on a report with an addressee, five kinds of section
# and metrics without a unit
render_ok ok-full.xml loops.docx loops-full.docx
cat > want <<'EOF'
《某某县人民政府》
机构:某某县人民政府(2022年度)
前言:2022年，某某县坚持以法治思想为指导，法治政府建设取得新成效。
前言:现将有关情况报告如下：
一、2022年度推进法治政府建设的主要举措和成效(某某县人民政府measures)
(一)坚持党的领导，统筹法治建设;(二)坚持依法行政，提升决策水平;(三)坚持执法为民;
二、存在的不足(某某县人民政府shortcomings)

本部分没有分项。
三、2022年度党政主要负责人履行推进法治建设第一责任人职责、加强法治政府建设的有关情况(某某县人民政府duties)

本部分没有分项。
四、2023年度推进法治政府建设的主要安排(某某县人民政府plans)
(一)持续深化法治建设;
五、其他需要报告的情况(某某县人民政府other)

本部分没有分项。
主送:市人民政府：
fy_received=59件;ys_loss_rate=2.6%;
日期:2023年2月8日
EOF
paragraphs_are loops-full.docx

# no date, no preamble, no metrics: empty values and skipped sections
render_ok ok-minimal.xml loops.docx loops-min.docx
cat > want <<'EOF'
《某某县司法局》
机构:某某县司法局(2022年度)
一、2022年度推进法治政府建设的主要举措和成效(某某县司法局measures)

本部分没有分项。
主送:(无)

日期:
EOF
paragraphs_are loops-min.docx

# ==== (c) tags in a header, a footer and docProps/core.xml ====
zip_template parts
render_ok ok-small.xml parts.docx parts-out.docx
echo '某某县司法局2022年度法治政府建设情况报告' > want
paragraphs_are parts-out.docx
echo '页眉:某某县司法局' > want
paragraphs_are parts-out.docx word/header1.xml
echo '2022年度 — 1 —' > want
paragraphs_are parts-out.docx word/footer1.xml
has parts-out.docx docProps/core.xml '<dc:title>某某县司法局2022年度法治政府建设情况报告</dc:title>'
has parts-out.docx docProps/core.xml '<dc:subject>2022年度 &amp; 2023年2月8日</dc:subject>'
has parts-out.docx docProps/core.xml '<dc:creator>某某县司法局</dc:creator>'
# the page-number field of the footer is kept as it is
has parts-out.docx word/footer1.xml '<w:instrText xml:space="preserve"> PAGE </w:instrText>'
# parts without tags are copied byte for byte, in the template's order
"$NB_DOCXDUMP" --parts parts.docx | sed 's/ .*//' > want
"$NB_DOCXDUMP" --parts parts-out.docx | sed 's/ .*//' > got
diff -u want got >&2 || fail "parts: the package's entries changed"
for p in '[Content_Types].xml' _rels/.rels word/_rels/document.xml.rels; do
    "$NB_DOCXDUMP" --part "$p" parts.docx > a
    "$NB_DOCXDUMP" --part "$p" parts-out.docx > b
    cmp a b || fail "parts: $p was not copied unchanged"
done

# ==== a filter that cannot convert: a warning, the value kept ====
zip_template warn-filter
expect_run 0 "$NB_DATA/templates/warn-filter.expect" -- \
    render xml/ok-small.xml -t warn-filter.docx -o warn.docx
validate_docx warn.docx
cat > want <<'EOF'
二千零二十二年
某某县司法局
2022
2023年2月8日
EOF
paragraphs_are warn.docx

# ==== (d) errors in templates: exit 1, exactly the .expect, nothing written ====
n=0
for dir in "$NB_DATA"/templates/bad-*/; do
    name=$(basename "$dir")
    [ -f "$NB_DATA/templates/$name.expect" ] || fail "templates/$name has no $name.expect"
    zip_template "$name"
    mkdir "out-$name"
    expect_run 1 "$NB_DATA/templates/$name.expect" -- \
        render xml/ok-small.xml -t "$name.docx" -o "out-$name/out.docx"
    [ -z "$(ls -A "out-$name")" ] ||
        fail "render with $name wrote: $(ls -A "out-$name")"
    n=$((n + 1))
done
[ "$n" -ge 10 ] || fail "only $n bad templates"
for e in "$NB_DATA"/templates/*.expect; do
    [ -d "${e%.expect}" ] || fail "$e has no template folder"
done
# the cases the names promise
grep -q '\[NB6003\]$' "$NB_DATA/templates/bad-unclosed.expect" || fail "bad-unclosed is not NB6003"
grep -q '\[NB6004\]$' "$NB_DATA/templates/bad-mismatch.expect" || fail "bad-mismatch is not NB6004"
grep -q '\[NB6006\]$' "$NB_DATA/templates/bad-filter.expect" || fail "bad-filter is not NB6006"
grep -q '\[NB6020\]$' "$NB_DATA/templates/bad-split-paragraphs.expect" || fail "bad-split-paragraphs is not NB6020"
grep -q '\[NB6005\]$' "$NB_DATA/templates/bad-level.expect" || fail "bad-level is not NB6005"
[ "$(grep -c '\[NB6005\]$' "$NB_DATA/templates/bad-rows.expect")" -eq 4 ] || fail "bad-rows: not four NB6005"
grep -q "'{{a\.\.b}}'.*\[NB6002\]$" "$NB_DATA/templates/bad-syntax.expect" || fail "bad-syntax is not NB6002"
grep -q '\[NB6007\]$' "$NB_DATA/templates/bad-no-document.expect" || fail "bad-no-document is not NB6007"
grep -q '\[NB6008\]$' "$NB_DATA/templates/bad-part-malformed.expect" || fail "bad-part-malformed is not NB6008"
[ "$(sed 's/.*\[\(NB[0-9]*\)\]$/\1/' "$NB_DATA/templates/bad-many.expect" | sort -u | wc -l)" -ge 4 ] ||
    fail "bad-many does not report several kinds of error"

# an existing output survives a template with errors
echo previous > kept.docx
expect_run 1 "$NB_DATA/templates/bad-unclosed.expect" -- \
    render xml/ok-small.xml -t bad-unclosed.docx -o kept.docx
[ "$(cat kept.docx)" = previous ] || fail "a bad template replaced the old output"

# JSON names the part
expect_run 1 /dev/null -- render --diag=json xml/ok-small.xml -t bad-level.docx -o out.docx
cat > want <<'EOF'
{"file":"bad-level.docx","part":"word/document.xml","line":17,"col":0,"severity":"error","code":"NB6005","name":"TMPL_SECTION_LEVEL","message":"'{{#sections}}' (line 4) and its closing tag are not at the same level: in a table cell, put both tags alone in paragraphs of the same cell (those paragraphs repeat) or both inside one paragraph, or repeat rows: begin a row's first cell with the opening tag and end that row's last cell with the closing tag, or put each tag in a row of its own"}
EOF
expect_stdout want
[ ! -e out.docx ] || fail "render --diag=json with a bad template wrote out.docx"

# ==== (e) files that are not usable templates ====
printf 'PK but not a zip archive\n' > not-a-zip.docx
printf '%s\n' 'not-a-zip.docx: error: not a readable zip archive: no end of central directory record (not a zip archive or a truncated one) [NB9006]' > want
expect_run 1 want -- render xml/ok-small.xml -t not-a-zip.docx -o out.docx
[ ! -e out.docx ] || fail "render with not-a-zip.docx wrote out.docx"

printf '%s\n' 'missing.docx: error: cannot open: No such file or directory [NB9001]' > want
expect_run 3 want -- render xml/ok-small.xml -t missing.docx -o out.docx
[ ! -e out.docx ] || fail "render with a missing template wrote out.docx"

# zips with unsafe entry names, made here with python's zipfile
if [ -n "${NB_PYTHON3:-}" ] && [ "$NB_PYTHON3" != no ] &&
   command -v "$NB_PYTHON3" > /dev/null 2>&1; then
    "$NB_PYTHON3" - parts.docx <<'EOF'
import sys, zipfile
src = zipfile.ZipFile(sys.argv[1])
# read once: writestr(info) moves info.header_offset to the new archive's
parts = [(i.filename, src.read(i.filename)) for i in src.infolist()]
for out, bad in (("evil-dotdot.docx", "../evil.xml"),
                 ("evil-abs.docx", "/abs.xml"),
                 ("evil-inner.docx", "word/../../evil.xml"),
                 ("evil-case.docx", "WORD/Document.xml")):
    z = zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED)
    for name, data in parts:
        z.writestr(name, data)
    z.writestr(bad, "<x/>")
    z.close()
EOF
    msg='error: entry name is absolute, contains "..", a backslash or a control character [NB9007]'
    for case in 'evil-dotdot.docx(../evil.xml)' 'evil-abs.docx(/abs.xml)' \
                'evil-inner.docx(word/../../evil.xml)'; do
        printf '%s: %s\n' "$case" "$msg" > want
        expect_run 1 want -- render xml/ok-small.xml -t "${case%%(*}" -o out.docx
        [ ! -e out.docx ] || fail "render with ${case%%(*} wrote out.docx"
    done
    printf '%s\n' 'evil-case.docx(WORD/Document.xml): error: entry name appears twice in the archive [NB9007]' > want
    expect_run 1 want -- render xml/ok-small.xml -t evil-case.docx -o out.docx
    [ ! -e out.docx ] || fail "render with evil-case.docx wrote out.docx"
else
    skip "python3 not found ('${NB_PYTHON3:-}'): cannot build the unsafe zips"
fi

# ==== (f) section tags that repeat table rows ====
# tests/data/templates/tables: control rows (every cell holds section tags
# only), nested; an inverted row section; the one-row form, with the tags
# alone in their paragraphs and inline; a row loop in a table inside a cell
# of a row loop; empty lists leave no row, and a table left without rows
# goes. Reports: an example, ok-minimal (no metrics).
ln -s "$NB_SRCDIR/examples" examples
zip_template tables
expect_run 0 /dev/null -- render examples/changshan-2022/report.xml \
    -t tables.docx -o tables-cs.docx
validate_docx tables-cs.docx
cat > want <<'EOF'
table
| 指标 | 数值 |
| 行政应诉败诉率 | 2.6% |
| 制发行政执法监督通知书 | 24份 |
table
| 一、 | 2022年推进法治政府建设的主要举措和成效 |
| (一) | 强化统筹协调，在法治常山建设上攻坚发力进位争先 |
| (二) | 坚持依法行政，在法治政府建设上攻坚发力进位争先 |
| (三) | 深化法治为民，在法治社会建设上攻坚发力进位争先 |
| (四) | 加强闭环管控，在除险护航保障上攻坚发力进位争先 |
| (五) | 加快系统重塑，在改革实践上攻坚发力进位争先 |
| 二、 | 存在的不足和原因 |
| 无 | 本部分没有分项。 |
| 三、 | 党政主要负责人履行推进法治建设第一责任人职责的情况 |
| 无 | 本部分没有分项。 |
| 四、 | 2023年推进法治政府建设的主要工作安排 |
| (一) | “1条主线”谋篇，注入强劲动力。 |
| (二) | “1个品牌”支撑，激发发展活力。 |
| (三) | “3条路径”推进，凝聚工作合力。 |
| (四) | “5大工程”布局，打造硬核实力。 |
table
| 一、2022年推进法治政府建设的主要举措和成效 | [table]¶ |
  table
  | (一)强化统筹协调，在法治常山建设上攻坚发力进位争先 |
  | (二)坚持依法行政，在法治政府建设上攻坚发力进位争先 |
  | (三)深化法治为民，在法治社会建设上攻坚发力进位争先 |
  | (四)加强闭环管控，在除险护航保障上攻坚发力进位争先 |
  | (五)加快系统重塑，在改革实践上攻坚发力进位争先 |
| 二、存在的不足和原因 |  |
| 三、党政主要负责人履行推进法治建设第一责任人职责的情况 |  |
| 四、2023年推进法治政府建设的主要工作安排 | [table]¶ |
  table
  | (一)“1条主线”谋篇，注入强劲动力。 |
  | (二)“1个品牌”支撑，激发发展活力。 |
  | (三)“3条路径”推进，凝聚工作合力。 |
  | (四)“5大工程”布局，打造硬核实力。 |
table
| 代码 | 数值 | 同比 |
|  | ys_loss_rate | 2.6% |
|  | zf_notices | 24份 |
table
| 结束语(2022年) |
table
| 代码 | 名称 | 数值 |
| ys_loss_rate | 行政应诉败诉率 | 2.6% |
| zf_notices | 制发行政执法监督通知书 | 24份 |
table
| ys_loss_rate=2.6 |
| zf_notices=24 |
EOF
"$NB_DOCXDUMP" --tables tables-cs.docx > got || fail "docxdump cannot read tables-cs.docx"
diff -u want got >&2 || fail "tables of tables-cs.docx differ (diff above: - expected, + actual)"
# the control rows and the control paragraphs are gone, with their tags
if flat_part tables-cs.docx word/document.xml | grep -q -e '{{' -e '}}'; then
    fail "tables: a tag was left in the document"
fi
[ "$(flat_part tables-cs.docx word/document.xml | grep -o '<w:tr>' | wc -l)" -eq 40 ] ||
    fail "tables: not 40 rows in tables-cs.docx"
# every cell keeps a paragraph: a row-edge paragraph that was alone in its
# cell, or after a table, stays empty with its properties (the first cells
# of table four, the last cells of table three)
if grep -q 'no paragraph' got; then
    fail "tables: a cell was left without a paragraph"
fi
[ "$(flat_part tables-cs.docx word/document.xml |
     grep -o '<w:p><w:pPr><w:jc w:val="center"/></w:pPr></w:p></w:tc>' |
     wc -l)" -eq 6 ] || fail "tables: not 6 empty centred paragraphs kept"
has tables-cs.docx word/document.xml '</w:tbl><w:p><w:pPr><w:jc w:val="center"/></w:pPr></w:p></w:tc>'
has tables-cs.docx word/document.xml '<w:tcPr><w:tcW w:w="3000" w:type="dxa"/></w:tcPr><w:p><w:pPr><w:jc w:val="center"/></w:pPr></w:p></w:tc><w:tc><w:tcPr><w:tcW w:w="3000" w:type="dxa"/></w:tcPr><w:p><w:r><w:t xml:space="preserve">ys_loss_rate</w:t>'
# the inline form: "{{#metrics}}" left the first cell's paragraph, whose
# bold run (where "{{code}}" starts) gives the value its formatting
has tables-cs.docx word/document.xml '<w:p><w:r><w:t/></w:r><w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">ys_loss_rate</w:t></w:r></w:p>'

# no metrics and no areas: the header rows stay, the loops leave no row,
# and table seven, all of whose rows were a loop, is left out
expect_run 0 /dev/null -- render xml/ok-minimal.xml -t tables.docx -o tables-min.docx
validate_docx tables-min.docx
cat > want <<'EOF'
table
| 指标 | 数值 |
table
| 一、 | 2022年度推进法治政府建设的主要举措和成效 |
| 无 | 本部分没有分项。 |
table
| 一、2022年度推进法治政府建设的主要举措和成效 |  |
table
| 代码 | 数值 | 同比 |
table
| 结束语(2022年) |
table
| 代码 | 名称 | 数值 |
EOF
"$NB_DOCXDUMP" --tables tables-min.docx > got || fail "docxdump cannot read tables-min.docx"
diff -u want got >&2 || fail "tables of tables-min.docx differ (diff above: - expected, + actual)"
paragraphs tables-min.docx | tail -n 2 > got
printf '%s\n' '表七:没有表头,列表为空时整个表不留' '完' > want
diff -u want got >&2 || fail "tables-min.docx: table seven was not left out"

# every DOCX this test wrote is valid OOXML (checked as written above) and
# nothing else was left behind
for f in *.tmp-* */*.tmp-*; do
    [ -e "$f" ] && fail "temporary file left behind: $f"
done
exit 0
