#!/bin/sh
# Every option of every command, as the command table lists it ('nianbao
# help --options'), given without its value, with a bad value and with a
# good one: the first two are usage errors (exit 2) naming the command and
# the option; the last runs. An option the table has and this file does
# not is a failure, so a new option comes with its cases. Also: options
# anywhere among the arguments, '--', abbreviations, did-you-mean, options
# of other commands, conflicts, and 'help CMD' = 'CMD --help'.
. "$(dirname "$0")/lib.sh"

cd "$tmp"
ex="$NB_SRCDIR/examples/changshan-2022/report.xml"
cp "$ex" report.xml
mkdir -p inbox
cp "$ex" inbox/changshan.xml
nb export-template t.docx > /dev/null
printf '发布机构\n常山县司法局\n' > offices.csv
printf '常山县司法局2022年度法治政府建设情况报告\n一、主要举措和成效\n（一）强化统筹协调\n1.建立机制。\n' > draft.txt
cat > local.xml <<'XML'
<indicators xmlns="urn:nianbao:indicators:1" version="1">
  <indicator code="x_local_count" type="count" unit="件" group="本地" name="本地计数"/>
</indicators>
XML
# render --data and check-template --data: JSON data and its template
cp "$NB_DATA/templates/data/notice.json" notice.json
cp "$NB_DATA/templates/data/schema/notice.schema.json" notice.schema.json
"$NB_MKZIP" "$NB_DATA/templates/data/notice" notice.docx ||
    fail "mkzip could not pack data/notice"
nb indicators --indicators=local.xml > /dev/null 2>&1 ||
    fail "the local catalog fixture is not valid: $(nb indicators --indicators=local.xml 2>&1 | head -3)"

# The arguments a command runs with, the option aside: "$cmd" then these.
base() {
    case $1 in
    validate) echo "report.xml" ;;
    render) echo "report.xml -o out.docx" ;;
    'render --batch') echo "--batch inbox -o outdir" ;;
    inbox) echo "inbox" ;;
    aggregate) echo "inbox -o totals.csv" ;;
    init) echo "forms-$$-$n" ;;
    convert) echo "report.xml -o forms-out-$n" ;;
    fix) echo "report.xml" ;;
    import) echo "draft.txt -o imported-$n.xml" ;;
    indicators | check-template | limits | explain | help) echo "" ;;
    export-template) echo "exported.docx" ;;
    *) fail "no base arguments for the command '$1': add them to options.sh" ;;
    esac
}

# "GOOD BAD BAD_STATUS" for an option's value: a value that works, one
# that does not, and the exit status the bad one gives (2: refused as
# usage; 3: the file cannot be read or written).
values() {
    case "$1 $2" in
    *' --diag') echo "json xml 2" ;;
    *' --encoding') echo "utf-8 latin9 2" ;;
    'convert --output-encoding') echo "gb18030 big5 2" ;;
    *' --limit') echo "input=100M bogus=1 2" ;;
    *' --profile') echo "annual-report strictest 2" ;;
    *' --allow') echo "NB5022 NB1012 2" ;;
    'indicators --search') echo "复议 没有这个指标 1" ;;
    *' --jobs') echo "2 0 2" ;;
    'init --year') echo "2025 1800 2" ;;
    'inbox --date') echo "2023-03-20 2023-02-30 2" ;;
    'help --completion') echo "bash fish 2" ;;
    *' --indicators') echo "local.xml missing.xml 3" ;;
    *' --previous') echo "report.xml missing.xml 3" ;;
    *' --template') echo "t.docx missing.docx 3" ;;
    'inbox --expect') echo "offices.csv missing.csv 3" ;;
    'render --output') echo "out.docx no/such/out.docx 3" ;;
    'render --batch --output') echo "outdir report.xml/x 3" ;;
    'aggregate --output') echo "totals.csv no/such/totals.csv 3" ;;
    'convert --output') echo "converted.xml no/such/dir/forms 3" ;;
    'import --output') echo "imported.xml no/such/dir/x.xml 3" ;;
    *' --csv') echo "summary.csv no/such/summary.csv 3" ;;
    *' --json') echo "summary.json no/such/summary.json 3" ;;
    'inbox --docx') echo "summary.docx no/such/summary.docx 3" ;;
    'inbox --html') echo "summary.html no/such/summary.html 3" ;;
    'render --format') echo "docx epub 2" ;;
    'render --batch --format') echo "docx html 2" ;;
    *' --pdf') echo "plain bogus 2" ;;
    *' --issuer') echo "常山县司法局 - -" ;; # any name is a name
    *' --data') echo "notice.json missing.json 3" ;;
    *' --schema') echo "notice.schema.json missing.json 3" ;;
    'render --allow-dir') echo "inbox no-such-dir 3" ;;
    'indicators --search') echo "复议 - -" ;; # any words are a search
    *) echo "" ;;
    esac
}

# The status a command gives when it runs well (inbox: the example has no
# submission list problems; check-template --standard: 0).
ok_status() {
    echo 0
}

run() { # STATUS -- ARGS (word-split on purpose)
    _st=$1
    shift 2
    # shellcheck disable=SC2068
    expect_status "$_st" -- $@
}

nb help --options > options.tsv
[ "$(wc -l < options.tsv)" -ge 60 ] || fail "help --options lists too few options"
n=0
while IFS="$(printf '\t')" read -r cmd long short kind vname choices; do
    n=$((n + 1))
    rm -rf outdir forms-out-* converted.xml
    args=$(base "$cmd")
    word=${cmd%% *}
    # the help documents the option, and the man page too
    nb $cmd --help > help.txt
    grep -q -- "$long" help.txt || fail "$cmd --help does not document $long"
    if [ "$kind" = flag ]; then
        run 2 -- $word $args "$long=x"
        grep -q "^nianbao $cmd: option '$long' takes no value$" "$tmp/stderr" ||
            fail "$cmd $long=x: $(cat "$tmp/stderr")"
        continue
    fi
    set -- $(values "$cmd" "$long")
    [ $# -eq 3 ] || fail "no test values for '$cmd $long': add them to options.sh"
    good=$1 bad=$2 bad_st=$3
    # --data replaces the report: the data's own template instead
    case "$cmd $long" in
    'render --data') args="-t notice.docx -o out.docx" ;;
    'check-template --data') args="notice.docx" ;;
    'render --schema') args="--data notice.json -t notice.docx -o out.docx" ;;
    'render --allow-dir') args="--data notice.json -t notice.docx -o out.docx" ;;
    'check-template --schema') args="notice.docx" ;;
    esac
    # without its value: at the end, and before another option
    run 2 -- $word $args "$long"
    grep -q "^nianbao $cmd: option '$long' needs a value" "$tmp/stderr" ||
        fail "$cmd $long without a value: $(cat "$tmp/stderr")"
    run 2 -- $word "$long" --help $args
    grep -q "^nianbao $cmd: option '$long' needs a value" "$tmp/stderr" ||
        fail "$cmd $long before --help: $(cat "$tmp/stderr")"
    run 2 -- $word $args "$long="
    grep -q "needs a value" "$tmp/stderr" || fail "$cmd $long=: $(cat "$tmp/stderr")"
    if [ "$short" != - ]; then
        run 2 -- $word $args "$short"
        grep -q "^nianbao $cmd: option '$short' needs a value" "$tmp/stderr" ||
            fail "$cmd $short without a value: $(cat "$tmp/stderr")"
    fi
    if [ "$bad" != - ]; then
        rm -rf outdir forms-out-*
        run "$bad_st" -- $word $args "$long=$bad"
        if [ "$bad_st" = 2 ]; then
            grep -q "^nianbao $cmd: option '$long': .*'$bad'" "$tmp/stderr" ||
                fail "$cmd $long=$bad: $(cat "$tmp/stderr")"
        fi
    fi
    rm -rf outdir forms-out-* converted.xml
    run "$(ok_status "$cmd")" -- $word $args "$long=$good"
    # and as two words, after the arguments
    rm -rf outdir forms-out-* converted.xml
    case $cmd in init | convert) args=$(base "$cmd")-b ;; esac
    run "$(ok_status "$cmd")" -- $word $args "$long" "$good"
done < options.tsv

# ---- the parser itself ----
# options after the files (GNU convention), and '--' ends them
expect_status 0 -- validate report.xml --profile=annual-report -q
cp report.xml ./--profile=x.xml
expect_status 0 -- validate -q -- --profile=x.xml
# unambiguous abbreviations, as getopt_long allows
expect_status 0 -- validate --prof=annual-report report.xml
# did-you-mean, and an option of another command
expect_status 2 -- validate --profiel=annual-report report.xml
grep -qx "nianbao validate: unknown option '--profiel'; did you mean '--profile'?" "$tmp/stderr" ||
    fail "no did-you-mean: $(cat "$tmp/stderr")"
expect_status 2 -- aggregate --json=x.json inbox -o t.csv
grep -q "^nianbao aggregate: option '--json' is not one of aggregate's options (it is an option of: .*inbox" "$tmp/stderr" ||
    fail "option of another command: $(cat "$tmp/stderr")"
grep -qx "Try 'nianbao aggregate --help'." "$tmp/stderr" || fail "no hint"
# conflicting options
expect_status 2 -- inbox -q -v inbox
grep -qx "nianbao inbox: options '-q' and '-v' cannot be given together" "$tmp/stderr" ||
    fail "conflict: $(cat "$tmp/stderr")"
expect_status 2 -- check-template --standard t.docx
# flags together, a value glued to its short option
expect_status 0 -- render report.xml -oglued.docx
[ -s glued.docx ] || fail "-oFILE wrote nothing"
expect_status 2 -- check-template -qz
grep -qx "nianbao check-template: unknown option '-z'" "$tmp/stderr" || fail "-qz: $(cat "$tmp/stderr")"

# ---- help ----
for cmd in $(cut -f 1 options.tsv | sort -u | tr ' ' '_'); do
    cmd=$(echo "$cmd" | tr '_' ' ')
    set -- $cmd
    nb "$@" --help > a.txt
    if [ $# -eq 2 ]; then nb help "$1" "$2" > b.txt; else nb help "$1" > b.txt; fi
    cmp -s a.txt b.txt || fail "'nianbao help $cmd' differs from 'nianbao $cmd --help'"
    head -n 1 a.txt | grep -q "^Usage: nianbao $cmd " || fail "$cmd --help: $(head -n 1 a.txt)"
done
exit 0
