# bench/lib.sh: sourced by the bench/*.sh scripts after they set $build.
#
# Builds what the benchmarks run and sets: $nb (the nianbao binary),
# $bench (render_bench, the timer) and $tmp (a scratch folder removed on
# exit). The real binaries are used, not libtool's wrapper scripts: a shell
# start-up would dominate the command timings.
build=$(cd "$build" && pwd)
make -C "$build" --no-print-directory -s bench/render_bench src/cli/nianbao
# real_binary DIR NAME: DIR/NAME, or the program behind it when it is
# libtool's wrapper script (a program linked to the uninstalled .so)
real_binary() {
    if [ "$(head -c 2 "$1/$2")" = "#!" ]; then
        echo "$1/.libs/$2"
    else
        echo "$1/$2"
    fi
}
bench=$(real_binary "$build/bench" render_bench)
nb=$(real_binary "$build/src/cli" nianbao)
LD_LIBRARY_PATH="$build/src/lib/.libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
export LD_LIBRARY_PATH
tmp=$(mktemp -d "${TMPDIR:-/tmp}/nianbao-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
