// Hand-written types for the meeting-chat JS API ("meeting-chat/headless", and
// re-exported by "meeting-chat" with the panel). The wasm-bindgen output types
// every argument as `any`; these are the real shapes.

/** What a message carries. `deleted` is a tombstone: deleted for everyone. */
export type MessageType = "text" | "image" | "file" | "audio";

/** Where a message stands: confirmed by the server, or still local. */
export type MessageStatus = "sent" | "pending" | "uploading" | "failed";

interface BaseMessage<T extends MessageType | "deleted"> {
  type: T;
  /** The server's id; for a local message not yet confirmed, its `clientId`. */
  id: string;
  /** The sender's own id for the message, stable from sending to confirmation. */
  clientId: string;
  /** The meeting-wide order of a confirmed message. */
  seq?: number;
  userId: string;
  displayName: string;
  /** An app sent it: a bot, or a service's puppet. */
  isBot?: boolean;
  time: Date;
  isEdited: boolean;
  editedAt?: Date;
  pinned: boolean;
  /** One entry per emoji, in the order each was first used; `me` when one of them is yours. */
  reactions: Reaction[];
  /** Whether you have read it (your own always): its conversation's read position is at or past it. */
  readonly read: boolean;
  /** With read receipts on, on your own messages: how many others have read it. */
  readonly seenBy?: number;
  /** Recipients of a private message besides its sender; empty for everyone. */
  targetUserIds: string[];
  /** Participants the text mentions. */
  mentions: string[];
  isPrivate: boolean;
  replyTo?: string;
  forwardedFrom?: string;
  metadata: Record<string, unknown>;
  /** SignalWire's extra event details, kept like `metadata`. */
  details: Record<string, unknown>;
  /**
   * The conversation it is in: the meeting's id for a message to everyone, else `private:` and everyone in it,
   * named alike on every side.
   */
  conversationId?: string;
  status: MessageStatus;
  /** While `status` is `uploading`. */
  progress?: { loaded: number; total: number };
  /** When `status` is `failed`. */
  error?: { code: string; message: string; retryable: boolean };
  /**
   * Answers in this message's conversation, as a reply, to the same audience (a private message's answer stays
   * private). Resolves to the sent message. Only confirmed messages can be answered.
   */
  respond(text: string, options?: Pick<SendOptions, "metadata">): Promise<Message>;
}

/**
 * `message(text)` writes in a message's conversation, to the same audience, not as a reply. A text message's own
 * field `message` (the text, as RealtimeKit names it) hides it there; the `message` event's {@link SelfMessage}
 * offers it on every message.
 */
interface WritesInConversation {
  message(text: string, options?: Pick<SendOptions, "metadata">): Promise<Message>;
}

/** A file a text message carries (SAMA's attachments); while sending, `progress` instead of `link`. */
export interface Reaction {
  emoji: string;
  count: number;
  me: boolean;
}

export interface MessageAttachment {
  type: "image" | "file" | "audio";
  name: string;
  size: number;
  link?: string;
  contentType?: string;
  fileId?: string;
  width?: number;
  height?: number;
  blurhash?: string;
  thumbnailLink?: string;
  progress?: { loaded: number; total: number };
}

export interface TextMessage extends BaseMessage<"text"> {
  /** The text; empty when the message is its attachments alone. */
  message: string;
  /** Up to 10 files, in order. */
  attachments?: MessageAttachment[];
}

interface FileFields {
  /** An absolute, signed, expiring URL (absent while uploading). */
  link?: string;
  name: string;
  size: number;
  contentType?: string;
  fileId?: string;
}

export interface ImageMessage extends BaseMessage<"image">, FileFields, WritesInConversation {
  width?: number;
  height?: number;
  blurhash?: string;
  thumbnailLink?: string;
}

export interface FileMessage extends BaseMessage<"file">, FileFields, WritesInConversation {}

export interface AudioMessage extends BaseMessage<"audio">, FileFields, WritesInConversation {}

export interface DeletedMessage extends BaseMessage<"deleted">, WritesInConversation {
  isDeleted: true;
}

export type Message = TextMessage | ImageMessage | FileMessage | AudioMessage | DeletedMessage;

export interface Participant {
  id: string;
  displayName: string;
  role: "host" | "participant" | "bot" | "service";
}

/**
 * A host's settings: who may pin; who may send (a webinar lets only hosts; "nobody" turns the chat off for
 * participants, who then neither send, react nor type, while hosts and apps still may); slow mode (0 is off);
 * read receipts; whom participants may message privately ("hosts": only hosts who are here).
 */
export interface MeetingSettings {
  anyoneCanPin: boolean;
  whoCanSend: "everyone" | "hosts" | "nobody";
  slowModeSecs: number;
  readReceipts: boolean;
  privateChat: "everyone" | "hosts" | "nobody";
}

/** Unread messages from others in one conversation (`addressId` null for the meeting's), mentions of you among them. */
export interface UnreadCount {
  addressId: string | null;
  count: number;
  mentions: number;
}

/** Whether this user may send now; if not, why (`retryAfterMs` for slow mode). */
export interface SendStatus {
  canSend: boolean;
  reason?: "hosts_only" | "chat_off" | "muted" | "slow_mode";
  retryAfterMs?: number;
  /** For `muted`: until when (ms since the epoch); absent while the mute lasts until a host lifts it. */
  until?: number;
}

/**
 * A participant a host muted in the chat; `until` in ms since the epoch, absent until a host unmutes them;
 * `removed` when a host removed them from the chat (their connections refused until let back).
 */
export interface ChatMute {
  participantId: string;
  until?: number;
  removed?: boolean;
}

/** An open report of a message to the hosts; `time` in ms since the epoch. */
export interface ChatReport {
  messageId: string;
  by: string;
  byName: string;
  reason: string;
  time: number;
}

/** A voter for a poll's option. */
export interface ChatPollVote {
  id: string;
  name: string;
}

/** A poll's option: `votes` names its first 20 voters (none when anonymous, or while counts are hidden); `count` is all. */
export interface ChatPollOption {
  text: string;
  votes: ChatPollVote[];
  count: number;
}

/**
 * A poll, in RealtimeKit's shape: `voted` holds you once you voted, `chosen` your options (none for an anonymous
 * poll); while `hideVotes` and not `closed`, counts are 0 for all but hosts; `time` in ms since the epoch.
 */
export interface ChatPoll {
  id: string;
  question: string;
  options: ChatPollOption[];
  anonymous: boolean;
  hideVotes: boolean;
  multiple: boolean;
  createdBy: string;
  createdByUserId: string;
  voted: string[];
  chosen: number[];
  closed: boolean;
  time: number;
}

/** A meeting's polls (`chat.polls`), as RealtimeKit's `meeting.polls`. */
export declare class ChatPolls {
  private constructor();
  /** Every poll, oldest first. */
  readonly items: ChatPoll[];
  /** Hosts: asks `question` with 2 to 10 different options; `multiple` lets a ballot choose several. */
  create(question: string, options: string[], anonymous?: boolean, hideVotes?: boolean, multiple?: boolean): Promise<void>;
  /** Votes once in an open poll: one option index, or several (an array) where the poll allows. */
  vote(pollId: string, optionIndex: number | number[]): Promise<void>;
  /** Hosts: closes a poll; its counts then show to everyone. */
  close(pollId: string): Promise<void>;
  on(event: "pollsUpdate", listener: (payload: ChatEvents["pollsUpdate"]) => void): void;
  once(event: "pollsUpdate", listener: (payload: ChatEvents["pollsUpdate"]) => void): void;
  off(event: "pollsUpdate", listener: (payload: ChatEvents["pollsUpdate"]) => void): void;
  free(): void;
}

/** A page of the participants connected now, by name; pass `next` as `after` for more. */
export interface ParticipantsPage {
  participants: Participant[];
  next?: string;
  count: number;
}

export type ConnectionState = "connecting" | "connected" | "reconnecting" | "authFailed" | "removed" | "closed";

/** Error codes: the server's, plus the client's own. */
export type ChatErrorCode =
  | "bad_frame" | "frame_too_large" | "unsupported_version" | "already_authenticated" | "invalid_request"
  | "text_too_long" | "metadata_too_large" | "too_many_targets" | "invalid_attachment" | "too_many_attachments" | "not_found"
  | "forbidden" | "message_deleted" | "rate_limited" | "hosts_only" | "chat_off" | "private_chat_restricted" | "muted"
  | "slow_mode"
  | "rejected" | "hook_unavailable"
  | "too_many_reactions" | "search_too_broad" | "poll_closed" | "already_voted" | "internal"
  | "not_connected" | "disconnected" | "upload_failed" | "auth_failed" | "invalid_argument";

/** Every rejected promise and thrown error is an `Error` with a `code`. */
export interface ChatError extends Error {
  code: ChatErrorCode;
  retryable?: boolean;
  retryAfterMs?: number;
}

export interface ConnectOptions {
  /** The server's socket, e.g. `wss://chat.example.com/ws`. */
  url: string;
  /** A token minted by the meeting page's backend. */
  token: string;
  /** Where unsent messages are kept across reloads (defaults per meeting and participant). */
  storageKey?: string;
}

export interface SendOptions {
  replyTo?: string;
  /** Make the message private to these participants (and the sender). */
  targetUserIds?: string[];
  /** Participants the text mentions (at most 100; in a private message, only its members count). */
  mentions?: string[];
  /** Application data, a JSON object; with `details`, at most 4 KiB. */
  metadata?: Record<string, unknown>;
  /** Extra event details (SignalWire's), kept and delivered like `metadata`. */
  details?: Record<string, unknown>;
  /** Upload progress of a file, image or audio message. */
  onProgress?: (progress: { loaded: number; total: number }) => void;
  /** Cancels the upload. */
  signal?: AbortSignal;
}

/** RealtimeKit's shapes: an image is `image`, any other file `file` (`file` is taken for an image too). */
export type NewMessage =
  | ({ type: "text"; message: string; attachments?: Blob[] } & SendOptions)
  | ({ type: "image"; image: Blob } & SendOptions)
  | ({ type: "image" | "file" | "audio"; file: Blob } & SendOptions);

export type MessageEdit =
  /** `attachments`: those to keep (fileIds or the message's attachment objects); an edit never adds one. */
  | { type: "text"; message: string; attachments?: (string | MessageAttachment)[] }
  | { type: "image"; image: Blob }
  | { type: "image" | "file" | "audio"; file: Blob };

/**
 * A new message from someone else as the `message` event hands it, shaped like Self's chat messages: the text as
 * `body`, and `message(text)` answering in the same conversation on every kind of message.
 */
export type SelfMessage = Omit<Message, "message"> &
  WritesInConversation & {
    readonly body: string;
  };

/**
 * A message as SignalWire's Chat namespace hands it (`getMessages`, `subscribe`), with its docs' fields.
 * `conversation_id` is the `addressId` you name the conversation by: the meeting's id for the meeting's, the other
 * participant's id for a private one. A file message's `text` is the file's name.
 */
export interface ConversationChatMessage {
  id: string;
  conversation_id: string;
  user_id: string;
  /** When it was sent, in Unix epoch seconds (with milliseconds as the fraction). */
  ts: number;
  details: Record<string, unknown>;
  type: "message";
  subtype: "chat";
  text: string;
  metadata: Record<string, unknown>;
}

/**
 * A page of one conversation. Pages go from the newest back: `nextPage()` gives older messages, `prevPage()` newer
 * ones; each page's `data` runs from its oldest message to its newest.
 */
export interface Page {
  data: ConversationChatMessage[];
  hasNext: boolean;
  hasPrev: boolean;
  nextPage(): Promise<Page | null>;
  prevPage(): Promise<Page | null>;
}

/** A page of search hits, newest first; `nextPage()` gives older ones (`null` when there are none). */
export interface SearchPage {
  messages: Message[];
  hasMore: boolean;
  nextPage(): Promise<SearchPage | null>;
}

/** Names a conversation: a participant's id for the private one with them; none (or the meeting's id) for the meeting's. */
export interface Address {
  addressId?: string;
}

/**
 * SignalWire's `sendMessage`: a text in the conversation `addressId` names. An `addressId` may name someone who has
 * not joined yet (as SignalWire creates a conversation for a new address): the message waits for them, and they read it
 * in that conversation's history when they join under that id. Nobody else sees it, so a mistyped id reaches no one;
 * check `participants` (or `searchParticipants`) first when the id comes from a person.
 */
export interface AddressedMessage extends Address {
  text: string;
  metadata?: Record<string, unknown>;
  details?: Record<string, unknown>;
}

export type ChatUpdateAction = "add" | "edit" | "delete" | "remove" | "pending" | "discard" | "page" | "reset";

export interface ChatEvents {
  chatUpdate: { action: ChatUpdateAction; message: Message | undefined; messages: readonly Message[] };
  /** Each new message from someone else, once (not one's own, not history pages). */
  message: SelfMessage;
  /** The current conversation changed (`join`, or the panel's selector); no `addressId` is the meeting's. */
  conversationChange: { addressId: string | undefined };
  pinMessage: { message: Message };
  unpinMessage: { message: Message };
  deleteMessage: { messageId: string; forMe: boolean; message: Message | undefined };
  /** A bucket refused: `search` for searches (at most 30 a minute), the others for sends. */
  rateLimited: { bucket: "text" | "file" | "search"; retryAfterMs: number };
  rateLimitReset: { bucket: "text" | "file" | "search" };
  connectionStateChange: { state: ConnectionState };
  participantsUpdate: undefined;
  settingsUpdate: undefined;
  /** Who is muted in the chat changed (see `mutes`): you were muted or unmuted, or as a host anyone. */
  mutesUpdate: undefined;
  reportsUpdate: undefined;
  /** A poll was created (`newPoll`), voted in, counted or closed; `polls` are all of them (see `polls.items`). */
  pollsUpdate: { polls: ChatPoll[]; newPoll: boolean };
  /** Who is typing changed; `typists` are the conversation being viewed's (see `typists`), `count` how many in all (see `typingCount`). */
  typingUpdate: { typists: string[]; count: number };
  /** Someone added (or took off) a reaction; `message` carries the counts now. */
  reactionUpdate: { message: Message; emoji: string; participantId: string; added: boolean };
  /** Unread counts or read positions changed (here, on another of your devices, or others' with read receipts on). */
  unreadUpdate: { counts: UnreadCount[] };
}

export declare class MeetingChat {
  private constructor();
  /** Connects; resolves once joined and the newest messages are loaded. */
  static connect(options: ConnectOptions): Promise<MeetingChat>;

  /** Loaded messages, oldest first, then unsent ones. The same array, kept up to date. */
  readonly messages: readonly Message[];
  readonly pinned: Message[];
  readonly selfId: string | undefined;
  readonly self: Participant | null;
  /** Who is here as far as this client knows: everyone in a small meeting; in a large one, hosts and a first page. */
  readonly participants: Participant[];
  /** How many are here, in a meeting of any size. */
  readonly participantCount: number;
  readonly settings: MeetingSettings;
  readonly sendStatus: SendStatus;
  /** Who is muted in the chat now: you, if a host muted you; for a host, everyone. */
  readonly mutes: ChatMute[];
  /** Open reports: your own, or for a host everyone's, oldest first. */
  readonly reports: ChatReport[];
  /** The meeting's polls: RealtimeKit's `meeting.polls`. */
  readonly polls: ChatPolls;
  readonly connectionState: ConnectionState;
  readonly meetingId: string | undefined;
  readonly canPin: boolean;
  /** Who is typing in the conversation being viewed, by display name (each shows 6 s unless renewed, or until their message). */
  readonly typists: string[];
  /** How many are typing there: `typists.length`, or more in a large meeting (above 500 people), where only the first three are named. */
  readonly typingCount: number;
  /** Unread messages from others, in every conversation together. */
  readonly unreadCount: number;
  /** Unread messages per conversation, the meeting's first; kept by the server, so they follow you across devices. */
  readonly unreadCounts: UnreadCount[];
  /** Marks a conversation (`addressId` names a private one) read up to its newest message; your other devices follow. */
  markRead(options?: Address): Promise<void>;

  sendTextMessage(text: string, options?: SendOptions): Promise<Message>;
  sendImageMessage(file: Blob, options?: SendOptions): Promise<Message>;
  sendFileMessage(file: Blob, options?: SendOptions): Promise<Message>;
  sendAudioMessage(file: Blob, options?: SendOptions): Promise<Message>;
  sendMessage(message: NewMessage | AddressedMessage): Promise<Message>;
  editTextMessage(id: string, text: string): Promise<void>;
  editImageMessage(id: string, file: Blob): Promise<void>;
  editFileMessage(id: string, file: Blob): Promise<void>;
  editMessage(id: string, edit: MessageEdit): Promise<void>;
  deleteMessage(id: string, options?: { forMe?: boolean }): Promise<void>;
  pin(id: string): Promise<void>;
  unpin(id: string): Promise<void>;
  /** Adds your reaction (one emoji) to a message; a message carries at most 20 different emoji. */
  react(id: string, emoji: string): Promise<void>;
  /** Takes your reaction off a message. */
  unreact(id: string, emoji: string): Promise<void>;
  /** Hosts: changes the settings given, keeping the others. */
  updateSettings(settings: Partial<MeetingSettings>): Promise<void>;
  /**
   * Hosts: mutes a participant in the chat for `minutes` (1 to 1440) or, without, until unmuted: their sends,
   * reactions and typing are refused with `muted`; nobody else is told. Hosts and apps are never muted.
   */
  muteInChat(participantId: string, options?: { minutes?: number }): Promise<void>;
  /**
   * Hosts: removes a participant from the chat: their connections close (`connectionState` `"removed"` on their
   * side) and are refused until a host lets them back with `unmuteInChat`; with `deleteMessages`, every message they
   * sent is deleted for everyone, in one event. Hosts and apps are never removed.
   */
  removeFromChat(participantId: string, options?: { deleteMessages?: boolean }): Promise<void>;
  /** Reports someone else's message to the hosts with a reason (1 to 500 characters), once per message. */
  reportMessage(id: string, reason: string): Promise<void>;
  /** Hosts: closes a message's open reports, keeping the message. */
  dismissReports(messageId: string): Promise<void>;
  /** Hosts: lifts a participant's mute in the chat, or lets them back after a removal. */
  unmuteInChat(participantId: string): Promise<void>;
  /** Participants connected now, searched by name on the server, a page at a time. */
  searchParticipants(options?: { query?: string; after?: string; limit?: number }): Promise<ParticipantsPage>;
  forwardMessage(id: string, options?: SendOptions): Promise<Message>;
  retryMessage(clientId: string): Promise<Message>;
  discardMessage(clientId: string): void;
  getMessagesByUser(userId: string): Message[];
  getMessagesByType(type: MessageType): Message[];
  /**
   * Searches the messages you may see (private ones only yours, deleted ones never): every word of `query` must
   * start a word of a message's text, whatever its case (a one-letter word must be a whole word). `addressId` keeps
   * to one private conversation. At most 8 words (else `invalid_request`); at most 30 searches (pages included) a
   * minute (else `rate_limited` with `retryAfterMs`); a search the server cannot answer within a second is refused
   * with `search_too_broad`.
   */
  searchMessages(query: string, options?: Address & { limit?: number }): Promise<SearchPage>;
  /**
   * The newest page of a conversation (the meeting's, or the private one `addressId` names): `pageSize` messages
   * (10 unless given, 1 to 100), older than the message `before` names if given. An `addressId` that is no one in
   * the meeting gives an empty conversation.
   */
  getMessages(options?: Address & { pageSize?: number; before?: string }): Promise<Page>;
  /** Calls `onMessage` with each new message of a conversation, once (one's own too, history pages not). */
  subscribe(options: Address & { onMessage(message: ConversationChatMessage): void }): { cancel(): void };
  /** Makes a conversation current without sending; the panel shows it. */
  join(options: Address): Promise<void>;
  /**
   * The loaded chat as CSV with RealtimeKit's columns; `payloadType` is `TEXT_MESSAGE`, `IMAGE_MESSAGE` or
   * `FILE_MESSAGE` and links are absolute. Messages deleted for everyone are left out.
   */
  exportCsv(): string;
  /**
   * Tells the conversation being viewed that you are typing; call it on every keystroke. A notice goes out at most once
   * every 3 s, never stored; returns whether one went now.
   */
  typing(): boolean;

  on<E extends keyof ChatEvents>(event: E, listener: (payload: ChatEvents[E]) => void): void;
  once<E extends keyof ChatEvents>(event: E, listener: (payload: ChatEvents[E]) => void): void;
  off<E extends keyof ChatEvents>(event: E, listener: (payload: ChatEvents[E]) => void): void;

  reconnect(): void;
  disconnect(): void;
  free(): void;
}

/** The chat protocol version this build speaks. */
export declare function protocolVersion(): number;

/** Loads the WebAssembly module once; pass a URL to serve the `.wasm` from elsewhere. */
export declare function load(wasmUrl?: string | URL): Promise<unknown>;

/** Loads the module if needed and connects: the same as `MeetingChat.connect`. */
export declare function connect(options: ConnectOptions): Promise<MeetingChat>;
