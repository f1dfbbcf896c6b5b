#!/bin/sh
# mkman.sh NIANBAO IN OUT: the man page, its SYNOPSIS and COMMANDS made
# from the command table by 'nianbao help --man', the rest from IN.
set -eu
bin=$1 in=$2 out=$3
LC_ALL=C LANGUAGE= NIANBAO_LOCALEDIR=/nonexistent "$bin" help --man > "$out.gen"
version=$("$bin" --version | sed -n '1s/^nianbao \([^ ]*\).*/\1/p')
awk -v gen="$out.gen" -v version="$version" '
BEGIN {
    while ((getline line < gen) > 0) {
        if (line ~ /^\.SH COMMANDS/) part = 2
        if (part == 2) cmds = cmds line "\n"; else syn = syn line "\n"
    }
}
/^\.\\" @SYNOPSIS@/ { printf "%s", syn; next }
/^\.\\" @COMMANDS@/ { printf "%s", cmds; next }
{ gsub(/@VERSION@/, version); print }
' "$in" > "$out.tmp"
rm -f "$out.gen"
mv "$out.tmp" "$out"
