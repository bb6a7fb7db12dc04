import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../support/processes";

describe("a build never keeps what no source compiles to", () => {
  it("removes a module of dist/ whose source moved away, and keeps those with a source", () => {
    const orphanDir = path.join(ROOT, "dist", "provider", "moved-away-for-a-test");
    mkdirSync(orphanDir, { recursive: true });
    const orphan = path.join(orphanDir, "gone.js");
    writeFileSync(orphan, "module.exports = 'stale';\n");
    writeFileSync(path.join(orphanDir, "gone.d.ts"), "export {};\n");
    const pruned = spawnSync(process.execPath, [path.join(ROOT, "scripts", "prune-dist.cjs")], { encoding: "utf8" });
    expect(pruned.status).toBe(0);
    expect(pruned.stderr).toContain("removed 2 file(s)");
    expect(existsSync(orphanDir)).toBe(false);
    expect(existsSync(path.join(ROOT, "dist", "provider", "index.js"))).toBe(true);
    expect(existsSync(path.join(ROOT, "dist", "provider", "plugin", "schema.json"))).toBe(true);
  });
});
