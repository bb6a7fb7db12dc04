import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import * as grpc from "@grpc/grpc-js";
import { ResourceProviderClient } from "@pulumi/pulumi/proto/provider_grpc_pb";
import {
  CheckRequest,
  ConfigureRequest,
  CreateRequest,
  DeleteRequest,
  DiffRequest,
  DiffResponse,
  ReadRequest,
  UpdateRequest,
} from "@pulumi/pulumi/proto/provider_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";

/** A property bag as the engine sends it: JSON values. */
export type PropertyMap = Record<string, unknown>;

/** What `check` answered. */
export interface CheckAnswer {
  inputs: PropertyMap;
  failures: { property: string; reason: string }[];
}

/** What `diff` answered. */
export interface DiffAnswer {
  changes: "none" | "some" | "unknown";
  replaces: string[];
  deleteBeforeReplace: boolean;
}

/** A gRPC error from the host, with the message the engine would print. */
export class HostError extends Error {
  readonly code: number;
  constructor(method: string, error: grpc.ServiceError) {
    super(`${method}: ${error.details || error.message}`);
    this.name = "HostError";
    this.code = error.code;
  }
}

function struct(value: PropertyMap): Struct {
  return Struct.fromJavaScript(value as Parameters<typeof Struct.fromJavaScript>[0]);
}

/**
 * The real dynamic-provider host of `@pulumi/pulumi` (`cmd/dynamic-provider`), started as the
 * engine starts it and driven over gRPC as the engine drives it.
 */
export class ProviderHost {
  private constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    private readonly client: ResourceProviderClient,
    /** Everything the host printed on stdout (after the port) and stderr, as the CLI would show it. */
    readonly output: string[],
  ) {}

  /** Spawns the host in `cwd` (where the program's node_modules are) and connects to it. */
  static async start(cwd: string, project = "test-project"): Promise<ProviderHost> {
    const entry = require.resolve("@pulumi/pulumi/cmd/dynamic-provider", { paths: [cwd] });
    const child = spawn(process.execPath, [entry, "127.0.0.1:1"], {
      cwd,
      env: { ...process.env, PULUMI_NODEJS_PROJECT: project },
    });
    const output: string[] = [];
    const port = await new Promise<string>((resolve, reject) => {
      let buffer = "";
      const onData = (data: Buffer) => {
        buffer += data.toString();
        const newline = buffer.indexOf("\n");
        if (newline >= 0) {
          child.stdout.off("data", onData);
          const rest = buffer.slice(newline + 1);
          if (rest) output.push(rest);
          child.stdout.on("data", (more: Buffer) => output.push(more.toString()));
          resolve(buffer.slice(0, newline).trim());
        }
      };
      child.stdout.on("data", onData);
      child.once("exit", (code) =>
        reject(new Error(`the dynamic-provider host exited with ${code}: ${output.join("")}`)),
      );
      child.once("error", reject);
    });
    child.stderr.on("data", (data: Buffer) => output.push(data.toString()));
    const client = new ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    return new ProviderHost(child, client, output);
  }

  private call<Req, Res>(method: string, request: Req): Promise<Res> {
    return new Promise((resolve, reject) => {
      const fn = (
        this.client as unknown as Record<string, (r: Req, cb: (e: grpc.ServiceError | null, r: Res) => void) => void>
      )[method];
      if (!fn) throw new Error(`no gRPC method ${method}`);
      fn.call(this.client, request, (error, response) =>
        error ? reject(new HostError(method, error)) : resolve(response),
      );
    });
  }

  /** Configure: the whole stack config with namespaced keys, as the engine sends it. */
  async configure(config: Record<string, string>): Promise<void> {
    const request = new ConfigureRequest();
    request.setArgs(struct(config));
    for (const [key, value] of Object.entries(config)) request.getVariablesMap().set(key, value);
    await this.call("configure", request);
  }

  /** Check: validates and defaults new inputs against the old ones. */
  async check(urn: string, olds: PropertyMap, news: PropertyMap): Promise<CheckAnswer> {
    const request = new CheckRequest();
    request.setUrn(urn);
    request.setOlds(struct(olds));
    request.setNews(struct(news));
    const response = await this.call<CheckRequest, import("@pulumi/pulumi/proto/provider_pb").CheckResponse>(
      "check",
      request,
    );
    return {
      inputs: (response.getInputs()?.toJavaScript() ?? {}) as PropertyMap,
      failures: response
        .getFailuresList()
        .map((failure) => ({ property: failure.getProperty(), reason: failure.getReason() })),
    };
  }

  /** Diff: old outputs against new checked inputs. */
  async diff(urn: string, id: string, olds: PropertyMap, news: PropertyMap): Promise<DiffAnswer> {
    const request = new DiffRequest();
    request.setUrn(urn);
    request.setId(id);
    request.setOlds(struct(olds));
    request.setNews(struct(news));
    const response = await this.call<DiffRequest, DiffResponse>("diff", request);
    const changes = response.getChanges();
    return {
      changes:
        changes === DiffResponse.DiffChanges.DIFF_SOME
          ? "some"
          : changes === DiffResponse.DiffChanges.DIFF_NONE
            ? "none"
            : "unknown",
      replaces: response.getReplacesList(),
      deleteBeforeReplace: response.getDeletebeforereplace(),
    };
  }

  /** Create: returns the new id and outputs. */
  async create(urn: string, properties: PropertyMap): Promise<{ id: string; outputs: PropertyMap }> {
    const request = new CreateRequest();
    request.setUrn(urn);
    request.setProperties(struct(properties));
    const response = await this.call<CreateRequest, import("@pulumi/pulumi/proto/provider_pb").CreateResponse>(
      "create",
      request,
    );
    return { id: response.getId(), outputs: (response.getProperties()?.toJavaScript() ?? {}) as PropertyMap };
  }

  /** Read (refresh): an empty id means the object is gone. */
  async read(
    urn: string,
    id: string,
    properties: PropertyMap,
    inputs: PropertyMap,
  ): Promise<{ id: string; outputs: PropertyMap; inputs: PropertyMap | undefined }> {
    const request = new ReadRequest();
    request.setUrn(urn);
    request.setId(id);
    request.setProperties(struct(properties));
    request.setInputs(struct(inputs));
    const response = await this.call<ReadRequest, import("@pulumi/pulumi/proto/provider_pb").ReadResponse>(
      "read",
      request,
    );
    return {
      id: response.getId(),
      outputs: (response.getProperties()?.toJavaScript() ?? {}) as PropertyMap,
      inputs: response.getInputs()?.toJavaScript() as PropertyMap | undefined,
    };
  }

  /** Update: old outputs and new inputs in, new outputs out. */
  async update(urn: string, id: string, olds: PropertyMap, news: PropertyMap): Promise<PropertyMap> {
    const request = new UpdateRequest();
    request.setUrn(urn);
    request.setId(id);
    request.setOlds(struct(olds));
    request.setNews(struct(news));
    const response = await this.call<UpdateRequest, import("@pulumi/pulumi/proto/provider_pb").UpdateResponse>(
      "update",
      request,
    );
    return (response.getProperties()?.toJavaScript() ?? {}) as PropertyMap;
  }

  /** Delete: old outputs in. */
  async delete(urn: string, id: string, properties: PropertyMap): Promise<void> {
    const request = new DeleteRequest();
    request.setUrn(urn);
    request.setId(id);
    request.setProperties(struct(properties));
    await this.call("delete", request);
  }

  /** Stops the host and waits for it to exit. */
  async close(): Promise<void> {
    this.client.close();
    if (this.child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      this.child.once("exit", () => resolve());
      this.child.kill("SIGTERM");
    });
  }
}
