/**
 * Runs a Pulumi program under `setMocks` in its own process (the way `pulumi` runs it: plain Node,
 * TypeScript through ts-node), and forwards every resource registration to the engine harness in
 * the parent process, which answers with the real ids and outputs from the dynamic-provider host.
 *
 * argv: program directory; env: RUNNER_PROJECT, RUNNER_STACK, RUNNER_PREVIEW, PULUMI_CONFIG.
 */
import * as path from "node:path";
import type { ChildMessage, RegisteredMessage, RegisterMessage } from "./protocol";
import { UNKNOWN_SENTINEL } from "./protocol";

type Pulumi = typeof import("@pulumi/pulumi");

const programDir = path.resolve(process.argv[2] ?? ".");
// The program's own @pulumi/pulumi: the runtime is a singleton per installation.
const pulumi = require(require.resolve("@pulumi/pulumi", { paths: [programDir] })) as Pulumi;
const mocksModule = require(require.resolve("@pulumi/pulumi/runtime/mocks", { paths: [programDir] })) as {
  MockMonitor: { prototype: { registerResource(req: RegisterRequestLike, callback: unknown): Promise<void> } };
};
const rpc = require(require.resolve("@pulumi/pulumi/runtime/rpc", { paths: [programDir] })) as {
  specialSigKey: string;
  specialSecretSig: string;
};
const outputModule = require(require.resolve("@pulumi/pulumi/output", { paths: [programDir] })) as {
  isUnknown(value: unknown): boolean;
};
const settings = require(require.resolve("@pulumi/pulumi/runtime/settings", { paths: [programDir] })) as {
  getCallbacks():
    | { _callbacks: Map<string, (bytes: Uint8Array) => Promise<{ serializeBinary(): Uint8Array }>> }
    | undefined;
};
const resourceProto = require(require.resolve("@pulumi/pulumi/proto/resource_pb", { paths: [programDir] })) as {
  ResourceHookRequest: new () => {
    setUrn(value: string): void;
    setId(value: string): void;
    setName(value: string): void;
    setType(value: string): void;
    setNewInputs(value: unknown): void;
    setOldInputs(value: unknown): void;
    setNewOutputs(value: unknown): void;
    setOldOutputs(value: unknown): void;
    serializeBinary(): Uint8Array;
  };
  ResourceHookResponse: { deserializeBinary(bytes: Uint8Array): { getError(): string } };
};
const structProto = require(
  require.resolve("google-protobuf/google/protobuf/struct_pb", {
    paths: [path.dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [programDir] }))],
  }),
) as { Struct: { fromJavaScript(value: unknown): unknown } };

interface RegisterRequestLike {
  getAdditionalsecretoutputsList(): string[];
  getDependenciesList(): string[];
  getHooks(): { getAfterCreateList(): string[]; getAfterUpdateList(): string[] } | undefined;
}

function send(message: ChildMessage): void {
  process.send?.(message);
}

// The mocks API hands newResource only type, name and inputs; the options the engine also gets
// (additionalSecretOutputs, dependencies) are taken from the request here.
let lastRequest: RegisterRequestLike | undefined;
const originalRegister = mocksModule.MockMonitor.prototype.registerResource;
mocksModule.MockMonitor.prototype.registerResource = function (req, callback) {
  lastRequest = req;
  return originalRegister.call(this, req, callback);
};

// The engine keeps each resource hook's callback and calls it after the step; this does the same,
// through the SDK's own callback server, so hooks run exactly as under `pulumi up`.
const hookTokens = new Map<string, string>();
(mocksModule.MockMonitor.prototype as unknown as Record<string, unknown>).registerResourceHook = (
  req: { getName(): string; getCallback(): { getToken(): string } | undefined },
  callback: (error: Error | null, response: unknown) => void,
) => {
  hookTokens.set(req.getName(), req.getCallback()?.getToken() ?? "");
  callback(null, {});
};

async function runHooks(
  names: string[],
  answer: Extract<RegisteredMessage, { id: string }>,
  args: { type: string; name: string },
) {
  for (const name of names) {
    const token = hookTokens.get(name);
    const callback = token ? settings.getCallbacks()?._callbacks.get(token) : undefined;
    if (!callback) throw new Error(`resource hook ${name} was not registered`);
    const request = new resourceProto.ResourceHookRequest();
    request.setUrn(answer.urn);
    request.setId(answer.id);
    request.setName(args.name);
    request.setType(args.type);
    request.setNewInputs(structProto.Struct.fromJavaScript(answer.inputs));
    request.setNewOutputs(structProto.Struct.fromJavaScript(secretWrapped(answer)));
    if (answer.oldInputs) request.setOldInputs(structProto.Struct.fromJavaScript(answer.oldInputs));
    if (answer.oldOutputs) request.setOldOutputs(structProto.Struct.fromJavaScript(answer.oldOutputs));
    const response = resourceProto.ResourceHookResponse.deserializeBinary(
      (await callback(request.serializeBinary())).serializeBinary(),
    );
    if (response.getError()) throw new Error(`resource hook ${name} failed: ${response.getError()}`);
  }
}

function secretWrapped(answer: Extract<RegisteredMessage, { id: string }>): Record<string, unknown> {
  const state: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(answer.state)) {
    state[key] = answer.secretKeys.includes(key) ? { [rpc.specialSigKey]: rpc.specialSecretSig, value } : value;
  }
  return state;
}

let seq = 0;
const pending = new Map<number, (message: RegisteredMessage) => void>();
process.on("message", (message: RegisteredMessage) => {
  const resolve = pending.get(message.seq);
  pending.delete(message.seq);
  resolve?.(message);
});

/** Unwraps secrets and turns unknowns into the placeholder string, as the engine sends them. */
function plain(value: unknown, onSecret: () => void): unknown {
  if (outputModule.isUnknown(value)) return UNKNOWN_SENTINEL;
  if (pulumi.Output.isInstance(value)) throw new Error("unexpected Output in mock inputs");
  if (typeof value === "object" && value !== null && !Array.isArray(value)) {
    const record = value as Record<string, unknown>;
    if (record[rpc.specialSigKey] === rpc.specialSecretSig) {
      onSecret();
      return plain(record.value, onSecret);
    }
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(record)) if (inner !== undefined) out[key] = plain(inner, onSecret);
    return out;
  }
  if (Array.isArray(value)) return value.map((item) => plain(item, onSecret));
  return value;
}

async function main(): Promise<void> {
  const preview = process.env.RUNNER_PREVIEW === "true";
  await pulumi.runtime.setMocks(
    {
      call: () => ({}),
      newResource: async (args) => {
        const request = lastRequest;
        const secretKeys: string[] = [];
        const inputs: Record<string, unknown> = {};
        for (const [key, value] of Object.entries(args.inputs as Record<string, unknown>)) {
          if (value === undefined) continue;
          inputs[key] = plain(value, () => secretKeys.includes(key) || secretKeys.push(key));
        }
        const message: RegisterMessage = {
          kind: "register",
          seq: ++seq,
          type: args.type,
          name: args.name,
          custom: args.custom ?? true,
          inputs,
          secretKeys,
          additionalSecretOutputs: request?.getAdditionalsecretoutputsList() ?? [],
          dependencies: request?.getDependenciesList() ?? [],
        };
        const answer = await new Promise<RegisteredMessage>((resolve) => {
          pending.set(message.seq, resolve);
          send(message);
        });
        if ("error" in answer) throw new Error(answer.error);
        const hooks = request?.getHooks();
        if (hooks && (answer.op === "create" || answer.op === "replace"))
          await runHooks(hooks.getAfterCreateList(), answer, args);
        if (hooks && answer.op === "update") await runHooks(hooks.getAfterUpdateList(), answer, args);
        return { id: answer.id === "" ? undefined : answer.id, state: secretWrapped(answer) };
      },
    },
    process.env.RUNNER_PROJECT ?? "project",
    process.env.RUNNER_STACK ?? "stack",
    preview,
  );

  process.chdir(programDir);
  const exported = require(programDir) as Record<string, unknown>;
  const outputs: Record<string, { value: unknown; secret: boolean }> = {};
  for (const [name, value] of Object.entries(exported)) {
    const output: import("@pulumi/pulumi").Output<unknown> = pulumi.output(value);
    // An unknown (preview) never reaches apply: report it as the placeholder.
    const known = await (output as unknown as { isKnown: Promise<boolean> }).isKnown;
    const resolved = known
      ? await new Promise<unknown>((resolve) => output.apply((v: unknown) => resolve(v)))
      : UNKNOWN_SENTINEL;
    outputs[name] = { value: resolved ?? null, secret: await pulumi.isSecret(output) };
  }
  await pulumi.runtime.disconnect();
  send({ kind: "done", outputs });
}

/** Resolves once every registration sent to the engine has its answer, as the engine finishes its steps. */
async function settled(): Promise<void> {
  while (pending.size > 0) await new Promise((resolve) => setTimeout(resolve, 10));
}

main().then(
  () => process.disconnect?.(),
  async (error: unknown) => {
    // Let the registrations already under way finish, so every check failure is reported.
    await settled();
    send({ kind: "failed", error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    process.disconnect?.();
  },
);
