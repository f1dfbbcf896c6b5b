#!/bin/sh
# Only the parts a template's relationships reach are merged (tmpl_reach.c):
# a header no relationship names is copied byte for byte, however many
# tags and loops it holds, and check-template warns about it (NB6090);
# the same header, once a relationship and a section name it, is merged.
# A relationship climbing out of the package ("../../x") reaches nothing.
. "$(dirname "$0")/lib.sh"

cd "$tmp"
report="$NB_SRCDIR/examples/changshan-2022/report.xml"
R=http://schemas.openxmlformats.org/officeDocument/2006/relationships
W=http://schemas.openxmlformats.org/wordprocessingml/2006/main

fresh() {
    rm -rf "$1"
    cp -R "$NB_SRCDIR/templates/standard" "$1"
    chmod -R u+w "$1"
}

pack() {
    rm -f "$1.docx"
    "$NB_MKZIP" "$1" "$1.docx" || fail "mkzip could not pack $1"
}

# a header whose loop, merged, would repeat the issuer per part
header() {
    printf '%s\n' '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' \
        "<w:hdr xmlns:w=\"$W\"><w:p><w:r><w:t>{{#sections}}{{meta.issuer}}{{/sections}}</w:t></w:r></w:p></w:hdr>" \
        > "$1/word/header9.xml"
    sed -i 's#</Types>#<Override PartName="/word/header9.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/></Types>#' \
        "$1/[Content_Types].xml"
}

need_validate_docx

# ---- a header no relationship reaches: copied, warned ----
fresh loose
header loose
pack loose
expect_status 0 -- check-template loose.docx
grep -q "loose.docx(word/header9.xml): warning: .*\[NB6090\]" "$tmp/stderr" ||
    fail "check-template did not warn about the unreferenced header: $(cat "$tmp/stderr")"
expect_status 0 -- render "$report" -t loose.docx -o loose-out.docx
grep -q "\[NB6090\]" "$tmp/stderr" || fail "render did not warn: $(cat "$tmp/stderr")"
unzip -p loose-out.docx word/header9.xml > got.xml || fail "the header was dropped"
cmp -s got.xml loose/word/header9.xml ||
    fail "an unreferenced header was merged: $(cat got.xml)"
validate_docx loose-out.docx
# with --allow-external it stays a warning: it is no external content
expect_status 0 -- check-template --allow-external loose.docx
grep -q "warning: .*\[NB6090\]" "$tmp/stderr" || fail "--allow-external hid NB6090"

# ---- the same header, named by a relationship and a section: merged ----
fresh linked
header linked
sed -i "s#</Relationships>#<Relationship Id=\"rId90\" Type=\"$R/header\" Target=\"header9.xml\"/></Relationships>#" \
    linked/word/_rels/document.xml.rels
sed -i "0,/<w:sectPr>/s##<w:sectPr><w:headerReference w:type=\"default\" r:id=\"rId90\" xmlns:r=\"$R\"/>#" \
    linked/word/document.xml
pack linked
expect_status 0 -- check-template linked.docx
grep -q "NB6090" "$tmp/stderr" && fail "a referenced header was called unreferenced: $(cat "$tmp/stderr")"
expect_status 0 -- render "$report" -t linked.docx -o linked-out.docx
unzip -p linked-out.docx word/header9.xml > got.xml
grep -q '{{' got.xml && fail "a referenced header was not merged: $(cat got.xml)"
issuer=$(grep -o '<issuer>[^<]*' "$report" | head -n 1 | cut -c9-)
[ "$(grep -o "$issuer" got.xml | wc -l)" -ge 2 ] ||
    fail "the referenced header's loop did not repeat '$issuer': $(cat got.xml)"
validate_docx linked-out.docx

# ---- a relationship that climbs out of the package reaches nothing ----
fresh climb
header climb
sed -i "s#</Relationships>#<Relationship Id=\"rId90\" Type=\"$R/header\" Target=\"../../word/header9.xml\"/></Relationships>#" \
    climb/word/_rels/document.xml.rels
pack climb
expect_status 0 -- check-template climb.docx
grep -q "\[NB6090\]" "$tmp/stderr" || fail "a target above the package root reached a part: $(cat "$tmp/stderr")"

# ---- a relative target through another folder (../word/x) reaches it ----
fresh relative
header relative
sed -i "s#</Relationships>#<Relationship Id=\"rId90\" Type=\"$R/header\" Target=\"./../word/header9.xml\"/></Relationships>#" \
    relative/word/_rels/document.xml.rels
pack relative
expect_status 0 -- check-template relative.docx
grep -q "NB6090" "$tmp/stderr" && fail "../word/header9.xml from word/ was not followed: $(cat "$tmp/stderr")"

exit 0
