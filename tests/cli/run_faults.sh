#!/bin/sh
# Faults of the run are never blamed on the data (docs/inbox.md, "Faults
# of the run"): a full or read-only output disk under render --batch, and
# a submission the run may not read under inbox, render --batch and
# aggregate, exit 3 with each office's status what its data deserve;
# nothing half-written; last run's document of a submission that is not
# rendered now is removed and listed.
#
# The disks are real: a 20 KB tmpfs and a read-only bind mount, made in a
# mount namespace of their own (unshare -m as root, unshare -rm else);
# the unreadable entries are read by an unprivileged user (setpriv).
. "$(dirname "$0")/lib.sh"

cd "$tmp"
X="$NB_SRCDIR/examples"
mkdir in
cp "$X/changshan-2022/report.xml" in/a.xml
cp "$X/jiangbei-2021/report.xml" in/b.xml
cp "$X/liangjiang-2022/report.xml" in/c.xml

if [ "$(id -u)" = 0 ]; then ns="unshare -m"; else ns="unshare -rm"; fi
$ns true 2>/dev/null || skip "no mount namespace (unshare -m) on this machine"

# inner SCRIPT: run SCRIPT (sh) in a mount namespace of its own
inner() {
    printf '%s\n' "$1" > inner.sh
    NB="$NB_BIN" $ns sh inner.sh
}

# ==== a full disk ====
mkdir full
inner '
mount -t tmpfs -o size=20k tmpfs full || exit 99
"$NB" render --batch in -o full -j 1 --json full.json > full.out 2> full.err
echo $? > full.rc
ls -A full > full.ls
' || fail "could not mount a tmpfs (status $?)"
[ "$(cat full.rc)" = 3 ] || fail "a full disk: exit $(cat full.rc), not 3: $(cat full.out full.err)"
grep -q "No space left on device" full.out full.err ||
    fail "a full disk: ENOSPC not said: $(cat full.out full.err)"
grep -q '"status": *"invalid"' full.json &&
    fail "a full disk blamed on the data: $(cat full.json)"
[ "$(grep -c '"status": *"valid"' full.json)" = 3 ] ||
    fail "a full disk: not every office valid: $(cat full.json)"
grep -q '"output_error"' full.json || fail "no output_error in the JSON: $(cat full.json)"
grep -q 'tmp' full.ls && fail "a full disk left a temporary file: $(cat full.ls)"
grep -q 'an earlier document failed' full.out ||
    fail "the run went on writing after the disk was full: $(cat full.out)"

# ==== every other output on a full disk: exit 3, nothing half-written ====
mkdir full2
inner '
mount -t tmpfs -o size=16k tmpfs full2 || exit 99
head -c 65536 /dev/zero > full2/fill 2> /dev/null
run() { name=$1; shift; "$NB" "$@" > "o.$name" 2> "e.$name"; echo "$name $?" >> full2.rc; }
run csv inbox in --csv full2/s.csv
run json inbox in --json full2/s.json
run docx inbox in --docx full2/s.docx
run html inbox in --html full2/s.html
run aggregate aggregate in -o full2/t.csv
run render render in/a.xml -o full2/a.docx
run convert convert in/a.xml -o full2/forms
run xlsx convert in/a.xml -o full2/a.xlsx
ls -A full2 > full2.ls
' || fail "could not mount a tmpfs (status $?)"
for c in csv json docx html aggregate render convert xlsx; do
    grep -qx "$c 3" full2.rc ||
        fail "$c on a full disk: not exit 3: $(grep "^$c " full2.rc) $(cat "e.$c")"
    grep -q "No space left on device" "e.$c" || fail "$c: ENOSPC not said: $(cat "e.$c")"
done
[ "$(cat full2.ls)" = fill ] || fail "a full disk was left with: $(cat full2.ls)"

# ==== a read-only disk: last run's documents stay as they were ====
mkdir ro
inner '
mount -t tmpfs -o size=4m tmpfs ro || exit 99
"$NB" render --batch in -o ro -q > ro1.out 2>&1; echo $? > ro1.rc
md5sum ro/*.docx > ro.sum
mount -o remount,ro ro || exit 98
"$NB" render --batch in -o ro > ro2.out 2> ro2.err; echo $? > ro2.rc
md5sum -c --quiet ro.sum > ro.check 2>&1; echo $? >> ro.check
' || fail "could not mount a read-only tmpfs (status $?)"
[ "$(cat ro1.rc)" = 0 ] || fail "the first render: exit $(cat ro1.rc): $(cat ro1.out)"
[ "$(cat ro2.rc)" = 3 ] || fail "a read-only disk: exit $(cat ro2.rc), not 3: $(cat ro2.out ro2.err)"
grep -q "Read-only file system" ro2.out ro2.err ||
    fail "a read-only disk: EROFS not said: $(cat ro2.out ro2.err)"
grep -q "有错误\|invalid" ro2.out && fail "a read-only disk blamed on the data: $(cat ro2.out)"
[ "$(tail -n 1 ro.check)" = 0 ] || fail "a read-only disk: documents changed: $(cat ro.check)"

# ==== a rerun after a submission became invalid: its document goes ====
expect_status 0 -- render --batch in -o out -q
[ -s out/b.docx ] || fail "the first batch did not write b.docx"
sed -i 's#<year>2021</year>#<year>twenty</year>#' in/b.xml
grep -q '<year>twenty' in/b.xml || fail "the sed did not break b.xml"
echo notes > out/notes.txt
expect_status 1 -- render --batch in -o out
[ ! -e out/b.docx ] || fail "last run's b.docx was left beside the invalid submission"
grep -q "out/b.docx: removed" "$tmp/stdout" || fail "the removal is not listed: $(cat "$tmp/stdout")"
[ -s out/a.docx ] && [ -s out/c.docx ] || fail "a valid submission's document went"
[ "$(cat out/notes.txt)" = notes ] || fail "a file of the user's own was touched"
cp "$X/jiangbei-2021/report.xml" in/b.xml

# ==== a submission gone from the folder: its document goes too ====
expect_status 0 -- render --batch in -o out -q
[ -s out/b.docx ] || fail "b.docx was not written again"
mv in/c.xml c.xml.away
expect_status 0 -- render --batch in -o out
[ ! -e out/c.docx ] || fail "the document of a submission gone from the folder was left"
grep -q "out/c.docx: removed" "$tmp/stdout" || fail "the removal is not listed: $(cat "$tmp/stdout")"
[ -s out/a.docx ] && [ -s out/b.docx ] || fail "a current document went"
[ "$(cat out/notes.txt)" = notes ] || fail "a file of the user's own was touched"
# a run over another folder into the same one removes nothing of the first's
mkdir other
cp "$X/changshan-2022/report.xml" other/z.xml
expect_status 0 -- render --batch other -o out -q
[ -s out/a.docx ] && [ -s out/b.docx ] && [ -s out/z.docx ] ||
    fail "a run over another folder removed the first one's documents"
mv c.xml.away in/c.xml
# the list is a file of its own: a link put in its place is not followed
mkdir linked
echo keep > kept.txt
ln -s "$tmp/kept.txt" linked/.nianbao-batch
expect_status 0 -- render --batch in -o linked -q
[ "$(cat kept.txt)" = keep ] || fail "the list of documents was written through a link"

# ==== entries the run may not read: the run's fault, exit 3 ====
command -v setpriv > /dev/null || skip "no setpriv (util-linux)"
mkdir -p in/d && cp -R "$X/liangjiang-2022/forms/." in/d/
cp "$X/jiangbei-2021/report.xml" in/e.xml
# a form set with one form the run may not read is not accessible either;
# a form that links outside its set stays the office's mistake (NB9009),
# even when the run may not read what it leads to
mkdir -p q && cp "$X/changshan-2022/report.xml" q/a.xml
mkdir q/partly && cp -R "$X/liangjiang-2022/forms/." q/partly/
mkdir q/linked && cp -R "$X/liangjiang-2022/forms/." q/linked/
rm q/linked/narrative.csv
echo secret > hidden.csv && chmod 600 hidden.csv
ln -s "$tmp/hidden.csv" q/linked/narrative.csv
chmod 755 "$tmp" && chmod -R a+rX q && chmod 000 q/partly/meta.csv
chmod 755 "$tmp" && chmod -R a+rX in && chmod 000 in/d in/e.xml
mkdir agg && chmod 777 agg
as_nobody() {
    setpriv --reuid=65534 --regid=65534 --clear-groups "$NB_BIN" "$@" \
        > "$tmp/stdout" 2> "$tmp/stderr"
}
st=0; as_nobody inbox in --json agg/s.json || st=$?
[ "$st" = 3 ] || fail "inbox: unreadable entries: exit $st, not 3: $(cat "$tmp/stdout" "$tmp/stderr")"
grep -q "in/d: error: cannot be read: Permission denied: a fault of this run.*\[NB8019\]" "$tmp/stderr" ||
    fail "an unreadable folder: no NB8019: $(cat "$tmp/stderr")"
[ "$(grep -c '"status": *"fault"' agg/s.json)" = 2 ] ||
    fail "the unreadable entries are not 'fault': $(cat agg/s.json)"
grep -q '"status": *"\(invalid\|unreadable\|skipped\)"' agg/s.json &&
    fail "an unreadable entry blamed on its office: $(cat agg/s.json)"
st=0; as_nobody inbox q --json agg/q.json || st=$?
[ "$st" = 3 ] || fail "inbox: an unreadable form: exit $st: $(cat "$tmp/stdout")"
grep -q '"name":"partly","form":"forms","status":"fault"' agg/q.json ||
    fail "a form set with an unreadable form is blamed on its office: $(cat agg/q.json)"
grep -q '"name":"linked","form":"forms","status":"invalid".*NB9009' agg/q.json ||
    fail "a link out of its set is not the office's mistake: $(cat agg/q.json)"
grep -q secret agg/q.json && fail "the linked file's text was read"
chmod -R u+rwX q
st=0; as_nobody inbox in -q --docx agg/s.docx || st=$?
[ "$st" = 3 ] || fail "inbox --docx: exit $st"
paragraphs agg/s.docx | grep -q "本次无法访问2份" ||
    fail "the Word summary does not count them: $(paragraphs agg/s.docx | head -n 5)"
st=0; as_nobody aggregate in -o agg/t.csv || st=$?
[ "$st" = 3 ] || fail "aggregate: unreadable entries: exit $st: $(cat "$tmp/stderr")"
[ ! -e agg/t.csv ] || fail "aggregate wrote totals that leave out unreadable entries"
st=0; as_nobody render --batch in -o agg/docx || st=$?
[ "$st" = 3 ] || fail "render --batch: unreadable entries: exit $st: $(cat "$tmp/stdout")"
[ -s agg/docx/a.docx ] || fail "render --batch: a readable submission was not rendered"
LANGUAGE=zh_CN LC_ALL=C.UTF-8 setpriv --reuid=65534 --regid=65534 --clear-groups \
    "$NB_BIN" inbox in > zh.out 2>&1 || true
grep -q "无法访问" zh.out || fail "the status is not translated: $(cat zh.out)"
chmod -R u+rwX in
exit 0
