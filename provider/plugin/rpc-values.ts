/**
 * Property values as the engine sends them to a provider plugin that accepts secrets: a secret is an
 * object marked with Pulumi's secret signature around its value. The resource implementations take
 * plain values; these helpers take the marks off, and put them back on the properties that must stay
 * secret.
 */

/** The key and value that mark an object as one of Pulumi's special values. */
const SIGNATURE_KEY = "4dabf18193072939515e22adb298388d";
/** The signature of a secret. */
const SECRET_SIGNATURE = "1b47061264138c4ac30d75fd1eb44270";

type Properties = Record<string, unknown>;

/** Whether a value is a secret as the engine marks it. */
export function isSecret(value: unknown): value is { value: unknown } {
  return (
    typeof value === "object" &&
    value !== null &&
    !Array.isArray(value) &&
    (value as Properties)[SIGNATURE_KEY] === SECRET_SIGNATURE
  );
}

/** `value` marked secret (once: a secret stays as it is). */
export function secret(value: unknown): unknown {
  return isSecret(value) ? value : { [SIGNATURE_KEY]: SECRET_SIGNATURE, value };
}

/** A copy without secret marks at any depth. */
export function reveal(value: unknown): unknown {
  if (isSecret(value)) return reveal(value.value);
  if (Array.isArray(value)) return value.map(reveal);
  if (typeof value === "object" && value !== null) {
    const out: Properties = {};
    for (const [key, item] of Object.entries(value)) out[key] = reveal(item);
    return out;
  }
  return value;
}

/** The top-level properties that hold a secret anywhere inside them. */
export function secretKeys(properties: Properties): string[] {
  return Object.keys(properties).filter((key) => containsSecret(properties[key]));
}

function containsSecret(value: unknown): boolean {
  if (isSecret(value)) return true;
  if (Array.isArray(value)) return value.some(containsSecret);
  if (typeof value === "object" && value !== null) return Object.values(value).some(containsSecret);
  return false;
}

/** A copy of plain properties with each of `keys` that has a value marked secret. */
export function concealKeys(properties: Properties, keys: Iterable<string>): Properties {
  const out: Properties = { ...properties };
  for (const key of keys) {
    if (out[key] !== undefined && out[key] !== null) out[key] = secret(out[key]);
  }
  return out;
}
