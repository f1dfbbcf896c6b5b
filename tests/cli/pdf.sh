#!/bin/sh
# pdf.sh: render -o FILE.pdf through LibreOffice (found at run time): the
# three examples as PDF/A-2b with every font embedded (pdffonts), each
# carrying every line of its seed text; --pdf=plain; no LibreOffice: a
# clear message and exit 3; no temporary profile or soffice process left
# behind, also when the run is interrupted.
. "$(dirname "$0")/lib.sh"
need_libreoffice
need_python
command -v pdffonts > /dev/null 2>&1 || skip "pdffonts (poppler-utils) not found"
soffice=$(command -v "$NB_SOFFICE")
mkdir "$tmp/t"
export TMPDIR="$tmp/t" NIANBAO_SOFFICE="$soffice"

# every seed line is in the PDF's text: page numbers ("— 1 —") dropped,
# blanks and punctuation ignored (LibreOffice does not draw a mark that
# would hang past the right margin: tests/cli/libreoffice.sh)
cat > "$tmp/seed.py" <<'PY'
import re, sys, unicodedata
def flat(s):
    return "".join(c for c in s if not c.isspace() and not unicodedata.category(c).startswith("P"))
lines = open(sys.argv[1], encoding="utf-8").read().split("\n")
pdf = flat("".join(l for l in lines if not re.fullmatch(r"\s*—\s*\d+\s*—\s*", l)))
missing = [l for l in open(sys.argv[2], encoding="utf-8") if flat(l) and flat(l) not in pdf]
for l in missing[:5]:
    print("missing:", l.strip()[:60], file=sys.stderr)
sys.exit(1 if missing else 0)
PY

for name in jiangbei-2021 changshan-2022 liangjiang-2022; do
    expect_run 0 /dev/null -- render "$NB_SRCDIR/examples/$name/report.xml" -o "$tmp/$name.pdf"
    head -c 5 "$tmp/$name.pdf" | grep -q '%PDF-' || fail "$name.pdf is not a PDF"
    pdffonts "$tmp/$name.pdf" > "$tmp/fonts" || fail "pdffonts cannot read $name.pdf"
    [ "$(tail -n +3 "$tmp/fonts" | wc -l)" -gt 0 ] || fail "$name.pdf has no fonts"
    ! tail -n +3 "$tmp/fonts" | awk '{ if ($(NF-4) != "yes") print }' | grep -q . ||
        { cat "$tmp/fonts" >&2; fail "$name.pdf: a font is not embedded"; }
    grep -aq 'pdfaid:part' "$tmp/$name.pdf" || fail "$name.pdf is not PDF/A"
    "$NB_PDFTOTEXT" -enc UTF-8 "$tmp/$name.pdf" "$tmp/$name.txt" || fail "pdftotext failed"
    "$NB_PYTHON3" "$tmp/seed.py" "$tmp/$name.txt" "$NB_DATA/seeds/$name.txt" ||
        fail "$name.pdf lacks lines of its seed"
done
expect_run 0 /dev/null -- render "$NB_SRCDIR/examples/jiangbei-2021/report.xml" \
    --pdf=plain -o "$tmp/plain.pdf"
! grep -aq 'pdfaid:part' "$tmp/plain.pdf" || fail "--pdf=plain wrote PDF/A"
[ -z "$(ls -A "$tmp/t")" ] || fail "temporary files left: $(ls -A "$tmp/t")"

# render --batch --format pdf: every valid submission, one LibreOffice
# process for all (a wrapper counts its starts)
mkdir "$tmp/in"
for name in jiangbei-2021 changshan-2022 liangjiang-2022; do
    cp "$NB_SRCDIR/examples/$name/report.xml" "$tmp/in/$name.xml"
done
printf '#!/bin/sh\necho start >> "%s"\nexec "%s" "$@"\n' "$tmp/starts" "$soffice" > "$tmp/soffice"
chmod +x "$tmp/soffice"
NIANBAO_SOFFICE="$tmp/soffice" expect_status 0 -- render --batch "$tmp/in" -o "$tmp/out" --format pdf
[ "$(wc -l < "$tmp/starts")" -eq 1 ] || fail "render --batch started LibreOffice $(wc -l < "$tmp/starts") times"
for name in jiangbei-2021 changshan-2022 liangjiang-2022; do
    "$NB_PDFTOTEXT" -enc UTF-8 "$tmp/out/$name.pdf" "$tmp/b.txt" || fail "batch: no $name.pdf"
    "$NB_PYTHON3" "$tmp/seed.py" "$tmp/b.txt" "$NB_DATA/seeds/$name.txt" ||
        fail "batch: $name.pdf lacks lines of its seed"
done
# besides the PDFs only the batch's list of what it wrote (docs/inbox.md)
[ "$(ls -A "$tmp/out" | grep -vx ".nianbao-batch" | wc -l)" -eq 3 ] || fail "batch: more than the PDFs left: $(ls -A "$tmp/out")"
expect_status 2 -- render --batch "$tmp/in" -o "$tmp/out2" --format html
[ -z "$(ls -A "$tmp/t")" ] || fail "temporary files left: $(ls -A "$tmp/t")"

# no LibreOffice
NIANBAO_SOFFICE=/nonexistent/soffice expect_status 3 -- \
    render "$NB_SRCDIR/examples/jiangbei-2021/report.xml" -o "$tmp/none.pdf"
grep -q 'LibreOffice' "$tmp/stderr" || fail "no LibreOffice: no word on why"
[ ! -e "$tmp/none.pdf" ] || fail "no LibreOffice, yet a PDF"

# interrupted while LibreOffice runs: nothing left behind
"$NB_BIN" render "$NB_SRCDIR/examples/changshan-2022/report.xml" -o "$tmp/int.pdf" \
    2> "$tmp/int.log" &
pid=$!
i=0
while [ -z "$(ls -A "$tmp/t")" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
sleep 1
kill -TERM $pid
set +e
wait $pid
st=$?
set -e
[ "$st" -ne 0 ] || fail "an interrupted render exited 0"
[ ! -e "$tmp/int.pdf" ] || fail "an interrupted render wrote its PDF"
[ -z "$(ls -A "$tmp/t")" ] || fail "an interrupted render left $(ls -A "$tmp/t")"
! pgrep -f "$tmp/t/" > /dev/null || fail "an interrupted render left LibreOffice running"
exit 0
