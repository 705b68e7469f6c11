// Starts the real chat server (dev mode, a temporary SQLite dir) on 127.0.0.1,
// serving a built page from `demoDir` (the demo's dist/ by default).
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const root = new URL("../../", import.meta.url).pathname;

export async function startServer({
  dataDir = mkdtempSync(join(tmpdir(), "mc-e2e-")),
  addr = "127.0.0.1:0",
  demoDir = join(root, "dist"),
  extraArgs = [],
} = {}) {
  const binary = process.env.CHAT_SERVER_BIN ?? join(root, "target/debug/chat-server");
  const args = ["--dev", "--addr", addr, "--data-dir", dataDir, "--demo-dir", demoDir, ...extraArgs];
  const child = spawn(binary, args, {
    env: { ...process.env, NO_COLOR: "1", RUST_LOG: "info" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const address = await new Promise((resolve, reject) => {
    let seen = "";
    const timer = setTimeout(() => reject(new Error(`server did not start: ${seen}`)), 10_000);
    child.stdout.on("data", (chunk) => {
      seen += chunk;
      const match = /addr=(\S+)/.exec(seen);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.on("exit", (code) => reject(new Error(`server exited with ${code}: ${seen}`)));
  });
  child.stdout.resume();
  return {
    url: `http://${address}`,
    address,
    dataDir,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    },
  };
}
