#!/bin/sh
# Hostile and broken files (issue: hardening), each with its exact
# diagnostic and exit status: zip bombs and malformed packages as
# templates, XML that is too deep, too big or not UTF-8, CSV forms with a
# 1 GB line, a million columns, an open quote at the end, mixed
# encodings, and outputs that are not files. Nothing is ever written for a
# rejected input; a raised --limit lets a trusted file through. The files
# are made here (python3 for the zips), none is stored.
. "$(dirname "$0")/lib.sh"

need_python
cd "$tmp"
hint="nianbao: a safety limit was reached; if the file is trusted, raise it with --limit (see 'nianbao limits')"
"$NB_BIN" export-template std.docx

# ---- the limits: listed with their defaults, raised one at a time ----
expect_run 0 /dev/null -- limits
for name in input part total entries output cell cells strings sheet section-depth xml-huge attributes elements include picture pictures picture-side diagnostics; do
    grep -q "^$name	[0-9]*	[0-9]*	" "$tmp/stdout" || fail "nianbao limits does not list $name"
done
grep -q "^input	67108864	" "$tmp/stdout" || fail "the input limit's default"
[ "$(wc -l < "$tmp/stdout")" = 18 ] || fail "nianbao limits: $(cat "$tmp/stdout")"
expect_status 2 -- validate --limit=nosuch=1 "$NB_DATA/xml/ok-small.xml"
expect_status 2 -- validate --limit=input=0 "$NB_DATA/xml/ok-small.xml"
expect_status 2 -- validate --limit=input=12X "$NB_DATA/xml/ok-small.xml"
expect_status 2 -- validate --limit=xml-huge=2 "$NB_DATA/xml/ok-small.xml"
expect_run 0 /dev/null -- validate -q --limit=xml-huge=0 --limit=input=1G "$NB_DATA/xml/ok-small.xml"
# a lowered limit bites, with the hint
printf '%s\n' "ok-small.xml: error: file is $(wc -c < "$NB_DATA/xml/ok-small.xml") bytes, more than the limit of 100 [NB2005]" "$hint" > want
(cd "$NB_DATA/xml" && "$NB_BIN" validate --limit=input=100 ok-small.xml) > /dev/null 2> got && fail "a lowered limit passed"
diff -u want got >&2 || fail "a lowered limit: the diagnostic differs"
# fewer diagnostics shown, the rest counted
expect_status 1 -- validate --limit=diagnostics=1 "$NB_DATA/xml/bad-many.xml"
[ "$(grep -c '\[NB' "$tmp/stderr")" = 1 ] || fail "--limit diagnostics=1 showed more than one"
grep -q '^nianbao: [0-9]* more diagnostics not shown' "$tmp/stderr" || fail "the dropped diagnostics are not counted"
report="$NB_DATA/xml/ok-small.xml"

# ---- zip: bombs, lies, duplicates, missing parts, truncation ----
"$NB_PYTHON3" - std.docx <<'EOF'
import io, struct, sys, warnings, zipfile
warnings.simplefilter("ignore")
std = open(sys.argv[1], "rb").read()
src = zipfile.ZipFile(io.BytesIO(std))
def copy(out, skip=(), extra=()):
    z = zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED)
    for i in src.infolist():
        data = src.read(i.filename)
        if i.filename == "[Content_Types].xml":
            # the media the bombs add are declared, as in a real package
            data = data.replace(b"<Default ", b'<Default Extension="bin" ContentType="application/octet-stream"/><Default ', 1)
        if i.filename not in skip:
            z.writestr(i.filename, data)
    for name, data in extra:
        z.writestr(name, data)
    z.close()
copy("bomb.docx", extra=[("word/media/zeros.bin", b"\0" * (100 << 20))])
copy("many.docx", extra=[("word/media/f%05d.bin" % i, b"x") for i in range(12000)])
copy("duplicate.docx", extra=[("word/document.xml", src.read("word/document.xml"))])
copy("no-types.docx", skip=("[Content_Types].xml",))
open("truncated.docx", "wb").write(std[:len(std) // 2])
def lie(b, sig, name_len_at, name_at, size_at):
    """Set the uncompressed size of document.xml in the headers with 'sig'."""
    i = b.find(sig)
    while i >= 0:
        n = struct.unpack("<H", b[i + name_len_at:i + name_len_at + 2])[0]
        if b[i + name_at:i + name_at + n] == b"word/document.xml":
            b[i + size_at:i + size_at + 4] = struct.pack("<I", 0xC0000000)
            return
        i = b.find(sig, i + 4)
# the central directory says document.xml unpacks to 3 GB
b = bytearray(std)
lie(b, b"PK\x01\x02", 28, 46, 24)
open("declared-huge.docx", "wb").write(bytes(b))
# ... and its local header says so too: a consistent lie
lie(b, b"PK\x03\x04", 26, 30, 22)
open("declared-both.docx", "wb").write(bytes(b))
EOF
printf '%s\n' 'bomb.docx(word/media/zeros.bin): error: entry unpacks to 104857600 bytes, more than the limit of 67108864 [NB9005]' "$hint" > want
expect_run 3 want -- render "$report" -t bomb.docx -o out.docx
printf '%s\n' 'many.docx: error: archive has 12011 entries, more than the limit of 10000 [NB9005]' "$hint" > want
expect_run 3 want -- render "$report" -t many.docx -o out.docx
printf '%s\n' 'duplicate.docx(word/document.xml): error: entry name appears twice in the archive [NB9007]' > want
expect_run 1 want -- render "$report" -t duplicate.docx -o out.docx
printf '%s\n' 'no-types.docx: error: not a Word document: [Content_Types].xml or word/document.xml is missing [NB6007]' > want
expect_run 1 want -- render "$report" -t no-types.docx -o out.docx
printf '%s\n' 'truncated.docx: error: not a readable zip archive: no end of central directory record (not a zip archive or a truncated one) [NB9006]' > want
expect_run 1 want -- render "$report" -t truncated.docx -o out.docx
printf '%s\n' 'declared-huge.docx(word/document.xml): error: its local header and the central directory disagree on its method, sizes or CRC-32 [NB9006]' > want
expect_run 1 want -- render "$report" -t declared-huge.docx -o out.docx
printf '%s\n' 'declared-both.docx(word/document.xml): error: entry unpacks to 3221225472 bytes, more than the limit of 67108864 [NB9005]' "$hint" > want
expect_run 3 want -- render "$report" -t declared-both.docx -o out.docx
[ ! -e out.docx ] || fail "a rejected template left an output"
# trusted: the bomb's limits raised, the template renders
expect_run 0 /dev/null -- render "$report" -t bomb.docx -o out.docx --limit=part=128M
[ -n "${NB_VALIDATE_DOCX:-}" ] && [ -f "$NB_VALIDATE_DOCX" ] && validate_docx out.docx
rm out.docx
# --limit reaches the built-in template too
printf '%s\n' 'standard.docx(word/document.xml): error: merged part would be larger than the limit of 1024 bytes [NB9008]' "$hint" > want
expect_status 3 -- render "$report" -o out.docx --limit=output=1K
grep -q 'larger than the limit of 1024 bytes \[NB9008\]$' "$tmp/stderr" || fail "--limit output with the standard template: $(cat "$tmp/stderr")"
# the limit bounds the merged parts together: eight headers that each fit
# looping over the same list do not make eight times the limit
cp -r "$NB_SRCDIR/templates/standard" hdr
for i in 1 2 3 4 5 6 7 8; do
    printf '%s' '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:hdr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:p><w:r><w:t>{{#sections}}{{title}}{{title}}{{title}}{{/sections}}</w:t></w:r></w:p></w:hdr>' > "hdr/word/header$i.xml"
    sed -i "s#</Types>#<Override PartName=\"/word/header$i.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml\"/></Types>#" "hdr/[Content_Types].xml"
    # referenced, so merged (an unreferenced part is copied: template_parts.sh)
    sed -i "s#</Relationships>#<Relationship Id=\"rIdH$i\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/header\" Target=\"header$i.xml\"/></Relationships>#" hdr/word/_rels/document.xml.rels
done
"$NB_MKZIP" hdr hdr.docx || fail "mkzip hdr"
expect_run 0 /dev/null -- render "$NB_DATA/xml/ok-small.xml" -t hdr.docx -o out.docx --limit output=8K
rm out.docx
expect_status 3 -- render "$NB_DATA/xml/ok-small.xml" -t hdr.docx -o out.docx --limit output=4K
grep -q '^hdr.docx(word/header[0-9].xml): error: the merged parts together would be larger than the limit of 4096 bytes \[NB9008\]$' "$tmp/stderr" ||
    fail "eight headers over the output limit together: $(cat "$tmp/stderr")"
[ ! -e out.docx ] || fail "a render over the output limit wrote out.docx"
[ ! -e out.docx ] || fail "an output over its limit was written"
expect_status 2 -- render "$report" -o out.docx --limit=section-depth=121

# ---- XML: depth, size, NUL, broken and overlong UTF-8 ----
head='<?xml version="1.0" encoding="UTF-8"?>
<report xmlns="urn:nianbao:report:1" version="1">
  <meta><issuer>某某县司法局</issuer><year>2022</year><profile>work-summary</profile></meta>'
"$NB_PYTHON3" - "$head" <<'EOF'
import sys
head = sys.argv[1] + "\n"
open("deep.xml", "w").write(head + '<section kind="measures">' + "<x>" * 100000 + "</x>" * 100000 + "</section></report>\n")
open("big-text.xml", "w").write(head + '<section kind="measures"><intro><p>' + "法" * (40 << 20) + "</p></intro></section></report>\n")
open("nul.xml", "wb").write((head + '<section kind="measures"><intro><p>甲\0乙</p></intro></section></report>\n').encode())
for name, bad in (("bad-utf8.xml", b"\xff\xfe"), ("overlong.xml", b"\xc0\xaf")):
    open(name, "wb").write((head + '<section kind="measures"><intro><p>甲').encode() + bad + "乙</p></intro></section></report>\n".encode())
EOF
printf '%s\n' 'deep.xml:4:791: error: elements are nested more than 256 deep [NB2004]' "$hint" > want
expect_run 1 want -- validate deep.xml
printf '%s\n' 'big-text.xml: error: file is 125829375 bytes, more than the limit of 67108864 [NB2005]' "$hint" > want
expect_run 3 want -- validate big-text.xml
# past the file limit, libxml2's own cap on one text node
expect_status 1 -- validate --limit=input=200M big-text.xml
grep -q "^big-text.xml:4:[0-9]*: error: a text or name is larger than the parser's limit (10 MB of text): xmlSAX2Characters: huge text node \[NB2005\]$" "$tmp/stderr" ||
    fail "the text node limit: $(cat "$tmp/stderr")"
# trusted: both raised
printf '%s\n' 'big-text.xml: valid (sections: 1)' > want
expect_run 0 /dev/null -- validate --limit=input=200M --limit=xml-huge=1 big-text.xml
expect_stdout want
printf '%s\n' 'nul.xml:4:37: error: Char 0x0 out of allowed range [NB2002]' \
    'nul.xml:4:37: error: Premature end of data in tag p line 4 [NB2001]' > want
expect_run 1 want -- validate nul.xml
for f in bad-utf8 overlong; do
    expect_status 1 -- validate "$f.xml"
    grep -q "^$f.xml:4:37: error: not UTF-8 (Bytes: 0x.*); save the file as UTF-8, or declare its encoding, e.g. <?xml version=\"1.0\" encoding=\"GB18030\"?> \[NB2002\]$" "$tmp/stderr" ||
        fail "$f: $(cat "$tmp/stderr")"
done

# ---- CSV: a 1 GB line (through a pipe: nothing on disk), a million
# columns, a quote open at the end, a GB18030 cell in a UTF-8 file ----
mkdir fifo
mkfifo fifo/metrics.csv
# the script holds the pipe open too, so the writer never blocks on open
# and dies (SIGPIPE) once the script closes it, whatever validate did
exec 3<> fifo/metrics.csv
( exec 3<&-; { printf '指标代码,数值,备注\nfy_received,1,'; head -c 1073741824 /dev/zero | tr '\0' x; printf '\n'; } > fifo/metrics.csv ) 2>/dev/null &
printf '%s\n' 'fifo/metrics.csv:2: error: 备注: cell is longer than the limit of 1048576 bytes [NB1004]' "$hint" > want
expect_run 3 want -- validate fifo/metrics.csv
exec 3<&-
wait
mkdir csv
"$NB_PYTHON3" - <<'EOF'
open("csv/cols.csv", "w").write("指标代码,数值\n" + "," * 1000000 + "\n")
open("csv/quote.csv", "w").write('指标代码,数值,备注\nfy_received,1,"未闭合')
open("csv/mixed.csv", "wb").write("指标代码,数值,备注\nfy_received,1,调解\n".encode() + "fy_accepted,2,受理".encode("gb18030") + b"\n")
open("csv/nul.csv", "wb").write("指标代码,数值,备注\nfy_received,1,a\0b\n".encode())
EOF
cd csv
cp cols.csv metrics.csv
printf '%s\n' 'metrics.csv:2: error: row has more than 10000 cells [NB1005]' "$hint" > want
expect_run 3 want -- validate metrics.csv
cp quote.csv metrics.csv
printf '%s\n' 'metrics.csv:2: error: 备注: the quote that opens this cell is never closed: the file ends inside it [NB1003]' > want
expect_run 1 want -- validate metrics.csv
cp mixed.csv metrics.csv
printf '%s\n' 'metrics.csv:3: error: 备注: byte 0xCA at byte 1 of the cell is not UTF-8 (the file was read as UTF-8; if it was saved as GB18030/GBK, use --encoding=gb18030) [NB1001]' > want
expect_run 1 want -- validate metrics.csv
cp nul.csv metrics.csv
printf '%s\n' 'metrics.csv:2: error: 备注: control character U+0000 at byte 2 of the cell [NB1002]' > want
expect_run 1 want -- validate metrics.csv
cd ..

# ---- outputs that are not files, or not writable: exit 3, nothing left ----
printf '%s\n' '/dev/full: error: cannot write the output: not a regular file (a device, a pipe or a socket); give the name of a file [NB9003]' > want
expect_run 3 want -- render "$report" -o /dev/full
[ -c /dev/full ] || fail "render replaced /dev/full"
ls -a /dev | grep -q '^full\.tmp-' && fail "a temporary file was left in /dev"
mkfifo pipe.docx
printf '%s\n' 'pipe.docx: error: cannot write the output: not a regular file (a device, a pipe or a socket); give the name of a file [NB9003]' > want
expect_run 3 want -- render "$report" -o pipe.docx
[ -p pipe.docx ] || fail "render replaced a pipe"
# a symbolic link: the file it names is replaced, the link stays
mkdir -p real
echo old > real/target.docx
ln -s real/target.docx link.docx
expect_run 0 /dev/null -- render "$report" -o link.docx
[ -L link.docx ] || fail "render replaced the link itself"
cmp -s link.docx real/target.docx && [ "$(head -c 2 real/target.docx)" = PK ] ||
    fail "the link's target was not replaced"
ln -s nowhere/gone.docx dangling.docx
expect_status 3 -- render "$report" -o dangling.docx
grep -q '^dangling.docx: error: cannot write the output: No such file or directory \[NB9003\]$' "$tmp/stderr" ||
    fail "a dangling link: $(cat "$tmp/stderr")"
# an output equal to an input is refused before anything is read
cp "$report" in.xml
sum in.xml > in.sum
expect_status 2 -- render in.xml -o in.xml
sum in.xml | cmp -s - in.sum || fail "render touched its input"
exit 0
