// Verifying a request from meeting-chat (the message hook, a webhook) in Node:
// the book's sample (docs/src/apps.md), run against the server's own signer by
// crates/chat-server/tests/signature_samples.rs.
// As a program: node verify-signature.mjs SECRET HEADER BODY_FILE NOW_SECS
import { createHmac, timingSafeEqual } from "node:crypto";
import { readFileSync } from "node:fs";

// ANCHOR: verify
/** Whether `header` (X-Meeting-Chat-Signature) signs `rawBody` (the bytes as received) with `secret`. */
export function verifySignature(secret, header, rawBody, { toleranceSecs = 300, now = Date.now() / 1000 } = {}) {
  const parts = Object.fromEntries(header.split(",").map((part) => part.split("=", 2)));
  const timestamp = Number(parts.t);
  if (!Number.isInteger(timestamp) || !/^[0-9a-f]{64}$/.test(parts.v1 ?? "")) return false;
  if (Math.abs(now - timestamp) > toleranceSecs) return false; // a replay of an old request
  const expected = createHmac("sha256", secret).update(`${timestamp}.`).update(rawBody).digest();
  return timingSafeEqual(expected, Buffer.from(parts.v1, "hex"));
}
// ANCHOR_END: verify

if (process.argv[1] === new URL(import.meta.url).pathname) {
  const [secret, header, bodyFile, now] = process.argv.slice(2);
  const valid = verifySignature(secret, header, readFileSync(bodyFile), { now: Number(now) });
  console.log(valid ? "valid" : "invalid");
}
