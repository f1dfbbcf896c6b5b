#!/bin/sh
# Findings an office keeps as published (docs/rules.md, "Keeping a
# published figure"): a rate stated with its rounding, an acknowledgement
# with a reason in the data (allow= in XML, 确认 and 理由 in metrics.csv)
# or --allow on the command line. An acknowledged finding is a note
# (NB5200) in validate, render and the inbox summary, never hidden; an
# unacknowledged one still stops render. And every code says what to do.
. "$(dirname "$0")/lib.sh"

cd "$NB_DATA/rules"
f=ack-truncated-rate.xml

# 7498 / 7514 is 99.787%: 99.79 rounded, 99.78 cut, as the office printed
expect_status 1 -- validate "$f"
grep -q "$f:46: error: 调解成功率 (tj_success_rate) is stated as 99.78%, but its counts give 7498 / 7514 \* 100 = 99.7871%, which rounds to 99.79%; the stated rate is cut, not rounded: say so with rounding=\"truncate\" (取舍 截尾) \[NB5022\]" "$tmp/stderr" ||
    fail "a truncated rate is not recognised: $(cat "$tmp/stderr")"
expect_status 1 -- render "$f" -o "$tmp/no.docx"
[ ! -e "$tmp/no.docx" ] || fail "render wrote a report with an error"

# the rounding stated: no finding at all
sed 's|<metric code="tj_success_rate" |<metric code="tj_success_rate" rounding="truncate" |' "$f" > "$tmp/cut.xml"
expect_run 0 /dev/null -- validate -q "$tmp/cut.xml"
# a cut rate must still be the cut of its counts: 99.79 is not, 99.7 is
sed 's|unit="%">99.78<|rounding="truncate" unit="%">99.79<|' "$f" > "$tmp/cut-bad.xml"
expect_status 1 -- validate "$tmp/cut-bad.xml"
grep -q 'stated as 99.79%, but its counts give 7498 / 7514 \* 100 = 99.7871%, which truncates to 99.78%: correct the rate or its counts, or acknowledge it with a reason (allow="NB5022") \[NB5022\]' "$tmp/stderr" ||
    fail "a cut rate that is not the cut: $(cat "$tmp/stderr")"
sed 's|unit="%">99.78<|rounding="truncate" unit="%">99.7<|' "$f" > "$tmp/cut1.xml"
expect_run 0 /dev/null -- validate -q "$tmp/cut1.xml"

# acknowledged with a reason: a note, exit 0, render works and says so
sed 's|<metric code="tj_success_rate" |<metric code="tj_success_rate" allow="NB5022" reason="经领导审定已公开发布" |' "$f" > "$tmp/ack.xml"
expect_status 0 -- validate "$tmp/ack.xml"
grep -q ":46: note: NB5022 acknowledged, kept as published: 经领导审定已公开发布 (调解成功率 (tj_success_rate) is stated as 99.78%.* \[NB5200\]$" "$tmp/stderr" ||
    fail "an acknowledged finding is not a note: $(cat "$tmp/stderr")"
expect_status 0 -- render "$tmp/ack.xml" -o "$tmp/ack.docx"
grep -q 'NB5022 acknowledged.*\[NB5200\]' "$tmp/stderr" || fail "render hides the acknowledged finding"
[ -s "$tmp/ack.docx" ] || fail "render wrote nothing"

# the same through the forms: 确认, 理由 and 取舍 columns, both ways
expect_run 0 /dev/null -- convert "$tmp/ack.xml" -o "$tmp/forms"
grep -q '^tj_success_rate,调解成功率,99.78,%,,NB5022,经领导审定已公开发布,' "$tmp/forms/metrics.csv" ||
    fail "convert lost the acknowledgement: $(grep tj_success_rate "$tmp/forms/metrics.csv")"
expect_status 0 -- validate "$tmp/forms"
grep -q 'metrics.csv:[0-9]*: note: NB5022 acknowledged' "$tmp/stderr" || fail "forms: not a note"
expect_run 0 /dev/null -- convert "$tmp/forms" -o "$tmp/back.xml"
grep -qF '<metric code="tj_success_rate" unit="%" allow="NB5022" reason="经领导审定已公开发布">99.78</metric>' "$tmp/back.xml" ||
    fail "forms -> XML lost the acknowledgement"
sed 's|<metric code="tj_success_rate" |<metric code="tj_success_rate" rounding="truncate" |' "$f" > "$tmp/cut.xml"
expect_run 0 /dev/null -- convert "$tmp/cut.xml" -o "$tmp/cutforms"
tr -d '\r' < "$tmp/cutforms/metrics.csv" | grep -q '^tj_success_rate,.*,截尾$' || fail "rounding is not written to the forms"
expect_run 0 /dev/null -- validate -q "$tmp/cutforms"
# 取舍 takes its Chinese and English words, nothing else
sed 's|,截尾|,四舍五入|' "$tmp/cutforms/metrics.csv" > "$tmp/m" && cp "$tmp/m" "$tmp/cutforms/metrics.csv"
expect_status 1 -- validate "$tmp/cutforms"
grep -q '\[NB5022\]' "$tmp/stderr" || fail "四舍五入 is not the default rounding"

# an acknowledgement without a reason, or of a finding the metric does
# not have, is a warning: it acknowledges nothing
sed 's|<metric code="tj_success_rate" |<metric code="tj_success_rate" allow="NB5022" |' "$f" > "$tmp/noreason.xml"
expect_status 1 -- validate "$tmp/noreason.xml"
grep -q 'without a reason: say why the figure is kept .*\[NB5201\]' "$tmp/stderr" || fail "no reason accepted"
grep -q '\[NB5022\]' "$tmp/stderr" || fail "an acknowledgement without a reason hides the finding"
sed 's|<metric code="tj_cases" |<metric code="tj_cases" allow="NB5020" reason="x" |' "$tmp/cut.xml" > "$tmp/stale.xml"
expect_status 0 -- validate "$tmp/stale.xml"
grep -q 'acknowledges NB5020, which it does not have: remove the acknowledgement \[NB5201\]' "$tmp/stderr" ||
    fail "a stale acknowledgement"
# an acknowledgement the schema cannot read
sed 's|<metric code="tj_success_rate" |<metric code="tj_success_rate" allow="rate" |' "$f" > "$tmp/badallow.xml"
expect_status 1 -- validate "$tmp/badallow.xml"

# --allow for the run: any code of the rules, printed as notes
expect_status 0 -- validate "$f" --allow NB5022
grep -q ':46: note: NB5022 acknowledged with --allow: 调解成功率' "$tmp/stderr" || fail "--allow"
expect_status 0 -- render --allow=5022 "$f" -o "$tmp/allow.docx"
grep -q 'acknowledged with --allow' "$tmp/stderr" || fail "render --allow hides the finding"
expect_status 0 -- validate --profile=annual-report --allow NB5010 --allow NB5022 bad-parts-missing.xml
grep -q 'note: NB5010 acknowledged with --allow: no 存在的不足和原因 part' "$tmp/stderr" || fail "--allow NB5010"
expect_status 2 -- validate --allow NB1012 "$f"
expect_status 2 -- validate --allow 'NB5022x' "$f"

# the inbox lists acknowledged findings in its remarks
mkdir "$tmp/inbox"
cp "$tmp/ack.xml" "$tmp/inbox/a.xml"
expect_status 0 -- inbox "$tmp/inbox" --csv "$tmp/inbox.csv" --json "$tmp/inbox.json"
grep -q '已确认1项问题(NB5200)' "$tmp/inbox.csv" || fail "inbox summary: $(cat "$tmp/inbox.csv")"
grep -q '"acknowledged": *1' "$tmp/inbox.json" || fail "inbox JSON: $(cat "$tmp/inbox.json")"

# every code says what the user can do; NB5010 names the work summary
expect_run 0 /dev/null -- explain NB5010
grep -q '报告类型 to 工作总结 in meta.csv or <profile>work-summary</profile>' "$tmp/stdout" ||
    fail "explain NB5010: $(cat "$tmp/stdout")"
LANGUAGE=zh_CN LANG=zh_CN.UTF-8 LC_ALL=C.UTF-8 "$NB_BIN" explain NB5010 > "$tmp/zh"
grep -q '工作总结' "$tmp/zh" || fail "explain NB5010 in Chinese: $(cat "$tmp/zh")"
expect_run 0 /dev/null -- validate -q ok-annual.xml
expect_status 1 -- validate bad-parts-missing.xml
grep -q 'set 报告类型 to 工作总结 in meta.csv (<profile>work-summary</profile> in XML) \[NB5010\]' "$tmp/stderr" ||
    fail "NB5010 does not say what to do"
exit 0
