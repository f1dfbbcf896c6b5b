#!/bin/sh
# Messages are Chinese under a Chinese locale and English otherwise
# (gettext); the diagnostic format and codes do not change with the language.
. "$(dirname "$0")/lib.sh"

[ -f "$NIANBAO_LOCALEDIR/zh_CN/LC_MESSAGES/nianbao.mo" ] ||
    skip "built without translations (--disable-nls)"

cd "$NB_DATA/xml"
printf '<report xmlns="urn:nianbao:report:1" version="1"><meta/></report>\n' \
    > "$tmp/bad.xml"

# English by default (LC_ALL=C from the test environment)
set +e
"$NB_BIN" render "$tmp/bad.xml" > "$tmp/out" 2> "$tmp/en"
st=$?
set -e
[ "$st" -eq 2 ] || fail "render without -o: exit $st, expected 2"
grep -q "no output file: add -o OUT.docx" "$tmp/en" || fail "English message missing: $(cat "$tmp/en")"

# Chinese through LANGUAGE with a UTF-8 locale
zh() {
    LC_ALL=C.UTF-8 LANGUAGE=zh_CN "$@"
}
set +e
zh "$NB_BIN" render "$tmp/bad.xml" > "$tmp/out" 2> "$tmp/zh"
st=$?
set -e
[ "$st" -eq 2 ] || fail "zh render without -o: exit $st, expected 2"
grep -q "没有指定输出文件：请加上 -o 输出.docx" "$tmp/zh" || fail "Chinese message missing: $(cat "$tmp/zh")"

# a data diagnostic keeps its GCC shape and code in Chinese
set +e
zh "$NB_BIN" validate /nonexistent/report.xml > "$tmp/out" 2> "$tmp/zh"
st=$?
set -e
[ "$st" -eq 3 ] || fail "missing file: exit $st, expected 3"
grep -q '^/nonexistent/report.xml: 错误: 无法打开：.* \[NB9001\]$' "$tmp/zh" ||
    fail "Chinese diagnostic has the wrong shape: $(cat "$tmp/zh")"

zh "$NB_BIN" --help > "$tmp/help"
grep -q '^用法：nianbao 命令' "$tmp/help" || fail "help is not translated"
zh "$NB_BIN" explain NB4001 > "$tmp/explain"
grep -q '^NB4001  XSD_INVALID .*报告不符合 schemas/report.xsd$' "$tmp/explain" ||
    fail "code summary is not translated: $(cat "$tmp/explain")"

# validate FILE in Chinese: exit 1 expected, stderr in $tmp/zh
zh_validate() {
    set +e
    zh "$NB_BIN" validate "$1" > "$tmp/out" 2> "$tmp/zh"
    st=$?
    set -e
    [ "$st" -eq 1 ] || fail "zh validate $1: exit $st, expected 1"
}

# a CSV form's findings in the clerk's language, with the column named
zh_validate "$NB_DATA/forms/bad-metrics.csv"
grep -q "bad-metrics.csv:2: 错误: 数值：'12件' 不是数字：请只填写数字（12），单位填在单位列 \[NB1012\]$" "$tmp/zh" ||
    fail "Chinese CSV diagnostic: $(head -2 "$tmp/zh")"

# a rule's finding quotes its figures and its source in Chinese
zh_validate "$NB_DATA/rules/bad-part-exceeds.xml"
grep -q "bad-part-exceeds.xml:38: 错误: 行政复议受理（fy_accepted）140 大于行政复议收到申请（fy_received）130；依据：《行政复议法》(2023)第三十条" "$tmp/zh" ||
    fail "Chinese rule diagnostic: $(cat "$tmp/zh")"

# the real zh_CN locale, where the machine has it (CI generates it)
if locale -a 2>/dev/null | grep -qi '^zh_CN\.utf-\?8$'; then
    LC_ALL=zh_CN.UTF-8 "$NB_BIN" --help > "$tmp/help2"
    grep -q '^用法：nianbao 命令' "$tmp/help2" || fail "zh_CN.UTF-8 locale gives no Chinese help"
elif [ "${NB_REQUIRE_ALL:-0}" = 1 ]; then
    fail "locale zh_CN.UTF-8 is not installed"
fi
# the translations' punctuation is full-width beside Chinese
if command -v python3 > /dev/null; then
    python3 "$NB_SRCDIR/tools/po-fullwidth.py" "$NB_SRCDIR/po/zh_CN.po" --check ||
        fail "half-width punctuation in po/zh_CN.po (tools/po-fullwidth.py fixes it)"
fi
exit 0
