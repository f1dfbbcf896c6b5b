#!/bin/sh
# aggregate adds up only totals files that are parts of one roll-up:
# the header aggregate writes, every year with its '*' row, one row per
# year and indicator, a year in common with the inputs before it, and each
# indicator in this run's unit and type. Local catalogs whose bounds or
# units make no sense, or that repeat a code or a name, are refused.
# Each case is a located error, exit 1, and no totals are written.
. "$(dirname "$0")/lib.sh"

cd "$tmp"
mkdir sub
for e in changshan-2022 liangjiang-2022; do
    cp "$NB_SRCDIR/examples/$e/report.xml" "sub/$e.xml"
done
expect_status 0 -- aggregate sub -o t.csv
expect_status 0 -- aggregate t.csv -o again.csv
cmp t.csv again.csv || fail "a totals file read and written again changed"

refused() { # refused WANT FILE: merging t.csv with FILE is refused
    want=$1
    shift
    rm -f out.csv
    expect_status 1 -- aggregate "$@" -o out.csv
    grep -qF -- "$want" "$tmp/stderr" ||
        fail "aggregate $*: no '$want' in: $(cat "$tmp/stderr")"
    [ ! -e out.csv ] || fail "aggregate $*: totals written"
}

# the header of another CSV (the inbox summary), or none at all
printf '\357\273\277报送文件,单位,年度,状态,错误,警告,缺少部分,备注,首个错误\r\n' > summary.csv
refused "summary.csv:1: error: not a totals file nianbao wrote: its header" t.csv summary.csv
# another year: warned about, in either order, and added as rows of its
# own year (a shard may hold only a late report of another year); the
# totals of one year never mix with another's
sed 's/^2022,/2023,/' t.csv > t2023.csv
expect_status 0 -- aggregate t.csv t2023.csv -o out.csv
grep -qF "t2023.csv:2: warning: the totals are of 2023, but the inputs before this file are of 2022: added as rows of their own years" "$tmp/stderr" ||
    fail "no NB8030 warning: $(cat "$tmp/stderr")"
[ "$(grep -c '^2022,' out.csv)" -eq "$(grep -c '^2022,' t.csv)" ] &&
    [ "$(grep -c '^2023,' out.csv)" -eq "$(grep -c '^2022,' t.csv)" ] ||
    fail "the years of two totals files mixed: $(cat out.csv)"
grep -q '^2022,\*,报告数,份,count,2,2,0,' out.csv &&
    grep -q '^2023,\*,报告数,份,count,2,2,0,' out.csv ||
    fail "a year's reports were counted into another's"
expect_status 0 -- aggregate t2023.csv t.csv -o out2.csv
grep -qF "t.csv:2: warning: the totals are of 2022, but the inputs before this file are of 2023" "$tmp/stderr" ||
    fail "no NB8030 warning in the other order: $(cat "$tmp/stderr")"
cmp out.csv out2.csv || fail "the order of the totals files changed the totals"
expect_status 0 -- aggregate sub t2023.csv -o out.csv
grep -qF "[NB8030]" "$tmp/stderr" || fail "no NB8030 after a folder"
# a row that does not agree with itself: a rate's total edited, a basis
# given to a count
cp "$NB_DATA/inbox/totals.csv" rates.csv
expect_status 0 -- aggregate rates.csv -o out.csv
cmp rates.csv out.csv || fail "a totals file with rates read and written again changed"
sed 's/,98.1,1,0,tj_success=/,99.1,1,0,tj_success=/' rates.csv > edited.csv
grep -q ',99.1,1,0,tj_success=' edited.csv || fail "the sed did not edit the rate"
refused "edited.csv:27:6: error: the rate 'tj_success_rate' is 99.1 here, but its 计算依据 (tj_success=3251; tj_cases=3314) gives 98.1" edited.csv
sed 's/^\(2021,fy_received,.*,0,\)\r$/\1fy_received=59\r/' rates.csv > counted.csv
grep -q '^2021,fy_received,.*,0,fy_received=59' counted.csv || fail "the sed did not give a basis"
refused "counted.csv:3:9: error: 'fy_received' is not a rate, but the row gives a 计算依据: a totals file nianbao wrote has none there [NB8040]" counted.csv
# the basis of one input edited (its sum no longer gives the total)
sed 's/tj_success=3251;/tj_success=3200;/' rates.csv > basis.csv
refused "basis.csv:27:6: error: the rate 'tj_success_rate' is 98.1 here, but its 计算依据 (tj_success=3200; tj_cases=3314) gives 96.6: one of them was edited; write the file again with aggregate [NB8040]" basis.csv
# a shard holding a late report of another year beside this year's is one
{ cat t.csv; tail -n +2 t2023.csv; } > two.csv
expect_status 0 -- aggregate two.csv t.csv -o out.csv
grep -q '^2022,\*,报告数,份,count,4,4,0,' out.csv || fail "the shards of 2022 were not added up"
grep -q '^2023,\*,报告数,份,count,2,2,0,' out.csv || fail "the 2023 reports of a shard were lost"
rm out.csv
# one shard's totals under two names, rows reordered, CRLF line ends
# (saved again by a spreadsheet): counted twice, so refused; a link to it
# as well; totals that differ in one figure are another shard
cp t.csv copy.csv
refused "copy.csv: error: it has the same rows as t.csv: its figures would be counted twice [NB8035]" t.csv copy.csv
{ head -n 1 t.csv; tail -n +2 t.csv | sort -r; } | sed 's/$/\r/' > shuffled.csv
refused "shuffled.csv: error: it has the same rows as t.csv" t.csv shuffled.csv
# a folder beside the totals it gave, in either order: counted twice
refused "copy.csv: error: it has the same rows as sub: its figures would be counted twice [NB8035]" sub copy.csv
refused "sub: error: it has the same rows as t.csv: its figures would be counted twice [NB8035]" t.csv sub
mkdir late
cp "$NB_SRCDIR/examples/jiangbei-2021/report.xml" late/
expect_status 0 -- aggregate t.csv late -o out.csv
grep -q '^2021,\*,报告数,份,count,1,1,0,' out.csv && grep -q '^2022,\*,报告数,份,count,2,2,0,' out.csv ||
    fail "another folder beside a totals file was not added: $(cat out.csv)"
rm out.csv
ln -s t.csv link.csv
expect_status 2 -- aggregate t.csv link.csv -o out.csv
grep -q "given twice" "$tmp/stderr" || fail "a link to a totals file given beside it: $(cat "$tmp/stderr")"
[ ! -e out.csv ] || fail "a link given twice: totals written"
sed 's/^2022,fy_received,\([^,]*\),件,count,\([0-9]*\),/2022,fy_received,\1,件,count,1\2,/' t.csv > other.csv
cmp -s t.csv other.csv && fail "the sed did not change a figure"
expect_status 0 -- aggregate t.csv other.csv -o out.csv
rm -f out.csv
# another unit, another type
sed 's/^2022,fy_received,行政复议收到申请,件,/2022,fy_received,行政复议收到申请,万件,/' t.csv > unit.csv
refused "unit.csv:3:4: error: 'fy_received' is in '万件' (count) here, but in '件' (count)" t.csv unit.csv
sed 's/^2022,fy_received,行政复议收到申请,件,count,/2022,fy_received,行政复议收到申请,件,amount,/' t.csv > type.csv
refused "type.csv:3:4: error: 'fy_received' is in '件' (amount) here" t.csv type.csv
sed 's/^2022,\*,报告数,份,/2022,*,报告数,件,/' t.csv > star.csv
refused "star.csv:2:4: error: '*' is in '件' (count) here, but in '份' (count)" t.csv star.csv
# a row twice, the '*' row twice, the '*' row missing
{ cat t.csv; sed -n 3p t.csv; } > dup.csv
refused "dup.csv:$(($(wc -l < t.csv) + 1)): error: a second row for 2022 and 'fy_received'" t.csv dup.csv
{ cat t.csv; sed -n 2p t.csv; } > dupstar.csv
refused "a second row for 2022 and '*'" t.csv dupstar.csv
grep -v '^2022,\*' t.csv > nostar.csv
refused "nostar.csv: error: not a totals file nianbao wrote: 2022 has no row '*'" t.csv nostar.csv
# a local catalog with an indicator the totals file does not know
cat > loc.xml <<'XML'
<indicators xmlns="urn:nianbao:indicators:1" version="1">
  <indicator code="mm_hotline" type="count" unit="件" name="12345热线法律咨询"/>
</indicators>
XML
printf '2022,mm_hotline,12345热线法律咨询,次,count,5,1,0,\r\n' > row.txt
cat t.csv row.txt > local.csv
refused "local.csv:$(($(wc -l < t.csv) + 1)):4: error: 'mm_hotline' is in '次' (count) here, but in '件' (count) in the indicator catalog of this run" --indicators loc.xml t.csv local.csv

# ---- local catalogs ----
cat_refused() { # cat_refused WANT INDICATOR-LINES
    printf '<indicators xmlns="urn:nianbao:indicators:1" version="1">\n%s\n</indicators>\n' "$2" > c.xml
    expect_status 1 -- indicators --indicators c.xml
    grep -qF -- "$1" "$tmp/stderr" ||
        fail "catalog $2: no '$1' in: $(cat "$tmp/stderr")"
    expect_status 1 -- aggregate --indicators c.xml t.csv -o out.csv
    [ ! -e out.csv ] || fail "aggregate with a bad catalog wrote totals"
}
cat_refused "c.xml:3: error: <indicator> 'mm_a' is given twice in this file: give each its own, or keep one [NB4001]" \
'  <indicator code="mm_a" type="count" unit="件" name="甲"/>
  <indicator code="mm_a" type="count" unit="件" name="乙"/>'
cat_refused "c.xml:3: error: indicator 'mm_b' is named '甲', as 'mm_a' already is" \
'  <indicator code="mm_a" type="count" unit="件" name="甲"/>
  <indicator code="mm_b" type="count" unit="件" name="甲"/>'
cat_refused "c.xml:3: error: indicator 'mm_b' is named '乙', as 'mm_a' already is" \
'  <indicator code="mm_a" type="count" unit="件" name="甲" aliases="乙"/>
  <indicator code="mm_b" type="count" unit="件" name="乙"/>'
cat_refused "c.xml:2: error: <indicator name=\"\">" \
'  <indicator code="mm_a" type="count" unit="件" name=""/>'
cat_refused "c.xml:2: error: indicator 'mm_a' is from 10 to 0, which no amount can be: min is at most max, both 0 or more [NB8033]" \
'  <indicator code="mm_a" type="amount" unit="分" name="甲" min="10" max="0"/>'
cat_refused "c.xml:2: error: indicator 'mm_a' is from -5 to …, which no amount can be" \
'  <indicator code="mm_a" type="amount" unit="分" name="甲" min="-5"/>'
cat_refused "c.xml:2: error: indicator 'mm_a' is from 0 to 200, which no rate can be" \
'  <indicator code="mm_a" type="rate" unit="%" name="甲" min="0" max="200"/>'
cat_refused "c.xml:2: error: indicator 'mm_a' is a rate, but its unit is '件': a rate is in % [NB8034]" \
'  <indicator code="mm_a" type="rate" unit="件" name="甲"/>'
cat_refused "c.xml:2: error: indicator 'mm_a' is a count, but its unit is '%'" \
'  <indicator code="mm_a" type="count" unit="%" name="甲"/>'
cat_refused "c.xml:2: error: indicator 'mm_a' is a count, but its unit is '％'" \
'  <indicator code="mm_a" type="count" unit="件" units="本 ％" name="甲"/>'
# sensible bounds and units pass
printf '<indicators xmlns="urn:nianbao:indicators:1" version="1">\n%s\n</indicators>\n' \
'  <indicator code="mm_a" type="amount" unit="分" name="甲" min="0" max="10"/>
  <indicator code="mm_r" type="rate" unit="%" units="％" name="乙" min="50" max="100"/>' > c.xml
expect_run 0 /dev/null -- aggregate --indicators c.xml t.csv -o out.csv
cmp t.csv out.csv || fail "a sensible local catalog changed the totals"
