// The panel's lazily loaded parts (the search box, the image viewer, the
// forward dialog, the report dialog, host settings, the participant finder): fetched in the
// background once the first messages are drawn; opened before they arrive,
// a busy line until that part alone is here; failed to load, words in the
// panel and a retry that works once the network is back. The real server and
// the split demo build in Debian's Chromium.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { ChatPanel } from "./chat-panel.mjs";
import { serverAndBrowser } from "./harness.mjs";

const parts = readdirSync(new URL("../../dist/pkg/", import.meta.url)).filter((f) => /^split_.*\.wasm$/.test(f));
const searchPart = "**/split_search_box.wasm";

const e2e = serverAndBrowser();

/** Records the lazily loaded parts a page fetched (file names, in order). */
function recordParts(page) {
  const fetched = [];
  page.on("requestfinished", (request) => {
    const name = new URL(request.url()).pathname.split("/").pop();
    if (/^(split|chunk)_.*\.wasm$/.test(name)) fetched.push(name);
  });
  return fetched;
}

test("the build splits the parts out of the first download", () => {
  assert.deepEqual(
    parts.sort(),
    ["split_forward_dialog.wasm", "split_host_settings.wasm", "split_image_viewer.wasm",
      "split_participant_picker.wasm", "split_polls.wasm", "split_report_dialog.wasm", "split_search_box.wasm"],
  );
});

test("every part is fetched in the background after the first messages, so opening one is instant", async () => {
  let fetched;
  const ann = await ChatPanel.join(e2e.browser, e2e.server.url, "Ann", {
    meeting: `m${Date.now()}-prefetch`,
    role: "host",
    prepare: async (page) => {
      fetched = recordParts(page);
    },
  });
  await ann.send("first");
  await ann.waitFor("first");
  for (let waited = 0; parts.some((part) => !fetched.includes(part)); waited += 50) {
    assert.ok(waited < 10_000, `every part fetched within 10 s of the first messages: ${fetched}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const before = fetched.length;
  await ann.page.click(".mc-search-toggle");
  await ann.page.locator(".mc-search-input").waitFor({ timeout: 1_000 });
  await ann.page.click("[aria-label='Chat settings']");
  await ann.page.locator(".mc-setting input[type=checkbox]").first().waitFor({ timeout: 1_000 });
  await ann.page.keyboard.press("Escape");
  assert.equal(fetched.length, before, "opening them fetched nothing more");
  assert.equal(await ann.page.locator(".mc-part-status").count(), 0, "no busy line");
  assert.deepEqual(ann.errors, []);
  await ann.page.context().close();
});

test("a part opened before it arrived shows a busy line and waits for that part alone", async () => {
  let release;
  const held = new Promise((resolve) => {
    release = resolve;
  });
  const ann = await ChatPanel.join(e2e.browser, e2e.server.url, "Ann", {
    meeting: `m${Date.now()}-busy`,
    prepare: (page) => page.route(searchPart, async (route) => {
      await held;
      await route.continue();
    }),
  });
  await ann.send("before the search box");
  await ann.page.click(".mc-search-toggle");
  const busy = ann.page.locator(".mc-part-status[aria-busy=true]");
  await busy.waitFor();
  assert.equal(await busy.innerText(), "Loading…");
  // The rest of the panel works meanwhile: a message goes out.
  await ann.send("while it loads");
  await ann.waitFor("while it loads");
  await ann.page.screenshot({ path: new URL("./screenshots/lazy-part-loading.png", import.meta.url).pathname });
  release();
  await ann.page.locator(".mc-search-input").waitFor();
  assert.equal(await busy.count(), 0, "the busy line went when the part came");
  assert.deepEqual(ann.errors, []);
  await ann.page.context().close();
});

test("a part that failed to load says so in words, the panel keeps working, and the next attempt loads it", async () => {
  let offline = true;
  const ann = await ChatPanel.join(e2e.browser, e2e.server.url, "Ann", {
    meeting: `m${Date.now()}-offline`,
    prepare: (page) => page.route(searchPart, (route) => (offline ? route.abort("internetdisconnected") : route.continue())),
  });
  await ann.send("hello");
  await ann.page.click(".mc-search-toggle");
  const failed = ann.page.locator(".mc-part-status[role=alert]");
  await failed.waitFor();
  assert.match(await failed.innerText(), /could not be loaded/);
  await ann.page.screenshot({ path: new URL("./screenshots/lazy-part-failed.png", import.meta.url).pathname });
  await ann.send("still sending");
  await ann.waitFor("still sending");
  // Retried while still offline: it fails again, and says so again.
  await failed.getByRole("button", { name: "Try again" }).click();
  await failed.waitFor();
  offline = false;
  await failed.getByRole("button", { name: "Try again" }).click();
  await ann.page.locator(".mc-search-input").fill("still");
  await ann.page.locator(".mc-search-input").press("Enter");
  await ann.page.locator(".mc-hit-text", { hasText: "still sending" }).waitFor();
  assert.equal(await failed.count(), 0);
  assert.deepEqual(ann.errors, []);
  await ann.page.context().close();
});

test("closing and opening a part that failed tries it again", async () => {
  let offline = true;
  const ann = await ChatPanel.join(e2e.browser, e2e.server.url, "Ann", {
    meeting: `m${Date.now()}-reopen`,
    prepare: (page) => page.route(searchPart, (route) => (offline ? route.abort("internetdisconnected") : route.continue())),
  });
  await ann.page.click(".mc-search-toggle");
  await ann.page.locator(".mc-part-status[role=alert]").waitFor();
  await ann.page.click(".mc-search-toggle");
  assert.equal(await ann.page.locator(".mc-part-status").count(), 0, "closed, the words go too");
  offline = false;
  await ann.page.click(".mc-search-toggle");
  await ann.page.locator(".mc-search-input").waitFor();
  assert.deepEqual(ann.errors, []);
  await ann.page.context().close();
});

test("axe finds no violations with a lazily loaded part open, loading, or failed", async () => {
  let offline = true;
  const ann = await ChatPanel.join(e2e.browser, e2e.server.url, "Ann", {
    meeting: `m${Date.now()}-axe`,
    prepare: (page) => page.route(searchPart, (route) => (offline ? route.abort("internetdisconnected") : route.continue())),
  });
  await ann.page.click(".mc-search-toggle");
  await ann.page.locator(".mc-part-status[role=alert]").waitFor();
  assert.deepEqual(await ann.accessibilityViolations(), []);
  offline = false;
  await ann.page.getByRole("button", { name: "Try again" }).click();
  await ann.page.locator(".mc-search-input").waitFor();
  assert.deepEqual(await ann.accessibilityViolations(), []);
  await ann.page.context().close();
});
