#!/bin/sh
# The fuzz harnesses' inputs, replayed without libFuzzer (fuzz/README.md):
# each harness's seed corpus (fuzz/corpus.sh: the project's own examples
# and test files) and fuzz/regress/NAME/, every input that once made a
# harness fail, run through the harness's code under whatever this build
# has (ASan and UBSan in CI's sanitizer build). A crash fails the test.
. "$(dirname "$0")/lib.sh"

total=0
for name in report_xml csv_form tmpl_tags docx_template render xlsx \
    import_txt import_html import_docx; do
    replay="$NB_BUILDDIR/fuzz/replay_$name"
    [ -x "$replay" ] || fail "no $replay (make check builds it)"
    "$NB_SRCDIR/fuzz/corpus.sh" "$NB_BUILDDIR" "$name" "$tmp/$name"
    n=$(ls "$tmp/$name" | wc -l)
    [ "$n" -ge 5 ] || fail "$name: only $n seeds"
    # TMPDIR: csv_form writes its input into a scratch folder there
    TMPDIR="$tmp" "$replay" "$tmp/$name"/* 2> "$tmp/$name.err" ||
        { cat "$tmp/$name.err" >&2; fail "$name: a seed or regression input failed"; }
    if grep -q 'runtime error\|AddressSanitizer\|LeakSanitizer' "$tmp/$name.err"; then
        cat "$tmp/$name.err" >&2
        fail "$name: the sanitizers reported an error"
    fi
    total=$((total + n))
done
[ "$total" -ge 100 ] || fail "only $total inputs replayed"
exit 0
