#!/bin/sh
# bench/publish.sh: the time to publish a report in each format, on demand
# (never part of `make check`).
#
#   bench/publish.sh [BUILD_DIR]      (default: build)
#
# Per bundled example: the web page and the text rendered in process
# (median and p90 of 1,000 renders of an already-read report, templates
# compiled once; target under 2 ms), and the PDF through LibreOffice as
# one command (`nianbao render -o X.pdf`, one LibreOffice start-up per
# report, median of 3). Then `render --batch --format pdf` over the three
# examples copied 4 times (12 reports in one LibreOffice process): the
# time per report.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../build}
. "$here/lib.sh"

printf '%-16s | %-18s | %-18s | %-14s\n' report "HTML ms (med/p90)" \
    "text ms (med/p90)" "PDF s (single)"
printf '%s\n' "-----------------+--------------------+--------------------+---------------"
mkdir "$tmp/in"
for x in "$here"/../examples/*/report.xml; do
    name=$(basename "$(dirname "$x")")
    set -- $("$bench" formats 1000 "$x")
    html_med=$1 html_p90=$2 text_med=$3 text_p90=$4
    set -- $("$bench" exec 3 -- "$nb" render "$x" -o "$tmp/$name.pdf")
    printf '%-16s | %7s / %-8s | %7s / %-8s | %14.2f\n' "$name" \
        "$html_med" "$html_p90" "$text_med" "$text_p90" \
        "$(awk "BEGIN { print $1 / 1000 }")"
    for k in 1 2 3 4; do cp "$x" "$tmp/in/$name-$k.xml"; done
done
n=$(ls "$tmp/in" | wc -l)
# the copies are duplicates of each other (NB8003 warnings): not shown
set -- $("$bench" exec 1 -- sh -c '"$0" render --batch "$1" -o "$2" --format pdf -q 2>/dev/null' \
    "$nb" "$tmp/in" "$tmp/out")
printf '\nrender --batch --format pdf: %d reports in %.2f s, %.2f s per report (one LibreOffice process)\n' \
    "$n" "$(awk "BEGIN { print $1 / 1000 }")" "$(awk "BEGIN { print $1 / 1000 / $n }")"
