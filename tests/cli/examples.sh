#!/bin/sh
# The three published reports of examples/: they validate, render to valid
# OOXML, and the DOCX holds exactly the report: the title, then every line
# of tests/data/seeds/NAME.txt as one paragraph each, in order, then the one
# blank line and the signature (signer, and the date when there is one).
# The data types no ordinals: the template numbers sections, areas, items.
. "$(dirname "$0")/lib.sh"

need_validate_docx

# ordinals that must never start the text of an element: 一、 二、…
# (一) (二)… 一是 二是… 1. 2.… (1) (2)…, with ASCII and full-width
# punctuation. Alternations, not bracket expressions: LC_ALL=C matches bytes.
cn='(一|二|三|四|五|六|七|八|九|十)+'
ordinal="$cn(、|是)|(\\(|（)$cn(\\)|）)|[0-9]+(\\.|．|、)|(\\(|（)[0-9]+(\\)|）)"
start="<(p|text|lead|title|summary)>[[:space:]]*($ordinal)"

# norm: text compared with the width of punctuation ignored (the seed pages
# were captured with ASCII marks, the data has the full-width ones of the
# published reports), the title's line breaks (\n in docxdump) and the
# spaces that place the signature block (GB/T 9704-2012 7.3.5) dropped
norm() {
    sed -e 's/，/,/g; s/；/;/g; s/：/:/g; s/？/?/g; s/！/!/g; s/（/(/g; s/）/)/g' \
        -e 's/^\(　\| \)*//' -e 's/　/ /g' -e 's/\\n//g'
}

# xml_value FILE ELEMENT: the text of the first <ELEMENT> in FILE
xml_value() {
    sed -n "s:.*<$2>\\(.*\\)</$2>.*:\\1:p" "$1" | head -n 1
}

for name in jiangbei-2021 changshan-2022 liangjiang-2022; do
    xml="$NB_SRCDIR/examples/$name/report.xml"
    seed="$NB_DATA/seeds/$name.txt"
    docx="$tmp/$name.docx"
    [ -s "$seed" ] || fail "no seed $seed"

    # ---- validate, render, validate-docx ----
    expect_run 0 /dev/null -- validate "$xml"
    grep -q "^$xml: valid (sections: [0-9]*)\$" "$tmp/stdout" ||
        fail "validate $name: $(cat "$tmp/stdout")"
    expect_run 0 /dev/null -- render "$xml" -o "$docx"
    validate_docx "$docx"

    # ---- no ordinal typed in the data ----
    if tr '\n' ' ' < "$xml" | grep -Eo "$start" > "$tmp/ordinals"; then
        cat "$tmp/ordinals" >&2
        fail "$name: the report XML types ordinals (above); the template adds them"
    fi

    # ---- the paragraphs: title, the seed, blank, signature ----
    paragraphs "$docx" | norm > "$tmp/got"
    issuer=$(xml_value "$xml" issuer)
    year=$(xml_value "$xml" year)
    signer=$(xml_value "$xml" signer)
    [ -n "$signer" ] || signer=$issuer
    date=$(xml_value "$xml" date)
    [ -n "$issuer" ] && [ -n "$year" ] || fail "$name: no issuer or year in the XML"
    title=$(head -n 1 "$tmp/got")
    case $name in
    changshan-2022 | liangjiang-2022)
        [ "$title" = "$issuer${year}年度法治政府建设情况报告" ] ||
            fail "$name: title is '$title', expected '$issuer${year}年度法治政府建设情况报告'"
        ;;
    esac
    {
        # the seed starts with the title when the published report did
        [ "$(head -n 1 "$seed")" = "$title" ] || printf '%s\n' "$title"
        norm < "$seed"
        echo
        printf '%s\n' "$signer"
        if [ -n "$date" ]; then
            # 2023-02-08 -> 2023年2月8日 (cn_date: no zero padding)
            echo "$date" | sed 's/^\([0-9]*\)-0*\([0-9]*\)-0*\([0-9]*\)$/\1年\2月\3日/'
        fi
    } > "$tmp/want"
    if ! diff -u "$tmp/want" "$tmp/got" > "$tmp/diff"; then
        cut -c 1-200 "$tmp/diff" >&2
        fail "$name: the paragraphs of the DOCX are not title + seed + blank + signature (diff above: - expected, + actual)"
    fi
    # said separately: every seed line is a paragraph, in order
    norm < "$seed" > "$tmp/seed"
    i=0
    while IFS= read -r line; do
        i=$((i + 1))
        grep -qxF -- "$line" "$tmp/got" || fail "$name: seed line $i is not a paragraph"
    done < "$tmp/seed"
    # one empty paragraph only: the line before the signature
    [ "$(grep -c '^$' "$tmp/got")" -eq 1 ] || fail "$name: stray empty paragraphs"
    [ "$(grep -n '^$' "$tmp/got" | cut -d: -f1)" -eq "$(($(grep -c '' "$tmp/want") - $([ -n "$date" ] && echo 2 || echo 1)))" ] ||
        fail "$name: the empty paragraph is not right before the signature"
    # the ordinals come out of the template, in order
    grep -q '^一、' "$tmp/got" || fail "$name: no 一、 heading"
done
exit 0
