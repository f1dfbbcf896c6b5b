#!/bin/sh
# Report XML takes what the forms take (2023年2月8日 as a date, 98% as a
# rate) and says schema violations in plain words, without the schema's
# regular expressions (docs/report-xml.md).
. "$(dirname "$0")/lib.sh"

cd "$NB_DATA/rules"

# a date as the forms write it is read as that day
sed 's|<date>2023-02-08</date>|<date>2023年2月8日</date>|' ok-annual.xml > "$tmp/date.xml"
expect_run 0 /dev/null -- validate -q "$tmp/date.xml"
expect_run 0 /dev/null -- convert "$tmp/date.xml" -o "$tmp/date-out"
grep -q "2023-02-08" "$tmp/date-out/meta.csv" || fail "the date is not read as 2023-02-08"
sed 's|<date>2023-02-08</date>|<date>2023/2/8</date>|' ok-annual.xml > "$tmp/date2.xml"
expect_run 0 /dev/null -- validate -q "$tmp/date2.xml"
# a day the calendar lacks, and a date in no form
sed 's|<date>2023-02-08</date>|<date>2023年2月30日</date>|' ok-annual.xml > "$tmp/feb30.xml"
expect_status 1 -- validate "$tmp/feb30.xml"
grep -q ":8: error: <date> '2023年2月30日' is not a day of the calendar: write 2023-02-08 or 2023年2月8日 \[NB4001\]" "$tmp/stderr" ||
    fail "2月30日: $(cat "$tmp/stderr")"
sed 's|<date>2023-02-08</date>|<date>二〇二三年二月八日</date>|' ok-annual.xml > "$tmp/hanzi.xml"
expect_status 1 -- validate "$tmp/hanzi.xml"
grep -q "<date> '二〇二三年二月八日' is not a date: write 2023-02-08 or 2023年2月8日 \[NB4001\]" "$tmp/stderr" ||
    fail "a date in no form: $(cat "$tmp/stderr")"

# a rate may carry its %; a count may not
sed 's|<metric code="tj_success_rate" unit="%">99</metric>|<metric code="tj_success_rate">99%</metric>|' ok-annual.xml > "$tmp/pct.xml"
grep -q '>99%<' "$tmp/pct.xml" || fail "test data changed"
expect_run 0 /dev/null -- validate -q "$tmp/pct.xml"
sed 's|<metric code="tj_cases" unit="件">2195</metric>|<metric code="tj_cases">2195％</metric>|' ok-annual.xml > "$tmp/pct2.xml"
expect_status 1 -- validate "$tmp/pct2.xml"
grep -q "value '2195%' has a %, but 人民调解纠纷 (tj_cases) is not a rate: write the number alone \[NB5002\]" "$tmp/stderr" ||
    fail "a count with a %: $(cat "$tmp/stderr")"

# a unit typed with the number: the CSV reader's words, no regex
sed 's|<metric code="tj_cases" unit="件">2195</metric>|<metric code="tj_cases">2195件</metric>|' ok-annual.xml > "$tmp/unit.xml"
expect_status 1 -- validate "$tmp/unit.xml"
grep -q "<metric> '2195件' is not a number: write the number alone (130, 20.5, 1万余, 98%) and the unit in its unit attribute \[NB4001\]" "$tmp/stderr" ||
    fail "2195件: $(cat "$tmp/stderr")"
grep -q 'pattern\|facet\|atomic' "$tmp/stderr" && fail "a schema regex reaches the user"
# an enumeration names its values
sed 's|<section kind="measures">|<section kind="results">|' ok-annual.xml > "$tmp/kind.xml"
expect_status 1 -- validate "$tmp/kind.xml"
grep -q '<section kind="results">: write one of measures, shortcomings, duties, plans, other \[NB4001\]' "$tmp/stderr" ||
    fail "enumeration: $(cat "$tmp/stderr")"
exit 0
