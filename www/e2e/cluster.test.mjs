// End to end across nodes: the real panel in Chromium, served through nginx
// by two nodes on one PostgreSQL and one Redis. The node under a panel is
// killed; the panel reconnects through nginx to the other node, and a
// message typed during the outage is delivered once.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { launchChromium } from "./browser.mjs";
import { ChatPanel } from "./chat-panel.mjs";
import { startCluster } from "./cluster.mjs";

const shots = new URL("./screenshots/", import.meta.url).pathname;
mkdirSync(shots, { recursive: true });

let browser;
let cluster;

before(async () => {
  cluster = await startCluster({ count: 2 });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  cluster?.stop();
});

test("a panel whose node is killed reconnects through nginx and its message typed meanwhile arrives once", async () => {
  const meeting = `c${Date.now()}`;
  const ann = await ChatPanel.join(browser, cluster.url, "Ann", { role: "host", meeting });
  const annNode = (await cluster.connections(0)) > 0 ? 0 : 1;
  assert.equal(await cluster.connections(annNode), 1, "Ann's socket is on one node");
  const bob = await ChatPanel.join(browser, cluster.url, "Bob", { meeting });
  await ann.send("before the crash");
  await bob.waitFor("before the crash");

  cluster.kill(annNode);
  await ann.banner().getByText("Reconnecting").waitFor({ timeout: 20_000 });
  await ann.send("typed during the outage");
  await ann.page.locator(".mc-banners .mc-banner").waitFor({ state: "detached", timeout: 30_000 });
  await bob.waitFor("typed during the outage");
  await ann.send("after the crash");
  await bob.waitFor("after the crash");
  await ann.waitFor("after the crash");
  await ann.screenshot(`${shots}cluster-after-node-killed.png`);

  const survivor = 1 - annNode;
  assert.equal(await cluster.connections(survivor), 2, "both panels are on the surviving node");
  for (const panel of [ann, bob]) {
    const texts = await panel.texts();
    for (const text of ["before the crash", "typed during the outage", "after the crash"]) {
      assert.equal(texts.filter((t) => t === text).length, 1, `${panel.name} sees "${text}" once`);
    }
    assert.deepEqual(panel.errors, []);
  }
});
