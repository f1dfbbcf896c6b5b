#!/bin/sh
# One validate run shows everything (docs/rules.md, "A partial report"):
# a form set with a bad cell in metrics.csv, two art. 25 parts missing and
# a wrong rate gives all three at once, as a folder, a zip and a workbook;
# what depends on the bad row is skipped and said so (NB5300), never
# reported falsely (the text's reference to the bad row's figure); render
# and convert refuse it and write nothing (NB5301); the inbox counts every
# finding and knows the office.
. "$(dirname "$0")/lib.sh"

cd "$tmp"
src="$NB_SRCDIR/examples/liangjiang-2022/forms"
mkdir sc
for f in meta narrative metrics; do
    iconv -f GB18030 -t UTF-8 "$src/$f.csv" > "$f.csv" || fail "iconv $f.csv"
done
cp meta.csv sc/meta.csv
grep -v '^存在不足\|^第一责任人' narrative.csv > sc/narrative.csv
grep -q '{{fy_received}}' sc/narrative.csv || fail "the text no longer refers to fy_received"
sed 's/^fy_received,\([^,]*\),93,/fy_received,\1,93件,/' metrics.csv > sc/metrics.csv
cmp -s metrics.csv sc/metrics.csv && fail "the sed changed no figure"
grep -q '^tj_success,调解成功,3251,' metrics.csv || fail "the example's tj_success changed"
grep -q '^tj_success_rate' metrics.csv && fail "the example states tj_success_rate now"
printf 'tj_success_rate,调解成功率,50,%%,\r\n' >> sc/metrics.csv

# all_three FILE: the last run's stderr shows the cell, both parts, the
# rate and the skipped checks, and nothing about the bad row's reference
all_three() {
    e="$tmp/stderr"
    grep -q "$1.*metrics.csv:5: error: 数值: '93件' is not a number.*\[NB1012\]" "$e" ||
        fail "$1: no NB1012 for the cell: $(cat "$e")"
    [ "$(grep -c '\[NB5010\]' "$e")" = 2 ] || fail "$1: not both missing parts: $(cat "$e")"
    grep -q "调解成功率 (tj_success_rate) is stated as 50%.*\[NB5022\]" "$e" ||
        fail "$1: no wrong rate: $(cat "$e")"
    grep -q "note: the checks that use fy_received .* were skipped.*\[NB5300\]" "$e" ||
        fail "$1: the skipped checks are not said: $(cat "$e")"
    grep -q 'fy_received.*\[NB520[0-9]\]\|NB5030\|do not give' "$e" &&
        fail "$1: a finding that follows from the bad row: $(cat "$e")"
    true
}

expect_status 1 -- validate sc --profile annual-report
all_three sc

# render and convert refuse it, write nothing
expect_status 1 -- render sc -o out.docx
[ ! -e out.docx ] || fail "render wrote a document from a form set with errors"
expect_status 1 -- render sc -o out.docx --profile work-summary
[ ! -e out.docx ] || fail "render wrote a document from bad rows"
expect_status 1 -- convert sc -o out.xml
[ ! -e out.xml ] || fail "convert wrote a report from a form set with errors"

# the same in a zip
"$NB_MKZIP" sc sc.zip || fail "mkzip"
expect_status 1 -- validate sc.zip --profile annual-report
all_three sc.zip

# a bad narrative row: the parts are not checked (no false NB5010), said so
mkdir nar && cp sc/meta.csv sc/metrics.csv nar/
sed 's/^举措成效,1,/举措成效,x,/' narrative.csv > nar/narrative.csv
cmp -s narrative.csv nar/narrative.csv && fail "the sed broke no narrative row"
expect_status 1 -- validate nar --profile annual-report
grep -q 'NB5010' "$tmp/stderr" && fail "missing parts reported for a narrative that was not read: $(cat "$tmp/stderr")"
grep -q "the checks of the parts art. 25 requires were skipped.*\[NB5300\]" "$tmp/stderr" ||
    fail "the skipped part checks are not said: $(cat "$tmp/stderr")"
grep -q '\[NB5022\]' "$tmp/stderr" || fail "the rate is not checked beside a bad narrative row"

# the inbox: every finding counted, the office known
mkdir in && cp -R sc in/sc
expect_status 1 -- inbox in --json s.json -q
grep -q '"office": *"两江新区司法局"' s.json || fail "the office of a partial submission is unknown: $(cat s.json)"
grep -q '"status": *"invalid"' s.json || fail "not invalid: $(cat s.json)"
n=$(sed -n 's/.*"errors": *\([0-9]*\).*/\1/p' s.json | head -n 1)
[ "${n:-0}" -ge 4 ] || fail "the inbox counts $n errors, not the cell, both parts and the rate: $(cat s.json)"

# a workbook: the same findings, located in its sheets
py=
for p in "${NB_PYTHON3:-}" /usr/bin/python3 python3; do
    if [ -n "$p" ] && [ "$p" != no ] &&
        "$p" -c 'import openpyxl' > /dev/null 2>&1; then
        py=$p
        break
    fi
done
[ -n "$py" ] || skip "python3 with openpyxl (python3-openpyxl) not found"
mkdir good && cp sc/meta.csv sc/narrative.csv good/
sed 's/^fy_received,\([^,]*\),93件,/fy_received,\1,93,/' sc/metrics.csv > good/metrics.csv
expect_status 0 -- convert good -o good.xlsx
"$py" - good.xlsx bad.xlsx <<'PY' || fail "openpyxl could not edit the workbook"
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb['指标']
for row in ws.iter_rows():
    if row[0].value == 'fy_received':
        row[2].value = '93件'
        break
else:
    sys.exit('no fy_received row')
wb.save(sys.argv[2])
PY
expect_status 1 -- validate bad.xlsx --profile annual-report
grep -q "bad.xlsx/指标!C[0-9]*: error: .*93件.*\[NB1012\]" "$tmp/stderr" ||
    fail "workbook: no located NB1012: $(cat "$tmp/stderr")"
[ "$(grep -c '\[NB5010\]' "$tmp/stderr")" = 2 ] || fail "workbook: not both missing parts: $(cat "$tmp/stderr")"
grep -q '\[NB5022\]' "$tmp/stderr" || fail "workbook: no wrong rate: $(cat "$tmp/stderr")"
grep -q '\[NB5300\]' "$tmp/stderr" || fail "workbook: the skipped checks are not said"
expect_status 1 -- render bad.xlsx -o bad.docx
[ ! -e bad.docx ] || fail "render wrote a document from a bad workbook"
exit 0
