#!/bin/sh
# Every text item of the meta has a length bound, the same in report XML,
# CSV forms and workbooks: a value at the bound passes, one character
# more is a located error (NB1030), exit 1.
. "$(dirname "$0")/lib.sh"

cd "$tmp"
chars() { # chars N: N characters
    awk -v n="$1" 'BEGIN { s = ""; for (i = 0; i < n; i++) s = s "法"; print s }'
}

# element, form key, label, bound
bounds='issuer issuer 发布机构 100
signer signer 署名 100
addressee addressee 主送机关 200
index-number index_number 索引号 64
doc-number doc_number 文号 64
topic topic 主题分类 64
disclosure disclosure 公开方式 32
title title 标题 200'

report() { # report ELEMENT TEXT: a report XML with that element's text
    el=$1
    text=$2
    issuer=某某县司法局
    meta=
    title=
    case $el in
    issuer) issuer=$text ;;
    title) title="  <title>$text</title>" ;;
    *) meta="    <$el>$text</$el>" ;;
    esac
    cat <<XML
<?xml version="1.0" encoding="UTF-8"?>
<report xmlns="urn:nianbao:report:1" version="1">
  <meta>
    <issuer>$issuer</issuer>
    <year>2022</year>
    <profile>work-summary</profile>
$meta
  </meta>
$title
  <section kind="measures"/>
</report>
XML
}

echo "$bounds" | while read -r el key label max; do
    report "$el" "$(chars "$max")" > "ok-$el.xml"
    expect_status 0 -- validate -q "ok-$el.xml"
    report "$el" "$(chars $((max + 1)))" > "long-$el.xml"
    expect_status 1 -- validate "long-$el.xml"
    line=$(grep -n "法法法" "long-$el.xml" | cut -d: -f1)
    grep -qF "long-$el.xml:$line: error: $label ($key) is $((max + 1)) characters long, more than the $max it may have: shorten it [NB1030]" "$tmp/stderr" ||
        fail "XML <$el>: $(cat "$tmp/stderr")"
    [ "$(wc -l < "$tmp/stderr")" -eq 1 ] || fail "XML <$el>: more than one finding: $(cat "$tmp/stderr")"

    # the same item in the forms: at the bound, then one more
    rm -rf "f-$el"
    expect_status 0 -- convert "ok-$el.xml" -o "f-$el"
    expect_status 0 -- validate -q "f-$el"
    row=$(grep -n "^$label," "f-$el/meta.csv" | cut -d: -f1)
    [ -n "$row" ] || fail "forms of <$el>: no $label row"
    sed "s/^$label,\(法*\)/$label,\1法/" "f-$el/meta.csv" > m.csv
    mv m.csv "f-$el/meta.csv"
    expect_status 1 -- validate "f-$el"
    grep -qF "f-$el/meta.csv:$row: error: $label ($key) is $((max + 1)) characters long, more than the $max it may have: shorten it [NB1030]" "$tmp/stderr" ||
        fail "forms $label: $(cat "$tmp/stderr")"
    expect_status 1 -- convert "f-$el" -o "f-$el.xml"
    [ ! -e "f-$el.xml" ] || fail "convert wrote a report with an over-long $label"
done

# 发布日期 in the forms (an xs:date in XML)
rm -rf pub
expect_status 0 -- convert ok-issuer.xml -o pub
printf '发布日期,%s\r\n' "$(chars 33)" >> pub/meta.csv
expect_status 1 -- validate pub
grep -qF "发布日期 (published) is 33 characters long, more than the 32 it may have" "$tmp/stderr" ||
    fail "forms 发布日期: $(cat "$tmp/stderr")"

# a workbook: the same bound, located on its sheet
need_python
expect_status 0 -- convert ok-issuer.xml -o book.xlsx
"$NB_PYTHON3" - book.xlsx long.xlsx "$(chars 100)" <<'PY'
import sys, zipfile
src, dst, issuer = sys.argv[1:4]
zin = zipfile.ZipFile(src)
zout = zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED)
for item in zin.infolist():
    data = zin.read(item.filename)
    if item.filename == "xl/sharedStrings.xml":
        text = data.decode()
        assert issuer in text, "no issuer in the shared strings"
        data = text.replace(issuer, issuer + "法").encode()
    zout.writestr(item, data)
zout.close()
PY
expect_status 0 -- validate -q book.xlsx
expect_status 1 -- validate long.xlsx
grep -qF "error: 发布机构 (issuer) is 101 characters long, more than the 100 it may have: shorten it [NB1030]" "$tmp/stderr" ||
    fail "workbook: $(cat "$tmp/stderr")"
grep -q "^long.xlsx" "$tmp/stderr" || fail "workbook: not located: $(cat "$tmp/stderr")"
