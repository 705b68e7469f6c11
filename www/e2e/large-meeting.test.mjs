// End to end, a large meeting: the real server told that more than two is
// large, so presence names only hosts and the rest is found by searching the
// server; the panel's people finder, who is typing as a count, and webinar
// settings shown before anyone types; moderation: mutes, reports, removal; polls.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { launchChromium } from "./browser.mjs";
import { ChatPanel } from "./chat-panel.mjs";
import { startServer } from "./server.mjs";

const shots = new URL("./screenshots/", import.meta.url).pathname;
mkdirSync(shots, { recursive: true });

let browser;
let server;

before(async () => {
  server = await startServer({ extraArgs: ["--presence-list-limit", "2", "--presence-interval-ms", "100"] });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** Calls the JS API of the panel on `panel`'s page. */
function hostSays(panel, settings) {
  return panel.page.evaluate((s) => document.querySelector("meeting-chat").chat.updateSettings(s), settings);
}

/** Opens the host's chat settings in the panel. */
async function openSettings(host) {
  await host.page.getByRole("button", { name: "Chat settings" }).click();
  return host.page.locator("dialog[open]");
}

test("in a large meeting people are counted, found by name on the server, and talked to privately", async () => {
  const meeting = `big${Date.now()}`;
  const ann = await ChatPanel.join(browser, server.url, "Ann", { role: "host", meeting });
  const bob = await ChatPanel.join(browser, server.url, "Bob", { meeting });
  const cat = await ChatPanel.join(browser, server.url, "Cat", { meeting });
  const dan = await ChatPanel.join(browser, server.url, "Dan", { meeting });
  await bob.page.locator(".mc-online", { hasText: "4" }).waitFor();

  await bob.page.click(".mc-find");
  await bob.page.fill(".mc-picker-search", "ca");
  // The server answers the search: only Cat's name has "ca".
  await bob.page.waitForFunction(() => document.querySelectorAll(".mc-people .mc-destination").length === 1);
  const catRow = bob.page.locator(".mc-people .mc-destination", { hasText: "Cat" });
  await catRow.waitFor();
  await bob.page.screenshot({ path: `${shots}large-meeting-finder.png` });
  await catRow.click();
  await bob.page.locator(".mc-recipient", { hasText: "Send to: Cat" }).waitFor();
  await bob.send("psst, Cat");
  await cat.waitFor("psst, Cat");
  await bob.send("still just us");
  await cat.waitFor("still just us");
  assert.deepEqual(await dan.texts(), [], "Bob wrote to Cat alone");

  for (const panel of [ann, bob, cat, dan]) assert.deepEqual(panel.errors, [], `${panel.name}: no page errors`);
});

test("in a large meeting who is typing comes as a count, without oneself", async () => {
  const meeting = `typing${Date.now()}`;
  const names = ["Ann", "Bob", "Cat", "Dan", "Eve"];
  const panels = [];
  for (const name of names) {
    panels.push(await ChatPanel.join(browser, server.url, name, { role: name === "Ann" ? "host" : undefined, meeting }));
  }
  const [ann, bob] = panels;
  await ann.page.locator(".mc-online", { hasText: "5" }).waitFor();
  // Everyone types: the server tells the meeting one crowd (three named, five counted).
  for (const panel of panels) await panel.input.fill("a thought");
  const line = (panel) => panel.page.locator(".mc-typing");
  for (const panel of [ann, bob]) {
    await line(panel).getByText("4 people are typing…").waitFor();
  }
  await ann.page.screenshot({ path: `${shots}large-meeting-typing.png` });
  assert.equal(
    await ann.page.evaluate(() => document.querySelector("meeting-chat").chat.typingCount),
    4,
    "the JS API counts the others too",
  );
  // Bob's message ends his typing: the others see three left.
  await bob.send("a thought");
  await line(ann).getByText("3 people are typing…").waitFor();
  for (const panel of panels) assert.deepEqual(panel.errors, [], `${panel.name}: no page errors`);
});

test("a webinar: only hosts send, then slow mode, then the chat off, each shown before anyone types", async () => {
  const meeting = `web${Date.now()}`;
  const ann = await ChatPanel.join(browser, server.url, "Ann", { role: "host", meeting });
  const bob = await ChatPanel.join(browser, server.url, "Bob", { meeting });

  assert.equal(await bob.page.getByRole("button", { name: "Chat settings" }).count(), 0, "for hosts only");
  const settings = await openSettings(ann);
  await settings.getByLabel("Who can send messages").selectOption("hosts");
  await ann.page.screenshot({ path: `${shots}webinar-host-settings.png` });
  await ann.page.keyboard.press("Escape");
  await bob.banner().getByText("Only hosts can send messages right now.").waitFor();
  assert.equal(await bob.input.isDisabled(), true, "the composer is closed to Bob");
  await bob.page.screenshot({ path: `${shots}webinar-hosts-only.png` });
  await ann.send("Welcome to the webinar");
  await bob.waitFor("Welcome to the webinar");

  // Through the JS API this time: the panel follows whatever changed them.
  await hostSays(ann, { whoCanSend: "everyone" });
  const again = await openSettings(ann);
  assert.equal(await again.getByLabel("Who can send messages").inputValue(), "everyone");
  await again.getByLabel("Slow mode").selectOption("30");
  await ann.page.keyboard.press("Escape");
  await bob.banner().getByText("Slow mode: one message every 30 s.").waitFor();
  await bob.send("a question");
  await ann.waitFor("a question");
  await bob.banner().getByText(/Slow mode: you can send again in (29|30) s\./).waitFor();
  await bob.input.fill("another");
  assert.equal(await bob.page.locator(".mc-send").isDisabled(), true, "sending waits for slow mode");
  await bob.page.screenshot({ path: `${shots}webinar-slow-mode.png` });

  // The chat off: Bob neither writes nor reacts; Ann still speaks.
  const off = await openSettings(ann);
  await off.getByLabel("Slow mode").selectOption("0");
  await off.getByLabel("Who can send messages").selectOption("nobody");
  await off.getByLabel("Participants can message privately").selectOption("hosts");
  await ann.page.screenshot({ path: `${shots}chat-off-host-settings.png` });
  await ann.page.keyboard.press("Escape");
  await bob.banner().getByText("The chat is off. Only hosts can write.").waitFor();
  assert.equal(await bob.input.isDisabled(), true, "the composer is closed to Bob");
  assert.equal(await bob.input.getAttribute("placeholder"), "The chat is off. Only hosts can write.");
  assert.equal(await bob.page.locator(".mc-send").isDisabled(), true, "nothing typed before can be sent");
  await ann.send("Back in five minutes");
  await bob.waitFor("Back in five minutes");
  const state = await bob.page.evaluate(() => document.querySelector("meeting-chat").chat.settings);
  assert.deepEqual([state.whoCanSend, state.privateChat], ["nobody", "hosts"]);
  await bob.page.screenshot({ path: `${shots}chat-off.png` });
  for (const panel of [ann, bob]) assert.deepEqual(panel.errors, [], `${panel.name}: no page errors`);
});

test("a host mutes one participant from the settings dialog: only they are told, and an unmute lets them back", async () => {
  const meeting = `mute${Date.now()}`;
  const ann = await ChatPanel.join(browser, server.url, "Ann", { role: "host", meeting });
  const bob = await ChatPanel.join(browser, server.url, "Bob", { meeting });
  const cy = await ChatPanel.join(browser, server.url, "Cy", { meeting });

  const settings = await openSettings(ann);
  await settings.getByText("Nobody is muted.").waitFor();
  await settings.getByLabel("Mute for").selectOption("muteFor.10");
  await settings.getByPlaceholder("Search by name").fill("bo");
  await settings.getByRole("button", { name: "Mute Bob" }).click();
  const listed = settings.locator(".mc-muted-list li");
  await listed.getByText(/^Bob · until \d\d:\d\d$/).waitFor();
  assert.deepEqual(await ann.accessibilityViolations(), [], "the settings dialog with its mute list");
  await ann.page.screenshot({ path: `${shots}mute-host-list.png` });

  await bob.banner().getByText(/^A host muted you in the chat until \d\d:\d\d\.$/).waitFor();
  assert.equal(await bob.input.isDisabled(), true, "the composer is closed to Bob");
  assert.equal(await bob.input.getAttribute("placeholder"), "A host muted you in the chat.");
  assert.equal(await bob.page.locator(".mc-send").isDisabled(), true);
  await bob.page.screenshot({ path: `${shots}mute-muted.png` });
  await cy.send("Cy talks on");
  await ann.waitFor("Cy talks on");
  assert.equal(await cy.banner().getByText(/muted/).count(), 0, "others are not told");

  await listed.getByRole("button", { name: "Unmute Bob" }).click();
  await settings.getByText("Nobody is muted.").waitFor();
  await ann.page.keyboard.press("Escape");
  await bob.page.locator(".mc-input:not([disabled])").waitFor();
  await bob.send("Thank you");
  await ann.waitFor("Thank you");

  // From a message's menu: a host mutes its sender for 10 minutes; a participant's menu has no such item.
  await cy.waitFor("Thank you");
  await cy.message("Thank you").locator(".mc-menu-button").click();
  await cy.page.getByRole("menuitem", { name: "Reply" }).waitFor();
  assert.equal(await cy.page.getByRole("menuitem", { name: "Mute in the chat for 10 minutes" }).count(), 0);
  await cy.page.keyboard.press("Escape");
  await ann.action("Thank you", "Mute in the chat for 10 minutes");
  await bob.banner().getByText(/^A host muted you in the chat until \d\d:\d\d\.$/).waitFor();
  for (const panel of [ann, bob, cy]) assert.deepEqual(panel.errors, [], `${panel.name}: no page errors`);
});

test("a participant reports a message; the host sees it, removes its sender with their messages, then lets them back", async () => {
  const meeting = `report${Date.now()}`;
  const ann = await ChatPanel.join(browser, server.url, "Ann", { role: "host", meeting });
  const bob = await ChatPanel.join(browser, server.url, "Bob", { meeting });
  const cy = await ChatPanel.join(browser, server.url, "Cy", { meeting });
  await bob.send("Cheap watches at example.com");
  await cy.waitFor("Cheap watches at example.com");

  await cy.action("Cheap watches at example.com", "Report to the hosts");
  const dialog = cy.page.locator("dialog[open]");
  await dialog.getByLabel("Why?").selectOption("spam");
  await dialog.getByLabel("Details (optional)").fill("the same link every minute");
  assert.deepEqual(await cy.accessibilityViolations(), [], "the report dialog");
  await cy.page.screenshot({ path: `${shots}report-dialog.png` });
  await dialog.getByRole("button", { name: "Report", exact: true }).click();
  await dialog.waitFor({ state: "detached" });
  await cy.message("Cheap watches at example.com").locator(".mc-menu-button").click();
  await cy.page.getByRole("menuitem", { name: "Reply" }).waitFor();
  assert.equal(await cy.page.getByRole("menuitem", { name: "Report to the hosts" }).count(), 0, "reported once");
  await cy.page.keyboard.press("Escape");

  await ann.page.getByRole("button", { name: "Chat settings, 1 reported messages" }).waitFor();
  const settings = await openSettings(ann);
  const report = settings.locator(".mc-report");
  await report.getByText("Cy: Spam or advertising: the same link every minute").waitFor();
  assert.deepEqual(await ann.accessibilityViolations(), [], "the settings dialog with a report");
  await ann.page.screenshot({ path: `${shots}report-host.png` });

  await report.getByRole("button", { name: "Remove Bob from the chat and delete their messages" }).click();
  await bob.banner().getByText("A host removed you from this meeting's chat.").waitFor();
  await bob.page.screenshot({ path: `${shots}removed.png` });
  await settings.getByText("No open reports.").waitFor();
  await cy.page.getByText("Cheap watches at example.com").waitFor({ state: "detached" });
  const listed = settings.locator(".mc-muted-list li");
  await listed.getByText("Bob · Removed from the chat").waitFor();
  await listed.getByRole("button", { name: "Let back Bob" }).click();
  await settings.getByText("Nobody is muted.").waitFor();
  const back = await ChatPanel.join(browser, server.url, "Bob", { meeting });
  await back.send("Sorry about that");
  await cy.waitFor("Sorry about that");
  for (const panel of [ann, cy, back]) assert.deepEqual(panel.errors, [], `${panel.name}: no page errors`);
});

test("a host asks a poll in the panel; participants vote and see the counts; the host closes it", async () => {
  const meeting = `poll${Date.now()}`;
  const ann = await ChatPanel.join(browser, server.url, "Ann", { role: "host", meeting });
  const bob = await ChatPanel.join(browser, server.url, "Bob", { meeting });
  const cy = await ChatPanel.join(browser, server.url, "Cy", { meeting });
  assert.equal(await bob.page.locator(".mc-polls-toggle").count(), 0, "no polls button for a participant without polls");

  await ann.page.getByRole("button", { name: "Polls, 0 open" }).click();
  const asking = ann.page.locator("dialog[open]");
  await asking.getByLabel("Question").fill("Where do we meet next week?");
  await asking.getByLabel("Option 1").fill("Berlin");
  await asking.getByLabel("Option 2").fill("Lisbon");
  await asking.getByRole("button", { name: "Add an option" }).click();
  await asking.getByLabel("Option 3").fill("Online");
  assert.deepEqual(await ann.accessibilityViolations(), [], "the polls dialog with the new poll form");
  await asking.getByRole("button", { name: "Ask", exact: true }).click();
  await asking.getByRole("heading", { name: "Where do we meet next week?" }).waitFor();

  await bob.page.getByRole("button", { name: "Polls, 1 open" }).click();
  const ballot = bob.page.locator("dialog[open]");
  await ballot.getByLabel("Lisbon").check();
  assert.deepEqual(await bob.accessibilityViolations(), [], "the polls dialog with a ballot");
  await bob.page.screenshot({ path: `${shots}poll-ballot.png` });
  await ballot.getByRole("button", { name: "Vote" }).click();
  await ballot.getByText("You voted.").waitFor();
  await ballot.locator(".mc-poll-mine", { hasText: "Lisbon" }).getByText("Votes: 1").waitFor();

  await cy.page.getByRole("button", { name: "Polls, 1 open" }).click();
  const cys = cy.page.locator("dialog[open]");
  await cys.getByLabel("Berlin").check();
  await cys.getByRole("button", { name: "Vote" }).click();
  await ann.page.locator("dialog[open] .mc-poll-result", { hasText: "Berlin" }).getByText("Votes: 1").waitFor();
  await ann.page.locator("dialog[open] .mc-poll-result", { hasText: "Lisbon" }).getByText("Votes: 1").waitFor();
  await ann.page.screenshot({ path: `${shots}poll-host.png` });

  await ann.page.locator("dialog[open]").getByRole("button", { name: "Close the poll" }).click();
  await ballot.getByText("Asked by Ann · Closed").waitFor();
  await bob.page.getByRole("button", { name: "Polls, 0 open" }).waitFor();
  for (const panel of [ann, bob, cy]) assert.deepEqual(panel.errors, [], `${panel.name}: no page errors`);
});
