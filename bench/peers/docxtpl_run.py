#!/usr/bin/python3
"""bench/peers/docxtpl_run.py: python-docx-template's side of bench/peers.sh.

    docxtpl_run.py once TEMPLATE.docx DATA.json OUT.docx
    docxtpl_run.py loop N TEMPLATE.docx DATA.json

"once" renders once and writes OUT (the whole-process run). "loop" reads
the template's bytes and parses the data once, then times N loads and
renders of the template into a package in memory, and prints
"median_ms p90_ms cpu_ms_per_render peak_rss_kb".
"""
import io
import json
import resource
import sys
import time

from docxtpl import DocxTemplate


def render(bytes_, data):
    doc = DocxTemplate(io.BytesIO(bytes_))
    doc.render(data)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def main():
    mode = sys.argv[1]
    if mode == "once":
        with open(sys.argv[2], "rb") as f:
            bytes_ = f.read()
        with open(sys.argv[3], encoding="utf-8") as f:
            data = json.load(f)
        with open(sys.argv[4], "wb") as f:
            f.write(render(bytes_, data))
        return
    n = int(sys.argv[2])
    with open(sys.argv[3], "rb") as f:
        bytes_ = f.read()
    with open(sys.argv[4], encoding="utf-8") as f:
        data = json.load(f)
    render(bytes_, data)  # imports and caches before timing
    v = []
    cpu0 = time.process_time()
    for _ in range(n):
        t0 = time.perf_counter()
        render(bytes_, data)
        v.append((time.perf_counter() - t0) * 1e3)
    cpu = (time.process_time() - cpu0) * 1e3 / n
    v.sort()
    print("%.3f %.3f %.3f %d" % (v[round(0.5 * (n - 1))], v[round(0.9 * (n - 1))],
                                 cpu, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))


if __name__ == "__main__":
    main()
