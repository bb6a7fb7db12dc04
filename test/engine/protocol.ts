/** Messages between the engine harness (parent) and the program runner (child), over IPC. */

/** A resource registration the program made, as the engine receives it. */
export interface RegisterMessage {
  kind: "register";
  seq: number;
  type: string;
  name: string;
  custom: boolean;
  /** Inputs with secrets unwrapped and unknowns as the preview placeholder string. */
  inputs: Record<string, unknown>;
  /** Top-level input keys whose value was (or contained) a secret. */
  secretKeys: string[];
  additionalSecretOutputs: string[];
  dependencies: string[];
}

/** The harness's answer to a registration. */
export type RegisteredMessage =
  | {
      kind: "registered";
      seq: number;
      id: string;
      state: Record<string, unknown>;
      secretKeys: string[];
      /** What the engine did, so the runner can run the resource's after-create or after-update hooks. */
      op: "create" | "update" | "same" | "replace" | "preview";
      urn: string;
      inputs: Record<string, unknown>;
      oldInputs?: Record<string, unknown>;
      oldOutputs?: Record<string, unknown>;
    }
  | { kind: "registered"; seq: number; error: string };

/** The program finished; its stack outputs. */
export interface DoneMessage {
  kind: "done";
  outputs: Record<string, { value: unknown; secret: boolean }>;
}

/** The program failed. */
export interface FailedMessage {
  kind: "failed";
  error: string;
}

/** What the child sends. */
export type ChildMessage = RegisterMessage | DoneMessage | FailedMessage;

/** The preview placeholder for unknown values. */
export const UNKNOWN_SENTINEL = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
