// What the package README asks of a Vite app: leave meeting-chat out of
// dependency pre-bundling, so the .wasm next to its glue is found in dev too.
// Two pages: the panel (index.html) and the headless entry alone (headless.html).
import { defineConfig } from "vite";

export default defineConfig({
  optimizeDeps: { exclude: ["meeting-chat"] },
  build: { rollupOptions: { input: { main: "index.html", headless: "headless.html" } } },
});
