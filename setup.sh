#!/bin/sh
# setup.sh: from a fresh Debian machine to rendered reports in one command.
#
#   ./setup.sh            install what is missing, build into build/, render
#                         the bundled examples (report XML, and one CSV form
#                         set) into out/
#   ./setup.sh --deps     only install the Debian packages
#
# Debian packages are installed with apt-get (as root, or through sudo).
# The build itself never needs root.
set -eu
cd "$(dirname "$0")"

# build: compiler, autotools, libraries (libjansson reads the form schemas,
# Frictionless Table Schema JSON); test: Check, the OOXML checker's xmllint,
# LibreOffice Writer and fonts for the PDF checks, LibreOffice Calc to
# round-trip the CSV forms through a spreadsheet, python-docx to write
# templates as users script them, zh_CN locale, valgrind; libxlsxwriter
# writes workbooks (init --xlsx), python3-openpyxl writes test workbooks;
# hardening: clang with libFuzzer (fuzz/README.md) and cppcheck; zsh, to
# check the completion script it is given
PACKAGES="build-essential autoconf automake libtool pkg-config gettext \
libxml2-dev zlib1g-dev libdeflate-dev libcsv-dev libjansson-dev check libxml2-utils python3 \
libreoffice-writer-nogui libreoffice-calc-nogui poppler-utils fonts-arphic-uming fonts-arphic-ukai \
fonts-noto-cjk locales valgrind zip clang libclang-rt-14-dev cppcheck python3-docx zsh \
chromium-headless-shell tidy libxlsxwriter-dev python3-openpyxl"

as_root() {
    if [ "$(id -u)" = 0 ]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        echo "setup.sh: need root to run: $*" >&2
        exit 3
    fi
}

install_deps() {
    missing=
    for p in $PACKAGES; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
            missing="$missing $p"
    done
    if [ -n "$missing" ]; then
        echo "setup.sh: installing:$missing"
        as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
        # shellcheck disable=SC2086
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
            --no-install-recommends $missing
    fi
    # Chinese messages are tested under a real zh_CN.UTF-8 locale
    if ! locale -a 2>/dev/null | grep -qi '^zh_CN\.utf-\?8$'; then
        as_root sh -c 'grep -q "^zh_CN.UTF-8 UTF-8" /etc/locale.gen 2>/dev/null ||
            echo "zh_CN.UTF-8 UTF-8" >> /etc/locale.gen; locale-gen >/dev/null'
    fi
}

install_deps
[ "${1:-}" = "--deps" ] && exit 0

[ -x configure ] || ./autogen.sh
mkdir -p build
if [ ! -f build/Makefile ]; then
    (cd build && ../configure --quiet)
fi
make -C build -j"$(nproc)" --no-print-directory

mkdir -p out
for report in examples/*/report.xml; do
    name=$(basename "$(dirname "$report")")
    build/src/cli/nianbao validate "$report"
    build/src/cli/nianbao render "$report" -o "out/$name.docx"
    echo "setup.sh: wrote out/$name.docx"
done
# the same report from its CSV form set, as Excel saves it (GB18030, CRLF)
build/src/cli/nianbao validate examples/liangjiang-2022/forms
build/src/cli/nianbao render examples/liangjiang-2022/forms \
    -o out/liangjiang-2022-forms.docx
echo "setup.sh: wrote out/liangjiang-2022-forms.docx (from the CSV forms)"
echo "setup.sh: done. Run the tests with: make -C build check"
