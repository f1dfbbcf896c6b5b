#!/bin/sh
# import_corpus.sh: openings of published 法治政府建设年度报告 (provinces,
# cities, counties, districts, 街道 and 镇, departments; 2016-2025), as
# their pages give them (tests/data/import-corpus/README.md names each
# page). Each imports to the outline checked by eye in NAME.tree; the
# report it writes passes validate (the meta a draft does not give aside,
# which the import warns of, NB2107); every line of it is in the rendered
# text, in order. The same outline from the article page around it
# (navigation, metadata table, GB18030), from Word drafts with typed
# ordinals and with automatic numbering, from the text pasted with the
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
def norm(s):
    s = s.strip(' \u3000\t\r\n').translate(FW)
    return re.sub(r'[\s\u3000]', '', ORD.sub('', s))
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
