# bench/lib.sh: sourced by the bench/*.sh scripts after they set $build.
#
# Builds what the benchmarks run and sets: $nb (the nianbao binary),
# $bench (render_bench, the timer) and $tmp (a scratch folder removed on
# exit). The real binaries are used, not libtool's wrapper scripts: a shell
# start-up would dominate the command timings.
build=$(cd "$build" && pwd)
make -C "$build" --no-print-directory -s bench/render_bench src/cli/nianbao
bench="$build/bench/render_bench"
nb="$build/src/cli/nianbao"
if [ -x "$build/src/cli/.libs/nianbao" ]; then
    nb="$build/src/cli/.libs/nianbao"
    bench="$build/bench/.libs/render_bench"
    LD_LIBRARY_PATH="$build/src/lib/.libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
    export LD_LIBRARY_PATH
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/nianbao-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
