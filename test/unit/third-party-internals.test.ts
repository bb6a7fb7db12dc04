/**
 * The internals of third-party packages this project leans on, each behind one module: these fail, naming
 * what moved, when a release of axios or @pulumi/pulumi changes them.
 */

import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { nodeHttpAdapter, requestConfig, settledConfig } from "../../provider/client/axios-internals";
import { engineProtocol, grpc, pluginProto, providerProto, providerService, Struct } from "../../provider/plugin/sdk";
import { isSecretStackConfig } from "../../provider/resources/pulumi-config-internals";
import { VENDORED, vendored } from "../../provider/runner/typescript";
import { ROOT, runNodeWith } from "../support/processes";

describe("axios: the Node.js adapter, called with a configuration settled once", () => {
  it("sends a request whose client settings (base URL, response type) come through the prototype", async () => {
    const seen: { url?: string; header?: string } = {};
    const server = createServer((request, response) => {
      seen.url = request.url;
      seen.header = request.headers["x-test"] as string;
      response.end('{"ok":true}');
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const base = settledConfig({
        baseURL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
        responseType: "text",
        validateStatus: () => true,
        maxRedirects: 0,
      });
      const answer = await nodeHttpAdapter()(
        requestConfig(base, { method: "get", url: "/apps", headers: { "x-test": "yes" }, params: { limit: 2 } }),
      );
      expect(seen).toEqual({ url: "/v1/apps?limit=2", header: "yes" });
      expect(answer.status).toBe(200);
      // responseType "text" came from the prototype: the body is the text, not parsed.
      expect(answer.data).toBe('{"ok":true}');
    } finally {
      server.close();
    }
  });
});

describe("@pulumi/pulumi: the generated protocol the plugin is written on", () => {
  it("has the messages, the service and the helpers the plugin uses", () => {
    expect(
      new providerProto.CheckResponse()
        .setInputs(Struct.fromJavaScript({ a: 1 }))
        .getInputs()
        ?.toJavaScript(),
    ).toEqual({
      a: 1,
    });
    expect(new pluginProto.PluginInfo().setVersion("1").getVersion()).toBe("1");
    expect(Object.keys(providerService)).toEqual(expect.arrayContaining(["check", "diff", "create", "read", "update"]));
    expect(typeof grpc.Server).toBe("function");
    const { proto, EngineClient } = engineProtocol();
    expect(typeof EngineClient).toBe("function");
    expect(proto.LogSeverity.WARNING).toBeDefined();
  });
});

describe("@pulumi/pulumi: the vendored ts-node that runs TypeScript programs", () => {
  it("is where the runner and scripts/ts-register.cjs look for it", () => {
    const sdk = path.dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [ROOT] }));
    expect(vendored(sdk, "tsNode")).toBe(path.join(sdk, "vendor", VENDORED.tsNode));
    expect(vendored(sdk, "typescript")).toBe(path.join(sdk, "vendor", VENDORED.typescript));
    expect(readFileSync(path.join(ROOT, "scripts/ts-register.cjs"), "utf8")).toContain(`"${VENDORED.tsNode}"`);
    expect(() => vendored(path.join(ROOT, "no-sdk-here"), "tsNode")).toThrow(/has no vendor\/ts-node@7\.0\.1/);
  });
});

describe("@pulumi/pulumi: runtime.isConfigSecret, which tells a secret stack config value from a plain one", () => {
  it("answers for the config an Automation API inline program is handed (runtime.setAllConfig)", () => {
    const pulumi = require("@pulumi/pulumi") as typeof import("@pulumi/pulumi");
    try {
      pulumi.runtime.setAllConfig({ "onesignal:organizationApiKey": "plain", "onesignal:appApiKey": "hidden" }, [
        "onesignal:appApiKey",
      ]);
      expect(isSecretStackConfig("onesignal:appApiKey")).toBe(true);
      expect(isSecretStackConfig("onesignal:organizationApiKey")).toBe(false);
      // The older form of a key, as an older engine may name it.
      pulumi.runtime.setAllConfig({ "onesignal:config:appApiKey": "hidden" }, ["onesignal:config:appApiKey"]);
      expect(isSecretStackConfig("onesignal:appApiKey")).toBe(true);
    } finally {
      pulumi.runtime.setAllConfig({}, []);
    }
  });

  it("answers for the config the Node.js language host (the plain `pulumi` CLI) puts in the environment", async () => {
    const ran = await runNodeWith(
      [
        "--require",
        path.join(ROOT, "scripts/ts-register.cjs"),
        "-e",
        'const { isSecretStackConfig } = require("./provider/resources/pulumi-config-internals");' +
          'console.log(JSON.stringify(["onesignal:organizationApiKey", "onesignal:appApiKey"].map(isSecretStackConfig)));',
      ],
      {
        PULUMI_CONFIG: JSON.stringify({ "onesignal:organizationApiKey": "hidden", "onesignal:appApiKey": "plain" }),
        PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(["onesignal:organizationApiKey"]),
      },
    );
    expect(ran.stderr).toBe("");
    expect(JSON.parse(ran.stdout)).toEqual([true, false]);
  });
});
