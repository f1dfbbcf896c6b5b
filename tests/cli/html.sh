#!/bin/sh
# html.sh: render -o FILE.html and -o FILE.txt. The three examples as web
# pages (the standard HTML template, templates/html/report.html) and as
# text: the text is the DOCX's paragraphs, line for line; the page passes
# Debian's HTML Tidy (tidy -e: errors and warnings, none allowed) and loads
# in headless Chromium (chromium-headless-shell), whose DOM holds the
# report's text, block for block, and which takes a screenshot at a phone's
# width (390 px) and a desktop's (1280 px). Values holding markup and
# quotes stay text. --fragment writes the article; --template takes an
# HTML template, whose tags are checked like a .docx template's.
. "$(dirname "$0")/lib.sh"
need_python

# The text of the article's blocks (h1, h2, h3, p) in a page, one a line.
cat > "$tmp/blocks.py" <<'PY'
import sys
from html.parser import HTMLParser
class P(HTMLParser):
    def __init__(self):
        super().__init__()
        self.inart = 0; self.cur = None; self.lines = []; self.tags = []
    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))
        if tag == "article": self.inart += 1
        if self.inart and tag in ("h1", "h2", "h3", "p"): self.cur = ""
    def handle_endtag(self, tag):
        if tag == "article": self.inart -= 1
        if self.inart and tag in ("h1", "h2", "h3", "p") and self.cur is not None:
            if self.cur: self.lines.append(self.cur)
            self.cur = None
    def handle_data(self, d):
        if self.cur is not None: self.cur += d
p = P(); p.feed(open(sys.argv[1], encoding="utf-8").read())
if len(sys.argv) > 2:   # no element or attribute a value could have added
    for tag, attrs in p.tags:
        if tag == "script" or any(a.startswith("on") for a, _ in attrs):
            sys.exit("markup injected: <%s %s>" % (tag, attrs))
print("\n".join(p.lines))
PY

# chromium ARGS...: headless, no network, a fresh profile each time.
chrome=$(command -v chromium-headless-shell || command -v chromium || true)
chromium() {
    rm -rf "$tmp/chrome-profile"
    timeout 120 "$chrome" --headless --no-sandbox --disable-gpu \
        --disable-background-networking --disable-component-update \
        --disable-sync --no-first-run --user-data-dir="$tmp/chrome-profile" "$@" \
        2> "$tmp/chrome.log"
}

png_width() {
    "$NB_PYTHON3" -c 'import struct,sys; d=open(sys.argv[1],"rb").read(24); assert d[:8]==b"\x89PNG\r\n\x1a\n"; print(struct.unpack(">I", d[16:20])[0])' "$1"
}

for name in jiangbei-2021 changshan-2022 liangjiang-2022; do
    xml="$NB_SRCDIR/examples/$name/report.xml"
    expect_run 0 /dev/null -- render "$xml" -o "$tmp/$name.docx"
    expect_run 0 /dev/null -- render "$xml" -o "$tmp/$name.txt"
    expect_run 0 /dev/null -- render "$xml" -o "$tmp/$name.html"
    expect_run 0 /dev/null -- render "$xml" --format txt -o "$tmp/$name.out"
    cmp "$tmp/$name.txt" "$tmp/$name.out" || fail "$name: --format txt differs from .txt"
    # the text: the DOCX's paragraphs, the empty ones left out
    # (the title's line break, shown as \\n, is a space-less join in text)
    paragraphs "$tmp/$name.docx" | grep -v '^$' | sed 's/\\n//' > "$tmp/want"
    diff -u "$tmp/want" "$tmp/$name.txt" >&2 || fail "$name: text is not the DOCX's paragraphs"
    grep -q '^一、' "$tmp/$name.txt" || fail "$name: the text lacks its ordinals"
    # the page holds the same text, block for block
    "$NB_PYTHON3" "$tmp/blocks.py" "$tmp/$name.html" > "$tmp/blocks" ||
        fail "$name: the page cannot be read"
    # (the text sets the signature block right with spaces, the page by CSS)
    sed 's/^[　 ]*//' "$tmp/$name.txt" > "$tmp/text"
    diff -u "$tmp/text" "$tmp/blocks" >&2 || fail "$name: the page's text is not the report's"
    for want in 'lang="zh-CN"' '<th scope="row">索引号</th>' '<th scope="row">公开方式</th>' \
            '<h1>' '<h2>一、' '@page{size:A4;margin:37mm 26mm 35mm 28mm}'; do
        grep -qF -- "$want" "$tmp/$name.html" || fail "$name.html lacks $want"
    done
    ! grep -qiE '<script|<link|src=|@import|url\(' "$tmp/$name.html" ||
        fail "$name.html is not self-contained"
done
grep -qF '<h3>（一）“1条主线”谋篇，注入强劲动力。</h3>' "$tmp/changshan-2022.html" ||
    fail "changshan-2022: an area heading line is not an h3"

# --fragment: the article alone
expect_run 0 /dev/null -- render "$NB_SRCDIR/examples/changshan-2022/report.xml" \
    --fragment -o "$tmp/body.html"
head -c 9 "$tmp/body.html" | grep -q '^<article>' || fail "fragment does not start with <article>"
tail -n 1 "$tmp/body.html" | grep -qx '</article>' || fail "fragment does not end with </article>"
! grep -q '<table\|<html\|<style' "$tmp/body.html" || fail "fragment holds more than the article"
expect_status 2 -- render "$NB_SRCDIR/examples/changshan-2022/report.xml" --fragment -o "$tmp/x.docx"
grep -q 'fragment' "$tmp/stderr" || fail "--fragment with a .docx: no word on why"
[ ! -e "$tmp/x.docx" ] || fail "a refused render wrote its output"

# values that hold markup and quotes stay text, in elements and attributes
sed -e '0,/<\/meta>/s|</meta>|</meta><title>标题\&lt;script\&gt;alert(1)\&lt;/script\&gt;"onmouseover=x '"'"'q\&amp;amp;</title>|' \
    -e 's|<index-number>[^<]*</index-number>|<index-number>\&lt;/td\&gt;\&lt;img src=x onerror=alert(1)\&gt;</index-number>|' \
    "$NB_SRCDIR/examples/changshan-2022/report.xml" > "$tmp/evil.xml"
grep -q 'onerror' "$tmp/evil.xml" || fail "evil.xml was not made"
expect_run 0 /dev/null -- render "$tmp/evil.xml" -o "$tmp/evil.html"
expect_run 0 /dev/null -- render "$tmp/evil.xml" -t "$NB_DATA/html/metrics.html" -o "$tmp/evil-metrics.html"
for page in evil evil-metrics; do
    "$NB_PYTHON3" "$tmp/blocks.py" "$tmp/$page.html" strict > "$tmp/blocks" ||
        fail "$page.html: a value added markup"
done
grep -qF '<title>标题&lt;script&gt;alert(1)&lt;/script&gt;&quot;onmouseover=x &#39;q&amp;amp;</title>' "$tmp/evil.html" ||
    fail "evil.html: the title is not escaped as text"
grep -qF 'title="标题&lt;script&gt;alert(1)&lt;/script&gt;&quot;onmouseover=x &#39;q&amp;amp;"' "$tmp/evil-metrics.html" ||
    fail "evil-metrics.html: the title is not escaped in its attribute"
grep -qF '<td>&lt;/td&gt;&lt;img src=x onerror=alert(1)&gt;</td>' "$tmp/evil.html" ||
    fail "evil.html: the index number is not escaped"

# a template of one's own: a loop over table rows; and one with errors
expect_run 0 /dev/null -- render "$NB_SRCDIR/examples/liangjiang-2022/report.xml" \
    --template "$NB_DATA/html/metrics.html" -o "$tmp/metrics.html"
[ "$(grep -c '^<tr><td>' "$tmp/metrics.html")" -gt 3 ] || fail "metrics.html: the rows did not repeat"
! grep -q '{{' "$tmp/metrics.html" || fail "metrics.html: a tag was left"
! grep -q '^$' "$tmp/metrics.html" || fail "metrics.html: a control line left an empty line"
expect_status 1 -- render "$NB_SRCDIR/examples/liangjiang-2022/report.xml" \
    --template "$NB_DATA/html/bad.html" -o "$tmp/bad.html"
for code in NB6001 NB6003 NB6030; do
    grep -q "$code" "$tmp/stderr" || fail "bad.html: no $code"
done
grep -q "bad.html(html):2: error: '{{titel}}'" "$tmp/stderr" || fail "bad.html: a finding is not located"
[ ! -e "$tmp/bad.html" ] || fail "a template with errors wrote a page"
expect_status 0 -- check-template "$NB_DATA/html/metrics.html"
# an HTML template writes HTML only; a .docx template no HTML
expect_status 1 -- render "$NB_SRCDIR/examples/liangjiang-2022/report.xml" \
    --template "$NB_DATA/html/metrics.html" -o "$tmp/m.docx"
grep -q NB7012 "$tmp/stderr" || fail "an HTML template asked for DOCX: no NB7012"
[ ! -e "$tmp/m.docx" ] || fail "a mismatched render wrote its output"
expect_status 1 -- render "$NB_SRCDIR/examples/liangjiang-2022/report.xml" \
    --template "$tmp/liangjiang-2022.docx" -o "$tmp/m.html"
grep -q NB7012 "$tmp/stderr" || fail "a .docx template asked for HTML: no NB7012"

# the inbox summary as a web page: a row per submission, signed and dated
mkdir "$tmp/in"
for name in jiangbei-2021 changshan-2022; do
    cp "$NB_SRCDIR/examples/$name/report.xml" "$tmp/in/$name.xml"
done
expect_status 0 -- inbox "$tmp/in" --html "$tmp/summary.html" --issuer '市司法局' --date 2023-03-20
[ "$(grep -c '^<tr><td>' "$tmp/summary.html")" -eq 2 ] || fail "summary.html: not a row per submission"
grep -qF '<p>2023年3月20日</p>' "$tmp/summary.html" || fail "summary.html: not dated"
grep -qF '<td>常山县司法局</td>' "$tmp/summary.html" || fail "summary.html: an office is missing"

# Debian's HTML Tidy: no error and no warning in any page written
command -v tidy > /dev/null 2>&1 || skip "tidy (HTML Tidy) not found"
for page in jiangbei-2021 changshan-2022 liangjiang-2022 evil evil-metrics summary; do
    tidy -q -e -utf8 "$tmp/$page.html" > "$tmp/tidy.log" 2>&1 ||
        { cat "$tmp/tidy.log" >&2; fail "tidy finds problems in $page.html"; }
done

# headless Chromium: the page as a browser builds it, and screenshots
[ -n "$chrome" ] || skip "chromium-headless-shell not found"
for page in changshan-2022 evil; do
    chromium --dump-dom "file://$tmp/$page.html" > "$tmp/dom.html" ||
        { cat "$tmp/chrome.log" >&2; fail "Chromium cannot load $page.html"; }
    "$NB_PYTHON3" "$tmp/blocks.py" "$tmp/dom.html" strict > "$tmp/dom.txt" ||
        fail "$page.html: Chromium's DOM has markup a value added"
    "$NB_PYTHON3" "$tmp/blocks.py" "$tmp/$page.html" > "$tmp/want"
    diff -u "$tmp/want" "$tmp/dom.txt" >&2 || fail "$page.html: Chromium reads other text"
done
for w in 390x844 1280x900; do
    chromium --hide-scrollbars --window-size="${w%x*},${w#*x}" \
        --screenshot="$tmp/shot-$w.png" "file://$tmp/changshan-2022.html" > /dev/null ||
        { cat "$tmp/chrome.log" >&2; fail "Chromium: no screenshot at $w"; }
    [ "$(png_width "$tmp/shot-$w.png")" = "${w%x*}" ] || fail "screenshot at $w has another width"
    [ "$(wc -c < "$tmp/shot-$w.png")" -gt 20000 ] || fail "screenshot at $w is blank"
done
# the signature block as Chromium lays it out (GB/T 9704-2012 7.3.5.2):
# the date 右空二字, its first character two characters right of the
# 署名's; and the title's lines each centred. A copy of the page gets a
# script that writes the measures into the DOM.
measure() {
    sed 's#</body>#<script>var f=parseFloat(getComputedStyle(document.querySelector("article")).fontSize),a=document.querySelector("article").getBoundingClientRect(),q=document.querySelectorAll(".signature p"),r=function(p){var g=document.createRange();g.selectNodeContents(p);return g.getBoundingClientRect()},s=r(q[0]),d=r(q[1]);document.body.setAttribute("data-m",[((d.left-s.left)/f).toFixed(2),((a.right-d.right)/f).toFixed(2),((a.right-s.right)/f).toFixed(2)].join(" "))</script></body>#' \
        "$tmp/$1.html" > "$tmp/m-$1.html"
    chromium --window-size=1280,900 --dump-dom "file://$tmp/m-$1.html" |
        sed -n 's/.*data-m="\([^"]*\)".*/\1/p'
}
for name in jiangbei-2021 changshan-2022; do
    m=$(measure "$name")
    [ -n "$m" ] || fail "$name: no measures from Chromium"
    set -- $m
    "$NB_PYTHON3" -c 'import sys; a,b,c=map(float,sys.argv[1:]); sys.exit(not (abs(a-2)<0.3 and min(b,c)>1.7 and abs(min(b,c)-2)<0.3))' "$1" "$2" "$3" ||
        fail "$name: the date $1 characters right of the 署名, $2 from the right edge (the 署名 $3)"
done
exit 0
