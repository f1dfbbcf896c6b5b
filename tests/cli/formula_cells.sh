#!/bin/sh
# Cells that Excel and WPS would take for a formula (= + - @, a tab, a
# CR at the start) are written to every CSV form with a leading
# apostrophe, as the summaries write them, and read back without it: a
# report goes XML -> forms -> XML byte for byte, in UTF-8 and GB18030,
# a text that really begins with apostrophes included; plain figures
# stay figures. Workbooks hold such text as strings, never formulas.
. "$(dirname "$0")/lib.sh"

cd "$tmp"
cat > inj.xml <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<report xmlns="urn:nianbao:report:1" version="1">
  <meta>
    <issuer>=HYPERLINK("http://x.example/","司法局")</issuer>
    <year>2022</year>
    <doc-number>@SUM(1+1)</doc-number>
    <addressee>'=市政府</addressee>
    <profile>work-summary</profile>
  </meta>
  <section kind="measures">
    <area>
      <title>+强化统筹协调</title>
      <p>-2+3+cmd|' /C calc'!A0</p>
      <p>'引号开头的文字</p>
      <p>''=两个引号</p>
      <p>-3</p>
    </area>
  </section>
  <metrics>
    <metric code="fy_received" unit="件" note="=1+1">93</metric>
    <metric code="ys_loss_rate" note="@note">2.5</metric>
  </metrics>
</report>
XML

for enc in utf-8 gb18030; do
    expect_run 0 /dev/null -- convert inj.xml -o "forms-$enc" --output-encoding=$enc
    expect_run 0 /dev/null -- convert "forms-$enc" -o "back-$enc.xml"
    cmp inj.xml "back-$enc.xml" || fail "$enc: XML -> forms -> XML changed the report"
    expect_run 0 /dev/null -- convert "back-$enc.xml" -o "again-$enc" --output-encoding=$enc
    for f in meta narrative metrics; do
        cmp "forms-$enc/$f.csv" "again-$enc/$f.csv" ||
            fail "$enc: forms -> XML -> forms changed $f.csv"
    done
done

cat forms-utf-8/meta.csv forms-utf-8/narrative.csv forms-utf-8/metrics.csv > all.csv
# no cell begins with a formula character, but for plain figures
if grep -E '(^|,)"?([=+@]|-[^0-9])' all.csv; then
    fail "a form cell begins with a formula character"
fi
for want in '"'"'"'=HYPERLINK(' "'@SUM(1+1)" "''=市政府" "'+强化统筹协调" \
    "'-2+3+cmd" "'''=两个引号" ",'引号开头的文字" ",-3" ",93," ",2.5," \
    "'=1+1" "'@note"; do
    grep -qF -- "$want" all.csv || fail "the forms lack the cell $want"
done
# a text beginning with one apostrophe before an ordinary letter keeps it
if grep -qF ",''引号" all.csv; then
    fail "an apostrophe before plain text was doubled"
fi

# a form typed by hand with Excel's prefix reads as the text after it
cp -r forms-utf-8 typed
printf '\357\273\277项目,内容\r\n发布机构,'"'"'+某某县司法局\r\n年度,2022\r\n' > typed/meta.csv
expect_run 0 /dev/null -- convert typed -o typed.xml
grep -qF '<issuer>+某某县司法局</issuer>' typed.xml ||
    fail "the apostrophe prefix of a typed form was kept"

# workbooks: the text is a string, never a formula, and reads back
expect_run 0 /dev/null -- convert inj.xml -o inj.xlsx
expect_run 0 /dev/null -- convert inj.xlsx -o xlsx.xml
cmp inj.xml xlsx.xml || fail "XML -> workbook -> XML changed the report"
need_python
"$NB_PYTHON3" - inj.xlsx <<'PY' || fail "a workbook cell holds the data as a formula"
import re, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
for n in z.namelist():
    if n.startswith("xl/worksheets/"):
        for f in re.findall(r"<f>([^<]*)</f>", z.read(n).decode()):
            if "HYPERLINK" in f or "SUM" in f or "cmd" in f or "1+1" in f:
                sys.exit("formula " + f)
s = z.read("xl/sharedStrings.xml").decode()
if "=HYPERLINK(&quot;http" not in s and '=HYPERLINK("http' not in s:
    sys.exit("the issuer is not a string")
PY
