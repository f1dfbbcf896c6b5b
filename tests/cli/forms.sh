#!/bin/sh
# CSV form sets through the command line: the encodings and shapes Excel,
# WPS and LibreOffice save, every kind of bad form with its exact
# diagnostics, init, convert both ways, and lossless round trips of the
# three real reports.
. "$(dirname "$0")/lib.sh"

cd "$NB_DATA/forms"

# ---- good form sets: UTF-8 with BOM; GB18030 with CRLF, Chinese file
# names and Excel's trailing empty columns; codes and LF as typed by hand
for set in ok-utf8 ok-excel-gb18030 ok-codes-lf; do
    expect_run 0 /dev/null -- validate "$set"
    printf '%s: valid (sections: 4)\n' "$set" > "$tmp/want"
    expect_stdout "$tmp/want"
    expect_run 0 /dev/null -- convert "$set" -o "$tmp/$set.xml"
done
# all three are the same report
cmp "$tmp/ok-utf8.xml" "$tmp/ok-excel-gb18030.xml" ||
    fail "the GB18030 Excel form set reads differently from the UTF-8 one"
cmp "$tmp/ok-utf8.xml" "$tmp/ok-codes-lf.xml" ||
    fail "the form set with codes reads differently from the one with labels"
# what the forms say reaches the report: 2023/2/8 as a date, "1,234.5" and
# 98% as numbers, a multi-line cell with its line break, "" as a quote, a
# blank value left out
grep -q '<date>2023-02-08</date>' "$tmp/ok-utf8.xml" || fail "date not normalised"
grep -q 'note="全年">1234.5</metric>' "$tmp/ok-utf8.xml" || fail "grouped number not read"
grep -q 'code="tj_success_rate" unit="%">98</metric>' "$tmp/ok-utf8.xml" ||
    fail "percent not read"
grep -q 'ys_cases' "$tmp/ok-utf8.xml" && fail "a blank metric value was kept"
grep -q '<lead>落实"关键少数"责任</lead>' "$tmp/ok-utf8.xml" || fail "quotes in a cell lost"
printf '          <text>提出合法性审查意见230份，\n其中采纳228份。</text>\n' > "$tmp/want"
grep -A1 '230份' "$tmp/ok-utf8.xml" | diff -u "$tmp/want" - >&2 ||
    fail "multi-line cell not kept"
# the XML it gives is valid report XML
expect_run 0 /dev/null -- validate "$tmp/ok-utf8.xml"
# --encoding forces the reading: GB18030 read as UTF-8 is reported, cell
# by cell, never guessed
expect_status 1 -- validate --encoding=utf-8 ok-excel-gb18030
grep -q '^ok-excel-gb18030/基本信息.csv:1: error: column 1: byte 0xCF at byte 1 of the cell is not UTF-8 \[NB1001\]$' "$tmp/stderr" ||
    fail "forced UTF-8 on a GB18030 file: $(head -3 "$tmp/stderr")"
expect_run 0 /dev/null -- validate --encoding=gbk ok-excel-gb18030
expect_status 2 -- validate --encoding=latin1 ok-utf8
grep -q "unknown encoding 'latin1'" "$tmp/stderr" || fail "bad --encoding not explained"

# ---- bad forms: every finding at once, located by file and row ----
for bad in bad-columns bad-cells bad-structure bad-encoding bad-utf16 \
        bad-missing bad-metrics.csv; do
    expect_run 1 "${bad%.csv}.expect" -- validate "$bad"
done
# nothing is rendered or converted from a form set with errors
expect_status 1 -- render bad-cells -o "$tmp/bad.docx"
[ ! -e "$tmp/bad.docx" ] || fail "render wrote a document from bad forms"
expect_status 1 -- convert bad-structure -o "$tmp/bad.xml"
[ ! -e "$tmp/bad.xml" ] || fail "convert wrote XML from bad forms"
# the same findings as JSON for programs
expect_status 1 -- validate --diag=json bad-metrics.csv
grep -q '^{"file":"bad-metrics.csv","line":2,"col":0,"severity":"error","code":"NB1012","name":"CSV_TYPE","message":"数值: '"'"'12件'"'"' is not a number: write the number alone (12) and the unit in its own column"}$' \
    "$tmp/stdout" || fail "JSON diagnostic: $(head -1 "$tmp/stdout")"

# render takes the folder, not one of its forms
printf '%s\n' "ok-utf8/metrics.csv: error: one CSV form is not a whole report: give the folder of its form set [NB1020]" > "$tmp/want"
expect_run 1 "$tmp/want" -- render ok-utf8/metrics.csv -o "$tmp/one.docx"

# ---- one form on its own: known by name or by header ----
expect_run 0 /dev/null -- validate ok-utf8/metrics.csv
printf 'ok-utf8/metrics.csv: valid\n' > "$tmp/want"
expect_stdout "$tmp/want"
cp ok-utf8/metrics.csv "$tmp/figures-2022.csv"
expect_run 0 /dev/null -- validate "$tmp/figures-2022.csv"
printf 'a,b\n1,2\n' > "$tmp/other.csv"
printf '%s\n' "$tmp/other.csv:1: error: not a nianbao form: name it meta.csv, narrative.csv or metrics.csv, or give it a form's header [NB1020]" > "$tmp/want"
expect_run 1 "$tmp/want" -- validate "$tmp/other.csv"
printf '指标代码,指标名称,"数值"x,单位\nfy_received,a,12,件\n' > "$tmp/hq.csv"
printf '%s\n' "$tmp/hq.csv:1: error: column 3: a quote inside a header cell: the header row cannot be read [NB1022]" > "$tmp/want"
expect_run 1 "$tmp/want" -- validate "$tmp/hq.csv"
printf '\357\273\277\r\n\r\n' > "$tmp/empty.csv"
printf '%s\n' "$tmp/empty.csv: error: the file is empty: a form starts with its header row [NB1020]" > "$tmp/want"
expect_run 1 "$tmp/want" -- validate "$tmp/empty.csv"

# a bureau's sheet of many offices: keys are unique per office, and an
# office's rows are kept together
cat > "$tmp/bureau.csv" <<'EOF'
填报单位,指标代码,数值,单位
甲县司法局,fy_received,10,件
甲县司法局,fy_accepted,9,件
乙县司法局,fy_received,7,件
乙县司法局,fy_received,8,件
甲县司法局,tj_cases,3,件
EOF
cat > "$tmp/want" <<EOF
$tmp/bureau.csv:5: error: 指标代码 'fy_received' is already in row 4 [NB1016]
$tmp/bureau.csv:6: error: 填报单位 '甲县司法局' already had rows ending before this one (from row 2): keep its rows together [NB1016]
EOF
expect_run 1 "$tmp/want" -- validate "$tmp/bureau.csv"
# in a form set, 填报单位 is the issuer or blank
mkdir "$tmp/other-office"
cp ok-utf8/meta.csv ok-utf8/narrative.csv "$tmp/other-office/"
printf '填报单位,指标代码,数值\n乙县司法局,fy_received,7\n' > "$tmp/other-office/metrics.csv"
printf '%s\n' "$tmp/other-office/metrics.csv:2: error: 填报单位 '乙县司法局' is not the issuer '常山县司法局' of the form set: a form set holds one office's report [NB1019]" > "$tmp/want"
expect_run 1 "$tmp/want" -- validate "$tmp/other-office"

# ---- hostile CSV: a cell over the limit, a huge row (limits: exit 3),
# NUL bytes ----
limit_hint="nianbao: a safety limit was reached; if the file is trusted, raise it with --limit (see 'nianbao limits')"
head -c 2000000 /dev/zero | tr '\0' 'x' > "$tmp/big"
{ printf '指标代码,数值,备注\nfy_received,1,'; cat "$tmp/big"; printf '\n'; } > "$tmp/metrics.csv"
printf '%s\n' "$tmp/metrics.csv:2: error: 备注: cell is longer than the limit of 1048576 bytes [NB1004]" \
    "$limit_hint" > "$tmp/want"
expect_run 3 "$tmp/want" -- validate "$tmp/metrics.csv"
# with the limit raised the cell is read, and then its column's own
# length is the finding
printf '%s\n' "$tmp/metrics.csv:2: error: 备注: 2000000 characters, more than the limit of 1000 [NB1015]" > "$tmp/want"
expect_run 1 "$tmp/want" -- validate -q --limit=cell=4M "$tmp/metrics.csv"
{ printf '指标代码,数值\n'; head -c 30000 /dev/zero | tr '\0' ','; printf '\n'; } > "$tmp/metrics.csv"
printf '%s\n' "$tmp/metrics.csv:2: error: row has more than 10000 cells [NB1005]" \
    "$limit_hint" > "$tmp/want"
expect_run 3 "$tmp/want" -- validate "$tmp/metrics.csv"
printf '指标代码,数值,备注\nfy_received,1,a\000b\n' > "$tmp/metrics.csv"
printf '%s\n' "$tmp/metrics.csv:2: error: 备注: control character U+0000 at byte 2 of the cell [NB1002]" > "$tmp/want"
expect_run 1 "$tmp/want" -- validate "$tmp/metrics.csv"
printf '%s\n' "missing.csv: error: cannot open: No such file or directory [NB9001]" > "$tmp/want"
expect_run 3 "$tmp/want" -- validate missing.csv

# ---- the indicator catalog: valid against its schema, and listed ----
if command -v xmllint > /dev/null 2>&1; then
    xmllint --noout --schema "$NB_SRCDIR/schemas/indicators.xsd" \
        "$NB_SRCDIR/schemas/indicators.xml" 2> "$tmp/xmllint" ||
        { cat "$tmp/xmllint" >&2; fail "schemas/indicators.xml is not valid"; }
elif [ "$NB_REQUIRE_ALL" = 1 ]; then
    fail "xmllint not found (Debian: libxml2-utils)"
fi
expect_run 0 /dev/null -- indicators
[ "$(wc -l < "$tmp/stdout")" -eq "$(grep -c '<indicator ' "$NB_SRCDIR/schemas/indicators.xml")" ] ||
    fail "nianbao indicators does not list every indicator of the catalog"
printf 'tj_success_rate\trate\t%%\t调解成功率\ttj_success / tj_cases * 100\n' > "$tmp/want"
grep '^tj_success_rate' "$tmp/stdout" | diff -u "$tmp/want" - >&2 ||
    fail "nianbao indicators: the tj_success_rate line"

# ---- init: a blank form set to fill in ----
expect_run 0 /dev/null -- init "$tmp/blank" --issuer=常山县司法局 --year=2025
for f in meta.csv narrative.csv metrics.csv README.txt; do
    [ -f "$tmp/blank/$f" ] || fail "init did not write $f"
done
head -c 3 "$tmp/blank/meta.csv" | od -An -tx1 | grep -q 'ef bb bf' ||
    fail "init forms have no UTF-8 BOM (Excel would read them as GBK)"
grep -q "$(printf '\r$')" "$tmp/blank/narrative.csv" || fail "init forms do not end rows in CRLF"
# every indicator of the catalog, with its unit, value blank
n_ind=$("$NB_BIN" indicators | wc -l)
n_rows=$(($(wc -l < "$tmp/blank/metrics.csv") - 1))
[ "$n_rows" -eq "$n_ind" ] || fail "metrics form has $n_rows rows, catalog $n_ind indicators"
grep -q "^tj_success_rate,调解成功率,,%,$(printf '\r')\$" "$tmp/blank/metrics.csv" ||
    fail "metrics form row for tj_success_rate"
grep -q '^发布机构,常山县司法局' "$tmp/blank/meta.csv" || fail "--issuer not written"
# a blank set is not yet a report: validate lists the parts art. 25 needs
cat > "$tmp/want" <<EOF
$tmp/blank/narrative.csv:5: error: the 存在的不足和原因 part has a title and nothing else: write what it reports (《法治政府建设与责任落实督察工作规定》第二十五条), or, for a work summary, set 报告类型 to 工作总结 (<profile>work-summary</profile>) [NB5011]
$tmp/blank/narrative.csv:6: error: the 党政主要负责人履行推进法治建设第一责任人职责的情况 part has a title and nothing else: write what it reports (《法治政府建设与责任落实督察工作规定》第二十五条), or, for a work summary, set 报告类型 to 工作总结 (<profile>work-summary</profile>) [NB5011]
$tmp/blank/narrative.csv:7: error: the 下一年度的主要安排 part has a title and nothing else: write what it reports (《法治政府建设与责任落实督察工作规定》第二十五条), or, for a work summary, set 报告类型 to 工作总结 (<profile>work-summary</profile>) [NB5011]
EOF
expect_run 1 "$tmp/want" -- validate "$tmp/blank"
expect_status 1 -- render "$tmp/blank" -o "$tmp/blank.docx"
[ ! -e "$tmp/blank.docx" ] || fail "render wrote a report the rules reject"
# a draft renders under the work-summary profile
expect_run 0 /dev/null -- render "$tmp/blank" --profile=work-summary -o "$tmp/blank.docx"
# init never writes into a folder with files, and leaves nothing behind
printf '%s\n' "$tmp/blank: error: the folder exists and is not empty; nianbao writes a form set only into a new or empty folder [NB9003]" > "$tmp/want"
expect_run 3 "$tmp/want" -- init "$tmp/blank"
mkdir "$tmp/ro" && chmod a-w "$tmp/ro"
if [ "$(id -u)" != 0 ]; then
    expect_status 3 -- init "$tmp/ro/forms"
    [ -z "$(ls -A "$tmp/ro")" ] || fail "init left files in a read-only folder"
fi
# GB18030 for offices whose Excel opens only that
expect_run 0 /dev/null -- init "$tmp/blank-gbk" --encoding=gb18030 --year=2025 --issuer=两江新区司法局
iconv -f GB18030 -t UTF-8 < "$tmp/blank-gbk/meta.csv" | grep -q '^发布机构,两江新区司法局' ||
    fail "init --encoding=gb18030 is not GB18030"
expect_run 0 /dev/null -- validate --profile=work-summary "$tmp/blank-gbk"
expect_status 2 -- init
expect_status 2 -- init "$tmp/x" --year=19

# ---- convert both ways, losslessly, on the three real reports ----
for ex in jiangbei-2021 changshan-2022 liangjiang-2022; do
    xml="$NB_SRCDIR/examples/$ex/report.xml"
    expect_run 0 /dev/null -- convert "$xml" -o "$tmp/$ex"
    expect_run 0 /dev/null -- convert "$tmp/$ex" -o "$tmp/$ex.xml"
    expect_run 0 /dev/null -- convert "$tmp/$ex.xml" -o "$tmp/$ex-again"
    diff -r "$tmp/$ex" "$tmp/$ex-again" >&2 ||
        fail "$ex: forms -> XML -> forms is not a fixpoint"
    expect_run 0 /dev/null -- render "$xml" -o "$tmp/$ex-xml.docx"
    expect_run 0 /dev/null -- render "$tmp/$ex" -o "$tmp/$ex-forms.docx"
    cmp "$tmp/$ex-xml.docx" "$tmp/$ex-forms.docx" ||
        fail "$ex: the form set renders differently from the XML"
done
# the bundled GB18030 form set of liangjiang renders the same document
expect_run 0 /dev/null -- render "$NB_SRCDIR/examples/liangjiang-2022/forms" -o "$tmp/lj.docx"
cmp "$tmp/liangjiang-2022-xml.docx" "$tmp/lj.docx" ||
    fail "examples/liangjiang-2022/forms renders differently from report.xml"
expect_run 0 /dev/null -- convert "$tmp/liangjiang-2022.xml" -o "$tmp/lj-gbk" --output-encoding=gb18030
diff -r "$NB_SRCDIR/examples/liangjiang-2022/forms" "$tmp/lj-gbk" >&2 ||
    fail "examples/liangjiang-2022/forms is not what convert writes"
# convert refuses to overwrite its input or a folder with files
expect_status 2 -- convert "$tmp/jiangbei-2021.xml" -o "$tmp/jiangbei-2021.xml"
expect_status 3 -- convert "$tmp/jiangbei-2021.xml" -o "$tmp/jiangbei-2021"
# what report XML allows, a form set carries: an item with only nested
# items, decimals written "1234." or "+5", an empty item (a warning)
cat > "$tmp/edge.xml" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<report xmlns="urn:nianbao:report:1" version="1">
  <meta><issuer>常山县司法局</issuer><year>2022</year><profile>work-summary</profile></meta>
  <section kind="measures">
    <area>
      <title>聚焦依法行政</title>
      <item>
        <item><text>审核合同181个。</text></item>
        <item><lead>审查意见</lead></item>
      </item>
      <item/>
    </area>
  </section>
  <metrics>
    <metric code="la_funds">1234.</metric>
    <metric code="fy_received">+5</metric>
  </metrics>
</report>
EOF
expect_run 0 /dev/null -- validate "$tmp/edge.xml"
expect_run 0 /dev/null -- convert "$tmp/edge.xml" -o "$tmp/edge"
printf '%s\n' "$tmp/edge/narrative.csv:7: warning: 事项 2 has neither 要点 nor 内容: it prints as an empty item [NB1019]" > "$tmp/want"
expect_run 0 "$tmp/want" -- convert "$tmp/edge" -o "$tmp/edge-back.xml"
expect_run 0 /dev/null -- render "$tmp/edge.xml" -o "$tmp/edge-xml.docx"
expect_status 0 -- render "$tmp/edge" -o "$tmp/edge-forms.docx"
cmp "$tmp/edge-xml.docx" "$tmp/edge-forms.docx" || fail "edge cases render differently from forms"
grep -q '<metric code="la_funds">1234.</metric>' "$tmp/edge-back.xml" || fail "1234. not kept"
grep -q '<metric code="fy_received">+5</metric>' "$tmp/edge-back.xml" || fail "+5 not kept"

# a blank 填报单位 is the issuer: the same code twice is a duplicate
mkdir "$tmp/dup-office"
cp ok-utf8/meta.csv ok-utf8/narrative.csv "$tmp/dup-office/"
printf '填报单位,指标代码,数值\n常山县司法局,fy_received,93\n,fy_received,79\n,fy_accepted,70\n常山县司法局,tj_cases,3\n' \
    > "$tmp/dup-office/metrics.csv"
printf '%s\n' "$tmp/dup-office/metrics.csv:3: error: 指标代码 'fy_received' is already in row 2 [NB1016]" > "$tmp/want"
expect_run 1 "$tmp/want" -- validate "$tmp/dup-office"

# a quote typed inside a cell is reported, and the rows after it are read
mkdir "$tmp/quote"
cp ok-utf8/meta.csv ok-utf8/metrics.csv "$tmp/quote/"
printf '部分,方面,事项,类型,要点,内容\n举措成效,1,,标题,,"城管"执法\n举措成效,1,1,事项,,整治\n存在不足,,,段落,,不足\n' \
    > "$tmp/quote/narrative.csv"
printf '%s\n' "$tmp/quote: note: the checks of the parts art. 25 requires were skipped: rows of narrative.csv (正文) could not be read or put in place; correct them and validate again [NB5300]" \
    "$tmp/quote/narrative.csv:2: error: 内容: a quote inside the cell: quote the whole cell and double the quotes in it (\"say \"\"hi\"\"\") [NB1022]" > "$tmp/want"
expect_run 1 "$tmp/want" -- validate "$tmp/quote"

# a report with two sections of one kind in a row has no form set shape
sed 's|<section kind="plans">|<section kind="duties">|' \
    "$NB_SRCDIR/examples/changshan-2022/report.xml" > "$tmp/two.xml"
expect_status 1 -- convert "$tmp/two.xml" -o "$tmp/two"
grep -q "two sections of kind 'duties' in a row" "$tmp/stderr" ||
    fail "adjacent sections of one kind: $(cat "$tmp/stderr")"
[ ! -e "$tmp/two" ] || fail "convert left a half form set"
# every document rendered from forms here is valid OOXML
need_validate_docx
validate_docx "$tmp/blank.docx" "$tmp/edge-forms.docx" \
    "$tmp/jiangbei-2021-forms.docx" "$tmp/changshan-2022-forms.docx" \
    "$tmp/liangjiang-2022-forms.docx" "$tmp/lj.docx"
exit 0
