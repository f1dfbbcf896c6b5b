#!/bin/sh
# bench/import.sh: import speed and memory, on demand (never part of
# `make check`).
#
#   bench/import.sh [BUILD_DIR]      (default: build)
#
# Builds a 100-page draft (about 60,000 characters: the three examples'
# rendered text, their parts repeated) as .txt, as a typed Word draft and as
# an article page (tests/data/import/mkdraft.py), then times
# `nianbao import DRAFT -o OUT.xml` (whole process, median and p90 of 20
# runs) and prints the peak RSS against the input's size. The aims: under
# 30 ms, memory under ten times the input.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../build}
. "$here/lib.sh"

for x in "$here"/../examples/*/report.xml; do
    "$nb" render "$x" -o "$tmp/$(basename "$(dirname "$x")").docx"
done
"$build/tests/tools/docxdump" --paragraphs "$tmp/changshan-2022.docx" > "$tmp/one.txt"
{
    head -n 1 "$tmp/one.txt"
    i=0
    while [ "$(wc -m < "$tmp/body.txt" 2> /dev/null || echo 0)" -lt 60000 ]; do
        for f in "$tmp"/*.docx; do
            "$build/tests/tools/docxdump" --paragraphs "$f" | sed '1d;$d' | sed '$d'
        done >> "$tmp/body.txt"
        i=$((i + 1))
    done
    cat "$tmp/body.txt"
    tail -n 2 "$tmp/one.txt"
} > "$tmp/draft.txt"
python3 "$here/../tests/data/import/mkdraft.py" docx "$tmp/draft.txt" "$tmp/draft.docx"
python3 "$here/../tests/data/import/mkdraft.py" html "$tmp/draft.txt" "$tmp/draft.html"

printf '%-11s | %9s | %10s | %-20s | %9s | %s\n' draft chars "bytes" \
    "import ms (med/p90)" "peak RSS" "RSS/input (growth over tiny.txt / input)"
printf '%s\n' "------------+-----------+------------+----------------------+-----------+----------"
chars=$(wc -m < "$tmp/draft.txt")
printf '某县2023年度法治政府建设情况报告\n' > "$tmp/tiny.txt"
set -- $("$bench" exec 20 -- "$nb" import "$tmp/tiny.txt" -o "$tmp/tiny.xml")
base_rss=$3
for f in draft.txt draft.docx draft.html; do
    bytes=$(wc -c < "$tmp/$f")
    set -- $("$bench" exec 20 -- "$nb" import "$tmp/$f" -o "$tmp/$f.xml")
    printf '%-11s | %9s | %10s | %8s / %-9s | %6s KB | %s\n' "$f" "$chars" \
        "$bytes" "$1" "$2" "$3" "$(awk -v r="$3" -v z="$base_rss" -v b="$bytes" 'BEGIN { printf "%.1f", (r - z) * 1024 / b }')"
done
# the baseline: the same process importing a one-line draft (start-up,
# libraries, the catalog); the table's last column is the growth over it
printf '某县2023年度法治政府建设情况报告\n' > "$tmp/tiny.txt"
set -- $("$bench" exec 20 -- "$nb" import "$tmp/tiny.txt" -o "$tmp/tiny.xml")
printf '%-11s | %9s | %10s | %8s / %-9s | %6s KB |\n' "tiny.txt" 17 \
    "$(wc -c < "$tmp/tiny.txt")" "$1" "$2" "$3"
