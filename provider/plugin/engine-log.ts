/**
 * What the resource implementations warn (`console.warn`), sent to the engine's log with the URN of the
 * resource being worked on, so that `pulumi` shows it under that resource as it does for dynamic
 * providers. Without an engine address it stays on standard error.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { format } from "node:util";
import { engineProtocol, grpc } from "./sdk";

type EngineClient = InstanceType<typeof import("@pulumi/pulumi/proto/engine_grpc_pb")["EngineClient"]>;

/** The call being served: its resource and the log messages still on their way. */
interface CallContext {
  urn: string;
  pending: Promise<void>[];
}

const current = new AsyncLocalStorage<CallContext>();

/** Runs `work` as the call on `urn`; its warnings reach the engine before it answers. */
export async function withResource<T>(urn: string, work: () => Promise<T>): Promise<T> {
  const context: CallContext = { urn, pending: [] };
  try {
    return await current.run(context, work);
  } finally {
    await Promise.all(context.pending);
  }
}

/** Sends `console.warn` to the engine at `address` (the plugin's first argument). */
export function forwardWarnings(address: string | undefined): void {
  if (!address) return;
  const { proto, EngineClient } = engineProtocol();
  const client: EngineClient = new EngineClient(address, grpc.credentials.createInsecure());
  const fallback = console.warn.bind(console);
  console.warn = (...args: unknown[]) => {
    const message = format(...args);
    const request = new proto.LogRequest().setSeverity(proto.LogSeverity.WARNING).setMessage(message);
    const context = current.getStore();
    if (context) request.setUrn(context.urn);
    const sent = new Promise<void>((resolve) =>
      client.log(request, (error) => {
        if (error) fallback(message);
        resolve();
      }),
    );
    context?.pending.push(sent);
  };
}
