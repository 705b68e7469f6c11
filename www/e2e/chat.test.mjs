// End to end: the real server and the real panel in Debian's Chromium.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { ChatPanel } from "./chat-panel.mjs";
import { serverAndBrowser } from "./harness.mjs";
import { startServer } from "./server.mjs";

const here = (file) => new URL(file, import.meta.url).pathname;
const shots = here("./screenshots/");
mkdirSync(shots, { recursive: true });

const e2e = serverAndBrowser();

test("two participants exchange every kind of message, edit, delete, pin, reply and talk privately", async () => {
  const meeting = `m${Date.now()}`;
  const ann = await ChatPanel.join(e2e.browser, e2e.server.url, "Ann", { role: "host", meeting });
  const bob = await ChatPanel.join(e2e.browser, e2e.server.url, "Bob", { colorScheme: "dark", meeting });
  const cat = await ChatPanel.join(e2e.browser, e2e.server.url, "Cat", { meeting });

  await ann.send("Hello Bob! Agenda: https://example.com/agenda");
  await bob.waitFor("Hello Bob!");
  const link = bob.message("Hello Bob!").locator("a");
  assert.equal(await link.getAttribute("href"), "https://example.com/agenda");
  assert.equal(await link.getAttribute("rel"), "noopener noreferrer");

  await bob.send("Hi Ann,\nsecond line");
  await ann.waitFor("second line");

  await bob.attach(here("./whiteboard.png"), here("./minutes.txt"));
  await ann.page.locator(".mc-image img:not(.mc-loading)").waitFor();
  await ann.waitFor("minutes.txt");
  assert.match(await ann.page.locator(".mc-file-size").first().innerText(), /B$/);

  await ann.send("tpyo");
  await ann.waitFor("tpyo");
  await ann.action("tpyo", "Edit");
  await ann.input.fill("typo fixed");
  await ann.input.press("Enter");
  await bob.waitFor("typo fixed");
  await bob.message("typo fixed").getByText("edited").waitFor();

  await ann.send("delete me");
  await bob.waitFor("delete me");
  await ann.action("delete me", "Delete for everyone");
  await bob.page.getByText("This message was deleted").waitFor();
  assert.ok(!(await bob.texts()).includes("delete me"));

  await ann.action("second line", "Pin");
  await bob.page.locator(".mc-pins").waitFor();
  await ann.action("second line", "Reply");
  await ann.send("Pinned it for everyone.");
  await bob.message("Pinned it for everyone.").locator(".mc-quote").waitFor();

  await bob.chatWith("Private chat with Ann");
  await bob.send("Psst, just between us.");
  await bob.chatWith("Everyone");
  await ann.waitFor("just between us");
  await cat.send("Cat was here");
  await ann.waitFor("Cat was here");
  assert.ok(!(await cat.texts()).some((t) => t.includes("just between us")), "Cat never sees the private message");

  await ann.action("Cat was here", "Forward");
  const destinations = ann.page.locator("dialog.mc-forward[open]");
  await destinations.getByRole("button", { name: "Private chat with Bob" }).click();
  await destinations.waitFor({ state: "detached" });
  await bob.page.locator(".mc-message.mc-private", { hasText: "Cat was here" }).getByText("forwarded").waitFor();
  await ann.send("after forwarding");
  await cat.waitFor("after forwarding");
  assert.equal((await cat.texts()).filter((t) => t === "Cat was here").length, 1, "the private forward never reaches Cat");

  await ann.screenshot(`${shots}light-images-pinned.png`);
  await bob.screenshot(`${shots}dark-images-pinned.png`);
  for (const panel of [ann, bob, cat]) assert.deepEqual(panel.errors, [], `${panel.name} had page errors`);
});

test("the panel has no accessibility violations (axe-core), in light and dark, with a menu or a dialog open", async () => {
  const meeting = `a${Date.now()}`;
  const ann = await ChatPanel.join(e2e.browser, e2e.server.url, "Ann", { role: "host", meeting });
  const bob = await ChatPanel.join(e2e.browser, e2e.server.url, "Bob", { colorScheme: "dark", meeting });
  await ann.send("Accessible, https://example.com");
  await bob.attach(here("./whiteboard.png"), here("./minutes.txt"));
  await ann.waitFor("minutes.txt");
  await bob.waitFor("Accessible");
  await ann.action("Accessible", "Pin");
  await bob.page.locator(".mc-pins").waitFor();
  for (const panel of [ann, bob]) {
    assert.deepEqual(await panel.accessibilityViolations(), [], `${panel.name}'s panel`);
  }
  await ann.input.pressSequentially("@Bo");
  await ann.page.getByRole("listbox").waitFor();
  assert.deepEqual(await ann.accessibilityViolations(), [], "with the mention suggestions open");
  await ann.input.press("Escape");
  await ann.input.fill("");
  await bob.page.getByRole("button", { name: "Search messages" }).click();
  await bob.page.getByRole("searchbox").fill("access");
  await bob.page.getByRole("searchbox").press("Enter");
  await bob.page.locator(".mc-hit").waitFor();
  assert.deepEqual(await bob.accessibilityViolations(), [], "with search results open");
  await ann.message("Accessible").locator(".mc-menu-button").click();
  assert.deepEqual(await ann.accessibilityViolations(), [], "with the action menu open");
  await ann.page.getByRole("menuitem", { name: "Forward", exact: true }).click();
  await ann.page.locator("dialog.mc-forward[open]").waitFor();
  assert.deepEqual(await ann.accessibilityViolations(), [], "with the forward dialog open");
  await ann.screenshot(`${shots}forward-dialog.png`);
});

test("after a server restart the panels reconnect and nothing is lost", async () => {
  const meeting = `r${Date.now()}`;
  const ann = await ChatPanel.join(e2e.browser, e2e.server.url, "Ann", { meeting });
  const bob = await ChatPanel.join(e2e.browser, e2e.server.url, "Bob", { meeting });
  await ann.send("before the restart");
  await bob.waitFor("before the restart");

  await e2e.server.stop();
  await bob.banner().getByText("Reconnecting").waitFor();
  e2e.server = await startServer({ dataDir: e2e.server.dataDir, addr: e2e.server.address });

  await ann.page.locator(".mc-banners .mc-banner").waitFor({ state: "detached", timeout: 20_000 });
  await ann.send("after the restart");
  await bob.waitFor("after the restart");
  const texts = await bob.texts();
  assert.equal(texts.filter((t) => t === "before the restart").length, 1);
  assert.equal(texts.filter((t) => t === "after the restart").length, 1);
});

test("keyboard alone: menus with arrow keys, focus returns, Up edits; the image view; dropping files", async () => {
  const meeting = `k${Date.now()}`;
  const ann = await ChatPanel.join(e2e.browser, e2e.server.url, "Ann", { role: "host", meeting });
  const bob = await ChatPanel.join(e2e.browser, e2e.server.url, "Bob", { meeting });
  const { page } = ann;
  const focused = () => page.evaluate(() => {
    const el = document.activeElement;
    return el ? `${el.getAttribute("role") ?? el.tagName.toLowerCase()}:${el.textContent.trim() || el.getAttribute("aria-label")}` : "";
  });

  await bob.send("pick me");
  await ann.waitFor("pick me");
  const button = ann.message("pick me").locator(".mc-menu-button");
  await button.focus();
  await page.keyboard.press("ArrowDown");
  assert.equal(await focused(), "menuitem:Reply", "ArrowDown opens the menu on its first item");
  await page.keyboard.press("ArrowUp");
  assert.equal(await focused(), "menuitem:Delete for everyone", "ArrowUp wraps to the last");
  await page.keyboard.press("Home");
  await page.keyboard.press("ArrowDown");
  assert.equal(await focused(), "menuitem:Pin");
  await page.keyboard.press("Escape");
  assert.equal(await page.locator(".mc-menu").count(), 0, "Escape closes the menu");
  assert.equal(await focused(), "button:Message actions", "and returns focus to its button");

  await page.keyboard.press("Enter");
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("Enter");
  await bob.page.locator(".mc-pins").waitFor();
  assert.equal(await focused(), "button:Message actions", "after pinning, focus is back on the button");

  await page.keyboard.press("Enter");
  await page.keyboard.press("Enter");
  assert.equal(await focused(), `textarea:${await ann.input.getAttribute("aria-label")}`, "Reply focuses the composer");
  await page.keyboard.type("replied by keyboard");
  await page.keyboard.press("Enter");
  await bob.message("replied by keyboard").locator(".mc-quote").waitFor();

  await page.keyboard.press("ArrowUp");
  await page.locator(".mc-compose-banner", { hasText: "Editing" }).waitFor();
  assert.equal(await ann.input.inputValue(), "replied by keyboard", "Up in an empty composer edits the last message");
  await ann.input.fill("edited by keyboard");
  await page.keyboard.press("Enter");
  await bob.waitFor("edited by keyboard");

  await bob.attach(here("./whiteboard.png"));
  const image = page.locator(".mc-image");
  await page.locator(".mc-image img:not(.mc-loading)").waitFor();
  await image.click();
  const viewer = page.locator("dialog.mc-viewer[open]");
  await viewer.locator("img").waitFor();
  assert.match(await viewer.locator("img").getAttribute("src"), /\/files\//);
  await ann.screenshot(`${shots}image-view.png`);
  await page.keyboard.press("Escape");
  await viewer.waitFor({ state: "detached" });
  assert.equal(await page.evaluate(() => document.activeElement?.classList.contains("mc-image")), true,
    "closing the view returns focus to the image");

  await page.evaluate(() => {
    const zone = document.querySelector(".mc-drop-zone");
    const data = new DataTransfer();
    data.items.add(new File(["notes dropped onto the panel"], "dropped-notes.txt", { type: "text/plain" }));
    const fire = (type) => zone.dispatchEvent(new DragEvent(type, { dataTransfer: data, bubbles: true, cancelable: true }));
    fire("dragenter");
    fire("dragover");
  });
  await page.locator(".mc-drop-overlay").waitFor();
  await ann.screenshot(`${shots}drop-overlay.png`);
  await page.evaluate(() => {
    const zone = document.querySelector(".mc-drop-zone");
    const data = new DataTransfer();
    data.items.add(new File(["notes dropped onto the panel"], "dropped-notes.txt", { type: "text/plain" }));
    zone.dispatchEvent(new DragEvent("drop", { dataTransfer: data, bubbles: true, cancelable: true }));
  });
  await page.locator(".mc-drop-overlay").waitFor({ state: "detached" });
  await page.locator(".mc-tray-file", { hasText: "dropped-notes.txt" }).waitFor();
  await page.click(".mc-send");
  await bob.waitFor("dropped-notes.txt");
  for (const panel of [ann, bob]) assert.deepEqual(panel.errors, [], `${panel.name} had page errors`);
});

test("on a phone the join form and the panel stack and nothing is cut off", async () => {
  const meeting = `m${Date.now()}-phone`;
  const context = await e2e.browser.newContext({ viewport: { width: 360, height: 740 } });
  const form = await context.newPage();
  await form.goto(e2e.server.url);
  const cut = await form.evaluate(() => {
    const { right, bottom } = document.getElementById("join").getBoundingClientRect();
    return { right: Math.max(0, right - innerWidth), bottom: Math.max(0, bottom - innerHeight), page: document.documentElement.scrollWidth - innerWidth };
  });
  assert.deepEqual(cut, { right: 0, bottom: 0, page: 0 }, "the join form fits at 360 px");
  await form.screenshot({ path: `${shots}phone-join-360.png` });
  await context.close();
  for (const width of [360, 390, 600]) {
    const phone = await ChatPanel.join(e2e.browser, e2e.server.url, `Ann${width}`, { meeting, viewport: { width, height: 740 } });
    await phone.send("Hello from a phone, a message long enough to wrap across the narrow panel's width");
    await phone.waitFor("Hello from a phone");
    await phone.chatWith("Everyone");
    assert.deepEqual(await phone.overflow(), { page: 0, panel: 0, header: 0, bottom: 0 }, `at ${width} px`);
    assert.ok(await phone.page.locator(".mc-send").isVisible(), `the send button shows at ${width} px`);
    await phone.screenshot(`${shots}phone-${width}.png`);
    await phone.page.context().close();
  }
});

test("several files go as one message: a tray to remove one from, a grid of images and a list of files", async () => {
  const meeting = `m${Date.now()}-sama`;
  const ann = await ChatPanel.join(e2e.browser, e2e.server.url, "Ann", { meeting });
  const bob = await ChatPanel.join(e2e.browser, e2e.server.url, "Bob", { meeting });
  await ann.page.setInputFiles(".mc-composer input[type=file]", [
    here("./whiteboard.png"), here("./whiteboard.png"), here("./whiteboard.png"), here("./minutes.txt"), here("./minutes.txt"),
  ]);
  await ann.page.locator(".mc-tray-file").nth(4).waitFor();
  await ann.page.getByRole("button", { name: "Remove minutes.txt" }).first().click();
  assert.equal(await ann.page.locator(".mc-tray-file").count(), 4, "one taken out before sending");
  await ann.input.fill("the whiteboard, three times, and the minutes");
  await ann.page.screenshot({ path: `${shots}attachments-tray.png` });
  await ann.input.press("Enter");
  await bob.waitFor("the whiteboard, three times");
  const message = bob.message("the whiteboard, three times");
  await message.locator(".mc-grid .mc-image img:not(.mc-loading)").nth(2).waitFor();
  assert.equal(await message.locator(".mc-grid .mc-image").count(), 3, "the images as a grid");
  assert.equal(await message.locator(".mc-attachments .mc-file").count(), 1, "the file as a list");
  assert.equal(await ann.page.locator(".mc-tray-file").count(), 0, "the tray empties once sent");
  await bob.screenshot(`${shots}attachments-grid.png`);
  await message.locator(".mc-grid .mc-image").first().click();
  await bob.page.locator(".mc-viewer").waitFor();
  await bob.screenshot(`${shots}attachments-view.png`);
  await bob.page.keyboard.press("Escape");
  for (const panel of [ann, bob]) await panel.page.context().close();
});

test("an Arabic panel is laid out right to left and messages show their Markdown as formatting, never as HTML", async () => {
  const meeting = `m${Date.now()}-rtl`;
  const ann = await ChatPanel.join(e2e.browser, e2e.server.url, "Ann", { meeting, lang: "ar" });
  const bob = await ChatPanel.join(e2e.browser, e2e.server.url, "Bob", { meeting });
  assert.equal(await ann.panel.getAttribute("dir"), "rtl");
  assert.equal(await ann.panel.getAttribute("lang"), "ar");
  assert.equal(await bob.panel.getAttribute("dir"), "ltr");
  assert.equal(await ann.input.getAttribute("placeholder"), "اكتب رسالة…");

  await bob.send("**Agenda** for _today_:\n1. budget, see [the sheet](https://example.com/sheet)\n2. `release` <img src=x onerror=alert(1)>\n> quoted");
  await ann.waitFor("Agenda");
  const message = ann.message("Agenda");
  assert.equal(await message.locator("strong").innerText(), "Agenda");
  assert.equal(await message.locator("em").innerText(), "today");
  assert.equal(await message.locator("ol > li").count(), 2);
  assert.equal(await message.locator("a").getAttribute("href"), "https://example.com/sheet");
  assert.equal(await message.locator("code").innerText(), "release");
  assert.equal(await message.locator("img").count(), 0, "markup in a message is text");
  assert.match(await message.locator("li").nth(1).innerText(), /<img src=x onerror=alert\(1\)>/);
  assert.equal(await message.locator("blockquote").innerText(), "quoted");

  await ann.send("مرحبا بالجميع");
  await ann.waitFor("مرحبا بالجميع");
  // Right to left: a message's actions button sits at its left edge, the text starts at its right.
  const own = ann.message("مرحبا بالجميع");
  const box = await own.boundingBox();
  const button = await own.locator(".mc-menu-button").boundingBox();
  assert.ok(button.x - box.x < box.x + box.width - (button.x + button.width), "the actions button is on the left");
  await ann.screenshot(`${shots}rtl-arabic-markdown.png`);
  await bob.screenshot(`${shots}markdown.png`);
  for (const panel of [ann, bob]) assert.deepEqual(panel.errors, [], `${panel.name} had page errors`);
  for (const panel of [ann, bob]) await panel.page.context().close();
});

test("typing shows to the conversation's members only, and goes once the message arrives", async () => {
  const meeting = `m${Date.now()}-typing`;
  const ann = await ChatPanel.join(e2e.browser, e2e.server.url, "Ann", { meeting });
  const bob = await ChatPanel.join(e2e.browser, e2e.server.url, "Bob", { meeting });
  const cat = await ChatPanel.join(e2e.browser, e2e.server.url, "Cat", { meeting });
  await ann.input.pressSequentially("Hello every");
  await bob.page.locator(".mc-typing", { hasText: "Ann is typing…" }).waitFor();
  await cat.page.locator(".mc-typing", { hasText: "Ann is typing…" }).waitFor();
  assert.equal(await ann.page.locator(".mc-typing").innerText(), "", "not to the typist");
  await bob.screenshot(`${shots}typing.png`);
  await ann.input.press("Enter");
  await bob.waitFor("Hello every");
  await bob.page.locator(".mc-typing", { hasText: "Ann is typing…" }).waitFor({ state: "detached" });

  await bob.chatWith("Private chat with Ann");
  await bob.input.pressSequentially("psst");
  await ann.chatWith("Private chat with Bob");
  await ann.page.locator(".mc-typing", { hasText: "Bob is typing…" }).waitFor();
  await cat.page.waitForTimeout(500);
  assert.equal(await cat.page.locator(".mc-typing").innerText(), "", "Cat is not in the private conversation");
  for (const panel of [ann, bob, cat]) assert.deepEqual(panel.errors, [], `${panel.name} had page errors`);
  for (const panel of [ann, bob, cat]) await panel.page.context().close();
});

test("reactions: a picker, chips that count and toggle, the same on every panel", async () => {
  const meeting = `m${Date.now()}-react`;
  const ann = await ChatPanel.join(e2e.browser, e2e.server.url, "Ann", { meeting });
  const bob = await ChatPanel.join(e2e.browser, e2e.server.url, "Bob", { meeting, colorScheme: "dark" });
  await ann.send("Ship it today?");
  await bob.waitFor("Ship it today?");
  const onBob = bob.message("Ship it today?");
  await onBob.hover();
  await onBob.getByRole("button", { name: "Add a reaction" }).click();
  await onBob.getByRole("button", { name: "🎉" }).click();
  const onAnn = ann.message("Ship it today?");
  await onAnn.getByRole("button", { name: "1 reacted with 🎉" }).waitFor();
  assert.equal(await onAnn.locator(".mc-reaction").getAttribute("aria-pressed"), "false");
  await onAnn.getByRole("button", { name: "1 reacted with 🎉" }).click();
  await onBob.getByRole("button", { name: "2 reacted with 🎉" }).waitFor();
  assert.equal(await onBob.locator(".mc-reaction").getAttribute("aria-pressed"), "true", "Bob's own is marked");
  // The picker by keyboard: its first emoji takes the focus, Escape gives it back.
  await onAnn.hover();
  await onAnn.getByRole("button", { name: "Add a reaction" }).click();
  // Focus moves once the picker is drawn: wait for it rather than race it.
  const focusOn = (label) =>
    ann.page.waitForFunction((label) => document.activeElement?.getAttribute("aria-label") === label, label, { timeout: 5_000 });
  await focusOn("👍");
  await ann.page.keyboard.press("Escape");
  await onAnn.locator(".mc-reaction-picker").waitFor({ state: "detached" });
  await focusOn("Add a reaction");
  // Any emoji from the keyboard, through the picker's field.
  await onAnn.getByRole("button", { name: "Add a reaction" }).click();
  await onAnn.getByRole("textbox", { name: "Any other emoji" }).fill("🦀");
  await onAnn.getByRole("textbox", { name: "Any other emoji" }).press("Enter");
  await onBob.getByRole("button", { name: "1 reacted with 🦀" }).waitFor();
  await bob.screenshot(`${shots}reactions.png`);
  // Taking one's own off, and a reload keeps which are mine.
  await onBob.getByRole("button", { name: "2 reacted with 🎉" }).click();
  await onAnn.getByRole("button", { name: "1 reacted with 🎉" }).waitFor();
  await ann.rejoin();
  const again = ann.message("Ship it today?");
  await again.getByRole("button", { name: "1 reacted with 🎉" }).waitFor();
  assert.equal(await again.locator(".mc-reaction").first().getAttribute("aria-pressed"), "true", "history marks Ann's own");
  for (const panel of [ann, bob]) assert.deepEqual(panel.errors, [], `${panel.name} had page errors`);
  for (const panel of [ann, bob]) await panel.page.context().close();
});

test("mentions: @ suggests who is here, the keyboard picks, and the one mentioned sees it marked", async () => {
  const meeting = `m${Date.now()}-mention`;
  const ann = await ChatPanel.join(e2e.browser, e2e.server.url, "Ann", { meeting });
  const bob = await ChatPanel.join(e2e.browser, e2e.server.url, "Bob", { meeting });
  await ann.page.locator(".mc-online", { hasText: "2" }).waitFor();
  await ann.input.pressSequentially("thanks @bo");
  const options = ann.page.getByRole("listbox");
  await options.getByRole("option", { name: "Bob" }).waitFor();
  assert.equal(await ann.input.getAttribute("aria-activedescendant"), await options.getByRole("option").first().getAttribute("id"));
  await ann.page.screenshot({ path: `${shots}mention-suggestions.png` });
  await ann.input.press("Enter");
  assert.equal(await ann.input.inputValue(), "thanks @Bob ", "Enter picks the suggestion");
  await ann.input.pressSequentially("for the notes");
  await ann.input.press("Enter");
  await bob.message("thanks @Bob for the notes").and(bob.page.locator(".mc-mentions-me")).waitFor();
  assert.equal(await ann.page.locator(".mc-mentions-me").count(), 0, "Ann is not mentioned");
  for (const panel of [ann, bob]) assert.deepEqual(panel.errors, [], `${panel.name} had page errors`);
  for (const panel of [ann, bob]) await panel.page.context().close();
});

/**
 * Posts `count` messages through the REST API, `parallel` at a time, as services that each stay under the rate
 * limit (25 messages apiece); returns the seconds it took.
 */
async function seed(meeting, count, text, parallel = 16) {
  const perService = 25;
  const tokens = await Promise.all(
    Array.from({ length: Math.ceil(count / perService) }, async (_, k) => {
      const query = new URLSearchParams({ name: `Archive ${k}`, role: "service", meeting });
      return (await (await fetch(`${e2e.server.url}/dev/token?${query}`)).json()).token;
    }),
  );
  const started = Date.now();
  let next = 0;
  const post = async () => {
    while (next < count) {
      const n = next++;
      const response = await fetch(`${e2e.server.url}/api/v1/meetings/${meeting}/messages`, {
        method: "POST",
        headers: { authorization: `Bearer ${tokens[Math.floor(n / perService)]}`, "content-type": "application/json" },
        body: JSON.stringify({ clientId: `seed-${n}`, content: { kind: "text", text: text(n) } }),
      });
      assert.equal(response.status, 200, await response.text());
    }
  };
  await Promise.all(Array.from({ length: parallel }, post));
  return (Date.now() - started) / 1000;
}

test("search: hits newest first, and picking one far back loads the history down to it and shows it", async () => {
  const meeting = `m${Date.now()}`;
  const count = Number(process.env.E2E_SEARCH_HISTORY ?? 2000);
  const seconds = await seed(meeting, count, (n) => (n === 3 ? "the quarterly budget is approved" : `note ${n}`));
  console.log(`seeded ${count} messages in ${seconds.toFixed(1)} s`);
  const ann = await ChatPanel.join(e2e.browser, e2e.server.url, "Ann", { meeting });
  await ann.waitFor(`note ${count - 1}`);
  await ann.send("budget talk later today");
  await ann.waitFor("budget talk later today");

  await ann.page.getByRole("button", { name: "Search messages" }).click();
  const box = ann.page.getByRole("searchbox", { name: "Search messages" });
  await box.fill("BUDG");
  await box.press("Enter");
  const hits = ann.page.getByRole("list", { name: "Search results" }).locator(".mc-hit-text");
  await hits.nth(1).waitFor();
  assert.deepEqual(await hits.allInnerTexts(), ["budget talk later today", "the quarterly budget is approved"]);

  const started = Date.now();
  await hits.nth(1).click();
  const found = ann.page.locator(".mc-row[data-found]");
  await found.waitFor({ timeout: 60_000 });
  console.log(`jumped ${count} messages back in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  assert.match(await found.innerText(), /the quarterly budget is approved/);
  assert.ok(await found.evaluate((row) => row === document.activeElement), "the hit has the focus");
  assert.equal(await ann.page.getByRole("search").count(), 0, "the search closed");
  await ann.page.screenshot({ path: `${shots}search-jump.png` });

  // The same search through the JS API, a page at a time.
  const pages = await ann.page.evaluate(async () => {
    const chat = document.querySelector("meeting-chat").chat;
    const first = await chat.searchMessages("budget", { limit: 1 });
    const second = await first.nextPage();
    let refused;
    try {
      chat.searchMessages("  ");
    } catch (error) {
      refused = error.code;
    }
    return [first.messages.map((m) => m.message), first.hasMore, second.messages.map((m) => m.message), second.hasMore, refused];
  });
  assert.deepEqual(pages, [["budget talk later today"], true, ["the quarterly budget is approved"], false, "invalid_argument"]);

  await ann.page.getByRole("button", { name: "Search messages" }).click();
  await box.fill("?!");
  await box.press("Enter");
  await box.fill("zebra");
  await box.press("Enter");
  await ann.page.getByRole("status").filter({ hasText: "No messages found." }).waitFor();
  assert.deepEqual(ann.errors, []);
});

test("unread: counts per conversation with mentions apart, a divider at the first new message, kept by the server", async () => {
  const meeting = `m${Date.now()}-unread`;
  const ann = await ChatPanel.join(e2e.browser, e2e.server.url, "Ann", { meeting });
  const bob = await ChatPanel.join(e2e.browser, e2e.server.url, "Bob", { meeting });
  await ann.send("before Bob looked away");
  await bob.waitFor("before Bob looked away");
  await bob.chatWith("Private chat with Ann");

  await ann.send("first while away");
  await ann.input.pressSequentially("@Bo");
  await ann.page.getByRole("listbox").waitFor();
  await ann.input.press("Enter");
  await ann.input.pressSequentially("look at this");
  await ann.input.press("Enter");
  const everyone = bob.page.locator(".mc-conversation option[value='']");
  await bob.page.waitForFunction(() => document.querySelector(".mc-conversation option[value='']").textContent.endsWith("(2 @)"));
  assert.equal(await bob.page.locator(".mc-unread-badge").innerText(), "2");
  const api = () =>
    bob.page.evaluate(() => {
      const chat = document.querySelector("meeting-chat").chat;
      return { total: chat.unreadCount, counts: chat.unreadCounts, read: chat.messages.map((m) => m.read) };
    });
  const away = await api();
  assert.equal(away.total, 2);
  assert.deepEqual(away.counts[0], { addressId: null, count: 2, mentions: 1 });
  assert.deepEqual(away.read, [true, false, false]);
  await bob.screenshot(`${shots}unread-badge.png`);

  // Showing the conversation reads it; the divider stays above the first new message while it is shown.
  await bob.chatWith("Everyone");
  await bob.page.locator(".mc-unread-badge").waitFor({ state: "detached" });
  assert.equal(await everyone.innerText(), "Everyone");
  const divider = bob.page.locator(".mc-row", { has: bob.page.locator(".mc-unread-divider") });
  assert.match(await divider.innerText(), /New messages[\s\S]*first while away/);
  assert.deepEqual((await api()).read, [true, true, true]);
  await bob.screenshot(`${shots}unread-divider.png`);

  // The server kept it: a new device of Bob's has nothing unread.
  await bob.rejoin();
  await bob.waitFor("look at this");
  assert.equal((await api()).total, 0);
  assert.equal(await bob.page.locator(".mc-unread-divider").count(), 0);
  for (const panel of [ann, bob]) assert.deepEqual(panel.errors, [], `${panel.name} had page errors`);
  for (const panel of [ann, bob]) await panel.page.context().close();
});

test("read receipts: off until a host turns them on, then 'Seen by' under one's newest message", async () => {
  const meeting = `m${Date.now()}-receipts`;
  const ann = await ChatPanel.join(e2e.browser, e2e.server.url, "Ann", { role: "host", meeting });
  const bob = await ChatPanel.join(e2e.browser, e2e.server.url, "Bob", { meeting });
  const cat = await ChatPanel.join(e2e.browser, e2e.server.url, "Cat", { meeting });
  await ann.send("before receipts");
  await bob.waitFor("before receipts");
  await cat.waitFor("before receipts");
  assert.equal(await ann.page.locator(".mc-seen").count(), 0, "off by default");

  await ann.page.getByRole("button", { name: "Chat settings" }).click();
  await ann.page.getByRole("checkbox", { name: /Read receipts/ }).check();
  await ann.page.getByRole("button", { name: "Close" }).click();
  await ann.send("did you see this?");
  await bob.waitFor("did you see this?");
  await cat.waitFor("did you see this?");
  await ann.message("did you see this?").locator(".mc-seen", { hasText: "Seen by 2" }).waitFor();
  assert.equal(await ann.page.locator(".mc-seen").count(), 1, "the panel shows it under the newest only");
  const seenBy = (panel) =>
    panel.page.evaluate(() => document.querySelector("meeting-chat").chat.messages.map((m) => m.seenBy));
  assert.deepEqual(await seenBy(ann), [2, 2]);
  assert.deepEqual(await seenBy(bob), [undefined, undefined], "only one's own messages have it");
  await ann.screenshot(`${shots}read-receipts.png`);
  for (const panel of [ann, bob, cat]) assert.deepEqual(panel.errors, [], `${panel.name} had page errors`);
  for (const panel of [ann, bob, cat]) await panel.page.context().close();
});
