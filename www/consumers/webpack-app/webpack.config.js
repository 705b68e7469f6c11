// A webpack 5 app with two pages: the panel (main) and the headless entry alone.
// webpack 5 emits the wasm each entry's glue names with `new URL(…, import.meta.url)`.
const path = require("node:path");

module.exports = {
  mode: "production",
  entry: { main: "./src/main.js", headless: "./src/headless.js" },
  output: { path: path.resolve(__dirname, "dist"), filename: "[name].js", clean: true },
};
