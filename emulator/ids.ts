import { createHash, createHmac, randomBytes, randomUUID } from "node:crypto";
import { badRequest } from "./errors";

/** A new v4 UUID, the form of every OneSignal id. */
export function newId(): string {
  return randomUUID();
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The id of a path, which the reference pages give "in UUID v4 format" (a message's, a segment's, a template's):
 * a 400 when it is no UUID, as they declare, before any look-up answers the 404 of an unknown one.
 * ((emulator: D41 the text of that 400 is the emulator's))
 */
export function requirePathId(label: string, id: string): void {
  if (!UUID.test(id)) throw badRequest(`Incorrect ${label} format (not a valid UUID): ${id}`);
}

const BASE32 = "abcdefghijklmnopqrstuvwxyz234567";

/** Random lowercase base32 text of `length` characters, like the body of OneSignal's v2 keys. */
export function randomBase32(length: number): string {
  const bytes = randomBytes(length);
  let out = "";
  for (const byte of bytes) out += BASE32[byte % 32];
  return out;
}

/** A new app API key in OneSignal's v2 format (`os_v2_app_...`). */
export function newAppApiKey(): string {
  return `os_v2_app_${randomBase32(100)}`;
}

/** A new organization API key in OneSignal's v2 format (`os_v2_org_...`). */
export function newOrganizationApiKey(): string {
  return `os_v2_org_${randomBase32(100)}`;
}

/** SHA-256 of a key, so the store (and its data file) never holds app keys in clear. */
export function hashKey(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}

/**
 * The app API key the emulator gives an app it creates at start: derived from the organization key
 * and the app id, so that with a data file it is the same after a restart without being stored in clear.
 */
export function startAppApiKey(organizationApiKey: string, appId: string): string {
  const digest = createHmac("sha256", organizationApiKey).update(`start-key:${appId}`).digest();
  let body = "";
  for (let i = 0; body.length < 100; i++) body += BASE32[(digest[i % digest.length] ?? 0) % 32];
  return `os_v2_app_${body}`;
}
