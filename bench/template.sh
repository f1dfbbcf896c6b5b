#!/bin/sh
# bench/template.sh: the merge engine on large loops, on demand (never part
# of `make check`).
#
#   bench/template.sh [BUILD_DIR] [ROWS] [AREAS]
#                     (default: build, 100000, 10000)
#
# Generates a report with one section of ROWS areas and a template whose
# table repeats a row per area (control rows {{#sections}} {{#areas}}), and
# a report of AREAS areas over five sections, each with two items,
# rendered with the standard template. Prints, for each, the time and peak
# RSS of `nianbao validate` (reading, schema, rules) and of `nianbao render`
# (the same plus the merge and the package), and the output's size.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../build}
rows=${2:-100000}
areas=${3:-10000}
. "$here/lib.sh"
command -v python3 >/dev/null || { echo "bench/template.sh: needs python3" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "bench/template.sh: needs /usr/bin/time (Debian package time)" >&2; exit 1; }

"$nb" export-template "$tmp/standard.docx"
python3 - "$tmp" "$rows" "$areas" <<'EOF'
import os, sys, zipfile
tmp, rows, areas = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])

def report(path, n_areas, n_sections, items):
    kinds = ["measures", "shortcomings", "duties", "plans", "other"]
    with open(path, "w", encoding="utf-8") as f:
        f.write('<?xml version="1.0" encoding="UTF-8"?>\n'
                '<report xmlns="urn:nianbao:report:1" version="1">\n'
                '<meta><issuer>某某市司法局</issuer><year>2022</year>'
                '<date>2023-02-08</date></meta>\n')
        per = n_areas // n_sections
        for s in range(n_sections):
            f.write('<section kind="%s">\n' % kinds[s % 5])
            if kinds[s % 5] == "plans":
                f.write('<title>2023年工作安排</title>\n')
            for a in range(per):
                f.write('<area><title>第%d项工作</title>' % (s * per + a + 1))
                if items:
                    f.write('<item><lead>强化组织领导</lead><text>健全工作机制,'
                            '压实工作责任,推动各项任务落实落地。</text></item>'
                            '<item><lead>狠抓工作落实</lead><text>对标对表,'
                            '逐项推进,确保取得实效。</text></item>')
                else:
                    f.write('<p>全年办理事项%d件,按期办结率100%%。</p>' % (a % 997))
                f.write('</area>\n')
            f.write('</section>\n')
        f.write('</report>\n')

# one section of 'rows' areas: the table loop's data (the rules want the
# four parts of art. 25: the work-summary profile is used for it)
report(os.path.join(tmp, "rows.xml"), rows, 1, False)
report(os.path.join(tmp, "areas.xml"), areas, 5, True)

# the table template: the standard one with a body of one table
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
def cell(t, w):
    return ('<w:tc><w:tcPr><w:tcW w:w="%d" w:type="dxa"/></w:tcPr>'
            '<w:p><w:r><w:t>%s</w:t></w:r></w:p></w:tc>' % (w, t))
def row(*cells):
    return '<w:tr>' + ''.join(cell(t, w) for t, w in cells) + '</w:tr>'
body = ('<w:tbl><w:tblPr><w:tblW w:w="8845" w:type="dxa"/></w:tblPr>'
        '<w:tblGrid><w:gridCol w:w="1200"/><w:gridCol w:w="7645"/></w:tblGrid>'
        + row(("序号", 1200), ("工作", 7645))
        + row(("{{#sections}}", 1200), ("", 7645))
        + row(("{{#areas}}", 1200), ("", 7645))
        + row(("{{n}}", 1200), ("{{title}}:{{text}}", 7645))
        + row(("{{/areas}}", 1200), ("", 7645))
        + row(("{{/sections}}", 1200), ("", 7645))
        + '</w:tbl><w:p/>')
doc = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
       '<w:document %s><w:body>%s<w:sectPr/></w:body></w:document>' % (W, body))
src = zipfile.ZipFile(os.path.join(tmp, "standard.docx"))
with zipfile.ZipFile(os.path.join(tmp, "table.docx"), "w", zipfile.ZIP_DEFLATED) as z:
    for i in src.infolist():
        data = src.read(i.filename)
        if i.filename == "word/document.xml":
            data = doc.encode("utf-8")
        z.writestr(i, data)
EOF
printf '%-34s | %9s | %10s | %10s\n' run "wall s" "peak RSS" "output"
printf '%s\n' "-----------------------------------+-----------+------------+-----------"
run() { # name output command...
    name=$1 out=$2
    shift 2
    /usr/bin/time -f '%e %M' -o "$tmp/time" "$@" > /dev/null 2> "$tmp/err" || {
        echo "bench/template.sh: $name failed:" >&2
        head -5 "$tmp/err" >&2
        exit 1
    }
    set -- $(tail -n 1 "$tmp/time")
    size=-
    [ -n "$out" ] && size="$(du -k "$out" | cut -f1) KB"
    printf '%-34s | %9s | %7s MB | %10s\n' "$name" "$1" \
        "$(awk -v k="$2" 'BEGIN { printf "%.1f", k / 1024 }')" "$size"
}
big="--limit=input=1G --limit=output=4G --profile=work-summary"
# shellcheck disable=SC2086
run "validate, $rows areas" "" "$nb" validate -q $big "$tmp/rows.xml"
# shellcheck disable=SC2086
run "render, $rows-row table loop" "$tmp/rows.docx" "$nb" render $big \
    "$tmp/rows.xml" -o "$tmp/rows.docx" --template "$tmp/table.docx"
# shellcheck disable=SC2086
run "validate, $areas areas" "" "$nb" validate -q $big "$tmp/areas.xml"
# shellcheck disable=SC2086
run "render, $areas areas (standard)" "$tmp/areas.docx" "$nb" render $big \
    "$tmp/areas.xml" -o "$tmp/areas.docx"
# the outputs hold what was asked: a row per area, a heading per area
python3 - "$tmp/rows.docx" "$rows" "$tmp/areas.docx" "$areas" <<'EOF2'
import sys, zipfile
rows = zipfile.ZipFile(sys.argv[1]).read("word/document.xml").decode()
got = rows.count("<w:tr>") + rows.count("<w:tr ")
assert got == int(sys.argv[2]) + 1, (got, sys.argv[2])
areas = zipfile.ZipFile(sys.argv[3]).read("word/document.xml").decode()
n = areas.count("项工作")
assert n == int(sys.argv[4]), (n, sys.argv[4])
print("checked: %d table rows, %d area headings" % (got, n))
EOF2
