// Compiled with `tsc --noEmit` in CI: every API in meeting-chat.d.ts used as
// a page would, so a wrong or missing type fails the build.
import {
  MeetingChat,
  connect,
  load,
  mountChatPanel,
  protocolVersion,
  type ChatError,
  type ChatMute,
  type ChatPoll,
  type ChatPolls,
  type ChatReport,
  type Message,
  type MountedPanel,
  type Page,
} from "../meeting-chat";
import type { MeetingChatElement } from "../meeting-chat-element";
import * as headless from "../meeting-chat-headless";

async function demo(token: string, image: File, file: File, recording: Blob): Promise<void> {
  const version: number = protocolVersion();
  const chat = await MeetingChat.connect({ url: "wss://chat.example.com/ws", token, storageKey: `k${version}` });

  chat.on("chatUpdate", ({ action, message, messages }) => {
    const count: number = messages.length;
    if (action === "add" && message && message.type === "text") {
      const text: string = message.message;
      console.log(text, count);
    }
  });
  chat.on("pinMessage", ({ message }) => console.log(message.id));
  chat.once("unpinMessage", ({ message }) => console.log(message.pinned));
  const onDelete = ({ messageId, forMe }: { messageId: string; forMe: boolean }) => console.log(messageId, forMe);
  chat.on("deleteMessage", onDelete);
  chat.off("deleteMessage", onDelete);
  chat.on("rateLimited", ({ bucket, retryAfterMs }) => console.log(bucket, retryAfterMs));
  chat.on("rateLimitReset", ({ bucket }) => console.log(bucket));
  chat.on("typingUpdate", ({ typists, count }) => console.log(typists.join(", "), count));
  chat.on("reactionUpdate", ({ message, emoji, participantId, added }) =>
    console.log(message.reactions.find((r) => r.emoji === emoji)?.count, participantId, added));
  chat.on("connectionStateChange", ({ state }) => console.log(state === "reconnecting"));

  const controller = new AbortController();
  const sent: Message = await chat.sendTextMessage("hi @Bob", { targetUserIds: ["bob"], mentions: ["bob"], metadata: { mood: "ok" } });
  console.log(sent.mentions.includes("bob"));
  await chat.sendImageMessage(image, { onProgress: ({ loaded, total }) => console.log(loaded / total), signal: controller.signal });
  await chat.sendFileMessage(file, { replyTo: sent.id });
  await chat.sendAudioMessage(recording);
  await chat.sendMessage({ type: "text", message: "generic" });
  await chat.sendMessage({ type: "image", file: image });
  await chat.sendMessage({ type: "image", image });
  const several = await chat.sendMessage({ type: "text", message: "hey how is going?", attachments: [image, file] });
  if (several.type === "text") {
    for (const a of several.attachments ?? []) console.log(a.name, a.size, a.link, a.width, a.blurhash, a.progress?.loaded);
    await chat.editMessage(several.id, { type: "text", message: "one left", attachments: [several.attachments![0]] });
  }
  await chat.editMessage(sent.id, { type: "image", image });
  const pong: Message = await sent.respond("pong", { metadata: { bot: true } });
  chat.on("message", async (cm) => {
    if (cm.body === "ping") await cm.respond("pong");
    await cm.message(`noted: ${cm.body}`);
  });
  console.log(pong.replyTo);
  await chat.editTextMessage(sent.id, "edited");
  await chat.editImageMessage(sent.id, image);
  await chat.editFileMessage(sent.id, file);
  await chat.editMessage(sent.id, { type: "text", message: "again" });
  await chat.deleteMessage(sent.id, { forMe: true });
  await chat.pin(sent.id);
  await chat.unpin(sent.id);
  await chat.updateSettings({ anyoneCanPin: true });
  await chat.updateSettings({ whoCanSend: "hosts", slowModeSecs: 10 });
  await chat.updateSettings({ whoCanSend: "nobody", privateChat: "hosts" });
  await chat.muteInChat("bob", { minutes: 10 });
  await chat.muteInChat("bob");
  await chat.unmuteInChat("bob");
  const mute: ChatMute | undefined = chat.mutes[0];
  console.log(mute?.participantId, mute?.until, chat.sendStatus.until);
  chat.on("mutesUpdate", () => console.log(chat.mutes.length));
  await chat.removeFromChat("bob", { deleteMessages: true });
  await chat.removeFromChat("bob");
  console.log(chat.mutes[0]?.removed === true, chat.connectionState === "removed");
  await chat.reportMessage("m1", "spam");
  await chat.dismissReports("m1");
  const report: ChatReport | undefined = chat.reports[0];
  console.log(report?.messageId, report?.by, report?.byName, report?.reason, report?.time);
  chat.on("reportsUpdate", () => console.log(chat.reports.length));
  const polls: ChatPolls = chat.polls;
  await polls.create("Lunch?", ["Noodles", "Salad"], true, false);
  await polls.create("Which days?", ["Mon", "Tue", "Wed"], false, true, true);
  const poll: ChatPoll | undefined = polls.items[0];
  if (poll) {
    await polls.vote(poll.id, 0);
    await polls.vote(poll.id, [0, 2]);
    await polls.close(poll.id);
    const option = poll.options[0];
    console.log(poll.question, poll.anonymous, poll.hideVotes, poll.multiple, poll.createdBy, poll.createdByUserId,
      poll.voted, poll.chosen, poll.closed, poll.time, option?.text, option?.count, option?.votes[0]?.name);
  }
  const onPolls = ({ polls: all, newPoll }: { polls: ChatPoll[]; newPoll: boolean }) => console.log(all.length, newPoll);
  polls.on("pollsUpdate", onPolls);
  polls.once("pollsUpdate", onPolls);
  polls.off("pollsUpdate", onPolls);
  chat.on("pollsUpdate", ({ polls: all }) => console.log(all.length));
  const found = await chat.searchParticipants({ query: "ad", limit: 20 });
  const more = found.next ? await chat.searchParticipants({ query: "ad", after: found.next }) : found;
  const status = chat.sendStatus;
  console.log(more.participants[0]?.displayName, found.count, chat.participantCount, chat.settings.whoCanSend, chat.settings.privateChat,
    status.canSend, status.reason, status.retryAfterMs);
  await chat.forwardMessage(sent.id, { targetUserIds: ["cat"] });
  try {
    await chat.retryMessage(sent.clientId);
  } catch (e) {
    const error = e as ChatError;
    console.log(error.code, error.retryable, error.retryAfterMs);
  }
  chat.discardMessage(sent.clientId);

  const byUser: Message[] = chat.getMessagesByUser(chat.selfId ?? "");
  const images = chat.getMessagesByType("image");
  for (const m of images) {
    if (m.type === "image") console.log(m.width, m.blurhash, m.thumbnailLink, m.link);
  }
  let page: Page | null = await chat.getMessages({ pageSize: 20 });
  while (page && page.hasNext) page = await page.nextPage();
  while (page && page.hasPrev) page = await page.prevPage();
  const privately = await chat.getMessages({ addressId: "bob", pageSize: 10 });
  const { cancel } = await chat.subscribe({
    addressId: "bob",
    onMessage(msg) { console.log(msg.conversation_id, msg.user_id, msg.ts.toFixed(3), msg.type, msg.subtype, msg.text, msg.details); },
  });
  cancel();
  await chat.sendMessage({ addressId: "bob", text: "Hello from SignalWire!", details: { kind: "greeting" } });
  await chat.join({ addressId: "bob" });
  chat.on("conversationChange", ({ addressId }) => console.log(addressId ?? "the meeting", privately.data.length));
  const csv: string = chat.exportCsv();
  console.log(byUser.length, csv, chat.pinned, chat.participants[0]?.role, chat.connectionState, chat.meetingId, chat.canPin);
  console.log(chat.self?.displayName, chat.messages[0]?.status);
  await chat.react(sent.id, "👍");
  await chat.unreact(sent.id, "👍");
  const told: boolean = chat.typing();
  console.log(told, chat.typists.length, chat.typingCount);
  chat.reconnect();
  chat.disconnect();
  chat.free();
}

void demo;

// The facade: load, connect, mount; and the custom element.
async function mountBoth(host: HTMLElement, token: string): Promise<void> {
  await load(new URL("./pkg/meeting-chat_bg.wasm", "https://example.com/"));
  const chat: MeetingChat = await connect({ url: "wss://chat.example.com/ws", token });
  const mine: MountedPanel = await mountChatPanel(host, chat, { lang: "de", strings: { send: "Los" }, title: "Team" });
  mine.destroy();
  const owned = await mountChatPanel(host, { url: "wss://chat.example.com/ws", token });
  console.log(owned.chat.connectionState);
  owned.destroy();

  const element = document.createElement("meeting-chat");
  element.setAttribute("token", token);
  element.addEventListener("ready", (event) => console.log(event.detail.chat.messages.length));
  element.addEventListener("error", (event) => console.log(event.detail));
  const found: MeetingChatElement | null = document.querySelector("meeting-chat");
  console.log(found?.chat?.selfId);
}
void mountBoth;

// The headless entry: the same API, no panel.
async function headlessApp(token: string): Promise<void> {
  await headless.load();
  const chat: headless.MeetingChat = await headless.connect({ url: "wss://chat.example.com/ws", token });
  const page: headless.Page = await chat.getMessages({ pageSize: 10 });
  console.log(page.data.length, headless.protocolVersion());
  // @ts-expect-error the headless entry has no panel
  void headless.mountChatPanel;
}
void headlessApp;
