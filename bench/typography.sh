#!/bin/sh
# bench/typography.sh: what the typography check (NB5100-NB5108) adds to
# validate, on a report of about 10 MB, on demand (never part of
# `make check`).
#
#   bench/typography.sh [BUILD_DIR]      (default: build)
#
# Builds a report XML of the size given (the paragraphs of
# examples/changshan-2022 repeated, half of them with ASCII commas so that
# the check has findings to report), then prints a table: the report's
# size, the medians of 5 runs (CPU time) of reading it (XML + XSD), of the rules with
# the typography check (what validate runs), and of the typography check
# alone, and what the check adds to validate's time in percent; and the
# time of `nianbao validate` as a command.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../build}
. "$here/lib.sh"
make -C "$build" --no-print-directory -s bench/typo_bench
typo="$build/bench/typo_bench"
[ -x "$build/bench/.libs/typo_bench" ] && typo="$build/bench/.libs/typo_bench"

# report MB KIND FILE: a valid report of about MB megabytes, its text
# clean (every text scanned to its end) or messy (half of the paragraphs
# with ASCII commas: findings until the list of diagnostics is full)
report() {
    awk -v mb="$1" -v kind="$2" '
    BEGIN {
        p = "统筹推进法治建设，召开全面依法治县委员会会议2次，研究部署年度重点任务；" \
            "印发《法治政府建设工作要点》（试行），“一把手”负责制全面落实。"
        q = p; if (kind == "messy") gsub("，", ",", q)
        print "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
        print "<report xmlns=\"urn:nianbao:report:1\" version=\"1\">"
        print "  <meta><issuer>某某县司法局</issuer><year>2022</year>"
        print "    <date>2023-02-08</date><profile>work-summary</profile></meta>"
        print "  <section kind=\"measures\">"
        bytes = 0; a = 0
        while (bytes < mb * 1048576) {
            print "    <area><title>坚持依法行政，提升决策水平" a++ "</title>"
            for (i = 0; i < 20; i++) {
                line = "      <p>" (i % 2 ? q : p) "</p>"
                print line
                bytes += length(line) + 1
            }
            print "      <item><lead>强化组织领导</lead><text>" p "</text></item>"
            print "    </area>"
        }
        print "  </section>"
        print "</report>"
    }' > "$3"
}

printf '%-14s | %-9s | %-9s | %-9s | %-9s | %-8s | %s\n' report "read ms" \
    "rules ms" "typo ms" "validate" "adds" "nianbao validate (cmd, med of 5)"
printf '%s\n' "---------------+-----------+-----------+-----------+-----------+----------+---------------------------------"
for run in "1 clean" "10 clean" "10 messy"; do
    set -- $run
    mb=$1 kind=$2
    report "$mb" "$kind" "$tmp/r.xml"
    size=$(wc -c < "$tmp/r.xml")
    set -- $("$typo" 5 "$tmp/r.xml")
    read_ms=$1 rules_ms=$2 typo_ms=$3
    # validate = read + rules (rules include the typography check)
    set -- $(awk -v r="$read_ms" -v u="$rules_ms" -v t="$typo_ms" \
        'BEGIN { v = r + u; printf "%.2f %.1f", v, 100 * t / (v - t) }')
    val=$1 adds=$2
    set -- $("$bench" exec 5 -- sh -c "exec '$nb' validate -q '$tmp/r.xml' 2>/dev/null")
    printf '%-14s | %9s | %9s | %9s | %9s | %7s%% | %s ms\n' \
        "$((size / 1048576)) MB $kind" "$read_ms" "$rules_ms" "$typo_ms" "$val" \
        "$adds" "$1"
done
