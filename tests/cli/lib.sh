# lib.sh: sourced by every tests/cli/*.sh (STYLE.md §7).
#
# Gives: set -eu; a scratch folder $tmp (removed on exit); fail MSG;
# skip MSG (exit 77, or a failure when NB_REQUIRE_ALL=1, as in CI);
# nb ARGS... (the binary, under valgrind when NB_VALGRIND=1);
# expect_run STATUS EXPECTED_STDERR_FILE -- ARGS... (stdout in $tmp/stdout,
# stderr in $tmp/stderr; /dev/null for "no output"); expect_status STATUS
# -- ARGS... (stderr not compared); expect_stdout FILE; validate_docx
# FILE...; need_validate_docx; need_libreoffice; run_timeout COMMAND...;
# need_python; need_openpyxl (sets $py); sum FILE (a checksum);
# paragraphs DOCX [PART] (docxdump --paragraphs); flat_part DOCX PART;
# has DOCX PART STRING; paragraphs_are DOCX [PART]; render_ok REPORT
# TEMPLATE OUT (see each below).
# Paths come from AM_TESTS_ENVIRONMENT (Makefile.am); LC_ALL=C there.
# Diagnostics print paths as given: run from the data folder with relative
# names so that .expect files hold stable paths.
set -eu

: "${NB_BIN:?run through make check (NB_BIN is not set)}"
: "${NB_DATA:?run through make check (NB_DATA is not set)}"
: "${NB_VALGRIND:=0}"
: "${NB_REQUIRE_ALL:=0}"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/nianbao-test.XXXXXX")
# a test may chmod a subfolder read-only; make it removable again
trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM HUP

fail() {
    printf 'FAIL: %s\n' "$*" >&2
    exit 1
}

skip() {
    if [ "$NB_REQUIRE_ALL" = 1 ]; then
        fail "would skip, but NB_REQUIRE_ALL=1: $*"
    fi
    printf 'SKIP: %s\n' "$*" >&2
    exit 77
}

# Run the binary (under valgrind with NB_VALGRIND=1: 99 means a memory
# error or a leak).
nb() {
    if [ "$NB_VALGRIND" = 1 ]; then
        # NB_BIN may be libtool's wrapper script: run valgrind on the
        # real program through libtool
        if [ -x "${NB_BUILDDIR:-}/libtool" ]; then
            "$NB_BUILDDIR/libtool" --mode=execute valgrind -q \
                --error-exitcode=99 --leak-check=full "$NB_BIN" "$@"
        else
            valgrind -q --error-exitcode=99 --leak-check=full "$NB_BIN" "$@"
        fi
    else
        "$NB_BIN" "$@"
    fi
}

# expect_status STATUS -- ARGS...: run nianbao, check only its exit status;
# its output is in $tmp/stdout and $tmp/stderr.
expect_status() {
    _want=$1
    shift
    [ "${1:-}" = "--" ] || fail "expect_status: '--' expected before the arguments"
    shift
    set +e
    nb "$@" > "$tmp/stdout" 2> "$tmp/stderr"
    _st=$?
    set -e
    if [ "$_st" -ne "$_want" ]; then
        printf '%s\n' "--- stdout:" >&2
        cat "$tmp/stdout" >&2
        printf '%s\n' "--- stderr:" >&2
        cat "$tmp/stderr" >&2
        fail "nianbao $*: exit status $_st, expected $_want"
    fi
}

# expect_run STATUS EXPECTED_STDERR_FILE -- ARGS...: the status, and stderr
# exactly as in the file (/dev/null for none).
expect_run() {
    _status=$1
    _expect=$2
    shift 2
    expect_status "$_status" "$@"
    shift
    if ! diff -u "$_expect" "$tmp/stderr" >&2; then
        fail "nianbao $*: stderr differs from $_expect (diff above: - expected, + actual)"
    fi
}

# expect_stdout FILE: stdout of the last run equals FILE.
expect_stdout() {
    diff -u "$1" "$tmp/stdout" >&2 ||
        fail "stdout differs from $1 (diff above: - expected, + actual)"
}

# need_validate_docx: skip when the OOXML checker is not there.
need_validate_docx() {
    [ -n "${NB_VALIDATE_DOCX:-}" ] && [ -f "$NB_VALIDATE_DOCX" ] ||
        skip "validate-docx not found at '${NB_VALIDATE_DOCX:-}'"
}

# validate_docx FILE...: every file is valid OOXML.
validate_docx() {
    if [ -x "$NB_VALIDATE_DOCX" ]; then
        set -- "$NB_VALIDATE_DOCX" "$@"
    else
        set -- sh "$NB_VALIDATE_DOCX" "$@"    # a read-only copy lost its x bit
    fi
    if ! "$@" > "$tmp/validate-docx.out" 2>&1; then
        cat "$tmp/validate-docx.out" >&2
        shift
        fail "validate-docx rejects: $*"
    fi
}

# need_libreoffice: skip without LibreOffice (soffice) and pdftotext.
need_libreoffice() {
    case ${NB_SOFFICE:-no} in
    "" | no) skip "LibreOffice (soffice) not found" ;;
    esac
    command -v "$NB_SOFFICE" > /dev/null 2>&1 || skip "LibreOffice not found at '$NB_SOFFICE'"
    case ${NB_PDFTOTEXT:-no} in
    "" | no) skip "pdftotext (poppler-utils) not found" ;;
    esac
    command -v "$NB_PDFTOTEXT" > /dev/null 2>&1 || skip "pdftotext not found at '$NB_PDFTOTEXT'"
}

# run_timeout COMMAND...: at most 180 s where timeout(1) is there
run_timeout() {
    if command -v timeout > /dev/null 2>&1; then
        timeout 180 "$@"
    else
        "$@"
    fi
}

# need_python: skip without python3.
# need_openpyxl: $py is a python3 that has openpyxl (python3-openpyxl),
# or the test is skipped
need_openpyxl() {
    py=
    for p in "${NB_PYTHON3:-}" /usr/bin/python3 python3; do
        if [ -n "$p" ] && [ "$p" != no ] &&
            "$p" -c 'import openpyxl' > /dev/null 2>&1; then
            py=$p
            return 0
        fi
    done
    skip "python3 with openpyxl (python3-openpyxl) not found"
}

need_python() {
    [ -n "${NB_PYTHON3:-}" ] && [ "$NB_PYTHON3" != no ] &&
        command -v "$NB_PYTHON3" > /dev/null 2>&1 ||
        skip "python3 not found ('${NB_PYTHON3:-}')"
}

# sum FILE: a checksum of the file's bytes.
sum() {
    cksum < "$1"
}

# paragraphs DOCX [PART]: docxdump --paragraphs.
paragraphs() {
    if [ $# -gt 1 ]; then
        "$NB_DOCXDUMP" --paragraphs --part "$2" "$1"
    else
        "$NB_DOCXDUMP" --paragraphs "$1"
    fi
}

# flat_part DOCX PART: the part's XML on one line, without the whitespace
# between elements (so checks do not depend on pretty-printing)
flat_part() {
    "$NB_DOCXDUMP" --part "$2" "$1" | tr -d '\r\n' | sed 's/>[[:space:]]*</></g'
}

# has DOCX PART STRING: the flattened part contains STRING
has() {
    flat_part "$1" "$2" | grep -qF -- "$3" ||
        fail "$1($2) lacks: $3"
}

# paragraphs_are DOCX [PART]: the paragraphs equal $tmp/want
paragraphs_are() {
    paragraphs "$@" > "$tmp/got" || fail "docxdump cannot read $1"
    diff -u "$tmp/want" "$tmp/got" >&2 ||
        fail "paragraphs of $* differ (diff above: - expected, + actual)"
}

# render_ok REPORT TEMPLATE OUT: render xml/REPORT (run from a folder with
# the reports in xml/): exit 0, no diagnostics, valid OOXML
render_ok() {
    expect_run 0 /dev/null -- render "xml/$1" -t "$2" -o "$3"
    [ ! -s "$tmp/stdout" ] || fail "render printed on stdout: $(cat "$tmp/stdout")"
    validate_docx "$3"
}
