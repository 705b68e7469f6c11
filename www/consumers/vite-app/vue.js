// The panel in a Vue app: a component mounts it into its element and destroys
// it when it unmounts (the book's Vue recipe, built and run by CI). A render
// function rather than a single-file component, so the app needs no plugin.
import { createApp, defineComponent, h, onMounted, onBeforeUnmount, ref } from "vue";
import { mountChatPanel } from "meeting-chat";
import "meeting-chat/style.css";

// ANCHOR: component
const Chat = defineComponent({
  props: { url: String, token: String, title: String },
  setup(props) {
    const element = ref(null);
    let panel;
    let gone = false;
    onMounted(async () => {
      const mounted = await mountChatPanel(element.value, { url: props.url, token: props.token }, { title: props.title });
      if (gone) mounted.destroy();
      else panel = mounted;
    });
    onBeforeUnmount(() => {
      gone = true;
      panel?.destroy();
    });
    return () => h("div", { ref: element, class: "chat" });
  },
});
// ANCHOR_END: component

const params = new URLSearchParams(location.search);
const query = new URLSearchParams({ name: params.get("name") ?? "Vue", meeting: params.get("meeting") ?? "vue" });
const { token } = await (await fetch(`/dev/token?${query}`)).json();
createApp(() => h(Chat, { url: `ws://${location.host}/ws`, token, title: "Vue chat" })).mount("#app");
