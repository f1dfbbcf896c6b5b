#!/bin/sh
# import.sh: report drafts (.docx, .html, .txt) into report XML and forms.
# Round trips: each example rendered to DOCX, then imported from that DOCX,
# from its text and from an article page built around it, renders the same
# paragraphs again. A Word draft with automatic numbering, tracked changes,
# a comment, a table, a text box and a footnote; hostile pages and files.
. "${NB_SRCDIR:?}/tests/cli/lib.sh"
need_python

mk() {
    "$NB_PYTHON3" "$NB_DATA/import/mkdraft.py" "$@" || fail "mkdraft.py $*"
}

cd "$tmp"
for ex in changshan-2022 jiangbei-2021 liangjiang-2022; do
    expect_run 0 /dev/null -- render "$NB_SRCDIR/examples/$ex/report.xml" \
        -o "$ex.docx"
    paragraphs "$ex.docx" > want.txt
    cp want.txt want
    # a typed draft has its title on one line (the rendered title's
    # line break is shown as \n)
    sed 's/\\n//' want.txt > "$ex.txt"
    mk html "$ex.txt" "$ex.html"
    mk docx "$ex.txt" "$ex.typed.docx"
    for f in "$ex.docx" "$ex.txt" "$ex.html" "$ex.typed.docx"; do
        expect_status 0 -- import "$f" -o "$f.xml"
        grep -q 'error' "$tmp/stderr" && fail "import $f: $(cat "$tmp/stderr")"
        expect_status 0 -- render "$f.xml" -o "$f.out.docx"
        paragraphs_are "$f.out.docx"
    done
    # the same structure from every format
    expect_status 0 -- import "$ex.docx" --tree
    cp "$tmp/stdout" tree.docx
    expect_status 0 -- import "$ex.html" --tree
    diff tree.docx "$tmp/stdout" >&2 || fail "$ex: the page's outline differs"
    # the forms too, and back
    expect_status 0 -- import "$ex.txt" -o "$ex.forms"
    expect_status 0 -- render "$ex.forms" -o "$ex.forms.docx"
    paragraphs_are "$ex.forms.docx"
done

# the structure of an example, by its outline
expect_status 0 -- import changshan-2022.txt --tree
grep -q '^  part 4 \[plans\] 2023年推进法治政府建设的主要工作安排$' stdout ||
    fail "changshan: no plans part: $(cat stdout)"
grep -q '^    area 4 \[heading, items 1.\] ' stdout || fail "changshan: area 4"
grep -q '^        item 3 \[一是\] 确保合作教育见行见效$' stdout ||
    fail "changshan: nested run-in items"

# the metadata table of the page fills meta; the page's chrome is dropped
expect_status 0 -- import changshan-2022.html -o page.xml
grep -q '<index-number>11330822MB1234567X/2024-01234</index-number>' page.xml ||
    fail "no index number from the page"
grep -q '<disclosure>主动公开</disclosure>' page.xml || fail "no 公开方式"
if grep -q '首页\|脚本\|统计代码\|备案号\|分享到' page.xml; then
    fail "navigation or scripts in the report"
fi

# Word: ordinals from numbering.xml, direct formatting only, title in two
# paragraphs, tracked changes as accepted, comments ignored, table, text
# box and footnote kept as paragraphs
mk auto auto.docx
expect_status 0 -- import auto.docx -o auto.xml --tree
cat > want <<'WANT'
title 某某县人民政府关于2023年度法治政府建设情况的…
  addressee 市人民政府
  preamble: 1 paragraph(s)
  part 1 [measures] 2023年法治政府建设的主要举措和成效
    area 1 [heading, items 1.] 加强组织领导
      1 paragraph(s)
      item 1 [1.] 健全决策机制
      item 2 [1.] 规范执法行为
        + 1 paragraph(s)
    area 2 [run-in, items 一是] 深化普法宣传
      item 1 [一是] 抓好领导干部学法。
      item 2 [一是] 抓好青少年普法。
        + 1 paragraph(s)
  part 2 [shortcomings] 存在的不足和原因
    intro: 1 paragraph(s)
  part 3 [duties] 党政主要负责人履行推进法治建设第一责任人职责情况
    intro: 2 paragraph(s)
  part 4 [plans] 2024年推进法治政府建设的主要安排
    intro: 1 paragraph(s)
  date 2024-01-18
  figure zf_penalties 312件
WANT
diff want stdout >&2 || fail "outline of the Word draft differs"
grep -q 'note: the title is split over two paragraphs: joined \[NB2101\]' stderr ||
    fail "no note on the joined title"
grep -q '<text>全年办理行政处罚案件<m code="zf_penalties"/>。推行说理式执法。</text>' auto.xml ||
    fail "tracked changes or comments not read as accepted: $(cat auto.xml)"
grep -q '<metric code="zf_penalties">312</metric>' auto.xml ||
    fail "the typed figure is not a metric: $(cat auto.xml)"
grep -q '<p>数据来源：县统计局。</p>' auto.xml || fail "footnote lost"
grep -q '表1 行政复议案件情况' auto.xml || fail "table lost"
grep -q '<p>文本框中的说明。</p>' auto.xml || fail "text box lost"
if grep -q '删去的文字' auto.xml; then fail "deleted text read"; fi
expect_status 0 -- render auto.xml -o auto.out.docx
validate_docx auto.out.docx
# render and validate take a draft as they are
expect_status 0 -- render auto.docx -o direct.docx
expect_status 0 -- validate auto.docx

# ---- hostile and broken drafts ----
printf 'PK\003\004not a zip' > broken.docx
expect_status 1 -- import broken.docx -o x.xml
grep -q '^broken.docx: error: .*\[NB9006\]$' stderr || fail "broken docx: $(cat stderr)"
[ ! -e x.xml ] || fail "output written from a broken draft"
printf '\377\376\000\001\002' > bin.txt
expect_status 1 -- import bin.txt -o x.xml
grep -q '^bin.txt:1: error: .*\[NB2103\]$' stderr || fail "binary text: $(cat stderr)"
: > empty.txt
expect_status 1 -- import empty.txt -o x.xml
grep -q 'NB2104' stderr || fail "empty draft: $(cat stderr)"
"$NB_PYTHON3" - <<'PY'
deep = '<div>' * 100000 + '<p>一、主要举措和成效</p>' + '</div>' * 100000
open('deep.html', 'w').write('<html><body>' + deep + '</body></html>')
big = '<p title="' + 'x' * (8 << 20) + '">某县2023年度法治政府建设情况报告</p>'
open('attr.html', 'w').write('<html><body>' + big + '<script>' + '<p>脚本</p>' * 1000 + '</script></body></html>')
# 100,000 attributes without values: libxml2 compares them pairwise
open('attrs.html', 'w').write('<html><body><p ' + ' '.join('a%d' % i for i in range(100000)) + '>某县</p></body></html>')
# declared UTF-8, written in GBK
open('charset.html', 'wb').write('<html><head><meta charset="utf-8"></head><body><p>某县2023年度法治政府建设情况报告</p><p>一、主要举措和成效</p></body></html>'.encode('gbk'))
PY
for f in deep.html attr.html charset.html; do
    run_timeout "$NB_BIN" import "$f" -o "$f.xml" > /dev/null 2> err && st=0 || st=$?
    [ "$st" -le 1 ] || fail "import $f: exit $st: $(cat err)"
done
grep -q '脚本' attr.html.xml && fail "script text read"
t0=$(date +%s)
expect_status 3 -- import attrs.html -o x.xml
grep -q '^attrs.html:1: error: an element with more than 1000 attributes \[NB9011\]$' stderr ||
    fail "100,000 attributes: $(cat stderr)"
[ $(($(date +%s) - t0)) -lt 10 ] || fail "refusing 100,000 attributes took more than 10 s"
[ ! -e x.xml ] || fail "output written from a refused draft"
printf "%%PDF-1.4" > draft.pdf
nb import draft.pdf -o x.xml 2> err && fail "a .pdf imported"
grep -q 'NB2102' err || fail "unknown suffix: $(cat err)"

# ---- drafts in the layouts of published reports ----
# thematic parts with 一是 run in, 不足 listed inline, plans with run-in
# areas (a province); the duties part first, 1. items with (1) nested and
# 第一 items, 特此报告 (a district); a title over two lines, 主送, run-in
# areas with 一是 items, headings as areas (a city)
for f in province-thematic district-duties-first city-runin; do
    expect_status 0 -- import "$NB_DATA/import/$f.txt" --tree
    diff "$NB_DATA/import/$f.tree" stdout >&2 || fail "$f: outline differs"
    expect_status 0 -- import "$NB_DATA/import/$f.txt" -o "$f.xml"
    # the lines the import told were the web page around the report
    sed -n 's/^[^:]*:\([0-9]*\): note: .*\[NB2120\]$/\1/p' stderr > left.txt
    expect_status 0 -- render "$f.xml" -o "$f.docx"
    # nothing lost: every line of the draft is in the rendered report
    # (a title's line break is shown as \n)
    paragraphs "$f.docx" | tr -d '\n' | sed 's/\\n//g; s/[（）()]//g' > all.txt
    n=0
    while IFS= read -r l; do
        n=$((n + 1))
        ! grep -qx "$n" left.txt || continue
        l=$(printf '%s' "$l" | sed 's/^[一二三四五六七八九十]、//; s/^[（(][一二三四五六七八九十0-9]*[）)]//; s/^[0-9]\. *//; s/^第[一二三四五六七八九十]，//')
        l=$(printf '%s' "$l" | sed 's/[（）()]//g; s/[。：]$//')
        case $l in 20[0-9][0-9]年*月*日) continue ;; esac
        grep -qF -- "$l" all.txt || fail "$f: lost '$l'"
    done < "$NB_DATA/import/$f.txt"
done

# the inbox lists Word drafts and article pages with the other
# submissions; a .txt there is a folder's notes and is skipped
mkdir ibx
cp auto.docx ibx/某县.docx
cp "$NB_DATA/import/city-runin.txt" ibx/
mk html "$NB_DATA/import/city-runin.txt" ibx/city-runin.html
cp "$NB_SRCDIR/examples/changshan-2022/report.xml" ibx/changshan.xml
expect_status 0 -- inbox ibx
grep -q '^某县.docx  *某某县人民政府  *2023  *valid' stdout || fail "inbox: $(cat stdout)"
grep -q '^city-runin.html  *某某市人民政府  *2022  *valid' stdout || fail "inbox: $(cat stdout)"
grep -q '^4 in the folder: 3 valid, 0 invalid, 0 unreadable, 1 skipped' stdout ||
    fail "inbox: $(cat stdout)"
