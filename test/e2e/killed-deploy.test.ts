import * as path from "node:path";
import { expect, it } from "vitest";
import { emulatorStacks } from "../support/emulator-stacks";
import { ROOT } from "../support/processes";
import { describeE2E, type PulumiProject, RunFailed, runProcess, stepsOf } from "../support/pulumi";

const stacks = emulatorStacks();
const { emulator } = stacks;

/**
 * The three points at which a run is killed while creating, as faults on the create's request: before the request
 * is carried out (held, then dropped unanswered: it never lands), while OneSignal holds it (it lands after the kill),
 * and after it landed, before the answer (and so the state) was written. Each hold lasts until the killed run's
 * connection closes (`endOnClose`), so no create ends, and no failure stops the engine, before all have arrived,
 * however slowly a busy machine sends them.
 */
const KILL_POINTS = [{ delayMs: 600_000, reset: true }, { delayMs: 600_000 }, { holdAnswerMs: 600_000 }].map(
  (point) => ({ ...point, endOnClose: true }),
);

/** How long the creates of a run may take to arrive before the test gives up and shows what happened. */
const ARRIVAL_MS = 300_000;

/** The create requests (POSTs) to `targets` (path prefixes) that have ended, landed or dropped. */
async function endedCreates(targets: string[]): Promise<number> {
  return (await emulator.requests()).filter(
    (request) => request.method === "POST" && targets.some((target) => request.path.startsWith(target)),
  ).length;
}

/** The emulator's request log, a line a request, for a failure's message. */
async function requestLines(): Promise<string> {
  return (await emulator.requests()).map((r) => `${r.method} ${r.path} ${r.status} ${r.durationMs}ms`).join("\n");
}

/**
 * An `up` killed as a cancelled pipeline job is (SIGKILL of its process group) once the creates it sends to each of
 * `targets` (POST path prefixes) are held, one at each kill point; resolves when every held request has ended.
 */
async function killedUp(project: PulumiProject, targets: string[]): Promise<void> {
  const before = await endedCreates(targets);
  for (const target of targets) {
    for (const point of KILL_POINTS) await emulator.fault({ method: "POST", path: target, times: 1, ...point });
  }
  const { child, output } = project.start("up");
  const exited = new Promise<"exited">((resolve) => child.once("exit", () => resolve("exited")));
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<"late">((resolve) => {
    timer = setTimeout(() => resolve("late"), ARRIVAL_MS);
  });
  // Every create must be held before the kill: a run that ends first, or never sends them all, is a failure to
  // show with what it printed and what the emulator saw, not a wait without end.
  const held = await Promise.race([emulator.waitForFaults().then(() => "held" as const), exited, late]);
  clearTimeout(timer);
  if (held !== "held") {
    if (held === "late") process.kill(-(child.pid as number), "SIGKILL");
    throw new Error(`the up ${held === "late" ? "never sent" : "ended before"} every create:
${output.both()}
requests:
${await requestLines()}`);
  }
  process.kill(-(child.pid as number), "SIGKILL");
  await exited;
  expect(output.both()).not.toContain("Update succeeded");
  // The holds end as the killed run's connections close; the creates that land do so now.
  const expected = before + targets.length * KILL_POINTS.length;
  const deadline = Date.now() + 60_000;
  while ((await endedCreates(targets)) < expected) {
    if (Date.now() > deadline)
      throw new Error(`the held creates did not all end (${expected}):\n${await requestLines()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Runs the package's CLI in the stack's work directory, as a user's shell would (not blocking: the emulator is here). */
function onesignalCli(project: PulumiProject, args: string[]): Promise<{ code: number | null; output: string }> {
  const { cwd, env } = project.userShell();
  return runProcess(process.execPath, [path.join(ROOT, "dist/provider/cli/index.js"), ...args], env, cwd);
}

/** The pipeline's recovery step after a killed run: clear the dead run's lock, then `pulumi-onesignal recover`. */
async function recoverAfterKill(project: PulumiProject): Promise<string> {
  expect(project.cli(["cancel", "--yes", "--stack", project.stack]).status).toBe(0);
  const recovered = await onesignalCli(project, ["recover", "--stack", project.stack]);
  expect(recovered.code, recovered.output).toBe(0);
  return recovered.output;
}

/** The names of what a list endpoint answers (apps, keys, segments or templates), sorted. */
async function named(pathAndQuery: string, key: string): Promise<string[]> {
  const body = (await emulator.api<unknown>("GET", pathAndQuery, key)).body;
  const list = Array.isArray(body)
    ? body
    : ((body as Record<string, unknown>).tokens ??
      (body as Record<string, unknown>).segments ??
      (body as Record<string, unknown>).templates);
  return (list as { name: string }[]).map((entry) => entry.name).sort();
}

describeE2E("a deployment killed while creating leaves no duplicate (real Pulumi CLI, SIGKILL)", () => {
  stacks.use();

  it("every type, killed before the request, while OneSignal holds it, and after it landed: one of each", async () => {
    const org = emulator.organizationApiKey;
    const project = stacks.project({ dir: "test/e2e/programs/killed", config: { "test:stage": "apps" } });

    // Three apps made side by side, each run killed at another point: two of the creates land.
    await killedUp(project, ["/apps"]);
    expect(await named("/apps", org)).toHaveLength(2);

    // A user of the plain CLI reruns `pulumi up` (after `pulumi cancel`, as the lock message says): the app that
    // never landed is made, the two that did are found, named with the command that adopts them, and not made again.
    expect(project.cli(["cancel", "--yes", "--stack", project.stack]).status).toBe(0);
    const plain = (await project.up().catch((error: unknown) => error)) as RunFailed;
    expect(plain).toBeInstanceOf(RunFailed);
    expect(plain.output).toContain("already exists in OneSignal");
    expect(plain.output).toContain("run `npx pulumi-onesignal recover` in the project after a killed run");
    expect(await named("/apps", org)).toEqual(["killed-1", "killed-2", "killed-3"]);

    // The recovery step adopts them; the next up has nothing left to make.
    const adopted = await recoverAfterKill(project);
    expect(adopted.match(/: adopted /g)).toHaveLength(2);
    expect(stepsOf(await project.up()).filter((step) => step.startsWith("create"))).toEqual([]);
    expect(await named("/apps", org)).toEqual(["killed-1", "killed-2", "killed-3"]);

    // Three API keys, killed likewise: the two that landed are keys nobody holds, deleted; up makes them anew.
    const appId = project.resource("App", "app-1").id;
    project.setConfig({ "test:stage": "keys" });
    await killedUp(project, [`/apps/${appId}/auth/tokens`]);
    const keysRecovered = await recoverAfterKill(project);
    expect(keysRecovered.match(/: deleted /g)).toHaveLength(2);
    expect(keysRecovered.match(/never landed/g)).toHaveLength(1);
    await project.up();
    expect(await named(`/apps/${appId}/auth/tokens`, org)).toEqual(["deploy-1", "deploy-2", "deploy-3"]);
    const token = project.resource("ApiKey", "key-1").outputs.token as string;
    expect((await emulator.api("GET", `/apps/${appId}`, token)).status).toBe(200);

    // Three segments and three templates, killed in one run.
    project.setConfig({ "test:stage": "all" });
    await killedUp(project, [`/apps/${appId}/segments`, "/templates"]);
    const recovered = await recoverAfterKill(project);
    expect(recovered.match(/: adopted /g)).toHaveLength(4);
    expect(recovered.match(/never landed/g)).toHaveLength(2);
    await project.up();
    expect(await named(`/apps/${appId}/segments`, token)).toEqual(["Testers 1", "Testers 2", "Testers 3"]);
    expect(await named(`/templates?app_id=${appId}`, token)).toEqual(["Welcome 1", "Welcome 2", "Welcome 3"]);
    const segments = (
      await emulator.api<{ segments: { id: string; name: string }[] }>("GET", `/apps/${appId}/segments`, token)
    ).body.segments;
    for (const n of [1, 2, 3]) {
      expect(segments.find((segment) => segment.name === `Testers ${n}`)?.id).toBe(
        project.resource("Segment", `segment-${n}`).id,
      );
    }

    // Everything is in the state once: a further up changes nothing and asks OneSignal nothing.
    expect(await emulator.requestsDuring(() => project.up())).toEqual([]);
  }, 900_000);
});
