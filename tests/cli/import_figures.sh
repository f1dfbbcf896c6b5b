#!/bin/sh
# Figures of an imported draft (docs/import.md, "Figures"): a figure whose
# clause names its indicator right before it becomes a metric and the text
# a reference, each a located note (NB2110); the rendered text is the same
# as the draft's; changes, other years, thresholds, a value stated twice
# otherwise and a rate its counts do not give stay typed text (NB2111 where
# worth checking); --no-metrics keeps every figure typed.
. "$(dirname "$0")/lib.sh"

cd "$tmp"
cat > d.txt <<'TXT'
某某县司法局2022年度法治政府建设情况报告
2022年，我局扎实推进法治政府建设。
一、主要举措和成效
（一）行政复议。全年受理行政复议申请93件，行政复议纠错率6%。收案数同比增长12%，行政诉讼败诉率同比下降2.2个百分点。2021年受理行政复议申请80件。
（二）人民调解。调解成功率99.78%，人民调解纠纷7514件，调解成功7498件。
（三）普法。开展法治讲座30场次，覆盖500人以上。评查案卷300卷，另评查案卷310卷。
二、存在的不足和原因
一些工作还有差距。
三、党政主要负责人履行推进法治建设第一责任人职责的情况
主要负责人带头学法。
四、2023年度推进法治政府建设的主要安排
继续推进。
某某县司法局
2023年2月8日
TXT
expect_status 0 -- import d.txt -o d.xml
e="$tmp/stderr"
has_metric() {
    grep -q "<metric code=\"$1\">$2</metric>" d.xml || fail "no metric $1 = $2: $(sed -n '/<metrics>/,$p' d.xml)"
}
no_metric() {
    grep -q "<metric code=\"$1\"" d.xml && fail "$1 made a metric: $(sed -n '/<metrics>/,$p' d.xml)"
    true
}
has_metric fy_accepted 93
has_metric fy_correction_rate 6
has_metric tj_cases 7514
has_metric tj_success 7498
grep -q '全年受理行政复议申请<m code="fy_accepted"/>，行政复议纠错率<m code="fy_correction_rate"/>。' d.xml ||
    fail "the text does not refer to the metrics: $(grep fy_accepted d.xml)"
grep -q "d.txt:[0-9]*: note: '93件' is now the metric 行政复议受理 (fy_accepted).*\[NB2110\]" "$e" ||
    fail "no located note for 93件: $(cat "$e")"
# a change, another year, a threshold: typed text
grep -q '收案数同比增长12%，行政诉讼败诉率同比下降2.2个百分点。2021年受理行政复议申请80件。' d.xml ||
    fail "a change or last year's figure was mapped: $(grep 收案数 d.xml)"
grep -q '覆盖500人以上' d.xml || fail "a threshold was mapped"
# the published rate its counts do not give (99.79): kept as published
no_metric tj_success_rate
grep -q '调解成功率99.78%' d.xml || fail "the published rate was not kept typed"
grep -q "'99.78%' looks like 调解成功率 (tj_success_rate), but the counts in the text do not give it.*\[NB2111\]" "$e" ||
    fail "no note on the kept rate: $(cat "$e")"
# one indicator stated twice otherwise: both typed, noted
no_metric zf_files_reviewed
grep -q "'310卷' looks like .*(zf_files_reviewed).*\[NB2111\]" "$e" || fail "no note on the twice-stated figure: $(cat "$e")"
# the imported report is valid and renders the draft's text
expect_status 0 -- validate d.xml
expect_status 0 -- import d.txt --no-metrics -o plain.xml
grep -q '<m code=\|<metrics>' plain.xml && fail "--no-metrics made metrics: $(cat plain.xml)"
grep -q "NB2110" "$tmp/stderr" && fail "--no-metrics noted a mapping"
grep -q '全年受理行政复议申请93件' plain.xml || fail "--no-metrics lost the figure"
expect_status 0 -- render d.xml -o d.txt.out --format txt
expect_status 0 -- render plain.xml -o plain.txt.out --format txt
cmp -s d.txt.out plain.txt.out || { diff plain.txt.out d.txt.out >&2; fail "the metrics changed the rendered text"; }
# the one-step way: a draft rendered directly
expect_status 0 -- render d.txt -o direct.docx
paragraphs direct.docx | grep -q '全年受理行政复议申请93件，行政复议纠错率6%。' ||
    fail "render of the draft: $(paragraphs direct.docx | grep 复议)"
exit 0
