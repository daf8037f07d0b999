// The simple scheme some receivers are built for: `X-Signature: <hex HMAC-SHA256 of the body>`.
// No id, no timestamp (so no replay protection: that is what Standard Webhooks adds). The key
// is the same as Standard Webhooks': the bytes of the base64 after `whsec_`, not the string.
import { createHmac } from "node:crypto";
import { keyOf } from "./standard-webhooks.ts";

/** Lower-case hex of HMAC-SHA256(key of `secret`, body). */
export function hexSignature(secret: string, body: string | Buffer): string {
  return createHmac("sha256", keyOf(secret)).update(body).digest("hex");
}
