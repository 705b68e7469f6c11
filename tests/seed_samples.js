// Every JavaScript sample of the RealtimeKit chat guide (seed 004), verbatim,
// run against a connected chat as `meeting.chat`, each followed by what the
// guide says it does. The guide's placeholder id "..." is filled with a real
// message id when a sample runs, as a reader would; a sample that defines a
// page's button handler is run by calling that handler, as the button would.

const SAMPLES = {
  chatObject: `console.log("Chat object:", meeting.chat);`,
  allMessages: `console.log("All chat messages:", meeting.chat.messages);`,
  bareChat: `meeting.chat;`,
  bareMessages: `meeting.chat.messages;`,
  sendText: `const message = "Is this the real life?";
await meeting.chat.sendTextMessage(message);`,
  sendImageHtml: `<label for="img">Select image:</label>
<input type="file" id="img" name="img" accept="image/*" />
<button onclick="onSendImage()">Send Image</button>`,
  sendImage: `async function onSendImage() {
  const image = document.getElementById("img");
  await meeting.chat.sendImageMessage(image.files[0]);
}`,
  sendFileHtml: `<label for="file">Select file:</label>
<input type="file" id="file" name="file" />
<button onclick="onSendFile()">Send File</button>`,
  sendFile: `async function onSendFile() {
  const file = document.getElementById("file");
  await meeting.chat.sendFileMessage(file.files[0]);
}`,
  sendMessage: `const message = "Is this just fantasy?";
await meeting.chat.sendMessage({ type: "text", message });`,
  onChatUpdate: `meeting.chat.on("chatUpdate", ({ message, messages }) => {
  console.log(\`Received message \${message}\`);
  console.log(\`All messages in chat: \${messages.join(", ")}\`);
});`,
  stringifyMessages: `console.log(JSON.stringify(meeting.chat.messages));
meeting.chat.on("chatUpdate", () => {
  console.log(JSON.stringify(meeting.chat.messages));
});`,
  editText: `const message = meeting.chat.messages[0];
const messageId = message?.id;
const newMessage = "Is this the real life?";
await meeting.chat.editTextMessage(messageId, newMessage);`,
  editImageHtml: `<label for="img">Edit image:</label>
<input type="file" id="img" name="img" accept="image/*" />
<button onclick="onEditImage()">Edit Image</button>`,
  editImage: `async function onEditImage() {
  const messageId = "...";
  const image = document.getElementById("img");
  await meeting.chat.editImageMessage(messageId, image.files[0]);
}`,
  editFileHtml: `<label for="file">Edit file:</label>
<input type="file" id="file" name="file" />
<button onclick="onEditFile()">Edit File</button>`,
  editFile: `async function onEditFile() {
  const messageId = "...";
  const file = document.getElementById("file");
  await meeting.chat.editFileMessage(messageId, file.files[0]);
}`,
  editMessage: `const messageId = "...";
const message = "Is this just fantasy?";
await meeting.chat.editMessage(messageId, { type: "text", message });`,
  byUser: `// Find the userId of the user with name "Freddie".
const { userId } = meeting.participants.joined
  .toArray()
  .find((p) => p.name === "Freddie");
const messages = meeting.chat.getMessagesByUser(userId);`,
  byType: `const imageMessages = meeting.chat.getMessagesByType("image");`,
  pin: `// Pin the first message in the chat (could be text, image, or file).
const { id } = meeting.chat.messages[0];
await meeting.chat.pin(id);`,
  pinned: `const { id } = meeting.chat.messages[0];
await meeting.chat.pin(id);
console.log(meeting.chat.pinned);
console.log(meeting.chat.pinned.length > 0); // Should be true`,
  unpin: `// Unpin the first pinned message.
const { id } = meeting.chat.pinned[0];
await meeting.chat.unpin(id);`,
  pinEvents: `meeting.chat.on("pinMessage", ({ message }) => {
  console.log("A message was pinned", JSON.stringify(message));
});
meeting.chat.on("unpinMessage", ({ message }) => {
  console.log("A message was unpinned", JSON.stringify(message));
});`,
  deleteMessage: `const messageId = "...";
await meeting.chat.deleteMessage(messageId);`,
};

const AsyncFunction = Object.getPrototypeOf(async function () {}).constructor;

/// Runs sample `name` with `meeting`; returns the value of `result` if the sample defines it.
async function run(name, meeting, { id, call, result } = {}) {
  let code = SAMPLES[name];
  if (id !== undefined) code = code.replaceAll('"..."', JSON.stringify(id));
  const tail = `${call ? `await ${call}();` : ""}\nreturn ${result ?? "undefined"};`;
  return new AsyncFunction("meeting", "document", `${code}\n${tail}`)(meeting, document);
}

/// Puts sample `name`'s HTML on the page, choosing `files` in its file input.
function page(name, files) {
  const host = document.createElement("div");
  host.innerHTML = SAMPLES[name];
  document.getElementById("seed-page")?.remove();
  host.id = "seed-page";
  document.body.append(host);
  const input = host.querySelector("input[type=file]");
  const chosen = new DataTransfer();
  files.forEach((file) => chosen.items.add(file));
  input.files = chosen.files;
}

function check(condition, what) {
  if (!condition) throw new Error(`the guide says: ${what}`);
}

async function until(what, condition) {
  for (let i = 0; i < 200; i += 1) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`timed out waiting until ${what}`);
}

async function png(width, height, color) {
  const canvas = document.createElement("canvas");
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext("2d");
  context.fillStyle = color;
  context.fillRect(0, 0, width, height);
  const blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/png"));
  return new File([blob], `${color}.png`, { type: "image/png" });
}

/// The guide's `meeting`: the chat, and the participants it names.
function meetingOf(chat) {
  const joined = { toArray: () => chat.participants.map((p) => ({ id: p.id, userId: p.id, name: p.displayName })) };
  return { chat, participants: { joined } };
}

export async function runRealtimeKitSamples(annChat, freddieChat) {
  const meeting = meetingOf(annChat);
  const freddie = meetingOf(freddieChat);
  const seen = (text) => freddie.chat.messages.some((m) => m.message === text);

  await run("chatObject", meeting);
  await run("allMessages", meeting);
  await run("bareChat", meeting);
  check(Array.isArray(await run("bareMessages", meeting, { result: "meeting.chat.messages" })), "messages is an array");

  const updates = [];
  freddie.chat.on("chatUpdate", (event) => updates.push(event));
  await run("onChatUpdate", freddie);
  await run("stringifyMessages", freddie);

  await run("sendText", meeting);
  await until("Freddie receives the text", () => seen("Is this the real life?"));
  check(updates.some((u) => u.message?.message === "Is this the real life?" && u.messages === freddie.chat.messages),
    "chatUpdate carries the message and all messages");

  page("sendImageHtml", [await png(32, 24, "teal")]);
  await run("sendImage", meeting, { call: "onSendImage" });
  await until("Freddie receives the image", () => freddie.chat.messages.some((m) => m.type === "image"));
  const image = freddie.chat.messages.find((m) => m.type === "image");
  check(typeof image.link === "string" && image.link.startsWith("http"), "an image message has a link");

  page("sendFileHtml", [new File(["minutes of the meeting"], "minutes.txt", { type: "text/plain" })]);
  await run("sendFile", meeting, { call: "onSendFile" });
  await until("Freddie receives the file", () => freddie.chat.messages.some((m) => m.type === "file"));
  const file = freddie.chat.messages.find((m) => m.type === "file");
  check(file.name === "minutes.txt" && file.size === 22 && file.link.startsWith("http"), "a file has name, size, link");

  await run("sendMessage", meeting);
  await until("Freddie receives the sendMessage text", () => seen("Is this just fantasy?"));
  // The guide's sendMessage type also takes `{ type: "image", image }`.
  await meeting.chat.sendMessage({ type: "image", image: await png(16, 16, "orange") });
  await until("Freddie receives the second image", () => freddie.chat.getMessagesByType("image").length === 2);

  // Freddie writes one, so Ann can find Freddie's messages.
  await freddie.chat.sendTextMessage("Caught in a landslide");
  await until("Ann receives Freddie's", () => meeting.chat.messages.some((m) => m.message === "Caught in a landslide"));

  await run("editText", meeting);
  const first = meeting.chat.messages[0];
  await until("Freddie sees the first message edited", () =>
    freddie.chat.messages.some((m) => m.id === first.id && m.isEdited && m.message === "Is this the real life?"));

  const imageId = meeting.chat.getMessagesByType("image")[0].id;
  page("editImageHtml", [await png(20, 20, "purple")]);
  await run("editImage", meeting, { id: imageId, call: "onEditImage" });
  await until("Freddie sees the edited image", () =>
    freddie.chat.messages.some((m) => m.id === imageId && m.isEdited && m.name === "purple.png"));

  const fileId = meeting.chat.getMessagesByType("file")[0].id;
  page("editFileHtml", [new File(["revised minutes"], "minutes-v2.txt", { type: "text/plain" })]);
  await run("editFile", meeting, { id: fileId, call: "onEditFile" });
  await until("Freddie sees the edited file", () =>
    freddie.chat.messages.some((m) => m.id === fileId && m.isEdited && m.name === "minutes-v2.txt"));

  const fantasy = meeting.chat.messages.find((m) => m.message === "Is this just fantasy?");
  await run("editMessage", meeting, { id: fantasy.id });
  await until("Freddie sees the editMessage edit", () =>
    freddie.chat.messages.some((m) => m.id === fantasy.id && m.isEdited));

  const byFreddie = await run("byUser", meeting, { result: "messages" });
  check(byFreddie.length === 1 && byFreddie[0].message === "Caught in a landslide", "getMessagesByUser finds Freddie's");
  const images = await run("byType", meeting, { result: "imageMessages" });
  check(images.length === 2 && images.every((m) => m.type === "image"), "getMessagesByType finds the images");

  const pinEvents = [];
  meeting.chat.on("pinMessage", ({ message }) => pinEvents.push(["pin", message.id]));
  meeting.chat.on("unpinMessage", ({ message }) => pinEvents.push(["unpin", message.id]));
  await run("pinEvents", meeting);
  await run("pin", meeting);
  await until("the first message is pinned", () => meeting.chat.messages[0].pinned === true);
  check(meeting.chat.pinned.length > 0, "a pinned message is in meeting.chat.pinned");
  await run("unpin", meeting);
  await until("it is unpinned", () => meeting.chat.pinned.length === 0);
  const shouldBeTrue = await run("pinned", meeting, { result: "meeting.chat.pinned.length > 0" });
  check(shouldBeTrue === true, "meeting.chat.pinned.length > 0 is true after a pin");
  await until("both events arrived", () => pinEvents.filter(([kind]) => kind === "pin").length === 2 && pinEvents.some(([kind]) => kind === "unpin"));
  await until("Freddie sees the pin", () => freddie.chat.pinned.length === 1);

  const doomed = meeting.chat.messages.find((m) => m.message === "Is this the real life?" && m.id !== first.id) ?? first;
  await run("deleteMessage", meeting, { id: doomed.id });
  await until("Freddie sees it deleted", () => freddie.chat.messages.some((m) => m.id === doomed.id && m.type === "deleted"));

  const csv = meeting.chat.exportCsv();
  check(csv.includes(",TEXT_MESSAGE,") && csv.includes(",IMAGE_MESSAGE,http") && csv.includes(",FILE_MESSAGE,minutes-v2.txt"),
    "the CSV's payloadType is TEXT_MESSAGE, IMAGE_MESSAGE or FILE_MESSAGE, with absolute links");
  document.getElementById("seed-page")?.remove();
}

/// Self (seed 000): an app answers each new message from someone else from the message itself.
export async function runSelfRespond(botChat, annChat, bobChat) {
  const heard = [];
  // Self's shape: the text is `body`, and `message(text)` answers in the conversation.
  botChat.on("message", async (cm) => {
    heard.push(cm.body);
    if (cm.body == "ping") await cm.respond("pong");
    if (cm.body == "psst, ping") await cm.respond("psst, pong");
    if (cm.body == "note") await cm.message("noted");
  });
  await botChat.sendTextMessage("the bot is here");
  await annChat.sendTextMessage("ping");
  await until("Ann gets pong", () => annChat.messages.some((m) => m.message === "pong"));
  const ping = annChat.messages.find((m) => m.message === "ping");
  const pong = annChat.messages.find((m) => m.message === "pong");
  check(pong.replyTo === ping.id && !pong.isPrivate, "respond replies in the same conversation");

  await annChat.sendTextMessage("psst, ping", { targetUserIds: [botChat.selfId] });
  await until("Ann gets the private pong", () => annChat.messages.some((m) => m.message === "psst, pong"));
  const privatePong = annChat.messages.find((m) => m.message === "psst, pong");
  check(privatePong.isPrivate && privatePong.targetUserIds.join() === annChat.selfId, "a private answer stays private");

  await annChat.sendTextMessage("note");
  await until("Ann gets noted", () => annChat.messages.some((m) => m.message === "noted"));
  check(annChat.messages.find((m) => m.message === "noted").replyTo === undefined, "message() is not a reply");

  await new Promise((resolve) => setTimeout(resolve, 200));
  check(!bobChat.messages.some((m) => m.message === "psst, pong" || m.message === "psst, ping"), "Bob never sees the private pair");
  check(heard.join("|") === "ping|psst, ping|note", `the bot hears others' new messages once: ${heard.join("|")}`);
  const keys = Object.keys(JSON.parse(JSON.stringify(annChat.messages[0])));
  check(!keys.includes("respond") && typeof annChat.messages[0].respond === "function", `methods stay out of JSON: ${keys}`);
  check(Object.getPrototypeOf(annChat.messages[0]) === Object.getPrototypeOf(annChat.messages[1]), "one prototype for all");
  const answered = await annChat.messages.find((m) => m.message === "pong").respond("thanks");
  check(answered.message === "thanks" && answered.replyTo === pong.id, "respond resolves to the sent message");
}

/// Sends `count` texts from `chat` ("label 0", "label 1", …), one after another.
async function sendMany(chat, count, label, options) {
  for (let i = 0; i < count; i += 1) await chat.sendTextMessage(`${label} ${i}`, options);
}

/// Every message of a conversation through `getMessages`, older page by older
/// page, then back through newer pages; returns both walks' texts.
async function walk(chat, options) {
  const older = [];
  let page = await chat.getMessages(options);
  const first = page;
  for (;;) {
    older.unshift(...page.data.map((m) => m.text));
    if (!page.hasNext) break;
    page = await page.nextPage();
  }
  check(!page.hasNext && page.hasPrev === (page !== first), "the oldest page has no next and a prev");
  const newer = page.data.map((m) => m.text);
  while (page.hasPrev) {
    page = await page.prevPage();
    newer.push(...page.data.map((m) => m.text));
  }
  return { older, newer };
}

/// SignalWire (seed 002): conversations by address, paged both ways,
/// subscribed to, sent to, joined.
export async function runSignalWire(connect) {
  const [ann, bob, cat, dan, eve] = [await connect("Ann"), await connect("Bob"), await connect("Cat"), await connect("Dan"), await connect("Eve")];
  // 250 in the meeting, 250 between Ann and Bob, and Cat's private ones to each, which never belong to Ann and Bob's.
  await sendMany(dan, 125, "meeting dan");
  await sendMany(eve, 125, "meeting eve");
  await sendMany(ann, 125, "ann to bob", { targetUserIds: [bob.selfId] });
  await sendMany(cat, 10, "cat to ann", { targetUserIds: [ann.selfId] });
  await sendMany(bob, 125, "bob to ann", { targetUserIds: [ann.selfId] });
  await sendMany(cat, 10, "cat to bob", { targetUserIds: [bob.selfId] });

  const reader = await connect("Ann");
  const privately = await walk(reader, { addressId: bob.selfId, pageSize: 40 });
  const expected = [...Array(125).keys()].map((i) => `ann to bob ${i}`).concat([...Array(125).keys()].map((i) => `bob to ann ${i}`));
  check(privately.older.join("|") === expected.join("|"), "the private conversation pages back in order, only its own");
  check(privately.newer.join("|") === expected.join("|"), "and forward again in order");
  const publicLoaded = reader.messages.filter((m) => !m.isPrivate).length;
  check(publicLoaded <= 60, `a private conversation's history comes filtered by the server (${publicLoaded} public loaded)`);

  const inMeeting = await walk(reader, { pageSize: 60 });
  const meetingTexts = [...Array(125).keys()].map((i) => `meeting dan ${i}`).concat([...Array(125).keys()].map((i) => `meeting eve ${i}`));
  check(inMeeting.older.join("|") === meetingTexts.join("|"), "the meeting's conversation pages back without private messages");
  check(inMeeting.newer.join("|") === meetingTexts.join("|"), "and forward again");
  check((await reader.getMessages({ addressId: reader.meetingId, pageSize: 5 })).data.length === 5, "the meeting's id names its conversation");

  // The docs' samples as written: the address is the docs' own uuid, no one here.
  const docsPage = await reader.getMessages({ addressId: "9dbe9e94-c797-461e-b5a3-af6d095deaf4" });
  check(docsPage.data.length === 0 && !docsPage.hasNext, "an address that is no one here is an empty conversation");
  const { cancel: cancelDocs } = await reader.subscribe({
    addressId: "9dbe9e94-c797-461e-b5a3-af6d095deaf4",
    onMessage(msg) { console.log(msg); },
  });
  cancelDocs();
  // Without pageSize a page is the docs' default of 10, each a ConversationChatMessage.
  const tenNewest = await reader.getMessages({ addressId: bob.selfId });
  check(tenNewest.data.length === 10, `10 a page by default, as the docs say (${tenNewest.data.length})`);
  check(tenNewest.data.map((m) => m.text).join("|") === expected.slice(-10).join("|"), "the newest page, oldest to newest");
  for (const m of tenNewest.data) {
    const fromBob = m.text.startsWith("bob to ann");
    check(typeof m.id === "string" && m.id.length > 0, "id");
    check(m.conversation_id === bob.selfId, `conversation_id is the addressId Ann names it by (${m.conversation_id})`);
    check(m.user_id === (fromBob ? bob.selfId : ann.selfId), "user_id is the sender");
    check(typeof m.ts === "number" && Math.abs(m.ts - Date.now() / 1000) < 600, `ts is Unix epoch seconds (${m.ts})`);
    check(m.type === "message" && m.subtype === "chat", "type and subtype");
    check(typeof m.details === "object" && m.details !== null, "details");
    check(m.conversationId === undefined && m.userId === undefined && m.time === undefined, "not RealtimeKit's fields");
  }

  const heard = [];
  const meetingHeard = [];
  const { cancel } = await bob.subscribe({ addressId: ann.selfId, onMessage(msg) { heard.push(msg); } });
  const meetingSubscription = bob.subscribe({ onMessage: (msg) => meetingHeard.push(msg) });
  const sent = await ann.sendMessage({ addressId: bob.selfId, text: "Hello from SignalWire!", details: { kind: "greeting" } });
  await bob.sendMessage({ text: "to everyone" });
  await until("Bob hears Ann's", () => heard.length === 1 && meetingHeard.length === 1);
  check(heard[0].text === "Hello from SignalWire!" && meetingHeard[0].text === "to everyone", "each conversation's subscriber hears its own, once");
  check(heard[0].conversation_id === ann.selfId && heard[0].user_id === ann.selfId, "Bob names Ann's conversation by her id");
  check(heard[0].details.kind === "greeting" && heard[0].id === sent.id, "with its details and id");
  check(meetingHeard[0].conversation_id === bob.meetingId && meetingHeard[0].type === "message", "the meeting's by its id");
  const received = bob.messages.find((m) => m.message === "Hello from SignalWire!");
  check(received.details.kind === "greeting" && received.isPrivate, "details arrive like metadata, privately");
  check(received.conversationId === sent.conversationId && sent.conversationId.startsWith("private:"), "both sides name the conversation alike");
  check(bob.messages.find((m) => m.message === "to everyone").conversationId === bob.meetingId, "the meeting's conversation is the meeting's id");
  cancel();
  meetingSubscription.cancel();
  await ann.sendMessage({ addressId: bob.selfId, text: "after cancel" });
  await until("Bob gets it", () => bob.messages.some((m) => m.message === "after cancel"));
  check(heard.length === 1 && meetingHeard.length === 1, "a cancelled subscription hears nothing more");

  const changes = [];
  ann.on("conversationChange", ({ addressId }) => changes.push(addressId));
  await ann.join({ addressId: bob.selfId });
  await ann.join({});
  check(changes.join() === `${bob.selfId},`, "join makes a conversation current, and no addressId the meeting's");
  for (const chat of [ann, bob, cat, dan, eve, reader]) chat.disconnect();
}

/// SAMA (seed 001): text and several attachments in one message; a cancelled
/// upload fails only its message, which a retry sends.
export async function runSamaAttachments(annChat, bobChat) {
  const images = [await png(30, 20, "red"), await png(20, 30, "green"), await png(25, 25, "blue")];
  const files = [new File(["agenda"], "agenda.txt", { type: "text/plain" }), new File(["notes"], "notes.txt", { type: "text/plain" })];
  const sent = await annChat.sendMessage({ type: "text", message: "hey how is going?", attachments: [...images, ...files] });
  check(sent.attachments.length === 5 && sent.attachments.every((a) => a.link.startsWith("http")), "the sender's copy has every link");
  await until("Bob gets it", () => bobChat.messages.some((m) => m.message === "hey how is going?"));
  const got = bobChat.messages.find((m) => m.message === "hey how is going?");
  check(got.attachments.map((a) => a.name).join() === "red.png,green.png,blue.png,agenda.txt,notes.txt", "in order");
  const [first] = got.attachments;
  check(first.type === "image" && first.width === 30 && first.height === 20 && first.blurhash && first.thumbnailLink, "images carry their size, blurhash and thumbnail");
  check(got.attachments[3].type === "file" && got.attachments[3].size === 6, "files carry name, size, type");
  check((await fetch(got.attachments[4].link).then((r) => r.text())) === "notes", "each link serves its file");

  // An edit changes the text and removes attachments, never adds one.
  await annChat.editMessage(sent.id, { type: "text", message: "two left", attachments: [sent.attachments[0], sent.attachments[4].fileId] });
  await until("Bob sees the edit", () => bobChat.messages.some((m) => m.id === sent.id && m.message === "two left"));
  const edited = bobChat.messages.find((m) => m.id === sent.id);
  check(edited.attachments.map((a) => a.name).join() === "red.png,notes.txt" && edited.isEdited, "the kept attachments, in order");

  // A big upload cancelled: only that message fails, and a retry sends it.
  const controller = new AbortController();
  const big = new File([new Uint8Array(4 * 1024 * 1024)], "big.bin", { type: "application/octet-stream" });
  const pending = annChat.sendMessage({ type: "text", message: "with a big one", attachments: [images[0], big], signal: controller.signal });
  await until("it uploads", () => annChat.messages.some((m) => m.message === "with a big one" && m.status === "uploading"));
  controller.abort();
  const error = await pending.then(() => null, (e) => e);
  check(error?.code === "upload_failed", `a cancelled upload fails its message (${error?.code})`);
  const failed = annChat.messages.find((m) => m.message === "with a big one");
  check(failed.status === "failed" && failed.error.code === "upload_failed", "shown failed");
  await annChat.sendTextMessage("still talking");
  await until("Bob hears the next one", () => bobChat.messages.some((m) => m.message === "still talking"));
  check(!bobChat.messages.some((m) => m.message === "with a big one"), "the failed message never went");
  const retried = await annChat.retryMessage(failed.clientId);
  check(retried.attachments.length === 2, "a retry sends it whole");
  await until("Bob gets the retried one", () => bobChat.messages.some((m) => m.message === "with a big one"));

  // RealtimeKit's single-file messages keep their shape.
  const single = await annChat.sendMessage({ type: "image", image: images[1] });
  check(single.type === "image" && single.link && single.attachments === undefined, "a lone image is an image message");
}
