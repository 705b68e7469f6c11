// What the package README asks of a Vite app: leave meeting-chat out of
// dependency pre-bundling, so the .wasm next to its glue is found in dev too.
import { defineConfig } from "vite";

export default defineConfig({
  optimizeDeps: { exclude: ["meeting-chat"] },
});
