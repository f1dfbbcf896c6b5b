#!/bin/sh
# nianbao render with the built-in template: valid and reproducible output,
# nothing written on errors, inputs never overwritten, I/O failures (exit 3)
# that leave no temporary file and no half-written document behind.
. "$(dirname "$0")/lib.sh"

need_validate_docx

examples="jiangbei-2021 changshan-2022 liangjiang-2022"
out="$tmp/out"
mkdir "$out"

# no_temp DIR: no "*.tmp-*" file left in DIR
no_temp() {
    for _f in "$1"/*.tmp-* "$1"/.*.tmp-*; do
        [ -e "$_f" ] && fail "temporary file left behind: $_f"
    done
    return 0
}

# ---- the examples: exit 0, silent, valid OOXML, reproducible ----
for e in $examples; do
    in="$NB_SRCDIR/examples/$e/report.xml"
    sum "$in" > "$tmp/in-before"
    expect_run 0 /dev/null -- render "$in" -o "$out/$e.docx"
    [ ! -s "$tmp/stdout" ] || fail "render $e printed on stdout"
    [ -s "$out/$e.docx" ] || fail "render $e wrote nothing"
    validate_docx "$out/$e.docx"
    # determinism: the same input gives the same bytes
    expect_run 0 /dev/null -- render "$in" -o "$out/$e-again.docx"
    cmp "$out/$e.docx" "$out/$e-again.docx" || fail "render $e is not reproducible"
    # the long option spelling does the same
    expect_run 0 /dev/null -- render --output="$out/$e-long.docx" "$in"
    cmp "$out/$e.docx" "$out/$e-long.docx" || fail "render --output= differs from -o"
    # the input is never changed
    sum "$in" | cmp -s - "$tmp/in-before" || fail "render changed its input $in"
done
no_temp "$out"

# the exported standard template gives the same document as the built-in one
expect_run 0 /dev/null -- export-template "$tmp/standard.docx"
expect_run 0 /dev/null -- render "$NB_SRCDIR/examples/changshan-2022/report.xml" \
    -t "$tmp/standard.docx" -o "$out/via-export.docx"
cmp "$out/changshan-2022.docx" "$out/via-export.docx" ||
    fail "render --template standard.docx differs from the built-in template"

# parts copied unchanged keep the template's deflate streams; a template
# stored without compression gives the same parts, deflated
if [ -n "${NB_PYTHON3:-}" ] && [ "$NB_PYTHON3" != no ]; then
    "$NB_PYTHON3" - "$tmp/standard.docx" "$tmp/stored.docx" <<'EOF2' ||
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as src, \
        zipfile.ZipFile(sys.argv[2], "w", zipfile.ZIP_STORED) as out:
    for i in src.infolist():
        out.writestr(i.filename, src.read(i), zipfile.ZIP_STORED)
EOF2
        fail "cannot repack the template stored"
    expect_run 0 /dev/null -- render "$NB_SRCDIR/examples/changshan-2022/report.xml" \
        -t "$tmp/stored.docx" -o "$out/via-stored.docx"
    validate_docx "$out/via-stored.docx"
    "$NB_PYTHON3" - "$tmp/standard.docx" "$out/via-export.docx" \
        "$out/via-stored.docx" <<'EOF2' || fail "parts not copied as stored"
import struct, sys, zipfile
def streams(path):
    """name -> (method, the stored bytes, the unpacked bytes)"""
    with open(path, "rb") as f:
        raw = f.read()
    z = zipfile.ZipFile(path)
    out = {}
    for i in z.infolist():
        n, m = struct.unpack("<HH", raw[i.header_offset + 26:i.header_offset + 30])
        start = i.header_offset + 30 + n + m
        out[i.filename] = (i.compress_type, raw[start:start + i.compress_size],
                           z.read(i))
    return out
tpl, exp, sto = (streams(p) for p in sys.argv[1:])
for name in ("word/styles.xml", "word/fontTable.xml", "[Content_Types].xml"):
    assert exp[name][1] == tpl[name][1], name + ": stream not the template's"
assert exp["word/document.xml"][1] != tpl["word/document.xml"][1]
assert list(exp) == list(sto)
for name in exp:
    assert sto[name][0] == zipfile.ZIP_DEFLATED, name + " not deflated"
    assert sto[name][2] == exp[name][2], name + " differs"
EOF2
fi

# the data files: every ok-*.xml renders to valid OOXML
cd "$NB_DATA/xml"
for f in ok-*.xml; do
    expect_run 0 /dev/null -- render "$f" -o "$out/${f%.xml}.docx"
    validate_docx "$out/${f%.xml}.docx"
done

# ---- errors in the report: exit 1, the diagnostics, nothing written ----
mkdir "$out/err"
for f in bad-date.xml bad-many.xml bad-malformed.xml bad-xxe-file.xml bad-billion-laughs.xml; do
    expect_run 1 "${f%.xml}.expect" -- render "$f" -o "$out/err/report.docx"
    [ ! -e "$out/err/report.docx" ] || fail "render $f wrote a document"
done
# an existing output is left alone when the report has errors
echo "previous" > "$out/err/report.docx"
expect_run 1 bad-date.expect -- render bad-date.xml -o "$out/err/report.docx"
[ "$(cat "$out/err/report.docx")" = previous ] || fail "render bad-date.xml replaced the old output"
rm "$out/err/report.docx"
# JSON diagnostics go to stdout
expect_run 1 /dev/null -- render --diag=json bad-date.xml -o "$out/err/report.docx"
grep -q '^{"file":"bad-date.xml","line":6,.*"code":"NB4001"' "$tmp/stdout" ||
    fail "render --diag=json: $(cat "$tmp/stdout")"
[ -z "$(ls -A "$out/err")" ] || fail "files left after failed renders: $(ls -A "$out/err")"

# ---- never overwrite an input ----
cd "$tmp"
cp "$NB_DATA/xml/ok-minimal.xml" in.xml
sum in.xml > in.sum
printf '%s\n' "in.xml: error: refusing to write over 'in.xml', which this run reads: write the output elsewhere [NB9050]" > want
expect_run 2 want -- render in.xml -o in.xml
printf '%s\n' "./in.xml: error: refusing to write over 'in.xml', which this run reads: write the output elsewhere [NB9050]" > want
expect_run 2 want -- render in.xml -o ./in.xml
printf '%s\n' "$tmp/in.xml: error: refusing to write over 'in.xml', which this run reads: write the output elsewhere [NB9050]" > want
expect_run 2 want -- render in.xml -o "$tmp/in.xml"
ln -s in.xml link.xml
printf '%s\n' "link.xml: error: refusing to write over 'in.xml', which this run reads: write the output elsewhere [NB9050]" > want
expect_run 2 want -- render in.xml -o link.xml
sum in.xml | cmp -s - in.sum || fail "render overwrote its input"
[ -L link.xml ] || fail "render replaced the symbolic link to its input"
# nor the template
cp "$tmp/standard.docx" t.docx
sum t.docx > t.sum
printf '%s\n' "t.docx: error: refusing to write over 't.docx', which this run reads: write the output elsewhere [NB9050]" > want
expect_run 2 want -- render in.xml -t t.docx -o t.docx
sum t.docx | cmp -s - t.sum || fail "render overwrote its template"
no_temp "$tmp"

# ---- output folder missing: exit 3, the message names the path ----
printf '%s\n' 'nope/out.docx: error: cannot create the output: No such file or directory [NB9003]' > want
expect_run 3 want -- render in.xml -o nope/out.docx
[ ! -e nope ] || fail "render created the missing folder"

# ---- output is a folder: exit 3, no temporary file left next to it ----
mkdir adir
printf '%s\n' 'adir: error: cannot write the output: Is a directory [NB9003]' > want
expect_run 3 want -- render in.xml -o adir
[ -z "$(ls -A adir)" ] || fail "render wrote into the folder"
no_temp "$tmp"

# ---- output folder read-only: exit 3, nothing written ----
mkdir ro
chmod 555 ro
if ( : > ro/probe ) 2>/dev/null; then
    # root ignores permissions: use a folder where nobody can create files
    rm -f ro/probe
    echo "note: running as root; /proc stands in for a read-only folder" >&2
    expect_status 3 -- render in.xml -o /proc/nianbao-render-test.docx
    grep -q '^/proc/nianbao-render-test.docx: error: cannot create the output: .* \[NB9003\]$' \
        "$tmp/stderr" || fail "read-only folder: $(cat "$tmp/stderr")"
    [ "$(wc -l < "$tmp/stderr")" -eq 1 ] || fail "read-only folder: more than one message"
else
    printf '%s\n' 'ro/out.docx: error: cannot create the output: Permission denied [NB9003]' > want
    expect_run 3 want -- render in.xml -o ro/out.docx
    [ -z "$(ls -A ro)" ] || fail "render wrote into a read-only folder"
fi
chmod 755 ro

# ---- disk full: a file-size limit makes write() fail with EFBIG ----
mkdir full
echo "old document" > full/out.docx
size=$(wc -c < "$out/ok-full.docx")
if [ "$size" -gt 4096 ] && (ulimit -f 4) 2>/dev/null; then
    printf '%s\n' 'full/out.docx: error: cannot write the output: File too large [NB9003]' > want
    # SIGXFSZ ignored, so write() returns EFBIG instead of killing
    (
        trap '' XFSZ
        ulimit -f 4
        expect_run 3 want -- render "$NB_DATA/xml/ok-full.xml" -o full/out.docx
    )
    [ "$(cat full/out.docx)" = "old document" ] || fail "a failed write damaged the old output"
    [ "$(ls -A full)" = out.docx ] || fail "files left after a failed write: $(ls -A full)"
else
    echo "note: cannot lower the file-size limit here; disk-full case left out" >&2
fi

# ---- an existing output is replaced whole ----
head -c 200000 /dev/zero | tr '\0' 'x' > big.docx
expect_run 0 /dev/null -- render "$NB_DATA/xml/ok-full.xml" -o big.docx
cmp big.docx "$out/ok-full.docx" || fail "the old output was not replaced whole"
# a plain create's mode (umask), not mkstemp's 0600
umask 022
expect_run 0 /dev/null -- render in.xml -o mode.docx
ls -l mode.docx | grep -q '^-rw-r--r--' || fail "output mode is $(ls -l mode.docx)"
validate_docx mode.docx
no_temp "$tmp"

sum in.xml | cmp -s - in.sum || fail "render changed its input"
exit 0
