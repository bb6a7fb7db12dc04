import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ROOT, type Started, startNode, waitFor } from "../support/processes";

const EMULATOR_CLI = "dist/emulator/cli.js";
const dir = mkdtempSync(path.join(tmpdir(), "emulator-cli-apps-"));
const running: Started[] = [];

afterAll(async () => {
  for (const run of running) {
    run.child.kill("SIGTERM");
    await run.exited;
  }
  rmSync(dir, { recursive: true, force: true });
});

/** Starts the emulator CLI and waits for `lines` lines of output. */
async function start(args: string[], lines: number): Promise<{ run: Started; out: string[] }> {
  const run = startNode(EMULATOR_CLI, args);
  running.push(run);
  await waitFor(() => run.stdout().split("\n").length > lines);
  return { run, out: run.stdout().split("\n") };
}

async function stop(run: Started): Promise<void> {
  run.child.kill("SIGTERM");
  await run.exited;
}

describe("onesignal-emulator, the command", () => {
  it("--env-out writes the URL, the keys and the first app's id for a shell to source, readable by its owner only", async () => {
    const envOut = path.join(dir, "made", "here", "onesignal.env");
    mkdirSync(path.dirname(envOut), { recursive: true });
    writeFileSync(envOut, "ONESIGNAL_API_URL='http://stale.invalid'\n");
    const { run, out } = await start(["--port", "0", "--app", "shop", "--app", "blog", "--env-out", envOut], 4);
    await waitFor(() => readFileSync(envOut, "utf8").includes("ONESIGNAL_APP_API_KEY"));
    const url = /listening on (\S+)$/.exec(out[0] ?? "")?.[1] as string;
    const shop = /^App "shop": id (\S+), app API key (\S+)$/.exec(out[3] ?? "");
    // What a shell makes of it: `. FILE`, then the variables, exported to the commands it runs.
    const sourced = execFileSync(
      "sh",
      [
        "-c",
        ". \"$1\" && node -p \"['API_URL', 'ORGANIZATION_API_KEY', 'APP_ID', 'APP_API_KEY'].map((n) => process.env['ONESIGNAL_' + n]).join('\\n')\"",
        "sh",
        envOut,
      ],
      { encoding: "utf8", env: { PATH: process.env.PATH } },
    );
    expect(sourced.trim().split("\n")).toEqual([
      url,
      /^Organization API key: (\S+)$/.exec(out[2] ?? "")?.[1],
      shop?.[1],
      shop?.[2],
    ]);
    expect(statSync(envOut).mode & 0o777).toBe(0o600);
    await stop(run);
  });

  it("creates the apps named with --app, each with a working app key, the same after a restart with --data", async () => {
    const data = path.join(dir, "state.json");
    const args = ["--port", "0", "--data", data, "--app", "shop", "--app", "blog"];
    const first = await start(args, 5);
    const url = /listening on (\S+)$/.exec(first.out[0] ?? "")?.[1] as string;
    const apps = first.out.slice(3, 5).map((line) => {
      const match = /^App "(\w+)": id ([0-9a-f-]{36}), app API key (os_v2_app_\w+)$/.exec(line);
      expect(match, line).not.toBeNull();
      return { name: match?.[1], id: match?.[2] as string, key: match?.[3] as string };
    });
    expect(apps.map((app) => app.name)).toEqual(["shop", "blog"]);
    for (const app of apps) {
      const answer = await fetch(`${url}/apps/${app.id}`, { headers: { authorization: `Key ${app.key}` } });
      expect(answer.status).toBe(200);
    }
    const org = /^Organization API key: (\S+)$/.exec(first.out[2] ?? "")?.[1];
    const listed = (await (
      await fetch(`${url}/apps`, { headers: { authorization: `Key ${org}` } })
    ).json()) as unknown[];
    expect(listed).toHaveLength(2);
    await stop(first.run);
    expect(readFileSync(data, "utf8")).not.toContain(apps[0]?.key);

    const second = await start(args, 5);
    expect(second.out.slice(2, 5)).toEqual(first.out.slice(2, 5));
    const again = /listening on (\S+)$/.exec(second.out[0] ?? "")?.[1] as string;
    const stillTwo = (await (
      await fetch(`${again}/apps`, { headers: { authorization: `Key ${org}` } })
    ).json()) as unknown[];
    expect(stillTwo).toHaveLength(2);
    await stop(second.run);
  });

  it("prints its version, and exits 2 on bad usage and on a port in use, saying what to do", async () => {
    const version = (JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string }).version;
    const printed = startNode(EMULATOR_CLI, ["--version"]);
    expect(await printed.exited).toBe(0);
    expect(printed.stdout().trim()).toBe(version);

    const bad = startNode(EMULATOR_CLI, ["--port", "seventy"]);
    expect(await bad.exited).toBe(2);
    expect(bad.stderr()).toContain("--port");

    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, "127.0.0.1", resolve));
    const port = (busy.address() as { port: number }).port;
    try {
      const taken = startNode(EMULATOR_CLI, ["--port", String(port)]);
      expect(await taken.exited).toBe(2);
      expect(taken.stderr()).toBe(
        `onesignal-emulator: cannot listen on 127.0.0.1:${port} (the port is in use): choose another with --port, or --port 0 for a free one\n`,
      );
    } finally {
      busy.close();
    }
  });
});
