// The headless entry through webpack: the JS API and no panel.
import { connect } from "meeting-chat/headless";

async function main() {
  const params = new URLSearchParams(location.search);
  const query = new URLSearchParams({ name: params.get("name") ?? "Webpack", meeting: params.get("meeting") ?? "webpack" });
  const { token } = await (await fetch(`/dev/token?${query}`)).json();
  const chat = await connect({ url: `ws://${location.host}/ws`, token });
  const received = [];
  chat.on("message", (message) => received.push(message.body));
  globalThis.consumer = { chat, received };
}
main();
