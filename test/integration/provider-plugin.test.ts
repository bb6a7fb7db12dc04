import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import type * as grpcTypes from "@grpc/grpc-js";
import type * as structTypes from "google-protobuf/google/protobuf/struct_pb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { grpc, sdkRequire } from "../../provider/plugin/sdk";
import { addAndroidDevice, createAppWithKey } from "../support/fixtures";
import { ROOT, type Started, startNode } from "../support/processes";
import { useEmulator } from "../support/use-emulator";

// The plugin's own process over gRPC, with the SDK's generated client: what the engine sends, one call at a time.
const { Struct } = sdkRequire("google-protobuf/google/protobuf/struct_pb") as typeof structTypes;
const proto = sdkRequire("./proto/provider_pb") as typeof import("@pulumi/pulumi/proto/provider_pb");
const { ResourceProviderClient } = sdkRequire(
  "./proto/provider_grpc_pb",
) as typeof import("@pulumi/pulumi/proto/provider_grpc_pb");

const MAIN = "dist/provider/plugin/main.js";
const SIG = "4dabf18193072939515e22adb298388d";
const SECRET = "1b47061264138c4ac30d75fd1eb44270";
const urn = (type: string, name: string) => `urn:pulumi:dev::test::onesignal:index:${type}::${name}`;
const version = (JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string }).version;

let plugin: Started;
let client: InstanceType<typeof ResourceProviderClient>;

/** One unary call; rejects with the gRPC error. */
function call<Response>(method: string, request: unknown): Promise<Response> {
  return new Promise((resolve, reject) => {
    (client as unknown as Record<string, (r: unknown, cb: (e: Error | null, v: Response) => void) => void>)[
      method
    ]?.call(client, request, (error, value) => (error ? reject(error) : resolve(value)));
  });
}

const struct = (value: Record<string, unknown>) => Struct.fromJavaScript(value as never);

describe("pulumi-resource-onesignal, the provider plugin's process", () => {
  const { emulator } = useEmulator();

  beforeAll(async () => {
    plugin = startNode(MAIN, []);
    const port = await new Promise<string>((resolve, reject) => {
      const poll = setInterval(() => {
        const line = plugin.stdout().split("\n")[0];
        if (line && /^\d+$/.test(line.trim())) {
          clearInterval(poll);
          resolve(line.trim());
        }
      }, 20);
      plugin.exited.then((code) => {
        clearInterval(poll);
        reject(new Error(`the plugin exited (${code}): ${plugin.stderr()}`));
      });
    });
    client = new ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    const configure = new proto.ConfigureRequest()
      .setArgs(
        struct({ apiUrl: emulator.url, organizationApiKey: { [SIG]: SECRET, value: emulator.organizationApiKey } }),
      )
      .setAcceptsecrets(true);
    await call("configure", configure);
  });
  afterAll(async () => {
    client?.close();
    plugin?.child.kill();
    await plugin?.exited;
  });

  it("prints its version and its schema", () => {
    const run = (flag: string) => execFileSync(process.execPath, [path.join(ROOT, MAIN), flag], { encoding: "utf8" });
    expect(run("--version").trim()).toBe(version);
    const schema = JSON.parse(run("--schema")) as Record<string, unknown>;
    const file = JSON.parse(readFileSync(path.join(ROOT, "provider/plugin/schema.json"), "utf8")) as object;
    expect(schema).toEqual({ ...file, version });
  });

  it("serves the schema and its version to the engine", async () => {
    const schema = await call<InstanceType<typeof proto.GetSchemaResponse>>("getSchema", new proto.GetSchemaRequest());
    expect(JSON.parse(schema.getSchema())).toMatchObject({ name: "onesignal", version });
  });

  it("check keeps secret inputs secret, makes the key's name default to the resource name, and names bad input", async () => {
    const request = new proto.CheckRequest()
      .setUrn(urn("ApiKey", "server"))
      .setOlds(struct({}))
      .setNews(struct({ appId: "a1", ipAllowlist: [] }));
    const checked = await call<InstanceType<typeof proto.CheckResponse>>("check", request);
    expect(checked.getFailuresList()).toEqual([]);
    expect(checked.getInputs()?.toJavaScript()).toMatchObject({
      appId: "a1",
      name: "server",
      ipAllowlistMode: "disabled",
    });

    const segment = await call<InstanceType<typeof proto.CheckResponse>>(
      "check",
      new proto.CheckRequest()
        .setUrn(urn("Segment", "vips"))
        .setOlds(struct({}))
        .setNews(
          struct({
            appId: "a1",
            name: "VIPs",
            apiKey: { [SIG]: SECRET, value: "app-key" },
            filters: [{ field: "tag", key: "level", relation: ">", value: 10 }],
            colour: "red",
          }),
        ),
    );
    expect(segment.getFailuresList().map((failure) => [failure.getProperty(), failure.getReason()])).toEqual([
      ["colour", expect.stringMatching(/colour/)],
    ]);
    expect(segment.getInputs()?.toJavaScript()).toMatchObject({ apiKey: { [SIG]: SECRET, value: "app-key" } });
  });

  it("diff names each changed property and whether it replaces", async () => {
    const olds = { appId: "a1", name: "VIPs", filters: [{ operator: "OR" }], apiKey: "k" };
    const diff = await call<InstanceType<typeof proto.DiffResponse>>(
      "diff",
      new proto.DiffRequest()
        .setUrn(urn("Segment", "vips"))
        .setId("s1")
        .setOlds(struct(olds))
        .setNews(struct({ ...olds, appId: "a2", name: "Whales", description: "big" })),
    );
    expect(diff.getChanges()).toBe(proto.DiffResponse.DiffChanges.DIFF_SOME);
    expect(diff.getReplacesList()).toEqual(["appId"]);
    const kinds: Record<string, number> = {};
    diff.getDetaileddiffMap().forEach((value, key) => {
      kinds[key] = value.getKind();
    });
    const { Kind } = proto.PropertyDiff;
    expect(kinds).toEqual({ appId: Kind.UPDATE_REPLACE, name: Kind.UPDATE, description: Kind.ADD });
  });

  it("creates through the same implementation, with the token a secret output", async () => {
    const app = await emulator.api<{ id: string }>("POST", "/apps", emulator.organizationApiKey, { name: "plugin" });
    const created = await call<InstanceType<typeof proto.CreateResponse>>(
      "create",
      new proto.CreateRequest()
        .setUrn(urn("ApiKey", "k"))
        .setProperties(struct({ appId: app.body.id, name: "k", ipAllowlistMode: "disabled", ipAllowlist: [] })),
    );
    const outputs = created.getProperties()?.toJavaScript() as Record<string, unknown>;
    expect(outputs.tokenId).toBe(created.getId());
    expect(outputs.token).toMatchObject({ [SIG]: SECRET, value: expect.stringMatching(/^os_v2_app_/) });
  });

  it("serves the look-up functions with the configured key or a secret apiKey argument", async () => {
    const app = await createAppWithKey(emulator, "invoked");
    const appKey = { [SIG]: SECRET, value: app.appKey };
    await emulator.api("POST", `/apps/${app.appId}/segments`, app.appKey, {
      name: "Testers",
      filters: [{ field: "tag", key: "tester", relation: "=", value: "yes" }],
    });
    const template = await emulator.api<{ id: string }>("POST", "/templates", app.appKey, {
      app_id: app.appId,
      name: "Welcome",
      contents: { en: "Hi" },
    });
    const device = await addAndroidDevice(emulator, app);
    const invoke = async (fn: string, args: Record<string, unknown>) => {
      const request = new proto.InvokeRequest().setTok(`onesignal:index/${fn}:${fn}`).setArgs(struct(args));
      const response = await call<InstanceType<typeof proto.InvokeResponse>>("invoke", request);
      expect(response.getFailuresList()).toEqual([]);
      return response.getReturn()?.toJavaScript() as Record<string, unknown>;
    };

    // The organization key from the provider's configuration.
    expect(await invoke("getApp", { appId: app.appId })).toMatchObject({ id: app.appId, name: "invoked" });
    const apps = (await invoke("listApps", {})).apps as { name: string }[];
    expect(apps.map((each) => each.name)).toContain("invoked");
    // The app's own key, given as a secret argument.
    const segments = (await invoke("getSegments", { appId: app.appId, apiKey: appKey })).segments;
    expect(segments).toEqual([expect.objectContaining({ name: "Testers" })]);
    expect(
      await invoke("getTemplate", { appId: app.appId, templateId: template.body.id, apiKey: appKey }),
    ).toMatchObject({ id: template.body.id, name: "Welcome", channel: "push", contents: { en: "Hi" } });
    expect((await invoke("listTemplates", { appId: app.appId, apiKey: appKey })).templates).toEqual([
      expect.objectContaining({ id: template.body.id }),
    ]);
    const gotDevice = await invoke("getDevice", { appId: app.appId, deviceId: device, apiKey: appKey });
    expect(gotDevice).toMatchObject({ id: device, deviceType: 1, deviceTypeName: "android" });
    expect(typeof gotDevice.createdAt).toBe("string");
    const sent = await emulator.api<{ id: string }>("POST", "/notifications", app.appKey, {
      app_id: app.appId,
      contents: { en: "Hello" },
      included_segments: ["Total Subscriptions"],
    });
    const listed = await invoke("listNotifications", { appId: app.appId, apiKey: appKey, limit: 5 });
    expect(listed.notifications).toEqual([expect.objectContaining({ id: sent.body.id })]);
    const notification = await invoke("getNotification", {
      appId: app.appId,
      notificationId: sent.body.id,
      apiKey: appKey,
    });
    expect(notification).toMatchObject({ id: sent.body.id, appId: app.appId, successful: 1, canceled: false });
  });

  it("refuses bad function input by name before any request, and names an unknown function", async () => {
    const requests = await emulator.requestsDuring(async () => {
      const refused = await call<InstanceType<typeof proto.InvokeResponse>>(
        "invoke",
        new proto.InvokeRequest()
          .setTok("onesignal:index/listNotifications:listNotifications")
          .setArgs(struct({ colour: "red", limit: 5000, kind: "api" })),
      );
      expect(refused.getFailuresList().map((failure) => [failure.getProperty(), failure.getReason()])).toEqual([
        ["colour", expect.stringMatching(/^listNotifications takes no argument colour; it takes appId, .*apiKey/)],
        ["kind", "kind must be a number, not the string api"],
        ["appId", "listNotifications needs appId"],
        ["limit", "limit must be a whole number from 1 to 1000"],
      ]);
      const unknown = await call("invoke", new proto.InvokeRequest().setTok("onesignal:index/getUser:getUser")).catch(
        (error: grpcTypes.ServiceError) => error,
      );
      expect((unknown as grpcTypes.ServiceError).details).toMatch(
        /^onesignal:index\/getUser:getUser is not a function of the onesignal provider; it has onesignal:index\/getApp:getApp, /,
      );
      // No app key is configured: the app's functions say how to give one.
      const keyless = await call(
        "invoke",
        new proto.InvokeRequest().setTok("onesignal:index/getSegments:getSegments").setArgs(struct({ appId: "a1" })),
      ).catch((error: grpcTypes.ServiceError) => error);
      expect((keyless as grpcTypes.ServiceError).details).toMatch(
        /^getSegments: No OneSignal app API key: .*appApiKey/,
      );
    });
    expect(requests).toEqual([]);
  });

  it("refuses an import id of the wrong form, saying which it takes", async () => {
    const failed = await call("read", new proto.ReadRequest().setUrn(urn("Template", "t")).setId("t1")).catch(
      (error: grpcTypes.ServiceError) => error,
    );
    expect((failed as grpcTypes.ServiceError).code).toBe(grpc.status.INVALID_ARGUMENT);
    expect((failed as grpcTypes.ServiceError).details).toBe(
      'import a Template by "<appId>/<templateId>", not "t1": it belongs to an app',
    );
  });

  it("refuses bad provider settings by name", async () => {
    const checked = await call<InstanceType<typeof proto.CheckResponse>>(
      "checkConfig",
      new proto.CheckRequest()
        .setUrn("urn:pulumi:dev::test::pulumi:providers:onesignal::default")
        .setOlds(struct({}))
        .setNews(struct({ apiUrl: "not a url", version: "0.1.0" })),
    );
    expect(checked.getFailuresList().map((failure) => failure.getProperty())).toEqual(["apiUrl"]);
  });
});
