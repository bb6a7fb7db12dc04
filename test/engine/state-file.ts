import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";

/** One resource in the harness's state, as the engine keeps it. */
export interface ResourceState {
  urn: string;
  type: string;
  name: string;
  id: string;
  inputs: Record<string, unknown>;
  outputs: Record<string, unknown>;
  /** Top-level keys stored encrypted, in inputs and outputs alike. */
  secretKeys: string[];
  dependencies: string[];
}

/** The state of one stack. */
export interface StackState {
  resources: ResourceState[];
  outputs: Record<string, { value: unknown; secret: boolean }>;
}

const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

/**
 * Reads and writes stack state as JSON with secret values encrypted under a passphrase, the way
 * Pulumi's passphrase secrets provider keeps them (`{"<sig>": "<secret sig>", "ciphertext": ...}`).
 */
export class StateFile {
  private readonly key: Buffer;

  constructor(
    readonly path: string,
    passphrase: string,
  ) {
    this.key = scryptSync(passphrase, "pulumi-onesignal-engine-harness", 32);
  }

  /** The stored state, or an empty stack. */
  load(): StackState {
    if (!existsSync(this.path)) return { resources: [], outputs: {} };
    const raw = JSON.parse(readFileSync(this.path, "utf8")) as StackState;
    return {
      resources: raw.resources.map((resource) => ({
        ...resource,
        inputs: this.decryptBag(resource.inputs),
        outputs: this.decryptBag(resource.outputs),
      })),
      outputs: Object.fromEntries(
        Object.entries(raw.outputs).map(([name, output]) => [name, { ...output, value: this.decrypt(output.value) }]),
      ),
    };
  }

  /** Writes the state, encrypting every secret. */
  save(state: StackState): void {
    const stored: StackState = {
      resources: state.resources.map((resource) => ({
        ...resource,
        inputs: this.encryptBag(resource.inputs, resource.secretKeys),
        outputs: this.encryptBag(resource.outputs, resource.secretKeys),
      })),
      outputs: Object.fromEntries(
        Object.entries(state.outputs).map(([name, output]) => [
          name,
          { ...output, value: output.secret ? this.encrypt(output.value) : output.value },
        ]),
      ),
    };
    writeFileSync(this.path, `${JSON.stringify(stored, null, 2)}\n`);
  }

  private encryptBag(bag: Record<string, unknown>, secretKeys: string[]): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(bag)) out[key] = secretKeys.includes(key) ? this.encrypt(value) : value;
    return out;
  }

  private decryptBag(bag: Record<string, unknown>): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(bag)) out[key] = this.decrypt(value);
    return out;
  }

  private encrypt(value: unknown): unknown {
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", this.key, iv);
    const data = Buffer.concat([cipher.update(JSON.stringify(value), "utf8"), cipher.final()]);
    const ciphertext = Buffer.concat([iv, cipher.getAuthTag(), data]).toString("base64");
    return { [SECRET_SIG_KEY]: SECRET_SIG, ciphertext };
  }

  private decrypt(value: unknown): unknown {
    if (
      typeof value !== "object" ||
      value === null ||
      (value as Record<string, unknown>)[SECRET_SIG_KEY] !== SECRET_SIG
    ) {
      return value;
    }
    const buffer = Buffer.from((value as { ciphertext: string }).ciphertext, "base64");
    const decipher = createDecipheriv("aes-256-gcm", this.key, buffer.subarray(0, 12));
    decipher.setAuthTag(buffer.subarray(12, 28));
    const text = Buffer.concat([decipher.update(buffer.subarray(28)), decipher.final()]).toString("utf8");
    return JSON.parse(text) as unknown;
  }
}
