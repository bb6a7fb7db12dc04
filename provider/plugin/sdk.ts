/**
 * The installed `@pulumi/pulumi`'s internals the plugin is written on, in one place: its generated protocol
 * messages and services and the grpc-js and google-protobuf they were built with, loaded from the SDK itself
 * so that every class is the SDK's own copy. Each is checked where it is loaded, so an SDK release that moves
 * or renames one fails loudly here (and in test/unit/third-party-internals.test.ts), naming what is missing.
 */
import { createRequire } from "node:module";
import type * as grpcTypes from "@grpc/grpc-js";
import type * as emptyTypes from "google-protobuf/google/protobuf/empty_pb";
import type * as structTypes from "google-protobuf/google/protobuf/struct_pb";

type ProviderProto = typeof import("@pulumi/pulumi/proto/provider_pb");
type PluginProto = typeof import("@pulumi/pulumi/proto/plugin_pb");
type EngineProto = typeof import("@pulumi/pulumi/proto/engine_pb");
type EngineGrpc = typeof import("@pulumi/pulumi/proto/engine_grpc_pb");

/** `require` as from inside the SDK: `sdkRequire("./proto/provider_pb")`, `sdkRequire("google-protobuf/...")`. */
export const sdkRequire = createRequire(require.resolve("@pulumi/pulumi/package.json"));

/** `module` from the SDK, with the members the plugin uses checked. */
function load<T>(module: string, members: string[]): T {
  const loaded = sdkRequire(module) as Record<string, unknown>;
  const missing = members.filter((member) => loaded?.[member] === undefined);
  if (missing.length > 0) {
    const version = (sdkRequire("./package.json") as { version?: string }).version;
    throw new Error(
      `@pulumi/pulumi ${version}'s ${module} has no ${missing.join(", ")}: this pulumi-onesignal was written against 3.248`,
    );
  }
  return loaded as T;
}

/** The SDK's grpc-js. */
export const grpc = load<typeof grpcTypes>("@grpc/grpc-js", ["Server", "ServerCredentials", "credentials", "status"]);

/** The provider protocol's messages the plugin answers with. */
export const providerProto = load<ProviderProto>("./proto/provider_pb", [
  "CheckFailure",
  "CheckResponse",
  "ConfigureResponse",
  "CreateResponse",
  "DiffResponse",
  "GetSchemaResponse",
  "InvokeResponse",
  "PropertyDiff",
  "ReadResponse",
  "UpdateResponse",
]);

/** The plugin protocol's messages. */
export const pluginProto = load<PluginProto>("./proto/plugin_pb", ["PluginInfo"]);

/** The `pulumirpc.ResourceProvider` service definition. */
export const providerService = load<{ ResourceProviderService: grpcTypes.ServiceDefinition }>(
  "./proto/provider_grpc_pb",
  ["ResourceProviderService"],
).ResourceProviderService;

/** google-protobuf's `Struct` and `Empty`, as the SDK's messages use them. */
export const { Struct } = load<typeof structTypes>("google-protobuf/google/protobuf/struct_pb", ["Struct"]);
export const { Empty } = load<typeof emptyTypes>("google-protobuf/google/protobuf/empty_pb", ["Empty"]);

/** The engine protocol, for the plugin's log: loaded when the engine gives its address. */
export function engineProtocol(): { proto: EngineProto; EngineClient: EngineGrpc["EngineClient"] } {
  const proto = load<EngineProto>("./proto/engine_pb", ["LogRequest", "LogSeverity"]);
  const { EngineClient } = load<EngineGrpc>("./proto/engine_grpc_pb", ["EngineClient"]);
  return { proto, EngineClient };
}
