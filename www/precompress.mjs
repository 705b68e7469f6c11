// Writes a brotli (`.br`, quality 11) and a gzip (`.gz`, level 9) copy beside
// every text and wasm file under a folder, for a server that serves them
// precompressed (the chat server's --demo-dir does, as does nginx's
// `gzip_static` / `brotli_static`, and most CDNs take such files as they are).
//
//   node www/precompress.mjs dist
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

const compressible = /\.(wasm|js|mjs|css|html|json|svg|txt)$/;
const [folder] = process.argv.slice(2);
if (!folder) {
  console.error("usage: node www/precompress.mjs <folder>");
  process.exit(2);
}

const files = (dir) =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });

let before = 0;
let after = 0;
for (const path of files(folder).filter((path) => compressible.test(path))) {
  const bytes = readFileSync(path);
  const brotli = brotliCompressSync(bytes, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
  });
  const gzip = gzipSync(bytes, { level: 9 });
  writeFileSync(`${path}.br`, brotli);
  writeFileSync(`${path}.gz`, gzip);
  before += bytes.length;
  after += brotli.length;
}
console.log(`precompressed ${folder}: ${(before / 1024).toFixed(0)} KiB -> ${(after / 1024).toFixed(0)} KiB brotli`);
