#!/bin/sh
# Finding indicators by their words: `indicators --search` over codes,
# names, other names and groups, and `validate --figures` proposing the
# indicator a typed figure looks like (docs/rules.md, "Figures").
. "$(dirname "$0")/lib.sh"

cd "$NB_DATA/rules"

# ---- indicators --search ----
expect_run 0 /dev/null -- indicators --search 复议
grep -q '^fy_correction_rate	rate	%	行政复议纠错率	' "$tmp/stdout" || fail "--search 复议 misses the 纠错率"
grep -v '^	' "$tmp/stdout" | grep -qv '^fy_' && fail "--search 复议 lists more than 行政复议"
# an other name finds its indicator, and the other names are shown
expect_run 0 /dev/null -- indicators --search 直接纠错率
[ "$(grep -c '^[a-z]' "$tmp/stdout")" = 1 ] || fail "--search 直接纠错率: $(cat "$tmp/stdout")"
grep -q '^	also: 直接纠错率 复议纠错率 纠错率$' "$tmp/stdout" || fail "other names not shown"
expect_run 0 /dev/null -- indicators --search 调处成功率
grep -q '^tj_success_rate	' "$tmp/stdout" || fail "调处成功率"
expect_run 0 /dev/null -- indicators --search YS_
grep -q '^ys_withdrawal_rate	rate	%	行政诉讼撤诉率	ys_withdrawn / ys_concluded \* 100$' "$tmp/stdout" ||
    fail "撤诉率 is not in the catalog"
expect_status 1 -- indicators --search 没有这个指标
grep -q "no indicator has '没有这个指标'" "$tmp/stderr" || fail "an empty search is silent"
# the whole list is unchanged without --search
expect_run 0 /dev/null -- indicators
grep -q '^	' "$tmp/stdout" && fail "the plain list shows other names"

# ---- --figures: the indicator a typed figure looks like ----
sed 's|<p>组织普法活动|<p>受理行政复议申请93件,依申请公开政府信息申请12件,执法培训860人次,行政诉讼败诉率同比下降2.2个百分点,开展法治讲座30场次,覆盖500人以上。</p><p>组织普法活动|' \
    ok-annual.xml > "$tmp/typed.xml"
expect_status 0 -- validate --figures "$tmp/typed.xml"
grep -q "'受理行政复议申请93件'\|'93件' looks like 行政复议受理 (fy_accepted), which the metrics give as 124件: check which is right, then refer to it, {{fy_accepted}} in a CSV form, <m code=\"fy_accepted\"/> in XML \[NB5203\]" "$tmp/stderr" ||
    fail "93件 is not proposed as fy_accepted: $(cat "$tmp/stderr")"
grep -q "'12件' looks like 依申请公开政府信息申请 (xxgk_requests): give it as a metric and refer to it, {{xxgk_requests}} in a CSV form, <m code=\"xxgk_requests\"/> in XML \[NB5203\]" "$tmp/stderr" ||
    fail "依申请公开 is not proposed"
grep -q "'860人次' looks like 行政执法人员培训 (zf_training)" "$tmp/stderr" || fail "执法培训"
grep -q "'2.2个百分点' is typed in the text" "$tmp/stderr" || fail "2.2个百分点 is cut"
grep -q "'30场次'" "$tmp/stderr" || fail "30场次 is cut"
grep -q "'2.2个'\|'30场'\|500人" "$tmp/stderr" && fail "a cut figure or a threshold is listed"
# a figure that equals a metric is still NB5040
sed 's|<p>组织普法活动|<p>受理申请124件。</p><p>组织普法活动|' ok-annual.xml > "$tmp/equal.xml"
expect_status 0 -- validate --figures "$tmp/equal.xml"
grep -q "'124件' is typed in the text and equals 行政复议受理 (fy_accepted): refer to it" "$tmp/stderr" || fail "NB5040"
# the published examples: some figures get an indicator
for ex in changshan-2022 jiangbei-2021 liangjiang-2022; do
    expect_status 0 -- validate --figures --profile=work-summary "$NB_SRCDIR/examples/$ex/report.xml"
    grep -q '\[NB5203\]$' "$tmp/stderr" || fail "$ex: no figure gets an indicator"
done
exit 0
