#!/usr/bin/env python3
"""docx_inbox.py: a province's folder of Word drafts, for bench/inbox.sh.

  docx_inbox.py reports EXAMPLES OUT_DIR T
      T report XML files from the bundled examples, each another office,
      year and scale of its figures (rendered to .docx by the caller)
  docx_inbox.py drafts RENDERED_DIR TEXT_DIR OUT_DIR
      for each rendered report (NAME.docx, its paragraphs in
      TEXT_DIR/NAME.txt) the rendered file and two Word-style drafts of
      its text: ordinals typed, headings bold in 黑体; ordinals from
      automatic numbering (numbering.xml, "%1、" "（%2）" "%3.")
  docx_inbox.py copies TEMPLATE_DIR OUT_DIR COUNT
      COUNT submissions, each a template with its office renamed (no two
      files alike, no office twice): document.xml's text rewritten in a
      copy of the zip, the other parts copied as they are stored
"""
import os
import re
import struct
import sys
import zlib

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                '..', 'tests', 'data', 'import'))
import mkdraft  # noqa: E402

EXAMPLES = {  # file, issuer, year
    'changshan': ('changshan-2022/report.xml', '常山县司法局', 2022),
    'jiangbei': ('jiangbei-2021/report.xml', '江北区司法局', 2021),
    'liangjiang': ('liangjiang-2022/report.xml', '两江新区司法局', 2022),
}
# office names: two characters of these, a kind, a body (10,000 and more)
CHARS = ('东南西北安平和宁康泰丰华兴隆昌盛永定长清'
         '明光新城山河湖海江川桥林松柏桂兰梅竹石金'
         '玉宝云龙凤鹤鹿阳春秋夏青白红黄绿乐福寿喜'
         '德仁义信礼智文武正中高远广元通达顺利吉祥'
         '庆瑞美秀丽灵嘉善良田沙泉溪岭峰岩洲湾塘')
KINDS = ('县', '区', '市')
BODIES = ('司法局', '人民政府', '市场监督管理局', '生态环境局')


def office(i, kind=None):
    n = len(CHARS)
    a, b = CHARS[i % n], CHARS[(i // n) % n]
    k = KINDS[(i // (n * n)) % len(KINDS)] if kind is None else kind
    return '%s%s%s' % (a, b, k)


def reports(ex, out, count):
    os.makedirs(out, exist_ok=True)
    names = sorted(EXAMPLES)
    for t in range(count):
        name = names[t % len(names)]
        path, issuer, year = EXAMPLES[name]
        xml = open(os.path.join(ex, path), encoding='utf-8').read()
        y = 2019 + t % 6
        k = 1 + t % 7
        # the years (report year, the next), then the office, then whole
        # figures scaled (rates and "1万余" stay as written)
        xml = re.sub(r'(?<!\d)(%d|%d)(?!\d)' % (year, year + 1),
                     lambda m: str(y + int(m.group(1)) - year), xml)
        xml = xml.replace(issuer, office(t + 7000) + '司法局')

        def scale(m):
            code, attrs, value = m.group(1), m.group(2), m.group(3)
            if value.isdigit() and not code.endswith('_rate'):
                value = str(int(value) * k)
            return '<metric code="%s"%s>%s</metric>' % (code, attrs, value)
        xml = re.sub(r'<metric code="([a-z0-9_]+)"([^>]*)>([^<]*)</metric>',
                     scale, xml)
        with open(os.path.join(out, 't%03d-%s.xml' % (t, name)), 'w',
                  encoding='utf-8') as f:
            f.write(xml)


# typed ordinals and the numbering level that gives them
ORDINALS = [(re.compile(r'^[一二三四五六七八九十]+、'), 0),
            (re.compile(r'^（[一二三四五六七八九十]+）'), 1),
            (re.compile(r'^\d+[.．、]'), 2)]


def drafts(rendered, texts, out):
    os.makedirs(out, exist_ok=True)
    for f in sorted(os.listdir(rendered)):
        if not f.endswith('.docx'):
            continue
        stem = f[:-5]
        with open(os.path.join(rendered, f), 'rb') as src, \
                open(os.path.join(out, stem + '-r.docx'), 'wb') as dst:
            dst.write(src.read())
        ps = [p.strip(' \u3000') for p in
              open(os.path.join(texts, stem + '.txt'), encoding='utf-8')
              .read().replace('\\n', '').split('\n') if p.strip(' \u3000')]
        typed, auto = [], []
        for i, p in enumerate(ps):
            level = next((lv for rx, lv in ORDINALS if rx.match(p)), None)
            head = i == 0 or (level is not None and len(p) < 40)
            typed.append(mkdraft.para(p, bold=head))
            if level is None:
                auto.append(mkdraft.para(p, bold=head))
            else:
                rest = [rx for rx, lv in ORDINALS if lv == level][0].sub('', p)
                auto.append(mkdraft.para(rest, num=level, bold=head))
        mkdraft.package(os.path.join(out, stem + '-t.docx'), ''.join(typed))
        mkdraft.package(os.path.join(out, stem + '-a.docx'), ''.join(auto),
                        [('word/numbering.xml', mkdraft.NUMBERING)])


# ==== zip copies: the entries as stored, document.xml deflated anew ====

def entries(path):
    """(name, method, crc, csize, usize, raw) of each entry, as stored."""
    data = open(path, 'rb').read()
    end = data.rfind(b'PK\x05\x06')
    n, size, off = struct.unpack('<HII', data[end + 10:end + 20])
    res = []
    for _ in range(n):
        (method, crc, csize, usize, ln, lx, lc,
         loff) = struct.unpack('<10xH4xIIIHHH8xI', data[off:off + 46])
        name = data[off + 46:off + 46 + ln]
        lln, llx = struct.unpack('<HH', data[loff + 26:loff + 30])
        start = loff + 30 + lln + llx
        res.append((name, method, crc, csize, usize, data[start:start + csize]))
        off += 46 + ln + lx + lc
    return res


def write_zip(path, items):
    out, central = [], []
    pos = 0
    for name, method, crc, csize, usize, raw in items:
        head = struct.pack('<IHHHHHIIIHH', 0x04034b50, 20, 0x800, method, 0,
                           0x21, crc, csize, usize, len(name), 0)
        central.append(struct.pack('<IHHHHHHIIIHHHHHII', 0x02014b50, 20, 20,
                                   0x800, method, 0, 0x21, crc, csize, usize,
                                   len(name), 0, 0, 0, 0, 0, pos) + name)
        out += [head, name, raw]
        pos += len(head) + len(name) + len(raw)
    cd = b''.join(central)
    out += [cd, struct.pack('<IHHHHIIH', 0x06054b50, 0, 0, len(items),
                            len(items), len(cd), pos, 0)]
    with open(path, 'wb') as f:
        f.write(b''.join(out))


def issuer_of(doc):
    """The office a template names most: the one each copy renames."""
    found = re.findall(r'[\u4e00-\u9fff]{2,4}(?:县|区|新区)司法局', doc)
    return max(set(found), key=found.count) if found else None


def copies(templates, out, count):
    os.makedirs(out, exist_ok=True)
    ts = []
    for f in sorted(os.listdir(templates)):
        items = entries(os.path.join(templates, f))
        doc = next(i for i in items if i[0] == b'word/document.xml')
        text = (zlib.decompress(doc[5], -15) if doc[1] == 8 else doc[5])
        text = text.decode('utf-8')
        ts.append((f, items, text, issuer_of(text)))
    for i in range(count):
        f, items, text, issuer = ts[i % len(ts)]
        name = office(i, None) + BODIES[i % len(BODIES)]
        body = (text.replace(issuer, name) if issuer else text).encode('utf-8')
        z = zlib.compressobj(1, zlib.DEFLATED, -15)
        raw = z.compress(body) + z.flush()
        new = [(n, 8, zlib.crc32(body), len(raw), len(body), raw)
               if n == b'word/document.xml' else (n, m, c, cs, us, r)
               for n, m, c, cs, us, r in items]
        write_zip(os.path.join(out, 'd%05d-%s' % (i, f)), new)


if __name__ == '__main__':
    if sys.argv[1] == 'reports':
        reports(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    elif sys.argv[1] == 'drafts':
        drafts(sys.argv[2], sys.argv[3], sys.argv[4])
    else:
        copies(sys.argv[2], sys.argv[3], int(sys.argv[4]))
