import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestEmulator, type TestEmulator } from "../support/emulator";
import { createAppWithKey } from "../support/fixtures";
import { runNode } from "../support/processes";

// Debug switches of the libraries in this package's dependency tree must not print a key. (Node's own
// NODE_DEBUG=http does print request headers: the README says so; no package can prevent it.)

let emulator: TestEmulator;
let appId: string;
let appKey: string;

beforeAll(async () => {
  emulator = await startTestEmulator();
  ({ appId, appKey } = await createAppWithKey(emulator));
});
afterAll(async () => emulator.close());

describe("the CLI under DEBUG", () => {
  for (const debug of ["*", "axios,follow-redirects", "follow-redirects"]) {
    it(`shows no key with DEBUG=${debug}, on success and on failure`, async () => {
      const env = {
        DEBUG: debug,
        ONESIGNAL_API_URL: emulator.url,
        ONESIGNAL_ORGANIZATION_API_KEY: emulator.organizationApiKey,
      };
      const listed = await runNode("dist/provider/cli/index.js", ["apps", "list"], env);
      expect(listed.code, listed.stderr).toBe(0);
      const failed = await runNode("dist/provider/cli/index.js", ["notifications", "list", "--app-id", appId], {
        ...env,
        ONESIGNAL_APP_API_KEY: `${appKey}-wrong`,
      });
      expect(failed.code).toBe(1);
      for (const output of [listed.stdout, listed.stderr, failed.stdout, failed.stderr]) {
        expect(output).not.toContain(emulator.organizationApiKey);
        expect(output).not.toContain(appKey);
      }
    });
  }
});
