import { describe, expect, it } from "vitest";
import { runNode } from "../support/processes";
import { useEmulatorApp } from "../support/use-emulator";

// Debug switches of the libraries in this package's dependency tree must not print a key. (Node's own
// NODE_DEBUG=http does print request headers: the README says so; no package can prevent it.)

const { emulator, app } = useEmulatorApp();

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
      const failed = await runNode("dist/provider/cli/index.js", ["notifications", "list", "--app-id", app.appId], {
        ...env,
        ONESIGNAL_APP_API_KEY: `${app.appKey}-wrong`,
      });
      expect(failed.code).toBe(1);
      for (const output of [listed.stdout, listed.stderr, failed.stdout, failed.stderr]) {
        expect(output).not.toContain(emulator.organizationApiKey);
        expect(output).not.toContain(app.appKey);
      }
    });
  }
});
