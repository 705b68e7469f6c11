// The panel in a React app: a component mounts it into its element once and
// destroys it when it unmounts (the book's React recipe, built and run by CI).
// Plain `createElement` rather than JSX, so the app needs no compiler plugin.
import { createElement, useEffect, useRef, useState } from "react";
import { createRoot } from "react-dom/client";
import { mountChatPanel } from "meeting-chat";
import "meeting-chat/style.css";

// ANCHOR: component
function Chat({ url, token, title }) {
  const element = useRef(null);
  useEffect(() => {
    let panel;
    let gone = false;
    mountChatPanel(element.current, { url, token }, { title }).then((mounted) => {
      if (gone) mounted.destroy();
      else panel = mounted;
    });
    return () => {
      gone = true;
      panel?.destroy();
    };
  }, [url, token, title]);
  return createElement("div", { ref: element, className: "chat" });
}
// ANCHOR_END: component

function App() {
  const [token, setToken] = useState(null);
  useEffect(() => {
    const params = new URLSearchParams(location.search);
    const query = new URLSearchParams({ name: params.get("name") ?? "React", meeting: params.get("meeting") ?? "react" });
    fetch(`/dev/token?${query}`).then((r) => r.json()).then(({ token }) => setToken(token));
  }, []);
  return token && createElement(Chat, { url: `ws://${location.host}/ws`, token, title: "React chat" });
}

createRoot(document.getElementById("root")).render(createElement(App));
