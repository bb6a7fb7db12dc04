/**
 * The provider plugin's gRPC service (`pulumirpc.ResourceProvider`), served on 127.0.0.1 for the engine.
 *
 * Written on the protocol itself, with the SDK's generated messages, rather than on the SDK's generic
 * provider server: that one (3.248) answers no detailed diff, ignores the provider configuration, and
 * fails on the Read of `pulumi import`, which carries no properties.
 */
import type * as grpcTypes from "@grpc/grpc-js";
import {
  CONFIG_KEYS,
  type PartialSettings,
  plainSecretMessage,
  readStackConfig,
  resolveSettings,
  SECRET_SETTINGS,
  type SecretSetting,
} from "../config";
import type { CheckFailure } from "../resources/check";
import { implementationOf } from "../resources/implementations";
import type { ResourceImplementation } from "../resources/provider-base";
import { type ResourceRow, rowOfPluginType } from "../resources/registry";
import { jsonSafe, type PropertyChanges } from "../resources/values";
import { forwardWarnings, withResource } from "./engine-log";
import { Invokes } from "./invokes";
import { importTarget, parseUrn } from "./resources";
import { concealKeys, isSecret, reveal, secretKeys } from "./rpc-values";
import { Empty, grpc, pluginProto, providerProto, Struct, providerService as service } from "./sdk";

type ProviderProto = typeof import("@pulumi/pulumi/proto/provider_pb");
type Properties = Record<string, unknown>;

const proto = providerProto;

/** The provider configuration keys, without the package prefix, as the engine sends them. */
const CONFIG_NAMES = Object.keys(CONFIG_KEYS);
/** Keys the engine itself adds to a provider's inputs. */
const ENGINE_CONFIG_NAMES = ["version", "pluginDownloadURL"];

/** What the service needs besides the resources: its version and schema. */
export interface PluginInfo {
  version: string;
  schema: string;
}

/** The service's handlers; one object per plugin process, holding the configuration the engine gave. */
export function providerService(info: PluginInfo): grpcTypes.UntypedServiceImplementation {
  const implementations = new Map<string, ResourceImplementation>();
  let settings: PartialSettings = {};
  const invokes = new Invokes(JSON.parse(info.schema) as ConstructorParameters<typeof Invokes>[0]);

  const resourceOf = (urn: string): { resource: ResourceRow; implementation: ResourceImplementation } => {
    const { type } = parseUrn(urn);
    const resource = rowOfPluginType(type);
    if (!resource) throw new PluginError(grpc.status.INVALID_ARGUMENT, `unknown resource type ${type}`);
    let implementation = implementations.get(type);
    if (!implementation) {
      implementation = implementationOf(resource);
      implementations.set(type, implementation);
    }
    implementation.stackConfig = settings;
    return { resource, implementation };
  };

  return {
    getPluginInfo: unary(async () => new pluginProto.PluginInfo().setVersion(info.version)),
    getSchema: unary(async (request: InstanceType<ProviderProto["GetSchemaRequest"]>) => {
      if (request.getVersion() !== 0) {
        throw new PluginError(grpc.status.INVALID_ARGUMENT, `unsupported schema version ${request.getVersion()}`);
      }
      return new proto.GetSchemaResponse().setSchema(info.schema);
    }),
    attach: unary(async () => new Empty()),
    cancel: unary(async () => new Empty()),

    checkConfig: unary(async (request: InstanceType<ProviderProto["CheckRequest"]>) => {
      const news = toObject(request.getNews());
      const failures = checkConfig(reveal(news) as Properties);
      // The inputs go back exactly as they came, secret marks included.
      return new proto.CheckResponse().setInputs(request.getNews()).setFailuresList(failures.map(toFailure));
    }),
    diffConfig: unary(async (request: InstanceType<ProviderProto["DiffRequest"]>) => {
      const olds = reveal(toObject(request.getOlds())) as Properties;
      const news = reveal(toObject(request.getNews())) as Properties;
      const changed = CONFIG_NAMES.filter((key) => JSON.stringify(olds[key]) !== JSON.stringify(news[key]));
      // New settings apply to the next calls; no resource is replaced for them.
      return diffResponse({ changed, replaces: [] }, olds, news);
    }),
    configure: unary(async (request: InstanceType<ProviderProto["ConfigureRequest"]>) => {
      // Here rather than in checkConfig: the engine (3.248) sends CheckConfig the configuration with its secret
      // marks taken off, even to a provider that accepts secrets, and Configure's args with them kept (and a
      // check failure would have the engine print the value with it).
      const plain = request.hasArgs() ? plainSecretSettings(toObject(request.getArgs())) : [];
      if (plain.length > 0) {
        throw new PluginError(grpc.status.INVALID_ARGUMENT, plain.map(plainSecretMessage).join("\n"));
      }
      settings = configuredSettings(request);
      return new proto.ConfigureResponse().setAcceptsecrets(true).setSupportspreview(false);
    }),

    invoke: unary(async (request: InstanceType<ProviderProto["InvokeRequest"]>) => {
      const args = reveal(toObject(request.getArgs())) as Properties;
      const outcome = await invokes.invoke(request.getTok(), args, settings);
      const response = new proto.InvokeResponse();
      if ("failures" in outcome) return response.setFailuresList(outcome.failures.map(toFailure));
      return response.setReturn(Struct.fromJavaScript(outcome.result as never));
    }),

    check: unary(async (request: InstanceType<ProviderProto["CheckRequest"]>) => {
      const { resource, implementation } = resourceOf(request.getUrn());
      const olds = reveal(toObject(request.getOlds())) as Properties;
      const rawNews = toObject(request.getNews());
      const news = reveal(rawNews) as Properties;
      for (const key of resource.nameDefaults) {
        if (news[key] === undefined) news[key] = parseUrn(request.getUrn()).name;
      }
      const result = await implementation.check(olds, news);
      const inputs = concealKeys(bagOf(jsonSafe(result.inputs ?? news)), [
        ...resource.secretOutputs,
        ...secretKeys(rawNews),
      ]);
      return new proto.CheckResponse()
        .setInputs(Struct.fromJavaScript(inputs as never))
        .setFailuresList((result.failures ?? []).map(toFailure));
    }),
    diff: unary(async (request: InstanceType<ProviderProto["DiffRequest"]>) => {
      const { implementation } = resourceOf(request.getUrn());
      const olds = reveal(toObject(request.getOlds())) as Properties;
      const news = reveal(toObject(request.getNews())) as Properties;
      return diffResponse(implementation.changes(olds, news), olds, news);
    }),
    create: unary(async (request: InstanceType<ProviderProto["CreateRequest"]>) => {
      const { resource, implementation } = resourceOf(request.getUrn());
      const raw = toObject(request.getProperties());
      const created = await implementation.create(reveal(raw) as Properties);
      return new proto.CreateResponse()
        .setId(created.id)
        .setProperties(outputStruct(resource, created.outs ?? {}, secretKeys(raw)));
    }),
    read: unary(async (request: InstanceType<ProviderProto["ReadRequest"]>) => {
      const { resource, implementation } = resourceOf(request.getUrn());
      const raw = toObject(request.getProperties());
      let id = request.getId();
      let props = reveal(raw) as Properties;
      if (Object.keys(props).length === 0) {
        // `pulumi import`: nothing is known but the id the user gave.
        const target = importTarget(resource, id);
        if (typeof target === "string") throw new PluginError(grpc.status.INVALID_ARGUMENT, target);
        ({ id, props } = target);
        if (resource.unreadable) console.warn(`${resource.unreadable.reason}.`);
      }
      const found = await implementation.read(id, props);
      const response = new proto.ReadResponse();
      if (!found.id) return response; // gone: the engine forgets it
      const hidden = [...secretKeys(raw), ...secretKeys(toObject(request.getInputs()))];
      return response
        .setId(found.id)
        .setProperties(outputStruct(resource, found.props ?? {}, hidden))
        .setInputs(outputStruct(resource, found.inputs ?? {}, hidden));
    }),
    update: unary(async (request: InstanceType<ProviderProto["UpdateRequest"]>) => {
      const { resource, implementation } = resourceOf(request.getUrn());
      const rawNews = toObject(request.getNews());
      const olds = reveal(toObject(request.getOlds())) as Properties;
      const updated = await implementation.update(request.getId(), olds, reveal(rawNews) as Properties);
      return new proto.UpdateResponse().setProperties(outputStruct(resource, updated.outs ?? {}, secretKeys(rawNews)));
    }),
    delete: unary(async (request: InstanceType<ProviderProto["DeleteRequest"]>) => {
      const { implementation } = resourceOf(request.getUrn());
      await implementation.delete(request.getId(), reveal(toObject(request.getProperties())) as Properties);
      return new Empty();
    }),
  };
}

/** A failure with the gRPC status the engine should see. */
class PluginError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * A unary handler: the engine sees the answer, or the error's own message (never a stack or a key);
 * warnings made while it runs are logged under the request's resource.
 */
function unary<Request>(handle: (request: Request) => Promise<unknown>): grpcTypes.handleUnaryCall<Request, unknown> {
  return (call, callback) => {
    const request: unknown = call.request;
    const urn = hasUrn(request) ? request.getUrn() : "";
    withResource(urn, () => handle(call.request)).then(
      (value) => callback(null, value),
      (error: unknown) => {
        const code = error instanceof PluginError ? error.code : grpc.status.UNKNOWN;
        callback({ code, details: error instanceof Error ? error.message : String(error) });
      },
    );
  };
}

function hasUrn(request: unknown): request is { getUrn: () => string } {
  return typeof request === "object" && request !== null && typeof Reflect.get(request, "getUrn") === "function";
}

function toObject(struct: InstanceType<typeof Struct> | undefined): Properties {
  return (struct?.toJavaScript() ?? {}) as Properties;
}

/** An implementation's answer as a property bag (a copy). */
function bagOf(value: object): Properties {
  return Object.fromEntries(Object.entries(value));
}

function toFailure(failure: CheckFailure): InstanceType<ProviderProto["CheckFailure"]> {
  return new proto.CheckFailure().setProperty(failure.property).setReason(failure.reason);
}

/** Outputs as a Struct, with the type's secret outputs and the given keys marked secret. */
function outputStruct(resource: ResourceRow, outputs: object, secretInputKeys: string[]): InstanceType<typeof Struct> {
  const concealed = concealKeys(bagOf(jsonSafe(outputs)), [...resource.secretOutputs, ...secretInputKeys]);
  return Struct.fromJavaScript(concealed as never);
}

/** A diff answer that names each changed property and whether it replaces the resource. */
function diffResponse(
  changes: PropertyChanges,
  olds: Properties,
  news: Properties,
): InstanceType<ProviderProto["DiffResponse"]> {
  const { Kind } = proto.PropertyDiff;
  const response = new proto.DiffResponse()
    .setChanges(
      changes.changed.length > 0 ? proto.DiffResponse.DiffChanges.DIFF_SOME : proto.DiffResponse.DiffChanges.DIFF_NONE,
    )
    .setDiffsList(changes.changed)
    .setReplacesList(changes.replaces)
    .setDeletebeforereplace(false)
    .setHasdetaileddiff(true);
  const detailed = response.getDetaileddiffMap();
  for (const key of changes.changed) {
    const replaces = changes.replaces.includes(key);
    const added = olds[key] === undefined || olds[key] === null;
    const deleted = news[key] === undefined || news[key] === null;
    const kind = added
      ? replaces
        ? Kind.ADD_REPLACE
        : Kind.ADD
      : deleted
        ? replaces
          ? Kind.DELETE_REPLACE
          : Kind.DELETE
        : replaces
          ? Kind.UPDATE_REPLACE
          : Kind.UPDATE;
    detailed.set(key, new proto.PropertyDiff().setKind(kind).setInputdiff(true));
  }
  return response;
}

/**
 * The settings a Configure call gives: its `args` (names without the package prefix, secrets marked),
 * else its `variables` (`onesignal:config:<name>`, the older form, or `onesignal:<name>`).
 */
function configuredSettings(request: InstanceType<ProviderProto["ConfigureRequest"]>): PartialSettings {
  if (request.hasArgs()) {
    const args = reveal(toObject(request.getArgs())) as Properties;
    return readStackConfig({
      get: (key) => {
        const value = args[key.slice(key.indexOf(":") + 1)];
        return typeof value === "string" || typeof value === "number" ? String(value) : undefined;
      },
    });
  }
  const variables = request.getVariablesMap();
  return readStackConfig({
    get: (key) => variables.get(key.replace(":", ":config:")) ?? variables.get(key) ?? undefined,
  });
}

/**
 * The secret settings that Configure's args give as plain values. The engine marks a stack config value secret
 * there where it was set with `--secret` (or `secure:`) and sends a plain one as it is; a plain organization or app
 * key would be kept in clear in the provider's state, so Configure refuses it, before any resource is checked or
 * any request made. A preview, and so `pulumi up`, stops there with nothing written; an update that skips its preview
 * has recorded the provider's settings by then (docs/provider-plugin.md). Configure's `variables`, the older form,
 * carry no marks: there a plain value cannot be told.
 */
export function plainSecretSettings(sent: Properties): SecretSetting[] {
  return SECRET_SETTINGS.filter((which) => {
    const value = sent[which];
    return value !== undefined && value !== null && value !== "" && !isSecret(value);
  });
}

/** The provider configuration's own rules: known names, a usable URL, whole milliseconds. */
export function checkConfig(config: Properties): CheckFailure[] {
  const failures: CheckFailure[] = [];
  for (const key of Object.keys(config)) {
    if (!CONFIG_NAMES.includes(key) && !ENGINE_CONFIG_NAMES.includes(key)) {
      failures.push({
        property: key,
        reason: `${key} is not a setting of the onesignal provider; it takes ${CONFIG_NAMES.join(", ")}`,
      });
    }
  }
  const layer: PartialSettings = {};
  for (const key of CONFIG_NAMES as (keyof PartialSettings)[]) {
    const value = config[key];
    if (typeof value === "string" || typeof value === "number") (layer as Properties)[key] = value;
    else if (value !== undefined && value !== null) {
      failures.push({ property: key, reason: `${key} must be text, not ${typeof value}` });
    }
  }
  // The settings' own rules, each problem naming its setting; the environment is the plugin process's own
  // business, so only what the configuration gives is checked.
  failures.push(...resolveSettings([layer], {}).problems);
  return failures;
}

/**
 * Starts the service on 127.0.0.1 and returns its port, which the plugin prints for the engine;
 * warnings go to the engine at `engineAddress`.
 */
export async function serve(info: PluginInfo, engineAddress?: string): Promise<number> {
  forwardWarnings(engineAddress);
  const server = new grpc.Server({ "grpc.max_receive_message_length": 400 * 1024 * 1024 });
  server.addService(service, providerService(info));
  return new Promise((resolve, reject) => {
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, port) =>
      error ? reject(error) : resolve(port),
    );
  });
}
