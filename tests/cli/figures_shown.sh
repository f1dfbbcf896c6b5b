#!/bin/sh
# Figures are printed as numbers, not as typed: "0093" prints 93, "+079"
# 79, "约0200" 约200, in the DOCX (text references and template fields),
# the web page and the text; a rate's decimals stay as published
# ("098.10" prints 98.10). The forms and XML keep the figure as typed.
. "$(dirname "$0")/lib.sh"

cd "$tmp"
cat > z.xml <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<report xmlns="urn:nianbao:report:1" version="1">
  <meta>
    <issuer>某某县司法局</issuer>
    <year>2022</year>
    <profile>work-summary</profile>
  </meta>
  <section kind="measures">
    <area>
      <title>行政复议</title>
      <p>收到行政复议申请<m code="fy_received"/>，受理<m code="fy_accepted" show="value"/>件，调解成功率<m code="tj_success_rate"/>，审核合同<m code="hfx_contracts"/>。</p>
    </area>
  </section>
  <metrics>
    <metric code="fy_received" unit="件">0093</metric>
    <metric code="fy_accepted">+079</metric>
    <metric code="tj_success_rate">098.10</metric>
    <metric code="hfx_contracts">约0200</metric>
  </metrics>
</report>
XML
want='收到行政复议申请93件，受理79件，调解成功率98.10%，审核合同约200件。'

expect_run 0 /dev/null -- render z.xml -o z.txt
grep -qF "$want" z.txt || fail "text: $(grep 收到 z.txt)"
expect_run 0 /dev/null -- render z.xml -o z.html
grep -qF "$want" z.html || fail "web page: $(grep -o '收到[^<]*' z.html)"
expect_run 0 /dev/null -- render z.xml -o z.docx
paragraphs z.docx > got
grep -qF "$want" got || fail "DOCX: $(grep 收到 got)"

# the metrics of a template: value, text
"$NB_MKZIP" "$NB_DATA/templates/tables" tables.docx || fail "mkzip"
expect_run 0 /dev/null -- render z.xml -t tables.docx -o t.docx
"$NB_DOCXDUMP" --tables t.docx > cells || fail "docxdump"
for cell in 93件 79件 98.10% 约200件; do
    grep -qxF -- "$cell" cells || grep -qF -- "|$cell" cells ||
        grep -qF -- "$cell" cells || fail "template: no $cell in: $(cat cells)"
done
for typed in 0093 +079 098.10 0200; do
    if grep -qF -- "$typed" cells; then
        fail "template: '$typed' printed as typed"
    fi
done

# the forms keep what was typed
expect_run 0 /dev/null -- convert z.xml -o forms
grep -q '^fy_received,行政复议收到申请,0093,件' forms/metrics.csv ||
    fail "the forms lost the figure as typed"
expect_run 0 /dev/null -- convert forms -o back.xml
cmp z.xml back.xml || fail "XML -> forms -> XML changed the report"

# the totals add the figure's value
mkdir sub
cp z.xml sub/a.xml
expect_status 0 -- aggregate sub -o totals.csv
grep -q '^2022,fy_received,行政复议收到申请,件,count,93,1,0,' totals.csv ||
    fail "totals: $(grep fy_received totals.csv)"

# a year typed with a zero before it (XML takes 02022) prints as 2022;
# an HTML template shows the fields as they are
sed 's|<year>2022</year>|<year>02022</year>|' z.xml > zy.xml
printf '<!DOCTYPE html>\n<html><head><title>t</title></head><body><p>{{meta.year}}|{{metric.fy_received.value}}|{{metric.fy_received.text}}|{{metric.tj_success_rate.text}}</p></body></html>\n' > y.html
expect_run 0 /dev/null -- render zy.xml -t y.html -o y-out.html
grep -qF '<p>2022|93|93件|98.10%</p>' y-out.html ||
    fail "HTML template: $(grep -o '<p>[^<]*' y-out.html)"
