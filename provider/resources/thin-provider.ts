import type * as pulumi from "@pulumi/pulumi";
import type { ResourceRow } from "./registry";

/**
 * A provider object that only says where a row's implementation lives (this package's compiled module, by
 * package path) and loads it in the provider process at call time.
 *
 * Pulumi serializes the provider object a dynamic resource passes into that resource's state (`__provider`),
 * with everything it captures. The implementation would bring its modules along: by value inside the
 * repository (40-65 KB per resource), by a function's worth of code from an install. This object captures two
 * strings. Each resource type's object is the whole export of a module under `thin/`, so from an install Pulumi
 * stores a single `require` of that module; inside the repository it stores this object's code (about 2 KB).
 * `require` is Node's, resolved from the provider process's working directory (the program's), where
 * `pulumi-onesignal` is installed.
 */
export function thinProvider(row: ResourceRow): Required<pulumi.dynamic.ResourceProvider> {
  // Two strings taken from the row, so the closures capture those and not the row. Short names and spread
  // arguments on purpose: inside the repository this text is stored once per resource.
  const file = `pulumi-onesignal/dist/provider/resources/${row.module}.js`;
  const exportName = row.provider;
  const load = (): Required<pulumi.dynamic.ResourceProvider> => require(file)[exportName];
  return {
    // Forwarded synchronously: the host starts resource steps right after configure begins.
    configure: (...a) => load().configure(...a),
    check: (...a) => load().check(...a),
    diff: (...a) => load().diff(...a),
    create: (...a) => load().create(...a),
    read: (...a) => load().read(...a),
    update: (...a) => load().update(...a),
    delete: (...a) => load().delete(...a),
  };
}
