#!/usr/bin/env node
import { Command, InvalidArgumentError } from "commander";
import { startEmulator } from "./server";

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

const program = new Command()
  .name("onesignal-emulator")
  .description("A local, stateful server that speaks OneSignal's REST API, for tests and demos.")
  .option("--port <port>", "port to listen on (0 picks a free one)", parsePort, 4010)
  .option("--host <host>", "address to listen on", "127.0.0.1")
  .option("--data <file>", "JSON file that keeps the state across restarts")
  .option("--organization-api-key <key>", "organization API key to accept (generated when absent)")
  .option("--latency-ms <ms>", "delay added to every API request, to model a network round trip", parsePort, 0)
  .option("--request-log-limit <n>", "requests kept in GET /_emulator/requests (newest)", parseCount, 100_000)
  .action(
    async (options: {
      port: number;
      host: string;
      data?: string;
      organizationApiKey?: string;
      latencyMs: number;
      requestLogLimit: number;
    }) => {
      const emulator = await startEmulator({
        port: options.port,
        host: options.host,
        ...(options.data ? { dataFile: options.data } : {}),
        ...(options.organizationApiKey ? { organizationApiKey: options.organizationApiKey } : {}),
        ...(options.latencyMs ? { latencyMs: options.latencyMs } : {}),
        requestLogLimit: options.requestLogLimit,
      });
      process.stdout.write(`OneSignal emulator listening on ${emulator.url}\n`);
      process.stdout.write(`Organization id: ${emulator.organizationId}\n`);
      process.stdout.write(`Organization API key: ${emulator.organizationApiKey}\n`);
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
