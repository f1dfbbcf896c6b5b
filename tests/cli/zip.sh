#!/bin/sh
# Zipped submissions: a zip of a report XML or of a form set, at the top or
# in one folder, is read in memory wherever a report is (validate, render,
# convert); GBK entry names and GB18030 forms as Chinese Windows makes
# them; macOS and Office leftovers ignored; every other content, a damaged
# zip and unsafe names reported. The zips are made here from the examples
# and tests/data/forms with Info-ZIP's zip, or python3 where zip cannot
# (GBK names, "..", an empty zip).
. "$(dirname "$0")/lib.sh"

need_python
need_validate_docx
command -v zip > /dev/null 2>&1 || skip "zip (Info-ZIP) not found"

ex="$NB_SRCDIR/examples"
forms="$NB_DATA/forms"
expected="expected one report XML, or one form set (meta.csv, narrative.csv, metrics.csv), at the top of the zip or in one folder [NB8002]"
mkdir "$tmp/w"
cd "$tmp/w"

# pyzip OUT NAME=FILE...: a zip whose entry NAME holds FILE (NAME= alone:
# an empty entry); NAME:gbk is stored in GBK bytes with the UTF-8 flag
# (general purpose bit 11) clear, as Windows' "send to compressed folder"
# does on a Chinese system
pyzip() {
    "$NB_PYTHON3" - "$@" <<'EOF'
import sys, zipfile

class GbkName(zipfile.ZipInfo):
    def _encodeFilenameFlags(self):
        return self.filename.encode("gbk"), self.flag_bits & ~0x800

with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:
    for arg in sys.argv[2:]:
        name, path = arg.split("=", 1)
        cls = zipfile.ZipInfo
        if name.endswith(":gbk"):
            name, cls = name[:-4], GbkName
        info = cls(name, (2024, 3, 1, 9, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        z.writestr(info, open(path, "rb").read() if path else b"")
EOF
}

# ---- a zipped report XML, at the top or in one folder ----
cp "$ex/changshan-2022/report.xml" report.xml
zip -q xml.zip report.xml
expect_run 0 /dev/null -- validate xml.zip
printf 'xml.zip: valid (sections: 4)\n' > "$tmp/want"
expect_stdout "$tmp/want"
# it renders the document the XML renders
expect_run 0 /dev/null -- render report.xml -o cs-xml.docx
expect_run 0 /dev/null -- render xml.zip -o cs-zip.docx
validate_docx cs-zip.docx
cmp cs-xml.docx cs-zip.docx || fail "the zipped XML renders differently"
mkdir 常山县司法局
cp report.xml 常山县司法局/2022年报告.xml
zip -qr xml-folder.zip 常山县司法局
expect_run 0 /dev/null -- validate -q xml-folder.zip
# known by its first bytes as well as by its name
cp xml.zip submission.bin
expect_run 0 /dev/null -- validate -q submission.bin

# ---- a zipped form set ----
expect_run 0 /dev/null -- convert report.xml -o cs
(cd cs && zip -q ../forms-top.zip meta.csv narrative.csv metrics.csv)
expect_run 0 /dev/null -- validate forms-top.zip
printf 'forms-top.zip: valid (sections: 4)\n' > "$tmp/want"
expect_stdout "$tmp/want"
expect_run 0 /dev/null -- render forms-top.zip -o cs-forms.docx
cmp cs-xml.docx cs-forms.docx || fail "the zipped form set renders differently"
# under one folder, GB18030 forms (liangjiang's, saved by Excel), with
# what macOS Archive Utility and Office leave beside them
mkdir -p 两江新区 __MACOSX/两江新区
cp "$ex/liangjiang-2022/forms/"*.csv 两江新区/
printf 'x' > 两江新区/.DS_Store
printf 'x' > 两江新区/'~$meta.csv'
printf 'x' > __MACOSX/两江新区/._meta.csv
printf '报送说明\n' > 两江新区/说明.txt
zip -qr lj.zip 两江新区 __MACOSX
expect_run 0 /dev/null -- validate lj.zip
expect_run 0 /dev/null -- render "$ex/liangjiang-2022/report.xml" -o lj-xml.docx
expect_run 0 /dev/null -- render lj.zip -o lj-zip.docx
validate_docx lj-zip.docx
cmp lj-xml.docx lj-zip.docx || fail "the zipped GB18030 form set renders differently"
# Chinese file names in GBK without the UTF-8 flag, in a GBK-named folder
gbk="$forms/ok-excel-gb18030"
pyzip gbk.zip "基本信息.csv:gbk=$gbk/基本信息.csv" "正文.csv:gbk=$gbk/正文.csv" \
    "指标.csv:gbk=$gbk/指标.csv"
expect_run 0 /dev/null -- validate gbk.zip
pyzip gbk-folder.zip "常山县/:gbk=" "常山县/基本信息.csv:gbk=$gbk/基本信息.csv" \
    "常山县/正文.csv:gbk=$gbk/正文.csv"
expect_run 0 /dev/null -- validate -q gbk-folder.zip
# another CSV beside the forms is a warning, as in a folder
cp forms-top.zip notes.zip
printf 'a,b\n' > notes.csv
zip -q notes.zip notes.csv
printf '%s\n' "notes.zip/notes.csv: warning: not a form of the set (meta.csv/基本信息.csv, narrative.csv/正文.csv, metrics.csv/指标.csv); ignored [NB1018]" > "$tmp/want"
expect_run 0 "$tmp/want" -- validate -q notes.zip

# ---- convert: the output's name says which way ----
expect_run 0 /dev/null -- convert cs -o cs.xml
expect_run 0 /dev/null -- convert forms-top.zip -o out.xml
cmp cs.xml out.xml || fail "convert of the zipped forms differs from the folder's"
expect_run 0 /dev/null -- convert xml.zip -o out-forms
diff -r cs out-forms >&2 || fail "convert of the zipped XML differs from the XML's"

# ---- findings are located in the zip: ZIP/ENTRY:ROW ----
(cd "$forms/bad-cells" && zip -q "$tmp/w/bad-cells.zip" meta.csv narrative.csv)
sed 's|^bad-cells\([/:]\)|bad-cells.zip\1|' "$forms/bad-cells.expect" > "$tmp/want"
expect_run 1 "$tmp/want" -- validate bad-cells.zip
expect_status 1 -- render bad-cells.zip -o bad.docx
[ ! -e bad.docx ] || fail "render wrote a document from a bad zip"
# with GBK names too
pyzip bad-gbk.zip "基本信息.csv:gbk=$forms/bad-cells/meta.csv" \
    "正文.csv:gbk=$forms/bad-cells/narrative.csv"
sed 's|^bad-cells/meta.csv|bad-gbk.zip/基本信息.csv|; s|^bad-cells/narrative.csv|bad-gbk.zip/正文.csv|; s|^bad-cells:|bad-gbk.zip:|' \
    "$forms/bad-cells.expect" > "$tmp/want"
expect_run 1 "$tmp/want" -- validate bad-gbk.zip
expect_status 1 -- validate --diag=json bad-cells.zip
grep -q '^{"file":"bad-cells.zip/meta.csv","line":3,"col":0,"severity":"error","code":"NB1012",' "$tmp/stdout" ||
    fail "JSON diagnostic: $(head -1 "$tmp/stdout")"
# a zipped XML's findings carry their line
sed 's|<year>2022</year>|<year>二〇二二</year>|' report.xml > 2022.xml
zip -q bad-xml.zip 2022.xml
printf '%s\n' "bad-xml.zip/2022.xml:5: error: <year> '二〇二二' is not a year: write it in digits, 2022 [NB4001]" > "$tmp/want"
expect_run 1 "$tmp/want" -- validate bad-xml.zip
# a form missing from a zipped set is named with the set's folder
mkdir 两江
cp "$ex/liangjiang-2022/forms/metrics.csv" 两江/
zip -qr missing.zip 两江
cat > "$tmp/want" <<'EOF'
missing.zip/两江: error: no meta.csv (基本信息.csv) in the form set (nianbao init makes a blank one) [NB1017]
missing.zip/两江: error: no narrative.csv (正文.csv) in the form set (nianbao init makes a blank one) [NB1017]
EOF
expect_run 1 "$tmp/want" -- validate missing.zip

# ---- a zip that is not one submission ----
pyzip empty.zip
printf '%s\n' "empty.zip: error: the zip holds no files; $expected" > "$tmp/want"
expect_run 1 "$tmp/want" -- validate empty.zip
cp report.xml other.xml
zip -q two.zip report.xml other.xml
printf '%s\n' "two.zip: error: the zip holds 2 XML files ('report.xml', 'other.xml'); $expected" > "$tmp/want"
expect_run 1 "$tmp/want" -- validate two.zip
cp forms-top.zip both.zip
zip -q both.zip report.xml
printf '%s\n' "both.zip: error: the zip holds a report XML ('report.xml') and forms ('meta.csv'); $expected" > "$tmp/want"
expect_run 1 "$tmp/want" -- validate both.zip
mkdir -p split/a split/b
cp cs/meta.csv split/a/
cp cs/narrative.csv split/b/
(cd split && zip -qr ../split.zip a b)
printf '%s\n' "split.zip: error: the zip holds forms in more than one folder ('a/meta.csv', 'b/narrative.csv'); $expected" > "$tmp/want"
expect_run 1 "$tmp/want" -- validate split.zip
zip -q none.zip 两江新区/说明.txt
printf '%s\n' "none.zip: error: the zip holds no report XML and no form: '两江新区/说明.txt'; $expected" > "$tmp/want"
expect_run 1 "$tmp/want" -- validate none.zip
cp "$NB_BUILDDIR/templates/standard.docx" template.zip
printf '%s\n' "template.zip: error: the zip is a Word or Excel document ([Content_Types].xml), not a zipped report; $expected" > "$tmp/want"
expect_run 1 "$tmp/want" -- validate template.zip
expect_status 1 -- render two.zip -o two.docx
[ ! -e two.docx ] || fail "render wrote a document from two reports"
expect_status 1 -- convert two.zip -o two.xml
[ ! -e two.xml ] || fail "convert wrote XML from two reports"

# ---- damaged, hostile, too large: nothing is unpacked to disk ----
printf 'report.xml, really\n' > fake.zip
printf '%s\n' "fake.zip: error: not a readable zip archive: no end of central directory record (not a zip archive or a truncated one) [NB9006]" > "$tmp/want"
expect_run 1 "$tmp/want" -- validate fake.zip
pyzip evil.zip "../meta.csv=cs/meta.csv" "narrative.csv=cs/narrative.csv"
printf '%s\n' 'evil.zip(../meta.csv): error: entry name is absolute, contains "..", a backslash or a control character [NB9007]' > "$tmp/want"
expect_run 1 "$tmp/want" -- validate evil.zip
[ ! -e "$tmp/meta.csv" ] || fail "an entry was written outside the zip"
expect_status 3 -- validate --limit=part=1K forms-top.zip
grep -q '^forms-top.zip(narrative.csv): error: entry unpacks to [0-9]* bytes, more than the limit of 1024 \[NB9005\]$' "$tmp/stderr" ||
    fail "part limit: $(cat "$tmp/stderr")"
# nothing was extracted beside the zips
[ ! -e meta.csv ] || fail "an entry was extracted"
