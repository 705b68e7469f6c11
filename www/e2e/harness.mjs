// One real chat server and one Chromium per test file: started before its
// tests, stopped after them. `startServer`'s options pass through.
import { before, after } from "node:test";
import { launchChromium } from "./browser.mjs";
import { startServer } from "./server.mjs";

export function serverAndBrowser(options) {
  const e2e = { server: undefined, browser: undefined };
  before(async () => {
    e2e.server = await startServer(options);
    e2e.browser = await launchChromium();
  });
  after(async () => {
    await e2e.browser?.close();
    await e2e.server?.stop();
  });
  return e2e;
}
