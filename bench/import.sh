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
# runs, and the least CPU time, which a shared machine's load does not
# inflate) and prints the peak RSS, its growth over `nianbao --version`
# (the libraries mapped: what any process of nianbao holds) and over a
# one-line draft of the same format (tiny.txt, tiny.docx: the code that
# reads the format, the catalog), each against the file's size and its
# text's XML (a .docx's word/document.xml unpacked). The same text is also imported as the
# standard template renders it (rendered.docx: Word-like markup, styles).
# Then nb_import_file alone, in process (render_bench import). The aims:
# under 30 ms, memory under ten times the input.
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
    : > "$tmp/body.txt"
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

# the same text as Word-like markup: the typed draft imported and rendered
# to the standard template (styles, runs with their properties)
"$nb" import "$tmp/draft.txt" -o "$tmp/draft.xml" 2> /dev/null
"$nb" render "$tmp/draft.xml" -o "$tmp/rendered.docx" --allow NB5012 \
    2> /dev/null
chars=$(wc -m < "$tmp/draft.txt")
printf '%-13s | %6s | %7s | %7s | %-16s | %6s | %8s | %-23s | %s\n' draft chars \
    "file B" "xml B" "wall ms med/p90" "CPU ms" "peak RSS" "over --version (/file, /xml)" \
    "over tiny (/file, /xml)"
printf '%s\n' "--------------+--------+---------+---------+------------------+--------+----------+-----------------------------+------------------------"
# the baselines: the process that reads nothing (the libraries mapped,
# the locale), and a one-line draft of each format (the code that reads
# it, the catalog)
set -- $("$bench" exec 20 -- "$nb" --version | tail -n 1)
base_rss=$3
printf '%-13s | %6s | %7s | %7s | %7s / %-7s | %6s | %5s KB |\n' \
    "--version" - - - "$1" "$2" "$5" "$3"
printf '某县2023年度法治政府建设情况报告\n' > "$tmp/tiny.txt"
python3 "$here/../tests/data/import/mkdraft.py" docx "$tmp/tiny.txt" "$tmp/tiny.docx"
ratio() { # growth bytes xml
    awk -v g="$1" -v b="$2" -v x="$3" \
        'BEGIN { printf "%5d KB (%.1f, %.1f)", g, g * 1024 / b, g * 1024 / x }'
}
for f in tiny.txt tiny.docx draft.txt draft.docx rendered.docx draft.html; do
    bytes=$(wc -c < "$tmp/$f")
    case $f in
    *.docx) xml=$(unzip -p "$tmp/$f" word/document.xml | wc -c) ;;
    *) xml=$bytes ;;
    esac
    n=$chars
    case $f in tiny.*) n=17 ;; esac
    set -- $("$bench" exec 20 -- "$nb" import "$tmp/$f" -o "$tmp/$f.xml")
    case $f in
    tiny.txt) tiny_txt=$3 tiny=- ;;
    tiny.docx) tiny_docx=$3 tiny=- ;;
    *.docx) tiny=$(ratio $(($3 - tiny_docx)) "$bytes" "$xml") ;;
    *) tiny=$(ratio $(($3 - tiny_txt)) "$bytes" "$xml") ;;
    esac
    printf '%-13s | %6s | %7s | %7s | %7s / %-7s | %6s | %5s KB | %s | %s\n' \
        "$f" "$n" "$bytes" "$xml" "$1" "$2" "$5" "$3" \
        "$(ratio $(($3 - base_rss)) "$bytes" "$xml")" "$tiny"
done
# the import itself, in process (nb_import_file: read, structure, figures;
# no process start-up, no output written)
printf '\n%-13s | %s\n' draft "nb_import_file in process, ms med / p90 (20 runs)"
for f in draft.txt draft.docx rendered.docx draft.html; do
    set -- $("$bench" import 20 "$tmp/$f" 2> /dev/null)
    printf '%-13s | %7s / %s\n' "$f" "$1" "$2"
done
