import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";

/** This package's version, from its package.json (found upwards: the source and `dist/` sit at different depths). */
export function packageVersion(from = __dirname): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const file = path.join(dir, "package.json");
    if (existsSync(file)) {
      const json = JSON.parse(readFileSync(file, "utf8")) as { name?: string; version?: string };
      if (json.name === "pulumi-onesignal" && json.version) return json.version;
    }
    if (path.dirname(dir) === dir) throw new Error(`no package.json of pulumi-onesignal above ${from}`);
  }
}
