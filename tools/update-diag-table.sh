#!/bin/sh
# update-diag-table.sh NIANBAO: rewrite the code table of
# docs/diagnostics.md from 'nianbao explain --markdown' (what
# tests/cli/srccheck.sh compares it with).
set -eu
cd "$(dirname "$0")/.."
bin=${1:-build/src/cli/nianbao}
LC_ALL=C NIANBAO_LOCALEDIR=/nonexistent "$bin" explain --markdown > docs/.table.tmp
awk -v table=docs/.table.tmp '
/^\| code \|/ && !done { while ((getline l < table) > 0) print l; skip = 1; done = 1; next }
skip && /^\|/ { next }
{ skip = 0; print }
' docs/diagnostics.md > docs/.diag.tmp
rm -f docs/.table.tmp
mv docs/.diag.tmp docs/diagnostics.md
