// Quick look: two participants chat in the demo; screenshots go to e2e/screenshots/.
import { chromium } from "playwright-core";
import { mkdirSync } from "node:fs";

const base = process.env.DEMO_URL ?? "http://127.0.0.1:8080";
const out = new URL("./screenshots/", import.meta.url).pathname;
mkdirSync(out, { recursive: true });
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
});
async function join(name, role, scheme) {
  const context = await browser.newContext({ viewport: { width: 1000, height: 720 }, colorScheme: scheme });
  const page = await context.newPage();
  page.on("console", (m) => m.type() === "error" && console.log(`[${name}] ${m.text()}`));
  page.on("pageerror", (e) => console.log(`[${name}] pageerror ${e.message}`));
  await page.goto(base);
  await page.fill("input[name=name]", name);
  await page.selectOption("select[name=role]", role);
  await page.click("#join button");
  await page.waitForSelector(".mc-composer textarea");
  return page;
}
const ann = await join("Ann", "host", "light");
const bob = await join("Bob", "participant", "dark");
await ann.fill(".mc-input", "Hello Bob! Agenda: https://example.com/agenda");
await ann.keyboard.press("Enter");
await bob.waitForSelector("text=Hello Bob!");
await bob.fill(".mc-input", "Hi Ann 👋\nSecond line via Shift+Enter");
await bob.keyboard.press("Enter");
await ann.waitForSelector("text=Second line");
// Bob sends an image and a file through the attach button's input.
await bob.setInputFiles(".mc-composer input[type=file]", [new URL("./whiteboard.png", import.meta.url).pathname, new URL("./minutes.txt", import.meta.url).pathname]);
await ann.waitForSelector(".mc-image img:not(.mc-loading)");
await ann.waitForSelector("text=minutes.txt");
// Ann (host) pins Bob's first message from its menu, then replies to it.
const bobFirst = ann.locator(".mc-message", { hasText: "Second line" });
await bobFirst.locator(".mc-menu-button").click();
await ann.click("role=menuitem[name='Pin']");
await bob.waitForSelector(".mc-pins");
await bobFirst.locator(".mc-menu-button").click();
await ann.click("role=menuitem[name='Reply']");
await ann.fill(".mc-input", "Thanks, pinned it for everyone.");
await ann.keyboard.press("Enter");
await bob.waitForSelector("text=pinned it for everyone");
// A private message from Bob to Ann.
await bob.selectOption(".mc-conversation select", { label: "Private chat with Ann" });
await bob.fill(".mc-input", "Psst, just between us.");
await bob.keyboard.press("Enter");
await bob.selectOption(".mc-conversation select", { label: "Everyone" });
await ann.waitForSelector("text=just between us");
await ann.waitForTimeout(300);
await ann.screenshot({ path: out + "light.png" });
await bob.screenshot({ path: out + "dark.png" });
await browser.close();
console.log("screenshots in", out);
