// The package's size: the wasm module, the JS (wasm-bindgen glue plus the
// facade and the custom element) and the CSS, each raw, gzip (level 9) and
// brotli (quality 11), from the built package in www/pkg. Exits 1 when the
// whole panel is over the gzip budget, so CI fails.
import { readFileSync } from "node:fs";
import { gzipSync, brotliCompressSync, constants } from "node:zlib";

const BUDGET_GZIP_KIB = Number(process.env.SIZE_BUDGET_GZIP_KIB ?? 150);
const here = (file) => new URL(file, import.meta.url);

const parts = [
  ["wasm", ["pkg/meeting_chat_bg.wasm"]],
  ["JS glue", ["pkg/meeting_chat.js", "meeting-chat.js", "meeting-chat-element.js"]],
  ["CSS", ["meeting-chat.css"]],
];

const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;
const measure = (buffer) => ({
  raw: buffer.length,
  gzip: gzipSync(buffer, { level: 9 }).length,
  brotli: brotliCompressSync(buffer, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
});

const rows = parts.map(([name, files]) => {
  // Each file is served and compressed on its own; sum them.
  const sizes = files.map((file) => measure(readFileSync(here(file))));
  const sum = (key) => sizes.reduce((total, s) => total + s[key], 0);
  return { name, raw: sum("raw"), gzip: sum("gzip"), brotli: sum("brotli") };
});
const total = ["raw", "gzip", "brotli"].reduce((t, key) => ({ ...t, [key]: rows.reduce((s, r) => s + r[key], 0) }), {});

const line = (name, r) => `${name.padEnd(8)} ${kib(r.raw).padStart(12)} ${kib(r.gzip).padStart(12)} ${kib(r.brotli).padStart(12)}`;
console.log(`${"".padEnd(8)} ${"raw".padStart(12)} ${"gzip".padStart(12)} ${"brotli".padStart(12)}`);
for (const row of rows) console.log(line(row.name, row));
console.log(line("total", total));
const over = total.gzip / 1024 - BUDGET_GZIP_KIB;
console.log(`budget: ${BUDGET_GZIP_KIB} KiB gzip for the whole panel; ${over > 0 ? `OVER by ${over.toFixed(1)} KiB` : `${(-over).toFixed(1)} KiB to spare`}`);
process.exit(over > 0 ? 1 : 0);
