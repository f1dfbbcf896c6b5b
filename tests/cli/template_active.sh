#!/bin/sh
# A template's external and active content (docs/templates.md, "External
# and active content"): each construct built into a copy of the standard
# template is a located finding of check-template; render refuses macros,
# DDE fields and a remote attached template (exit 1, nothing written) and
# warns on the rest; --allow-external accepts all of them (notes) and the
# output is valid OOXML; a DOCTYPE in a part without tags is never copied.
. "$(dirname "$0")/lib.sh"

cd "$tmp"
report="$NB_SRCDIR/examples/changshan-2022/report.xml"
R=http://schemas.openxmlformats.org/officeDocument/2006/relationships
W=http://schemas.openxmlformats.org/wordprocessingml/2006/main

# fresh NAME: a copy of the standard template's parts in NAME/
fresh() {
    rm -rf "$1"
    cp -R "$NB_SRCDIR/templates/standard" "$1"
    chmod -R u+w "$1"
}

# rel NAME RELS-PART LINE: LINE (a <Relationship/>) on a line of its own
# before </Relationships> of NAME/RELS-PART (made when missing)
rel() {
    _f="$1/$2"
    if [ ! -f "$_f" ]; then
        mkdir -p "$(dirname "$_f")"
        printf '%s\n%s\n</Relationships>\n' \
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' \
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' > "$_f"
    fi
    awk -v add="$3" '/<\/Relationships>/ { print add } { print }' "$_f" > "$_f.new"
    mv "$_f.new" "$_f"
}

# body NAME XML: XML on a line of its own before <w:sectPr> of the body
body() {
    awk -v add="$2" '/<w:sectPr>/ && !done { print add; done = 1 } { print }' \
        "$1/word/document.xml" > "$1/doc.new"
    mv "$1/doc.new" "$1/word/document.xml"
}

# types NAME DEFAULTS: NAME's [Content_Types].xml, the standard one with
# the <Default/> elements DEFAULTS added
types() {
    sed "s#<Default Extension=\"xml\"#$2<Default Extension=\"xml\"#" \
        "$NB_SRCDIR/templates/standard/[Content_Types].xml" > "$1/[Content_Types].xml"
}

# line_of FILE STRING: the first line of FILE holding STRING
line_of() {
    grep -nF -- "$2" "$1" | head -n 1 | cut -d: -f1
}

pack() {
    "$NB_MKZIP" "$1" "$1.docx" || fail "mkzip could not pack $1"
}

# finding SEV CODE PART LINE: the last run's stderr has it
finding() {
    grep -qF "$1.docx($3):$4: $2:" "$tmp/stderr" &&
        grep -F "$1.docx($3):$4: $2:" "$tmp/stderr" | grep -qF "[$5]" ||
        fail "no '$2 $5' at $1.docx($3):$4 in: $(cat "$tmp/stderr")"
}

# refused NAME CODE: render (single and --batch) refuses the template and
# writes nothing, an output already there is kept; --allow-external
# renders it, valid
refused() {
    echo old > old.docx
    expect_status 1 -- render "$report" -t "$1.docx" -o old.docx
    grep -qF "[$2]" "$tmp/stderr" || fail "$1: no $2: $(cat "$tmp/stderr")"
    [ "$(cat old.docx)" = old ] || fail "$1: the refused render replaced old.docx"
    expect_status 1 -- render "$report" -t "$1.docx" -o "$1-out.docx"
    [ ! -e "$1-out.docx" ] || fail "$1: refused, yet $1-out.docx was written"
    ls | grep -q 'tmp-' && fail "$1: a temporary file was left: $(ls)"
    rm -rf inbox outdir && mkdir inbox && cp "$report" inbox/changshan.xml
    expect_status 1 -- render --batch inbox -o outdir -t "$1.docx" -q
    grep -qF "[$2]" "$tmp/stderr" || fail "$1 --batch: no $2: $(cat "$tmp/stderr")"
    [ ! -e outdir/changshan.docx ] || fail "$1 --batch: refused, yet rendered"
    accepted "$1" "$2"
    expect_status 0 -- render --batch inbox -o outdir -t "$1.docx" -q --allow-external
    [ -s outdir/changshan.docx ] || fail "$1 --batch --allow-external wrote nothing"
}

# accepted NAME CODE: --allow-external renders, the finding a note
accepted() {
    rm -f "$1-ok.docx"
    expect_status 0 -- render "$report" -t "$1.docx" -o "$1-ok.docx" --allow-external
    grep -q "note: .*\[$2\]" "$tmp/stderr" || fail "$1 --allow-external: no note $2: $(cat "$tmp/stderr")"
    grep -q "error:" "$tmp/stderr" && fail "$1 --allow-external: $(cat "$tmp/stderr")"
    validate_docx "$1-ok.docx"
}

# warned NAME CODE: render writes it, with a warning
warned() {
    rm -f "$1-out.docx"
    expect_status 0 -- render "$report" -t "$1.docx" -o "$1-out.docx"
    grep -q "warning: .*\[$2\]" "$tmp/stderr" || fail "$1: no warning $2: $(cat "$tmp/stderr")"
    validate_docx "$1-out.docx"
    accepted "$1" "$2"
}

need_validate_docx

# ---- the standard template: nothing to say ----
fresh std && pack std
expect_run 0 /dev/null -- check-template -q std.docx
expect_run 0 /dev/null -- render "$report" -t std.docx -o std-out.docx

# ---- warnings: an external image, hyperlink, subdocument, other links ----
fresh links
rel links word/_rels/document.xml.rels "<Relationship Id=\"rId90\" Type=\"$R/image\" Target=\"http://example.invalid/x.png\" TargetMode=\"External\"/>"
rel links word/_rels/document.xml.rels "<Relationship Id=\"rId91\" Type=\"$R/hyperlink\" Target=\"https://example.invalid/a\" TargetMode=\"External\"/>"
rel links word/_rels/document.xml.rels "<Relationship Id=\"rId92\" Type=\"$R/subDocument\" Target=\"\\\\files.example\\share\\sub.docx\" TargetMode=\"External\"/>"
rel links word/_rels/settings.xml.rels "<Relationship Id=\"rId1\" Type=\"$R/mailMergeSource\" Target=\"file://files.example/share/list.xlsx\" TargetMode=\"External\"/>"
rel links word/_rels/document.xml.rels "<Relationship Id=\"rId93\" Type=\"$R/image\" Target=\"media/none.png\"/>"
mkdir -p links/word/media
echo 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==' |
    base64 -d > links/word/media/none.png
types links '<Default Extension="png" ContentType="image/png"/>'
rels=links/word/_rels/document.xml.rels
pack links
expect_status 0 -- check-template -q links.docx
finding links warning word/_rels/document.xml.rels "$(line_of $rels rId90)" NB6083
finding links warning word/_rels/document.xml.rels "$(line_of $rels rId91)" NB6084
finding links warning word/_rels/document.xml.rels "$(line_of $rels rId92)" NB6088
finding links warning word/_rels/settings.xml.rels 3 NB6083
grep -qF "https://example.invalid/a" "$tmp/stderr" || fail "the link's address is not said"
grep -qF "mailMergeSource" "$tmp/stderr" || fail "the relationship's type is not said"
[ "$(grep -c 'NB60' "$tmp/stderr")" -eq 4 ] || fail "an internal image is a finding: $(cat "$tmp/stderr")"
expect_status 0 -- check-template -q --allow-external links.docx
[ "$(grep -c 'note: .*NB608' "$tmp/stderr")" -eq 4 ] || fail "--allow-external: $(cat "$tmp/stderr")"
warned links NB6084

# ---- fields: DDEAUTO split over runs, INCLUDETEXT in w:fldSimple, ----
# ---- INCLUDEPICTURE, a nested field, lower case ----
fresh fields
body fields "<w:p><w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText xml:space=\"preserve\"> DD</w:instrText></w:r><w:r><w:instrText>EAUTO c:\\\\windows\\\\system32\\\\cmd.exe \"/k calc\"</w:instrText></w:r><w:r><w:fldChar w:fldCharType=\"separate\"/></w:r><w:r><w:t>x</w:t></w:r><w:r><w:fldChar w:fldCharType=\"end\"/></w:r></w:p>"
body fields "<w:p><w:fldSimple w:instr=\" INCLUDETEXT &quot;C:\\\\secret.docx&quot; \"><w:r><w:t>y</w:t></w:r></w:fldSimple></w:p>"
body fields "<w:p><w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText>includepicture \"http://example.invalid/p.png\" \\\\d</w:instrText></w:r><w:r><w:fldChar w:fldCharType=\"end\"/></w:r></w:p>"
body fields "<w:p><w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText>IF 1 = 1 \"</w:instrText></w:r><w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText>DDE Excel x y</w:instrText></w:r><w:r><w:fldChar w:fldCharType=\"end\"/></w:r><w:r><w:instrText>\"</w:instrText></w:r><w:r><w:fldChar w:fldCharType=\"end\"/></w:r></w:p>"
body fields "<w:p><w:fldSimple w:instr=\" PAGE \"><w:r><w:t>1</w:t></w:r></w:fldSimple></w:p>"
doc=fields/word/document.xml
pack fields
expect_status 1 -- check-template -q fields.docx
finding fields error word/document.xml "$(line_of $doc ' DD<')" NB6082
finding fields warning word/document.xml "$(line_of $doc INCLUDETEXT)" NB6085
finding fields warning word/document.xml "$(line_of $doc includepicture)" NB6085
finding fields error word/document.xml "$(line_of $doc 'DDE Excel')" NB6082
grep -qF "'DDEAUTO c:" "$tmp/stderr" || fail "the field code is not joined: $(cat "$tmp/stderr")"
[ "$(grep -c 'NB608' "$tmp/stderr")" -eq 4 ] || fail "PAGE or IF is a finding: $(cat "$tmp/stderr")"
refused fields NB6082
# in a footer too
fresh footer
awk '/<\/w:ftr>/ { print "<w:p><w:fldSimple w:instr=\"DDEAUTO x y\"/></w:p>" } { print }' \
    footer/word/footer1.xml > f.xml && mv f.xml footer/word/footer1.xml
pack footer
expect_status 1 -- check-template -q footer.docx
finding footer error word/footer1.xml "$(line_of footer/word/footer1.xml DDEAUTO)" NB6082

# ---- an attached template on a server or a web site; a local one is ----
# ---- what Word writes and no finding ----
for target in 'https://example.invalid/t.dotm' '\\\\files.example\\share\\t.dotm' \
    'file://files.example/t.dotm' 'ftp://example.invalid/t.dotm'; do
    fresh remote
    rel remote word/_rels/settings.xml.rels "<Relationship Id=\"rId1\" Type=\"$R/attachedTemplate\" Target=\"$target\" TargetMode=\"External\"/>"
    pack remote
    expect_status 1 -- check-template -q remote.docx
    finding remote error word/_rels/settings.xml.rels 3 NB6081
done
refused remote NB6081
for target in 'file:///C:\\Users\\me\\AppData\\Roaming\\Microsoft\\Templates\\Normal.dotm' \
    'C:\\Templates\\公文.dotx' 'Normal.dotm' 'file://localhost/C:/t.dotx'; do
    fresh local
    rel local word/_rels/settings.xml.rels "<Relationship Id=\"rId1\" Type=\"$R/attachedTemplate\" Target=\"$target\" TargetMode=\"External\"/>"
    pack local
    expect_run 0 /dev/null -- check-template -q local.docx
done

# ---- macros: vbaProject.bin and the macro-enabled types ----
fresh macros
printf 'VBA' > macros/word/vbaProject.bin
rel macros word/_rels/document.xml.rels "<Relationship Id=\"rId90\" Type=\"http://schemas.microsoft.com/office/2006/relationships/vbaProject\" Target=\"vbaProject.bin\"/>"
ct='macros/[Content_Types].xml'
sed 's#wordprocessingml.document.main+xml#XXX#; s#<Default Extension="xml"#<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>\n  <Default Extension="xml"#' "$ct" |
    sed 's#application/vnd.openxmlformats-officedocument.XXX#application/vnd.ms-word.document.macroEnabled.main+xml#' > ct.xml
mv ct.xml "$ct"
pack macros
expect_status 1 -- check-template -q macros.docx
grep -q "^macros.docx(word/vbaProject.bin): error: .*\[NB6080\]" "$tmp/stderr" ||
    fail "vbaProject.bin: $(cat "$tmp/stderr")"
finding macros error '[Content_Types].xml' "$(line_of "$ct" macroEnabled)" NB6080
finding macros error '[Content_Types].xml' "$(line_of "$ct" vbaProject)" NB6080
refused macros NB6080
# a template saved as .dotm is refused as well
fresh dotm
sed 's#officedocument.wordprocessingml.document.main+xml#ms-word.template.macroEnabledTemplate.main+xml#' \
    std/'[Content_Types].xml' > 'dotm/[Content_Types].xml'
pack dotm
expect_status 1 -- check-template -q dotm.docx
finding dotm error '[Content_Types].xml' "$(line_of 'dotm/[Content_Types].xml' macroEnabled)" NB6080

# ---- OLE objects, ActiveX controls, altChunk: warnings ----
fresh ole
mkdir -p ole/word/embeddings
printf 'OLE' > ole/word/embeddings/oleObject1.bin
printf '<html><body>x</body></html>' > ole/word/chunk.htm
rel ole word/_rels/document.xml.rels "<Relationship Id=\"rId90\" Type=\"$R/oleObject\" Target=\"embeddings/oleObject1.bin\"/>"
rel ole word/_rels/document.xml.rels "<Relationship Id=\"rId91\" Type=\"$R/oleObject\" Target=\"C:\\\\data\\\\book.xlsx\" TargetMode=\"External\"/>"
rel ole word/_rels/document.xml.rels "<Relationship Id=\"rId92\" Type=\"$R/aFChunk\" Target=\"chunk.htm\"/>"
types ole '<Default Extension="bin" ContentType="application/vnd.openxmlformats-officedocument.oleObject"/><Default Extension="htm" ContentType="text/html"/>'
body ole "<w:altChunk xmlns:r=\"$R\" r:id=\"rId92\"/>"
rels=ole/word/_rels/document.xml.rels
pack ole
expect_status 0 -- check-template -q ole.docx
finding ole warning word/_rels/document.xml.rels "$(line_of $rels rId90)" NB6087
finding ole warning word/_rels/document.xml.rels "$(line_of $rels rId91)" NB6087
finding ole warning word/_rels/document.xml.rels "$(line_of $rels rId92)" NB6086
warned ole NB6086

# ---- a DOCTYPE in a part without tags: refused, --allow-external too ----
for part in word/fontTable.xml word/_rels/document.xml.rels; do
    fresh doctype
    awk 'NR == 1 { print; print "<!DOCTYPE x [<!ENTITY e \"boom\">]>"; next } { print }' \
        "doctype/$part" > d.xml && mv d.xml "doctype/$part"
    pack doctype
    expect_status 1 -- check-template -q doctype.docx
    finding doctype error "$part" 2 NB6089
    expect_status 1 -- render "$report" -t doctype.docx -o doctype-out.docx --allow-external
    grep -qF "[NB6089]" "$tmp/stderr" || fail "$part: $(cat "$tmp/stderr")"
    [ ! -e doctype-out.docx ] || fail "a DOCTYPE in $part was written"
done
# in UTF-16 as well
fresh doctype
{
    printf '<?xml version="1.0" encoding="UTF-16"?>\n<!DOCTYPE w:fonts [<!ENTITY e "x">]>\n'
    sed 1d std/word/fontTable.xml
} | iconv -f UTF-8 -t UTF-16 > doctype/word/fontTable.xml
pack doctype
expect_status 1 -- check-template -q doctype.docx
finding doctype error word/fontTable.xml 2 NB6089

# and where the parser stops before it: an encoding it does not know
fresh doctype
{
    printf '<?xml version="1.0" encoding="x-no-such"?>\n\n<!DOCTYPE w:fonts>\n'
    sed 1d std/word/fontTable.xml
} > doctype/word/fontTable.xml
pack doctype
expect_status 1 -- check-template -q doctype.docx
finding doctype error word/fontTable.xml 3 NB6089

# ---- check-template lists every finding at once, in Chinese too ----
fresh all
cp fields/word/document.xml all/word/document.xml
cp remote/word/_rels/settings.xml.rels all/word/_rels/
cp links/word/_rels/document.xml.rels all/word/_rels/
pack all
expect_status 1 -- check-template all.docx
grep -q "tags in" "$tmp/stdout" || fail "the tags are not listed: $(cat "$tmp/stdout")"
for code in NB6081 NB6082 NB6083 NB6084 NB6085 NB6088; do
    grep -qF "[$code]" "$tmp/stderr" || fail "check-template: no $code"
done
expect_status 1 -- check-template -q --diag=json all.docx
grep -q '"code":"NB6082"' "$tmp/stdout" || fail "json: $(cat "$tmp/stdout")"
LANGUAGE=zh_CN LC_ALL=C.UTF-8 nb check-template -q all.docx 2> zh.txt && fail "zh: exit 0"
grep -q '超链接' zh.txt || fail "not translated: $(cat zh.txt)"
exit 0
