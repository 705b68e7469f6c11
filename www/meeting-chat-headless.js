// meeting-chat/headless: the same JS API as "meeting-chat" without the panel,
// for apps that draw their own UI. Its WebAssembly holds no yew and no
// components, so a page importing only this entry never downloads the panel.
// A chat connected here is not a panel's: mount the panel from "meeting-chat".
import init, { MeetingChat, protocolVersion } from "./pkg/meeting-chat-headless.js";
import { entryLoader } from "./loader.js";

export const { load, connect } = entryLoader(init, MeetingChat);
export { MeetingChat, protocolVersion };
