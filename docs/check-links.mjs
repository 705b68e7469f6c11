// Fails on a broken internal link in the book, the READMEs or ARCHITECTURE.md:
// a relative link to a file that does not exist, an anchor no heading of its
// page makes, an `{{#include}}` of a missing file or anchor, a page SUMMARY.md
// names that is not there, or a page of docs/src it does not name.
// Usage: node docs/check-links.mjs (from anywhere).
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const src = join(root, "docs/src");
const problems = [];

function pages(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? pages(path) : name.endsWith(".md") ? [path] : [];
  });
}

// Text outside fenced code blocks, where links are links.
function prose(text) {
  return text.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, "");
}

// mdBook's heading ids: lower case, spaces to dashes, only letters, digits, `-` and `_` kept.
function slug(heading) {
  return heading
    .replace(/`/g, "")
    .trim()
    .toLowerCase()
    .replace(/\s+/g, "-")
    .replace(/[^\p{L}\p{N}_-]/gu, "");
}

function anchorsOf(path) {
  let text = readFileSync(path, "utf8");
  // A page that includes another has its headings too.
  text = text.replace(/\{\{#include ([^}:]+)(?::[^}]*)?\}\}/g, (_, target) => {
    const included = resolve(dirname(path), target.trim());
    return existsSync(included) ? readFileSync(included, "utf8") : "";
  });
  return new Set([...prose(text).matchAll(/^#{1,6} (.+)$/gm)].map((m) => slug(m[1])));
}

function check(path) {
  const text = readFileSync(path, "utf8");
  const where = relative(root, path);
  for (const [, target] of prose(text).matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
    if (/^[a-z]+:/i.test(target)) continue;
    const [file, anchor] = target.split("#");
    const resolved = file ? resolve(dirname(path), file) : path;
    if (!existsSync(resolved)) {
      problems.push(`${where}: a link to ${target}, which does not exist`);
    } else if (anchor && resolved.endsWith(".md") && !anchorsOf(resolved).has(anchor)) {
      problems.push(`${where}: a link to ${target}, whose page has no heading #${anchor}`);
    }
  }
  for (const [, target, anchor] of text.matchAll(/\{\{#include ([^}:]+)(?::([^}]*))?\}\}/g)) {
    const included = resolve(dirname(path), target.trim());
    if (!existsSync(included)) {
      problems.push(`${where}: includes ${target}, which does not exist`);
    } else if (anchor && !/^\d/.test(anchor) && !readFileSync(included, "utf8").includes(`ANCHOR: ${anchor}`)) {
      problems.push(`${where}: includes ${target}:${anchor}, which has no ANCHOR: ${anchor}`);
    }
  }
}

const summary = readFileSync(join(src, "SUMMARY.md"), "utf8");
const named = new Set([...summary.matchAll(/\]\(([^)]+\.md)\)/g)].map((m) => resolve(src, m[1])));
for (const page of named) {
  if (!existsSync(page)) problems.push(`docs/src/SUMMARY.md names ${relative(root, page)}, which does not exist`);
}
for (const page of pages(src)) {
  if (!page.endsWith("SUMMARY.md") && !named.has(page)) {
    problems.push(`${relative(root, page)} is not in SUMMARY.md, so the book does not show it`);
  }
  check(page);
}
for (const file of ["README.md", "ARCHITECTURE.md", "www/README.md"]) check(join(root, file));

if (problems.length) {
  console.error(problems.join("\n"));
  process.exit(1);
}
console.log(`the book's and the READMEs' internal links all resolve (${named.size} pages)`);
