// The package's size, per entry: what its first load fetches (its wasm
// module, its JS: wasm-bindgen glue, the splitter's loader and the facade;
// its CSS) and the lazily loaded parts it fetches after the first paint, each
// raw, gzip (level 9) and brotli (quality 11), from the built package in www/pkg.
//
// Each entry has targets (from the first-load issue: the panel's first load at
// most 240 KiB gzip, everything it can load at most 300, headless at most
// 150) and ceilings CI enforces, set just above the sizes achieved, so
// nothing can grow back unnoticed. Lower a ceiling with every saving.
import { readFileSync, readdirSync } from "node:fs";
import { gzipSync, brotliCompressSync, constants } from "node:zlib";

const here = (file) => new URL(file, import.meta.url);
// The panel's lazily loaded parts, whatever the splitter named them.
const parts = readdirSync(here("pkg"))
  .filter((file) => /^(split|chunk)_.*\.wasm$/.test(file))
  .map((file) => `pkg/${file}`);

const entries = [
  {
    name: "meeting-chat (JS API + panel)",
    firstLoad: { target: 240, ceiling: 341 },
    everything: { target: 300, ceiling: 388 },
    parts: [
      ["wasm", ["pkg/meeting-chat_bg.wasm"]],
      ["JS", ["pkg/meeting-chat.js", "pkg/__wasm_split.js", "meeting-chat.js", "loader.js", "meeting-chat-element.js"]],
      ["CSS", ["meeting-chat.css"]],
    ],
    later: parts,
  },
  {
    name: "meeting-chat/headless (JS API)",
    firstLoad: { target: 150, ceiling: 187 },
    parts: [
      ["wasm", ["pkg/meeting-chat-headless_bg.wasm"]],
      ["JS", ["pkg/meeting-chat-headless.js", "meeting-chat-headless.js", "loader.js"]],
    ],
    later: [],
  },
];

const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;
const measure = (buffer) => ({
  raw: buffer.length,
  gzip: gzipSync(buffer, { level: 9 }).length,
  brotli: brotliCompressSync(buffer, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
});
const keys = ["raw", "gzip", "brotli"];
const line = (name, r) => `${name.padEnd(14)} ${keys.map((key) => kib(r[key]).padStart(12)).join(" ")}`;
// Each file is served and compressed on its own: sum them.
const row = (name, files) => {
  const sizes = files.map((file) => measure(readFileSync(here(file))));
  return { name, ...Object.fromEntries(keys.map((key) => [key, sizes.reduce((total, s) => total + s[key], 0)])) };
};
const sum = (name, rows) => ({
  name,
  ...Object.fromEntries(keys.map((key) => [key, rows.reduce((total, r) => total + r[key], 0)])),
});

let over = false;
const check = (entry, what, total, { target, ceiling }) => {
  const gzipKiB = total.gzip / 1024;
  const versus = (limit) =>
    gzipKiB > limit ? `over by ${(gzipKiB - limit).toFixed(1)} KiB` : `${(limit - gzipKiB).toFixed(1)} KiB to spare`;
  console.log(`${what}: target ${target} KiB gzip: ${versus(target)}; ceiling ${ceiling}, enforced: ${versus(ceiling)}`);
  if (gzipKiB > ceiling) {
    console.error(`${entry.name}: ${what} grew past its size ceiling`);
    over = true;
  }
};

for (const entry of entries) {
  const rows = entry.parts.map(([name, files]) => row(name, files));
  const firstLoad = sum("first load", rows);
  console.log(`\n${entry.name}`);
  console.log(`${"".padEnd(14)} ${keys.map((key) => key.padStart(12)).join(" ")}`);
  for (const r of rows) console.log(line(r.name, r));
  console.log(line(firstLoad.name, firstLoad));
  check(entry, "first load", firstLoad, entry.firstLoad);
  if (entry.everything) {
    for (const file of entry.later) console.log(line(file.replace(/^pkg\/|\.wasm$/g, ""), row("", [file])));
    const later = row(`later (${entry.later.length})`, entry.later);
    console.log(line(later.name, later));
    const everything = sum("everything", [firstLoad, later]);
    console.log(line(everything.name, everything));
    check(entry, "everything", everything, entry.everything);
  }
}
if (over) process.exit(1);
