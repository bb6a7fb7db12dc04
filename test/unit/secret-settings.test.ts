/**
 * Secret settings given in plain are refused, naming the key and how to give it, never its value; the runner's
 * result file keeps no secret.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { afterEach, describe, expect, it } from "vitest";
import { CONFIG_KEYS, plainSecretMessage, SECRET_SETTINGS } from "../../provider/config";
import { plainSecretSettings } from "../../provider/plugin/server";
import { refusePlainSecretConfig, registration } from "../../provider/resources/declare";
import { RESOURCES } from "../../provider/resources/registry";
import { maskedResult, SECRET_MASK, writeResultFile } from "../../provider/runner/result-file";
import type { ProjectRunResult } from "../../provider/runner/types";
import { SCHEMA_FILE } from "../../scripts/schema";

const SIG = "4dabf18193072939515e22adb298388d";
const SECRET = "1b47061264138c4ac30d75fd1eb44270";

describe("the secret settings", () => {
  it("are the ones the plugin's schema marks secret", () => {
    // The schema the plugin serves (test/unit/plugin-schema.test.ts holds it to its generator).
    const schema = JSON.parse(readFileSync(SCHEMA_FILE, "utf8")) as {
      config: { variables: Record<string, { secret?: boolean }> };
    };
    const secret = Object.entries(schema.config.variables)
      .filter(([, spec]) => spec.secret)
      .map(([name]) => name);
    expect(secret.sort()).toEqual([...SECRET_SETTINGS].sort());
  });

  it("are refused in plain with the key, the command that sets it as a secret and the variables", () => {
    expect(plainSecretMessage("organizationApiKey")).toBe(
      "onesignal:organizationApiKey is set as plain stack config, which Pulumi keeps in clear in the stack's state: " +
        "set it as a secret with `pulumi config set --secret onesignal:organizationApiKey <key>`, " +
        "or give it in the environment variable ONESIGNAL_ORGANIZATION_API_KEY (or ONESIGNAL_USER_AUTH_KEY) instead.",
    );
    expect(plainSecretMessage("appApiKey")).toContain("pulumi config set --secret onesignal:appApiKey <key>");
    expect(plainSecretMessage("appApiKey")).toContain("ONESIGNAL_APP_API_KEY (or ONESIGNAL_REST_API_KEY)");
  });
});

describe("a program's stack config, at a resource's registration", () => {
  afterEach(() => pulumi.runtime.setAllConfig({}, []));

  it("refuses a plain organization key before anything registers, naming the key and never the value", () => {
    pulumi.runtime.setAllConfig({ [CONFIG_KEYS.organizationApiKey]: "os_v2_org_plainvalue" }, []);
    let thrown: unknown;
    try {
      registration(RESOURCES.App, "app", { name: "shop" }, undefined);
    } catch (error) {
      thrown = error;
    }
    // A RunError: the engine shows its message alone, with no stack trace.
    expect(thrown).toBeInstanceOf(pulumi.RunError);
    expect((thrown as Error).message).toBe(plainSecretMessage("organizationApiKey"));
    expect((thrown as Error).message).not.toContain("os_v2_org_plainvalue");
  });

  it("refuses a plain app key for any resource type", () => {
    pulumi.runtime.setAllConfig({ [CONFIG_KEYS.organizationApiKey]: "hidden", [CONFIG_KEYS.appApiKey]: "plain" }, [
      CONFIG_KEYS.organizationApiKey,
    ]);
    expect(() => refusePlainSecretConfig()).toThrow(plainSecretMessage("appApiKey"));
  });

  it("takes keys set as secrets, empty values and no keys at all", () => {
    pulumi.runtime.setAllConfig(
      { [CONFIG_KEYS.organizationApiKey]: "hidden", [CONFIG_KEYS.appApiKey]: "", [CONFIG_KEYS.apiUrl]: "http://x" },
      [CONFIG_KEYS.organizationApiKey],
    );
    expect(() => registration(RESOURCES.App, "app", { name: "shop" }, undefined)).not.toThrow();
    pulumi.runtime.setAllConfig({}, []);
    expect(() => refusePlainSecretConfig()).not.toThrow();
  });
});

describe("the plugin's Configure args", () => {
  it("name the secret settings given without the engine's secret mark", () => {
    expect(
      plainSecretSettings({
        apiUrl: "http://x",
        organizationApiKey: "plain",
        appApiKey: { [SIG]: SECRET, value: "k" },
      }),
    ).toEqual(["organizationApiKey"]);
    expect(plainSecretSettings({ appApiKey: "plain", organizationApiKey: "" })).toEqual(["appApiKey"]);
    expect(plainSecretSettings({ apiUrl: "http://x", version: "0.1.0" })).toEqual([]);
  });
});

describe("the runner's result file", () => {
  const result = (): ProjectRunResult => ({
    operation: "up",
    steps: [],
    changes: { create: 2 },
    outputs: { appId: { value: "a1", secret: false }, apiKey: { value: "os_v2_app_token", secret: true } },
    diagnostics: [],
    mode: "inline",
    stateDir: "/s",
    workDir: "/w",
    backendUrl: "file:///s/backend",
  });

  it("masks secret outputs as Pulumi shows them, and leaves the others", () => {
    expect(maskedResult(result()).outputs).toEqual({
      appId: { value: "a1", secret: false },
      apiKey: { value: SECRET_MASK, secret: true },
    });
    expect(SECRET_MASK).toBe("[secret]");
  });

  it("is created with mode 0600, also in place of a file readable by all", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "result-file-"));
    try {
      const fresh = path.join(dir, "fresh.json");
      writeResultFile(fresh, result());
      expect(statSync(fresh).mode & 0o777).toBe(0o600);
      const existing = path.join(dir, "existing.json");
      writeFileSync(existing, "{}", { mode: 0o644 });
      writeResultFile(existing, { ...result(), error: "failed" });
      expect(statSync(existing).mode & 0o777).toBe(0o600);
      const text = readFileSync(existing, "utf8");
      expect(text).not.toContain("os_v2_app_token");
      expect(JSON.parse(text)).toMatchObject({ error: "failed", outputs: { apiKey: { value: "[secret]" } } });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
