#!/bin/sh
# Form sets through a real spreadsheet program: the forms nianbao writes
# are opened in LibreOffice Calc, saved as .xlsx, reopened and saved back
# as CSV, once as UTF-8 and once as GB18030 (what Calc, Excel and WPS do
# when a clerk edits and saves). Calc quotes every text cell, writes
# numbers bare and drops the BOM; nianbao must read what it writes and
# render the same document as the report XML.
. "$(dirname "$0")/lib.sh"

case ${NB_SOFFICE:-no} in
"" | no) skip "LibreOffice (soffice) not found" ;;
esac
command -v "$NB_SOFFICE" > /dev/null 2>&1 || skip "LibreOffice not found at '$NB_SOFFICE'"

# soffice ARGS...: headless, own profile, bounded time
soffice() {
    timeout 300 "$NB_SOFFICE" "-env:UserInstallation=file://$tmp/lo" \
        --headless "$@" > "$tmp/soffice.log" 2>&1 ||
        { cat "$tmp/soffice.log" >&2; fail "soffice $*"; }
}

examples="jiangbei-2021 changshan-2022 liangjiang-2022"
mkdir "$tmp/flat" "$tmp/xlsx" "$tmp/utf8" "$tmp/gbk"
for ex in $examples; do
    expect_run 0 /dev/null -- convert "$NB_SRCDIR/examples/$ex/report.xml" -o "$tmp/$ex"
    for f in meta narrative metrics; do
        cp "$tmp/$ex/$f.csv" "$tmp/flat/$ex-$f.csv"
    done
done
# 44 comma, 34 quote, 76 UTF-8, 85 GB18030 (LibreOffice's CSV filter tokens)
soffice --infilter="Text - txt - csv (StarCalc):44,34,76,1" \
    --convert-to xlsx --outdir "$tmp/xlsx" "$tmp"/flat/*.csv
[ -n "$(ls "$tmp/xlsx")" ] || skip "this LibreOffice has no Calc (Debian: libreoffice-calc-nogui)"
soffice --convert-to 'csv:Text - txt - csv (StarCalc):44,34,76,1' \
    --outdir "$tmp/utf8" "$tmp"/xlsx/*.xlsx
soffice --convert-to 'csv:Text - txt - csv (StarCalc):44,34,85,1' \
    --outdir "$tmp/gbk" "$tmp"/xlsx/*.xlsx

for ex in $examples; do
    expect_run 0 /dev/null -- render "$NB_SRCDIR/examples/$ex/report.xml" -o "$tmp/$ex.docx"
    for enc in utf8 gbk; do
        set=$tmp/$ex-calc-$enc
        mkdir "$set"
        for f in meta narrative metrics; do
            [ -s "$tmp/$enc/$ex-$f.csv" ] || fail "Calc wrote no $enc/$ex-$f.csv"
            cp "$tmp/$enc/$ex-$f.csv" "$set/$f.csv"
        done
        # Calc rewrote the files: they are not the bytes nianbao wrote
        ! cmp -s "$set/narrative.csv" "$tmp/$ex/narrative.csv" ||
            fail "$ex: Calc's $enc narrative.csv is byte for byte nianbao's"
        expect_run 0 /dev/null -- validate "$set"
        expect_run 0 /dev/null -- render "$set" -o "$set.docx"
        cmp "$tmp/$ex.docx" "$set.docx" ||
            fail "$ex: the form set saved by Calc ($enc) renders differently"
    done
done
exit 0
