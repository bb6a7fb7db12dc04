// Removes from dist/ what no source compiles to any more (a module moved or deleted): `tsc -b` only writes, and a
// stale dist/provider/models/notification.js would be loaded before a new models/notification/ folder. Plain
// JavaScript, so `npm run build` runs it without a TypeScript loader.
const { readdirSync, existsSync, rmSync } = require("node:fs");
const path = require("node:path");

const root = path.resolve(__dirname, "..");
let pruned = 0;
function prune(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      prune(file);
      if (readdirSync(file).length === 0) rmSync(file, { recursive: true });
      continue;
    }
    const stem = entry.name.endsWith(".d.ts")
      ? entry.name.slice(0, -5)
      : entry.name.endsWith(".js")
        ? entry.name.slice(0, -3)
        : undefined;
    if (stem === undefined) continue;
    const source = path.join(root, path.relative(path.join(root, "dist"), dir), `${stem}.ts`);
    if (!existsSync(source)) {
      rmSync(file);
      pruned++;
    }
  }
}
for (const area of ["provider", "emulator", "policy"]) {
  const dir = path.join(root, "dist", area);
  if (existsSync(dir)) prune(dir);
}
if (pruned > 0) console.error(`dist/: removed ${pruned} file(s) that no source compiles to any more`);
