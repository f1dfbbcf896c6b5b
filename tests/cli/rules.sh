#!/bin/sh
# The domain rules (docs/rules.md) through the CLI, on the real-shaped
# reports of tests/data/rules: every rule passes on ok-annual.xml and fails
# on its bad-*.xml (or warns on its warn-*.xml) with exactly the stderr of
# the .expect beside it. Then profiles, derived rates, year-on-year
# changes, references in CSV forms, local catalogs, --figures, and the
# published examples.
. "$(dirname "$0")/lib.sh"

cd "$NB_DATA/rules"

# ---- the passing case: no diagnostic at all ----
printf '%s\n' 'ok-annual.xml: valid (sections: 4)' > "$tmp/want"
expect_run 0 /dev/null -- validate ok-annual.xml
expect_stdout "$tmp/want"
expect_run 0 /dev/null -- validate --figures ok-annual.xml

# ---- each rule failing: exact diagnostics, exit 1 (warnings: exit 0) ----
n=0
for f in bad-*.xml; do
    expect_run 1 "${f%.xml}.expect" -- validate "$f"
    n=$((n + 1))
done
[ "$n" -ge 12 ] || fail "only $n bad-*.xml cases"
for f in warn-*.xml; do
    expect_run 0 "${f%.xml}.expect" -- validate -q "$f"
done
# every rule code has its failing case
for code in NB5002 NB5010 NB5011 NB5012 NB5013 NB5015 NB5020 NB5021 NB5022 \
        NB5023 NB5030 NB5031 NB5033; do
    cat bad-*.expect warn-*.expect | grep -q "\[$code\]" ||
        fail "no failing case for $code"
done
# the findings cite their source
grep -q '《行政复议法》(2023)第三十条' bad-part-exceeds.expect || fail "rule source not quoted"
grep -q '第二十五条' bad-parts-missing.expect || fail "art. 25 not quoted"

# ---- render checks the same rules and writes nothing on an error ----
expect_run 1 bad-rate.expect -- render bad-rate.xml -o "$tmp/bad.docx"
[ ! -e "$tmp/bad.docx" ] || fail "render wrote a report the rules reject"

# ---- profiles: the work-summary profile is not bound by art. 25 ----
expect_run 0 /dev/null -- validate -q --profile=work-summary bad-parts-missing.xml
expect_run 0 /dev/null -- validate -q --profile=lenient bad-plans-year.xml
expect_run 0 /dev/null -- validate -q --profile=work-summary bad-part-empty.xml
# ... but its date must still follow the year, and its figures add up
expect_run 1 bad-date-year.expect -- validate --profile=work-summary bad-date-year.xml
expect_run 1 bad-rate.expect -- validate --profile=work-summary bad-rate.xml
printf '%s\n' "nianbao validate: option '--profile': 'strictest' is not a profile: annual-report or work-summary" \
    "Try 'nianbao validate --help'." > "$tmp/want"
expect_run 2 "$tmp/want" -- validate --profile=strictest ok-annual.xml
expect_status 2 -- validate --profile

# ---- the published examples: clean, but a report that misses parts of
# art. 25 is flagged by the annual-report profile ----
for ex in changshan-2022 jiangbei-2021 liangjiang-2022; do
    expect_run 0 /dev/null -- validate -q "$NB_SRCDIR/examples/$ex/report.xml"
done
x="$NB_SRCDIR/examples/jiangbei-2021/report.xml"
cat > "$tmp/want" <<EOF
$x: error: no 存在的不足和原因 part (section kind="shortcomings", or 部分 存在不足 in narrative.csv): an annual report must report it (《法治政府建设与责任落实督察工作规定》第二十五条); add it, or, for a work summary, set 报告类型 to 工作总结 in meta.csv (<profile>work-summary</profile> in XML) [NB5010]
$x: error: no 党政主要负责人履行推进法治建设第一责任人职责的情况 part (section kind="duties", or 部分 第一责任人 in narrative.csv): an annual report must report it (《法治政府建设与责任落实督察工作规定》第二十五条); add it, or, for a work summary, set 报告类型 to 工作总结 in meta.csv (<profile>work-summary</profile> in XML) [NB5010]
EOF
expect_run 1 "$tmp/want" -- validate -q --profile=annual-report "$x"

# ---- derived rates: computed from their counts, shown in the text ----
expect_run 0 /dev/null -- render ok-derived.xml -o "$tmp/derived.docx"
paragraphs "$tmp/derived.docx" > "$tmp/p"
grep -qxF '调解案件2195件,调解成功2175件,调解成功率99.1%。' "$tmp/p" ||
    fail "the derived success rate is not in the text"
# and the stated figures, approximate ones as written
expect_run 0 /dev/null -- render ok-annual.xml -o "$tmp/annual.docx"
paragraphs "$tmp/annual.docx" > "$tmp/p"
grep -qxF '组织普法活动3530余场,参加人员17.8万余人次。' "$tmp/p" ||
    fail "approximate figures are not rendered as written"
grep -qxF '全年收到行政复议申请130件,受理124件,审结117件,其中维持80件、撤销12件、驳回复议请求20件、终止5件。' "$tmp/p" ||
    fail "metric references are not filled in"
validate_docx "$tmp/derived.docx" "$tmp/annual.docx"

# ---- year-on-year: counts change in percent, rates in points ----
expect_status 1 -- validate ok-yoy.xml
grep -c 'NB5033' "$tmp/stderr" | grep -qx 3 || fail "yoy without --previous"
expect_run 0 /dev/null -- render ok-yoy.xml --previous=prev-2021.xml -o "$tmp/yoy.docx"
paragraphs "$tmp/yoy.docx" > "$tmp/p"
grep -qxF '调解案件2195件,同比增长9.8%,调解成功2175件,调解成功率99%,同比提高1.5个百分点;受理复议124件,与上年持平。' "$tmp/p" ||
    fail "year-on-year changes are not in the text"
# last year's report must be last year's: a warning, compared all the same
printf '%s\n' "ok-yoy.xml: warning: the previous report ok-annual.xml is on 2022, not 2021: its figures are compared as last year's all the same [NB5050]" > "$tmp/want"
expect_run 0 "$tmp/want" -- validate -q --previous=ok-annual.xml ok-yoy.xml
# an unreadable previous report stops the run
expect_status 3 -- validate --previous=missing.xml ok-annual.xml
expect_status 1 -- validate --previous=bad-metric-value.xml ok-annual.xml

# ---- references in CSV forms: {{code}}, {{name}}, {{code.value}} ----
expect_run 0 /dev/null -- validate -q forms-refs
expect_run 0 /dev/null -- render forms-refs -o "$tmp/forms.docx"
paragraphs "$tmp/forms.docx" > "$tmp/p"
grep -qxF '全年收到行政复议申请130件,受理124件,调解成功率99.1%,调解案件2195件。' "$tmp/p" ||
    fail "CSV references are not filled in"
grep -qxF '参加普法活动17.8万余人次,开展活动近万场,出庭应诉率超98%;模板写法{{不受影响。' "$tmp/p" ||
    fail "approximate figures or a literal {{ in a CSV text"
# both ways: the reference survives XML and forms
expect_run 0 /dev/null -- convert forms-refs -o "$tmp/refs.xml"
grep -qF '调解案件<m code="tj_cases" show="value"/>件' "$tmp/refs.xml" ||
    fail "convert lost a reference"
expect_run 0 /dev/null -- convert "$tmp/refs.xml" -o "$tmp/refs"
grep -qF '{{tj_success_rate}}' "$tmp/refs/narrative.csv" || fail "references are not written back as {{code}}"
grep -qF '模板写法{{""{{""}}不受影响' "$tmp/refs/narrative.csv" || fail "a literal {{ is not written back escaped"
expect_run 0 /dev/null -- render "$tmp/refs" -o "$tmp/forms2.docx"
cmp -s "$tmp/forms.docx" "$tmp/forms2.docx" || fail "forms -> XML -> forms renders differently"
# braces next to a reference survive XML -> forms -> XML
sed 's|<p>组织普法活动<m code="pf_events"/>|<p>组织{普法活动{<m code="pf_events"/>}|' ok-annual.xml > "$tmp/brace.xml"
expect_run 0 /dev/null -- convert "$tmp/brace.xml" -o "$tmp/brace"
expect_run 0 /dev/null -- convert "$tmp/brace" -o "$tmp/brace2.xml"
grep -qF '<p>组织{普法活动{<m code="pf_events"/>}' "$tmp/brace2.xml" || fail "a { before a reference"
expect_run 1 bad-forms-refs.expect -- validate bad-forms-refs

# ---- local catalogs ----
expect_run 1 ok-local.expect -- validate ok-local.xml
expect_run 0 /dev/null -- validate -q --indicators=local-ok.xml ok-local.xml
expect_run 0 /dev/null -- render --indicators=local-ok.xml ok-local.xml -o "$tmp/local.docx"
paragraphs "$tmp/local.docx" | grep -qF '12345热线法律咨询1156件,办结率95.24%。' ||
    fail "a local rate is not derived with its decimals"
expect_run 0 /dev/null -- indicators --indicators=local-ok.xml
grep -q '^mm_hotline_rate	rate	%	12345热线办结率	mm_hotline_done / mm_hotline \* 100$' "$tmp/stdout" ||
    fail "indicators does not list the local catalog"
for f in local-collide local-bad-formula local-invalid; do
    expect_run 1 "$f.expect" -- validate --indicators="$f.xml" ok-annual.xml
done
expect_status 3 -- validate --indicators=missing.xml ok-annual.xml
# names are compared whole, however long: two 600-byte names collide
long=$(printf '长%.0s' $(seq 200))
printf '%s\n' '<?xml version="1.0"?>' '<indicators xmlns="urn:nianbao:indicators:1" version="1">' \
    "<indicator code=\"mm_a\" type=\"count\" unit=\"件\" name=\"$long\"/>" \
    "<indicator code=\"mm_b\" type=\"count\" unit=\"件\" name=\"$long\"/>" '</indicators>' > "$tmp/long.xml"
expect_status 1 -- validate --indicators="$tmp/long.xml" ok-annual.xml
grep -q "indicator 'mm_b' is named .*, as 'mm_a' already is; give it a name of its own \[NB5061\]" "$tmp/stderr" ||
    fail "long local names are not compared: $(cat "$tmp/stderr")"
# a hostile or broken catalog is read as safely as a report
printf '%s\n' '<?xml version="1.0"?>' '<!DOCTYPE indicators [<!ENTITY x SYSTEM "file:///etc/passwd">]>' \
    '<indicators xmlns="urn:nianbao:indicators:1" version="1">&x;</indicators>' > "$tmp/xxe.xml"
expect_status 1 -- validate --indicators="$tmp/xxe.xml" ok-annual.xml
grep -q 'NB2' "$tmp/stderr" || fail "a DOCTYPE in a catalog is not refused"
grep -q 'root:' "$tmp/stderr" && fail "a catalog entity was expanded"
printf 'code,name\nmm_x,本地\n' > "$tmp/not-xml.xml"
expect_status 1 -- validate --indicators="$tmp/not-xml.xml" ok-annual.xml
printf '<?xml version="1.0"?><report xmlns="urn:nianbao:report:1"/>\n' > "$tmp/wrong-root.xml"
expect_status 1 -- validate --indicators="$tmp/wrong-root.xml" ok-annual.xml
grep -q 'expected <indicators xmlns="urn:nianbao:indicators:1"> \[NB5060\]' "$tmp/stderr" ||
    fail "a catalog with the wrong root element"
# a local rule is checked like a built-in one
sed 's|<metric code="mm_hotline_done">1101</metric>|<metric code="mm_hotline_done">1200</metric>|' ok-local.xml > "$tmp/local-bad.xml"
expect_status 1 -- validate --indicators=local-ok.xml "$tmp/local-bad.xml"
grep -q '12345热线办结 (mm_hotline_done) 1200 is more than 12345热线法律咨询 (mm_hotline) 1156: 办结的咨询是受理咨询的一部分(本单位规定); correct the figures, or acknowledge them with a reason (allow="NB5020") \[NB5020\]' "$tmp/stderr" ||
    fail "local rule not applied"

# a single metrics sheet is checked with the local catalog too
printf '%s\r\n' '指标代码,数值' 'mm_hotline,1156' > "$tmp/metrics.csv"
expect_run 0 /dev/null -- validate -q --indicators=local-ok.xml "$tmp/metrics.csv"

# ---- edge cases of the rules ----
# a plans title that names the coming year among others is for that year
sed 's|<title>2023年工作安排</title>|<title>2023年及“十四五”后三年(2023—2025年)工作安排</title>|' ok-annual.xml > "$tmp/plans.xml"
expect_run 0 /dev/null -- validate -q "$tmp/plans.xml"
# a date a year late is late too
sed 's|<date>2023-02-08</date>|<date>2024-01-05</date>|' ok-annual.xml > "$tmp/late.xml"
expect_status 0 -- validate -q "$tmp/late.xml"
grep -q ':8: warning: the date written 2024-01-05 is after 1 April 2023, .*\[NB5015\]$' "$tmp/stderr" ||
    fail "a date in the year after next is not late"
# a stated rate is its counts' rate rounded half up: 199/200 is 99.5, so 100
sed -e 's|>2195</metric>|>200</metric>|' -e 's|>2175</metric>|>199</metric>|' ok-annual.xml > "$tmp/half.xml"
expect_status 1 -- validate -q "$tmp/half.xml"
grep -q 'is stated as 99%, but its counts give 199 / 200 \* 100 = 99.5%, which rounds to 100%[:;] .*\[NB5022\]' "$tmp/stderr" ||
    fail "99.5 is not rounded up"
sed -e 's|unit="%">99</metric>|unit="%">100</metric>|' "$tmp/half.xml" > "$tmp/half100.xml"
expect_run 0 /dev/null -- validate -q "$tmp/half100.xml"
# an area that names 第一责任人 stands for the duties part only in the
# measures part, and only with content
sed -e '/<section kind="duties">/,/<\/section>/d' ok-annual.xml > "$tmp/noduties.xml"
sed 's|<title>化解行政争议</title>|<title>履行推进法治建设第一责任人职责,化解行政争议</title>|' "$tmp/noduties.xml" > "$tmp/duties-area.xml"
expect_run 0 /dev/null -- validate -q "$tmp/duties-area.xml"
expect_status 1 -- validate -q "$tmp/noduties.xml"
grep -q 'no 党政主要负责人履行推进法治建设第一责任人职责的情况 part' "$tmp/stderr" || fail "duties part"
# a bad reference is reported once, however often the text repeats it
sed 's|<m code="fy_received"/>|<m code="fy_recieved"/><m code="fy_recieved"/>|' ok-annual.xml > "$tmp/twice.xml"
expect_status 1 -- validate -q "$tmp/twice.xml"
[ "$(grep -c 'NB5030' "$tmp/stderr")" = 1 ] || fail "a repeated bad reference is reported more than once"
# attributes are read as the schema reads tokens
sed 's|<m code="fy_received"/>|<m code=" fy_received " show=" value "/>|' ok-annual.xml > "$tmp/spaces.xml"
expect_run 0 /dev/null -- render "$tmp/spaces.xml" -o "$tmp/spaces.docx"
paragraphs "$tmp/spaces.docx" | grep -qF '全年收到行政复议申请130,受理124件' || fail "token attributes with spaces"
# a change from a last year's 0 has no percent
sed 's|<metric code="fy_accepted">124</metric>|<metric code="fy_accepted">0</metric>|' prev-2021.xml > "$tmp/prev0.xml"
expect_status 1 -- validate -q --previous="$tmp/prev0.xml" ok-yoy.xml
grep -q "ok-yoy.xml:14: error: the text shows the change of 行政复议受理 (fy_accepted) from last year, which cannot be computed: last year's figure is 0, so there is no relative change \[NB5034\]" "$tmp/stderr" ||
    fail "a change from 0"
# references in a summary are located at the summary
sed 's|    <area>|    <summary>调解<m code="tj_nothing"/>。</summary>\n    <area>|' ok-annual.xml > "$tmp/summary.xml"
expect_status 1 -- validate -q "$tmp/summary.xml"
grep -q "summary.xml:11: error: metric reference 'tj_nothing'" "$tmp/stderr" || fail "summary location"
expect_status 2 -- validate --figures=yes ok-annual.xml

# a local indicator's bounds
sed 's|<metric code="mm_score">9.6</metric>|<metric code="mm_score">12</metric>|' ok-local.xml > "$tmp/score.xml"
printf '%s\n' "$tmp/score.xml:61: error: value '12': 群众满意度评分 (mm_score) is from 0 to 10 [NB5002]" > "$tmp/want"
expect_run 1 "$tmp/want" -- validate -q --indicators=local-ok.xml "$tmp/score.xml"

# ---- --figures: typed figures listed, with the metric they equal ----
expect_run 0 figures.expect -- validate -q --figures figures.xml

# every DOCX this test wrote is valid OOXML
validate_docx "$tmp/yoy.docx" "$tmp/forms.docx" "$tmp/forms2.docx" \
    "$tmp/local.docx" "$tmp/spaces.docx"
exit 0
