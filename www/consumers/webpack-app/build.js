// Builds the app with webpack's Node API, then adds the pages and the
// package's stylesheet beside the bundles.
const { cpSync } = require("node:fs");
const webpack = require("webpack");
const config = require("./webpack.config.js");

webpack(config, (error, stats) => {
  if (error || stats.hasErrors()) {
    console.error(error ?? stats.toString("errors-only"));
    process.exit(1);
  }
  cpSync("public", config.output.path, { recursive: true });
  cpSync(require.resolve("meeting-chat/style.css"), `${config.output.path}/meeting-chat.css`);
});
