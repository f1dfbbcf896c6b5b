#!/bin/sh
# The typography check of validate (NB5100-NB5108), each finding with a
# passing and a failing case, in report XML and in a CSV form set; and
# nianbao fix: a dry run that prints each change located and writes
# nothing, --check as linters do, --write that mends the file atomically
# so that it validates without those findings and renders the same words.
. "$(dirname "$0")/lib.sh"

cd "$tmp"
cp "$NB_DATA/typo/ok.xml" ok.xml

# ---- the passing case: clean data, no finding ----
expect_run 0 /dev/null -- validate ok.xml
expect_status 0 -- fix --check ok.xml

# bad NAME SED LINE CODE: ok.xml changed by SED gives exactly one finding,
# CODE, on LINE; the message names the mark found
bad() {
    sed "$2" ok.xml > "$1.xml"
    cmp -s ok.xml "$1.xml" && fail "$1: the sed '$2' changed nothing"
    expect_status 0 -- validate "$1.xml"
    [ "$(grep -c 'warning' "$tmp/stderr")" -eq 1 ] ||
        fail "$1: expected one warning: $(cat "$tmp/stderr")"
    grep -q "^$1.xml:$3: warning: .*\\[$4\\]\$" "$tmp/stderr" ||
        fail "$1: expected $4 on line $3: $(cat "$tmp/stderr")"
}

bad half-comma 's/法治建设，召开/法治建设,召开/' 14 NB5100
bad half-paren 's/（试行）/(试行)/' 14 NB5100
bad half-colon 's/意见：全部/意见:全部/' 22 NB5100
bad half-bang 's/采纳！/采纳!/' 22 NB5100
bad unbalanced-quote 's/“一把手”/“一把手/' 15 NB5101
bad unbalanced-book 's/《工作要点》/工作要点》/' 14 NB5101
bad doubled 's/（试行）。/（试行）。。/' 14 NB5102
bad space 's/统筹推进法治/统筹推进 法治/' 14 NB5103
bad fullwidth-digit 's/会议2次/会议２次/' 14 NB5104
bad lead-stop 's/<lead>强化组织领导</<lead>强化组织领导。</' 15 NB5105
bad runin-title-stop 's/<title>强化统筹协调</<title>强化统筹协调。</' 12 NB5105
bad ordinal-item 's/<lead>强化组织领导/<lead>一是强化组织领导/' 15 NB5106
bad ordinal-area 's/<title>坚持依法行政/<title>（二）坚持依法行政/' 20 NB5106
bad year-zero 's/二〇二二年/二〇二零年/' 15 NB5107
bad signer-no-date '/<date>/d' 4 NB5108

# an ordinal typed where the structure does not number is no finding
sed -e 's/<area layout="run-in">/<area layout="run-in" numbering="none">/' \
    -e 's/<lead>强化组织领导/<lead>一是强化组织领导/' ok.xml > unnumbered.xml
expect_run 0 /dev/null -- validate unnumbered.xml
# half-width marks between digits and Latin letters are no finding
sed 's/会议2次/会议2,3次（a;b）/' ok.xml > latin.xml
expect_run 0 /dev/null -- validate latin.xml

# ---- in a form set: located by row ----
cp -R "$NB_DATA/forms/ok-utf8" forms
expect_run 0 /dev/null -- validate forms
sed '2s/以来，/以来,/' "$NB_DATA/forms/ok-utf8/narrative.csv" > forms/narrative.csv
expect_status 0 -- validate forms
grep -q '^forms/narrative.csv:2: warning: .*\[NB5100\]$' "$tmp/stderr" ||
    fail "forms: no NB5100 on narrative.csv:2: $(cat "$tmp/stderr")"

# ---- fix: dry run, --check, --write; it round-trips ----
sed -e 's/法治建设，召开/法治建设,召开/' -e 's/（试行）。/（试行）。。/' \
    -e 's/（试行）/(试行)/' -e 's/统筹推进法治/统筹推进 法治/' \
    -e 's/会议2次/会议２次/' -e 's/意见：全部采纳！/意见:全部采纳!/' ok.xml > messy.xml
cp messy.xml messy.orig
expect_status 0 -- fix messy.xml
cmp -s messy.xml messy.orig || fail "fix without --write changed the file"
cat > want <<'WANT'
messy.xml:14:14: note: ' ' removed [NB5150]
messy.xml:14:19: note: ',' -> '，' [NB5150]
messy.xml:14:24: note: '２' -> '2' [NB5150]
messy.xml:14:35: note: '(' -> '（' [NB5150]
messy.xml:14:38: note: ')' -> '）' [NB5150]
messy.xml:14:40: note: '。' removed [NB5150]
messy.xml:22:25: note: ':' -> '：' [NB5150]
messy.xml:22:30: note: '!' -> '！' [NB5150]
8 changes to make (dry run: give --write to write them)
WANT
diff -u want "$tmp/stderr" >&2 || fail "fix: the changes printed (diff above)"
expect_status 1 -- fix --check messy.xml
expect_status 0 -- fix --write messy.xml
cmp -s messy.xml ok.xml || { diff ok.xml messy.xml >&2; fail "fix --write did not give back ok.xml"; }
expect_run 0 /dev/null -- validate messy.xml
expect_status 0 -- fix --check messy.xml
# a folder: every .xml and .csv in it, the CSV separators kept
mkdir dir
cp messy.orig dir/report.xml
cp forms/narrative.csv dir/narrative.csv
expect_status 1 -- fix --check dir
expect_status 0 -- fix -w dir
cmp -s dir/report.xml ok.xml || fail "fix -w DIR: report.xml not fixed"
cmp -s dir/narrative.csv "$NB_DATA/forms/ok-utf8/narrative.csv" ||
    fail "fix -w DIR: narrative.csv not as it was"
# the fixed file renders the same words as the clean one
expect_run 0 /dev/null -- render messy.xml -o fixed.docx
expect_run 0 /dev/null -- render ok.xml -o ok.docx
paragraphs fixed.docx > fixed.txt
paragraphs ok.docx | diff -u - fixed.txt >&2 || fail "the fixed file renders other words"
# render never changes text: the messy file prints its marks as they are
cp messy.orig messy2.xml
expect_status 0 -- render messy2.xml -o messy.docx
grep -q 'NB5100' "$tmp/stderr" || fail "render of messy text: no NB5100"
paragraphs messy.docx | grep -qF '法治建设,召开' || fail "render changed the text"

# ---- the title: broken where the data breaks it, and nowhere else ----
sed 's|^  </meta>|  </meta>\n  <title>关于2022年度\n法治政府建设情况的报告</title>|' ok.xml > broken.xml
expect_run 0 /dev/null -- render broken.xml -o broken.docx
[ "$(paragraphs broken.docx | head -n 1)" = '关于2022年度\n法治政府建设情况的报告' ] ||
    fail "title not broken where the data breaks it: $(paragraphs broken.docx | head -n 1)"
exit 0
