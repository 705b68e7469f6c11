// Types of the <meeting-chat> custom element (import "meeting-chat/element").
import type { MeetingChat } from "./meeting-chat";

/** The element's own events, besides every HTMLElement event. */
export interface MeetingChatElementEventMap extends Omit<HTMLElementEventMap, "error"> {
  /** Connected and mounted. */
  ready: CustomEvent<{ chat: MeetingChat }>;
  /** Connecting or mounting failed (`detail` is the ChatError). */
  error: CustomEvent<unknown>;
}

/** `<meeting-chat url="wss://…/ws" token="…" lang="en" title="Chat">`: the whole panel from one tag. */
export declare class MeetingChatElement extends HTMLElement {
  /** The connected chat, once `ready` has fired. */
  readonly chat: MeetingChat | undefined;
  addEventListener<K extends keyof MeetingChatElementEventMap>(
    type: K,
    listener: (this: MeetingChatElement, event: MeetingChatElementEventMap[K]) => unknown,
    options?: boolean | AddEventListenerOptions,
  ): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions): void;
}

declare global {
  interface HTMLElementTagNameMap {
    "meeting-chat": MeetingChatElement;
  }
}
