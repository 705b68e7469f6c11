// What a first-time user sees: the newest message in view however late the
// pictures above it arrive, and a way down whenever the list is not at its
// bottom. The real server and the real panel in Debian's Chromium.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { deflateSync } from "node:zlib";
import { ChatPanel } from "./chat-panel.mjs";
import { serverAndBrowser } from "./harness.mjs";

const shots = new URL("./screenshots/", import.meta.url).pathname;
mkdirSync(shots, { recursive: true });

const e2e = serverAndBrowser();

/** A PNG of one colour, `width` × `height`. */
function png(width, height, [r, g, b]) {
  const crcTable = [...Array(256).keys()].map((n) => {
    let c = n;
    for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (bytes) => {
    let c = 0xffffffff;
    for (const byte of bytes) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type, data) => {
    const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
    const out = Buffer.alloc(8 + data.length + 4);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc(body), 8 + data.length);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const row = Buffer.alloc(1 + width * 3);
  for (let x = 0; x < width; x += 1) row.set([r, g, b], 1 + x * 3);
  const pixels = Buffer.concat(Array(height).fill(row));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(pixels)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

/** How far the newest message's bottom is below the list's visible bottom, in px (0 or less: in view). */
function newestBelowView(panel) {
  return panel.page.evaluate(() => {
    const list = document.querySelector(".mc-list").getBoundingClientRect();
    const rows = [...document.querySelectorAll(".mc-message")];
    const newest = rows[rows.length - 1].getBoundingClientRect();
    return Math.round(newest.bottom - list.bottom);
  });
}

test("someone joining sees the newest message however late the pictures above it load, and a way down when away", async () => {
  const meeting = `m${Date.now()}-newest`;
  const ann = await ChatPanel.join(e2e.browser, e2e.server.url, "Ann", { meeting });
  const sizes = [[400, 300], [200, 600], [640, 120], [300, 300], [120, 480]];
  for (let i = 0; i < 30; i += 1) {
    if (i % 6 === 2) {
      const [width, height] = sizes[(i / 6) | 0];
      await ann.page.setInputFiles(".mc-composer input[type=file]", {
        name: `picture-${i}.png`,
        mimeType: "image/png",
        buffer: png(width, height, [40 * (i % 6), 120, 200]),
      });
      await ann.page.locator(".mc-tray-file").first().waitFor();
      await ann.page.click(".mc-send");
      await ann.page.locator(`img[alt="picture-${i}.png"]`).waitFor();
    } else {
      const long = i === 27 ? " and a long one that wraps over several lines of the panel, ".repeat(4) : "";
      await ann.send(`message ${i}${long}`);
      await ann.waitFor(`message ${i}`);
    }
  }
  await ann.page.context().close();

  const misses = [];
  for (let run = 0; run < 5; run += 1) {
    const context = await e2e.browser.newContext({ viewport: { width: 1200, height: 760 } });
    // The pictures arrive late, each at its own time, after the list has laid itself out.
    let n = 0;
    await context.route("**/api/v1/files/**", async (route) => {
      n += 1;
      await new Promise((resolve) => setTimeout(resolve, 600 + 400 * (n % 4)));
      await route.continue();
    });
    const page = await context.newPage();
    await page.goto(e2e.server.url);
    const bob = new ChatPanel(page, `Bob${run}`);
    bob.joined = { meeting, role: "participant", lang: "en" };
    await bob.fillJoinForm();
    await bob.waitFor("message 29");
    await page.waitForTimeout(4_000);
    const below = await newestBelowView(bob);
    if (below > 1) misses.push(`run ${run}: the newest message is ${below} px below the list's bottom`);
    if (run === 0) await bob.screenshot(`${shots}newest-in-view.png`);
    if (run === 4) {
      // Scrolled up with nothing new: the way down is there all the same.
      await page.locator(".mc-list").evaluate((list) => list.scrollBy(0, -400));
      const down = page.locator(".mc-new-messages");
      await down.waitFor();
      assert.equal((await down.innerText()).trim(), "Jump to latest");
      await bob.screenshot(`${shots}jump-to-latest.png`);
      await down.click();
      await page.waitForTimeout(300);
      assert.ok((await newestBelowView(bob)) <= 1, "the way down lands on the newest");
      assert.equal(await down.count(), 0, "and goes away there");
    }
    await context.close();
  }
  assert.deepEqual(misses, []);
});

/** A line of `.mc-text` in the message with `text` that lies under its reaction or menu button, if any. */
function textUnderButtons(panel, text) {
  return panel.message(text).evaluate((message) => {
    // The text's own line boxes: each text node's, never the boxes of the elements around them.
    const walker = document.createTreeWalker(message.querySelector(".mc-text"), NodeFilter.SHOW_TEXT);
    const lines = [];
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const range = document.createRange();
      range.selectNodeContents(node);
      lines.push(...range.getClientRects());
    }
    const buttons = [...message.querySelectorAll(".mc-reaction-add, .mc-menu-button")].map((b) => b.getBoundingClientRect());
    const overlaps = (a, b) => a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1;
    const box = (r) => [r.left, r.top, r.right, r.bottom].map(Math.round).join(",");
    const hit = lines.flatMap((line) => buttons.filter((button) => overlaps(line, button)).map((b) => `text ${box(line)} under ${box(b)}`));
    return hit[0] ?? null;
  });
}

test("nothing hides: text beside the buttons, file names with their extension, quotes in their own direction, one header row", async () => {
  const meeting = `m${Date.now()}-display`;
  const ann = await ChatPanel.join(e2e.browser, e2e.server.url, "Ann", { meeting, role: "host" });
  const phone = await ChatPanel.join(e2e.browser, e2e.server.url, "Pat", { meeting, viewport: { width: 360, height: 740 }, colorScheme: "dark" });
  const arabic = await ChatPanel.join(e2e.browser, e2e.server.url, "Ali", { meeting, lang: "ar" });

  // A run of messages by one person: the later ones have no name row, and their first line meets the buttons.
  await ann.send("Will there be offline support?");
  const line = "The first line of this message runs all the way to the buttons in the corner of the message";
  await ann.send(line);
  for (const panel of [ann, phone, arabic]) {
    await panel.waitFor(line);
    await panel.message(line).hover();
    assert.equal(await textUnderButtons(panel, line), null, `${panel.name}: no text under the buttons`);
  }

  // A long file name keeps its end, and its whole name is in the tooltip.
  const name = "meeting-notes-2026-11-23-from-the-quarterly-planning-review-v2.pdf";
  await ann.page.setInputFiles(".mc-composer input[type=file]", { name, mimeType: "application/pdf", buffer: Buffer.from("%PDF-1.4\n%notes\n") });
  await ann.page.locator(".mc-tray-file").first().waitFor();
  await ann.page.click(".mc-send");
  for (const panel of [ann, phone]) {
    // The stored message's card (with its download link), not the one uploading.
    const card = panel.page.locator(".mc-message .mc-file:has(a.mc-button) .mc-file-name", { hasText: "v2.pdf" }).last();
    await card.waitFor();
    assert.equal(await card.getAttribute("title"), name);
    const shown = await card.evaluate((element) => {
      const end = element.querySelector(".mc-file-name-end").getBoundingClientRect();
      const box = element.getBoundingClientRect();
      const start = element.querySelector(".mc-file-name-start");
      return { endInside: end.right <= box.right + 1 && end.left >= box.left - 1, cut: start.scrollWidth > start.clientWidth };
    });
    assert.deepEqual(shown, { endInside: true, cut: true }, `${panel.name}: the middle gives way, the extension shows`);
  }

  // In Arabic, an English quote and the pinned bar keep their own direction (the "?" stays at the end).
  await arabic.action("Will there be offline support?", "رد");
  await arabic.send("نعم");
  await arabic.waitFor("نعم");
  const quoteDirection = await arabic.message("نعم").locator(".mc-quote span").evaluate((s) => getComputedStyle(s).direction);
  assert.equal(quoteDirection, "ltr", "the quoted English reads left to right inside the Arabic panel");
  // The question itself, not Ali's reply that quotes it.
  await ann.message("Will there be offline support?").first().locator(".mc-menu-button").click();
  await ann.page.getByRole("menuitem", { name: "Pin", exact: true }).click();
  const pin = arabic.page.locator(".mc-pin-text");
  await pin.waitFor();
  assert.equal(await pin.evaluate((s) => getComputedStyle(s).direction), "ltr", "the pinned bar cuts its end, not its start");

  // The header stays one row at 320 px, as a host with pins (every button showing).
  const narrow = await ChatPanel.join(e2e.browser, e2e.server.url, "Nia", { meeting, role: "host", viewport: { width: 320, height: 640 } });
  await narrow.page.locator(".mc-pins").waitFor();
  const header = await narrow.page.locator(".mc-header").evaluate((h) => {
    const boxes = [...h.children].map((c) => c.getBoundingClientRect()).filter((b) => b.height > 0);
    const tops = boxes.map((b) => b.top);
    const overlapping = boxes.filter((a, i) => boxes.some((b, j) => j > i && a.left < b.right - 1 && b.left < a.right - 1)).length;
    return { rows: Math.max(...tops) - Math.min(...tops) < 12 ? 1 : 2, overlapping, overflow: h.scrollWidth - h.clientWidth };
  });
  assert.deepEqual(header, { rows: 1, overlapping: 0, overflow: 0 }, "one row, nothing over anything, nothing cut off");

  // Emoji draw in colour: the reaction chips name the colour emoji fonts first.
  await ann.message(line).locator(".mc-reaction-add").click();
  await ann.page.locator(".mc-reaction-choice").first().click();
  await ann.page.locator(".mc-reaction").first().waitFor();
  const font = await ann.page.locator(".mc-reaction").first().evaluate((c) => getComputedStyle(c).fontFamily);
  assert.match(font, /^"Apple Color Emoji", "Segoe UI Emoji", "Noto Color Emoji"/);

  await ann.screenshot(`${shots}display-desktop.png`);
  await phone.screenshot(`${shots}display-phone-360-dark.png`);
  await arabic.screenshot(`${shots}display-arabic.png`);
  await narrow.screenshot(`${shots}display-header-320.png`);
  for (const panel of [ann, phone, arabic, narrow]) {
    assert.deepEqual(panel.errors, [], `${panel.name} had page errors`);
    await panel.page.context().close();
  }
});

test("the demo page in dark mode has dark fields, and asks for no favicon", async () => {
  const context = await e2e.browser.newContext({ colorScheme: "dark" });
  const page = await context.newPage();
  const missing = [];
  page.on("response", (response) => response.status() === 404 && missing.push(response.url()));
  await page.goto(e2e.server.url);
  const field = await page.locator("#join input[name=name]").evaluate((input) => getComputedStyle(input).backgroundColor);
  const [r, g, b] = field.match(/\d+/g).map(Number);
  assert.ok(0.2126 * r + 0.7152 * g + 0.0722 * b < 100, `a dark field (${field})`);
  await page.screenshot({ path: `${shots}demo-join-dark.png` });
  await page.waitForTimeout(300);
  assert.deepEqual(missing, [], "no request goes unanswered");
  await context.close();
});
