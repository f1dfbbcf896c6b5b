#!/bin/sh
# render --data FILE.json: any JSON data merged into a template as it is
# (docs/templates.md, "Any data: JSON"): loops over paragraphs, rows and
# inline, conditions, filters, @index/@first/@last, a section whose tags
# have text around them; check-template --data checks the names against
# the data; bad JSON is located; nothing is written on an error; the
# output is schema-valid and the same bytes every time.
. "$(dirname "$0")/lib.sh"

cd "$tmp"
D="$NB_DATA/templates/data"
cp "$D"/*.json .
"$NB_MKZIP" "$D/notice" notice.docx || fail "mkzip could not pack data/notice"

# ==== a render ====
expect_run 0 /dev/null -- render --data notice.json -t notice.docx -o out.docx
cat > want <<'W'
通知（二〇二三年）
1. 张三，30岁，管理员：甲、乙
2. 李四，41.5岁
合计：
收入
1,234,567元
支出
89,012元
完。
1
收入
2
支出
无，某局
W
paragraphs_are out.docx
if [ -n "${NB_VALIDATE_DOCX:-}" ] && [ -f "$NB_VALIDATE_DOCX" ]; then
    validate_docx out.docx
fi
# deterministic; options anywhere
expect_run 0 /dev/null -- render -o out2.docx -t notice.docx --data notice.json
cmp -s out.docx out2.docx || fail "two renders of the same data differ"

# ==== a data store that content controls bind to (customXml) ====
mkdir -p store && cp -r "$D/notice/." store/ && mkdir -p store/customXml
printf '%s' '<?xml version="1.0"?><CoverPageProperties xmlns="http://schemas.microsoft.com/office/2006/coverPageProps"><PublishDate>{{year}}</PublishDate><Abstract>{{title}}：{{#people}}{{name}}{{^@last}}、{{/@last}}{{/people}}</Abstract></CoverPageProperties>' \
    > store/customXml/item1.xml
# Word reaches a data store through a relationship of the document
mkdir -p store/word/_rels
printf '%s' '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXml" Target="../customXml/item1.xml"/></Relationships>' \
    > store/word/_rels/document.xml.rels
"$NB_MKZIP" store store.docx || fail "mkzip could not pack store"
expect_run 0 /dev/null -- render --data notice.json -t store.docx -o store-out.docx
has store-out.docx customXml/item1.xml '<PublishDate>2023</PublishDate><Abstract>通知：张三、李四</Abstract>'

# ==== check-template against the data's names ====
expect_run 0 /dev/null -- check-template -q --data notice.json notice.docx
sed 's/{{name}}/{{nmae}}/; s/{{k}}{{\/rows}}/{{key}}{{\/rows}}/' \
    "$D/notice/word/document.xml" > doc.xml
mkdir -p typo/word && cp -r "$D/notice/." typo/ && cp doc.xml typo/word/document.xml
"$NB_MKZIP" typo typo.docx || fail "mkzip could not pack typo"
expect_status 1 -- check-template -q --data notice.json typo.docx
grep -q "'{{nmae}}': no 'nmae'.*did you mean 'name'? \[NB6030\]$" "$tmp/stderr" ||
    fail "check-template --data does not report {{nmae}}"
grep -q "'{{key}}'.*\[NB6030\]$" "$tmp/stderr" || fail "{{key}} not reported"
# render checks it too, and writes nothing
expect_status 1 -- render --data notice.json -t typo.docx -o typo-out.docx
[ ! -e typo-out.docx ] || fail "a template with unknown names was rendered"
# the same template against a report's names: people is unknown there
expect_status 1 -- check-template -q notice.docx
grep -q "'people'.*\[NB6030\]$" "$tmp/stderr" || fail "report names not used without --data"

# ==== bad data: located, nothing written, an old output kept ====
printf 'previous' > kept.docx
printf '%s\n' "bad.json:2:19: error: not valid JSON: unexpected token near ']' (a JSON file is UTF-8 text, each key once in its object) [NB7040]" > want
expect_run 1 want -- render --data bad.json -t notice.docx -o kept.docx
[ "$(cat kept.docx)" = previous ] || fail "bad data replaced the old output"
expect_status 1 -- render --data dup.json -t notice.docx -o kept.docx
grep -q '^dup.json:1:.*duplicate.*\[NB7040\]$' "$tmp/stderr" || fail "a repeated key is not NB7040"
expect_status 1 -- render --data array.json -t notice.docx -o kept.docx
grep -q '^array.json: error: the data is a JSON array, not an object.*\[NB7041\]$' "$tmp/stderr" ||
    fail "an array at the top is not NB7041"
expect_status 3 -- render --data missing.json -t notice.docx -o kept.docx
[ "$(cat kept.docx)" = previous ] || fail "a failed render replaced the old output"
expect_status 3 -- render --data notice.json -t notice.docx -o kept.docx --limit input=10
grep -q '\[NB7042\]$' "$tmp/stderr" || fail "data over the input limit is not NB7042"

# ==== usage ====
expect_status 2 -- render --data notice.json -o x.docx
grep -q 'add --template' "$tmp/stderr" || fail "--data without a template"
expect_status 2 -- render --data notice.json report.xml -t notice.docx -o x.docx
expect_status 2 -- render --data notice.json -t notice.docx -o notice.json
expect_status 2 -- render --data notice.json -t notice.docx -o x.html
grep -q 'the template writes docx, not html' "$tmp/stderr" || fail "--data: a .docx template for .html"
expect_status 2 -- render --data notice.json -t notice.docx -o x.txt
[ ! -e x.docx ] && [ ! -e x.html ] && [ ! -e x.txt ] || fail "a usage error wrote x.docx"

# ==== an HTML template: values escaped, loops over lines ====
printf '<article><h1>{{title}}</h1>\n{{#items}}\n<p>{{@index}}. {{name}}</p>\n{{/items}}\n</article>\n' > page.html
printf '{"title": "通知<b>", "items": [{"name": "甲"}, {"name": "乙&丙"}]}\n' > page.json
expect_run 0 /dev/null -- render --data page.json -t page.html -o page.out.html
printf '<article><h1>通知&lt;b&gt;</h1>\n<p>1. 甲</p>\n<p>2. 乙&amp;丙</p>\n</article>\n' > page.want
cmp page.want page.out.html || fail "--data with an HTML template: $(cat page.out.html)"
cmp -s notice.json "$D/notice.json" || fail "the data was touched"
exit 0
