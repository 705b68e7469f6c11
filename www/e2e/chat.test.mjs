// End to end: the real server and the real panel in Debian's Chromium.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { chromium } from "playwright-core";
import { ChatPanel } from "./chat-panel.mjs";
import { startServer } from "./server.mjs";

const here = (file) => new URL(file, import.meta.url).pathname;
const shots = here("./screenshots/");
mkdirSync(shots, { recursive: true });

let browser;
let server;

before(async () => {
  server = await startServer();
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test("two participants exchange every kind of message, edit, delete, pin, reply and talk privately", async () => {
  const meeting = `m${Date.now()}`;
  const ann = await ChatPanel.join(browser, server.url, "Ann", { role: "host", meeting });
  const bob = await ChatPanel.join(browser, server.url, "Bob", { colorScheme: "dark", meeting });
  const cat = await ChatPanel.join(browser, server.url, "Cat", { meeting });

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

  await ann.screenshot(`${shots}light-images-pinned.png`);
  await bob.screenshot(`${shots}dark-images-pinned.png`);
  for (const panel of [ann, bob, cat]) assert.deepEqual(panel.errors, [], `${panel.name} had page errors`);
});

test("the panel has no accessibility violations (axe-core), in light and dark, with a menu open", async () => {
  const meeting = `a${Date.now()}`;
  const ann = await ChatPanel.join(browser, server.url, "Ann", { role: "host", meeting });
  const bob = await ChatPanel.join(browser, server.url, "Bob", { colorScheme: "dark", meeting });
  await ann.send("Accessible, https://example.com");
  await bob.attach(here("./whiteboard.png"), here("./minutes.txt"));
  await ann.waitFor("minutes.txt");
  await bob.waitFor("Accessible");
  await ann.action("Accessible", "Pin");
  await bob.page.locator(".mc-pins").waitFor();
  for (const panel of [ann, bob]) {
    assert.deepEqual(await panel.accessibilityViolations(), [], `${panel.name}'s panel`);
  }
  await ann.message("Accessible").locator(".mc-menu-button").click();
  assert.deepEqual(await ann.accessibilityViolations(), [], "with the action menu open");
});

test("after a server restart the panels reconnect and nothing is lost", async () => {
  const meeting = `r${Date.now()}`;
  const ann = await ChatPanel.join(browser, server.url, "Ann", { meeting });
  const bob = await ChatPanel.join(browser, server.url, "Bob", { meeting });
  await ann.send("before the restart");
  await bob.waitFor("before the restart");

  await server.stop();
  await bob.banner().getByText("Reconnecting").waitFor();
  server = await startServer({ dataDir: server.dataDir, addr: server.address });

  await ann.page.locator(".mc-banners .mc-banner").waitFor({ state: "detached", timeout: 20_000 });
  await ann.send("after the restart");
  await bob.waitFor("after the restart");
  const texts = await bob.texts();
  assert.equal(texts.filter((t) => t === "before the restart").length, 1);
  assert.equal(texts.filter((t) => t === "after the restart").length, 1);
});
