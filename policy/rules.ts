/**
 * The OneSignal guardrails of the policy pack, as plain functions of a resource's type, URN and properties: each
 * returns the violations it finds (empty when the resource passes). `index.ts` wraps them as policies; keeping them
 * free of `@pulumi/policy` lets a unit test hold every rule.
 */
import { builtInSegmentNamed } from "../provider/models/segment";

/** The resource types the rules know, by their name: both the dynamic resources' and the plugin's tokens. */
export type OneSignalType = "App" | "ApiKey" | "Segment" | "Template";

/** The type name of a OneSignal resource token (`pulumi-nodejs:dynamic/onesignal:ApiKey`, `onesignal:index:ApiKey`). */
export function oneSignalType(token: string): OneSignalType | undefined {
  const match = /^(?:pulumi-nodejs:dynamic\/onesignal|onesignal:index|onesignal):(App|ApiKey|Segment|Template)$/.exec(
    token,
  );
  return match?.[1] as OneSignalType | undefined;
}

/** The stack a URN belongs to (`urn:pulumi:<stack>::<project>::...`). */
export function stackOfUrn(urn: string): string {
  return urn.split("::")[0]?.split(":")[2] ?? "";
}

/** Whether `stack` matches a glob pattern (`*` any text, `?` one character), case-insensitively. */
export function stackMatches(stack: string, pattern: string): boolean {
  const source = pattern
    .split("")
    .map((char) => (char === "*" ? ".*" : char === "?" ? "." : char.replace(/[.+^${}()|[\]\\]/g, "\\$&")))
    .join("");
  return new RegExp(`^${source}$`, "i").test(stack);
}

/** The default pattern of production stack names. */
export const DEFAULT_PRODUCTION_STACKS = "prod*";

/** Whether a value is a non-empty list. */
function nonEmptyList(value: unknown): value is unknown[] {
  return Array.isArray(value) && value.length > 0;
}

/**
 * An API key of a production stack must only work from listed addresses: `ipAllowlistMode: "explicit"` with at
 * least one address. A key open to every address is a leaked key's best friend.
 */
export function productionKeyProblems(stack: string, props: Record<string, unknown>, pattern: string): string[] {
  if (!stackMatches(stack, pattern)) return [];
  if (props.ipAllowlistMode === "explicit" && nonEmptyList(props.ipAllowlist)) return [];
  return [
    `API key "${String(props.name ?? "")}" of production stack "${stack}" works from every address: set ` +
      'ipAllowlistMode: "explicit" and ipAllowlist to the addresses of your servers (stacks matching ' +
      `"${pattern}" need one; the policy's productionStacks setting changes the pattern).`,
  ];
}

/** The language maps of a template that OneSignal shows per language. */
const LANGUAGE_MAPS = ["contents", "headings", "subtitle"] as const;

/**
 * A template carries English content for the channel it uses: OneSignal falls back to English for every
 * subscriber whose language it lacks, so a push or SMS map without `en` leaves them a blank message, and an email
 * needs a subject and a body.
 */
export function templateEnglishProblems(props: Record<string, unknown>): string[] {
  const name = String(props.name ?? "");
  const channel = props.channel ?? "push";
  if (channel === "email") {
    return (["emailSubject", "emailBody"] as const)
      .filter((field) => typeof props[field] !== "string" || props[field] === "")
      .map((field) => `template "${name}" (email) has no ${field}: an email template needs its subject and body.`);
  }
  const problems: string[] = [];
  for (const field of LANGUAGE_MAPS) {
    const value = props[field];
    if (field !== "contents" && value === undefined) continue;
    const english = typeof value === "object" && value !== null ? (value as Record<string, unknown>).en : undefined;
    if (typeof english !== "string" || english === "") {
      problems.push(
        `template "${name}" (${String(channel)}) has no English ${field} (${field}.en): OneSignal shows English ` +
          "to every subscriber whose language the template lacks.",
      );
    }
  }
  return problems;
}

/**
 * A segment's name never shadows a built-in one (in any case or spacing): a message sent to "Active Users" would
 * reach one or the other, and a reader of the program could not tell which.
 */
export function segmentNameProblems(props: Record<string, unknown>): string[] {
  const name = typeof props.name === "string" ? props.name : "";
  const shadowed = builtInSegmentNamed(name);
  return shadowed
    ? [`segment "${name}" shadows OneSignal's built-in segment "${shadowed}": give it a name of its own.`]
    : [];
}

/**
 * At most `max` App resources per stack: one stack is one environment, and an app OneSignal cannot delete is made
 * for good, so a second one is most often a copy-paste that will never be cleaned up.
 */
export function appCountProblems(stack: string, apps: { name: string }[], max: number): string[] {
  if (apps.length <= max) return [];
  const names = apps.map((app) => `"${app.name}"`).join(", ");
  return [
    `stack "${stack}" declares ${apps.length} OneSignal apps (${names}), more than ${max}: OneSignal cannot delete ` +
      "an app, so each one made stays for good (the policy's maxApps setting changes the limit).",
  ];
}
