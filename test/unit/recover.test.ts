import { describe, expect, it } from "vitest";
import { RESOURCES } from "../../provider/resources/registry";
import {
  type ExportedState,
  pendingCreates,
  type RecoveryStep,
  recoveredState,
  revealSecrets,
  stepFor,
} from "../../provider/runner/recover";

const SIG = "4dabf18193072939515e22adb298388d";
const stackUrn = "urn:pulumi:dev::p::pulumi:pulumi:Stack::p-dev";
const appUrn = "urn:pulumi:dev::p::pulumi-nodejs:dynamic/onesignal:App::app";
const RESOURCES_TYPE = { app: "pulumi-nodejs:dynamic/onesignal:App" };
const keyUrn = "urn:pulumi:dev::p::onesignal:index:ApiKey::key";

/** A state as `pulumi stack export` gives it after a run killed while creating an app and a key. */
function killedState(): ExportedState {
  return {
    version: 3,
    deployment: {
      manifest: { time: "2026-12-05T07:00:00Z" },
      resources: [{ urn: stackUrn, custom: false, type: "pulumi:pulumi:Stack" }],
      pending_operations: [
        {
          type: "creating",
          resource: { urn: appUrn, custom: true, type: RESOURCES_TYPE.app, inputs: { name: "shop" } },
        },
        {
          type: "creating",
          resource: {
            urn: keyUrn,
            custom: true,
            type: "onesignal:index:ApiKey",
            inputs: {
              appId: "a-1",
              name: "deploy",
              apiKey: { [SIG]: "1b47061264138c4ac30d75fd1eb44270", ciphertext: "v1:x" },
            },
          },
        },
        { type: "updating", resource: { urn: "urn:other", type: RESOURCES_TYPE.app, inputs: {} } },
        { type: "creating", resource: { urn: "urn:random", type: "random:index:RandomId", inputs: {} } },
      ],
    },
  };
}

describe("recovery after a killed deployment (pure rules)", () => {
  it("finds the pending creates of our types only, dynamic or plugin", () => {
    const pending = pendingCreates(killedState());
    expect(pending.map((item) => [item.urn, item.row.name])).toEqual([
      [appUrn, "App"],
      [keyUrn, "ApiKey"],
    ]);
  });

  it("reveals secrets an export shows, at any depth", () => {
    expect(revealSecrets({ a: [{ [SIG]: "1b47061264138c4ac30d75fd1eb44270", plaintext: '"key"' }], b: 1 })).toEqual({
      a: ["key"],
      b: 1,
    });
  });

  it("adopts the one object found, deletes an orphan API key, clears what never landed, stops on several", () => {
    const [app, key] = pendingCreates(killedState()) as [
      ReturnType<typeof pendingCreates>[0],
      ReturnType<typeof pendingCreates>[0],
    ];
    expect(stepFor(app, [{ id: "app-1", name: "shop" }])).toMatchObject({ action: "adopt", id: "app-1" });
    expect(stepFor(key, [{ id: "t-1", name: "deploy" }])).toMatchObject({ action: "delete", id: "t-1" });
    expect(stepFor(app, [])).toMatchObject({ action: "clear" });
    expect(stepFor(app, [{ id: "1" }, { id: "2" }])).toMatchObject({ action: "ambiguous", ids: ["1", "2"] });
    expect(RESOURCES.ApiKey.afterInterruptedCreate).toBe("delete");
  });

  it("writes adopted resources with their id and inputs as outputs, drops settled creates, keeps the rest", () => {
    const state = killedState();
    const [app, key] = pendingCreates(state) as [
      ReturnType<typeof pendingCreates>[0],
      ReturnType<typeof pendingCreates>[0],
    ];
    const steps: RecoveryStep[] = [
      { action: "adopt", pending: app, id: "app-1" },
      { action: "ambiguous", pending: key, ids: ["t-1", "t-2"] },
    ];
    const recovered = recoveredState(state, steps);
    expect(recovered.deployment.resources?.at(-1)).toMatchObject({
      urn: appUrn,
      id: "app-1",
      inputs: { name: "shop" },
      outputs: { name: "shop" },
    });
    expect(recovered.deployment.pending_operations?.map((operation) => operation.resource.urn)).toEqual([
      keyUrn,
      "urn:other",
      "urn:random",
    ]);
    // The secrets stay as the export had them (encrypted), and the input is not changed.
    expect(state.deployment.resources).toHaveLength(1);
  });

  it("adopts a replacement's create by marking its predecessor for deletion, as the engine does mid-replace", () => {
    const state = killedState();
    state.deployment.resources?.push({ urn: appUrn, custom: true, type: RESOURCES_TYPE.app, id: "old" });
    const [app] = pendingCreates(state) as [ReturnType<typeof pendingCreates>[0]];
    const recovered = recoveredState(state, [{ action: "adopt", pending: app, id: "new" }]);
    expect(recovered.deployment.resources?.filter((resource) => resource.urn === appUrn)).toEqual([
      expect.objectContaining({ id: "old", delete: true }),
      expect.objectContaining({ id: "new", outputs: { name: "shop" } }),
    ]);
  });
});
