#!/bin/sh
# A second hostile review, each case through the CLI: what a form set may
# open (links out of it, pipes), locale independence (tr_TR case folding,
# GB18030 messages), control characters in what a person reads, names
# that differ only by invisible characters, temporary files, modes kept,
# and the attributes libxml2 checks quadratically. Files are made here.
. "$(dirname "$0")/lib.sh"

cd "$tmp"
forms="$NB_DATA/forms/ok-utf8"
report="$NB_DATA/xml/ok-small.xml"

# ---- (a) a form set opens only its own regular files ----
printf 'SECRET-OUTSIDE,x\r\n' > outside.csv
mkdir in
cp -r "$forms" in/a
rm in/a/meta.csv
ln -s "$tmp/outside.csv" in/a/meta.csv
expect_status 1 -- validate in/a
grep -q "in/a/meta.csv: error: .*outside the form set.*\[NB9009\]" "$tmp/stderr" ||
    fail "a link out of a form set is not reported: $(cat "$tmp/stderr")"
expect_status 1 -- inbox --json "$tmp/inbox.json" --csv "$tmp/inbox.csv" in
grep -q SECRET "$tmp/stdout" inbox.json inbox.csv && fail "inbox leaks the outside file"
grep -q 'NB9009' inbox.json || fail "inbox --json does not say why"
expect_status 1 -- aggregate -o totals.csv in
grep -q SECRET "$tmp/stdout" totals.csv && fail "aggregate leaks the outside file"
mkdir docs
expect_status 1 -- render --batch in -o docs
[ -e docs/a.docx ] && fail "render --batch rendered a set with a link out"
# a link between the set's own files is still followed
cp -r "$forms" ok
mv ok/meta.csv ok/meta.orig
ln -s meta.orig ok/meta.csv
expect_run 0 /dev/null -- validate -q ok
# a pipe named as a form stalls nothing
rm in/a/meta.csv
mkfifo in/a/meta.csv
run_timeout "$NB_BIN" validate in/a > out 2> err && fail "a pipe as meta.csv passed"
grep -q "in/a/meta.csv: error: not a regular file.*\[NB9010\]" err ||
    fail "a pipe as a form: $(cat err)"
expect_status 1 -- inbox in
rm -r in/a
# the sharding recipe's top-level links are kept
mkdir part
ln -s "$NB_DATA/forms/ok-utf8" part/a
expect_status 0 -- inbox part

# ---- (f) nothing depends on LC_CTYPE but the message text ----
mkdir loc
if command -v localedef > /dev/null 2>&1 &&
    localedef -i tr_TR -f UTF-8 "$tmp/loc/tr_TR.UTF-8" > /dev/null 2>&1; then
    mkdir tr
    cp "$report" tr/A.XML
    cp -r "$forms" tr/b
    mv tr/b/metrics.csv tr/b/METRICS.CSV
    printf 'OFFICE\r\n某某县司法局\r\n' > expect.csv
    LOCPATH="$tmp/loc" LC_ALL=tr_TR.UTF-8 "$NB_BIN" inbox --expect expect.csv tr > out 2> err ||
        true
    grep -q '^A.XML .*valid' out || fail "tr_TR: A.XML is not a submission: $(cat out err)"
    grep -q "OFFICE" err && fail "tr_TR: the OFFICE header is not recognised: $(cat err)"
    grep -q 'NB1[0-9]*.*METRICS.CSV\|METRICS.CSV.*not a form' err &&
        fail "tr_TR: METRICS.CSV is not a form: $(cat err)"
    [ "$(grep -c 'valid' out)" -ge 2 ] || fail "tr_TR: $(cat out err)"
fi
if command -v localedef > /dev/null 2>&1 &&
    localedef -i zh_CN -f GB18030 "$tmp/loc/zh_CN.GB18030" > /dev/null 2>&1; then
    LOCPATH="$tmp/loc" LC_ALL=zh_CN.GB18030 LANGUAGE=zh_CN "$NB_BIN" validate 没有.xml > /dev/null 2> err && true
    iconv -f UTF-8 -t UTF-8 err > /dev/null 2>&1 || fail "zh_CN.GB18030: a message mixes encodings"
fi

# ---- (i) control characters are escaped in what a person reads ----
mkdir esc
cp "$report" "esc/$(printf 'a\033[2K\rb.xml')"
expect_status 0 -- inbox -v esc
grep -q "$(printf '\033')" "$tmp/stdout" "$tmp/stderr" && fail "an ESC reached the terminal"
grep -q "$(printf '\r')" "$tmp/stdout" "$tmp/stderr" && fail "a CR reached the terminal"
grep -q '^a\\x1b\[2K\\rb.xml ' "$tmp/stdout" || fail "the inbox table: $(cat "$tmp/stdout")"
grep -q '^esc/a\\x1b\[2K\\rb.xml: valid' "$tmp/stderr" || fail "inbox -v: $(cat "$tmp/stderr")"
printf 'not xml' > "esc/$(printf 'c\a\342\200\256d.xml')"
expect_status 1 -- inbox esc
grep -q "$(printf '\a')" "$tmp/stdout" && fail "a BEL reached the terminal"
grep -q 'c\\x07\\u202ed.xml' "$tmp/stdout" || fail "a bidi override is not shown: $(cat "$tmp/stdout")"
expect_status 1 -- validate "esc/$(printf 'c\a\342\200\256d.xml')"
grep -q "$(printf '\a')" "$tmp/stderr" && fail "a BEL in a diagnostic"
grep -q '^esc/c\\x07\\u202ed.xml' "$tmp/stderr" || fail "the diagnostic's file: $(cat "$tmp/stderr")"

# ---- (h) temporary files: ignored, removed on a signal; modes kept ----
mkdir tmpnames
cp "$report" tmpnames/a.xml
cp "$report" tmpnames/a.xml.tmp-Ab12Cd
cp -r "$forms" tmpnames/b.tmp-Xy34Zw
expect_status 0 -- inbox tmpnames
grep -q '^1 in the folder' "$tmp/stdout" || fail "a temporary name is a submission: $(cat "$tmp/stdout")"
# a replaced output keeps its mode
nb render "$report" -o private.docx
chmod 600 private.docx
nb render "$report" -o private.docx
[ "$(stat -c %a private.docx)" = 600 ] || fail "a replaced 0600 output became $(stat -c %a private.docx)"
# SIGTERM, SIGINT and SIGHUP while a form set is being written
need_python
"$NB_PYTHON3" - "$report" > big.xml <<'PY'
import sys
p = '<p>' + '统筹推进法治建设。' * 200 + '</p>\n'
print(open(sys.argv[1], encoding='utf-8').read().replace('<p>统筹推进法治建设。</p>', p * 6000))
PY
for sig in TERM INT HUP; do
    "$NB_BIN" convert big.xml -o "set-$sig" > /dev/null 2>&1 &
    pid=$!
    i=0
    while [ $i -lt 20000 ] && ! ls "set-$sig".tmp-*/narrative.csv > /dev/null 2>&1; do
        i=$((i + 1))
    done
    kill -"$sig" $pid 2> /dev/null || true
    wait $pid || true
    ls -d "set-$sig".tmp-* > /dev/null 2>&1 && fail "SIG$sig left a temporary folder"
    rm -rf "set-$sig"
done

# ---- (b) attributes per element bounded before libxml2 sees them ----
nb export-template std.docx
"$NB_PYTHON3" - <<'PY'
import zipfile
attrs = ' '.join('a%d="1"' % i for i in range(100000))
open('attrs.xml', 'w').write('<?xml version="1.0"?>\n<report xmlns="urn:nianbao:report:1" version="1" %s/>\n' % attrs)
open('attrs-cat.xml', 'w').write('<?xml version="1.0"?>\n<indicators %s/>\n' % attrs)
src = zipfile.ZipFile('std.docx')
out = zipfile.ZipFile('attrs.docx', 'w')
for i in src.infolist():
    data = src.read(i.filename)
    if i.filename == 'word/document.xml':
        data = data.replace(b'<w:body>', b'<w:body><w:p x:y="1" ' + attrs.encode() + b'/>', 1)
    out.writestr(i, data)
out.close()
PY
t0=$(date +%s)
expect_status 3 -- validate attrs.xml
grep -q '^attrs.xml:2: error: an element with more than 1000 attributes \[NB9011\]' "$tmp/stderr" ||
    fail "100,000 attributes: $(cat "$tmp/stderr")"
expect_status 3 -- validate --indicators attrs-cat.xml "$report"
grep -q 'attrs-cat.xml:2: error: .*\[NB9011\]' "$tmp/stderr" || fail "a catalog's attributes: $(cat "$tmp/stderr")"
expect_status 3 -- check-template attrs.docx
grep -q 'attrs.docx(word/document.xml):[0-9]*: error: .*\[NB9011\]' "$tmp/stderr" ||
    fail "a template part's attributes: $(cat "$tmp/stderr")"
[ $(($(date +%s) - t0)) -lt 10 ] || fail "refusing 100,000 attributes took more than 10 s"
expect_status 0 -- validate --limit attributes=10 "$report"
expect_status 3 -- validate --limit attributes=1 "$report"

# ---- (c) elements per document bounded: the tree's memory ----
# 2,000,000 elements in 14 MB (under the 64 MB input limit), zipped too:
# refused before libxml2 builds a tree of 700 MB
"$NB_PYTHON3" - <<'PY'
import zipfile
body = '<p>法</p>' * 2000000
open('dense.xml', 'w').write('<?xml version="1.0"?>\n<report xmlns="urn:nianbao:report:1" version="1"><meta/>\n%s</report>\n' % body)
z = zipfile.ZipFile('dense.zip', 'w', zipfile.ZIP_DEFLATED)
z.write('dense.xml', 'report.xml')
z.close()
PY
t0=$(date +%s)
expect_status 3 -- validate dense.xml
grep -q '^dense.xml:3: error: more than 1000000 elements \[NB9012\]' "$tmp/stderr" ||
    fail "2,000,000 elements: $(cat "$tmp/stderr")"
expect_status 3 -- validate dense.zip
grep -q 'more than 1000000 elements \[NB9012\]' "$tmp/stderr" || fail "2,000,000 elements, zipped: $(cat "$tmp/stderr")"
[ $(($(date +%s) - t0)) -lt 20 ] || fail "refusing 2,000,000 elements took more than 20 s"
expect_status 0 -- validate --limit elements=1000 "$report"
expect_status 3 -- validate --limit elements=5 "$report"
grep -q 'more than 5 elements \[NB9012\]' "$tmp/stderr" || fail "--limit elements=5: $(cat "$tmp/stderr")"
expect_status 3 -- check-template --limit elements=50 std.docx
grep -q '^std.docx(word/[a-z]*.xml):[0-9]*: error: more than 50 elements \[NB9012\]' "$tmp/stderr" ||
    fail "a template part's elements: $(cat "$tmp/stderr")"

# ---- (e) one office, however its name is typed ----
mkdir names
cp "$report" names/a.xml
sed 's/<issuer>某某县司法局</<issuer>某某县司法局　</' "$report" > names/b.xml
sed 's/<issuer>某某县/<issuer>某某​县/' "$report" > names/c.xml
expect_status 1 -- aggregate names -o names.csv
grep -q '^2022,\*,报告数,份,count,0,0,0,' names.csv ||
    fail "one office with three spellings was summed: $(cat names.csv)"
grep -c 'a duplicate' "$tmp/stdout" | grep -q '^3$' || fail "the duplicates: $(cat "$tmp/stdout")"
expect_status 0 -- validate names/b.xml
grep -q "names/b.xml:[0-9]*: warning: .*read as '某某县司法局' \[NB8020\]" "$tmp/stderr" ||
    fail "the raw name's warning: $(cat "$tmp/stderr")"
printf 'office\r\n某某县司法局\342\200\213\r\n' > names-expect.csv
rm names/b.xml names/c.xml
expect_status 0 -- inbox --expect names-expect.csv names
