// The package's entry point: loads the WebAssembly once, connects, and
// mounts the panel. `mountChatPanel` accepts a connected chat or connect options.
import init, { MeetingChat, mountChatPanel as mountInto, protocolVersion } from "./pkg/meeting-chat.js";
import { entryLoader } from "./loader.js";

export const { load, connect } = entryLoader(init, MeetingChat);

/**
 * Mounts the chat panel into `element` for a connected chat, or connects first
 * when given `{ url, token }`. Resolves to `{ chat, destroy() }`; `destroy`
 * disconnects too when this call made the connection.
 */
export async function mountChatPanel(element, chatOrOptions, options = {}) {
  await load();
  const owned = !(chatOrOptions instanceof MeetingChat);
  const chat = owned ? await MeetingChat.connect(chatOrOptions) : chatOrOptions;
  element.classList.add("mc-host");
  const panel = mountInto(element, chat, options);
  return {
    chat,
    destroy() {
      panel.destroy();
      if (owned) chat.disconnect();
    },
  };
}

export { MeetingChat, protocolVersion };
