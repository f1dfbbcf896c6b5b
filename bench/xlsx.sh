#!/bin/sh
# bench/xlsx.sh: workbook reading speed and memory, and the time of
# `nianbao init --xlsx`, on demand (never part of `make check`).
#
#   bench/xlsx.sh [BUILD_DIR [MB...]]     (defaults: build, 25 100 200)
#
# Generates a bureau's metrics workbook (one sheet 指标: 填报单位,
# 指标代码, 数值; offices and codes as shared strings, as Excel saves
# them) with a sheet of each MB megabytes unpacked, and times `nianbao
# validate` on each (3 runs, whole process): CPU seconds (user + system;
# the least and the median, since other load on the machine inflates
# wall time), MB/s of sheet XML by the least CPU time, and peak RSS,
# which must not grow with the rows. Then `init --xlsx` (20 runs).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../build}
[ $# -gt 0 ] && shift
[ $# -gt 0 ] || set -- 25 100 200
sizes=$*
. "$here/lib.sh"

"$nb" indicators | cut -f 1,2 > "$tmp/codes"

# gen BYTES OUT: the workbook; prints the sheet's unpacked size
gen() {
    python3 - "$1" "$2" "$tmp/codes" << 'PY'
import random, sys, zipfile
size, out, codes = int(sys.argv[1]), sys.argv[2], [
    l.split("\t") for l in open(sys.argv[3]).read().split("\n") if l]
random.seed(1)
NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
RNS = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
T = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
strings = ["填报单位", "指标代码", "数值"] + [c for c, _ in codes]
index = {s: i for i, s in enumerate(strings)}
rows, n, written, office = [], 1, 0, 0
rows.append('<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v>'
            '</c><c r="C1" t="s"><v>2</v></c></row>')
while written < size:
    office += 1
    name = "某省第%d县司法局" % office
    index[name] = len(strings)
    strings.append(name)
    for code, typ in codes:
        n += 1
        v = "%.1f" % (random.random() * 100) if typ == "rate" else str(
            random.randint(0, 5000))
        r = ('<row r="%d"><c r="A%d" t="s"><v>%d</v></c><c r="B%d" t="s">'
             '<v>%d</v></c><c r="C%d"><v>%s</v></c></row>'
             % (n, n, index[name], n, index[code], n, v))
        rows.append(r)
        written += len(r)
sheet = ('<?xml version="1.0" encoding="UTF-8"?><worksheet %s><sheetData>'
         % NS + "".join(rows) + "</sheetData></worksheet>")
sst = "<sst %s>" % NS + "".join("<si><t>%s</t></si>" % s for s in strings) + "</sst>"
with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("_rels/.rels", '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="r1" Type="%sofficeDocument" Target="xl/workbook.xml"/></Relationships>' % T)
    z.writestr("xl/workbook.xml", '<workbook %s %s><sheets><sheet name="指标" sheetId="1" r:id="r1"/></sheets></workbook>' % (NS, RNS))
    z.writestr("xl/_rels/workbook.xml.rels", '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="r1" Type="%sworksheet" Target="worksheets/sheet1.xml"/><Relationship Id="r2" Type="%ssharedStrings" Target="sharedStrings.xml"/></Relationships>' % (T, T))
    z.writestr("xl/sharedStrings.xml", sst)
    z.writestr("xl/worksheets/sheet1.xml", sheet)
print(len(sheet.encode()), n)
PY
}

printf '%-19s | %8s | %9s | %-17s | %7s | %9s\n' input "sheet MB" rows \
    "CPU s (min/med)" "MB/s" "peak RSS"
printf '%s\n' "--------------------+----------+-----------+-------------------+---------+-----------"
for mb in $sizes; do
    f="metrics-${mb}M.xlsx"
    set -- $(gen $((mb * 1048576)) "$tmp/$f")
    bytes=$1 rows=$2
    set -- $("$bench" exec 3 -- "$nb" validate -q "$tmp/$f")
    awk -v name="$f" -v b="$bytes" -v rows="$rows" -v cmed="$4" -v cmin="$5" \
        -v rss="$3" 'BEGIN {
        printf "%-19s | %8.1f | %9d | %7.2f / %-7.2f | %7.1f | %6d KB\n",
            name, b / 1048576, rows, cmin / 1000, cmed / 1000,
            b / 1048576 / (cmin / 1000), rss }'
    rm -f "$tmp/$f"
done
echo
set -- $("$bench" exec 20 -- sh -c "rm -f '$tmp/blank.xlsx'; exec '$nb' init --xlsx '$tmp/blank.xlsx' > /dev/null")
printf 'init --xlsx: %.1f ms CPU median (%.1f least), %.1f ms wall median, %.1f p90 (whole process, with sh), peak RSS %d KB\n' "$4" "$5" "$1" "$2" "$3"
set -- $("$bench" exec 20 -- sh -c "exec '$nb' --version > /dev/null")
printf 'nianbao --version: %.1f ms CPU median, %.1f ms wall median (process start with sh, for comparison)\n' "$4" "$1"
