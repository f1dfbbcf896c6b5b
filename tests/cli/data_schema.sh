#!/bin/sh
# render --data FILE.json --schema S.json and check-template --schema
# (docs/templates.md, "A JSON Schema for the data"): data that matches is
# rendered; data that does not is reported value by value (the JSON
# pointer, the keyword, what to do) and nothing is written; keywords
# nianbao does not check are named in warnings; a $ref that names nothing
# or runs in a circle is an error; a schema nested too deep is refused;
# check-template checks the tags against the names the schema declares,
# with or without data.
. "$(dirname "$0")/lib.sh"

cd "$tmp"
D="$NB_DATA/templates/data"
cp "$D"/notice.json "$D"/schema/* .
"$NB_MKZIP" "$D/notice" notice.docx || fail "mkzip could not pack data/notice"

# ==== data that matches ====
expect_run 0 /dev/null -- render --data notice.json --schema notice.schema.json \
    -t notice.docx -o out.docx
expect_run 0 /dev/null -- render --data notice.json -t notice.docx -o plain.docx
cmp -s out.docx plain.docx || fail "the schema changed the output"
expect_run 0 /dev/null -- check-template -q --schema notice.schema.json notice.docx
expect_run 0 /dev/null -- check-template -q --data notice.json \
    --schema notice.schema.json notice.docx

# ==== data that does not: every value, located; nothing written ====
expect_status 1 -- render --data bad-data.json --schema notice.schema.json \
    -t notice.docx -o bad.docx
grep 'NB7064' "$tmp/stderr" > got || true
diff -u bad-data.expect got >&2 || fail "bad-data.json: findings differ"
[ ! -e bad.docx ] || fail "bad.docx written for data that does not match"
expect_status 1 -- check-template -q --data bad-data.json \
    --schema notice.schema.json notice.docx
grep 'NB7064' "$tmp/stderr" > got || true
diff -u bad-data.expect got >&2 || fail "check-template: findings differ"
# in JSON, with the pointer as the place
expect_status 1 -- check-template -q --diag=json --data bad-data.json \
    --schema notice.schema.json notice.docx
grep -q '"part":"/people/1"' "$tmp/stdout" ||
    { cat "$tmp/stdout" >&2; fail "--diag=json: no pointer /people/1"; }
# in Chinese
LANGUAGE=zh_CN LC_ALL=C.UTF-8 expect_status 1 -- render --data bad-data.json \
    --schema notice.schema.json -t notice.docx -o bad.docx
grep -q '缺少' "$tmp/stderr" ||
    { cat "$tmp/stderr" >&2; fail "zh_CN: the findings are not translated"; }

# ==== alternatives, tuples, allOf ====
expect_status 1 -- render --data notice.json --schema alternatives.schema.json \
    -t notice.docx -o alt.docx
grep 'NB7064' "$tmp/stderr" > got || true
diff -u alternatives.expect got >&2 || fail "alternatives: findings differ"
# names the schema does not declare are errors in the template
grep -q "'{{#rows}}': no 'rows'.*NB6030" "$tmp/stderr" ||
    fail "alternatives: undeclared 'rows' not reported"

# ==== keywords not checked; a $ref that names nothing ====
expect_status 1 -- check-template -q --schema unsupported.schema.json notice.docx
grep 'unsupported.schema.json' "$tmp/stderr" > got || true
diff -u unsupported.expect got >&2 || fail "unsupported: findings differ"
# the warnings alone do not fail a render
sed -e 's/"title": {"type": "string", "minLength": 1, "maxLength": 20}/"title": {"type": "string", "format": "email", "pattern": "(?i)通知"}/' \
    -e 's/"required": \["title", "year", "people"\],/&"if": {}, "patternProperties": {},/' \
    notice.schema.json > warn.schema.json
expect_status 0 -- render --data notice.json --schema warn.schema.json \
    -t notice.docx -o warn.docx
grep -c 'NB7063' "$tmp/stderr" | grep -qx 4 || fail "warn: 4 warnings expected"
[ -s warn.docx ] || fail "warn.docx not written"

# ==== $ref cycles, depth, not a schema ====
expect_status 1 -- check-template -q --schema cycle.schema.json notice.docx
grep -c 'leads back to itself.*NB7062' "$tmp/stderr" | grep -qx 3 ||
    { cat "$tmp/stderr" >&2; fail "cycle: three NB7062 expected"; }
grep -q NB6030 "$tmp/stderr" && fail "cycle: the names checked against nothing"
# a schema that refers to itself through anyOf: bounded, not a hang
printf '%s' '{"$defs":{"n":{"anyOf":[{"$ref":"#/$defs/n"},{"type":"string"}]}},"$ref":"#/$defs/n"}' \
    > self.schema.json
expect_status 1 -- render --data notice.json --schema self.schema.json \
    -t notice.docx -o self.docx
grep -q 'NB7062' "$tmp/stderr" || { cat "$tmp/stderr" >&2; fail "self: no NB7062"; }
i=0; s='{}'
while [ $i -lt 80 ]; do s="{\"items\":$s}"; i=$((i + 1)); done
printf '%s\n' "$s" > deep.schema.json
expect_status 3 -- check-template -q --schema deep.schema.json notice.docx
grep -q 'NB7061' "$tmp/stderr" || { cat "$tmp/stderr" >&2; fail "deep: no NB7061"; }
printf '[1]\n' > arr.schema.json
expect_status 1 -- check-template -q --schema arr.schema.json notice.docx
grep -q 'NB7060' "$tmp/stderr" || fail "arr: no NB7060"
printf '{"type": \n' > broken.schema.json
expect_status 1 -- render --data notice.json --schema broken.schema.json \
    -t notice.docx -o broken.docx
grep -q 'broken.schema.json:2:.*NB7060' "$tmp/stderr" ||
    { cat "$tmp/stderr" >&2; fail "broken: not located"; }
[ ! -e broken.docx ] || fail "broken.docx written"

# ==== the template's names against the schema's ====
# 'admin' is not declared: an error without data
sed 's/"admin": {"type": "boolean"},//' notice.schema.json > noadmin.schema.json
expect_status 1 -- check-template -q --schema noadmin.schema.json notice.docx
grep -q "'{{#admin}}': no 'admin'.*NB6030" "$tmp/stderr" ||
    { cat "$tmp/stderr" >&2; fail "noadmin: admin not reported"; }
# --schema on render needs --data
expect_status 2 -- render --schema notice.schema.json -t notice.docx -o x.docx
