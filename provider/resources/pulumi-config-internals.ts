/**
 * The one internal of `@pulumi/pulumi` the resource classes lean on, in one place, checked where it is taken so
 * that an SDK release that moves it fails loudly here (and in test/unit/third-party-internals.test.ts), not as a
 * secret setting silently let through.
 *
 * `runtime.isConfigSecret(key)` answers whether the stack config value of `key` was set as a secret. The SDK has
 * it at run time (exported from `runtime/config.js`, re-exported by `runtime`) but marks it `@internal`, so its
 * type declarations leave it out; it is what `pulumi.Config` itself consults. It reads the program's config store:
 * PULUMI_CONFIG_SECRET_KEYS set by the Node.js language host (the plain `pulumi` CLI), or the secret keys the
 * Automation API's inline program server is handed with each run. No public API answers the question: `getSecret`
 * only wraps whatever value there is as a secret, whether it was set with `--secret` or not.
 */
import * as pulumi from "@pulumi/pulumi";

/** The SDK's own answer, taken from its runtime; throws, naming the SDK's version, where it is gone. */
function sdkIsConfigSecret(): (key: string) => boolean {
  const found: unknown = Reflect.get(pulumi.runtime, "isConfigSecret");
  if (typeof found !== "function") {
    const { version } = require("@pulumi/pulumi/package.json") as { version: string };
    throw new Error(
      `@pulumi/pulumi ${version} has no runtime.isConfigSecret: pulumi-onesignal needs it to tell a secret ` +
        "stack config value from a plain one (see provider/resources/pulumi-config-internals.ts)",
    );
  }
  return (key) => found(key) === true;
}

/**
 * Whether the stack config value of `key` (namespaced, `onesignal:organizationApiKey`) was set as a secret in the
 * program this code runs in. The engine names secret keys in the current form; the older `onesignal:config:<name>`
 * form is asked about too.
 */
export function isSecretStackConfig(key: string): boolean {
  const isConfigSecret = sdkIsConfigSecret();
  const at = key.indexOf(":");
  return isConfigSecret(key) || (at > 0 && isConfigSecret(`${key.slice(0, at)}:config:${key.slice(at + 1)}`));
}
