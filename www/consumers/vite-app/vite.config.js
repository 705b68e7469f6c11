// What the package README asks of a Vite app: leave meeting-chat out of
// dependency pre-bundling, so the .wasm next to its glue is found in dev too.
// Four pages: the panel (index.html), the headless entry alone (headless.html),
// and the panel in a React (react.html) and a Vue (vue.html) component.
import { defineConfig } from "vite";

export default defineConfig({
  optimizeDeps: { exclude: ["meeting-chat"] },
  // Vue's compile-time flags, as its docs ask of a bundler without its plugin.
  define: { __VUE_OPTIONS_API__: "false", __VUE_PROD_DEVTOOLS__: "false", __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: "false" },
  build: { rollupOptions: { input: { main: "index.html", headless: "headless.html", react: "react.html", vue: "vue.html" } } },
});
