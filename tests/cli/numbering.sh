#!/bin/sh
# numbering.sh: the numbering style of item lists (一是, 1., （1）, 第一,
# none; per area, per item for its nested items, and the report default)
# and items of several paragraphs, through render and convert both ways.
. "${NB_SRCDIR:?}/tests/cli/lib.sh"

cd "$NB_DATA"
expect_run 0 /dev/null -- render xml/ok-numbering.xml -o "$tmp/a.docx"
validate_docx "$tmp/a.docx"
cat > "$tmp/want" <<'WANT'
某某县人民政府2023年度\n法治政府建设情况报告
一、2023年度推进法治政府建设的主要举措和成效
（一）深化依法行政
一是健全重大行政决策程序。
二是规范行政执法。
全年开展执法检查12次。
执法案卷评查全覆盖。
三是强化监督。
（二）推进普法。全县普法工作有序开展。第一，抓重点对象。领导干部学法。第二，抓阵地建设。建成法治公园。
另有法治文化广场3个。
（三）化解矛盾纠纷
（1）调解工作。1.人民调解。2.行政调解。
（2）复议工作。
（1）受理案件。
纠错案件。
（四）其他
队伍建设。培训。
二、2024年度推进法治政府建设的主要安排
（一）下一步
（1）完善制度。

　　　　　　　　　　　　　　　　 某某县人民政府
　　　　　　　　　　　　　　　　　　 2024年1月20日
WANT
paragraphs_are "$tmp/a.docx"

# XML -> forms -> XML -> forms: the styles and the paragraphs are kept
expect_run 0 /dev/null -- convert xml/ok-numbering.xml -o "$tmp/forms"
tr -d '\r' < "$tmp/forms/narrative.csv" > "$tmp/narrative.csv"
tr -d '\r' < "$tmp/forms/meta.csv" > "$tmp/meta.csv"
grep -qx '举措成效,1,,标题,,一是,,深化依法行政' "$tmp/narrative.csv" ||
    fail "narrative.csv lacks the area's 一是"
grep -qx '举措成效,1,2,段落,,,,全年开展执法检查12次。' "$tmp/narrative.csv" ||
    fail "narrative.csv lacks the item's second paragraph"
grep -qx '举措成效,3,2,事项,分段,（1）,,复议工作。' "$tmp/narrative.csv" ||
    fail "narrative.csv lacks the nested items' （1）"
grep -qx '事项编号,（1）' "$tmp/meta.csv" ||
    fail "meta.csv lacks the default numbering"
expect_run 0 /dev/null -- convert "$tmp/forms" -o "$tmp/back.xml"
grep -q '<numbering>（1）</numbering>' "$tmp/back.xml" || fail "no meta numbering"
grep -q '<area layout="run-in" numbering="第一">' "$tmp/back.xml" ||
    fail "run-in area lost 第一"
expect_run 0 /dev/null -- convert "$tmp/back.xml" -o "$tmp/forms2"
cmp "$tmp/forms/narrative.csv" "$tmp/forms2/narrative.csv" ||
    fail "narrative.csv differs after XML -> forms -> XML -> forms"
expect_run 0 /dev/null -- render "$tmp/forms" -o "$tmp/b.docx"
paragraphs_are "$tmp/b.docx"

# a paragraph naming another item than the one above it is refused
mkdir "$tmp/bad"
cp "$tmp/forms/meta.csv" "$tmp/bad/"
sed 's/^举措成效,1,2,段落,,,,全年/举措成效,1,1,段落,,,,全年/' \
    "$tmp/forms/narrative.csv" > "$tmp/bad/narrative.csv"
expect_status 1 -- validate "$tmp/bad"
grep -q 'narrative.csv:6: error: 段落 with 事项 1 follows 事项 2' "$tmp/stderr" ||
    fail "no located error for a misplaced item paragraph: $(cat "$tmp/stderr")"
# an unknown style is a located error
sed 's/^举措成效,1,,标题,,一是,/举措成效,1,,标题,,甲是,/' \
    "$tmp/forms/narrative.csv" > "$tmp/bad/narrative.csv"
expect_status 1 -- validate "$tmp/bad"
grep -q "narrative.csv:3: error: 编号: '甲是' is not one of" "$tmp/stderr" ||
    fail "no error for an unknown numbering: $(cat "$tmp/stderr")"
