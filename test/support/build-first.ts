/**
 * Vitest's global set-up: brings `dist/` up to date before any test runs, since the CLI, the emulator's
 * command, the thin providers and the plugin run from it in processes of their own. `tsc -b` compiles only
 * what changed (about a second when nothing did), and what no source compiles to any more is removed, so a plain
 * `vitest run test/...` never tests a stale build.
 */
import { spawnSync } from "node:child_process";
import * as path from "node:path";

export default function buildFirst(): void {
  const root = path.resolve(__dirname, "../..");
  const built = spawnSync(
    process.execPath,
    [path.join(root, "node_modules", "typescript", "bin", "tsc"), "-b", "tsconfig.build.json"],
    {
      cwd: root,
      encoding: "utf8",
    },
  );
  if (built.status !== 0) {
    throw new Error(
      `dist/ could not be brought up to date (tsc -b tsconfig.build.json):\n${built.stdout}${built.stderr}`,
    );
  }
  // What no source compiles to any more (a moved module) would otherwise still load from dist/.
  const pruned = spawnSync(process.execPath, [path.join(root, "scripts", "prune-dist.cjs")], {
    cwd: root,
    encoding: "utf8",
  });
  if (pruned.status !== 0) throw new Error(`dist/ could not be pruned:\n${pruned.stderr}`);
}
