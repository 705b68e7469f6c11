// A benchmark, not a test: the demo page joined over a slow link (Chromium's
// network emulation: 1.6 Mbit/s down, 750 kbit/s up, 150 ms round trips,
// cache off), timed from the click on Join until the panel shows the
// meeting's first message, until its composer takes text, and until the
// lazily loaded parts are all here (fetched when idle after the first
// messages); then how long the search box and the image viewer take to open
// (one click each, the parts already fetched). The same built
// page is served twice in one run, by one server each: with the build's
// brotli and gzip copies, and without them (as before the server served
// them), three joins each.
//
//   bash www/build-demo.sh && cargo build --release -p chat-server &&
//   CHAT_SERVER_BIN=target/release/chat-server node www/e2e/load-bench.mjs
import { cpSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { launchChromium } from "./browser.mjs";
import { startServer } from "./server.mjs";

const root = new URL("../../", import.meta.url).pathname;
const RUNS = 3;
// The parts the build split out of the first download.
const parts = readdirSync(join(root, "dist/pkg")).filter((f) => /^split_.*\.wasm$/.test(f)).length;
const link = { offline: false, latency: 150, downloadThroughput: 1_600_000 / 8, uploadThroughput: 750_000 / 8 };

/** dist/ without its precompressed copies. */
function plainCopy() {
  const dir = mkdtempSync(join(tmpdir(), "mc-plain-"));
  cpSync(join(root, "dist"), dir, { recursive: true });
  const strip = (folder) => {
    for (const name of readdirSync(folder)) {
      const path = join(folder, name);
      if (statSync(path).isDirectory()) strip(path);
      else if (/\.(br|gz)$/.test(name)) rmSync(path);
    }
  };
  strip(dir);
  return dir;
}

async function joinOverSlowLink(browser, base, name) {
  const context = await browser.newContext({ viewport: { width: 1200, height: 760 } });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
  await cdp.send("Network.emulateNetworkConditions", link);
  let received = 0;
  cdp.on("Network.loadingFinished", (event) => (received += event.encodedDataLength));
  await page.goto(base);
  await page.fill("input[name=name]", name);
  await page.fill("input[name=meeting]", "bench");
  received = 0;
  const clicked = Date.now();
  await page.click("#join button");
  await page.locator(".mc-message", { hasText: "the first message" }).first().waitFor({ timeout: 60_000 });
  const firstMessage = Date.now() - clicked;
  await page.locator(".mc-input:not([disabled])").waitFor({ timeout: 60_000 });
  const canSend = Date.now() - clicked;
  // What the first load cost; the parts and the picture come after.
  const firstLoad = received;
  await page.waitForFunction(
    (count) => performance.getEntriesByType("resource").filter((e) => /\/split_[^/]*\.wasm$/.test(e.name)).length >= count,
    parts,
    { timeout: 60_000, polling: 50 },
  );
  const partsHere = Date.now() - clicked;
  const opened = async (open, shown) => {
    const start = Date.now();
    await page.click(open);
    await page.locator(shown).waitFor({ timeout: 60_000 });
    return Date.now() - start;
  };
  const openSearch = await opened(".mc-search-toggle", ".mc-search-input");
  await page.click(".mc-search-toggle");
  const openViewer = await opened(".mc-message .mc-image", ".mc-viewer-img");
  await context.close();
  return { firstMessage, canSend, partsHere, openSearch, openViewer, received: firstLoad };
}

const browser = await launchChromium();
const plain = plainCopy();
const results = {};
try {
  for (const [label, demoDir] of [["without compression", plain], ["precompressed", join(root, "dist")]]) {
    const server = await startServer({ demoDir });
    try {
      // The meeting's first message, said before anyone joins over the slow link.
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(server.url);
      await page.fill("input[name=name]", "Ada");
      await page.fill("input[name=meeting]", "bench");
      await page.click("#join button");
      await page.setInputFiles(".mc-composer input[type=file]", join(root, "www/e2e/whiteboard.png"));
      await page.locator(".mc-tray-file").waitFor();
      await page.click(".mc-send");
      await page.locator(".mc-message .mc-image").waitFor();
      await page.locator(".mc-input").fill("the first message");
      await page.locator(".mc-input").press("Enter");
      await page.locator(".mc-message", { hasText: "the first message" }).first().waitFor();
      await context.close();
      const runs = [];
      for (let run = 0; run < RUNS; run += 1) runs.push(await joinOverSlowLink(browser, server.url, `Joiner ${run}`));
      results[label] = runs;
    } finally {
      await server.stop();
    }
  }
} finally {
  await browser.close();
  rmSync(plain, { recursive: true, force: true });
}

const seconds = (ms) => `${(ms / 1000).toFixed(2)} s`;
for (const [label, runs] of Object.entries(results)) {
  const median = (key) => runs.map((run) => run[key]).sort((a, b) => a - b)[Math.floor(runs.length / 2)];
  console.log(
    `BENCH join at 1.6 Mbit/s, ${label}: first message ${seconds(median("firstMessage"))}, composer ready ` +
      `${seconds(median("canSend"))} (median of ${RUNS}; runs ${runs.map((r) => seconds(r.firstMessage)).join(", ")}), ` +
      `lazily loaded parts here ${seconds(median("partsHere"))}, ` +
      `${(median("received") / 1024).toFixed(0)} KiB over the wire after the click; then opening the search box ` +
      `${median("openSearch")} ms, the image viewer ${median("openViewer")} ms`,
  );
}
const [before, after] = Object.values(results).map((runs) => runs.map((r) => r.firstMessage).sort((a, b) => a - b)[1]);
console.log(`BENCH join to first message, precompressed against without: ratio ${(after / before).toFixed(2)}`);
