import { createHash } from "node:crypto";
import { isUuid } from "../models/properties";

/**
 * The namespace of `notify --idempotency-key-from`: a UUID of this project, fixed forever, so that the same text
 * gives the same key on every machine and in every version (changing it would send a repeated step twice).
 */
export const IDEMPOTENCY_NAMESPACE = "b666b982-e620-4cad-9ae5-1edac9303e8a";

/**
 * The name-based UUID (version 5, SHA-1) of `name` in `namespace`, as RFC 9562 section 5.5 describes it: the
 * SHA-1 of the namespace's 16 bytes then the name's UTF-8 bytes, cut to 16 bytes, with the version and variant set.
 */
export function uuidV5(name: string, namespace: string): string {
  if (!isUuid(namespace)) throw new Error(`the namespace must be a UUID, not ${JSON.stringify(namespace)}`);
  const hash = createHash("sha1")
    .update(Buffer.from(namespace.replace(/-/g, ""), "hex"))
    .update(name, "utf8")
    .digest()
    .subarray(0, 16);
  hash[6] = ((hash[6] ?? 0) & 0x0f) | 0x50;
  hash[8] = ((hash[8] ?? 0) & 0x3f) | 0x80;
  const hex = hash.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The idempotency key `notify --idempotency-key-from <text>` derives: stable for the same text, a UUID v5. */
export function idempotencyKeyFrom(text: string): string {
  return uuidV5(text, IDEMPOTENCY_NAMESPACE);
}
