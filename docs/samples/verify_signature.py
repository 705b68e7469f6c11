"""Verifying a request from meeting-chat (the message hook, a webhook) in Python:
the book's sample (docs/src/apps.md), run against the server's own signer by
crates/chat-server/tests/signature_samples.rs.

As a program: python3 verify_signature.py SECRET HEADER BODY_FILE NOW_SECS
"""

import hashlib
import hmac
import sys
import time


# ANCHOR: verify
def verify_signature(secret: bytes, header: str, raw_body: bytes, tolerance_secs: int = 300, now=None) -> bool:
    """Whether `header` (X-Meeting-Chat-Signature) signs `raw_body` (the bytes as received) with `secret`."""
    try:
        parts = dict(part.split("=", 1) for part in header.split(","))
        timestamp = int(parts["t"])
        given = bytes.fromhex(parts["v1"])
    except (KeyError, ValueError):
        return False
    if abs((time.time() if now is None else now) - timestamp) > tolerance_secs:
        return False  # a replay of an old request
    expected = hmac.new(secret, f"{timestamp}.".encode() + raw_body, hashlib.sha256).digest()
    return hmac.compare_digest(expected, given)
# ANCHOR_END: verify


if __name__ == "__main__":
    secret, header, body_file, now = sys.argv[1:5]
    with open(body_file, "rb") as body:
        valid = verify_signature(secret.encode(), header, body.read(), now=float(now))
    print("valid" if valid else "invalid")
