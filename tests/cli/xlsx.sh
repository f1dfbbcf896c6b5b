#!/bin/sh
# xlsx.sh: workbooks read and written (docs/forms.md "Workbooks").
#
# Two independent writers: python3-openpyxl (tests/data/xlsx/mkbooks.py
# writes its workbooks, and the hostile ones by hand, into $tmp) and
# LibreOffice Calc (tests/data/xlsx/calc-*, its saves of the openpyxl
# workbooks, kept unpacked and zipped here by mkzip). The three examples
# go XML -> workbook -> the same DOCX bytes; nianbao's own workbook goes
# through Calc with its drop-downs and hidden list sheet intact.
. "$(dirname "$0")/lib.sh"

py=
for p in "${NB_PYTHON3:-}" /usr/bin/python3 python3; do
    if [ -n "$p" ] && [ "$p" != no ] &&
        "$p" -c 'import openpyxl' > /dev/null 2>&1; then
        py=$p
        break
    fi
done
[ -n "$py" ] || skip "python3 with openpyxl (python3-openpyxl) not found"

cd "$tmp"
"$py" "$NB_DATA/xlsx/mkbooks.py" "$tmp" || fail "mkbooks.py failed"
for d in calc-ok calc-bad; do
    "$NB_MKZIP" "$NB_DATA/xlsx/$d" "$d.xlsx" || fail "mkzip $d"
done

# ==== Read: values as the number formats say ====

expect_run 0 /dev/null -- convert ok-openpyxl.xlsx -o ok.xml
for want in '<date>2023-02-08</date>' \
    '<metric code="fy_received" unit="件">93</metric>' \
    '<metric code="fy_accepted" unit="件">90</metric>' \
    '<metric code="fy_correction_rate" note="纠错率">98.5</metric>' \
    '<metric code="ys_cases" unit="件">1234</metric>'; do
    grep -qF "$want" ok.xml || fail "ok-openpyxl.xlsx: no $want in: $(cat ok.xml)"
done
# Calc's save of the same workbook reads the same
expect_run 0 /dev/null -- convert calc-ok.xlsx -o calc.xml
cmp ok.xml calc.xml || fail "Calc's save reads differently: $(diff ok.xml calc.xml)"
# the 1904 date system
expect_run 0 /dev/null -- convert ok-1904.xlsx -o 1904.xml
grep -qF '<date>2023-02-08</date>' 1904.xml || fail "1904 system: $(grep date 1904.xml)"

# findings located by sheet and cell, as both writers save them
cat > bad.expect << 'EOF'
bad-openpyxl.xlsx: note: the checks that use fy_received fy_accepted fy_concluded fy_changed fy_correction_rate (references in the text, rates, parts and wholes) were skipped: their rows of metrics.csv (指标) could not be read; correct them and validate again [NB5300]
bad-openpyxl.xlsx/指标!C2: error: the cell shows the error '#DIV/0!': fix its formula, or type the figure [NB3005]
bad-openpyxl.xlsx/指标!C3: error: the formula has no saved value: open the workbook in Excel, WPS or Calc and save it, or type the figure [NB3006]
bad-openpyxl.xlsx/指标!C4: error: 数值: '1.2E+07' is in scientific notation; format the column as a number in Excel and save again [NB1012]
bad-openpyxl.xlsx/指标!C5: error: 数值: '12件' is not a number: write the number alone (12) and the unit in its own column [NB1012]
bad-openpyxl.xlsx/指标:6: error: 数值 '150': 行政复议纠错率 (fy_correction_rate) is a rate, from 0 to 100 [NB5002]
EOF
expect_run 1 bad.expect -- validate bad-openpyxl.xlsx
# Calc computed the formula: its error value, located
sed -e 's/bad-openpyxl/calc-bad/' \
    -e "s/C3: error: the formula has no saved value: open the workbook in Excel, WPS or Calc and save it, or type the figure \[NB3006\]/C3: error: the cell shows the error '#DIV\/0!': fix its formula, or type the figure [NB3005]/" \
    bad.expect > calc-bad.expect
expect_run 1 calc-bad.expect -- validate calc-bad.xlsx
cat > cells.expect << 'EOF'
bad-cells.xlsx/指标!A2: error: the cell holds the control character U+0001, which a report cannot carry: delete it [NB3013]
bad-cells.xlsx/指标!B2: error: the cell names shared string '7', which the workbook does not have [NB3013]
EOF
expect_run 1 cells.expect -- validate bad-cells.xlsx
# JSON names the cell
expect_status 1 -- validate --diag=json bad-openpyxl.xlsx
grep -qF '"file":"bad-openpyxl.xlsx/指标","cell":"C2","line":2,"col":3' stdout ||
    fail "JSON cell location: $(head -1 stdout)"

# one form: checked alone by validate; not a report for render
cat > one.expect << 'EOF'
one-metrics.xlsx/指标!C3: error: 数值: 'x' is not a number [NB1012]
EOF
expect_run 1 one.expect -- validate one-metrics.xlsx
expect_status 1 -- render one-metrics.xlsx -o one.docx
grep -qF '[NB1020]' stderr || fail "one form rendered: $(cat stderr)"
[ ! -e one.docx ] || fail "a one-form workbook was rendered"

# ==== Hostile workbooks: refused, located, within the limits ====

expect_status 3 -- validate hostile-cell.xlsx
grep -qF 'hostile-cell.xlsx/指标!A2: error: the cell holds more than the limit of 1048576 bytes [NB3010]' stderr ||
    fail "10^6-character cell: $(cat stderr)"
grep -qF -- '--limit' stderr || fail "no --limit hint: $(cat stderr)"
expect_status 3 -- validate hostile-columns.xlsx
grep -qF 'hostile-columns.xlsx/指标!XFD2: error: the row has a value in column 16384, past the limit of 10000 columns [NB3009]' stderr ||
    fail "16,384 columns: $(cat stderr)"
expect_status 1 -- validate --limit cells=20000 hostile-columns.xlsx
grep -qF 'hostile-columns.xlsx/指标:2: error: row has 16384 cells but the header has 2' stderr || fail "XFD2 with the limit raised: $(cat stderr)"
expect_status 3 -- validate --limit strings=1M hostile-sst.xlsx
grep -qF 'hostile-sst.xlsx(xl/sharedStrings.xml): error: the shared strings take more than the limit of 1048576 bytes' stderr ||
    fail "shared strings: $(cat stderr)"
expect_status 3 -- validate --limit sheet=1M hostile-cell.xlsx
grep -qF '[NB3008]' stderr || fail "sheet limit: $(cat stderr)"
# a claimed dimension of 10^6 x 16,384 costs nothing
expect_run 0 /dev/null -- validate hostile-dimension.xlsx
expect_status 1 -- validate hostile-laughs.xlsx
grep -qF 'hostile-laughs.xlsx(xl/worksheets/sheet1.xml): error: DOCTYPE declarations are not allowed' stderr ||
    fail "billion laughs: $(cat stderr)"
expect_status 1 -- validate hostile-doctype-late.xlsx
grep -qF 'hostile-doctype-late.xlsx(xl/worksheets/sheet1.xml): error: DOCTYPE declarations are not allowed' stderr ||
    fail "DOCTYPE after a comment: $(cat stderr)"

# prefixed SpreadsheetML, comments, instructions, CDATA and references
# read as the plain sheet; the findings quote the decoded cells
expect_status 1 -- validate markup-plain.xlsx
sed 's/^markup-plain/markup/' stderr > plain.err
grep -qF "markup-plain.xlsx/指标!A2: error: 指标代码: 'fy_received&x' does not match" stderr ||
    fail "markup-plain: $(cat stderr)"
grep -qF "markup-plain.xlsx/指标!A4: error: 指标代码: '<x>一' does not match" stderr ||
    fail "markup-plain: $(cat stderr)"
grep -qF "markup-plain.xlsx/指标!B2: error: 数值: '93 件' is not a number" stderr ||
    fail "markup-plain: $(cat stderr)"
[ "$(wc -l < stderr)" -eq 5 ] || fail "markup-plain: $(cat stderr)"
expect_status 1 -- validate markup-prefixed.xlsx
sed 's/^markup-prefixed/markup/' stderr > prefixed.err
cmp plain.err prefixed.err ||
    fail "prefixed markup reads differently: $(diff plain.err prefixed.err)"
t0=$(date +%s)
expect_status 3 -- validate hostile-attrs.xlsx
grep -qF 'hostile-attrs.xlsx(xl/worksheets/sheet1.xml):1: error: an element with more than 1000 attributes [NB9011]' stderr ||
    fail "100,000 attributes in a sheet: $(cat stderr)"
expect_status 3 -- validate hostile-attrs-wb.xlsx
grep -qF 'hostile-attrs-wb.xlsx(xl/workbook.xml):1: error: an element with more than 1000 attributes [NB9011]' stderr ||
    fail "100,000 attributes in the workbook part: $(cat stderr)"
[ $(($(date +%s) - t0)) -lt 10 ] || fail "refusing 100,000 attributes took more than 10 s"
expect_status 1 -- validate hostile-external.xlsx
grep -qF '[NB3003]' stderr || fail "external link: $(cat stderr)"
expect_status 1 -- validate hostile-macros.xlsx
grep -qF '[NB3002]' stderr || fail "VBA project: $(cat stderr)"
cp ok-openpyxl.xlsx macro.xlsm
expect_status 1 -- validate macro.xlsm
grep -qF 'macro.xlsm: error: a macro-enabled workbook (.xlsm) is not read: save it as an Excel Workbook (.xlsx) [NB3002]' stderr ||
    fail ".xlsm: $(cat stderr)"
printf 'not a zip' > junk.xlsx
expect_status 1 -- validate junk.xlsx
grep -qF 'junk.xlsx: error: not a workbook' stderr || fail "junk: $(cat stderr)"

# ==== Write: the examples through a workbook, the same bytes ====

for ex in jiangbei-2021 changshan-2022 liangjiang-2022; do
    xml="$NB_SRCDIR/examples/$ex/report.xml"
    expect_run 0 /dev/null -- convert "$xml" -o "$ex.xlsx"
    expect_run 0 /dev/null -- render "$ex.xlsx" -o "$ex-book.docx"
    expect_run 0 /dev/null -- render "$xml" -o "$ex-xml.docx"
    cmp "$ex-book.docx" "$ex-xml.docx" ||
        fail "$ex: the workbook renders other bytes than the XML"
    expect_run 0 /dev/null -- convert "$ex.xlsx" -o "$ex-back.xml"
    expect_run 0 /dev/null -- convert "$ex-back.xml" -o "$ex-2.xlsx"
    cmp "$ex.xlsx" "$ex-2.xlsx" || fail "$ex: XML -> xlsx -> XML -> xlsx differs"
done
# the form set and its workbook: one report
expect_run 0 /dev/null -- convert liangjiang-2022.xlsx -o lj.xml
expect_run 0 /dev/null -- convert "$NB_SRCDIR/examples/liangjiang-2022/forms" -o lj-forms.xml
cmp lj.xml lj-forms.xml || fail "forms and workbook differ"

# init --xlsx: the blank workbook reads as the blank forms do
expect_status 0 -- init --xlsx blank.xlsx --issuer=常山县司法局 --year=2025
expect_status 0 -- init blank-forms --issuer=常山县司法局 --year=2025
expect_status 1 -- validate blank.xlsx
sed 's|^blank.xlsx/正文|X|' stderr > blank-book.err
expect_status 1 -- validate blank-forms
sed 's|^blank-forms/narrative.csv|X|' stderr > blank-forms.err
cmp blank-book.err blank-forms.err || fail "blank workbook and forms differ: $(diff blank-book.err blank-forms.err)"
expect_status 2 -- init --xlsx x.xlsx somedir
expect_status 1 -- convert bad-openpyxl.xlsx -o never.xml
[ ! -e never.xml ] || fail "convert wrote a report with errors"
# the workbook's parts: sheets, hidden list, drop-downs, frozen header
"$py" - blank.xlsx > stdout-py << 'EOF' || fail "the blank workbook's structure"
import sys, zipfile, re
z = zipfile.ZipFile(sys.argv[1])
wb = z.read("xl/workbook.xml").decode()
sheets = re.findall(r'<sheet [^>]*>', wb)
names = [re.search(r'name="([^"]+)"', e).group(1) for e in sheets]
assert names == ["填写说明", "基本信息", "正文", "指标", "目录"], names
assert [('state="hidden"' in e) for e in sheets] == [False] * 4 + [True]
body = {i: z.read("xl/worksheets/sheet%d.xml" % i).decode() for i in range(2, 5)}
for i, n in ((2, 1), (3, 4)):
    assert body[i].count("<dataValidation ") == n, (i, body[i].count("<dataValidation "))
for i in (2, 3, 4):
    assert 'state="frozen"' in body[i], i
# codes and names from 目录; figures not negative; rates 0-100; units
assert "'目录'!$F$2:$F$" in body[4] and "'目录'!$G$2:$G$" in body[4]
assert 'operator="greaterThanOrEqual"' in body[4] and "不小于 0" in body[4]
assert re.search(r'<dataValidation type="decimal" errorStyle="warning"[^>]*'
                 r'error="比率应在 0 到 100 之间。"[^>]*sqref="C17:C18"', body[4])
assert re.search(r"VLOOKUP\(A\d+,'目录'!\$F:\$H,3,FALSE\)", body[4])
print(sum(b.count("<dataValidation ") for b in body.values()))
EOF
n_valid=$(cat stdout-py)

# ==== LibreOffice Calc opens and saves it, validations intact ====

case ${NB_SOFFICE:-no} in
"" | no) exit 0 ;;
esac
command -v "$NB_SOFFICE" > /dev/null 2>&1 || exit 0
mkdir lo
run_timeout "$NB_SOFFICE" --headless --norestore \
    "-env:UserInstallation=file://$tmp/lo-profile" \
    --convert-to 'xlsx:Calc MS Excel 2007 XML' --outdir lo \
    blank.xlsx changshan-2022.xlsx > lo.log 2>&1 || fail "soffice: $(cat lo.log)"
"$py" - lo/blank.xlsx "$n_valid" << 'EOF' || fail "Calc's save lost the validations"
import sys, zipfile, re
z = zipfile.ZipFile(sys.argv[1])
wb = z.read("xl/workbook.xml").decode()
assert re.search(r'<sheet name="目录"[^>]*state="hidden"', wb), wb
n = sum(z.read(f).decode().count("<dataValidation ")
        for f in z.namelist() if f.startswith("xl/worksheets/sheet"))
assert n == int(sys.argv[2]), (n, sys.argv[2])
EOF
expect_run 0 /dev/null -- render lo/changshan-2022.xlsx -o lo.docx
cmp lo.docx changshan-2022-xml.docx || fail "Calc's save renders other bytes"
