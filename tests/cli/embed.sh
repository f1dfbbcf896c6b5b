#!/bin/sh
# A program that embeds the installed library: the 15 lines an IT team
# writes first. It renders a report without calling nb_report_check, and
# the figures the check derives are printed all the same (the same bytes
# as 'nianbao render'); under a Chinese locale the library's findings are
# Chinese without the program binding any text domain.
. "$(dirname "$0")/lib.sh"

cc=${CC:-cc}
command -v "$cc" > /dev/null 2>&1 || skip "no C compiler to build the embedding program"
cd "$tmp"
make -s -C "$NB_BUILDDIR" install DESTDIR="$tmp/dest" > install.log 2>&1 ||
    { cat install.log >&2; fail "make install failed"; }
prefix=$(sed -n 's/^prefix=//p' "$NB_BUILDDIR/nianbao.pc")
root="$tmp/dest$prefix"
libdir=$(find "$root" -name 'libnianbao.so' | head -n 1 | xargs dirname)
[ -n "$libdir" ] || fail "no libnianbao.so installed"

cat > embed.c <<'C'
#include <locale.h>
#include <stdio.h>
#include <nianbao/nianbao.h>
int main(int argc, char **argv)
{
    nb_diag_list *dl = nb_diag_list_new();
    nb_report *r = NULL;
    nb_template *t = NULL;
    size_t i;
    int ok;

    setlocale(LC_ALL, "");
    ok = argc == 3 && nb_report_read(&r, argv[1], NULL, dl) == NB_OK && r &&
         nb_template_load_standard(&t, dl) == NB_OK &&
         nb_render_file(argv[2], t, r, dl) == NB_OK;
    for (i = 0; i < nb_diag_list_count(dl); i++)
        printf("%s\n", nb_diag_list_at(dl, i)->msg);
    nb_template_free(t);
    nb_report_free(r);
    nb_diag_list_free(dl);
    return ok ? 0 : 1;
}
C
[ "$(grep -c '' embed.c)" -le 30 ] || fail "the embedding program grew"
# shellcheck disable=SC2086
"$cc" -std=c11 ${NB_SAN_CFLAGS:-} -I"$root/include" embed.c -L"$libdir" -lnianbao -o embed 2> cc.log ||
    { cat cc.log >&2; fail "the embedding program does not build against the installed headers"; }

run_embed() {
    LD_LIBRARY_PATH="$libdir" NIANBAO_LOCALEDIR="$root/share/locale" ./embed "$@"
}
report="$NB_DATA/rules/ok-derived.xml"
run_embed "$report" embedded.docx > embed.out || { cat embed.out >&2; fail "the embedding program failed"; }
expect_status 0 -- render "$report" -o cli.docx
"$NB_DOCXDUMP" --part word/document.xml embedded.docx > a.xml
"$NB_DOCXDUMP" --part word/document.xml cli.docx > b.xml
cmp -s a.xml b.xml || fail "the unchecked report renders otherwise than 'nianbao render'"
paragraphs embedded.docx | grep -q '调解成功率[0-9.]*%' ||
    fail "the derived rate is missing: $(paragraphs embedded.docx | grep 调解成功率)"

# a bad report: nothing written, the findings in Chinese under zh_CN
printf '<report xmlns="urn:nianbao:report:1" version="1"><meta/></report>\n' > bad.xml
if locale -a 2>/dev/null | grep -qi '^zh_CN\.utf-\?8$'; then
    set +e
    LC_ALL=zh_CN.UTF-8 run_embed bad.xml bad.docx > zh.out
    st=$?
    set -e
    [ "$st" -eq 1 ] || fail "a bad report: exit $st"
    [ ! -e bad.docx ] || fail "a bad report was rendered"
    grep -q '[一-龥]' zh.out || fail "the library's findings are not Chinese: $(head -3 zh.out)"
    set +e
    LC_ALL=C run_embed bad.xml bad.docx > en.out
    set -e
    cmp -s zh.out en.out && fail "the findings do not follow the locale"
elif [ "$NB_REQUIRE_ALL" = 1 ]; then
    fail "no zh_CN.UTF-8 locale (setup.sh makes one)"
fi

# the command run from the build tree speaks Chinese with no install
LC_ALL=zh_CN.UTF-8 env -u NIANBAO_LOCALEDIR LANGUAGE= "$NB_BIN" validate /nonexistent.xml 2> zh.err || true
grep -q '错误' zh.err || fail "the build tree's nianbao is not Chinese: $(cat zh.err)"
exit 0
