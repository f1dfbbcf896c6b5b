#!/bin/sh
# Source rules that a compiler does not enforce (STYLE.md §6): no banned
# calls anywhere, and no printing or exiting inside the library.
. "$(dirname "$0")/lib.sh"

cd "$NB_SRCDIR"
banned='\b(sprintf|strcpy|strcat|strtok|atoi|atol|gets)[[:space:]]*\('
if grep -nE "$banned" src/lib/*.c src/lib/*.h src/cli/*.c src/cli/*.h tools/*.c \
        | grep -v 'snprintf\|vsnprintf' > "$tmp/hits"; then
    cat "$tmp/hits" >&2
    fail "banned calls in the sources"
fi
lib_print='\b(printf|fprintf|puts|fputs|putchar|perror|exit|abort)[[:space:]]*\('
if grep -nE "$lib_print" src/lib/*.c | grep -v 'snprintf\|vsnprintf\|nb_buf_printf\|nb_arena_printf' > "$tmp/hits"; then
    cat "$tmp/hits" >&2
    fail "the library prints or exits"
fi
# cppcheck finds nothing to warn about in the sources (its warning,
# portability and performance checks; style is STYLE.md's business)
if command -v cppcheck > /dev/null 2>&1; then
    cppcheck --quiet --enable=warning,portability,performance --std=c11 \
        --inline-suppr -D__GNUC__ -I include -I src/lib -I "$NB_BUILDDIR" \
        -I "$NB_BUILDDIR/src/lib" --error-exitcode=1 src/lib src/cli fuzz \
        2> "$tmp/cppcheck" || { cat "$tmp/cppcheck" >&2; fail "cppcheck found problems"; }
elif [ "$NB_REQUIRE_ALL" = 1 ]; then
    fail "cppcheck is not installed (setup.sh installs it)"
fi
# every diagnostic code is documented, and the document is current
"$NB_BIN" explain --markdown > "$tmp/codes.md"
sed -n '/^| code |/,/^$/p' docs/diagnostics.md | sed '/^$/d' > "$tmp/doc-table.md"
diff -u "$tmp/doc-table.md" "$tmp/codes.md" >&2 ||
    fail "docs/diagnostics.md is out of date: regenerate its table with 'nianbao explain --markdown'"
exit 0
