#!/bin/sh
# bench/forms.sh: CSV form reading speed and memory, on demand (never part
# of `make check`).
#
#   bench/forms.sh [BUILD_DIR] [MB]     (defaults: build, 1024)
#
# Generates a metrics sheet the way a bureau collects one: many offices,
# each with every indicator of the catalog (填报单位,指标代码,数值,单位,备注),
# MB megabytes of it as UTF-8 with a BOM and an eighth of that as GB18030,
# both with CRLF. Then times `nianbao validate` on each (median and p90 of
# 3 runs, whole process) and prints MB/s and peak RSS; memory must not grow
# with the file. Last, the three bundled reports as form sets: `render`
# of the form set against `render` of the report XML.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../build}
mb=${2:-1024}
. "$here/lib.sh"

# gen BYTES: a metrics sheet of about BYTES bytes on stdout (UTF-8)
gen() {
    "$nb" indicators | awk -F '\t' -v bytes="$1" '
        { code[NR] = $1; type[NR] = $2; unit[NR] = $3 }
        END {
            srand(1)
            printf "\357\273\277填报单位,指标代码,数值,单位,备注\r\n"
            size = 0
            for (o = 1; size < bytes; o++) {
                office = "某省第" o "县司法局"
                for (i = 1; i <= NR; i++) {
                    if (type[i] == "rate")
                        v = sprintf("%.1f", rand() * 100)
                    else if (type[i] == "amount")
                        v = sprintf("%.2f", rand() * 1000)
                    else
                        v = int(rand() * 5000)
                    line = office "," code[i] "," v "," unit[i] ",\r\n"
                    printf "%s", line
                    size += length(line)
                }
            }
        }'
}

gen $((mb * 1048576)) > "$tmp/metrics-utf8.csv"
gen $((mb * 1048576 / 8)) | tail -c +4 | iconv -f UTF-8 -t GB18030 > "$tmp/metrics-gb18030.csv"

printf '%-28s | %9s | %-20s | %9s | %10s\n' input "MB" "seconds (med/p90)" "MB/s" "peak RSS"
printf '%s\n' "-----------------------------+-----------+----------------------+-----------+-----------"
for f in metrics-utf8 metrics-gb18030; do
    bytes=$(wc -c < "$tmp/$f.csv")
    set -- $("$bench" exec 3 -- "$nb" validate -q "$tmp/$f.csv")
    awk -v name="$f.csv" -v b="$bytes" -v med="$1" -v p90="$2" -v rss="$3" 'BEGIN {
        printf "%-28s | %9.1f | %8.2f / %-9.2f | %9.1f | %7d KB\n",
            name, b / 1048576, med / 1000, p90 / 1000, b / 1048576 / (med / 1000), rss }'
done
echo
printf '%-28s | %-22s | %-22s\n' "report" "render XML ms (med/p90)" "render forms ms (med/p90)"
printf '%s\n' "-----------------------------+------------------------+-------------------------"
for x in "$here"/../examples/*/report.xml; do
    name=$(basename "$(dirname "$x")")
    "$nb" convert "$x" -o "$tmp/$name-forms" > /dev/null
    set -- $("$bench" exec 20 -- "$nb" render "$x" -o "$tmp/$name.docx")
    xml="$1 / $2"
    set -- $("$bench" exec 20 -- "$nb" render "$tmp/$name-forms" -o "$tmp/$name-f.docx")
    printf '%-28s | %-22s | %-22s\n' "$name" "$xml" "$1 / $2"
done
