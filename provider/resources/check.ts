import { isIP } from "node:net";
import {
  describeValue as describe,
  fieldTextProblems,
  type PropertyProblem,
  unknownProperties,
} from "../models/properties";
import { UNKNOWN } from "./values";

/** A `check` failure, as the engine prints it: `property <p> ... has a problem: <reason>`. */
export type CheckFailure = PropertyProblem;

/** Collects the failures of one `check` call; every rule skips values not known yet (preview). */
export class Failures {
  readonly list: CheckFailure[] = [];

  /** Records a failure. */
  add(property: string, reason: string): void {
    this.list.push({ property, reason });
  }

  /** Refuses text that OneSignal cannot store (NUL, lone surrogates), anywhere in the inputs. */
  text(inputs: object): void {
    for (const { property, reason } of fieldTextProblems(inputs, ["__provider"])) this.add(property, reason);
  }

  /** Refuses every input that is not one of `known` (the engine's `__provider` aside), naming the nearest. */
  unknown(inputs: object, known: readonly string[], what: string): void {
    for (const { property, reason } of unknownProperties(inputs, [...known, "__provider"], what))
      this.add(property, reason);
  }

  /** A non-empty string of at most `max` characters, when required or present. */
  string(property: string, value: unknown, options: { required?: boolean; max?: number } = {}): void {
    if (value === UNKNOWN) return;
    if (value === undefined || value === null) {
      if (options.required) this.add(property, `${property} is required`);
      return;
    }
    if (typeof value !== "string") {
      this.add(property, `${property} must be a string, not ${describe(value)}`);
      return;
    }
    if (options.required && value.trim() === "") this.add(property, `${property} must not be empty`);
    if (options.max !== undefined && value.length > options.max) {
      this.add(property, `${property} must be at most ${options.max} characters (it has ${value.length})`);
    }
  }

  /** One of `allowed`, when present. */
  oneOf(property: string, value: unknown, allowed: readonly string[]): void {
    if (value === undefined || value === null || value === UNKNOWN) return;
    if (typeof value !== "string" || !allowed.includes(value)) {
      this.add(
        property,
        `${property} must be one of ${allowed.map((v) => JSON.stringify(v)).join(", ")}, not ${describe(value)}`,
      );
    }
  }

  /** A boolean, when present. */
  boolean(property: string, value: unknown): void {
    if (value === undefined || value === null || value === UNKNOWN) return;
    if (typeof value !== "boolean") this.add(property, `${property} must be a boolean, not ${describe(value)}`);
  }

  /** An absolute http(s) URL, when present; `httpsOnly` refuses plain http. */
  url(property: string, value: unknown, options: { httpsOnly?: boolean; origin?: boolean } = {}): void {
    if (value === undefined || value === null || value === UNKNOWN) return;
    if (typeof value !== "string") {
      this.add(property, `${property} must be a URL string, not ${describe(value)}`);
      return;
    }
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      this.add(
        property,
        `${property} must be an absolute URL such as https://example.com, not ${JSON.stringify(value)}`,
      );
      return;
    }
    const allowed = options.httpsOnly ? ["https:"] : ["https:", "http:"];
    if (!allowed.includes(url.protocol)) {
      this.add(
        property,
        `${property} must use ${options.httpsOnly ? "https" : "http or https"}, not ${url.protocol.replace(":", "")}`,
      );
    } else if (options.origin && (url.pathname !== "/" || url.search || url.hash || url.username)) {
      // Browsers compare origins, so OneSignal's site check would never match a path.
      this.add(property, `${property} must be an origin such as ${url.origin}, without a path, query or fragment`);
    }
  }

  /** A list of IPv4 or IPv6 CIDR blocks, when present. */
  cidrList(property: string, value: unknown): void {
    if (value === undefined || value === null || value === UNKNOWN) return;
    if (!Array.isArray(value)) {
      this.add(property, `${property} must be a list of CIDR blocks, not ${describe(value)}`);
      return;
    }
    value.forEach((entry, index) => {
      if (entry !== UNKNOWN && !isCidr(entry)) {
        this.add(
          property,
          `${property}[${index}] must be a CIDR block such as 203.0.113.0/24, not ${JSON.stringify(entry)}`,
        );
      }
    });
  }
}

/** Whether a value is an IPv4 or IPv6 address with an optional prefix length. */
export function isCidr(value: unknown): boolean {
  if (typeof value !== "string") return false;
  const [address, prefix, ...rest] = value.split("/");
  if (rest.length > 0 || !address) return false;
  const family = isIP(address);
  if (family === 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}
