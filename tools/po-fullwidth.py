#!/usr/bin/env python3
"""po-fullwidth.py PO [--check]: the Chinese messages' punctuation full-width.

In each msgstr, a comma, semicolon, colon, exclamation or question mark
next to a Chinese character becomes its full-width form, and so does a
pair of parentheses when either of its marks is next to one. With
--check, nothing is written: the messages that would change are listed
and the exit status is 1 when there are any.
"""
import re
import sys

CJK = re.compile('[\u3000-\u303f\u3400-\u9fff\uff00-\uffef“”‘’]')
FULL = {',': '，', ';': '；', ':': '：', '!': '！', '?': '？',
        '(': '（', ')': '）'}


def cjk(c):
    return c is not None and CJK.match(c) is not None


def fix(text):
    chars = list(text)
    n = len(chars)

    def near(i):
        return cjk(chars[i - 1] if i > 0 else None) or \
            cjk(chars[i + 1] if i + 1 < n else None)
    stack, pairs = [], []
    for i, c in enumerate(chars):
        if c == '(':
            stack.append(i)
        elif c == ')' and stack:
            pairs.append((stack.pop(), i))
    for a, b in pairs:
        if near(a) or near(b):
            chars[a], chars[b] = '（', '）'
    for i, c in enumerate(chars):
        if c in ',;:!?' and near(i):
            # "%s:%d" and "a:b" stay: only next to Chinese
            chars[i] = FULL[c]
    return ''.join(chars)


def main():
    path = sys.argv[1]
    check = '--check' in sys.argv[2:]
    src = open(path, encoding='utf-8').read()
    changed = []

    def repl(m):
        body = m.group(2)
        lines = re.findall(r'"((?:[^"\\]|\\.)*)"', body)
        text = ''.join(lines)
        new = fix(text)
        while fix(new) != new:
            new = fix(new)
        if new == text:
            return m.group(0)
        changed.append(text)
        return m.group(1) + '"%s"\n' % new
    out = re.sub(r'(msgstr(?:\[\d+\])? )((?:".*"\n)+)', repl, src)
    if check:
        for c in changed:
            print('half-width punctuation beside Chinese: %s' % c)
        return 1 if changed else 0
    if changed:
        open(path, 'w', encoding='utf-8').write(out)
    print('%d messages changed' % len(changed))
    return 0


sys.exit(main())
