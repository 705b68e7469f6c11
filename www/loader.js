// Each entry's load() and connect(): the entry's WebAssembly is fetched and
// instantiated once, on first use, never on import (so Node and server
// renderers can import any entry).
export function entryLoader(init, MeetingChat) {
  let loading;
  /** Loads the WebAssembly module (once); pass a URL to load it from elsewhere. */
  const load = (wasmUrl) => (loading ??= init(wasmUrl === undefined ? undefined : { module_or_path: wasmUrl }));
  /** Connects to a chat server: `connect({ url, token })`. */
  const connect = async (options) => {
    await load();
    return MeetingChat.connect(options);
  };
  return { load, connect };
}
