#!/bin/sh
# bench/startup.sh: what a nianbao command costs before it does any work.
#
#   sh bench/startup.sh [BUILD] [RUNS]
#
# Links an empty main() to the shared libraries nianbao needs, one more at
# a time in the order of its DT_NEEDED entries (each with what it pulls in),
# and times each program, then `nianbao --version` and `nianbao render
# --data` of the 17-page report. Times are CPU (user + system) per process,
# the median of RUNS runs (default 200), from wait4 of each child:
# what the dynamic loader spends mapping and relocating the libraries is
# the difference between the rows. Needs cc and python3.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../build}
runs=${2:-200}
. "$here/lib.sh"
cc=${CC:-cc}
command -v "$cc" > /dev/null || { echo "bench/startup.sh: needs $cc" >&2; exit 1; }

needed=$(LC_ALL=C readelf -d "$nb" | sed -n 's/.*(NEEDED).*\[lib\(.*\)\.so[.0-9]*\]$/\1/p')
echo 'int main(void) { return 0; }' > "$tmp/empty.c"
"$cc" -O2 -o "$tmp/p0" "$tmp/empty.c"
rows="$tmp/p0 libc"
libs=
i=0
for l in $needed; do
    case $l in c) continue ;; esac
    i=$((i + 1))
    libs="$libs -l$l"
    # shellcheck disable=SC2086 # $libs is a list of -l options
    "$cc" -O2 -o "$tmp/p$i" "$tmp/empty.c" -Wl,--no-as-needed $libs
    rows="$rows
$tmp/p$i +lib$l"
done
# the data and template bench/peers.sh renders
"$nb" export-template "$tmp/standard.docx"
python3 "$here/peers/make.py" "$tmp/standard.docx" "$tmp"

printf '%s\n' "$rows" > "$tmp/rows"
python3 - "$runs" "$nb" "$tmp" <<'EOF'
import os, subprocess, sys
runs, nb, tmp = int(sys.argv[1]), sys.argv[2], sys.argv[3]
rows = [l.split(' ', 1) for l in open(os.path.join(tmp, 'rows')).read().splitlines() if l]

def cpu_ms(argv):
    """median CPU ms of argv, started with posix_spawn (no copy of this
    process's memory is charged to the child) and reaped with wait4"""
    times = []
    null = os.open(os.devnull, os.O_WRONLY)
    acts = [(os.POSIX_SPAWN_DUP2, null, 1), (os.POSIX_SPAWN_DUP2, null, 2)]
    for _ in range(runs):
        pid = os.posix_spawn(argv[0], argv, os.environ, file_actions=acts)
        _, _, ru = os.wait4(pid, 0)
        times.append((ru.ru_utime + ru.ru_stime) * 1000)
    os.close(null)
    times.sort()
    return times[len(times) // 2]

def libs(path):
    out = subprocess.run(['ldd', path], capture_output=True, text=True).stdout
    return sum(1 for l in out.splitlines() if '=>' in l or 'ld-linux' in l)

print('load average before:', open('/proc/loadavg').read().split()[:3])
print('| program | shared objects | CPU ms (median of %d) | added ms |' % runs)
print('|---|---|---|---|')
last = None
for path, name in rows:
    ms = cpu_ms([path])
    added = '' if last is None else '%+.2f' % (ms - last)
    print('| empty main() %s | %d | %.2f | %s |' % (name, libs(path), ms, added))
    last = ms
out = os.path.join(tmp, 'out.docx')
for label, argv in (
        ('nianbao --version', [nb, '--version']),
        ('nianbao render --data (17 pages)',
         [nb, 'render', '--data', os.path.join(tmp, 'data.json'), '-t',
          os.path.join(tmp, 'braces.docx'), '-o', out])):
    ms = cpu_ms(argv)
    print('| %s | %d | %.2f | %+.2f |' % (label, libs(nb), ms, ms - last))
print('load average after:', open('/proc/loadavg').read().split()[:3])
EOF
