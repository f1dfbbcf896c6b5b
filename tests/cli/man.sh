#!/bin/sh
# The man page and the shell completions are made from the command table:
# the built ones are current, every option of every command is in them,
# the man page renders without a groff warning, and bash completes
# commands, options and their values.
. "$(dirname "$0")/lib.sh"

cd "$tmp"
man="$NB_BUILDDIR/doc/nianbao.1"
[ -f "$man" ] || fail "the build made no man page ($man)"
sh "$NB_SRCDIR/doc/mkman.sh" "$NB_BIN" "$NB_SRCDIR/doc/nianbao.1.in" fresh.1
diff -u "$man" fresh.1 >&2 || fail "doc/nianbao.1 is not current: rebuild it (make)"
grep -q '@SYNOPSIS@\|@COMMANDS@\|@VERSION@' "$man" && fail "a placeholder is left in the man page"

nb help --options > options.tsv
# every option in the man page, under its command
while IFS="$(printf '\t')" read -r cmd long short kind vname choices; do
    name=$(printf '%s' "$long" | sed 's/-/\\\\-/g')
    sed -n "/^\.SS \"nianbao $cmd\"/,/^\.S[SH] /p" "$man" | grep -q "fB$name" ||
        fail "the man page's $cmd lists no $long"
done < options.tsv
if command -v groff > /dev/null 2>&1; then
    groff -k -man -Tutf8 -ww -z "$man" 2> groff.err
    [ ! -s groff.err ] || { cat groff.err >&2; fail "groff warns about the man page"; }
fi

# bash completion, as bash-completion loads it
comp="$NB_BUILDDIR/completion/nianbao"
[ -f "$comp" ] || fail "the build made no bash completion"
nb help --completion=bash | cmp -s - "$comp" || fail "the bash completion is not current"
complete_words() { # WORD... : what bash offers for the last one
    bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _nianbao; printf "%s\n" "${COMPREPLY[@]}"' \
        sh "$comp" "$@"
}
complete_words nianbao val | grep -qx validate || fail "bash does not complete 'val'"
complete_words nianbao validate --di | grep -qx -- --diag= || fail "bash does not complete --di"
complete_words nianbao validate --diag = | sort | tr '\n' ' ' | grep -qx 'json text ' ||
    fail "bash does not complete --diag's values: $(complete_words nianbao validate --diag =)"
complete_words nianbao render --batch --jo | grep -qx -- --jobs= || fail "bash: render --batch --jo"
complete_words nianbao render --jo | grep -q . && fail "bash offers --jobs for render without --batch"
complete_words nianbao inbox --profile w | grep -qx work-summary || fail "bash: --profile values"
mkdir sub && : > sub/a.xml
complete_words nianbao validate sub/ | grep -qx sub/a.xml || fail "bash does not complete files"

# zsh completion: current, and zsh reads it
zcomp="$NB_BUILDDIR/completion/_nianbao"
nb help --completion=zsh | cmp -s - "$zcomp" || fail "the zsh completion is not current"
head -n 1 "$zcomp" | grep -qx '#compdef nianbao' || fail "no #compdef line"
if command -v zsh > /dev/null 2>&1; then
    zsh -n "$zcomp" || fail "zsh cannot parse the completion"
elif [ "$NB_REQUIRE_ALL" = 1 ]; then
    fail "zsh is not installed (setup.sh installs it)"
fi
exit 0
