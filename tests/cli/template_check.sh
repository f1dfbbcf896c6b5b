#!/bin/sh
# nianbao check-template, the tag paths checked against the report's data
# (by check-template and by render), and templates as users make them:
# the standard template re-saved by LibreOffice, templates written with
# python-docx, Word-authored files with tags typed in. Fixtures are in
# tests/data/templates/check/ (small/ and broken/, unpacked; report.xml).
. "$(dirname "$0")/lib.sh"

need_validate_docx
need_python

d="$NB_DATA/templates/check"
cd "$tmp"

zip_dir() {
    "$NB_MKZIP" "$1" "$2" || fail "mkzip could not pack $1"
}

# ==== the tag list of a small template: parts, paragraphs, excerpts ====
zip_dir "$d/small" small.docx
expect_run 0 /dev/null -- check-template small.docx
expect_stdout "$d/small.stdout"
expect_run 0 /dev/null -- check-template --json small.docx
expect_stdout "$d/small.json"
expect_run 0 /dev/null -- check-template -q small.docx
expect_stdout /dev/null
# the template renders: what was listed is what is merged
expect_run 0 /dev/null -- render "$d/report.xml" -t small.docx -o small-out.docx
validate_docx small-out.docx
cat > want <<'EOF'
某某县司法局2022年度法治政府建设情况报告

一、2022年度推进法治政府建设的主要举措和成效
(一)强化统筹协调
统筹推进法治建设。
(二)坚持依法行政

二、下一步工作安排
全年收到行政复议申请130件,同比。
EOF
paragraphs_are small-out.docx
[ "$(paragraphs small-out.docx word/header1.xml)" = "某某县司法局 2022年度" ] ||
    fail "small: header reads '$(paragraphs small-out.docx word/header1.xml)'"

# ==== every problem of a broken template at once, of every kind ====
zip_dir "$d/broken" broken.docx
expect_run 1 "$d/broken.expect" -- check-template broken.docx
expect_stdout "$d/broken.stdout"
# the same findings as JSON on stdout, nothing on stderr
expect_run 1 /dev/null -- check-template -q --diag=json broken.docx
[ "$(wc -l < "$tmp/stdout")" -eq "$(wc -l < "$d/broken.expect")" ] ||
    fail "--diag=json: $(wc -l < "$tmp/stdout") findings, expected $(wc -l < "$d/broken.expect")"
for code in NB6020 NB6003 NB6004 NB6006 NB6030 NB6031 NB6032 NB6033 NB6034; do
    grep -q "\"code\":\"$code\"" "$tmp/stdout" || fail "--diag=json: no $code"
done
# an unknown name with what was meant, and the catalog's nearest code
grep -qF "'{{titel}}': no 'titel' in the data a template sees; did you mean 'title'?" "$d/broken.expect" ||
    fail "broken.expect lacks the did-you-mean"
grep -qF "did you mean 'fy_received'?" "$d/broken.expect" ||
    fail "broken.expect lacks the indicator suggestion"

# render refuses the same template with the same findings, before writing
mkdir refused
expect_run 1 "$d/broken.expect" -- render "$d/report.xml" -t broken.docx -o refused/out.docx
[ -z "$(ls -A refused)" ] || fail "render wrote from a broken template: $(ls -A refused)"

# a template whose only problem is a name: render refuses it too
cp -R "$d/small" typo
sed '9s/{{title}}/{{titel}}/' "$d/small/word/document.xml" > typo/word/document.xml
zip_dir typo typo.docx
cat > typo.expect <<'EOF'
typo.docx(word/document.xml):7: error: '{{titel}}': no 'titel' in the data a template sees; did you mean 'title'? [NB6030]
EOF
expect_run 1 typo.expect -- check-template -q typo.docx
expect_run 1 typo.expect -- render "$d/report.xml" -t typo.docx -o refused/typo.docx
[ -z "$(ls -A refused)" ] || fail "render wrote from a template with an unknown name"
# render --batch checks it once, before any submission
mkdir batch
cp "$d/report.xml" batch/a.xml
expect_status 1 -- render --batch batch -t typo.docx -o batch-out
grep -qF "$(cat typo.expect)" "$tmp/stderr" || fail "render --batch: no NB6030 for typo.docx"
[ -z "$(ls -A batch-out 2> /dev/null)" ] || fail "render --batch wrote documents from typo.docx"

# a local catalog makes its codes known to metric.CODE
sed 's/{{metric.fy_received.yoy}}/{{metric.mm_hotline.text}}/' "$d/small/word/document.xml" > typo/word/document.xml
zip_dir typo local.docx
expect_status 1 -- check-template -q local.docx
grep -q "'mm_hotline' is not an indicator code of the catalog" "$tmp/stderr" ||
    fail "metric.mm_hotline: not reported without the local catalog"
expect_run 0 /dev/null -- check-template -q --indicators "$NB_DATA/rules/local-ok.xml" local.docx

# ==== the standard template is clean, with or without --standard ====
expect_run 0 /dev/null -- check-template
grep -q '^word/document.xml ' "$tmp/stdout" || fail "standard: no tag of word/document.xml listed"
grep -q '^docProps/core.xml ' "$tmp/stdout" || fail "standard: no tag of docProps/core.xml listed"
cp "$tmp/stdout" standard.table
expect_run 0 /dev/null -- check-template --standard
expect_stdout standard.table
expect_run 0 /dev/null -- export-template std.docx
expect_run 0 /dev/null -- check-template std.docx
expect_stdout standard.table

# ==== usage ====
expect_status 2 -- check-template std.docx small.docx
expect_status 2 -- check-template --standard std.docx
expect_status 2 -- check-template --diag=xml std.docx
expect_status 2 -- check-template --bogus
expect_status 3 -- check-template missing.docx
expect_run 0 /dev/null -- check-template --help
grep -q '^Usage: nianbao check-template' "$tmp/stdout" || fail "--help: no usage line"
grep -q 'PARA' "$tmp/stdout" || fail "--help does not explain the columns"
expect_status 0 -- --help
grep -q 'check-template' "$tmp/stdout" || fail "nianbao --help does not list check-template"

# ==== Word-authored files with tags typed in ====
# addtags.py SRC OUT PART=OLD=TAG...: the first <w:t> of PART whose text
# is OLD gets TAG instead; prints "PART PARAGRAPH {{TAG}}" for each tag
# typed, the paragraph counted independently (every w:p of the part, in
# document order)
cat > addtags.py <<'EOF'
import re, sys, zipfile
import xml.etree.ElementTree as ET

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
src, out = sys.argv[1], sys.argv[2]
edits = {}
for arg in sys.argv[3:]:
    part, old, tag = arg.split("=", 2)
    edits.setdefault(part, []).append((old, tag))
zin = zipfile.ZipFile(src)
rows = []
with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
    for info in zin.infolist():
        data = zin.read(info.filename)
        if info.filename in edits:
            xml = data.decode("utf-8")
            for old, tag in edits[info.filename]:
                pat = re.compile(r"(<w:t(?: [^>]*)?>)" + re.escape(old) + "</w:t>")
                xml, n = pat.subn(lambda m: m.group(1) + tag + "</w:t>", xml, count=1)
                assert n == 1, (info.filename, old)
            data = xml.encode("utf-8")
            paras = list(ET.fromstring(data).iter(W + "p"))
            for old, tag in edits[info.filename]:
                nos = [no for no, p in enumerate(paras, 1)
                       if any(t.text == tag for t in p.iter(W + "t"))]
                assert nos, (info.filename, tag)
                for one in re.findall(r"\{\{.*?\}\}", tag):
                    rows.append("%s %d %s" % (info.filename, nos[0], one))
        zout.writestr(info, data)
print("\n".join(sorted(rows)))
EOF
# tags_at DOCX: "PART PARAGRAPH {{TAG}}" of each listed tag, sorted
# only_links: the last run's stderr has nothing but warnings of external
# hyperlinks (NB6084, which Word's own files have)
only_links() {
    if grep -v ': warning: a hyperlink to .*\[NB6084\]$' "$tmp/stderr" | grep -q .; then
        fail "more than link warnings: $(cat "$tmp/stderr")"
    fi
}
tags_at() {
    expect_status 0 -- check-template --json "$1"
    only_links
    "$NB_PYTHON3" -c '
import json, sys
rows = []
for line in open(sys.argv[1], encoding="utf-8"):
    t = json.loads(line)
    rows.append("%s %d {{%s}}" % (t["part"], t["paragraph"], t["tag"]))
print("\n".join(sorted(rows)))' "$tmp/stdout"
}
# Word's files, beside the OOXML checker (shared/ooxml/fixtures/good)
good="$(dirname "$NB_VALIDATE_DOCX")/fixtures/good"
[ -f "$good/minimal.docx" ] || fail "no Word fixtures at $good"

# word_case NAME SRC EDIT...: tags typed into a Word file are listed where
# they were typed, the file renders, and the values are in its text
word_case() {
    name=$1 src=$2
    shift 2
    "$NB_PYTHON3" addtags.py "$src" "$name.docx" "$@" > "$name.want" ||
        fail "$name: could not add the tags"
    tags_at "$name.docx" > "$name.got"
    diff -u "$name.want" "$name.got" >&2 ||
        fail "$name: tags listed at other places (- typed, + listed)"
    expect_status 0 -- render "$d/report.xml" -t "$name.docx" -o "$name-out.docx"
    only_links
    validate_docx "$name-out.docx"
}
word_case minimal "$good/minimal.docx" \
    'word/document.xml=Minimal test document={{title}}' \
    'word/document.xml=text={{meta.issuer}}' \
    'word/document.xml=A1={{meta.year}}' \
    'word/header1.xml=Header={{meta.issuer}}' \
    'word/footer1.xml=Footer={{meta.date|cn_date}}'
grep -q "^minimal.docx(word/_rels/document.xml.rels):[0-9]*: warning: a hyperlink to 'https://example.com/' \[NB6084\]$" "$tmp/stderr" ||
    fail "minimal: the external hyperlink is not a warning: $(cat "$tmp/stderr")"
paragraphs minimal-out.docx > got
grep -qx '某某县司法局2022年度法治政府建设情况报告' got || fail "minimal: no title"
grep -qx 'Bold 某某县司法局' got || fail "minimal: the issuer is not after 'Bold '"
grep -qx '2022' got || fail "minimal: the year is not in the table cell"
[ "$(paragraphs minimal-out.docx word/header1.xml)" = 某某县司法局 ] || fail "minimal: header"
[ "$(paragraphs minimal-out.docx word/footer1.xml)" = 2023年2月8日 ] || fail "minimal: footer"

word_case comments "$good/word/word2010-comments.docx" \
    'word/document.xml=Ouch={{title}}'
[ "$(paragraphs comments-out.docx)" = 某某县司法局2022年度法治政府建设情况报告. ] ||
    fail "comments: the commented text reads '$(paragraphs comments-out.docx)'"
# the comments are still anchored
flat=$("$NB_DOCXDUMP" --part word/document.xml comments-out.docx | tr -d '\r\n')
case $flat in
*commentRangeStart*commentRangeEnd*commentReference*) ;;
*) fail "comments: the comment range was lost" ;;
esac

word_case header-footer "$good/word/word2016-header-footer.docx" \
    'word/document.xml=section with header={{title}}' \
    'word/header2.xml=Header for section-1={{meta.issuer}}' \
    'word/document.xml=section without header of its own.={{#sections}}{{n|cn}}{{/sections}}' \
    'word/footer2.xml=1={{meta.date|cn_date}}'
[ "$(paragraphs header-footer-out.docx | head -n 1)" = 某某县司法局2022年度法治政府建设情况报告 ] ||
    fail "header-footer: title"
[ "$(paragraphs header-footer-out.docx word/header2.xml)" = 某某县司法局 ] || fail "header-footer: header"
paragraphs header-footer-out.docx | grep -qx 一二 || fail "header-footer: the section loop of the second section"
# Word split "Footer for section 1" into two runs; the tag took the second
[ "$(paragraphs header-footer-out.docx word/footer2.xml)" = "Footer for section 2023年2月8日" ] ||
    fail "header-footer: footer reads '$(paragraphs header-footer-out.docx word/footer2.xml)'"

# ==== a template written with python-docx ====
pydocx=
for py in "$NB_PYTHON3" /usr/bin/python3 python3; do
    if "$py" -c 'import docx' > /dev/null 2>&1; then
        pydocx=$py
        break
    fi
done
skipped=
if [ -z "$pydocx" ]; then
    skipped="python-docx not found (Debian: python3-docx)"
else
cat > pydocx.py <<'EOF'
# as users script a template: a title, a header, paragraphs of section
# tags, a tag whose filter is in a bold run of its own, a table whose
# second row repeats for every metric, a comment
import sys
from docx import Document

doc = Document()
doc.sections[0].header.paragraphs[0].text = "发布机构:{{meta.issuer}}"
doc.add_heading("{{title}}", level=0)
doc.add_paragraph("{{#sections}}")
doc.add_heading("{{n|cn}}、{{title}}", level=1)
doc.add_paragraph("{{#areas}}")
p = doc.add_paragraph()
p.add_run("({{n|")
p.add_run("cn}}").bold = True
p.add_run("){{title}}")
doc.add_paragraph("{{/areas}}")
doc.add_paragraph("{{/sections}}")
table = doc.add_table(rows=2, cols=2)
table.style = "Table Grid"
table.cell(0, 0).text = "指标"
table.cell(0, 1).text = "数值"
table.cell(1, 0).text = "{{#metrics}}{{name}}"
table.cell(1, 1).text = "{{text}}{{/metrics}}"
doc.add_paragraph("{{! built by python-docx }}{{meta.date|cn_date}}")
doc.save(sys.argv[1])
EOF
"$pydocx" pydocx.py py.docx || fail "python-docx could not write the template"
validate_docx py.docx
expect_run 0 /dev/null -- check-template py.docx
grep -q '^word/document.xml     5     2  field     {{n|cn}} ' "$tmp/stdout" ||
    fail "python-docx: the split tag is not listed whole in paragraph 5"
grep -q '^word/header1.xml      1     2  field     {{meta.issuer}} ' "$tmp/stdout" ||
    fail "python-docx: the header's tag is not listed"
expect_run 0 /dev/null -- render "$d/report.xml" -t py.docx -o py-out.docx
validate_docx py-out.docx
cat > want <<'EOF'
某某县司法局2022年度法治政府建设情况报告
一、2022年度推进法治政府建设的主要举措和成效
(一)强化统筹协调
(二)坚持依法行政
二、下一步工作安排
指标
数值
行政复议收到申请
130件
行政复议受理
120件
2023年2月8日
EOF
paragraphs_are py-out.docx
[ "$(paragraphs py-out.docx word/header1.xml)" = 发布机构:某某县司法局 ] ||
    fail "python-docx: header reads '$(paragraphs py-out.docx word/header1.xml)'"
"$NB_DOCXDUMP" --tables py-out.docx > got
cat > want <<'EOF'
table
| 指标 | 数值 |
| 行政复议收到申请 | 130件 |
| 行政复议受理 | 120件 |
EOF
diff -u want got >&2 || fail "python-docx: table rows differ (- expected, + actual)"
fi

# ==== the standard template re-saved by LibreOffice ====
case ${NB_SOFFICE:-no} in
"" | no) skip "LibreOffice (soffice) not found${skipped:+; $skipped}" ;;
esac
command -v "$NB_SOFFICE" > /dev/null 2>&1 ||
    skip "LibreOffice not found at '$NB_SOFFICE'${skipped:+; $skipped}"
run_timeout() {
    if command -v timeout > /dev/null 2>&1; then
        timeout 180 "$@"
    else
        "$@"
    fi
}
# a profile of our own, as in libreoffice.sh; .docx -> .odt -> .docx
# re-splits the runs and renames the styles
for step in "odt std.docx lo-odt" "docx lo-odt/std.odt lo-docx"; do
    set -- $step
    if ! HOME="$tmp" run_timeout "$NB_SOFFICE" "-env:UserInstallation=file://$tmp/lo" \
            --headless --convert-to "$1" --outdir "$3" "$2" > soffice.log 2>&1; then
        cat soffice.log >&2
        fail "LibreOffice could not convert $2 to $1 (or took over 180 s)"
    fi
done
lo=lo-docx/std.docx
[ -s "$lo" ] || { cat soffice.log >&2; fail "LibreOffice wrote no $lo"; }
validate_docx "$lo"
"$NB_DOCXDUMP" --part word/document.xml "$lo" > lo.xml
"$NB_DOCXDUMP" --part word/document.xml std.docx > std.xml
! cmp -s lo.xml std.xml || fail "LibreOffice left word/document.xml as it was: nothing tested"
# its tags are the standard template's, and it is clean
expect_run 0 /dev/null -- check-template --json std.docx
sed 's/.*"kind":\("[a-z]*"\),"tag":\("[^"]*"\).*/\1 \2/' "$tmp/stdout" | sort > std.tags
expect_run 0 /dev/null -- check-template --json "$lo"
sed 's/.*"kind":\("[a-z]*"\),"tag":\("[^"]*"\).*/\1 \2/' "$tmp/stdout" | sort > lo.tags
diff -u std.tags lo.tags >&2 || fail "the re-saved template lists other tags"
for ex in changshan-2022 jiangbei-2021 liangjiang-2022; do
    r="$NB_SRCDIR/examples/$ex/report.xml"
    expect_run 0 /dev/null -- render "$r" -o "$ex-std.docx"
    expect_run 0 /dev/null -- render "$r" -t "$lo" -o "$ex-lo.docx"
    validate_docx "$ex-lo.docx"
    paragraphs "$ex-std.docx" > std.txt
    paragraphs "$ex-lo.docx" > lo.txt
    diff -u std.txt lo.txt >&2 ||
        fail "$ex: the re-saved template gives other words (- built-in, + re-saved)"
done
[ -z "$skipped" ] || skip "$skipped"
exit 0
