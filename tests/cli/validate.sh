#!/bin/sh
# nianbao validate on the real files of tests/data/xml: every ok-*.xml is
# valid with no diagnostic; every bad-*.xml gives exactly the stderr of its
# bad-*.expect; warn-*.xml are valid with the warnings of their .expect.
# Paths in the .expect files are relative: the command runs from
# tests/data/xml.
. "$(dirname "$0")/lib.sh"

cd "$NB_DATA/xml"

# nothing here may change: checksums before, compared at the end
cksum ./*.xml > "$tmp/sums-before"

# sections FILE: the number of <section> elements (one per line here)
sections() {
    grep -c '<section[ />]' "$1"
}

# ---- ok-*.xml: valid, no diagnostics, "FILE: valid (N sections)" ----
n_ok=0
for f in ok-*.xml; do
    expect_run 0 /dev/null -- validate "$f"
    printf '%s: valid (sections: %s)\n' "$f" "$(sections "$f")" > "$tmp/want"
    expect_stdout "$tmp/want"
    n_ok=$((n_ok + 1))
done
[ "$n_ok" -ge 3 ] || fail "only $n_ok ok-*.xml files"
# the minimal one is minimal, and the full one has every element
grep -q '<section kind="measures"/>' ok-minimal.xml || fail "ok-minimal.xml changed"
for el in addressee signer doc-number index-number disclosure date title preamble \
          intro summary closing area item lead text metrics metric; do
    grep -q "<$el[ >]" ok-full.xml || fail "ok-full.xml lacks <$el>"
done
for attr in 'layout="run-in"' 'layout="heading"' 'layout="paragraph"' \
            'numbering="none"' 'numbering="auto"' 'unit=' 'note='; do
    grep -q "$attr" ok-full.xml || fail "ok-full.xml lacks $attr"
done
for kind in measures shortcomings duties plans other; do
    grep -q "<section kind=\"$kind\"" ok-full.xml || fail "ok-full.xml lacks kind $kind"
done

# all ok files at once, quietly: nothing at all
expect_run 0 /dev/null -- validate -q ok-*.xml
[ ! -s "$tmp/stdout" ] || fail "validate -q printed something for valid files"

# ---- bad-*.xml: exit 1, exactly the .expect, nothing on stdout ----
n_bad=0
for f in bad-*.xml; do
    expect="${f%.xml}.expect"
    [ -f "$expect" ] || fail "$f has no $expect"
    [ -s "$expect" ] || fail "$expect is empty"
    expect_run 1 "$expect" -- validate "$f"
    [ ! -s "$tmp/stdout" ] || fail "validate $f: something on stdout: $(cat "$tmp/stdout")"
    n_bad=$((n_bad + 1))
done
for e in bad-*.expect; do
    [ -f "${e%.expect}.xml" ] || fail "$e has no ${e%.expect}.xml"
done
[ "$n_bad" -ge 19 ] || fail "only $n_bad bad-*.xml files"

# the security cases: refused with NB2003 at the DOCTYPE, nothing expanded
# or fetched (the whole stderr is the one line of the .expect, checked
# above); and the same in JSON, where no entity text may appear either
for f in bad-doctype-entity.xml bad-billion-laughs.xml bad-xxe-file.xml bad-xxe-http.xml; do
    grep -q '\[NB2003\]$' "${f%.xml}.expect" || fail "${f%.xml}.expect is not NB2003"
    expect_run 1 /dev/null -- validate --diag=json "$f"
    [ "$(wc -l < "$tmp/stdout")" -eq 1 ] || fail "$f: not one JSON line"
    grep -q '"code":"NB2003"' "$tmp/stdout" || fail "$f: JSON is not NB2003"
    if grep -q -e 'root:' -e 'lollol' -e '某某县司法局' "$tmp/stdout"; then
        fail "$f: an entity was expanded: $(cat "$tmp/stdout")"
    fi
done

# ---- warn-*.xml: valid (exit 0) with the warnings of the .expect ----
for f in warn-*.xml; do
    expect_run 0 "${f%.xml}.expect" -- validate "$f"
    printf '%s: valid (sections: %s)\n' "$f" "$(sections "$f")" > "$tmp/want"
    expect_stdout "$tmp/want"
done

# ---- files that cannot be read: exit 3 ----
printf '%s\n' 'missing.xml: error: cannot open: No such file or directory [NB9001]' > "$tmp/want"
expect_run 3 "$tmp/want" -- validate missing.xml
# a folder is read as a form set; one with no forms says which are missing
mkdir "$tmp/empty-set"
cat > "$tmp/want" <<EOF
$tmp/empty-set: error: no meta.csv (基本信息.csv) in the form set (nianbao init makes a blank one) [NB1017]
$tmp/empty-set: error: no narrative.csv (正文.csv) in the form set (nianbao init makes a blank one) [NB1017]
EOF
expect_run 1 "$tmp/want" -- validate "$tmp/empty-set"
printf '%s\n' 'missing/: error: cannot open: No such file or directory [NB9001]' > "$tmp/want"
expect_run 3 "$tmp/want" -- validate missing/

# ---- several files in one run: every one is reported ----
expect_run 1 bad-date.expect -- validate ok-minimal.xml bad-date.xml
printf '%s\n' 'ok-minimal.xml: valid (sections: 1)' > "$tmp/want"
expect_stdout "$tmp/want"

cat bad-root.expect bad-section-kind.expect > "$tmp/want"
expect_run 1 "$tmp/want" -- validate bad-section-kind.xml ok-minimal.xml bad-root.xml
printf '%s\n' 'ok-minimal.xml: valid (sections: 1)' > "$tmp/want"
expect_stdout "$tmp/want"

# a file that cannot be read wins (exit 3), and the others are still checked
{ cat bad-date.expect; echo 'missing.xml: error: cannot open: No such file or directory [NB9001]'; } > "$tmp/want"
expect_run 3 "$tmp/want" -- validate missing.xml ok-minimal.xml bad-date.xml
printf '%s\n' 'ok-minimal.xml: valid (sections: 1)' > "$tmp/want"
expect_stdout "$tmp/want"

# ---- --diag=json: one object per line on stdout, nothing on stderr ----
expect_run 1 /dev/null -- validate --diag=json bad-date.xml
cat > "$tmp/want" <<'EOF'
{"file":"bad-date.xml","line":6,"col":0,"severity":"error","code":"NB4001","name":"XSD_INVALID","message":"<date> '2023-02-30' is not a date: write 2023-02-08 or 2023年2月8日"}
EOF
expect_stdout "$tmp/want"

# quotes in a message are escaped; a valid file prints nothing in JSON
expect_run 1 /dev/null -- validate --diag=json ok-minimal.xml bad-root.xml
cat > "$tmp/want" <<'EOF'
{"file":"bad-root.xml","line":3,"col":0,"severity":"error","code":"NB2006","name":"XML_NOT_REPORT","message":"root element is <document>, expected <report xmlns=\"urn:nianbao:report:1\">"}
EOF
expect_stdout "$tmp/want"

# every line of a long JSON run parses, when python3 is there
expect_run 1 /dev/null -- validate --diag=json bad-*.xml warn-*.xml
# (the text-only hints, "nianbao: ...", are not diagnostics)
[ "$(wc -l < "$tmp/stdout")" -eq "$(cat bad-*.expect warn-*.expect | grep -vc '^nianbao: ')" ] ||
    fail "--diag=json: not one line per diagnostic"
if [ -n "${NB_PYTHON3:-}" ] && [ "$NB_PYTHON3" != no ] && command -v "$NB_PYTHON3" > /dev/null 2>&1; then
    "$NB_PYTHON3" -c '
import json, sys
keys = ["file", "line", "col", "severity", "code", "name", "message"]
for n, line in enumerate(open(sys.argv[1], encoding="utf-8"), 1):
    d = json.loads(line)
    missing = [k for k in keys if k not in d]
    if missing:
        sys.exit("line %d lacks %s" % (n, missing))
' "$tmp/stdout" || fail "--diag=json output is not valid JSON lines"
fi

# ---- validate never modifies its input ----
cp ok-full.xml "$tmp/copy.xml"
sum "$tmp/copy.xml" > "$tmp/copy-before"
expect_run 0 /dev/null -- validate "$tmp/copy.xml"
sum "$tmp/copy.xml" | cmp -s - "$tmp/copy-before" || fail "validate changed its input"
# "-" reads standard input
"$NB_BIN" validate - < ok-minimal.xml > "$tmp/stdin-out" || fail "validate - failed"
printf '%s\n' '-: valid (sections: 1)' | cmp -s - "$tmp/stdin-out" ||
    fail "validate - printed: $(cat "$tmp/stdin-out")"
"$NB_BIN" validate - < bad-date.xml 2> "$tmp/stdin-err" && fail "bad stdin accepted"
grep -q '^-:[0-9]*: error: .*\[NB4001\]$' "$tmp/stdin-err" ||
    fail "stdin diagnostic not located as '-': $(cat "$tmp/stdin-err")"

cksum ./*.xml > "$tmp/sums-after"
diff -u "$tmp/sums-before" "$tmp/sums-after" >&2 || fail "validate changed files in tests/data/xml"
exit 0
