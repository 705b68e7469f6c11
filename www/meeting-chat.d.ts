// Types of "meeting-chat": the whole JS API (see meeting-chat-headless.d.ts) and the panel.
import type { ConnectOptions, MeetingChat } from "./meeting-chat-headless";

export * from "./meeting-chat-headless";

/** Options of {@link mountChatPanel}. */
export interface PanelOptions {
  /**
   * The panel's language: `"en"` (default, built in), `"ar"` (right to left), `"de"`, `"es"`, `"fr"`, `"hi"`, `"it"`,
   * `"ja"`, `"pt"` or `"zh"` (their strings load when asked for; a region such as `"pt-BR"` uses its language);
   * others show English.
   */
  lang?: string;
  /** Overrides of single strings by key, e.g. `{ send: "Go" }`. */
  strings?: Record<string, string>;
  /** The panel's title (default: the locale's "Chat"). */
  title?: string;
}

/** A panel on the page. */
export interface MountedPanel {
  /** The chat it shows. */
  readonly chat: MeetingChat;
  /** Removes the panel; disconnects too when `mountChatPanel` made the connection. */
  destroy(): void;
}

/**
 * Mounts the whole chat panel into `element`, for a connected chat or for
 * connect options (then the panel owns the connection).
 */
export declare function mountChatPanel(
  element: Element,
  chatOrOptions: MeetingChat | ConnectOptions,
  options?: PanelOptions,
): Promise<MountedPanel>;
