// Runs every JavaScript sample of a page of the book (docs/src/*.md) as
// written, one after another, against a connected chat: the page's imports
// are the names the test hands over (`env`), and each sample runs in a scope
// of its own, as each code block of a page would in a reader's module.

const AsyncFunction = (async () => {}).constructor;

/** The ```js blocks of `markdown`, in order. */
export function samplesOf(markdown) {
  return [...markdown.matchAll(/^```js\n([\s\S]*?)^```$/gm)].map((m) => m[1]);
}

export async function runPage(name, markdown, env) {
  const samples = samplesOf(markdown);
  if (samples.length === 0) throw new Error(`${name} has no JavaScript samples`);
  const names = Object.keys(env);
  for (const [i, sample] of samples.entries()) {
    const body = sample.replace(/^import [^;]*;.*$/gm, "");
    const missing = [...sample.matchAll(/^import \{([^}]*)\}/gm)]
      .flatMap((m) => m[1].split(",").map((n) => n.trim()))
      .filter((n) => n && !names.includes(n));
    if (missing.length) throw new Error(`${name}, sample ${i + 1} imports ${missing.join(", ")}, which the test lacks`);
    try {
      await new AsyncFunction(...names, `return (async () => {\n${body}\n})();`)(...names.map((n) => env[n]));
    } catch (error) {
      throw new Error(`${name}, sample ${i + 1}:\n${sample}\nfailed: ${error?.stack ?? error}`);
    }
  }
  return samples.length;
}
