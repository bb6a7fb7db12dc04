import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";

/** This package's root directory, found upwards (the source and `dist/` sit at different depths). */
export function packageRoot(from = __dirname): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const file = path.join(dir, "package.json");
    if (existsSync(file) && (JSON.parse(readFileSync(file, "utf8")) as { name?: string }).name === "pulumi-onesignal")
      return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json of pulumi-onesignal above ${from}`);
  }
}

/** This package's version, from its package.json. */
export function packageVersion(from = __dirname): string {
  const json = JSON.parse(readFileSync(path.join(packageRoot(from), "package.json"), "utf8")) as { version?: string };
  if (!json.version) throw new Error("the package.json of pulumi-onesignal has no version");
  return json.version;
}
