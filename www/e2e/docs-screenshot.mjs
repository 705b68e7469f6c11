// Takes the README's picture of the panel (docs/src/panel.png): the demo's
// real server and panel, two people and a short conversation with a picture
// and a reply. Run after a demo build: `node www/e2e/docs-screenshot.mjs`.
import { fileURLToPath } from "node:url";
import { launchChromium } from "./browser.mjs";
import { ChatPanel } from "./chat-panel.mjs";
import { startServer } from "./server.mjs";

const here = (path) => fileURLToPath(new URL(path, import.meta.url));
const server = await startServer();
const browser = await launchChromium();
try {
  const meeting = "standup";
  const viewport = { width: 480, height: 900 };
  const ann = await ChatPanel.join(browser, server.url, "Ann", { role: "host", meeting, viewport });
  const bob = await ChatPanel.join(browser, server.url, "Bob", { meeting, viewport });
  await bob.send("Morning! Are the slides up?");
  await ann.waitFor("Are the slides up?");
  await ann.attach(here("./whiteboard.png"));
  await ann.send("Yes, and here is **yesterday's whiteboard** for the *retro*.");
  await bob.waitFor("yesterday's whiteboard");
  await bob.action("yesterday's whiteboard", "Reply");
  await bob.send("Thanks, looks good to me 👍");
  await ann.waitFor("looks good to me");
  await ann.screenshot(here("../../docs/src/panel.png"));
  console.log("wrote docs/src/panel.png");
} finally {
  await browser.close();
  await server.stop();
}
