#!/usr/bin/env node
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { Command, InvalidArgumentError } from "commander";
import { startEmulator } from "./server";

/** This package's version (dist/emulator/cli.js and emulator/cli.ts both sit two levels below the root). */
function packageVersion(): string {
  for (const candidate of ["../package.json", "../../package.json"]) {
    try {
      const json = JSON.parse(readFileSync(path.join(__dirname, candidate), "utf8")) as {
        name?: string;
        version?: string;
      };
      if (json.name === "pulumi-onesignal" && json.version) return json.version;
    } catch {
      // not here
    }
  }
  return "unknown";
}

function collect(value: string, previous: string[] = []): string[] {
  if (value.trim() === "") throw new InvalidArgumentError("an app name");
  return [...previous, value];
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new InvalidArgumentError("a whole number from 0 to 65535");
  return port;
}

function parseCount(value: string): number {
  const count = Number(value);
  if (!Number.isInteger(count) || count < 1) throw new InvalidArgumentError("a whole number of at least 1");
  return count;
}

function nonEmpty(value: string): string {
  if (value.trim() === "") throw new InvalidArgumentError("a file path");
  return value;
}

/**
 * Writes the variables that point the CLI, functions and scripts at this emulator, as `KEY='value'` lines
 * that `. FILE` reads in any shell; atomically (a reader never sees half a file), readable by its owner only.
 */
function writeEnvFile(
  file: string,
  emulator: { url: string; organizationApiKey: string; apps: { id: string; apiKey: string }[] },
): void {
  const first = emulator.apps[0];
  const variables: [string, string][] = [
    ["ONESIGNAL_API_URL", emulator.url],
    ["ONESIGNAL_ORGANIZATION_API_KEY", emulator.organizationApiKey],
    ...(first
      ? ([
          ["ONESIGNAL_APP_ID", first.id],
          ["ONESIGNAL_APP_API_KEY", first.apiKey],
        ] as [string, string][])
      : []),
  ];
  const text = variables.map(([name, value]) => `export ${name}='${value}'\n`).join("");
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, text, { mode: 0o600 });
  renameSync(temporary, file);
}

const program = new Command()
  .name("onesignal-emulator")
  .description("A local, stateful server that speaks OneSignal's REST API, for tests and demos.")
  .version(packageVersion(), "-V, --version", "print the version")
  .option("--port <port>", "port to listen on (0 picks a free one)", parsePort, 4010)
  .option("--host <host>", "address to listen on", "127.0.0.1")
  .option("--data <file>", "JSON file that keeps the state across restarts")
  .option("--organization-api-key <key>", "organization API key to accept (generated when absent)")
  .option("--latency-ms <ms>", "delay added to every API request, to model a network round trip", parsePort, 0)
  .option("--request-log-limit <n>", "requests kept in GET /_emulator/requests (newest)", parseCount, 100_000)
  .option("--app <name>", "an app to have from the start, with an app API key (repeatable)", collect)
  .option(
    "--env-out <file>",
    "once listening, write ONESIGNAL_API_URL, the keys and the first app's id there, for `. FILE` in a shell (0600)",
    nonEmpty,
  )
  // Bad usage exits 2, as the pulumi-onesignal CLI does; --help and --version exit 0.
  .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : 2))
  .action(
    async (options: {
      port: number;
      host: string;
      data?: string;
      organizationApiKey?: string;
      latencyMs: number;
      requestLogLimit: number;
      app?: string[];
      envOut?: string;
    }) => {
      // (Not --env-file: Node 20 reads that flag anywhere on its command line.) A file left by an earlier run must not pass for this one's before it listens.
      if (options.envOut) rmSync(options.envOut, { force: true });
      const emulator = await startEmulator({
        port: options.port,
        host: options.host,
        ...(options.data ? { dataFile: options.data } : {}),
        ...(options.organizationApiKey ? { organizationApiKey: options.organizationApiKey } : {}),
        ...(options.latencyMs ? { latencyMs: options.latencyMs } : {}),
        requestLogLimit: options.requestLogLimit,
        ...(options.app ? { apps: options.app } : {}),
      }).catch((error: unknown) => {
        const code = (error as { code?: string }).code;
        if (code === "EADDRINUSE" || code === "EACCES") {
          process.stderr.write(
            `onesignal-emulator: cannot listen on ${options.host}:${options.port} (${code === "EADDRINUSE" ? "the port is in use" : "permission denied"}): ` +
              "choose another with --port, or --port 0 for a free one\n",
          );
          process.exit(2);
        }
        throw error;
      });
      process.stdout.write(`OneSignal emulator listening on ${emulator.url}\n`);
      process.stdout.write(`Organization id: ${emulator.organizationId}\n`);
      process.stdout.write(`Organization API key: ${emulator.organizationApiKey}\n`);
      for (const app of emulator.apps) {
        process.stdout.write(`App "${app.name}": id ${app.id}, app API key ${app.apiKey}\n`);
      }
      if (options.envOut) writeEnvFile(options.envOut, emulator);
      let closing = false;
      const stop = (signal: string) => {
        if (closing) return;
        closing = true;
        emulator.close().then(
          () => process.exit(0),
          (error: unknown) => {
            process.stderr.write(`onesignal-emulator: ${signal}: ${String(error)}\n`);
            process.exit(1);
          },
        );
      };
      process.on("SIGTERM", () => stop("SIGTERM"));
      process.on("SIGINT", () => stop("SIGINT"));
    },
  );

program.parseAsync().catch((error: unknown) => {
  process.stderr.write(`onesignal-emulator: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
