#!/bin/sh
# The page as a clerk checks it before publishing, measured on
# LibreOffice's PDF (pdftotext -bbox, pdftohtml -xml) with the fonts of
# data/fontconfig/fonts.conf: the signature block of GB/T 9704-2012 7.3.5
# (no seal: the date's first character 2 characters right of the 署名's;
# sealed: the 署名 centred on the date), the title broken into balanced
# lines (7.3.1; issuers of 3 to 20 characters), no half-width mark next to
# Chinese, and quotes drawn full-width (in a Chinese font). For every
# example, a sealed one, titles of many lengths and the inbox summary.
# Slow: LibreOffice converts them all in one start.
. "$(dirname "$0")/lib.sh"

need_libreoffice
need_python
need_validate_docx

fonts="$NB_SRCDIR/data/fontconfig/fonts.conf"
mkdir "$tmp/docx" "$tmp/pdf"

# ---- the documents ----
for name in jiangbei-2021 changshan-2022 liangjiang-2022; do
    expect_status 0 -- render "$NB_SRCDIR/examples/$name/report.xml" \
        -o "$tmp/docx/$name.docx"
done
# sealed (用印): changshan with <seal/> in its meta
sed 's:<date>:<seal/><date>:' "$NB_SRCDIR/examples/changshan-2022/report.xml" \
    > "$tmp/sealed.xml"
grep -q '<seal/>' "$tmp/sealed.xml" || fail "no <seal/> put in"
expect_run 0 /dev/null -- render "$tmp/sealed.xml" -o "$tmp/docx/sealed.docx"
# issuers of 3 to 20 characters, the default title ({issuer}{year}年度…报告),
# a signer longer than the date, and a date of two-digit month and day
for issuer in 司法局 常山县司法局 宁波市江北区司法局 重庆两江新区管理委员会司法局 \
    浙江省宁波市江北区人民政府办公室 中华人民共和国某某省某某市某某区司法局; do
    sed -e "s:<issuer>[^<]*</issuer>:<issuer>$issuer</issuer>:" \
        -e 's:<date>2023-02-08</date>:<date>2023-03-28</date>:' \
        "$NB_SRCDIR/examples/changshan-2022/report.xml" > "$tmp/t.xml"
    n=$(printf '%s' "$issuer" | wc -m)
    expect_run 0 /dev/null -- render "$tmp/t.xml" -o "$tmp/docx/issuer$n.docx"
    printf '%s' "$issuer" > "$tmp/issuer$n.signer"
done
# the inbox summary, signed and dated
mkdir "$tmp/inbox"
cp "$NB_SRCDIR/examples/jiangbei-2021/report.xml" "$tmp/inbox/jiangbei.xml"
cp "$NB_SRCDIR/examples/changshan-2022/report.xml" "$tmp/inbox/changshan.xml"
expect_status 0 -- inbox "$tmp/inbox" --docx "$tmp/docx/summary.docx" \
    --issuer 宁波市司法局 --date 2023-03-20
for f in "$tmp"/docx/*.docx; do
    validate_docx "$f"
done

if ! FONTCONFIG_FILE="$fonts" run_timeout "$NB_SOFFICE" \
        "-env:UserInstallation=file://$tmp/lo" --headless \
        --convert-to pdf --outdir "$tmp/pdf" "$tmp"/docx/*.docx \
        > "$tmp/soffice.log" 2>&1; then
    cat "$tmp/soffice.log" >&2
    fail "LibreOffice could not convert the DOCX files"
fi

cat > "$tmp/check.py" <<'PY'
import re
import sys
import xml.etree.ElementTree as ET

name, bbox, xmlf, text, signer, date = sys.argv[1:7]
seal = name == "sealed"
X = "{http://www.w3.org/1999/xhtml}"
errors = []
CN = "\u3400-\u9fff\u3000-\u303f\uff00-\uffef\u201c-\u201d\u2018\u2019\u2014\u2026"


def err(msg):
    errors.append("%s: %s" % (name, msg))


pages = list(ET.parse(bbox).iter(X + "page"))


def lines_of(page):
    words = []
    for w in page.iter(X + "word"):
        y = (float(w.get("yMin")) + float(w.get("yMax"))) / 2
        words.append((y, float(w.get("xMin")), float(w.get("xMax")),
                      float(w.get("yMax")) - float(w.get("yMin")), w.text or ""))
    words.sort()
    lines = []
    for y, x0, x1, h, t in words:
        if lines and y - lines[-1][0] < 5:
            lines[-1][1].append((x0, x1, h, t))
        else:
            lines.append([y, [(x0, x1, h, t)]])
    return [sorted(ws) for _, ws in lines]


# ---- the signature block: the last two lines of text above the footer ----
if signer:
    body = [l for l in lines_of(pages[-1]) if not l[0][3].startswith("—")]
    sig = [l for l in body if "".join(w[3] for w in l) == signer]
    if not sig:
        err("no line reads the 署名 %r" % signer)
    else:
        s = sig[-1]
        n = len(signer)
        char = (s[-1][1] - s[0][0]) / n  # one character of the body
        i = body.index(s)
        if date:
            if i + 1 >= len(body):
                err("no line after the 署名")
            else:
                d = body[i + 1]
                got = "".join(w[3] for w in d)
                if got != date:
                    err("the line after the 署名 reads %r, not %r" % (got, date))
                if seal:
                    off = ((d[0][0] + d[-1][1]) - (s[0][0] + s[-1][1])) / 2 / char
                    if abs(off) > 0.3:
                        err("sealed: the 署名 is %.2f characters off the date's "
                            "centre (±0.3)" % off)
                else:
                    off = (d[0][0] - s[0][0]) / char
                    if abs(off - 2.0) > 0.3:
                        err("the date starts %.2f characters right of the 署名, "
                            "not 2 (±0.3)" % off)
                print("%s: %s / %s: %.2f" % (name, signer, date, off))

# ---- the title: lines of the large type on page 1 ----
title = []
for l in lines_of(pages[0]):
    if all(w[2] > 25 for w in l):
        title.append(l)
    elif title:
        break
if not title:
    err("no title lines found on page 1")
else:
    widths = [l[-1][1] - l[0][0] for l in title]
    print("%s: title lines %s" % (name, " / ".join(
        "".join(w[3] for w in l) for l in title)))
    if min(widths) * 3 < max(widths):
        err("a title line is shorter than a third of the longest: %s"
            % " / ".join("".join(w[3] for w in l) for l in title))

# ---- no half-width mark next to Chinese ----
flat = open(text, encoding="utf-8").read()
for m in re.finditer("[%s][,;:?!()]|[,;:?!()][%s]" % (CN, CN), flat):
    err("half-width mark next to Chinese in the PDF: %r" % m.group(0))
    break

# ---- quotes in a Chinese font (drawn full-width) ----
doc = ET.parse(xmlf).getroot()
latin = {f.get("id") for f in doc.iter("fontspec")
         if re.search("DejaVu|Liberation|Times|Arial", f.get("family"))}
for t in doc.iter("text"):
    s = "".join(t.itertext())
    if t.get("font") in latin and re.search("[\u201c\u201d\u2018\u2019\u2014\u2026]", s):
        err("a quote, dash or ellipsis drawn in a Latin font: %r" % s)
        break
for e in errors:
    print(e, file=sys.stderr)
sys.exit(1 if errors else 0)
PY

failed=0
for f in "$tmp"/docx/*.docx; do
    name=$(basename "$f" .docx)
    pdf="$tmp/pdf/$name.pdf"
    [ -s "$pdf" ] || fail "$name: no PDF written"
    "$NB_PDFTOTEXT" -enc UTF-8 -bbox "$pdf" "$tmp/$name.html"
    "$NB_PDFTOTEXT" -enc UTF-8 "$pdf" "$tmp/$name.txt"
    pdftohtml=$(dirname "$NB_PDFTOTEXT")/pdftohtml
    "$pdftohtml" -xml -i -q -stdout "$pdf" > "$tmp/$name.xml" ||
        fail "pdftohtml failed on $name"
    case $name in
    summary) signer=宁波市司法局 date=2023年3月20日 ;;
    liangjiang-2022) signer=两江新区司法局 date= ;;
    jiangbei-2021) signer=江北区司法局 date=2022年2月28日 ;;
    changshan-2022 | sealed) signer=常山县司法局 date=2023年2月8日 ;;
    issuer*) signer=$(cat "$tmp/$name.signer") date=2023年3月28日 ;;
    esac
    "$NB_PYTHON3" "$tmp/check.py" "$name" "$tmp/$name.html" "$tmp/$name.xml" \
        "$tmp/$name.txt" "$signer" "$date" || failed=1
done
[ "$failed" -eq 0 ] || fail "the typesetting is wrong (messages above)"
exit 0
