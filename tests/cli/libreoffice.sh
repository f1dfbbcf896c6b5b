#!/bin/sh
# The examples as LibreOffice lays them out (DOCX -> PDF with the fonts of
# data/fontconfig/fonts.conf): A4 pages, all of the text, 22 lines on every
# full page (GB/T 9704-2012 §5.2.2), and the page number "— N —" in the
# footer, right on odd pages and left on even ones (§7.5); and a template
# whose sections repeat table rows, read back as text. Slow: one
# LibreOffice start per example.
. "$(dirname "$0")/lib.sh"

need_libreoffice
need_python
need_validate_docx

fonts="$NB_SRCDIR/data/fontconfig/fonts.conf"
[ -f "$fonts" ] || fail "missing $fonts"

# check.py PDF BBOX TEXT SEED DOCX: all checks on one converted example
cat > "$tmp/check.py" <<'EOF'
import re
import sys
import xml.etree.ElementTree as ET
import zipfile

pdf, bbox_file, text_file, seed_file, docx = sys.argv[1:6]
XHTML = "{http://www.w3.org/1999/xhtml}"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
A4 = (595.3, 841.9)          # points
LINES_PER_PAGE = 22          # GB/T 9704-2012 5.2.2
FOOTER = re.compile(r"\s*— (\d+) —\s*")
# full-width and ASCII marks that may hang past the right margin
HANGING = set("，。、；：？！”’）》」』〉】,.;:?!)")
errors = []
HEADING = re.compile(r"\s*([一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)")


def first_line(page):
    """The text of the top line of a page."""
    ws = sorted(((float(w.get("yMin")), float(w.get("xMin")), w.text or "")
                 for w in page.iter(XHTML + "word")))
    if not ws:
        return ""
    return "".join(t for y, x, t in ws if abs(y - ws[0][0]) < 5)


def err(msg):
    errors.append(msg)


# the bottom margin of the document, from its section properties
doc = ET.fromstring(zipfile.ZipFile(docx).read("word/document.xml"))
mar = doc.find(".//" + W + "sectPr/" + W + "pgMar")
bottom = int(mar.get(W + "bottom")) / 20.0  # twips -> points

# ---- pages: A4, lines in the body, the footer ----
pages = list(ET.parse(bbox_file).iter(XHTML + "page"))
if not pages:
    err("no pages in the PDF")
n_pages = len(pages)
for no, page in enumerate(pages, 1):
    w, h = float(page.get("width")), float(page.get("height"))
    if abs(w - A4[0]) > 1 or abs(h - A4[1]) > 1:
        err("page %d is %.1f x %.1f pt, not A4 (595 x 842)" % (no, w, h))
    words = []
    for word in page.iter(XHTML + "word"):
        y = (float(word.get("yMin")) + float(word.get("yMax"))) / 2
        words.append((y, float(word.get("xMin")), float(word.get("xMax")),
                      word.text or ""))
    words.sort()
    lines = []  # [centre y, [words]]: words whose centres are close
    for y, x0, x1, t in words:
        if lines and y - lines[-1][0] < 5:
            lines[-1][1].append((x0, x1, t))
        else:
            lines.append([y, [(x0, x1, t)]])
    limit = h - bottom
    body = [l for l in lines if l[0] < limit]
    foot = [l for l in lines if l[0] >= limit]
    # a heading is kept with its next line (keepNext): the page before one
    # may end a line early
    if no not in (1, n_pages) and len(body) != LINES_PER_PAGE and not (
            len(body) == LINES_PER_PAGE - 1 and no < n_pages
            and HEADING.match(first_line(pages[no]))):
        err("page %d has %d lines of text, not %d"
            % (no, len(body), LINES_PER_PAGE))
    if len(foot) != 1:
        err("page %d: %d lines below the text block, expected the page "
            "number only" % (no, len(foot)))
        continue
    ws = sorted(foot[0][1])
    text = " ".join(t for _, _, t in ws)
    if text != "— %d —" % no:
        err("page %d: footer reads %r, expected '— %d —'" % (no, text, no))
    centre = (ws[0][0] + ws[-1][1]) / 2
    if no % 2 == 1 and centre <= w / 2:
        err("page %d (odd): the page number is not on the right" % no)
    if no % 2 == 0 and centre >= w / 2:
        err("page %d (even): the page number is not on the left" % no)

# ---- text: every seed line, in order ----
# pdftotext gives lines as laid out; page numbers interleave and are
# dropped; whitespace is ignored. LibreOffice does not draw a mark that
# would hang past the right margin, so at the end of a PDF line one such
# mark of the seed may be missing; those are counted, not failed.
flat = []
line_ends = set()
for line in open(text_file, encoding="utf-8"):
    if FOOTER.fullmatch(line.rstrip("\n")):
        continue
    flat.extend(c for c in line if not c.isspace())
    line_ends.add(len(flat))
# the seed pages were captured with ASCII marks, the reports print the
# full-width ones: punctuation width is ignored
NORM = str.maketrans("，；：？！（）", ",;:?!()")
flat = "".join(flat).translate(NORM)


def match_at(s, k):
    """Match seed text s at flat[k:]; the end position, or -1."""
    j = 0
    hung = 0
    while j < len(s):
        if k < len(flat) and flat[k] == s[j]:
            j += 1
            k += 1
        elif s[j] in HANGING and k in line_ends:
            j += 1
            hung += 1
        else:
            return -1, 0
    return k, hung


pos = 0
hung_total = 0
for n, seed in enumerate(open(seed_file, encoding="utf-8"), 1):
    s = "".join(c for c in seed if not c.isspace()).translate(NORM)
    if not s:
        continue
    k = flat.find(s[0], pos)
    end = -1
    while k >= 0:
        end, hung = match_at(s, k)
        if end >= 0:
            break
        k = flat.find(s[0], k + 1)
    if end < 0:
        where = "elsewhere" if flat.find(s[:20]) >= 0 else "nowhere"
        err("seed line %d is not in the PDF text after the previous one "
            "(its start is %s): %s" % (n, where, seed.strip()[:40]))
        continue
    hung_total += hung
    pos = end

print("%s: %d pages; %d marks at line ends not drawn by LibreOffice"
      % (pdf, n_pages, hung_total))
for e in errors:
    print("%s: %s" % (pdf, e), file=sys.stderr)
sys.exit(1 if errors else 0)
EOF

failed=0
for name in jiangbei-2021 changshan-2022 liangjiang-2022; do
    docx="$tmp/$name.docx"
    expect_run 0 /dev/null -- render "$NB_SRCDIR/examples/$name/report.xml" -o "$docx"
    validate_docx "$docx"
    # a profile of our own: a running LibreOffice would take the job
    # without seeing FONTCONFIG_FILE
    if ! FONTCONFIG_FILE="$fonts" run_timeout "$NB_SOFFICE" \
            "-env:UserInstallation=file://$tmp/lo" --headless \
            --convert-to pdf --outdir "$tmp" "$docx" > "$tmp/soffice.log" 2>&1; then
        cat "$tmp/soffice.log" >&2
        fail "$name: LibreOffice could not convert the DOCX (or took over 180 s)"
    fi
    pdf="$tmp/$name.pdf"
    [ -s "$pdf" ] || { cat "$tmp/soffice.log" >&2; fail "$name: no PDF written"; }
    "$NB_PDFTOTEXT" -enc UTF-8 -bbox-layout "$pdf" "$tmp/$name.html" ||
        fail "$name: pdftotext -bbox-layout failed"
    "$NB_PDFTOTEXT" -enc UTF-8 "$pdf" "$tmp/$name.txt" ||
        fail "$name: pdftotext failed"
    "$NB_PYTHON3" "$tmp/check.py" "$pdf" "$tmp/$name.html" "$tmp/$name.txt" \
        "$NB_DATA/seeds/$name.txt" "$docx" || failed=1
done
[ "$failed" -eq 0 ] || fail "the PDF layout is wrong (messages above)"

# a template whose sections repeat table rows (tests/data/templates/tables,
# see template.sh): LibreOffice opens the merged tables and reads the same
# paragraphs, cell by cell and row by row, as docxdump does
"$NB_MKZIP" "$NB_DATA/templates/tables" "$tmp/tables.docx" ||
    fail "mkzip could not pack templates/tables"
expect_run 0 /dev/null -- render "$NB_SRCDIR/examples/changshan-2022/report.xml" \
    -t "$tmp/tables.docx" -o "$tmp/tables-cs.docx"
validate_docx "$tmp/tables-cs.docx"
if ! run_timeout "$NB_SOFFICE" "-env:UserInstallation=file://$tmp/lo" \
        --headless --convert-to 'txt:Text (encoded):UTF8' --outdir "$tmp/txt" \
        "$tmp/tables-cs.docx" > "$tmp/soffice.log" 2>&1 ||
   [ ! -s "$tmp/txt/tables-cs.txt" ]; then
    cat "$tmp/soffice.log" >&2
    fail "tables: LibreOffice could not convert the DOCX to text"
fi
# LibreOffice writes a byte order mark and CR LF line ends
"$NB_PYTHON3" -c 'import sys; sys.stdout.write(open(sys.argv[1], encoding="utf-8-sig").read().replace("\r", ""))' \
    "$tmp/txt/tables-cs.txt" > "$tmp/tables-lo.txt"
paragraphs "$tmp/tables-cs.docx" > "$tmp/tables-nb.txt"
diff -u "$tmp/tables-nb.txt" "$tmp/tables-lo.txt" >&2 ||
    fail "tables: LibreOffice reads other paragraphs than docxdump (diff above: - docxdump, + LibreOffice)"
exit 0
