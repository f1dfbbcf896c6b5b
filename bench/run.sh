#!/bin/sh
# bench/run.sh: render-time and memory benchmark of nianbao, on demand
# (never part of `make check`).
#
#   bench/run.sh [BUILD_DIR]      (default: build)
#
# For each bundled example it prints: the whole-process render time
# (`nianbao render`, median and p90 of 20 runs) with its peak RSS, and the
# in-process time of one render (median and p90 over 1,000 renders in one
# process, template compiled once), the in-process read+validate+rules+render
# time, and the process's peak RSS.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../build}
. "$here/lib.sh"

printf '%-16s | %-22s | %-9s | %-22s | %-14s | %-9s\n' \
    report "command ms (med/p90)" "cmd RSS" "in-process ms (med/p90)" \
    "read+render ms" "inproc RSS"
printf '%s\n' "-----------------+------------------------+-----------+------------------------+----------------+----------"
for x in "$here"/../examples/*/report.xml; do
    name=$(basename "$(dirname "$x")")
    set -- $("$bench" exec 20 -- "$nb" render "$x" -o "$tmp/$name.docx")
    cmd_med=$1 cmd_p90=$2 cmd_rss=$3
    set -- $("$bench" inproc 1000 "$x")
    printf '%-16s | %8s / %-11s | %6s KB | %8s / %-11s | %14s | %6s KB\n' \
        "$name" "$cmd_med" "$cmd_p90" "$cmd_rss" "$1" "$2" "$4" "$3"
done
