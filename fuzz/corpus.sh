#!/bin/sh
# fuzz/corpus.sh BUILD NAME OUTDIR: fill OUTDIR with the seed corpus of the
# harness NAME (fuzz/README.md): the project's own example and test files
# of the kind the harness reads, and fuzz/regress/NAME/, the inputs that
# once failed. Nothing is copied into the source tree.
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
build=$1 name=$2 out=$3
mkdir -p "$out"
n=0
put() { # put FILE [PREFIX-BYTE]: one seed
    n=$((n + 1))
    if [ $# -gt 1 ]; then
        { printf "\\$(printf '%03o' "$2")"; cat "$1"; } > "$out/seed-$n"
    else
        cp "$1" "$out/seed-$n"
    fi
}
case $name in
report_xml|render)
    for f in "$src"/examples/*/report.xml "$src"/tests/data/xml/*.xml \
            "$src"/tests/data/rules/*.xml; do
        put "$f"
    done ;;
csv_form)
    # the first byte picks the form: 0 meta, 1 narrative, 2 metrics
    for d in "$src"/tests/data/forms/*/ "$src"/examples/liangjiang-2022/forms/ \
            "$src"/tests/data/rules/forms-refs/; do
        for f in "$d"meta.csv "$d"基本信息.csv; do [ -f "$f" ] && put "$f" 0; done
        for f in "$d"narrative.csv "$d"正文.csv; do [ -f "$f" ] && put "$f" 1; done
        for f in "$d"metrics.csv "$d"指标.csv; do [ -f "$f" ] && put "$f" 2; done
    done
    put "$src/tests/data/forms/bad-metrics.csv" 2 ;;
xlsx)
    # 0: a whole workbook (Calc's saves, zipped here); 1: a sheet's XML
    for d in "$src"/tests/data/xlsx/calc-*/; do
        "$build/tools/mkzip" "$d" "$out/.book.xlsx"
        put "$out/.book.xlsx" 0
        rm -f "$out/.book.xlsx"
        for f in "$d"xl/worksheets/*.xml; do put "$f" 1; put "$f" 3; done
    done ;;
tmpl_tags)
    # the text of the test templates' documents, tags and all
    for f in "$src"/tests/data/templates/*/word/document.xml \
            "$src"/templates/standard/word/document.xml; do
        sed -e 's/<[^>]*>//g' "$f" > "$out/text-$n"
        n=$((n + 1))
    done ;;
docx_template)
    [ -f "$build/templates/standard.docx" ] && put "$build/templates/standard.docx"
    for d in "$src"/tests/data/templates/*/; do
        n=$((n + 1))
        "$build/tools/mkzip" "$d" "$out/tmpl-$n.docx" 2>/dev/null || rm -f "$out/tmpl-$n.docx"
    done ;;
import_txt)
    for f in "$src"/tests/data/seeds/*.txt "$src"/tests/data/import/*.txt; do
        put "$f"
    done ;;
import_html|import_docx)
    # the drafts tests/cli/import.sh builds, made from the test drafts
    kind=${name#import_}
    for f in "$src"/tests/data/import/*.txt "$src"/tests/data/seeds/*.txt; do
        n=$((n + 1))
        python3 "$src/tests/data/import/mkdraft.py" "$kind" "$f" \
            "$out/draft-$n.$kind" 2>/dev/null || rm -f "$out/draft-$n.$kind"
    done
    [ "$kind" = docx ] && python3 "$src/tests/data/import/mkdraft.py" auto \
        "$out/auto.docx" 2>/dev/null
    [ "$kind" = docx ] && [ -f "$build/templates/standard.docx" ] &&
        put "$build/templates/standard.docx"
    : ;;
*)
    echo "corpus.sh: no harness '$name'" >&2
    exit 2 ;;
esac
for f in "$src/fuzz/regress/$name"/*; do
    [ -f "$f" ] && put "$f"
done
exit 0
