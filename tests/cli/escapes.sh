#!/bin/sh
# Names and text from files never reach a terminal raw: ESC, BEL, CR,
# newlines, C1 and bidirectional controls in file names, office names and
# typed options are printed as escapes (\x1b, \r, \n, \u202e) in the
# inbox table, its -v lines and failures, diagnostics and usage errors,
# so that a crafted name cannot erase or reorder another office's row.
. "$(dirname "$0")/lib.sh"

cd "$tmp"
mkdir subs
ex="$NB_SRCDIR/examples/changshan-2022/report.xml"
cp "$ex" "subs/$(printf 'a\033[2Jb\rc.xml')"
cp "$ex" "subs/$(printf 'two\nlines.xml')"
printf 'not a report\033[1A\n' > "subs/$(printf 'rtl\342\200\256lmx.xml')"
# XML cannot carry ESC, but it can carry a right-to-left override
sed "s|<issuer>[^<]*</issuer>|<issuer>$(printf '\342\200\256')常山县司法局</issuer>|" "$ex" > "subs/$(printf 'bel\007.xml')"

no_raw() { # FILE: no control character but newline, no bidi control
    if LC_ALL=C grep -q "$(printf '[\001-\011\013-\037\177]')" "$1" ||
        grep -q "$(printf '\342\200[\252-\256]')" "$1"; then
        cat -A "$1" >&2
        fail "raw control characters in $2"
    fi
}

expect_status 1 -- inbox -v --no-progress subs
no_raw "$tmp/stdout" "the inbox table"
no_raw "$tmp/stderr" "inbox -v"
grep -q 'a\\x1b\[2Jb\\rc.xml' "$tmp/stdout" || fail "the escaped name is not in the table: $(cat "$tmp/stdout")"
grep -q 'two\\nlines.xml' "$tmp/stdout" || fail "a newline in a name splits the row"
grep -q 'rtl\\u202elmx.xml' "$tmp/stdout" || fail "a bidi control is not escaped"
grep -q '\\u202e常山县司法局' "$tmp/stdout" || fail "an office's name is not escaped"
# the rows stay one line each: a header, four rows, the counts
[ "$(grep -c 'xml' "$tmp/stdout")" -ge 4 ] || fail "rows are missing"

expect_status 3 -- validate "$(printf 'no\033]0;title\007such.xml')"
no_raw "$tmp/stderr" "a diagnostic"
grep -q 'no\\x1b\]0;title\\x07such.xml' "$tmp/stderr" || fail "the diagnostic's file name: $(cat -A "$tmp/stderr")"

expect_status 2 -- validate "$(printf -- '--bogus\033[2J')" x.xml
no_raw "$tmp/stderr" "a usage error"
exit 0
