// A Vite app using the installed package: the headless API and the panel.
import { connect, mountChatPanel } from "meeting-chat";
import "meeting-chat/style.css";

const params = new URLSearchParams(location.search);
const query = new URLSearchParams({ name: params.get("name") ?? "Vite", meeting: params.get("meeting") ?? "vite" });
const { token } = await (await fetch(`/dev/token?${query}`)).json();
const chat = await connect({ url: `ws://${location.host}/ws`, token });
const updates = [];
chat.on("chatUpdate", ({ action, message }) => updates.push({ action, text: message?.message }));
const panel = await mountChatPanel(document.getElementById("chat"), chat, { title: "Vite chat" });
globalThis.consumer = { chat, panel, updates };
