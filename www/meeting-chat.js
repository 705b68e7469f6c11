// The package's entry point: loads the WebAssembly once, connects, and
// mounts the panel. `mountChatPanel` accepts a connected chat or connect options.
import init, { MeetingChat, mountChatPanel as mountInto, protocolVersion } from "./pkg/meeting-chat.js";
import { entryLoader } from "./loader.js";

export const { load, connect } = entryLoader(init, MeetingChat);

// The languages shipped besides English (built into the panel), each a module
// loaded only when a panel asks for it. Static specifiers, so every bundler
// emits each as a chunk of its own.
const languages = {
  ar: () => import("./locales/ar.js"),
  de: () => import("./locales/de.js"),
  es: () => import("./locales/es.js"),
  fr: () => import("./locales/fr.js"),
  hi: () => import("./locales/hi.js"),
  it: () => import("./locales/it.js"),
  ja: () => import("./locales/ja.js"),
  pt: () => import("./locales/pt.js"),
  zh: () => import("./locales/zh.js"),
};

/** The panel's language for a `lang` such as "de-AT", and its strings; English needs none. */
async function localeFor(lang = "en") {
  const base = String(lang).toLowerCase().split("-")[0];
  if (!Object.hasOwn(languages, base)) return { lang: "en", strings: {} };
  return { lang: base, strings: (await languages[base]()).default };
}

/**
 * Mounts the chat panel into `element` for a connected chat, or connects first
 * when given `{ url, token }`. Resolves to `{ chat, destroy() }`; `destroy`
 * disconnects too when this call made the connection.
 */
export async function mountChatPanel(element, chatOrOptions, options = {}) {
  const [{ lang, strings }] = await Promise.all([localeFor(options.lang), load()]);
  const owned = !(chatOrOptions instanceof MeetingChat);
  const chat = owned ? await MeetingChat.connect(chatOrOptions) : chatOrOptions;
  element.classList.add("mc-host");
  const panel = mountInto(element, chat, { ...options, lang, strings: { ...strings, ...options.strings } });
  return {
    chat,
    destroy() {
      panel.destroy();
      if (owned) chat.disconnect();
    },
  };
}

export { MeetingChat, protocolVersion };
