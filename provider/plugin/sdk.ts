/**
 * Modules of the installed `@pulumi/pulumi`: its generated protocol messages and the grpc-js they were
 * built with, loaded from the SDK itself so that every class is the SDK's own copy.
 */
import { createRequire } from "node:module";
import type * as grpcTypes from "@grpc/grpc-js";

/** `require` as from inside the SDK: `sdkRequire("./proto/provider_pb")`, `sdkRequire("google-protobuf/...")`. */
export const sdkRequire = createRequire(require.resolve("@pulumi/pulumi/package.json"));

/** The SDK's grpc-js. */
export const grpc = sdkRequire("@grpc/grpc-js") as typeof grpcTypes;
