#!/bin/sh
# import_docx.sh: Word drafts read as a stream (import_docx.c through
# nb_xml_stream): the order of text boxes and footnotes, and hostile
# document.xml parts: a DOCTYPE, deep nesting, huge and many attributes,
# many runs, truncated XML, pictures that are never unpacked.
. "${NB_SRCDIR:?}/tests/cli/lib.sh"
need_python

cd "$tmp"
"$NB_PYTHON3" - "$NB_DATA/import" <<'PY' || fail "building the drafts"
import sys
sys.path.insert(0, sys.argv[1])
from mkdraft import W, para, package, write_package as raw

HEAD = ['某某县人民政府关于2023年度法治政府建设情况的报告', '市人民政府：']
TAIL = ['某某县人民政府', '2024年1月18日']


def body(middle):
    return ''.join(para(t) for t in HEAD) + middle + ''.join(para(t) for t in TAIL)


def box(text, inner=''):
    return ('<w:r><w:drawing><w:txbxContent><w:p><w:r><w:t>%s</w:t></w:r>%s'
            '</w:p></w:txbxContent></w:drawing></w:r>' % (text, inner))


NOTES = ('<w:footnotes %s><w:footnote w:id="2"><w:p><w:r><w:t>注一。</w:t></w:r>'
         '</w:p></w:footnote><w:footnote w:id="3"><w:p><w:r><w:t>注二。</w:t>'
         '</w:r><w:r><w:footnoteReference w:id="3"/></w:r></w:p></w:footnote>'
         '</w:footnotes>' % W)
# the anchor, its text box (and the box in it), then the footnotes it cites
order = ('<w:p><w:r><w:t>锚段落。</w:t></w:r><w:r><w:footnoteReference w:id="2"/></w:r>'
         + box('框一。', box('框中框。'))
         + '<w:r><w:footnoteReference w:id="3"/></w:r><w:r><w:t>锚段落续。</w:t></w:r></w:p>'
         '<w:p><w:r><w:t>下一段。</w:t></w:r><w:r><w:footnoteReference w:id="2"/></w:r></w:p>')
package('order.docx', body(order), [('word/footnotes.xml', NOTES)])
# boxes in boxes 40 deep: their text is kept, nothing crashes (beyond 16
# paragraphs open at once, a box's text joins its anchor's)
deep_box = ''
for i in range(40):
    deep_box = box('层%d。' % i, deep_box)
package('boxes.docx', body('<w:p><w:r><w:t>外层。</w:t></w:r>' + deep_box + '</w:p>'))
# 100,000 runs of one character
many = '<w:p>' + '<w:r><w:rPr><w:b/></w:rPr><w:t>字</w:t></w:r>' * 100000 + '</w:p>'
package('runs.docx', body(many))
# a DOCTYPE with an entity bomb
lol = ('<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY a "aaaaaaaaaa">'
       + ''.join('<!ENTITY %s "%s">' % (chr(98 + i), ('&%s;' % chr(97 + i)) * 10) for i in range(9))
       + ']><w:document %s><w:body><w:p><w:r><w:t>&j;</w:t></w:r></w:p></w:body></w:document>' % W)
raw('doctype.docx', lol)
# nested 100,000 deep, beyond the parser's depth
deep = ('<w:document %s><w:body>' % W + '<w:sdt><w:sdtContent>' * 50000
        + '<w:p><w:r><w:t>深处。</w:t></w:r></w:p>' + '</w:sdtContent></w:sdt>' * 50000
        + '</w:body></w:document>')
raw('deep.docx', deep)
# an 8 MB attribute, and 100,000 attributes on one element
package('attr.docx', body('<w:p w:rsidR="%s"><w:r><w:t>长属性段落。</w:t></w:r></w:p>' % ('0' * (8 << 20))))
package('attrs.docx', body('<w:p %s><w:r><w:t>x</w:t></w:r></w:p>' % ' '.join('a%d="1"' % i for i in range(100000))))
# the body cut in the middle of an element
doc = '<w:document %s><w:body>%s' % (W, body(para('一、主要举措和成效')))
raw('cut.docx', doc[:len(doc) - 20])
# a picture whose bytes are damaged: never unpacked, the text is read
package('picture.docx', body(para('一、主要举措和成效') + para('正文。')),
        [('word/media/image1.png', b'\x89PNG' + bytes(range(256)) * 64)])
z = bytearray(open('picture.docx', 'rb').read())
at = z.find(b'word/media/image1.png') + len('word/media/image1.png')
z[at + 40] ^= 0xff  # inside the picture's deflate stream
open('picture.docx', 'wb').write(bytes(z))
PY

# ---- order: a text box after its anchor, footnotes after the boxes ----
expect_status 0 -- import order.docx -o order.xml
sed -n 's/.*<p>\([^<]*\)<\/p>.*/\1/p' order.xml > got
cat > want <<'WANT'
锚段落。锚段落续。
框一。
框中框。
注一。
注二。
下一段。
注一。
WANT
diff want got >&2 || fail "order of text boxes and footnotes"

expect_status 0 -- import boxes.docx -o boxes.xml
# the anchor first, then the outermost box, the innermost last
grep -o '外层\|层[0-9]*' boxes.xml | tr '\n' ' ' > got
[ "$(cat got)" = "外层 $(seq -s ' ' -f '层%g' 39 -1 0) " ] ||
    fail "nested boxes lost or out of order: $(cat got)"

t0=$(date +%s)
expect_status 0 -- import runs.docx -o runs.xml
"$NB_PYTHON3" -c "import re, sys; sys.exit(not re.search('<p>字{100000}</p>', open('runs.xml', encoding='utf-8').read()))" ||
    fail "100,000 runs not joined into one paragraph"
[ $(($(date +%s) - t0)) -lt 10 ] || fail "100,000 runs took more than 10 s"

# ---- hostile parts: located errors, no output ----
expect_status 1 -- import doctype.docx -o x.xml
grep -q '^doctype.docx(word/document.xml):1: error: .*\[NB2003\]$' stderr ||
    fail "DOCTYPE: $(cat stderr)"
[ ! -e x.xml ] || fail "output written from a draft with a DOCTYPE"
expect_status 1 -- import deep.docx -o x.xml
grep -q '^deep.docx(word/document.xml):1:[0-9]*: error: elements are nested more than 256 deep' stderr ||
    fail "deep nesting: $(cat stderr)"
expect_status 1 -- import cut.docx -o x.xml
grep -q '^cut.docx(word/document.xml):1:[0-9]*: error: .*\[NB2102\]$' stderr ||
    fail "truncated body: $(cat stderr)"
[ ! -e x.xml ] || fail "output written from a truncated draft"
expect_status 3 -- import attrs.docx -o x.xml
grep -q '^attrs.docx(word/document.xml):1: error: an element with more than 1000 attributes \[NB9011\]$' stderr ||
    fail "100,000 attributes: $(cat stderr)"
run_timeout "$NB_BIN" import attr.docx -o attr.xml > /dev/null 2> err && st=0 || st=$?
[ "$st" -le 1 ] || fail "8 MB attribute: exit $st: $(cat err)"
[ "$st" = 1 ] || grep -q '长属性段落' attr.xml || fail "8 MB attribute: paragraph lost"

# ---- a damaged picture is not read ----
expect_status 0 -- import picture.docx -o picture.xml
grep -q '正文。' picture.xml || fail "picture draft: text lost"
