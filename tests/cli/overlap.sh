#!/bin/sh
# No output of a run can replace one of its inputs (NB9050): the forms
# inside a set, local catalogs, templates, last year's report, lists of
# offices, through symbolic and hard links, and outputs inside a folder
# the run reads or inputs inside a folder it writes into. Each is refused
# before anything is written, and every input keeps its bytes.
. "$(dirname "$0")/lib.sh"

cd "$tmp"
ex="$NB_SRCDIR/examples/changshan-2022/report.xml"
nb convert "$ex" -o forms > /dev/null
cp "$ex" report.xml
mkdir subs
cp "$ex" subs/changshan.xml
nb indicators > /dev/null
cat > loc.xml <<'XML'
<indicators xmlns="urn:nianbao:indicators:1" version="1">
  <indicator code="x_local_count" type="count" unit="件" group="本地" name="本地计数"/>
</indicators>
XML
nb export-template t.docx
find . -type f ! -name before.sum ! -name after.sum ! -name stdout ! -name stderr | sort | xargs sha256sum > before.sum

refused() { # OUTPUT_SHOWN -- ARGS: exit 2, an NB9050 line naming OUTPUT
    _out=$1
    shift 2
    expect_status 2 -- "$@"
    grep -q "^$_out: error: .*\[NB9050\]$" "$tmp/stderr" ||
        fail "nianbao $*: no NB9050 for $_out: $(cat "$tmp/stderr")"
}

refused forms/meta.csv -- render forms -o forms/meta.csv
refused forms/narrative.csv -- convert forms -o forms/narrative.csv
ln forms/metrics.csv hard.csv
refused hard.csv -- render forms -o hard.csv
ln -s forms/meta.csv soft.csv
refused soft.csv -- convert forms -o soft.csv
refused loc.xml -- convert --indicators loc.xml report.xml -o loc.xml
refused loc.xml -- render --indicators=loc.xml report.xml -o loc.xml
refused report.xml -- render --previous report.xml subs/changshan.xml -o report.xml
refused loc.xml -- inbox subs --indicators loc.xml --csv loc.xml
refused loc.xml -- aggregate subs -o loc.xml --indicators loc.xml
refused loc.xml -- render --batch subs -o out --json loc.xml --indicators loc.xml
refused t.docx -- render --batch subs -o out -t t.docx --csv t.docx
# outputs inside a folder of submissions, and a folder written into that
# holds an input (the template under a submission's name)
refused subs/summary.csv -- inbox subs --csv subs/summary.csv
refused subs/out -- render --batch subs -o subs/out
mkdir out
cp t.docx out/changshan.docx
refused out -- render --batch subs -o out -t out/changshan.docx
refused offices.csv -- inbox subs --expect offices.csv --docx offices.csv
# one file given as two outputs
refused s.csv -- inbox subs --csv s.csv --json s.csv
rm -f hard.csv soft.csv out/changshan.docx
rmdir out
find . -type f ! -name before.sum ! -name after.sum ! -name stdout ! -name stderr | sort | xargs sha256sum > after.sum; diff before.sum after.sum >&2 ||
    fail "a refused run changed a file"
[ ! -e s.csv ] && [ ! -e subs/summary.csv ] || fail "a refused run wrote a summary"

# what is not an overlap still runs: an output beside the forms, in a
# new folder, and a form set rendered into its own folder under a new name
expect_status 0 -- render forms -o forms/report.docx
expect_status 0 -- inbox subs --csv summary.csv --json summary.json
exit 0
