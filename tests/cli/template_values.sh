#!/bin/sh
# The values a merge writes: every filter, the errors in filters, the
# data warnings for values a filter cannot convert and for characters XML
# cannot carry, and newlines in both contexts (docs/templates.md,
# "Filters" and "Values"). Templates are kept unpacked in
# tests/data/templates/values/NAME/ and zipped here with mkzip; they
# render values/report.xml (or examples/changshan-2022). Each output is
# checked through its paragraphs (docxdump --paragraphs), its XML where
# the paragraphs cannot show it, and validate-docx.
. "$(dirname "$0")/lib.sh"

need_validate_docx

# work in $tmp with relative names, so diagnostics hold stable paths
cd "$tmp"
V="$NB_DATA/templates/values"
cp "$V/report.xml" values.xml
# render_ok (lib.sh) reads its reports from xml/
mkdir xml
cp "$V/report.xml" xml/values.xml
cp "$NB_SRCDIR/examples/changshan-2022/report.xml" xml/changshan.xml

# zip NAME: $tmp/NAME.docx from tests/data/templates/values/NAME/
zip_template() {
    "$NB_MKZIP" "$V/$1" "$1.docx" || fail "mkzip could not pack values/$1"
}

# ==== every filter, with the outputs docs/templates.md promises ====
zip_template filters
render_ok values.xml filters.docx filters-out.docx
cat > want <<'EOF'
cn: 一百二十三万四千五百六十七 九千九百九十九 一百零一 十二
cn_paren: （十二）（一）2022年度推进法治政府建设的主要举措和成效
cn_dun: 一、2022年度推进法治政府建设的主要举措和成效
cn_shi: 一是强化统筹协调 一百零一是
cn_di: 第一 第十二
cn_date: 2024年2月29日
cn_date_hanzi: 二〇二四年二月二十九日
cn_year: 二〇二二 二〇二四
thousands: 1,234,567 -1,234.5 200
fixed: 1.01 1.0 200.00 1 -1235
percent: 98.1% 50% 98.10% 50%
default: 无 某某县司法局 暂 无 a|b
upper lower: ABC-12号 abc-12号
chain: 1,234,567.00 1,234,567.00 N/A
full-width: 1.01 暂无 无 无 无 1.01 十二
split: 无
EOF
paragraphs_are filters-out.docx

# ==== ordinals and dates of a real report ====
zip_template ordinals
render_ok changshan.xml ordinals.docx ordinals-out.docx
paragraphs ordinals-out.docx > got
# headings, areas and items as reports number them
for line in \
    '一、2022年推进法治政府建设的主要举措和成效' \
    '（一）强化统筹协调，在法治常山建设上攻坚发力进位争先' \
    '（五）加快系统重塑，在改革实践上攻坚发力进位争先' \
    '四、2023年推进法治政府建设的主要工作安排' \
    '（四）“5大工程”布局，打造硬核实力。' \
    '2023年2月8日' \
    '二〇二三年二月八日' \
    '二〇二二年度 二十四份' \
    '败诉率2.60%,第二十四份 24.0'; do
    grep -qxF -- "$line" got || fail "ordinals: no paragraph '$line'"
done
grep -q '^一是力促行政败诉情况改观;二是谋求行政执法监督突破;$' got ||
    fail "ordinals: items are not 一是 二是"
[ "$(grep -c '^（' got)" -eq 9 ] || fail "ordinals: not nine （N） areas"

# ==== values a filter cannot convert: warnings located in the data ====
zip_template warn-input
expect_run 0 "$V/warn-input.expect" -- render values.xml -t warn-input.docx -o warn-out.docx
validate_docx warn-out.docx
cat > want <<'EOF'
强化统筹协调
十二
2024-02-29
某某县司法局
第一行\n第二行\n\n第四行一段	二段
二〇二二 1,234,567.00
EOF
paragraphs_are warn-out.docx
# data findings, not template findings
if grep -q 'NB6' "$V/warn-input.expect"; then
    fail "warn-input: a template code for a problem in the data"
fi
[ "$(grep -c '\[NB7002\]$' "$V/warn-input.expect")" -eq 8 ] ||
    fail "warn-input.expect: not eight NB7002"

# ==== errors in filters: exit 1, the exact messages, nothing written ====
for t in bad-unknown bad-args; do
    zip_template "$t"
    expect_run 1 "$V/$t.expect" -- render values.xml -t "$t.docx" -o "$t-out.docx"
    [ ! -e "$t-out.docx" ] || fail "$t: a document was written"
done
grep -qF "unknown filter 'cn_dat' in '{{meta.date | cn_dat}}': did you mean 'cn_date'? [NB6006]" \
    "$V/bad-unknown.expect" || fail "bad-unknown: no suggestion for cn_dat"
[ "$(grep -c '\[NB6011\]$' "$V/bad-args.expect")" -eq 7 ] ||
    fail "bad-args.expect: not seven NB6011"

# ==== newlines: paragraphs when alone, line breaks inline ====
zip_template newlines
# its hyperlink leads outside the document: a warning, and it renders
echo "newlines.docx(word/_rels/document.xml.rels):3: warning: a hyperlink to 'https://example.org/' [NB6084]" > links.expect
expect_run 0 links.expect -- render xml/values.xml -t newlines.docx -o newlines-out.docx
validate_docx newlines-out.docx
cat > want <<'EOF'
县人民政府：
县委依法治县办：
致:县人民政府：\n县委依法治县办：。
 第一行
第二行

第四行 
 一段	二段 
县人民政府：
县委依法治县办：
县人民政府：
县委依法治县办：
县人民政府：\n县委依法治县办：
end
EOF
paragraphs_are newlines-out.docx
D=word/document.xml
# alone: the paragraph again, with its properties and its run's, Word's
# paragraph ids only on the first
has newlines-out.docx $D '<w:p w14:paraId="1A2B3C4D" w14:textId="77777777"><w:pPr><w:jc w:val="center"/></w:pPr><w:r w:rsidR="00A11111"><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">县人民政府：</w:t></w:r></w:p><w:p><w:pPr><w:jc w:val="center"/></w:pPr><w:r w:rsidR="00A11111"><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">县委依法治县办：</w:t></w:r></w:p>'
[ "$(flat_part newlines-out.docx $D | grep -o 'w14:paraId' | wc -l)" -eq 1 ] ||
    fail "newlines: a paragraph id was repeated"
# an empty line is an empty paragraph; CR LF is one newline
has newlines-out.docx $D '<w:t xml:space="preserve"> 第一行</w:t></w:r></w:p><w:p><w:pPr><w:ind w:firstLineChars="200" w:firstLine="640"/></w:pPr><w:r><w:t xml:space="preserve">第二行</w:t></w:r></w:p><w:p><w:pPr><w:ind w:firstLineChars="200" w:firstLine="640"/></w:pPr><w:r><w:t xml:space="preserve"></w:t></w:r></w:p>'
# inline: a line break in the run; a tab is a tab
has newlines-out.docx $D '<w:t xml:space="preserve">致:县人民政府：</w:t><w:br/><w:t xml:space="preserve">县委依法治县办：。</w:t>'
has newlines-out.docx $D '<w:t xml:space="preserve"> 一段</w:t><w:tab/><w:t xml:space="preserve">二段 </w:t>'
# in a cell: paragraphs of the cell; in a hyperlink: the hyperlink again
has newlines-out.docx $D '<w:tc><w:tcPr><w:tcW w:w="4000" w:type="dxa"/></w:tcPr><w:p><w:r><w:t xml:space="preserve">县人民政府：</w:t></w:r></w:p><w:p><w:r><w:t xml:space="preserve">县委依法治县办：</w:t></w:r></w:p></w:tc>'
has newlines-out.docx $D '<w:hyperlink r:id="rId9"><w:r><w:rPr><w:u w:val="single"/></w:rPr><w:t xml:space="preserve">县人民政府：</w:t></w:r></w:hyperlink></w:p><w:p><w:hyperlink r:id="rId9"><w:r><w:rPr><w:u w:val="single"/></w:rPr><w:t xml:space="preserve">县委依法治县办：</w:t>'
# a paragraph that ends a section keeps one w:sectPr: line breaks
[ "$(flat_part newlines-out.docx $D | grep -o '<w:sectPr>' | wc -l)" -eq 2 ] ||
    fail "newlines: a section break was repeated"
has newlines-out.docx $D '</w:sectPr></w:pPr><w:r><w:t xml:space="preserve">县人民政府：</w:t><w:br/>'
# core properties are not WordprocessingML: the newline as it is
"$NB_DOCXDUMP" --part docProps/core.xml newlines-out.docx > core.xml
printf '  <dc:description>县人民政府：\n县委依法治县办：</dc:description>\n' > want
grep -A1 '<dc:description>' core.xml | diff -u want - >&2 ||
    fail "newlines: the description in docProps/core.xml"

# ==== characters XML cannot carry: dropped, reported in the data ====
# A CSV form set can carry U+FFFE and U+FFFF (the readers refuse control
# characters): one in the issuer, both in the first paragraph.
cp -R "$NB_DATA/forms/ok-utf8" chars
fffe=$(printf '\357\277\276')
ffff=$(printf '\357\277\277')
sed "s/^发布机构,常山县/发布机构,常山县$fffe/" "$NB_DATA/forms/ok-utf8/meta.csv" > chars/meta.csv
sed "2s/2022年以来/2022年${ffff}以来$fffe/" "$NB_DATA/forms/ok-utf8/narrative.csv" > chars/narrative.csv
grep -q "$fffe" chars/meta.csv || fail "chars: U+FFFE not in meta.csv"
zip_template chars
expect_run 0 "$V/chars.expect" -- render chars -t chars.docx -o chars-out.docx
validate_docx chars-out.docx
paragraphs chars-out.docx > got
grep -qxF '发布:常山县司法局' got || fail "chars: issuer not written without U+FFFE"
grep -q '^2022年以来，常山县司法局' got || fail "chars: paragraph not written without U+FFFF"
# the standard template too: a valid document, and the warnings
expect_status 0 -- render chars -o chars-standard.docx
validate_docx chars-standard.docx
for part in chars-out.docx:word/document.xml \
    chars-standard.docx:word/document.xml chars-standard.docx:docProps/core.xml; do
    if "$NB_DOCXDUMP" --part "${part#*:}" "${part%%:*}" |
        grep -q -e "$fffe" -e "$ffff"; then
        fail "chars: $part holds U+FFFE or U+FFFF"
    fi
done
grep -q 'standard.docx(word/document.xml):[0-9]*: the value holds U+FFFE (character 4), which XML cannot carry; dropped \[NB7003\]$' "$tmp/stderr" ||
    fail "chars: no NB7003 for the standard template"
