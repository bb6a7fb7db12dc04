import { type ChildProcessByStdio, spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import type { Readable, Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { collectOutput, ROOT } from "../support/processes";
import { tempDirForTest } from "../support/temp-dirs";
import { useEmulatorApp } from "../support/use-emulator";

// The built CLI in a pipeline's shoes: input on a pipe, output to a pipe, no terminal, bad settings, odd files.
const CLI = path.join(ROOT, "dist/provider/cli/index.js");
// Long enough that the export is checked for several times before it is ready.
const { emulator, app } = useEmulatorApp({ emulator: { exportDelayMs: 700 } });

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A child's exit code and output, once it has ended. */
function finished(child: ChildProcessByStdio<Writable | null, Readable, Readable>): Promise<Run> {
  return new Promise((resolve, reject) => {
    const output = collectOutput(child);
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout: output.stdout(), stderr: output.stderr() }));
  });
}

/** Runs the CLI to its end with `stdin` piped in (empty when not given), from `cwd` (default the repository). */
function cli(args: string[], options: { stdin?: string | Buffer; cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  return new Promise<Run>((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: options.cwd ?? ROOT,
      env: { ...process.env, ...app.env, ...options.env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    finished(child).then(resolve, reject);
    // The CLI may exit before reading it all (a refused file): that is no error of the test's.
    child.stdin.on("error", () => undefined);
    child.stdin.end(options.stdin ?? "");
  });
}

/** The app's device with this identifier, if any (its tags as stored). */
async function deviceBy(identifier: string): Promise<{ tags?: Record<string, string> } | undefined> {
  const page = await emulator.api<{ players: { identifier: string; tags?: Record<string, string> }[] }>(
    "GET",
    `/players?app_id=${app.appId}&limit=300`,
    app.appKey,
  );
  return page.body.players.find((player) => player.identifier === identifier);
}

/** The lines of the CLI's own messages on standard error. */
function messages(stderr: string): string[] {
  return stderr.split("\n").filter((line) => line.startsWith("pulumi-onesignal:"));
}

describe("devices import reads its input once, from a file or a pipe", () => {
  it("refuses a missing file or a folder with one line naming it (exit 2), before any request", async () => {
    const dir = tempDirForTest("cli-import-missing-");
    const missing = path.join(dir, "nope.csv");
    for (const [file, said] of [
      [missing, `cannot read ${missing}: no such file`],
      [dir, `${dir} is a folder`],
    ] as const) {
      const requests = await emulator.requestsDuring(async () => {
        const result = await cli(["devices", "import", file]);
        expect(result.code, result.stderr).toBe(2);
        expect(result.stderr).not.toContain("Unhandled");
        expect(messages(result.stderr)).toEqual([expect.stringContaining(said)]);
        expect(result.stderr.trim().split("\n")).toHaveLength(1);
      });
      expect(requests).toEqual([]);
    }
  });

  it("imports from standard input as - and as /dev/stdin (a pipe that can be read once)", async () => {
    const dir = tempDirForTest("cli-import-pipe-");
    for (const [name, tag] of [
      ["-", "dash"],
      ["/dev/stdin", "devstdin"],
    ] as const) {
      const csv = `device_type,identifier,tag:via\nandroid,pipe-${tag}-1,${tag}\nandroid,pipe-${tag}-2,${tag}\n`;
      const result = await cli(["devices", "import", name], { stdin: csv, cwd: dir });
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toBe("Imported 2 of 2 devices.\n");
      expect((await deviceBy(`pipe-${tag}-2`))?.tags).toEqual({ via: tag });
    }
  });

  it("imports through a shell pipe: cat devices.csv | pulumi-onesignal devices import - (or /dev/stdin)", async () => {
    const dir = tempDirForTest("cli-import-shell-");
    for (const name of ["-", "/dev/stdin"]) {
      const tag = name === "-" ? "shell-dash" : "shell-devstdin";
      writeFileSync(path.join(dir, "devices.csv"), `device_type,identifier\nandroid,${tag}-1\nandroid,${tag}-2\n`);
      // A real pipe (a FIFO), as a shell makes it: the child's own stdin stays closed.
      const result = await finished(
        spawn("sh", ["-c", `cat devices.csv | "${process.execPath}" "${CLI}" devices import ${name}`], {
          cwd: dir,
          env: { ...process.env, ...app.env },
          stdio: ["ignore", "pipe", "pipe"],
        }),
      );
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toBe("Imported 2 of 2 devices.\n");
      expect(await deviceBy(`${tag}-2`)).toBeDefined();
    }
  });

  it("writes a piped import's failed rows to devices.failed.csv in the current folder", async () => {
    const dir = tempDirForTest("cli-import-pipe-failed-");
    const result = await cli(["devices", "import", "-"], {
      stdin: "device_type,identifier\nandroid,pipe-ok\nfax,123\n",
      cwd: dir,
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("Imported 1 of 2 devices; 1 failed: see devices.failed.csv");
    expect(readFileSync(path.join(dir, "devices.failed.csv"), "utf8")).toMatch(
      /^line,device_type,identifier,error\n3,fax,123,/,
    );
  });

  // "Zürich" as Latin-1 on line 3: 0xFC, which UTF-8 never has alone.
  const latin1 = (prefix: string) =>
    Buffer.concat([
      Buffer.from(`device_type,identifier,tag:city\nandroid,${prefix}-1,Paris\nandroid,${prefix}-2,Z`),
      Buffer.from([0xfc]),
      Buffer.from(`rich\nandroid,${prefix}-3,Bern\n`),
    ]);

  it("refuses a file with a Latin-1 cell naming its line (exit 2) before any request: none of it is sent", async () => {
    const dir = tempDirForTest("cli-import-latin1-");
    const file = path.join(dir, "latin1.csv");
    writeFileSync(file, latin1("file"));
    const requests = await emulator.requestsDuring(async () => {
      const result = await cli(["devices", "import", file]);
      expect(result.code, result.stderr).toBe(2);
      expect(messages(result.stderr)).toEqual([
        `pulumi-onesignal: ${file}: line 3 is not UTF-8 text (byte 0xfc): save the file as UTF-8. Nothing was sent.`,
      ]);
    });
    expect(requests).toEqual([]);
    expect(await deviceBy("file-1")).toBeUndefined();
  });

  it("refuses bad CSV in a file before any request, naming what the parser found", async () => {
    const dir = tempDirForTest("cli-import-quote-");
    const file = path.join(dir, "quote.csv");
    writeFileSync(file, 'device_type,identifier\nandroid,quote-1\nandroid,"quote-2"x\nandroid,quote-3\n');
    const requests = await emulator.requestsDuring(async () => {
      const result = await cli(["devices", "import", file]);
      expect(result.code, result.stderr).toBe(2);
      const [message] = messages(result.stderr);
      expect(message).toMatch(
        new RegExp(`^pulumi-onesignal: ${file}: is not CSV that can be read: .*line 3.*Nothing was sent\\.$`),
      );
    });
    expect(requests).toEqual([]);
  });

  it("stops piped input at a Latin-1 cell (exit 2): the rows before it are sent, nothing of that line or after it", async () => {
    const requests = await emulator.requestsDuring(async () => {
      const result = await cli(["devices", "import", "-"], { stdin: latin1("piped") });
      expect(result.code, result.stderr).toBe(2);
      const [message] = messages(result.stderr);
      expect(message).toContain("standard input: line 3 is not UTF-8 text");
      expect(message).toContain("of the 1 row before it, 1 device was imported");
    });
    expect(requests).toEqual(["POST /players"]);
    expect(await deviceBy("piped-1")).toBeDefined();
    expect(await deviceBy("piped-2")).toBeUndefined();
    expect(await deviceBy("piped-3")).toBeUndefined();
  });

  it("refuses a header line past 64 KiB, and names a few unknown columns, then how many more", async () => {
    const dir = tempDirForTest("cli-import-wide-");
    const huge = path.join(dir, "huge.csv");
    const columns = (count: number) => Array.from({ length: count }, (_, i) => `c${i}`).join(",");
    writeFileSync(huge, `device_type,${columns(200_000)}\nandroid\n`);
    const wide = path.join(dir, "wide.csv");
    writeFileSync(wide, `device_type,${columns(5000)}\nandroid\n`);
    const requests = await emulator.requestsDuring(async () => {
      const refusedHuge = await cli(["devices", "import", huge]);
      expect(refusedHuge.code).toBe(2);
      expect(messages(refusedHuge.stderr)).toEqual([
        `pulumi-onesignal: ${huge}: line 1 (the header) is longer than 64 KiB, the most taken: is this the right file. Nothing was sent.`,
      ]);
      const refusedWide = await cli(["devices", "import", wide]);
      expect(refusedWide.code).toBe(2);
      expect(refusedWide.stderr).toContain(
        'unknown column "c0" (did you mean "id"?); unknown column "c1" (did you mean "id"?); unknown column "c2" (did you mean "id"?); and 4997 more unknown columns.',
      );
      expect(refusedWide.stderr.length).toBeLessThan(1000);
    });
    expect(requests).toEqual([]);
  });

  it("never writes the failed rows through a symbolic link planted in their place", async () => {
    const dir = tempDirForTest("cli-import-link-");
    const file = path.join(dir, "devices.csv");
    writeFileSync(file, "device_type,identifier\nfax,123\n");
    const target = path.join(dir, "precious.txt");
    writeFileSync(target, "keep me\n");
    symlinkSync(target, `${file}.failed.csv`);
    const requests = await emulator.requestsDuring(async () => {
      const result = await cli(["devices", "import", file]);
      expect(result.code).toBe(2);
      expect(messages(result.stderr)).toEqual([
        `pulumi-onesignal: ${file}.failed.csv is a symbolic link: it is not followed, since this command did not make it; remove it, or name the file with --failed-out.`,
      ]);
    });
    expect(requests).toEqual([]);
    expect(readFileSync(target, "utf8")).toBe("keep me\n");
  });

  it("shows no ETA before enough is done, and a progress line with the devices done", async () => {
    const dir = tempDirForTest("cli-import-eta-");
    const file = path.join(dir, "few.csv");
    writeFileSync(file, "device_type,identifier\nandroid,eta-1\nandroid,eta-2\n");
    const result = await cli(["devices", "import", file]);
    expect(result.code, result.stderr).toBe(0);
    // Without a terminal the bar is printed at start and at the end; at the start nothing can be told.
    expect(result.stderr).toContain("importing [");
    expect(result.stderr).toContain("0 devices | 0% | eta --");
    expect(result.stderr).toContain("2 devices | 100% | eta 0s");
  });
});

describe("output flags", () => {
  it("devices export --out - writes the CSV to standard output (no file named -), the summary to standard error", async () => {
    const dir = tempDirForTest("cli-export-stdout-");
    await cli(["devices", "import", "-"], { stdin: "device_type,identifier\nandroid,export-1\n", cwd: dir });
    const result = await cli(["devices", "export", "--out", "-"], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.split("\n")[0]).toMatch(/^id,identifier,/);
    expect(result.stdout).toContain(",export-1,");
    expect(existsSync(path.join(dir, "-"))).toBe(false);
    expect(result.stderr).toMatch(/Wrote \d+ devices to standard output/);
    // No terminal: the wait for the prepared file is said once, not on every check.
    expect(result.stderr.match(/waiting for OneSignal/g)).toHaveLength(1);
  });

  it("refuses an empty --out, and an --out in a folder that does not exist, before any request (exit 2)", async () => {
    const dir = tempDirForTest("cli-out-");
    const missing = path.join(dir, "no-such-folder");
    const cases: [string[], string][] = [
      [["devices", "export", "--out", ""], '--out needs a file name (or - for standard output), not "".'],
      [
        ["devices", "export", "--out", path.join(missing, "x.csv")],
        `--out ${path.join(missing, "x.csv")}: the folder ${missing} does not exist; create it first.`,
      ],
      [
        ["history", "7d3f6e2a-1b4c-4d5e-8f90-a1b2c3d4e5f6", "--events", "sent", "--out", ""],
        '--out needs a file name (or - for standard output), not "".',
      ],
      [
        ["events", "7d3f6e2a-1b4c-4d5e-8f90-a1b2c3d4e5f6", "--out", path.join(missing, "e.csv")],
        `the folder ${missing} does not exist`,
      ],
      [["devices", "import", "-", "--failed-out", ""], '--failed-out needs a file name, not "".'],
    ];
    mkdirSync(path.join(dir, "exists"));
    for (const [args, said] of cases) {
      const requests = await emulator.requestsDuring(async () => {
        const result = await cli(args, { stdin: "device_type,identifier\nandroid,never\n" });
        expect(result.code, `${args.join(" ")}: ${result.stderr}`).toBe(2);
        expect(result.stderr).toContain(said);
        expect(result.stdout).not.toContain("undefined");
      });
      expect(requests, args.join(" ")).toEqual([]);
    }
  });
});

describe("settings from the environment", () => {
  it("a bad ONESIGNAL_API_URL, ONESIGNAL_REQUEST_TIMEOUT_MS or ONESIGNAL_DEADLINE_MS is bad usage (exit 2), named", async () => {
    for (const [variable, value, said] of [
      [
        "ONESIGNAL_API_URL",
        "not-a-url",
        'ONESIGNAL_API_URL must be an http(s) URL such as https://api.onesignal.com, not "not-a-url".',
      ],
      [
        "ONESIGNAL_REQUEST_TIMEOUT_MS",
        "soon",
        'ONESIGNAL_REQUEST_TIMEOUT_MS must be a whole number of milliseconds (at least 1), not "soon".',
      ],
      [
        "ONESIGNAL_DEADLINE_MS",
        "-5",
        'ONESIGNAL_DEADLINE_MS must be a whole number of milliseconds (at least 1), not "-5".',
      ],
    ] as const) {
      const result = await cli(["device", "get", "x"], { env: { [variable]: value } });
      expect(result.code, variable).toBe(2);
      expect(messages(result.stderr)).toEqual([`pulumi-onesignal: ${said}`]);
    }
    // The flag wins over its variable, which then is not read.
    const flagged = await cli(["--request-timeout", "5000", "devices", "import", "-"], {
      env: { ONESIGNAL_REQUEST_TIMEOUT_MS: "soon" },
      stdin: "device_type,identifier\nandroid,env-1\n",
      cwd: tempDirForTest("cli-env-"),
    });
    expect(flagged.code, flagged.stderr).toBe(0);
  });
});

describe("pulumi-onesignal pulumi", () => {
  it("without `pulumi` on PATH says what to install in one line (exit 2), and refuses its own flags before `pulumi`", async () => {
    const noPulumi = { PATH: path.dirname(process.execPath) };
    const missing = await cli(["pulumi", "version"], { env: noPulumi });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(
      "pulumi-onesignal: No `pulumi` on PATH: install the Pulumi CLI (https://www.pulumi.com/docs/iac/download-install/) and put it on PATH.\n",
    );
    const misplaced = await cli(["--json", "--api-url", "http://127.0.0.1:1", "pulumi", "preview"], { env: noPulumi });
    expect(misplaced.code).toBe(2);
    expect(messages(misplaced.stderr)).toEqual([
      "pulumi-onesignal: --json, --api-url before `pulumi` would not reach Pulumi: put Pulumi's flags after it (`pulumi-onesignal pulumi preview --json`); the stack's onesignal:* config gives the API URL and keys.",
    ]);
  });
});
