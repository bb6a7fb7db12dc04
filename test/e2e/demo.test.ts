import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { ROOT } from "../support/processes";
import { describeE2E, runProcess } from "../support/pulumi";

let state: string;

/** `npm run demo -- ARGS` (the build step aside: `npm test` has built dist), with its state in a temporary directory. */
function demo(...args: string[]) {
  return runProcess(
    process.execPath,
    [
      "--require",
      path.join(ROOT, "scripts/ts-register.cjs"),
      path.join(ROOT, "scripts/demo.ts"),
      "--state",
      state,
      ...args,
    ],
    process.env,
    ROOT,
  );
}

describeE2E("npm run demo", () => {
  beforeAll(() => {
    state = mkdtempSync(path.join(tmpdir(), "demo-state-"));
  });
  afterAll(() => rmSync(state, { recursive: true, force: true }));

  it("the first run deploys the quickstart to the emulator with the real engine, and says where state lives", async () => {
    const { code, output } = await demo();
    expect(code, output).toBe(0);
    expect(output).toContain("OneSignal emulator listening on http://127.0.0.1:");
    expect(output).toContain(`state in ${path.join(state, "backend")}`);
    expect(output).toMatch(/Pulumi CLI: .*pulumi \((on PATH|built earlier|built just now)/);
    expect(output).toContain("Result: 3 created.");
    expect(output).toContain("apiKey: [secret]");
  });

  it("the second run changes nothing", async () => {
    const { code, output } = await demo();
    expect(code, output).toBe(0);
    expect(output).toContain("Result: 3 unchanged.");
  });

  it("a changed config value updates exactly that, and the emulator keeps what the stack made", async () => {
    const { code, output } = await demo("--set", "quickstart:siteName=My shop");
    expect(code, output).toBe(0);
    expect(output).toContain("Result: 1 updated, 2 unchanged.");
    const data = readFileSync(path.join(state, "emulator.json"), "utf8");
    expect(data).toContain("My shop");
  });

  it("--destroy tears the stack down", async () => {
    const { code, output } = await demo("--destroy");
    expect(code, output).toBe(0);
    expect(output).toContain("Result: 3 deleted.");
    expect(output).toContain("was kept: OneSignal's API cannot delete apps");
  });
});
