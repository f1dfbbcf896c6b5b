#!/bin/sh
# The command line: help, version, usage errors (exit 2, one message and a
# hint on stderr), explain, export-template.
. "$(dirname "$0")/lib.sh"

cd "$tmp"

# want LINE...: the expected stderr, one argument per line
want() {
    printf '%s\n' "$@" > "$tmp/want"
}

# ---- help and version ----
for arg in --help -h help; do
    expect_run 0 /dev/null -- "$arg"
    head -n 1 "$tmp/stdout" | grep -q '^Usage: nianbao COMMAND' ||
        fail "'nianbao $arg' does not print the usage"
    for cmd in validate render export-template explain; do
        grep -q "^  $cmd " "$tmp/stdout" || fail "'nianbao $arg' does not list '$cmd'"
    done
    grep -q '^Exit status: 0 no errors, 1 errors' "$tmp/stdout" ||
        fail "'nianbao $arg' does not explain the exit status"
done

for arg in --version -V version; do
    expect_run 0 /dev/null -- "$arg"
    grep -Eq '^nianbao [0-9]+\.[0-9]+\.[0-9]+ \(libnianbao [0-9.]+, libxml2 [0-9.]+, libdeflate [0-9.]+\)$' \
        "$tmp/stdout" || fail "'nianbao $arg' prints '$(cat "$tmp/stdout")'"
    [ "$(wc -l < "$tmp/stdout")" -eq 1 ] || fail "'nianbao $arg' prints more than one line"
done

# no command at all: the help, on stderr, and exit 2
expect_status 2 --
grep -q '^Usage: nianbao COMMAND' "$tmp/stderr" || fail "no command: no usage on stderr"
[ ! -s "$tmp/stdout" ] || fail "no command: something on stdout"

# ---- each command's help ----
for cmd in validate render export-template explain; do
    for arg in --help -h; do
        expect_run 0 /dev/null -- "$cmd" "$arg"
        head -n 1 "$tmp/stdout" | grep -q "^Usage: nianbao $cmd" ||
            fail "'nianbao $cmd $arg' prints '$(head -n 1 "$tmp/stdout")'"
    done
done
expect_run 0 /dev/null -- render --help
grep -q -- '-o, --output=OUT ' "$tmp/stdout" || fail "render --help does not document -o"
grep -q -- '-t, --template=T.docx' "$tmp/stdout" || fail "render --help does not document -t"
expect_run 0 /dev/null -- validate --help
grep -q -- '--diag=FORMAT' "$tmp/stdout" || fail "validate --help does not document --diag"

# ---- usage errors: exit 2, the message, the hint ----
want "nianbao: unknown command 'frobnicate'" "Try 'nianbao --help'."
expect_run 2 "$tmp/want" -- frobnicate
[ ! -s "$tmp/stdout" ] || fail "unknown command: something on stdout"

want "nianbao: unknown option '-x'" "Try 'nianbao --help'."
expect_run 2 "$tmp/want" -- -x

want "nianbao validate: unknown option '--bogus'" "Try 'nianbao validate --help'."
expect_run 2 "$tmp/want" -- validate --bogus report.xml

want "nianbao render: unknown option '--bogus'" "Try 'nianbao render --help'."
expect_run 2 "$tmp/want" -- render --bogus report.xml -o out.docx

want "nianbao export-template: unknown option '--bogus'" "Try 'nianbao export-template --help'."
expect_run 2 "$tmp/want" -- export-template --bogus

want "nianbao explain: unknown option '--bogus'" "Try 'nianbao explain --help'."
expect_run 2 "$tmp/want" -- explain --bogus

want "nianbao validate: option '--diag': 'xml' is not a format: text or json" "Try 'nianbao validate --help'."
expect_run 2 "$tmp/want" -- validate --diag=xml report.xml

want "nianbao render: option '--diag': 'xml' is not a format: text or json" "Try 'nianbao render --help'."
expect_run 2 "$tmp/want" -- render --diag=xml report.xml -o out.docx

want "nianbao validate: no file to validate" "Try 'nianbao validate --help'."
expect_run 2 "$tmp/want" -- validate

want "nianbao render: no output file: add -o OUT.docx" "Try 'nianbao render --help'."
expect_run 2 "$tmp/want" -- render report.xml

want "nianbao render: give one report file (render one report at a time)" "Try 'nianbao render --help'."
expect_run 2 "$tmp/want" -- render a.xml b.xml -o out.docx

want "nianbao render: no report file given" "Try 'nianbao render --help'."
expect_run 2 "$tmp/want" -- render -o out.docx

want "nianbao render: option '-o' needs a value (OUT)" "Try 'nianbao render --help'."
expect_run 2 "$tmp/want" -- render report.xml -o

want "nianbao export-template: missing the output file" "Try 'nianbao export-template --help'."
expect_run 2 "$tmp/want" -- export-template

want "nianbao export-template: give exactly one output file" "Try 'nianbao export-template --help'."
expect_run 2 "$tmp/want" -- export-template a.docx b.docx

# usage errors are found before any file is touched: none was written
[ ! -e out.docx ] && [ ! -e a.docx ] || fail "a usage error wrote a file"

# ---- explain ----
want "NB2001  XML_MALFORMED            error    the file is not well-formed XML" \
    "        Fix the XML at the place the message points at (a tag not closed, a & not written as &amp;)"
cp "$tmp/want" "$tmp/want-stdout"
expect_run 0 /dev/null -- explain NB2001
expect_stdout "$tmp/want-stdout"

want "nianbao explain: unknown diagnostic code 'NB0000'" "Try 'nianbao explain --help'."
expect_run 2 "$tmp/want" -- explain NB0000
want "nianbao explain: unknown diagnostic code 'NB20011'" "Try 'nianbao explain --help'."
expect_run 2 "$tmp/want" -- explain NB20011

# without a code: every row of diag_codes.def, in its order
expect_run 0 /dev/null -- explain
sed -n 's/^NB_DIAG([A-Z0-9_]*, *\([0-9]*\),.*/NB\1/p' \
    "$NB_SRCDIR/include/nianbao/diag_codes.def" > "$tmp/codes"
[ -s "$tmp/codes" ] || fail "no codes found in diag_codes.def"
grep "^NB" "$tmp/stdout" | cut -d " " -f 1 > "$tmp/listed"
# each with what to do, indented under it
[ "$(grep -c "^        [A-Z]" "$tmp/stdout")" = "$(wc -l < "$tmp/codes")" ] || fail "explain: a code without what to do"
diff -u "$tmp/codes" "$tmp/listed" >&2 || fail "'nianbao explain' does not list every code in order"

# ---- export-template ----
expect_run 0 /dev/null -- export-template standard.docx
[ ! -s "$tmp/stdout" ] || fail "export-template printed something"
[ -s standard.docx ] || fail "export-template wrote nothing"
# the very bytes built from templates/standard/
if [ -f "$NB_BUILDDIR/templates/standard.docx" ]; then
    cmp standard.docx "$NB_BUILDDIR/templates/standard.docx" ||
        fail "exported template differs from the built templates/standard.docx"
fi
"$NB_DOCXDUMP" --parts standard.docx > "$tmp/parts"
grep -q '^word/document.xml [0-9]' "$tmp/parts" || fail "exported template has no word/document.xml"
"$NB_DOCXDUMP" --part word/document.xml standard.docx | grep -q '{{title}}' ||
    fail "exported template has no {{title}} tag"
# a second export replaces the file with the same bytes
cp standard.docx first.docx
expect_run 0 /dev/null -- export-template standard.docx
cmp first.docx standard.docx || fail "export-template is not reproducible"

want "nope/standard.docx: error: cannot create the output: No such file or directory [NB9003]"
expect_run 3 "$tmp/want" -- export-template nope/standard.docx

if [ -n "${NB_VALIDATE_DOCX:-}" ] && [ -f "$NB_VALIDATE_DOCX" ]; then
    validate_docx standard.docx
else
    # the rest of the suite needs it anyway; say so rather than pass quietly
    skip "validate-docx not found at '${NB_VALIDATE_DOCX:-}'"
fi
exit 0
