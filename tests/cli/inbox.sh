#!/bin/sh
# Submission folders (docs/inbox.md) through the CLI: `inbox`, `aggregate`
# and `render --batch` on a city's folder of real-shaped submissions, with
# every summary checked exactly.
#
# The folder is put together here from the repository's reports:
#   changshan.xml     the published 常山 report: valid
#   liangjiang/       the 两江 form set, in GB18030: valid
#   jiangbei.zip      the 江北 report (a work summary), zipped: valid, but
#                     without the shortcomings and duties parts
#   xinqu.xml         no shortcomings and no duties part: invalid (NB5010)
#   kaifaqu.xml       a part larger than its whole: invalid (NB5020)
#   moumou.xml and moumou-again.xml
#                     the same office and year twice (NB8003), and not on
#                     the list of expected offices (NB8004)
#   broken.zip        a zip cut short: unreadable
#   notes.txt, empty/ not submissions (NB8001)
# and offices.csv expects 某某县司法局, which has not submitted (NB8005).
. "$(dirname "$0")/lib.sh"

d="$NB_DATA/inbox"
rules="$NB_DATA/rules"
ex="$NB_SRCDIR/examples"
need_validate_docx
need_python

cd "$tmp"
mkdir city city/empty
cp "$ex/changshan-2022/report.xml" city/changshan.xml
cp -R "$ex/liangjiang-2022/forms" city/liangjiang
"$NB_PYTHON3" - "$ex/jiangbei-2021/report.xml" city/jiangbei.zip <<'EOF'
import sys, zipfile
with zipfile.ZipFile(sys.argv[2], "w", zipfile.ZIP_DEFLATED) as z:
    z.write(sys.argv[1], "report.xml")
EOF
sed 's/某某区司法局/某某新区司法局/' "$rules/bad-parts-missing.xml" > city/xinqu.xml
sed 's/某某区司法局/某某开发区司法局/' "$rules/bad-part-exceeds.xml" > city/kaifaqu.xml
cp "$rules/ok-annual.xml" city/moumou.xml
cp "$rules/ok-annual.xml" city/moumou-again.xml
cp "$d/broken.zip" "$d/notes.txt" city/
cp "$d/offices.csv" offices.csv
# the inputs, to check that nothing touches them
inputs_sum() {
    find city offices.csv -type f | LC_ALL=C sort | while read -r f; do
        printf '%s %s\n' "$f" "$(sum "$f")"
    done
}
inputs_sum > before

# ---- inbox: the table, the counts, the folder's findings; exit 1 ----
expect_run 1 "$d/city.stderr" -- inbox city --expect offices.csv -j 2 \
    --no-progress --csv city.csv --json city.json --docx city.docx \
    --issuer 某某市司法局
expect_stdout "$d/city.table"
cmp city.csv "$d/city.csv" || fail "the CSV summary differs from city.csv"
cmp city.json "$d/city.json" || fail "the JSON summary differs from city.json"
# the CSV opens in Excel: a BOM, CRLF rows
head -c 3 city.csv | od -An -tx1 | grep -q 'ef bb bf' || fail "no BOM in the CSV"
[ "$(grep -c "$(printf '\r')\$" city.csv)" -eq 12 ] || fail "CSV rows not CRLF"
# the Word summary: valid OOXML, its title, counts, problems and missing
validate_docx city.docx
paragraphs city.docx > paras
grep -qx '2022年度法治政府建设年度报告报送情况' paras || fail "summary title"
grep -qx '共收到报送材料10份，其中校验通过5份、有错误2份、无法读取1份、不是报送材料2份；另有1个应报送单位未报送。' paras ||
    fail "summary counts sentence"
grep -qx '二、问题清单' paras || fail "no problems part"
grep -q '^2\.某某开发区司法局：kaifaqu.xml:38: ' paras || fail "problem line"
grep -qx '三、未报送单位' paras || fail "no missing part"
grep -qx '1\.某某县司法局' paras || fail "missing office line"
grep -qE '^(　| )*某某市司法局$' paras || fail "no signature"
! grep -q '年.*月.*日$' paras || fail "a date nobody gave"
# dated with --date, as GB/T 9704 writes it; a day the calendar lacks is
# refused
expect_status 1 -- inbox city --docx dated.docx --issuer 某某市司法局 \
    --date 2024-02-29 -q
validate_docx dated.docx
paragraphs dated.docx | tail -n 2 | sed 's/^\(　\| \)*//' > got
printf '%s\n' 某某市司法局 2024年2月29日 | cmp - got || fail "--date: $(cat got)"
expect_status 2 -- inbox city --docx dated.docx --date 2023-02-29
expect_status 2 -- inbox city --docx dated.docx --date 2023/03/20
# one row per entry in the table, each cell with its paragraph
"$NB_PYTHON3" - city.docx <<'EOF' || fail "summary table"
import re, sys, zipfile
x = zipfile.ZipFile(sys.argv[1]).read("word/document.xml").decode()
rows = re.findall(r"<w:tr>.*?</w:tr>", x, re.S)
assert len(rows) == 11, len(rows)          # the header and 10 entries
for r in rows:
    cells = re.findall(r"<w:tc>.*?</w:tc>", r, re.S)
    assert len(cells) == 8 and all("<w:p>" in c for c in cells), r
text = lambda r: [re.sub(r"<[^>]+>", "", c) for c in
                  re.findall(r"<w:tc>.*?</w:tc>", r, re.S)]
assert text(rows[1])[:4] == ["1", "broken.zip", "", "无法读取"], text(rows[1])
assert text(rows[4])[1:4] == ["江北区司法局", "2021", "通过"], text(rows[4])
assert text(rows[10])[6] == "存在不足、第一责任人", text(rows[10])
EOF
# the same bytes whatever the number of threads
for j in 1 8; do
    expect_status 1 -- inbox city --expect offices.csv -j $j --no-progress \
        --csv "c$j.csv" --json "c$j.json" --docx "c$j.docx" \
        --issuer 某某市司法局
    cmp "c$j.csv" city.csv || fail "-j $j: another CSV"
    cmp "c$j.json" city.json || fail "-j $j: another JSON"
    cmp "c$j.docx" city.docx || fail "-j $j: another document"
done
# --quiet leaves the table out, keeps the counts and the first errors
expect_status 1 -- inbox city -q --no-progress --expect offices.csv
tail -n 5 "$d/city.table" > want
expect_stdout want
# a progress bar on a terminal; on a pipe, a line at every tenth of a
# folder of 50 or more
if command -v script >/dev/null 2>&1; then
    script -qec "$NB_BIN inbox city -j 1" /dev/null > tty.out 2>&1 || true
    grep -q "$(printf '\r')\[###############\.\{15\}\] 4/8" tty.out ||
        fail "no progress bar on a terminal"
fi
mkdir many
i=0
while [ $i -lt 60 ]; do
    sed "s/某某区司法局/第${i}区司法局/" "$rules/ok-annual.xml" > many/r$i.xml
    i=$((i + 1))
done
expect_status 0 -- inbox many -j 2 -q
i=1
while [ $i -le 9 ]; do
    echo "nianbao: $((i * 6)) of 60 submissions checked"
    i=$((i + 1))
done > want
cmp "$tmp/stderr" want || fail "progress lines"
# -v prints each submission's own findings
expect_status 1 -- inbox city -v -j 1
grep -q '^city/kaifaqu.xml:38: error: .*\[NB5020\]$' "$tmp/stderr" ||
    fail "-v: no finding of kaifaqu.xml"
grep -q '^city/kaifaqu.xml: invalid (errors: 1, warnings: 0)$' "$tmp/stderr" ||
    fail "-v: no line for kaifaqu.xml"
# --diag=json: the folder's findings as JSON lines, no table
expect_status 1 -- inbox city --expect offices.csv --diag=json
[ "$(grep -c '"code":"NB8' "$tmp/stdout")" -eq 6 ] || fail "--diag=json lines"
! grep -q 'in the folder' "$tmp/stdout" || fail "--diag=json printed the table"

# ---- a folder of valid submissions only: exit 0 ----
mkdir good
cp city/changshan.xml city/jiangbei.zip good/
cp -R city/liangjiang good/
expect_status 0 -- inbox good --no-progress
grep -q '^3 in the folder: 3 valid, 0 invalid, 0 unreadable, 0 skipped$' \
    "$tmp/stdout" || fail "good folder counts"
# a safety limit makes a submission unreadable, not the run
expect_status 1 -- inbox good --limit input=10K --no-progress
grep -q '^3 in the folder: 0 valid, 0 invalid, 3 unreadable, 0 skipped$' \
    "$tmp/stdout" || fail "--limit: not unreadable"
grep -q '^  good/changshan.xml: unreadable: changshan.xml: .*\[NB2005\]$' \
    "$tmp/stdout" || fail "--limit: no first error"

# ---- who sent a zip that does not pass: read from inside it ----
mkdir zinv
"$NB_PYTHON3" - city/xinqu.xml "$NB_DATA/forms/bad-cells" zinv <<'EOF'
import os, sys, zipfile
with zipfile.ZipFile(os.path.join(sys.argv[3], "xinqu.zip"), "w") as z:
    z.write(sys.argv[1], "report.xml")
with zipfile.ZipFile(os.path.join(sys.argv[3], "cells.zip"), "w") as z:
    for n in sorted(os.listdir(sys.argv[2])):
        z.write(os.path.join(sys.argv[2], n), "表格/" + n)
EOF
expect_status 1 -- inbox zinv --no-progress
grep -q '^xinqu.zip  某某新区司法局  2022  invalid  2       0         shortcomings,duties$' \
    "$tmp/stdout" || fail "the office of an invalid zipped XML"
grep -q '^cells.zip  ?               2022  invalid  ' "$tmp/stdout" ||
    fail "the year of an invalid zipped form set"
grep -q '^  zinv/cells.zip: invalid: cells.zip/表格/meta.csv:2: ' "$tmp/stdout" ||
    fail "a zipped form set's first error"

# ---- an empty folder: nothing to check, exit 0; expected: all missing ----
mkdir none
expect_run 0 /dev/null -- inbox none
grep -q '^0 in the folder: 0 valid' "$tmp/stdout" || fail "empty folder"
expect_status 1 -- inbox none --expect offices.csv
[ "$(grep -c 'has not submitted \[NB8005\]' "$tmp/stderr")" -eq 6 ] ||
    fail "empty folder: not every expected office missing"

# ---- bad command lines and bad inputs ----
expect_status 2 -- inbox
expect_status 2 -- inbox city good
expect_status 2 -- inbox -j 0 city
expect_status 2 -- inbox --jobs=many city
expect_status 2 -- inbox city --previous=x.xml
expect_status 2 -- inbox city --csv city
expect_status 2 -- inbox city --expect offices.csv --json offices.csv
expect_status 2 -- inbox city --csv city/summary.csv
expect_status 2 -- inbox city --json city/liangjiang/summary.json
expect_status 2 -- inbox city --docx city/new/summary.docx
[ ! -e city/summary.csv ] || fail "a summary was written into the folder"
[ ! -e city/liangjiang/summary.json ] || fail "a summary was written into a form set"
expect_status 3 -- inbox no-such-folder
grep -q 'no-such-folder: not a folder' "$tmp/stderr" || fail "missing folder"
expect_status 2 -- inbox offices.csv
printf '\n\n' > blank.csv
expect_run 1 "$d/blank-expect.stderr" -- inbox good --expect blank.csv
expect_status 3 -- inbox good --expect no-such.csv
grep -q 'no-such.csv: error: cannot open' "$tmp/stderr" || fail "missing --expect"
# a summary that cannot be written: nothing half-written
expect_status 3 -- inbox good --csv no-such-dir/s.csv
[ ! -e no-such-dir ] || fail "made a folder for the summary"

# ---- aggregate: sums of the valid, non-duplicate submissions ----
expect_run 1 "$d/aggregate.stderr" -- aggregate city -o totals.csv \
    --no-progress -j 2
expect_stdout "$d/aggregate.stdout"
cmp totals.csv "$d/totals.csv" || fail "totals.csv differs"
# a rate is recomputed from the summed counts, never averaged (99 and
# 98.1 would average to 98.6; 5426 / 5509 is 98.5%): the totals
# of two good folders merge into the totals of both
mkdir g1 g2
cp city/changshan.xml city/moumou.xml g1/
cp -R city/liangjiang g2/
cp city/jiangbei.zip g2/
expect_status 0 -- aggregate g1 g2 -o both.csv
expect_status 0 -- aggregate g1 -o t1.csv
expect_status 0 -- aggregate g2 -o t2.csv
expect_status 0 -- aggregate t1.csv t2.csv -o merged.csv
cmp merged.csv both.csv || fail "merged totals differ from one run"
grep -q '^2022,tj_success_rate,调解成功率,%,rate,98.5,2,0,tj_success=5426; tj_cases=5509' \
    both.csv || fail "rate not recomputed from the summed counts"
grep -q '^2022,tj_cases,人民调解纠纷,件,count,5509,2,0,' both.csv ||
    fail "counts not summed"
grep -q '^2022,pf_people,.*,,0,1,' both.csv ||
    fail "an approximate figure was summed"
# a file that is not a totals file
expect_status 1 -- aggregate offices.csv -o x.csv
grep -q 'offices.csv:1: error: not a totals file nianbao wrote' \
    "$tmp/stderr" || fail "a non-totals CSV was merged"
[ ! -e x.csv ] || fail "aggregate wrote totals from a bad file"
expect_status 2 -- aggregate city
expect_status 2 -- aggregate -o t.csv
expect_status 2 -- aggregate city -o city/changshan.xml
expect_status 2 -- aggregate city -o city/totals.csv

# the same totals whatever the number of threads
for j in 1 8; do
    expect_status 1 -- aggregate city -o "t$j.csv" -j $j --no-progress
    cmp "t$j.csv" totals.csv || fail "aggregate -j $j: other totals"
done
# one office in two folders: no totals that count it twice
mkdir g3
cp city/moumou.xml g3/
expect_status 1 -- aggregate g1 g3 -o twice.csv
grep -q "某某区司法局 for 2022 is in both 'g1/moumou.xml' and 'g3/moumou.xml'" \
    "$tmp/stderr" || fail "a duplicate across folders was summed"
[ ! -e twice.csv ] || fail "totals written with an office counted twice"
expect_status 2 -- aggregate g1 g1 -o twice.csv
expect_status 2 -- aggregate t1.csv ./t1.csv -o twice.csv
# a broken copy beside a valid one: the valid one is summed
mkdir fixed
cp city/moumou.xml fixed/a.xml
cp "$rules/bad-part-exceeds.xml" fixed/b.xml
expect_status 1 -- aggregate fixed -o fixed.csv
grep -q '^2022,\*,报告数,份,count,1,1,0,' fixed.csv ||
    fail "the valid copy of a duplicate was left out"

# ---- render --batch: every valid one, a list of the rest, exit 1 ----
expect_run 1 "$d/batch.stderr" -- render --batch city -o out -j 2 \
    --no-progress
expect_stdout "$d/batch.stdout"
ls out > rendered
printf '%s\n' changshan.docx jiangbei.docx liangjiang.docx \
    moumou-again.docx moumou.docx | cmp - rendered ||
    fail "render --batch wrote another set of documents"
validate_docx out/*.docx
paragraphs out/changshan.docx | grep -q '常山县司法局' || fail "batch document"
# the same document as one render
expect_status 0 -- render city/changshan.xml -o one.docx
cmp one.docx out/changshan.docx || fail "batch and single render differ"
# with a template; into an output folder that exists
expect_status 0 -- export-template t.docx
expect_status 0 -- render --batch good -o out2 --template t.docx
expect_status 0 -- render --batch good -o out2
expect_status 2 -- render --batch city
expect_status 2 -- render --batch city -o city
expect_status 2 -- render --batch city -o city/liangjiang
expect_status 2 -- render --batch city -o out3 --csv city/s.csv
expect_status 2 -- render --batch -o out
expect_status 3 -- render --batch city -o offices.csv
[ ! -e city/liangjiang/changshan.docx ] || fail "rendered into a submission"
# -q: only the failures
expect_status 1 -- render --batch city -o out -q --no-progress
! grep -q 'submissions rendered into' "$tmp/stdout" || fail "-q printed the count"
grep -q '^not rendered:$' "$tmp/stdout" || fail "-q left out the failures"
# the documents get the umask's mode, however many threads write them
(umask 022 && expect_status 0 -- render --batch many -o many-out -j 8 -q)
[ -z "$(find many-out -type f ! -perm 644)" ] || fail "a document's mode is not 644"
# names that clash: a.xml, a.zip and a.xml.xml give three documents
mkdir clash
cp city/moumou.xml clash/a.xml
cp city/jiangbei.zip clash/a.zip
sed 's/某某区司法局/某某乡司法局/' city/moumou.xml > clash/a.xml.xml
expect_status 0 -- render --batch clash -o clash-out
ls clash-out > got
printf '%s\n' a.xml.docx a.xml.xml.docx a.zip.docx | cmp - got ||
    fail "clashing names: $(cat got)"
# a name that is not UTF-8 (GBK, as Windows unzips it): the summaries stay
# valid UTF-8, the document valid XML
mkdir gbk
cp city/broken.zip "gbk/$(printf '\263\243\311\275').zip"
cp city/changshan.xml "gbk/$(printf '\263\243\311\275\317\330').xml"
expect_status 1 -- inbox gbk --csv gbk.csv --json gbk.json --docx gbk.docx
validate_docx gbk.docx
"$NB_PYTHON3" - <<'EOF' || fail "a GBK name in the JSON: $(cat gbk.json)"
import json
d = json.load(open("gbk.json", encoding="utf-8"))
names = sorted(s["name"] for s in d["submissions"])
assert names == ["常山.zip", "常山县.xml"], names
EOF
grep -q '^常山.zip,,,无法读取,1,0,,,常山.zip: ' gbk.csv || fail "a GBK name in the CSV"

# ---- the inputs were never touched ----
inputs_sum > after
cmp before after || fail "an input changed"
