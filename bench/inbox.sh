#!/bin/sh
# bench/inbox.sh: a province's folder of submissions, on demand (never part
# of `make check`).
#
#   bench/inbox.sh [BUILD_DIR] [COUNT]      (default: build, 10000)
#   bench/inbox.sh BUILD_DIR COUNT,... docx  (e.g. build 1000,10000 docx)
#
# docx: Word drafts of different offices (bench/docx_inbox.py): 120
# reports from the examples, each another office, year and scale of its
# figures, rendered; each also as a typed draft (ordinals in the text,
# headings bold) and as a draft with automatic numbering; then COUNT
# copies of these 360, each renamed to an office of its own (document.xml
# rewritten in a copy of the zip). Times `inbox` on the first COUNT of
# them with one and with all processors: wall and CPU seconds, peak RSS,
# milliseconds per submission, and how many were valid.
#
# Generates COUNT synthetic submissions from the bundled examples, a third
# each as report XML (常山), GB18030 form sets (两江) and zipped XML (江北),
# each with its own issuer and its figures scaled by a whole factor (so
# parts, wholes and stated rates stay consistent), then times `inbox`,
# `aggregate` and `render --batch` on them with 1 and with all processors,
# and prints the wall time, the throughput and the peak RSS of each run.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../build}
count=${2:-10000}
. "$here/lib.sh"
mode=${3:-xml}
command -v python3 >/dev/null || { echo "bench/inbox.sh: needs python3" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "bench/inbox.sh: needs /usr/bin/time (Debian package time)" >&2; exit 1; }

if [ "$mode" = docx ]; then
    counts=$(echo "$count" | tr ',' ' ')
    max=0
    for n in $counts; do [ "$n" -gt "$max" ] && max=$n; done
    gen=$(date +%s.%N)
    python3 "$here/docx_inbox.py" reports "$here/../examples" "$tmp/rep" 120
    "$nb" render --batch "$tmp/rep" -o "$tmp/ren" --no-progress > /dev/null 2>&1
    mkdir "$tmp/txt"
    for f in "$tmp"/ren/*.docx; do
        "$build/tests/tools/docxdump" --paragraphs "$f" \
            > "$tmp/txt/$(basename "$f" .docx).txt"
    done
    python3 "$here/docx_inbox.py" drafts "$tmp/ren" "$tmp/txt" "$tmp/tpl"
    python3 "$here/docx_inbox.py" copies "$tmp/tpl" "$tmp/all" "$max"
    gen=$(awk -v a="$gen" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
    echo "$max .docx submissions from $(ls "$tmp/tpl" | wc -l) templates" \
        "($(du -sh "$tmp/all" | cut -f1) on disk) generated in $gen s;" \
        "$(nproc) processors"
    printf '%6s | %4s | %7s | %7s | %8s | %8s | %8s | %s\n' N jobs "wall s" \
        "CPU s" "peak RSS" "ms/sub" "CPU ms" valid
    printf '%s\n' "-------+------+---------+---------+----------+----------+----------+------"
    for n in $counts; do
        rm -rf "$tmp/in"
        mkdir "$tmp/in"
        ls "$tmp/all" | head -n "$n" | while read -r f; do
            ln "$tmp/all/$f" "$tmp/in/$f"
        done
        for j in 1 "$(nproc)"; do
            /usr/bin/time -f '%e %U %S %M' -o "$tmp/time" "$nb" inbox \
                "$tmp/in" -j "$j" --no-progress -q --json "$tmp/s.json" \
                > /dev/null 2>&1 || true
            set -- $(cat "$tmp/time")
            valid=$(grep -c "\"status\": *\"valid\"" "$tmp/s.json" || true)
            printf '%6s | %4s | %7s | %7s | %5s MB | %8s | %8s | %s\n' "$n" \
                "$j" "$1" "$(awk -v u="$2" -v s="$3" 'BEGIN { print u + s }')" \
                "$(awk -v k="$4" 'BEGIN { printf "%.1f", k / 1024 }')" \
                "$(awk -v n="$n" -v s="$1" 'BEGIN { printf "%.2f", s * 1000 / n }')" \
                "$(awk -v n="$n" -v u="$2" -v s="$3" 'BEGIN { printf "%.2f", (u + s) * 1000 / n }')" \
                "$valid"
        done
    done
    exit 0
fi

python3 - "$here/../examples" "$tmp/in" "$count" <<'EOF'
import os, re, sys, zipfile
ex, out, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
os.makedirs(out)
xml = open(os.path.join(ex, "changshan-2022/report.xml"), encoding="utf-8").read()
jb = open(os.path.join(ex, "jiangbei-2021/report.xml"), encoding="utf-8").read()
forms = {n: open(os.path.join(ex, "liangjiang-2022/forms", n), "rb").read()
         for n in ("meta.csv", "narrative.csv", "metrics.csv")}

def scale_xml(text, k):
    # exact whole figures only: "1万余" and rates stay as written
    def one(m):
        code, attrs, value = m.group(1), m.group(2), m.group(3)
        if value.isdigit() and not code.endswith("_rate"):
            value = str(int(value) * k)
        return '<metric code="%s"%s>%s</metric>' % (code, attrs, value)
    return re.sub(r'<metric code="([a-z0-9_]+)"([^>]*)>([^<]*)</metric>', one, text)

def scale_csv(raw, k):
    rows = raw.decode("gb18030").split("\r\n") if b"\r\n" in raw else raw.decode("gb18030").split("\n")
    res = [rows[0]]
    for r in rows[1:]:
        cells = r.split(",")
        if len(cells) > 2 and cells[1].isdigit() and not cells[0].endswith("_rate"):
            cells[1] = str(int(cells[1]) * k)
        res.append(",".join(cells))
    return "\r\n".join(res).encode("gb18030")

for i in range(count):
    k = 1 + i % 7
    kind = i % 3
    if kind == 0:
        t = scale_xml(xml, k).replace("常山县司法局", "第%05d号县司法局" % i)
        open(os.path.join(out, "x%05d.xml" % i), "w", encoding="utf-8").write(t)
    elif kind == 1:
        d = os.path.join(out, "f%05d" % i)
        os.makedirs(d)
        for n, raw in forms.items():
            if n == "meta.csv":
                raw = raw.decode("gb18030").replace("两江新区司法局", "第%05d号新区司法局" % i).encode("gb18030")
            elif n == "metrics.csv":
                raw = scale_csv(raw, k)
            open(os.path.join(d, n), "wb").write(raw)
    else:
        t = scale_xml(jb, k).replace("江北区司法局", "第%05d号区司法局" % i)
        with zipfile.ZipFile(os.path.join(out, "z%05d.zip" % i), "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr("report.xml", t)
EOF
# the generated submissions must all be valid, or the timings mean nothing
"$nb" inbox -q --no-progress "$tmp/in" > "$tmp/check" 2>&1 || {
    echo "bench/inbox.sh: the synthetic submissions do not validate:" >&2
    head -20 "$tmp/check" >&2
    exit 1
}
cpus=$(nproc)
echo "$count submissions ($(du -sh "$tmp/in" | cut -f1) on disk), $cpus processors"
printf '%-28s | %4s | %9s | %12s | %10s\n' run jobs "wall s" "per second" "peak RSS"
printf '%s\n' "-----------------------------+------+-----------+--------------+-----------"
run() { # name jobs command...
    name=$1 jobs=$2
    shift 2
    rm -rf "$tmp/out"
    /usr/bin/time -f '%e %M' -o "$tmp/time" "$@" -j "$jobs" --no-progress \
        > /dev/null 2>&1 || true
    set -- $(cat "$tmp/time")
    printf '%-28s | %4s | %9s | %12s | %7s MB\n' "$name" "$jobs" "$1" \
        "$(awk -v n="$count" -v s="$1" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }')" \
        "$(awk -v k="$2" 'BEGIN { printf "%.1f", k / 1024 }')"
}
for j in 1 "$cpus"; do
    run "inbox --csv --json" "$j" "$nb" inbox "$tmp/in" --csv "$tmp/s.csv" --json "$tmp/s.json"
    run "aggregate" "$j" "$nb" aggregate "$tmp/in" -o "$tmp/t.csv"
    run "render --batch" "$j" "$nb" render --batch "$tmp/in" -o "$tmp/out"
done
