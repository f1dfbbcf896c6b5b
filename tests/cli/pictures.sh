#!/bin/sh
# Pictures from data ({{x | picture:W,H | alt:"…"}}, docs/templates.md,
# "Pictures from data"): real PNG, JPEG and GIF files placed in a
# paragraph, a row loop and a header, sized into the template's box or
# from their own resolution; one media part per content; relationships
# and content types; alternative text; the same bytes every run; the
# LibreOffice PDF holds them at the expected size. Hostile values (paths
# out of the folder, links, a FIFO, devices, broken or foreign files,
# huge dimensions, limits, bad data URIs) are located errors with
# nothing written.
. "$(dirname "$0")/lib.sh"
need_python
need_validate_docx

cd "$tmp"
mk() { "$NB_PYTHON3" "$NB_DATA/pictures/mkimg.py" "$@" || fail "mkimg.py $*"; }
count() { grep -o -- "$1" | wc -l | tr -d ' '; }
list_zip() {
    "$NB_PYTHON3" -c 'import sys, zipfile
for n in zipfile.ZipFile(sys.argv[1]).namelist(): print(n)' "$1"
}
part() {
    "$NB_PYTHON3" -c 'import sys, zipfile
sys.stdout.write(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]).decode())' "$1" "$2"
}

# ==== the template: a paragraph, a row loop, a paragraph loop, a header ====
W=http://schemas.openxmlformats.org/wordprocessingml/2006/main
R=http://schemas.openxmlformats.org/officeDocument/2006/relationships
mkdir -p t/_rels t/word/_rels
cat > 't/[Content_Types].xml' <<X
<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/header1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/></Types>
X
cat > t/_rels/.rels <<X
<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="$R/officeDocument" Target="word/document.xml"/></Relationships>
X
cat > t/word/_rels/document.xml.rels <<X
<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rIdH" Type="$R/header" Target="header1.xml"/></Relationships>
X
cat > t/word/header1.xml <<X
<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:hdr xmlns:w="$W"><w:p><w:r><w:t xml:space="preserve">页眉{{logo | picture:10mm}}</w:t></w:r></w:p></w:hdr>
X
cat > t/word/document.xml <<X
<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="$W" xmlns:r="$R"><w:body>
<w:p><w:r><w:t xml:space="preserve">标志：{{logo | picture:60mm,40mm | alt:"单位标志"}}。</w:t></w:r></w:p>
<w:p><w:r><w:t>{{photo | picture}}</w:t></w:r></w:p>
<w:p><w:r><w:t>{{gif | picture}}</w:t></w:r></w:p>
<w:p><w:r><w:t>{{wide | picture}}</w:t></w:r></w:p>
<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/></w:tblPr><w:tblGrid><w:gridCol w:w="3000"/><w:gridCol w:w="3000"/></w:tblGrid>
<w:tr><w:tc><w:p><w:r><w:t>{{#people}}{{name}}</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>{{img | picture:20mm}}{{/people}}</w:t></w:r></w:p></w:tc></w:tr></w:tbl>
<w:p><w:r><w:t>{{#people}}</w:t></w:r></w:p>
<w:p><w:r><w:t xml:space="preserve">{{@index}}. {{img | picture:*,8mm}}</w:t></w:r></w:p>
<w:p><w:r><w:t>{{/people}}</w:t></w:r></w:p>
<w:p><w:r><w:t>{{none | picture}}完。</w:t></w:r></w:p>
<w:sectPr><w:headerReference w:type="default" r:id="rIdH"/><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="2098" w:right="1474" w:bottom="1984" w:left="1588" w:header="851" w:footer="992" w:gutter="0"/></w:sectPr>
</w:body></w:document>
X
"$NB_MKZIP" t t.docx || fail "mkzip could not pack the template"

mkdir d
mk png d/logo.png 300 150 300      # 1 in × 0.5 in at 300 dpi
mk jpeg d/photo.jpg 160 80 150     # 1.0667 in at 150 dpi (JFIF)
mk gif d/anim.gif 40 30            # no resolution: 96 dpi
mk png d/wide.png 2400 100 96      # 25 in: made as wide as the text
cp d/logo.png d/same.png           # the same bytes under another name
cat > d/d.json <<'J'
{"logo": "logo.png",
 "photo": {"src": "photo.jpg", "alt": "负责人照片"},
 "gif": "anim.gif", "wide": "wide.png", "none": null,
 "people": [{"name": "甲", "img": "same.png"},
            {"name": "乙", "img": {"src": "photo.jpg", "width": "15mm"}},
            {"name": "丙", "img": "logo.png"}]}
J

expect_run 0 /dev/null -- render --data d/d.json -t t.docx -o out.docx
validate_docx out.docx
list_zip out.docx | sort > names
grep -c '^word/media/' names > n_media
[ "$(cat n_media)" = 4 ] || { cat names >&2; fail "expected 4 media parts (logo and same.png are one), got $(cat n_media)"; }
grep -q '^word/media/nianbao-[0-9a-f]\{16\}\.png$' names || fail "no PNG media part"
grep -q '^word/media/nianbao-[0-9a-f]\{16\}\.jpeg$' names || fail "no JPEG media part"
grep -q '^word/media/nianbao-[0-9a-f]\{16\}\.gif$' names || fail "no GIF media part"
grep -q '^word/_rels/header1.xml.rels$' names || fail "the header got no relationships part"
part out.docx word/document.xml > doc.xml
part out.docx word/header1.xml > hdr.xml
part out.docx word/_rels/document.xml.rels > doc.rels
part out.docx '[Content_Types].xml' > types.xml
# 1 logo + photo + gif + wide + 3 rows + 3 paragraphs; the header's one
[ "$(count '<w:drawing>' < doc.xml)" = 10 ] || fail "document.xml: $(count '<w:drawing>' < doc.xml) pictures, expected 10"
[ "$(count '<w:drawing>' < hdr.xml)" = 1 ] || fail "header1.xml: no picture"
# the row loop: three rows, a picture each
tr -d '\n' < doc.xml | sed -n 's/.*<w:tbl>\(.*\)<\/w:tbl>.*/\1/p' > tbl.xml
[ "$(count '<w:drawing>' < tbl.xml)" = 3 ] || fail "the row loop of 3 rows has $(count '<w:drawing>' < tbl.xml) pictures"
grep -q 'descr="单位标志"' doc.xml || fail "the template's alt text is missing"
grep -q 'descr="负责人照片"' doc.xml || fail "the data's alt text is missing"
# the box: 300×150 into 60×40 mm is 60×30 mm (36000 EMU a mm)
grep -q '<wp:extent cx="2160000" cy="1080000"/>' doc.xml || fail "the logo is not 60×30 mm"
# its own size: 160 px at 150 dpi; 40 px at 96 dpi
grep -q '<wp:extent cx="975360" cy="487680"/>' doc.xml || fail "the JPEG is not at its 150 dpi"
grep -q '<wp:extent cx="381000" cy="285750"/>' doc.xml || fail "the GIF is not at 96 dpi"
# too wide: the text width, 11906 - 1588 - 1474 = 8844 twips (635 EMU each)
grep -q '<wp:extent cx="5615940" cy="233998"/>' doc.xml || fail "the wide picture is not the text's width"
# the data's width replaces the template's box; *,8mm fixes the height
grep -q '<wp:extent cx="540000" cy="270000"/>' doc.xml || fail "width 15mm from the data not used"
grep -q '<wp:extent cx="576000" cy="288000"/>' doc.xml || fail "picture:*,8mm not 16×8 mm"
grep -q '>完。<' doc.xml || fail "the text after a null picture is lost"
# every docPr id once, in the body and the header
cat doc.xml hdr.xml | grep -o '<wp:docPr id="[0-9]*"' | sort | uniq -d > dup_ids
[ ! -s dup_ids ] || fail "repeated wp:docPr ids: $(cat dup_ids)"
[ "$(count 'relationships/image' < doc.rels)" = 4 ] || fail "document.xml.rels: expected 4 image relationships"
grep -q 'rIdH' doc.rels || fail "the template's relationship was lost"
for e in png jpeg gif; do
    [ "$(count "Extension=\"$e\"" < types.xml)" = 1 ] || fail "[Content_Types].xml: Default for $e"
done
# deterministic
expect_run 0 /dev/null -- render --data d/d.json -t t.docx -o out2.docx
cmp -s out.docx out2.docx || fail "two renders of the same data differ"

# check-template takes an object under a picture tag, and reads the boxes
expect_run 0 /dev/null -- check-template -q --data d/d.json t.docx

# a data URI, and --allow-dir for a folder beside the data's
mkdir -p shared
mk png shared/seal.png 20 20 0
b64=$("$NB_PYTHON3" -c 'import base64,sys; print(base64.b64encode(open(sys.argv[1],"rb").read()).decode())' d/logo.png)
printf '{"logo": "data:image/png;base64,%s", "photo": "../shared/seal.png", "gif": "anim.gif", "wide": "wide.png", "none": "", "people": []}\n' "$b64" > d/uri.json
expect_status 1 -- render --data d/uri.json -t t.docx -o uri.docx
grep -q "^d/uri.json(/photo): error: .*picture '../shared/seal.png': is outside .*\[NB7100\]$" "$tmp/stderr" ||
    fail "a path to a folder not allowed is not NB7100 at /photo"
expect_run 0 /dev/null -- render --data d/uri.json --allow-dir shared -t t.docx -o uri.docx
validate_docx uri.docx
[ "$(list_zip uri.docx | grep -c '^word/media/')" = 4 ] || fail "uri.docx: expected 4 media parts"
expect_status 2 -- render --allow-dir shared -t t.docx -o x.docx d/d.json
expect_status 3 -- render --data d/uri.json --allow-dir no-such-dir -t t.docx -o x.docx
grep -q "^no-such-dir: error: --allow-dir: the folder does not exist \[NB7100\]$" "$tmp/stderr" ||
    fail "a missing --allow-dir is not reported"

# ==== HTML: an <img> with a data URI ====
printf '<html><body>\n<p>{{logo | picture:20mm | alt:"标志"}}</p>\n</body></html>\n' > t.html
expect_run 0 /dev/null -- render --data d/d.json -t t.html -o out.html
grep -q '<img src="data:image/png;base64,iVBORw0KGgo[A-Za-z0-9+/=]*" alt="标志" width="76" height="38">' out.html ||
    fail "the HTML page has no <img> for the logo"

# ==== the template's mistakes ====
sed 's/picture:60mm,40mm/picture:60xx/' t/word/document.xml > bad.xml
mkdir -p tb && cp -r t/. tb/ && cp bad.xml tb/word/document.xml
"$NB_MKZIP" tb tb.docx || fail "mkzip tb"
expect_status 1 -- check-template -q --data d/d.json tb.docx
grep -q "^tb.docx(word/document.xml):3: error: '60xx' is not a box for a picture.*\[NB6100\]$" "$tmp/stderr" ||
    fail "a bad box is not NB6100"
sed 's/{{gif | picture}}/{{gif | picture | upper}}/' t/word/document.xml > tb/word/document.xml
"$NB_MKZIP" tb tb.docx || fail "mkzip tb"
expect_status 1 -- render --data d/d.json -t tb.docx -o tb-out.docx
grep -q "'upper' cannot come here.*\[NB6101\]$" "$tmp/stderr" || fail "a filter after picture is not NB6101"
[ ! -e tb-out.docx ] || fail "a template with a misplaced picture was rendered"

sed 's/{{gif | picture}}/{{gif | upper | alt:"x"}}/' t/word/document.xml > tb/word/document.xml
"$NB_MKZIP" tb tb.docx || fail "mkzip tb"
expect_status 1 -- check-template -q --data d/d.json tb.docx
grep -q "'alt' cannot come here.*\[NB6101\]$" "$tmp/stderr" || fail "alt without picture is not NB6101"
# a document property cannot hold a picture
cp t/word/document.xml tb/word/document.xml
mkdir -p tb/docProps
printf '%s' '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>{{logo | picture}}</dc:title></cp:coreProperties>' > tb/docProps/core.xml
printf '%s' "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"$R/officeDocument\" Target=\"word/document.xml\"/><Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/></Relationships>" > tb/_rels/.rels
"$NB_MKZIP" tb tb.docx || fail "mkzip tb"
expect_status 1 -- check-template -q --data d/d.json tb.docx
grep -q "^tb.docx(docProps/core.xml):1: error: '{{logo | picture}}': a picture goes only in the text of a paragraph.*\[NB6101\]$" "$tmp/stderr" ||
    fail "a picture in docProps/core.xml is not NB6101"

# ==== hostile values: located, exit 1, nothing written ====
cd d
mkfifo fifo
ln -s /etc/passwd passwd-link
ln -s ../shared/seal.png out-link
: > empty.png
mk png cut.png 300 150 300 60
printf '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>' > pic.svg
mkdir folder
"$NB_PYTHON3" - <<'P'
import struct, zlib
def chunk(t, d):
    return struct.pack('>I', len(d)) + t + d + struct.pack('>I', zlib.crc32(t + d))
open('huge.png', 'wb').write(b'\x89PNG\r\n\x1a\n' +
    chunk(b'IHDR', struct.pack('>IIBBBBB', 100000, 100000, 8, 2, 0, 0, 0)) +
    chunk(b'IDAT', zlib.compress(b'')) + chunk(b'IEND', b''))
P
bad() { # bad CODE PATTERN VALUE [OPTION...]: {{logo}} = VALUE is refused
    code=$1 pat=$2 val=$3
    shift 3
    printf '{"logo": %s, "photo": "photo.jpg", "gif": "anim.gif", "wide": "wide.png", "none": null, "people": []}\n' "$val" > h.json
    rm -f h.docx
    set +e
    timeout 10 "$NB_BIN" render --data h.json -t ../t.docx -o h.docx "$@" > /dev/null 2> h.err
    st=$?
    set -e
    [ "$st" = 1 ] || { cat h.err >&2; fail "$val: exit $st, expected 1 (124: it hung)"; }
    grep -q "^h.json(/logo[/a-z]*): error: {{logo | picture:60mm,40mm | alt:\"单位标志\"}} in ../t.docx(word/document.xml):3: picture.*$pat.*\[$code\]$" h.err ||
        { cat h.err >&2; fail "$val: not a located $code ($pat)"; }
    [ ! -e h.docx ] || fail "$val: a document was written"
    ! ls -A | grep -q '\.tmp-' || fail "$val: a temporary file was left"
}
bad NB7100 "is outside" '"../t.docx"'
bad NB7100 "is outside" "\"$tmp/t.docx\""
bad NB7100 "is outside" '"/etc/passwd"'
bad NB7100 "is outside" '"passwd-link"'
bad NB7100 "is outside" '"out-link"'
bad NB7100 "is outside" '"/dev/zero"'
bad NB7100 "not a regular file" '"/dev/zero"' --allow-dir /dev
bad NB7100 "not a regular file" '"fifo"'
bad NB7100 "a folder" '"folder"'
bad NB7100 "does not exist" '"nope.png"'
bad NB7101 "an empty file" '"empty.png"'
bad NB7101 "a PNG cut short" '"cut.png"'
bad NB7101 "an SVG" '"pic.svg"'
bad NB7102 "100000 × 100000" '"huge.png"'
bad NB7102 "limit of 300 bytes" '"logo.png"' --limit picture=300
bad NB7102 "together" '{"src": "logo.png"}' --limit pictures=100
bad NB7103 "not base64" '"data:image/png;base64,iVBOR*w0"'
bad NB7103 "cut short" '"data:image/png;base64,iVBORw0KG"'
bad NB7103 "not image/png" '"data:image/svg+xml;base64,PHN2Zy8+"'
bad NB7102 "limit" "\"data:image/png;base64,$b64\"" --limit picture=300
bad NB7104 "witdh" '{"src": "logo.png", "witdh": "3mm"}'
bad NB7104 "a list" '["logo.png"]'
# the JSON pointer of the value in a loop, and of the member at fault
printf '{"logo": {"src": "logo.png", "width": "wide"}, "photo": "photo.jpg", "gif": "anim.gif", "wide": "wide.png", "none": null, "people": [{"name": "a", "img": "logo.png"}, {"name": "b", "img": {"src": "../t.docx"}}]}\n' > p.json
expect_status 1 -- render --data p.json -t ../t.docx -o p.docx
grep -q "^p.json(/people/1/img/src): error: {{img | picture:20mm}} in ../t.docx(word/document.xml):8: picture '../t.docx': is outside" "$tmp/stderr" ||
    fail "the pointer of a picture in a row loop is not /people/1/img/src"
grep -q "^p.json(/logo/width): error: .*'width' of the object is not a length.*\[NB7104\]$" "$tmp/stderr" ||
    fail "a bad width is not located at /logo/width"
[ ! -e p.docx ] || fail "p.docx was written"
# an absolute path inside the folder is taken
printf '{"logo": "%s/d/logo.png", "photo": "photo.jpg", "gif": "anim.gif", "wide": "wide.png", "none": null, "people": []}\n' "$tmp" > abs.json
expect_run 0 /dev/null -- render --data abs.json -t ../t.docx -o abs.docx
# the data's own messages in Chinese
printf '{"logo": "../t.docx", "photo": "photo.jpg", "gif": "anim.gif", "wide": "wide.png", "none": null, "people": []}\n' > h.json
LC_ALL=C.UTF-8 LANGUAGE=zh_CN "$NB_BIN" render --data h.json -t ../t.docx -o h.docx 2> zh.err &&
    fail "a path out of the folder was rendered"
grep -q "图片 '../t.docx'：在数据文件所在文件夹和每个 --allow-dir 文件夹之外" zh.err ||
    fail "NB7100 is not translated"
cd ..

# ==== LibreOffice: the pictures at their size in the PDF ====
case ${NB_SOFFICE:-no} in
"" | no) echo "LibreOffice not found: placement not checked" >&2; exit 0 ;;
esac
command -v "$NB_SOFFICE" > /dev/null 2>&1 || exit 0
command -v pdfimages > /dev/null 2>&1 || { echo "pdfimages not found: placement not checked" >&2; exit 0; }
FONTCONFIG_FILE="$NB_SRCDIR/data/fontconfig/fonts.conf" run_timeout "$NB_SOFFICE" \
    "-env:UserInstallation=file://$tmp/lo" --headless \
    --convert-to pdf --outdir "$tmp" out.docx > soffice.log 2>&1 ||
    { cat soffice.log >&2; fail "LibreOffice could not convert out.docx"; }
pdfimages -list out.pdf > images || fail "pdfimages could not read out.pdf"
# page num type width height color comp bpc enc interp object ID x-ppi y-ppi
"$NB_PYTHON3" - images <<'P' || fail "out.pdf: the pictures are not placed at their size"
import sys
# placed width in mm: pixels / ppi (LibreOffice may downsample a picture
# to 300 ppi, which keeps the placed size)
rows = [l.split() for l in open(sys.argv[1]).read().splitlines()[2:]]
seen = sorted(round(int(r[3]) / int(r[12]) * 25.4, 1) for r in rows)
want = [
    (60.0, "the logo in its 60×40 mm box"),
    (27.1, "the JPEG at its own 150 dpi"),
    (10.6, "the GIF at 96 dpi"),
    (156.0, "the wide PNG at the text's width"),
    (20.0, "the PNG in a 20 mm cell"),
    (15.0, "the JPEG at the data's 15 mm"),
    (16.0, "the PNG 8 mm high"),
    (10.0, "the header's 10 mm logo"),
]
bad = [why for mm, why in want if not any(abs(s - mm) <= 0.4 for s in seen)]
if bad:
    print("missing: %s; placed widths (mm): %r" % ("; ".join(bad), seen),
          file=sys.stderr)
    sys.exit(1)
P
