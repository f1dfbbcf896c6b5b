#!/bin/sh
# One validate run shows everything (docs/forms.md, "A partial report"):
# a form set whose metrics row has a bad 数值 cell, two missing parts and
# a wrong rate reports all three at once, as CSV forms, as a workbook and
# as a zip; the checks that need the bad cell are skipped with a located
# note (NB5300) and give no finding of their own; render, convert and the
# inbox never write a document from it.
. "$(dirname "$0")/lib.sh"

need_python
mkdir "$tmp/w"
cd "$tmp/w"
cp -R "$NB_DATA/forms/partial-clerk" clerk
chmod -R u+w clerk

cell="数值: '2195件' is not a number: write the number alone (2195) and the unit in its own column [NB1012]"
rate="error: 调解成功率 (tj_success_rate) is stated as 90%, but its counts give 3251 / 3314 * 100 = 98.099%"
skip_ref="note: the check of the text's reference to 行政复议收到申请 (fy_received) was skipped: this row's 数值 could not be read; correct it, then validate again [NB5300]"

# all_three NAME CELL_LOC ROW_LOC: the stderr of a validate of NAME
all_three() {
    grep -qF "$2: error: $cell" "$tmp/stderr" || fail "$1: the bad cell is not reported"
    grep -qF "$1: error: no 存在的不足和原因 part" "$tmp/stderr" ||
        fail "$1: the missing shortcomings part is not reported"
    grep -qF "$1: error: no 党政主要负责人履行推进法治建设第一责任人职责的情况 part" "$tmp/stderr" ||
        fail "$1: the missing duties part is not reported"
    grep -qF "${3%:*}:6: $rate" "$tmp/stderr" || fail "$1: the wrong rate is not reported"
    grep -qF "$3: $skip_ref" "$tmp/stderr" || fail "$1: the skipped reference check is not said"
    # no finding arises from the row that could not be read
    ! grep -q 'NB5031\|NB5020\|NB5021' "$tmp/stderr" ||
        fail "$1: a rule reports a finding caused by the unread cell"
    [ "$(grep -c 'error:' "$tmp/stderr")" = 4 ] || fail "$1: not exactly four errors"
}

# ---- CSV forms ----
expect_status 1 -- validate clerk --profile annual-report
all_three clerk clerk/metrics.csv:2 clerk/metrics.csv:2

# ---- a workbook: the same forms, the cell typed as text in Excel ----
sed 's/2195件/2195/' clerk/metrics.csv > good.csv
mkdir good && cp clerk/meta.csv clerk/narrative.csv good/ && mv good.csv good/metrics.csv
expect_status 0 -- convert good -o good.xlsx
"$NB_PYTHON3" - <<'PY'
import zipfile
with zipfile.ZipFile("good.xlsx") as src, \
        zipfile.ZipFile("clerk.xlsx", "w", zipfile.ZIP_DEFLATED) as dst:
    for info in src.infolist():
        data = src.read(info.filename)
        cell = b'<c r="C2"><v>2195</v></c>'
        if cell in data:
            data = data.replace(cell, '<c r="C2" t="inlineStr"><is><t>2195件'
                                '</t></is></c>'.encode())
        dst.writestr(info, data)
PY
expect_status 1 -- validate clerk.xlsx --profile annual-report
all_three clerk.xlsx 'clerk.xlsx/指标!C2' 'clerk.xlsx/指标:2'

# ---- a zip of the form set ----
"$NB_PYTHON3" - <<'PY'
import zipfile
with zipfile.ZipFile("clerk.zip", "w", zipfile.ZIP_DEFLATED) as z:
    for f in ("meta.csv", "narrative.csv", "metrics.csv"):
        z.write("clerk/" + f, f)
PY
expect_status 1 -- validate clerk.zip --profile annual-report
all_three clerk.zip clerk.zip/metrics.csv:2 clerk.zip/metrics.csv:2

# ---- nothing is written from a partial report ----
for in in clerk clerk.xlsx clerk.zip; do
    expect_status 1 -- render "$in" -o out.docx
    [ ! -e out.docx ] || fail "render of $in wrote a document"
    grep -qF "$in: error: the report could not be read in full" "$tmp/stderr" ||
        fail "render of $in does not say why nothing is written"
    grep -qF "$rate" "$tmp/stderr" || fail "render of $in hides the rule findings"
    expect_status 1 -- convert "$in" -o out.xml
    [ ! -e out.xml ] || fail "convert of $in wrote a report"
done
expect_status 1 -- render clerk -o out.html
[ ! -e out.html ] || fail "render wrote a web page from a partial report"

# render --batch and the inbox: invalid, all four errors counted, nothing
# rendered
mkdir box && cp -R clerk box/a && cp clerk.zip box/b.zip
expect_status 1 -- render --batch box -o docs --no-progress --csv box.csv
[ -z "$(ls docs 2>/dev/null | grep -v '\.csv$')" ] || fail "render --batch wrote a document from a partial report"
expect_status 1 -- inbox box --no-progress --csv box.csv
grep -q '^a,常山县司法局,2022,有错误,4,0,存在不足、第一责任人,' box.csv ||
    fail "the inbox summary does not count all findings of the partial form set"
grep -q '^b.zip,常山县司法局,2022,有错误,4,0,存在不足、第一责任人,' box.csv ||
    fail "the inbox summary does not count all findings of the partial zip"

# ---- a bad narrative row: the parts check is skipped, not failed ----
cp -R good text
printf '存在不足,x,,段落,,,,法治督察的刚性约束作用还不够强。\n' >> text/narrative.csv
expect_status 1 -- validate text
grep -qF 'text/narrative.csv:5: note: the check of the parts art. 25 requires was skipped' "$tmp/stderr" ||
    fail "the skipped parts check is not said"
! grep -q 'NB5010\|NB5011' "$tmp/stderr" || fail "a part is reported missing because one row could not be read"
grep -qF "$rate" "$tmp/stderr" || fail "the rate is not checked beside a bad narrative row"

# ---- a bad count: the rate it gives is not checked, and says so ----
sed 's/^tj_cases,调解案件,3314/tj_cases,调解案件,abc/' good/metrics.csv > m.csv
mkdir counts && cp good/meta.csv good/narrative.csv counts/ && mv m.csv counts/metrics.csv
expect_status 1 -- validate counts
grep -qF 'counts/metrics.csv:4: note: the rate check of 调解成功率 (tj_success_rate) was skipped' "$tmp/stderr" ||
    fail "the skipped rate check is not said"
! grep -q 'NB5022' "$tmp/stderr" || fail "a rate is checked against a count that could not be read"

# ---- in Chinese ----
LANGUAGE=zh_CN LC_ALL=C.UTF-8 "$NB_BIN" validate clerk > /dev/null 2> zh.err || true
grep -q 'NB5300' zh.err || fail "no skipped-check note in Chinese"
! grep 'NB5300' zh.err | grep -q 'was skipped' || fail "the note is not translated"
