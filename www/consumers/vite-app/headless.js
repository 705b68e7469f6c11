// A Vite page using only the headless entry: the JS API, its own (no) UI.
import { connect } from "meeting-chat/headless";

const params = new URLSearchParams(location.search);
const query = new URLSearchParams({ name: params.get("name") ?? "Vite", meeting: params.get("meeting") ?? "vite" });
const { token } = await (await fetch(`/dev/token?${query}`)).json();
const chat = await connect({ url: `ws://${location.host}/ws`, token });
const received = [];
chat.on("message", (message) => received.push(message.body));
globalThis.consumer = { chat, received };
