#!/usr/bin/env node
/**
 * `pulumi-resource-onesignal`: the OneSignal provider plugin. The engine starts it, reads the port it
 * prints, and calls it over gRPC; `--version` and `--schema` print what it serves.
 */
import { packageVersion } from "../package-version";
import schema from "./schema.json";
import { serve } from "./server";

const version = packageVersion();
const schemaText = JSON.stringify({ ...schema, version });

const args = process.argv.slice(2);
if (args.includes("--version")) {
  process.stdout.write(`${version}\n`);
} else if (args.includes("--schema")) {
  process.stdout.write(`${JSON.stringify(JSON.parse(schemaText), null, 2)}\n`);
} else {
  // The engine passes its address first; flags such as --logtostderr or -v=9 may come with it.
  const engineAddress = args.find((arg) => !arg.startsWith("-"));
  serve({ version, schema: schemaText }, engineAddress).then(
    // The engine reads the port from the first line of standard output.
    (port) => process.stdout.write(`${port}\n`),
    (error: unknown) => {
      process.stderr.write(`pulumi-resource-onesignal: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
