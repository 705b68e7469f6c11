// Consumer tests: the package as npm delivers it. `npm pack` makes the
// tarball; a fresh Vite 7 app (with React and Vue pages), a webpack 5 app and a plain HTML page install
// it, are built and served by the real chat server, and chat with each other
// in Debian's Chromium, through the panel and through the headless entry; tsc
// checks the whole API against the installed package's types, and Node
// imports every entry.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { launchChromium } from "../e2e/browser.mjs";
import { startServer } from "../e2e/server.mjs";

const www = new URL("../", import.meta.url).pathname;
const here = (file) => new URL(file, import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), "mc-consumers-"));
const npm = (args, cwd) => execFileSync("npm", [...args, "--no-audit", "--no-fund", "--loglevel=error"], { cwd, stdio: "pipe" }).toString();

// The panel's lazily loaded parts, as the build named them.
const lazyParts = readdirSync(join(www, "pkg")).filter((f) => /^(split|chunk)_.*\.wasm$/.test(f));
let tarball;
let browser;
const servers = [];

before(async () => {
  const packed = JSON.parse(npm(["pack", "--json", "--pack-destination", work], www));
  tarball = join(work, packed[0].filename);
  const files = packed[0].files.map((f) => f.path).sort();
  assert.deepEqual(files, [
    "README.md", "loader.js",
    ...["ar", "de", "es", "fr", "hi", "it", "ja", "pt", "zh"].map((lang) => `locales/${lang}.js`),
    "meeting-chat-element.d.ts", "meeting-chat-element.js", "meeting-chat-headless.d.ts",
    "meeting-chat-headless.js", "meeting-chat.css", "meeting-chat.d.ts", "meeting-chat.js", "package.json",
    "pkg/__wasm_split.js", ...lazyParts.map((part) => `pkg/${part}`),
    "pkg/meeting-chat-headless.js", "pkg/meeting-chat-headless_bg.wasm", "pkg/meeting-chat.js", "pkg/meeting-chat_bg.wasm",
  ].sort(), "the tarball holds the package and nothing else");
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  for (const server of servers) await server.stop();
  rmSync(work, { recursive: true, force: true });
});

/** Copies a consumer template into the scratch folder and installs the tarball into it. */
function installConsumer(name) {
  const dir = join(work, name);
  cpSync(here(`./${name}`), dir, { recursive: true, filter: (src) => !src.includes("node_modules") });
  // `npm install` from the committed lock, not `npm ci`: this registry serves
  // only the Linux builds of rollup's optional platform packages, so the lock
  // lists just those, and `npm ci` refuses a lock without all of them.
  if (readdirSync(dir).includes("package-lock.json")) npm(["install"], dir);
  npm(["install", "--no-save", tarball], dir);
  return dir;
}

async function serve(dir) {
  const server = await startServer({ demoDir: dir });
  servers.push(server);
  return server;
}

/** Two people open `path` at `url` and chat; returns their pages. */
async function chatThrough(url, meeting, path = "/") {
  const pages = [];
  for (const name of ["Ann", "Bob"]) {
    const context = await browser.newContext({ viewport: { width: 800, height: 700 } });
    const page = await context.newPage();
    const errors = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await page.goto(`${url}${path}?name=${name}&meeting=${meeting}`);
    await page.locator(".mc-input").waitFor({ timeout: 20_000 });
    pages.push({ page, errors });
  }
  const [ann, bob] = pages;
  await ann.page.locator(".mc-input").fill(`hello from ${meeting}`);
  await ann.page.locator(".mc-input").press("Enter");
  await bob.page.locator(".mc-message", { hasText: `hello from ${meeting}` }).waitFor();
  await bob.page.locator(".mc-input").fill("hi Ann");
  await bob.page.locator(".mc-input").press("Enter");
  await ann.page.locator(".mc-message", { hasText: "hi Ann" }).waitFor();
  await openLazyPart(ann.page);
  for (const { errors } of pages) assert.deepEqual(errors, []);
  return pages;
}

/**
 * Opens the search box, a lazily loaded part of the panel, and searches: the
 * part's wasm must come from wherever the consumer's build put it.
 */
async function openLazyPart(page) {
  const parts = [];
  page.on("response", (response) => /split_search_box[^/]*\.wasm$/.test(response.url()) && parts.push(response.status()));
  await page.locator(".mc-search-toggle").click();
  await page.locator(".mc-search-input").fill("hello");
  await page.locator(".mc-search-input").press("Enter");
  await page.locator(".mc-hit-text", { hasText: "hello from" }).first().waitFor();
  assert.ok(parts.length <= 1 && parts.every((status) => status === 200), `the search box's part loaded once: ${parts}`);
}

/**
 * A page of the headless entry (`path`) and a panel (`/`) chat in `meeting`;
 * the headless page must fetch the headless wasm installed in `dir`, never the panel's.
 */
async function headlessMeetsPanel(url, path, meeting, dir) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = [];
  const wasm = [];
  page.on("pageerror", (error) => errors.push(error.message));
  page.on("response", (response) => response.url().endsWith(".wasm") && wasm.push(response.body()));
  await page.goto(`${url}${path}?name=Hal&meeting=${meeting}`);
  await page.waitForFunction(() => globalThis.consumer?.chat.connectionState === "connected", null, { timeout: 20_000 });
  const [ann] = await chatThrough(url, meeting);
  await page.evaluate(() => globalThis.consumer.chat.sendTextMessage("from the headless entry"));
  await ann.page.locator(".mc-message", { hasText: "from the headless entry" }).waitFor();
  await page.waitForFunction(() => globalThis.consumer.received.includes("hi Ann"));
  assert.deepEqual(errors, []);
  const fetched = await Promise.all(wasm);
  const headless = readFileSync(join(dir, "node_modules/meeting-chat/pkg/meeting-chat-headless_bg.wasm"));
  assert.equal(fetched.length, 1, "one wasm fetched");
  assert.ok(fetched[0].equals(headless), "the headless page fetched the headless wasm, not the panel's");
  await context.close();
}

test("a fresh Vite 7 app installs the tarball, builds, and chats through it, also from React and Vue components", async () => {
  const dir = installConsumer("vite-app");
  execFileSync("npx", ["vite", "build", "--logLevel", "warn"], { cwd: dir, stdio: "pipe" });
  const assets = readdirSync(join(dir, "dist/assets"));
  assert.ok(assets.some((f) => f.endsWith(".wasm")), `Vite emitted the wasm as an asset: ${assets}`);
  const server = await serve(join(dir, "dist"));
  const [ann] = await chatThrough(server.url, "vite");
  const seen = await ann.page.evaluate(() => globalThis.consumer.updates.map((u) => u.text).filter(Boolean));
  assert.ok(seen.includes("hi Ann"), "the headless API's chatUpdate fired for the panel's messages");
  assert.equal(await ann.page.locator(".mc-title").innerText(), "Vite chat");
  assert.equal(await ann.page.locator(".mc-input").getAttribute("aria-label"), "Message", "English, built in");
  await headlessMeetsPanel(server.url, "/headless.html", "vite-headless", dir);
  // The book's React and Vue recipes: the panel as a component of each.
  for (const [path, title] of [["/react.html", "React chat"], ["/vue.html", "Vue chat"]]) {
    const [person] = await chatThrough(server.url, `vite${path.replace(/\W/g, "-")}`, path);
    assert.equal(await person.page.locator(".mc-title").innerText(), title);
  }
});

test("a webpack 5 app installs the tarball, builds both entries, and chats through them", async () => {
  const dir = installConsumer("webpack-app");
  execFileSync(process.execPath, ["build.js"], { cwd: dir, stdio: "pipe" });
  const wasm = readdirSync(join(dir, "dist")).filter((f) => f.endsWith(".wasm"));
  assert.equal(wasm.length, 2 + lazyParts.length, `webpack emitted each entry's wasm and the panel's parts as assets: ${wasm}`);
  const server = await serve(join(dir, "dist"));
  const [ann] = await chatThrough(server.url, "webpack");
  assert.equal(await ann.page.locator(".mc-title").innerText(), "Webpack chat");
  assert.equal(await ann.page.locator(".mc-input").getAttribute("aria-label"), "Nachricht", "German strings loaded");
  await headlessMeetsPanel(server.url, "/headless.html", "webpack-headless", dir);
});

test("a plain HTML page imports the package from node_modules with no bundler and chats", async () => {
  const dir = installConsumer("plain-page");
  const server = await serve(dir);
  const [ann] = await chatThrough(server.url, "plain");
  assert.equal(await ann.page.locator(".mc-title").innerText(), "Plain chat");
  assert.equal(await ann.page.locator(".mc-input").getAttribute("aria-label"), "Nachricht", "German strings loaded");
  await headlessMeetsPanel(server.url, "/headless.html", "plain-headless", dir);
});

test("tsc --noEmit passes on a file using the whole API, typed from the installed package", () => {
  const dir = installConsumer("plain-page");
  const source = readFileSync(join(www, "types-check/uses-every-api.ts"), "utf8")
    .replaceAll('from "../meeting-chat-element"', 'from "meeting-chat/element"')
    .replaceAll('from "../meeting-chat-headless"', 'from "meeting-chat/headless"')
    .replaceAll('from "../meeting-chat"', 'from "meeting-chat"');
  assert.notEqual(source.indexOf('from "meeting-chat"'), -1);
  writeFileSync(join(dir, "uses-every-api.ts"), source);
  writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({
    compilerOptions: {
      strict: true, noEmit: true, target: "ES2022", module: "ES2022", moduleResolution: "bundler",
      lib: ["ES2022", "DOM"], skipLibCheck: false,
    },
    files: ["uses-every-api.ts"],
  }));
  execFileSync(process.execPath, [join(www, "node_modules/typescript/bin/tsc"), "-p", dir], { stdio: "pipe" });
});

test("every entry of the installed package imports in Node, as server-rendering frameworks load a page's modules", () => {
  const dir = installConsumer("plain-page");
  const script = `
    const api = await import("meeting-chat");
    const element = await import("meeting-chat/element");
    const headless = await import("meeting-chat/headless");
    console.log(JSON.stringify([typeof api.connect, typeof api.mountChatPanel, typeof element.MeetingChatElement,
      typeof headless.connect, typeof headless.mountChatPanel]));
  `;
  const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], { cwd: dir, stdio: "pipe" }).toString();
  assert.deepEqual(JSON.parse(out), ["function", "function", "function", "function", "undefined"]);
});
