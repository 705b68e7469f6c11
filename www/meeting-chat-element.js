// <meeting-chat url="wss://…/ws" token="…" lang="en" title="Chat">: the whole
// panel from one tag. It connects when added to the page and disconnects when removed.
// Importing it where there is no DOM (a server rendering the page's modules)
// defines nothing and throws nothing; the element exists where a browser runs it.
import { mountChatPanel } from "./meeting-chat.js";

const ElementBase = globalThis.HTMLElement ?? class {};

class MeetingChatElement extends ElementBase {
  static observedAttributes = ["url", "token", "lang", "title"];

  async connectedCallback() {
    const url = this.getAttribute("url");
    const token = this.getAttribute("token");
    if (!url || !token) return;
    const generation = (this.generation = (this.generation ?? 0) + 1);
    this.style.display ||= "block";
    try {
      const mounted = await mountChatPanel(this, { url, token }, {
        lang: this.getAttribute("lang") ?? document.documentElement.lang ?? "en",
        title: this.getAttribute("title") ?? undefined,
      });
      if (generation !== this.generation || !this.isConnected) {
        mounted.destroy();
        return;
      }
      this.mounted = mounted;
      this.dispatchEvent(new CustomEvent("ready", { detail: { chat: mounted.chat } }));
    } catch (error) {
      this.dispatchEvent(new CustomEvent("error", { detail: error }));
    }
  }

  disconnectedCallback() {
    this.generation = (this.generation ?? 0) + 1;
    this.mounted?.destroy();
    this.mounted = undefined;
  }

  attributeChangedCallback(_name, oldValue, newValue) {
    if (oldValue !== newValue && this.isConnected && this.mounted) {
      this.disconnectedCallback();
      this.connectedCallback();
    }
  }

  /** The connected chat (the JS API), once ready. */
  get chat() {
    return this.mounted?.chat;
  }
}

if (globalThis.customElements && !customElements.get("meeting-chat")) {
  customElements.define("meeting-chat", MeetingChatElement);
}
export { MeetingChatElement };
