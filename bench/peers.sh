#!/bin/sh
# bench/peers.sh: nianbao beside docxtemplater and python-docx-template,
# on demand (never part of `make check`).
#
#   bench/peers.sh [BUILD_DIR] [RUNS] [LOOPS]    (default: build, 30, 200)
#
# The same report data (bench/peers/make.py: a 17-page report with a
# 30-row table, and ten and a hundred times as much) is merged by the three
# engines into equivalent templates ({{ }} tags for nianbao and
# docxtemplater, Jinja tags for python-docx-template), and the outputs are
# checked to hold the same paragraphs. For each engine it prints:
#   - the whole command (RUNS runs): median wall time, median CPU time
#     (user + system, from wait4), peak RSS;
#   - in process (LOOPS loads and renders, the data parsed once): the
#     median time of loading the template and rendering the document into
#     a deflated package, for the report and its x10 and x100 versions;
#   - the ratios of each peer's command CPU time and in-process time to
#     nianbao's.
# CPU times are steadier than wall times on a shared machine; the load
# average is printed before and after.
#
# Needs python3, node and npm, and Debian's python3-docxtpl (for
# /usr/bin/python3). docxtemplater and pizzip are installed with npm into
# bench/peers/node_modules (not committed) at the versions below, unless
# already there.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../build}
runs=${2:-30}
loops=${3:-200}
DOCXTEMPLATER=3.71.1
PIZZIP=3.3.0
peers=$here/peers
py=/usr/bin/python3

for c in python3 node npm; do
    command -v "$c" > /dev/null ||
        { echo "bench/peers.sh: needs $c" >&2; exit 1; }
done
"$py" -c 'import docxtpl' 2> /dev/null || {
    echo "bench/peers.sh: needs python-docx-template for $py:" \
        "apt-get install python3-docxtpl" >&2
    exit 1
}
installed() { # the version of npm package $1 in bench/peers, or nothing
    sed -n 's/^ *"version": "\(.*\)",*$/\1/p' \
        "$peers/node_modules/$1/package.json" 2> /dev/null | head -n 1
}
if [ "$(installed docxtemplater)" != "$DOCXTEMPLATER" ] ||
    [ "$(installed pizzip)" != "$PIZZIP" ]; then
    echo "bench/peers.sh: installing docxtemplater@$DOCXTEMPLATER and" \
        "pizzip@$PIZZIP into $peers/node_modules" >&2
    npm install --silent --no-save --no-audit --no-fund --prefix "$peers" \
        "docxtemplater@$DOCXTEMPLATER" "pizzip@$PIZZIP" >&2
fi

. "$here/lib.sh"
"$nb" export-template "$tmp/standard.docx"
"$py" "$peers/make.py" "$tmp/standard.docx" "$tmp"
cd "$tmp"

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
# the whole command, once to check the output, then timed
"$nb" render --data data.json -t braces.docx -o nianbao.docx
node "$peers/docxtemplater.js" once braces.docx data.json docxtemplater.docx
"$py" "$peers/docxtpl_run.py" once jinja.docx data.json docxtpl.docx
"$py" - nianbao.docx docxtemplater.docx docxtpl.docx <<'EOF'
import re, sys, zipfile
def paragraphs(path):
    xml = zipfile.ZipFile(path).read("word/document.xml").decode("utf-8")
    return [''.join(re.findall(r'<w:t(?: [^>]*)?>([^<]*)</w:t>', p))
            for p in re.findall(r'<w:p[ >].*?</w:p>', xml, re.S)]
want = paragraphs(sys.argv[1])
for path in sys.argv[2:]:
    got = paragraphs(path)
    assert got == want, "%s: not the paragraphs nianbao wrote" % path
print("checked: the three documents hold the same %d paragraphs "
      "(%d characters)" % (len(want), sum(len(p) for p in want)))
EOF
cmd_nb=$("$bench" exec "$runs" -- "$nb" render --data data.json \
    -t braces.docx -o nianbao.docx)
cmd_dt=$("$bench" exec "$runs" -- node "$peers/docxtemplater.js" once \
    braces.docx data.json docxtemplater.docx)
cmd_py=$("$bench" exec "$runs" -- "$py" "$peers/docxtpl_run.py" once \
    jinja.docx data.json docxtpl.docx)

# in process: "median p90 cpu_per_render peak_rss" for data$1.json
inproc() { # ENGINE SUFFIX LOOPS
    case $1 in
    nianbao) "$bench" data "$3" braces.docx "data$2.json" ;;
    docxtemplater) node "$peers/docxtemplater.js" loop "$3" braces.docx \
        "data$2.json" ;;
    docxtpl) "$py" "$peers/docxtpl_run.py" loop "$3" jinja.docx \
        "data$2.json" ;;
    esac
}
fewer() { # LOOPS / $1, at least 5
    awk -v n="$loops" -v d="$1" 'BEGIN { n = int(n / d); print n < 5 ? 5 : n }'
}
for e in nianbao docxtemplater docxtpl; do
    eval "in1_$e=\"\$(inproc $e '' $loops)\""
    eval "in10_$e=\"\$(inproc $e 10 $(fewer 10))\""
    eval "in100_$e=\"\$(inproc $e 100 $(fewer 100))\""
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

field() { echo "$1" | cut -d' ' -f"$2"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", a / b }'; }
mb() { awk -v k="$1" 'BEGIN { printf "%.0f", k / 1024 }'; }
echo
echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(sed -n 's/^model name[^:]*: //p' \
    /proc/cpuinfo | head -n 1), $(nproc) cores; load average $load_before" \
    "before, $load_after after"
echo "node $(node --version), python $("$py" -c 'import sys; print(sys.version.split()[0])'); $runs runs of each command, $loops in-process renders (x10: $(fewer 10), x100: $(fewer 100))"
echo
printf '| %-22s | %9s | %9s | %6s | %9s | %9s | %9s | %9s | %7s | %7s |\n' \
    engine "cmd ms" "cmd CPU" "RSS MB" "x1 ms" "x1 CPU" "x10 ms" "x100 ms" \
    "cmd CPU" "x1 ms"
printf '| %-22s | %9s | %9s | %6s | %9s | %9s | %9s | %9s | %7s | %7s |\n' \
    "" "(median)" "(median)" "(peak)" "(in-proc)" "(in-proc)" "(in-proc)" \
    "(in-proc)" "ratio" "ratio"
printf '|%s|\n' "------------------------|-----------|-----------|--------|-----------|-----------|-----------|-----------|---------|---------"
row() { # NAME CMD_RESULT ENGINE
    eval "i1=\$in1_$3 i10=\$in10_$3 i100=\$in100_$3"
    printf '| %-22s | %9s | %9s | %6s | %9s | %9s | %9s | %9s | %7s | %7s |\n' \
        "$1" "$(field "$2" 1)" "$(field "$2" 4)" "$(mb "$(field "$2" 3)")" \
        "$(field "$i1" 1)" "$(field "$i1" 3)" "$(field "$i10" 1)" \
        "$(field "$i100" 1)" "$(ratio "$(field "$2" 4)" "$(field "$cmd_nb" 4)")" \
        "$(ratio "$(field "$i1" 1)" "$(field "$in1_nianbao" 1)")"
}
row "nianbao $("$nb" --version | cut -d' ' -f2)" "$cmd_nb" nianbao
row "docxtemplater $DOCXTEMPLATER" "$cmd_dt" docxtemplater
row "docxtpl $("$py" -c 'import docxtpl; print(docxtpl.__version__)')" \
    "$cmd_py" docxtpl
echo
echo "nianbao's render alone (the template loaded once): x1 $(field "$in1_nianbao" 5) ms," \
    "x10 $(field "$in10_nianbao" 5) ms, x100 $(field "$in100_nianbao" 5) ms"
