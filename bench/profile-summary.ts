/**
 * `node --require ./scripts/ts-register.cjs bench/profile-summary.ts FILE.cpuprofile [N]`: where a workload's CPU
 * time went, as the N (20) functions with the most self time, and the share of each package (ours, axios, Node).
 */
import { readFileSync } from "node:fs";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Which package a script belongs to: ours, a dependency by name, or Node's own. */
function packageOf(url: string): string {
  if (url === "") return "(engine: idle, GC, program)";
  if (url.startsWith("node:")) return "node";
  const inModules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (inModules) return inModules[1] as string;
  if (url.includes("/dist/provider/")) return "pulumi-onesignal";
  return url.replace(/^file:\/\//, "");
}

const [file, count = "20"] = process.argv.slice(2);
if (!file) throw new Error("give a .cpuprofile file");
const profile = JSON.parse(readFileSync(file, "utf8")) as Profile;
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const selfTime = new Map<string, number>();
const perPackage = new Map<string, number>();
let total = 0;
profile.samples.forEach((id, index) => {
  const node = byId.get(id) as ProfileNode;
  const delta = profile.timeDeltas[index] ?? 0;
  const { functionName, url, lineNumber } = node.callFrame;
  if (functionName === "(idle)") return;
  total += delta;
  const where = `${functionName || "(anonymous)"} ${url.replace(/^.*\/(node_modules|dist)\//, "")}:${lineNumber + 1}`;
  selfTime.set(where, (selfTime.get(where) ?? 0) + delta);
  const owner = packageOf(url);
  perPackage.set(owner, (perPackage.get(owner) ?? 0) + delta);
});
const percent = (value: number) => `${((value / total) * 100).toFixed(1)} %`;
process.stdout.write(`CPU time (idle left out): ${(total / 1000).toFixed(0)} ms\n\nby package:\n`);
for (const [owner, time] of [...perPackage].sort((a, b) => b[1] - a[1]).slice(0, 10))
  process.stdout.write(`  ${percent(time).padStart(7)}  ${owner}\n`);
process.stdout.write(`\nfunctions with the most self time:\n`);
for (const [where, time] of [...selfTime].sort((a, b) => b[1] - a[1]).slice(0, Number(count)))
  process.stdout.write(`  ${percent(time).padStart(7)}  ${where}\n`);
