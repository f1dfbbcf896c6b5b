#!/bin/sh
# fuzz/run.sh BUILD SECONDS [NAME...]: run each libFuzzer harness (default:
# all six) for SECONDS on its seed corpus (fuzz/corpus.sh) with the
# dictionary, in BUILD (configured with --enable-fuzzing), and print a
# table: harness, seconds, executions, executions per second, corpus
# size, result. Exits 1 when a harness found a crash, a leak or a hang;
# the input is then BUILD/fuzz-work/NAME-crash-*, to be kept in
# fuzz/regress/NAME/ once fixed. The work folder keeps the grown corpus
# between runs.
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "$1" && pwd)
secs=$2
shift 2
[ $# -gt 0 ] || set -- report_xml csv_form tmpl_tags docx_template render xlsx \
    import_txt import_html import_docx
make -C "$build" --no-print-directory -s $(for n in "$@"; do printf 'fuzz/fuzz_%s ' "$n"; done)
work="$build/fuzz-work"
mkdir -p "$work"
status=0
printf '%-14s | %7s | %11s | %9s | %7s | %s\n' harness seconds executions "exec/s" corpus result
printf '%s\n' '---------------+---------+-------------+-----------+---------+-------'
for name in "$@"; do
    corpus="$work/$name"
    [ -d "$corpus" ] || "$src/fuzz/corpus.sh" "$build" "$name" "$corpus"
    log="$work/$name.log"
    if ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
        "$build/fuzz/fuzz_$name" -max_total_time="$secs" -timeout=10 \
        -rss_limit_mb=2048 -max_len=1048576 -dict="$src/fuzz/nianbao.dict" \
        -artifact_prefix="$work/$name-crash-" -print_final_stats=1 \
        "$corpus" > "$log" 2>&1; then
        result=ok
    else
        result="FAILED (see $log)"
        status=1
    fi
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
    printf '%-14s | %7s | %11s | %9s | %7s | %s\n' "$name" "$secs" \
        "${execs:-?}" "${rate:-?}" "$(ls "$corpus" | wc -l)" "$result"
done
exit $status
