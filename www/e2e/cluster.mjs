// Starts a cluster as an operator runs one, on free ports of 127.0.0.1: the
// tests' own PostgreSQL (Debian's binaries, a temporary folder) and Redis,
// `count` chat-server nodes in dev mode on that one database and one shared
// data folder (uploaded files, the dev secret), and nginx in front running
// deploy/nginx-front.conf. `kill(i)` kills node i with SIGKILL; `stop()`
// kills everything and removes the folders.
import { execFileSync, spawn } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

const root = new URL("../../", import.meta.url).pathname;
const started = [];
process.on("exit", () => started.forEach((child) => child.kill("SIGKILL")));

function freePort() {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function run(command, args, options = {}) {
  const child = spawn(command, args, { stdio: ["ignore", "ignore", "inherit"], ...options });
  started.push(child);
  return child;
}

async function until(what, ready, seconds = 20) {
  const deadline = Date.now() + seconds * 1000;
  while (!(await ready().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`${what} not ready within ${seconds} s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function startPostgres(dir) {
  const version = readdirSync("/usr/lib/postgresql").sort().pop();
  const bin = `/usr/lib/postgresql/${version}/bin`;
  // PostgreSQL refuses to run as root: then it runs as the postgres user.
  const owner = process.getuid() === 0
    ? { uid: Number(execFileSync("id", ["-u", "postgres"])), gid: Number(execFileSync("id", ["-g", "postgres"])) }
    : {};
  if (owner.uid !== undefined) chownSync(dir, owner.uid, owner.gid);
  execFileSync(`${bin}/initdb`, ["-A", "trust", "-U", "postgres", "--no-sync", "-D", `${dir}/data`], {
    ...owner,
    stdio: "ignore",
  });
  const port = await freePort();
  const args = ["-D", `${dir}/data`, "-p", `${port}`, "-k", dir, "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off"];
  run(`${bin}/postgres`, args, { ...owner, stdio: "ignore" });
  await until("PostgreSQL", async () => {
    execFileSync(`${bin}/pg_isready`, ["-h", "127.0.0.1", "-p", `${port}`, "-U", "postgres", "-q"]);
    return true;
  });
  return `postgres://postgres@127.0.0.1:${port}/postgres`;
}

async function startRedis(dir) {
  const port = await freePort();
  run("redis-server", ["--port", `${port}`, "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir]);
  return `redis://127.0.0.1:${port}/`;
}

async function startNode(i, { dataDir, databaseUrl, redisUrl, demoDir }) {
  const addr = `127.0.0.1:${await freePort()}`;
  const binary = process.env.CHAT_SERVER_BIN ?? join(root, "target/debug/chat-server");
  const args = ["--dev", "--addr", addr, "--data-dir", dataDir, "--demo-dir", demoDir, "--node-id", `node-${i}`,
    "--database-url", databaseUrl, "--redis-url", redisUrl, "--drain-delay-ms", "0"];
  const child = run(binary, args, { env: { ...process.env, NO_COLOR: "1", RUST_LOG: "warn" } });
  await until(`node ${i}`, async () => (await fetch(`http://${addr}/readyz`)).ok);
  return { addr, child };
}

async function startNginx(dir, nodes) {
  const port = await freePort();
  const servers = nodes.map((node) => `server ${node.addr} max_fails=1 fail_timeout=10s;`).join("\n    ");
  const front = readFileSync(join(root, "deploy/nginx-front.conf"), "utf8")
    .replace("{{SERVERS}}", servers)
    .replace("{{LISTEN}}", `127.0.0.1:${port}`);
  const main = readFileSync(join(root, "crates/chat-server/tests/support/nginx-main.conf"), "utf8")
    .replace("{{USER}}", process.getuid() === 0 ? "user root;\n" : "")
    .replaceAll("{{PREFIX}}", dir)
    .replace("{{FRONT}}", front);
  writeFileSync(`${dir}/nginx.conf`, main);
  run(existsSync("/usr/sbin/nginx") ? "/usr/sbin/nginx" : "nginx", ["-p", dir, "-c", `${dir}/nginx.conf`]);
  await until("nginx", async () => (await fetch(`http://127.0.0.1:${port}/healthz`)).ok);
  return `http://127.0.0.1:${port}`;
}

export async function startCluster({ count = 2, demoDir = join(root, "dist") } = {}) {
  const dirs = ["mc-pg-", "mc-redis-", "mc-nodes-", "mc-nginx-"].map((prefix) => mkdtempSync(join(tmpdir(), prefix)));
  const [pgDir, redisDir, dataDir, nginxDir] = dirs;
  const databaseUrl = await startPostgres(pgDir);
  const redisUrl = await startRedis(redisDir);
  const nodes = [];
  // The first node writes the dev secret the others then read.
  for (let i = 0; i < count; i++) nodes.push(await startNode(i, { dataDir, databaseUrl, redisUrl, demoDir }));
  const url = await startNginx(nginxDir, nodes);
  return {
    url,
    nodes,
    /** How many WebSocket connections node `i` has open. */
    async connections(i) {
      const text = await (await fetch(`http://${nodes[i].addr}/metrics`)).text();
      return Number(/^chat_connections (\d+)/m.exec(text)?.[1] ?? 0);
    },
    kill(i) {
      nodes[i].child.kill("SIGKILL");
    },
    stop() {
      started.forEach((child) => child.kill("SIGKILL"));
      dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true }));
    },
  };
}
