#!/bin/sh
# subdocs.sh: {{> name}} and {{> "file.docx"}} put another document's body
# in place of their paragraph (docs/templates.md, "Including another
# document"): paragraphs and tables in order, its styles (a clash keeps
# both looks), lists, pictures and hyperlinks brought along, IDs kept
# unique; each file that cannot be included is a located error and nothing
# is written. The documents to include are made with python-docx, and
# real ones are taken too: a report nianbao rendered, and two files of
# ../shared/templates-real (a numbered list, a picture).
. "$(dirname "$0")/lib.sh"

need_validate_docx
py=
for p in "${NB_PYTHON3:-}" /usr/bin/python3 python3; do
    if [ -n "$p" ] && [ "$p" != no ] &&
        "$p" -c 'import docx' > /dev/null 2>&1; then
        py=$p
        break
    fi
done
[ -n "$py" ] || skip "python3 with python-docx (python3-docx) not found"
real="$(dirname "$NB_VALIDATE_DOCX")/../templates-real/orig"
[ -f "$real/poi05-numbering.docx" ] || skip "no templates-real next to validate-docx"
cd "$tmp"
mkdir work
cp "$real/poi05-numbering.docx" "$real/poi07-foreach.docx" \
    "$real/tpl05-footnotes.docx" work/

# ==== The documents ====
"$py" - <<'EOF'
import struct, zlib
import docx
from docx.shared import Pt
from docx.oxml.ns import qn
from docx.oxml import OxmlElement
from docx.opc.constants import RELATIONSHIP_TYPE as RT

def png(path, w, h, rgb):
    def chunk(t, d):
        c = struct.pack(">I", len(d)) + t + d
        return c + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
    raw = b"".join(b"\0" + bytes(rgb) * w for _ in range(h))
    open(path, "wb").write(b"\x89PNG\r\n\x1a\n" +
        chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)) +
        chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))

png("work/red.png", 40, 30, (200, 30, 30))

def bookmark(p, name):
    s = OxmlElement("w:bookmarkStart")
    s.set(qn("w:id"), "0")
    s.set(qn("w:name"), name)
    e = OxmlElement("w:bookmarkEnd")
    e.set(qn("w:id"), "0")
    p._p.insert(0, s)
    p._p.append(e)

def hyperlink(doc, p, url, text):
    rid = doc.part.relate_to(url, RT.HYPERLINK, is_external=True)
    h = OxmlElement("w:hyperlink")
    h.set(qn("r:id"), rid)
    r = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = text
    r.append(t)
    h.append(r)
    p._p.append(h)

a = docx.Document()
a.styles["Heading 1"].font.size = Pt(30)
a.add_heading("附件甲标题", level=1)
p = a.add_paragraph("附件甲正文第一段。")
bookmark(p, "甲书签")
a.add_paragraph().add_run().add_picture("work/red.png")
t = a.add_table(rows=2, cols=2)
t.cell(0, 0).text = "甲表左上"
t.cell(1, 1).text = "甲表右下"
hyperlink(a, a.add_paragraph("网址："), "https://www.gov.cn/", "中国政府网")
last = a.add_paragraph("附件甲末段。")
h = OxmlElement("w:hyperlink")
h.set(qn("w:anchor"), "甲书签")
r = OxmlElement("w:r")
t = OxmlElement("w:t")
t.text = "见上"
r.append(t)
h.append(r)
last._p.append(h)
a.save("work/annex-a.docx")

b = docx.Document()
b.add_paragraph("附件乙只有一段。")
b.save("work/annex-b.docx")

e = docx.Document()
e.add_paragraph("")
e.save("work/empty.docx")

m = docx.Document()
m.add_heading("主文档标题", level=1)
m.add_paragraph("前文。")
m.add_paragraph('{{> "annex-a.docx"}}')
m.add_paragraph("{{#annexes}}")
m.add_paragraph("{{> file}}")
m.add_paragraph("{{/annexes}}")
m.add_paragraph("{{#more}}")
m.add_paragraph("{{> .}}")
m.add_paragraph("{{/more}}")
m.add_paragraph("结尾。")
m.save("work/t.docx")

for name, text in [("bad-place", "见{{> file}}"), ("bad-syntax", "{{> }}"),
                   ("bad-quote", '{{> "a.docx" | cn}}')]:
    d = docx.Document()
    d.add_paragraph(text)
    if name == "bad-place":
        d.add_table(rows=1, cols=1).cell(0, 0).text = "{{> file}}"
    d.save("work/%s.docx" % name)
EOF
cat > work/d.json <<'EOF'
{"annexes": [{"file": "annex-b.docx"}, {"file": "annex-a.docx"}],
 "more": ["poi05-numbering.docx", "poi07-foreach.docx", "report.docx"]}
EOF
cd work
expect_status 0 -- render "$NB_SRCDIR/examples/changshan-2022/report.xml" -o report.docx

# ==== check-template knows the tag ====
expect_run 0 /dev/null -- check-template t.docx --data d.json
grep -q 'include   {{> "annex-a.docx"}}' "$tmp/stdout" ||
    fail "check-template does not list the include: $(cat "$tmp/stdout")"
grep -q 'include   {{> file}}' "$tmp/stdout" || fail "no {{> file}} listed"
echo '{"annexes": [{"name": "x"}], "more": []}' > wrong.json
expect_status 1 -- check-template t.docx --data wrong.json
grep -q "t.docx(word/document.xml):2: error: .*'file'.*\[NB6030\]" "$tmp/stderr" ||
    fail "a name the data lacks is not NB6030: $(cat "$tmp/stderr")"
expect_status 1 -- check-template bad-place.docx
[ "$(grep -c 'NB6111' "$tmp/stderr")" = 2 ] ||
    fail "an include beside text and in a cell are not NB6111: $(cat "$tmp/stderr")"
grep -q "bad-place.docx(word/document.xml):2: error: '{{> file}}' must be alone" "$tmp/stderr" ||
    fail "NB6111 not located: $(cat "$tmp/stderr")"
for f in bad-syntax bad-quote; do
    expect_status 1 -- check-template $f.docx
    grep -q "$f.docx(word/document.xml):2: error: .*\[NB6110\]" "$tmp/stderr" ||
        fail "$f: not NB6110: $(cat "$tmp/stderr")"
done

# ==== Rendered: in place, in order, valid ====
expect_status 0 -- render --data d.json -t t.docx -o out.docx
if grep -v NB7114 "$tmp/stderr" | grep .; then
    fail "unexpected diagnostics"
fi
validate_docx out.docx
paragraphs out.docx > got
"$py" - <<'EOF' || fail "the included paragraphs are not in place: $(cat got)"
got = open("got", encoding="utf-8").read()
want = ["主文档标题", "前文。", "附件甲标题", "附件甲正文第一段。", "甲表左上",
        "网址：中国政府网", "附件甲末段。", "附件乙只有一段。", "附件甲标题",
        "附件甲末段。", "常山县司法局", "结尾。"]
at = 0
for w in want:
    i = got.find(w, at)
    if i < 0:
        raise SystemExit("%s missing after %d" % (w, at))
    at = i + len(w)
EOF
# the same data gives the same bytes
nb render --data d.json -t t.docx -o out2.docx 2>/dev/null
cmp out.docx out2.docx || fail "two renders differ"

# the clash: the included Heading 1 (30 pt) comes as Heading1_2, the
# report's stays
has out.docx word/document.xml '<w:pStyle w:val="Heading1_2"/>'
has out.docx word/document.xml '<w:pStyle w:val="Heading1"/>'
flat_part out.docx word/styles.xml | grep -o '<w:style [^>]*w:styleId="Heading1_2".*' |
    sed 's|</w:style>.*||' | grep -q '<w:sz w:val="60"/>' ||
    fail "Heading1_2 is not 30 pt"
flat_part out.docx word/styles.xml | grep -o '<w:style [^>]*w:styleId="Heading1".*' |
    sed 's|</w:style>.*||' | grep -q '<w:sz w:val="60"/>' &&
    fail "the report's Heading1 took the included size"
[ "$(flat_part out.docx word/styles.xml | grep -o 'w:styleId="Heading1_2"' | wc -l)" = 1 ] ||
    fail "Heading1_2 added more than once"
# the rendered report's defaults (仿宋, 3号) are not the template's: they
# come as a style its default style is based on
flat_part out.docx word/styles.xml | grep -q 'w:styleId="NbIncludeDefaults"' ||
    fail "the included report's defaults are lost"
# one picture part for the two copies of annex-a, one for poi07
unzip -l out.docx > list
[ "$(grep -c 'word/media/nianbao-' list)" = 2 ] ||
    fail "pictures not copied once each: $(cat list)"
has out.docx word/_rels/document.xml.rels 'Target="https://www.gov.cn/" TargetMode="External"'
has out.docx '[Content_Types].xml' 'Extension="png"'
# bookmarks: the second copy's name is new, every id once
flat_part out.docx word/document.xml > doc.xml
grep -q 'w:name="甲书签"' doc.xml || fail "bookmark name lost"
grep -q 'w:name="甲书签_2"' doc.xml || fail "the second copy's bookmark is not renamed"
grep -q 'w:anchor="甲书签_2"' doc.xml || fail "the second copy's link to its bookmark is not renamed"
grep -q 'w:anchor="甲书签"' doc.xml || fail "the first copy's link lost its bookmark"
for what in 'w:bookmarkStart [^>]*w:id="[0-9]*"' 'wp:docPr id="[0-9]*"' 'w14:paraId="[0-9A-F]*"'; do
    dup=$(grep -o "$what" doc.xml | grep -o '[a-zA-Z:]*id="[0-9A-F]*"' | sort | uniq -d)
    [ -z "$dup" ] || fail "repeated ids: $dup"
done
# poi05's lists: every w:numId of the body is a w:num of numbering.xml
flat_part out.docx word/numbering.xml > num.xml
for id in $(grep -o '<w:numId w:val="[0-9]*"' doc.xml | grep -o '[0-9]*' | sort -u); do
    grep -q "<w:num [^>]*w:numId=\"$id\"" num.xml || fail "w:numId $id has no w:num"
done
n_abs=$(grep -o '<w:abstractNum ' num.xml | wc -l)
[ "$n_abs" -gt 8 ] || fail "poi05's lists not copied ($n_abs abstract lists)"
# the footnote of tpl05 is left out, with a warning at the data's place
printf '{"more": ["tpl05-footnotes.docx"], "annexes": []}\n' > fn.json
expect_status 0 -- render --data fn.json -t t.docx -o fn.docx
grep -q "^fn.json(/more/0): warning: '{{> .}}' in t.docx(word/document.xml):2: 'tpl05-footnotes.docx': 1 footnote or endnote references left out" "$tmp/stderr" ||
    fail "no located warning for the footnote: $(cat "$tmp/stderr")"
validate_docx fn.docx

# ==== Files that cannot be included: located, exit 1, nothing written ====
printf 'not a zip\n' > notzip.docx
printf '\320\317\021\340rest of an OLE file' > locked.docx
mkdir sub
printf 'x' > ../outside.docx
ln -s ../../outside.docx sub/link.docx
mkfifo fifo.docx
"$py" - <<'EOF'
import zipfile
src = zipfile.ZipFile("annex-b.docx")
def copy(name, change):
    z = zipfile.ZipFile(name, "w", zipfile.ZIP_DEFLATED)
    for i in src.infolist():
        z.writestr(i.filename, change(i.filename, src.read(i.filename)))
    z.close()
copy("doctype.docx", lambda n, b: b.replace(b"?>", b'?><!DOCTYPE x [<!ENTITY e "e">]>', 1)
     if n == "word/document.xml" else b)
copy("bomb.docx", lambda n, b: b + b" " * (3 << 20) if n == "word/document.xml" else b)
z = zipfile.ZipFile("many.docx", "w", zipfile.ZIP_STORED)
for i in src.infolist():
    z.writestr(i.filename, src.read(i.filename))
for k in range(10001):
    z.writestr("x/%d" % k, b"")
z.close()
EOF
bad() { # bad NAME PATH CODE: including PATH is a located error
    printf '{"annexes": [{"file": "%s"}], "more": []}\n' "$2" > "$1.json"
    rm -f bad.docx
    expect_status 1 -- render --data "$1.json" -t t.docx -o bad.docx --limit part=1M
    [ ! -e bad.docx ] || fail "$1: bad.docx written"
    grep -q "^$1.json(/annexes/0/file): error: '{{> file}}' in t.docx(word/document.xml):2: .*\[$3\]" "$tmp/stderr" ||
        fail "$1: not a located $3: $(cat "$tmp/stderr")"
}
bad notzip notzip.docx NB7111
bad locked locked.docx NB7111
bad doctype doctype.docx NB7111
bad bomb bomb.docx NB7111
bad many many.docx NB7111
grep -q "entries" "$tmp/stderr" || fail "many.docx: the entry limit is not named"
bad dotdot ../outside.docx NB7110
bad symlink sub/link.docx NB7110
bad missing nothere.docx NB7110
bad fifo fifo.docx NB7110
bad empty empty.docx NB7112
bad number "" NB7110
# --allow-dir lets a file outside the data's folder be read: ../outside.docx
# is then read (and is no .docx)
printf '{"annexes": [{"file": "../outside.docx"}], "more": []}\n' > allow.json
expect_status 1 -- render --data allow.json -t t.docx -o bad.docx --allow-dir ..
grep -q "NB7111" "$tmp/stderr" || fail "--allow-dir not honoured: $(cat "$tmp/stderr")"
# the included file is the output itself: refused, and left as it was
cp annex-b.docx same.docx
before=$(sum same.docx)
printf '{"annexes": [{"file": "same.docx"}], "more": []}\n' > same.json
expect_status 1 -- render --data same.json -t t.docx -o same.docx
grep -q "NB7113" "$tmp/stderr" || fail "including the output is not NB7113: $(cat "$tmp/stderr")"
[ "$(sum same.docx)" = "$before" ] || fail "same.docx changed"
# all included bodies together within --limit include
expect_status 1 -- render --data d.json -t t.docx -o big.docx --limit include=20K
grep -q "NB7115" "$tmp/stderr" || fail "--limit include not applied: $(cat "$tmp/stderr")"
[ ! -e big.docx ] || fail "big.docx written"
# a value that is not text
printf '{"annexes": [{"file": ["a"]}], "more": []}\n' > list.json
expect_status 1 -- render --data list.json -t t.docx -o bad.docx
grep -q "^list.json(/annexes/0/file): error: .*not text.*\[NB7110\]" "$tmp/stderr" ||
    fail "a list as a path: $(cat "$tmp/stderr")"

# ==== LibreOffice: the text in place, numbers, pictures, the 30 pt heading ====
case ${NB_SOFFICE:-no} in
"" | no) echo "LibreOffice not found: layout not checked" >&2; exit 0 ;;
esac
command -v "$NB_SOFFICE" > /dev/null 2>&1 || exit 0
command -v "${NB_PDFTOTEXT:-pdftotext}" > /dev/null 2>&1 || exit 0
FONTCONFIG_FILE="$NB_SRCDIR/data/fontconfig/fonts.conf" run_timeout "$NB_SOFFICE" \
    "-env:UserInstallation=file://$tmp/lo" --headless \
    --convert-to pdf --outdir . out.docx > soffice.log 2>&1 ||
    { cat soffice.log >&2; fail "LibreOffice could not convert out.docx"; }
"${NB_PDFTOTEXT:-pdftotext}" -layout out.pdf out.txt
"$py" - <<'EOF' || fail "out.pdf: $(cat out.txt | head -80)"
t = open("out.txt", encoding="utf-8").read()
order = ["主文档标题", "附件甲正文第一段", "甲表左上", "附件乙只有一段", "附件甲标题",
         "结尾"]
at = 0
for w in order:
    i = t.find(w, at)
    assert i >= 0, "%s not in place" % w
    at = i
import re
# poi05's numbered lists are numbered: "1." or "1)" before list items
assert re.search(r"^\s*1[.)、]", t, re.M), "no list number"
EOF
if command -v pdfimages > /dev/null 2>&1; then
    n=$(pdfimages -list out.pdf | tail -n +3 | wc -l)
    [ "$n" -ge 2 ] || fail "out.pdf has $n pictures"
fi
"${NB_PDFTOTEXT:-pdftotext}" -bbox out.pdf out.html
"$py" - <<'EOF' || fail "the included heading is not larger than the report's"
import re
h = open("out.html", encoding="utf-8").read()
def height(word):
    for m in re.finditer(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)<', h):
        if word in m.group(3):
            return float(m.group(2)) - float(m.group(1))
    raise SystemExit("%s not found" % word)
assert height("附件甲标题") > height("主文档标题") * 1.5, (height("附件甲标题"), height("主文档标题"))
EOF
