/**
 * The implementation of a registry row's resource, for the callers that serve any type by its row: the provider
 * plugin and `pulumi-onesignal recover`. Loaded on first use: a plugin serving only apps never loads the
 * template's code.
 */
import type { ResourceImplementation } from "./provider-base";
import type { ResourceRow } from "./registry";

/** A new implementation of a row's resource (one per process and type is enough). */
export function implementationOf(row: ResourceRow): ResourceImplementation {
  const module: Record<string, unknown> = require(`./${row.module}`);
  const Provider = module[row.providerClass];
  if (typeof Provider !== "function") {
    throw new Error(`provider/resources/${row.module} exports no class ${row.providerClass}`);
  }
  // The registry row names the class; every resource's provider class extends OneSignalProvider.
  return Reflect.construct(Provider, []);
}
