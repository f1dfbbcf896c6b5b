#!/bin/sh
# The appendix table of figures (docs/templates.md, "The appendix table of
# figures"): <figures-table> in the report XML, 附件指标表 in meta.csv and
# the workbook's 基本信息 sheet ask the standard template for a 附件 after
# the signature: 附件说明 under the text, then on a page of its own the
# label, the title and a table of every figure (指标, 本年, 单位, 上年,
# 增减) in the catalog's order, or by the catalog's groups, its heading row
# repeated on every page. The HTML page and the text show the same table.
# Without the flag the output is the same as with 否. Converting keeps the
# flag both ways; a bad value is an error. The layout is checked in
# LibreOffice's PDF when it is there.
. "$(dirname "$0")/lib.sh"

need_python
need_validate_docx
cd "$tmp"
ex="$NB_SRCDIR/examples/changshan-2022/report.xml"

# cells DOCX: the rows of word/document.xml's tables, cells joined by |,
# a line each, marked H for a heading row (w:tblHeader)
cat > cells.py <<'EOF'
import sys, zipfile, xml.etree.ElementTree as ET
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
doc = ET.fromstring(zipfile.ZipFile(sys.argv[1]).read("word/document.xml"))
for tr in doc.iter(W + "tr"):
    head = tr.find(W + "trPr/" + W + "tblHeader") is not None
    cells = ["".join(t.text or "" for t in tc.iter(W + "t"))
             for tc in tr.findall(W + "tc")]
    print(("H " if head else "") + "|".join(cells))
EOF
cells() { "$NB_PYTHON3" cells.py "$1"; }
# body DOCX: the paragraphs of the body outside tables, a line each
cat > body.py <<'EOF'
import sys, zipfile, xml.etree.ElementTree as ET
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
body = ET.fromstring(zipfile.ZipFile(sys.argv[1]).read("word/document.xml"))[0]
for p in body.findall(W + "p"):
    brk = p.find(W + "pPr/" + W + "pageBreakBefore") is not None
    text = "".join(t.text or "" for t in p.iter(W + "t")).replace("\u3000", "")
    print(("^" if brk else "") + text)
EOF

# last year's report: two figures changed, one dropped
sed -e 's:<year>2022</year>:<year>2021</year>:' \
    -e 's:<date>2023-02-08</date>::' \
    -e 's:>24</metric>:>20</metric>:' -e 's:>2.6</metric>:>3.1</metric>:' \
    "$ex" > prev.xml
grep -q '>20</metric>' prev.xml || fail "prev.xml: no figure changed"

# ==== XML, in the catalog's order ====
sed 's:<date>:<figures-table/><date>:' "$ex" > flag.xml
expect_run 0 /dev/null -- render flag.xml --previous prev.xml -o flag.docx
validate_docx flag.docx
cells flag.docx > got
cat > want <<'W'
H 指标|本年|单位|上年|增减
行政应诉败诉率|2.6|%|3.1|-0.5个百分点
制发行政执法监督通知书|24|份|20|+4
W
diff -u want got >&2 || fail "flag.docx: table cells differ"
"$NB_PYTHON3" body.py flag.docx | tail -n 7 > got
cat > want <<'W'
附件：2022年度主要指标

常山县司法局
2023年2月8日
^附件

W
head -n 6 got | diff -u want - >&2 ||
    fail "flag.docx: 附件说明 before the signature, 附件 on a new page after it"
"$NB_PYTHON3" body.py flag.docx | grep -qx '2022年度主要指标' ||
    fail "flag.docx: no appendix title"
# last year unknown: 上年 and 增减 empty
expect_run 0 /dev/null -- render flag.xml -o noprev.docx
cells noprev.docx > got
grep -qx '制发行政执法监督通知书|24|份||' got ||
    fail "noprev.docx: 上年 and 增减 should be empty"

# ==== by group ====
sed 's:<date>:<figures-table>group</figures-table><date>:' "$ex" > group.xml
expect_run 0 /dev/null -- render group.xml -o group.docx
validate_docx group.docx
cells group.docx > got
cat > want <<'W'
H 指标|本年|单位|上年|增减
行政应诉
行政应诉败诉率|2.6|%||
行政执法
制发行政执法监督通知书|24|份||
W
diff -u want got >&2 || fail "group.docx: table cells differ"

# ==== without the flag: no appendix, the same bytes as with 否 ====
expect_run 0 /dev/null -- render "$ex" -o plain.docx
sed 's:<date>:<figures-table>否</figures-table><date>:' "$ex" > no.xml
expect_run 0 /dev/null -- render no.xml -o no.docx
cmp -s plain.docx no.docx || fail "figures-table 否 changed the output"
[ -z "$(cells plain.docx)" ] || fail "plain.docx has a table"
"$NB_PYTHON3" body.py plain.docx | grep -q '附件' && fail "plain.docx has 附件"
expect_run 0 /dev/null -- render "$ex" -o plain.html
expect_run 0 /dev/null -- render no.xml -o no.html
cmp -s plain.html no.html || fail "figures-table 否 changed the web page"
grep -q 'appendix' plain.html && fail "plain.html has the appendix's style"

# ==== HTML and text ====
expect_run 0 /dev/null -- render flag.xml --previous prev.xml -o flag.html
grep -qF '<p class="attachments">附件：2022年度主要指标</p>' flag.html ||
    fail "flag.html: no 附件说明"
grep -qF '<tr><td>制发行政执法监督通知书</td><td class="num">24</td><td class="unit">份</td><td class="num">20</td><td class="num">+4</td></tr>' flag.html ||
    fail "flag.html: no row of the figure"
expect_run 0 /dev/null -- render flag.xml --previous prev.xml -o flag.txt
tab=$(printf '\t')
grep -qx "指标${tab}本年${tab}单位${tab}上年${tab}增减" flag.txt ||
    fail "flag.txt: no heading row"
grep -qx "行政应诉败诉率${tab}2.6${tab}%${tab}3.1${tab}-0.5个百分点" flag.txt ||
    fail "flag.txt: no row of the rate"

# ==== forms and the workbook, both ways ====
expect_run 0 /dev/null -- convert group.xml -o forms
grep -q '^附件指标表,分类' forms/meta.csv ||
    { cat forms/meta.csv >&2; fail "forms/meta.csv: no 附件指标表 row"; }
expect_run 0 /dev/null -- render forms -o forms.docx
cells forms.docx | diff -u want - >&2 || fail "forms.docx: table cells differ"
expect_run 0 /dev/null -- convert forms -o back.xml
grep -q '<figures-table>group</figures-table>' back.xml ||
    fail "back.xml: figures-table lost"
expect_run 0 /dev/null -- convert forms -o book.xlsx
expect_run 0 /dev/null -- render book.xlsx -o book.docx
cells book.docx | diff -u want - >&2 || fail "book.docx: table cells differ"
expect_run 0 /dev/null -- convert flag.xml -o forms2
grep -q '^附件指标表,是' forms2/meta.csv || fail "forms2: 是 expected"
# the code works as well as the Chinese name
sed 's/^附件指标表,是.*$/figures_table,分类/' forms2/meta.csv > m.csv &&
    mv m.csv forms2/meta.csv
expect_run 0 /dev/null -- render forms2 -o forms2.docx
cells forms2.docx > got
grep -qx '行政执法' got || fail "forms2: figures_table 分类 not read"

# ==== bad values ====
sed 's/^figures_table,分类.*$/附件指标表,也许/' forms2/meta.csv > m.csv &&
    mv m.csv forms2/meta.csv
expect_status 1 -- validate forms2
grep -q 'NB1' "$tmp/stderr" && grep -q '也许' "$tmp/stderr" ||
    { cat "$tmp/stderr" >&2; fail "forms2: the bad value is not reported"; }
sed 's:<date>:<figures-table>maybe</figures-table><date>:' "$ex" > bad.xml
expect_status 1 -- render bad.xml -o bad.docx
[ ! -e bad.docx ] || fail "bad.docx written"
grep -q 'figures-table' "$tmp/stderr" ||
    { cat "$tmp/stderr" >&2; fail "bad.xml: figures-table not named"; }

# ==== LibreOffice: the 附件 on a page of its own, its heading row on
# every page it spans ====
case ${NB_SOFFICE:-no} in
"" | no) echo "LibreOffice not found: layout not checked" >&2; exit 0 ;;
esac
command -v "$NB_SOFFICE" > /dev/null 2>&1 || exit 0
command -v "${NB_PDFTOTEXT:-pdftotext}" > /dev/null 2>&1 || exit 0
# 60 figures of a local catalog after the report's: the table spans pages
"$NB_PYTHON3" - <<'EOF'
ind = ['<?xml version="1.0" encoding="UTF-8"?>',
       '<indicators xmlns="urn:nianbao:indicators:1" version="1">']
met = []
for i in range(1, 61):
    ind.append('<indicator code="mm_c%02d" type="count" unit="件" '
               'group="本地" name="本地统计事项%02d"/>' % (i, i))
    met.append('<metric code="mm_c%02d">%d</metric>' % (i, i * 7))
ind.append("</indicators>")
open("local.xml", "w", encoding="utf-8").write("\n".join(ind) + "\n")
s = open("flag.xml", encoding="utf-8").read()
s = s.replace("</metrics>", "\n".join(met) + "</metrics>")
open("long.xml", "w", encoding="utf-8").write(s)
EOF
expect_run 0 /dev/null -- render long.xml --indicators local.xml -o long.docx
validate_docx long.docx
fonts="$NB_SRCDIR/data/fontconfig/fonts.conf"
FONTCONFIG_FILE="$fonts" run_timeout "$NB_SOFFICE" \
    "-env:UserInstallation=file://$tmp/lo" --headless \
    --convert-to pdf --outdir "$tmp" long.docx > soffice.log 2>&1 ||
    { cat soffice.log >&2; fail "LibreOffice could not convert long.docx"; }
"${NB_PDFTOTEXT:-pdftotext}" -bbox long.pdf long.html ||
    fail "pdftotext could not read long.pdf"
"$NB_PYTHON3" - long.html <<'EOF' || fail "long.pdf: the appendix is not laid out as it should be"
import sys, xml.etree.ElementTree as ET
X = "{http://www.w3.org/1999/xhtml}"
pages = []
for page in ET.parse(sys.argv[1]).iter(X + "page"):
    lines = {}
    for w in page.iter(X + "word"):
        y = round(float(w.get("yMin")) / 4)
        lines.setdefault(y, []).append((float(w.get("xMin")), w.text or ""))
    pages.append(["".join(t for x, t in sorted(v)) for y, v in sorted(lines.items())])
bad = []
sig = [i for i, p in enumerate(pages) if any("2023年2月8日" in l for l in p)]
app = [i for i, p in enumerate(pages) if p and p[0] == "附件"]
print("appendix on pages %r of %d" % (app, len(pages)), file=sys.stderr)
if len(sig) != 1 or len(app) != 1 or app[0] != sig[0] + 1:
    bad.append("附件 should open the page after the signature's: %r %r" % (sig, app))
else:
    a = app[0]
    if len(pages[a]) < 3 or pages[a][1] != "2022年度主要指标":
        bad.append("the title should follow the label: %r" % pages[a][:3])
    rest = pages[a:]
    heads = [p for p in rest if any(l.replace(" ", "") == "指标本年单位上年增减" for l in p)]
    if len(rest) < 2:
        bad.append("the table should span pages: %d page(s)" % len(rest))
    if len(heads) != len(rest):
        bad.append("heading row on %d of %d pages" % (len(heads), len(rest)))
    for p in rest[1:]:
        if p and p[0].replace(" ", "") != "指标本年单位上年增减":
            bad.append("a continued page should start with the heading row: %r" % p[0])
    text = "\n".join(l for p in rest for l in p)
    for want in ("本地统计事项60", "制发行政执法监督通知书"):
        if want not in text:
            bad.append("missing row: " + want)
for b in bad:
    print(b, file=sys.stderr)
sys.exit(1 if bad else 0)
EOF
exit 0
