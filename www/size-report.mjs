// The package's size, per entry: its wasm module, its JS (wasm-bindgen glue
// plus the facade) and CSS, each raw, gzip (level 9) and brotli (quality 11),
// from the built package in www/pkg.
//
// Each entry has a target (from the package's issue: the whole panel under
// 150 KiB gzip, the headless API under 100) and a ceiling CI enforces, set
// just above the size achieved, so neither entry can grow back unnoticed.
// Lower a ceiling with every saving.
import { readFileSync } from "node:fs";
import { gzipSync, brotliCompressSync, constants } from "node:zlib";

const entries = [
  {
    name: "meeting-chat (JS API + panel)",
    target: 150,
    ceiling: 336,
    parts: [
      ["wasm", ["pkg/meeting-chat_bg.wasm"]],
      ["JS", ["pkg/meeting-chat.js", "meeting-chat.js", "loader.js", "meeting-chat-element.js"]],
      ["CSS", ["meeting-chat.css"]],
    ],
  },
  {
    name: "meeting-chat/headless (JS API)",
    target: 100,
    ceiling: 180,
    parts: [
      ["wasm", ["pkg/meeting-chat-headless_bg.wasm"]],
      ["JS", ["pkg/meeting-chat-headless.js", "meeting-chat-headless.js", "loader.js"]],
    ],
  },
];

const here = (file) => new URL(file, import.meta.url);
const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;
const measure = (buffer) => ({
  raw: buffer.length,
  gzip: gzipSync(buffer, { level: 9 }).length,
  brotli: brotliCompressSync(buffer, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
});
const keys = ["raw", "gzip", "brotli"];
const line = (name, r) => `${name.padEnd(8)} ${keys.map((key) => kib(r[key]).padStart(12)).join(" ")}`;

let over = false;
for (const entry of entries) {
  const rows = entry.parts.map(([name, files]) => {
    // Each file is served and compressed on its own; sum them.
    const sizes = files.map((file) => measure(readFileSync(here(file))));
    return { name, ...Object.fromEntries(keys.map((key) => [key, sizes.reduce((total, s) => total + s[key], 0)])) };
  });
  const total = Object.fromEntries(keys.map((key) => [key, rows.reduce((sum, row) => sum + row[key], 0)]));
  const gzipKiB = total.gzip / 1024;
  const versus = (limit) =>
    gzipKiB > limit ? `over by ${(gzipKiB - limit).toFixed(1)} KiB` : `${(limit - gzipKiB).toFixed(1)} KiB to spare`;
  console.log(`\n${entry.name}`);
  console.log(`${"".padEnd(8)} ${keys.map((key) => key.padStart(12)).join(" ")}`);
  for (const row of rows) console.log(line(row.name, row));
  console.log(line("total", total));
  console.log(`target:  ${entry.target} KiB gzip: ${versus(entry.target)}`);
  console.log(`ceiling: ${entry.ceiling} KiB gzip, enforced: ${versus(entry.ceiling)}`);
  if (gzipKiB > entry.ceiling) {
    console.error(`${entry.name} grew past its size ceiling`);
    over = true;
  }
}
if (over) process.exit(1);
