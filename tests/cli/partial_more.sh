#!/bin/sh
# Partial reports beyond the clerk scenario of partial.sh: a bad narrative
# row gives no "missing part" (the parts check is skipped and said so), a
# count that cannot be read gives no rate finding, a year that cannot be
# read skips the year checks; render --batch and an HTML render write
# nothing from a partial report; the note is in Chinese under zh_CN.
. "$(dirname "$0")/lib.sh"

mkdir "$tmp/w"
cd "$tmp/w"
cp -R "$NB_DATA/forms/partial-clerk" clerk
chmod -R u+w clerk
rate="调解成功率 (tj_success_rate) is stated as 90%, but its counts give 3251 / 3314 * 100 = 98.099%"

# the same set with the cell corrected: only the parts and the rate
mkdir good
cp clerk/meta.csv clerk/narrative.csv good/
sed 's/2195件/2195/' clerk/metrics.csv > good/metrics.csv
expect_status 1 -- validate good
grep -qF "$rate" "$tmp/stderr" || fail "the rate is not checked in the corrected set"
! grep -q 'NB5300' "$tmp/stderr" || fail "a check is skipped in a set read in full"

# a narrative row that cannot be read: no part is reported missing
cp -R good text
printf '存在不足,x,,段落,,,,法治督察的刚性约束作用还不够强。\n' >> text/narrative.csv
expect_status 1 -- validate text
grep -qF "text/narrative.csv:5: error: 方面: 'x' is not a whole number [NB1012]" "$tmp/stderr" ||
    fail "the bad narrative cell is not reported"
grep -q '^text: note: the checks of the parts art. 25 requires.*skipped.*\[NB5300\]' "$tmp/stderr" ||
    fail "the skipped parts check is not said"
! grep -q 'NB5010\|NB5011' "$tmp/stderr" ||
    fail "a part is reported missing because one row could not be read"
grep -qF "$rate" "$tmp/stderr" || fail "the rate is not checked beside a bad narrative row"

# a count that cannot be read: its rate is not checked, and that is said
mkdir counts
cp good/meta.csv good/narrative.csv counts/
sed 's/^tj_cases,调解案件,3314/tj_cases,调解案件,abc/' good/metrics.csv > counts/metrics.csv
expect_status 1 -- validate counts
grep -qF "counts/metrics.csv:4: error: 数值: 'abc' is not a number [NB1012]" "$tmp/stderr" ||
    fail "the bad count is not reported"
grep -q '^counts: note: the checks that use tj_cases .*\[NB5300\]' "$tmp/stderr" ||
    fail "the skipped checks of tj_cases are not said"
! grep -q 'NB5022\|NB5020\|NB5021' "$tmp/stderr" ||
    fail "a rate or sum is checked against a count that could not be read"
grep -q 'NB5010' "$tmp/stderr" || fail "the missing parts are not reported beside a bad count"

# a year that cannot be read: no finding about the plans' year or the date
cp -R good year
sed -i 's/^年度,2022/年度,二〇二二/' year/meta.csv
expect_status 1 -- validate year --profile work-summary
grep -q 'NB5300' "$tmp/stderr" || fail "the skipped year checks are not said"
! grep -q 'NB5012\|NB5013\|NB5015' "$tmp/stderr" ||
    fail "a date or plans finding comes from a year that could not be read"

# nothing is written: an HTML page, text, render --batch
for out in out.html out.txt out.docx; do
    expect_status 1 -- render clerk -o "$out"
    [ ! -e "$out" ] || fail "render wrote $out from a partial report"
done
mkdir box
cp -R clerk box/a
expect_status 1 -- render --batch box -o docs --no-progress
[ -z "$(find docs -name '*.docx' 2>/dev/null)" ] ||
    fail "render --batch wrote a document from a partial report"

# in Chinese
LANGUAGE=zh_CN LC_ALL=C.UTF-8 "$NB_BIN" validate clerk > /dev/null 2> zh.err || true
grep -q 'NB5300' zh.err || fail "no skipped-check note under zh_CN"
! grep 'NB5300' zh.err | grep -q 'were skipped' || fail "the note is not translated"
