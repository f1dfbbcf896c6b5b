#!/bin/sh
# import_corpus.sh: openings of published 法治政府建设年度报告 (provinces,
# cities, counties, districts, 街道 and 镇, departments; 2016-2025), as
# their pages give them (tests/data/import-corpus/README.md names each
# page). Each imports to the outline checked by eye in NAME.tree; the
# report it writes passes validate (the meta a draft does not give aside,
# which the import warns of, NB2107); every line of it is in the rendered
# text, in order. The same outline from the article page around it
# (navigation, metadata table, GB18030), from Word drafts with typed
# ordinals, with automatic numbering and with headings in 黑体 and 楷体
# without ordinals, from the text pasted with the
# page's metadata lines and links, and from the text with the ASCII
# punctuation pages are often captured with.
. "${NB_SRCDIR:?}/tests/cli/lib.sh"
need_python

C="$NB_DATA/import-corpus"
MK="$NB_DATA/import/mkdraft.py"

# same_outline NAME VARIANT: VARIANT imports to NAME's outline
same_outline() {
    expect_status 0 -- import "$2" --tree
    diff -u "$1.tree" "$tmp/stdout" >&2 || fail "$2: not the outline of $1"
}

# nothing_lost TXT STDERR XML: every line of TXT but those the import told
# were the page around it (NB2120) is in the rendered text, in order (the
# ordinals and punctuation as render writes them aside)
nothing_lost() {
    expect_status 0 -- render "$3" -o "$3.txt"
    "$NB_PYTHON3" - "$1" "$2" "$3.txt" <<'EOF' || fail "$1: text lost"
import re, sys
FW = str.maketrans(',;:()', '，；：（）')
ORD = re.compile(r'^(第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+[、．.]|'
                 r'（[一二三四五六七八九十]+）|[0-9]+[.．、]|（[0-9]+）)')
DATE = re.compile(r'^[0-9〇○零一二三四五六七八九]{4}年[0-9一二三四五六七八九十]+月'
                  r'([0-9一二三四五六七八九十]+日)?$')
def norm(s):
    s = s.strip(' \u3000\t\r\n').translate(FW)
    # render writes the date in figures, the 主送 line without its colon
    if DATE.match(s):
        return ''
    return re.sub(r'[\s\u3000]', '', ORD.sub('', s)).rstrip('：')
left = {int(n) for n in re.findall(r':(\d+): note: .*\[NB2120\]',
                                   open(sys.argv[2], encoding='utf-8').read())}
out = ''.join(norm(ORD.sub('', l.strip(' \u3000')))
              for l in open(sys.argv[3], encoding='utf-8'))
at = 0
for i, line in enumerate(open(sys.argv[1], encoding='utf-8'), 1):
    s = norm(line)
    if not s or i in left:
        continue
    k = out.find(s, at)
    if k < 0:
        sys.exit('line %d is not in the output, or not in its place: %s'
                 % (i, s[:40]))
    at = k + len(s)
EOF
}

cd "$tmp"
n=0
for f in "$C"/*.txt; do
    name=$(basename "$f" .txt)
    cp "$f" "$name.txt"
    cp "$C/$name.tree" "$name.tree" || fail "$name: no $name.tree"
    same_outline "$name" "$name.txt"

    expect_status 0 -- import "$name.txt" -o "$name.xml"
    cp "$tmp/stderr" "$name.notes"
    issuer=$(sed -n 's/^ *<issuer>\(.*\)<\/issuer>$/\1/p' "$name.xml")
    set +e
    nb validate "$name.xml" > /dev/null 2> "$name.findings"
    set -e
    if grep -q '\[NB2107\]' "$name.notes"; then
        # the draft names no office or year: the meta lacks it, and only
        # that
        grep ': error:' "$name.findings" | grep -v "Element 'meta'" >&2 &&
            fail "$name: validate finds errors the import caused"
    else
        grep ': error:' "$name.findings" >&2 &&
            fail "$name: validate finds errors the import caused"
        nothing_lost "$name.txt" "$name.notes" "$name.xml"
    fi

    # the article page: navigation, the metadata table, GB18030
    "$NB_PYTHON3" "$MK" html "$name.txt" "$name.html" "$issuer" ||
        fail "mkdraft html $name"
    same_outline "$name" "$name.html"
    # Word drafts: typed ordinals; ordinals from numbering.xml, headings
    # in bold 黑体 runs
    "$NB_PYTHON3" "$MK" docx "$name.txt" "$name.docx" || fail "mkdraft $name"
    same_outline "$name" "$name.docx"
    "$NB_PYTHON3" "$MK" autonum "$name.txt" "$name.auto.docx" ||
        fail "mkdraft autonum $name"
    same_outline "$name" "$name.auto.docx"
    # the headings without their ordinals, in 黑体 (parts) and 楷体 (areas)
    "$NB_PYTHON3" "$MK" bold "$name.txt" "$name.bold.docx" ||
        fail "mkdraft bold $name"
    same_outline "$name" "$name.bold.docx"
    # the page copied whole: its metadata lines, breadcrumbs and links
    {
        printf '当前位置：首页 > 政务公开 > 法治政府建设年度报告\n'
        printf '索 引 号： | 11330822MB1234567X/2024-00012 | 公开方式： | 主动公开 |\n'
        [ -z "$issuer" ] || printf '发布机构： %s\n' "$issuer"
        printf '字体大小：【大】【中】【小】\n\n'
        cat "$name.txt"
        printf '\n扫一扫在手机打开当前页\n【打印本页】 【关闭窗口】\n'
    } > "$name.page.txt"
    same_outline "$name" "$name.page.txt"
    expect_status 0 -- import "$name.page.txt" -o "$name.page.xml"
    grep -q '<index-number>11330822MB1234567X/2024-00012</index-number>' \
        "$name.page.xml" || fail "$name: no 索引号 from the pasted page"
    if grep -q '打印\|扫一扫\|当前位置\|字体大小' "$name.page.xml"; then
        fail "$name: the page's links are in the report"
    fi
    # ASCII punctuation, as pages are often captured
    sed 's/，/,/g; s/（/(/g; s/）/)/g; s/：/:/g; s/；/;/g' "$name.txt" \
        > "$name.ascii.txt"
    sed 's/，/,/g; s/（/(/g; s/）/)/g; s/：/:/g; s/；/;/g' "$name.tree" \
        > "$name.ascii.tree"
    expect_status 0 -- import "$name.ascii.txt" --tree
    diff -u "$name.ascii.tree" "$tmp/stdout" >&2 ||
        fail "$name: another outline with ASCII punctuation"
    n=$((n + 1))
done
[ "$n" -ge 25 ] || fail "only $n reports in the corpus"

# the end of a county's joint report: parts numbered 第一部分, a 署名 of
# two organs over two lines, the date in Chinese numerals
cp "$NB_DATA/import/county-joint.txt" .
same_outline "$NB_DATA/import/county-joint" county-joint.txt
expect_status 0 -- import county-joint.txt -o county-joint.xml
grep -q '<issuer>中共某某县委 某某县人民政府</issuer>' county-joint.xml ||
    fail "county-joint: not the joint 署名"
grep -q '<date>2024-03-12</date>' county-joint.xml || fail "county-joint: date"
nb validate county-joint.xml > /dev/null 2> findings || true
! grep ': error:' findings >&2 || fail "county-joint: validate finds errors"
nothing_lost county-joint.txt stderr county-joint.xml
# the same copied from a draft with automatic numbering: the parts' ordinals
# are gone, their wording names them
sed 's/^第[^ ]*部分 //' county-joint.txt > county-bare.txt
same_outline "$NB_DATA/import/county-joint" county-bare.txt
grep -q "county-bare.txt:5: note: '2023年推进法治政府建设的主要举措和成效' has no ordinal but names a part" \
    stderr || fail "county-bare: no note on the part without its ordinal: $(cat stderr)"
# a date without its day is the date line all the same, and a warning
sed 's/^二〇二四年三月十二日$/2024年3月/' county-joint.txt > county-month.txt
expect_status 0 -- import county-month.txt -o county-month.xml
grep -q "county-month.txt:[0-9]*: warning: the 成文日期 '2024年3月' has no day" \
    stderr || fail "county-month: $(cat stderr)"
grep -q '<issuer>中共某某县委 某某县人民政府</issuer>' county-month.xml ||
    fail "county-month: not the joint 署名"
! grep -q '<date>' county-month.xml || fail "county-month: a date made up"
