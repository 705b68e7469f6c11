// The panel through webpack: one mountChatPanel call with connect options, in
// German (a language module webpack splits into a chunk of its own).
import { mountChatPanel } from "meeting-chat";

async function main() {
  const params = new URLSearchParams(location.search);
  const query = new URLSearchParams({ name: params.get("name") ?? "Webpack", meeting: params.get("meeting") ?? "webpack" });
  const { token } = await (await fetch(`/dev/token?${query}`)).json();
  const panel = await mountChatPanel(document.getElementById("chat"), { url: `ws://${location.host}/ws`, token }, { title: "Webpack chat", lang: "de" });
  globalThis.consumer = { chat: panel.chat, panel };
}
main();
