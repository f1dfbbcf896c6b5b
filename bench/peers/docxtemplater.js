// bench/peers/docxtemplater.js: docxtemplater's side of bench/peers.sh.
//
//   node docxtemplater.js once TEMPLATE.docx DATA.json OUT.docx
//   node docxtemplater.js loop N TEMPLATE.docx DATA.json
//
// "once" renders once and writes OUT (the whole-process run). "loop" reads
// the template's bytes and parses the data once, then times N loads and
// renders of the template into a deflated package in memory, and prints
// "median_ms p90_ms cpu_ms_per_render peak_rss_kb".
// The template's tags are {{ }}: delimiters are set so, and paragraphLoop
// makes a loop tag alone in its paragraph repeat paragraphs, as nianbao's do.
"use strict";
const fs = require("fs");
const PizZip = require("pizzip");
const Docxtemplater = require("docxtemplater");

function render(bytes, data) {
  const zip = new PizZip(bytes);
  const doc = new Docxtemplater(zip, {
    paragraphLoop: true,
    linebreaks: true,
    delimiters: { start: "{{", end: "}}" },
  });
  doc.render(data);
  return doc.getZip().generate({ type: "nodebuffer", compression: "DEFLATE" });
}

function quantile(v, q) {
  const s = v.slice().sort((a, b) => a - b);
  return s[Math.round(q * (s.length - 1))];
}

const [mode, ...args] = process.argv.slice(2);
if (mode === "once") {
  const [tpl, data, out] = args;
  const buf = render(fs.readFileSync(tpl),
                     JSON.parse(fs.readFileSync(data, "utf8")));
  fs.writeFileSync(out, buf);
} else if (mode === "loop") {
  const n = parseInt(args[0], 10);
  const bytes = fs.readFileSync(args[1]);
  const data = JSON.parse(fs.readFileSync(args[2], "utf8"));
  const v = [];
  render(bytes, data); // compile the code paths before timing
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < n; i++) {
    const t0 = process.hrtime.bigint();
    render(bytes, data);
    v.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  const cpu = process.cpuUsage(cpu0);
  console.log([quantile(v, 0.5).toFixed(3), quantile(v, 0.9).toFixed(3),
               ((cpu.user + cpu.system) / 1000 / n).toFixed(3),
               process.resourceUsage().maxRSS].join(" "));
} else {
  console.error("usage: docxtemplater.js once T.docx D.json OUT.docx | loop N T.docx D.json");
  process.exit(2);
}
