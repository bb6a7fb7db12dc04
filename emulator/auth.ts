import { BlockList, isIP } from "node:net";
import { accessDenied, type EmulatorError } from "./errors";
import type { AuthRule, Principal, RequestContext } from "./router";
import type { Store } from "./store";

/**
 * Who the `Authorization` header speaks for. OneSignal ignores the scheme word (`Key`, `Basic`,
 * `Bearer`) and looks only at the token, so the emulator does too.
 */
export function resolvePrincipal(store: Store, header: string | undefined, remoteAddress?: string): Principal {
  if (!header?.trim()) return { kind: "none", missing: true };
  const match = /^\s*(?:key|basic|bearer)\s+(\S+)\s*$/i.exec(header);
  const token = match?.[1];
  // A scheme word with no key after it carries no key, as an absent header does.
  if (!token) return { kind: "none", missing: true };
  if (token === store.organization.apiKey) return { kind: "organization" };
  const apiKey = store.findApiKeyBySecret(token);
  if (!apiKey) return { kind: "none", missing: false };
  // A key with an explicit allowlist speaks only from the addresses it lists.
  // ((emulator: D01 OneSignal does not document its answer to a key used from elsewhere; the emulator refuses it as it
  // refuses a wrong key, 403 "Access denied"))
  if (apiKey.ipAllowlistMode === "explicit" && !allowed(apiKey.ipAllowlist, remoteAddress)) {
    return { kind: "none", missing: false };
  }
  return { kind: "app", appId: apiKey.appId, tokenId: apiKey.tokenId };
}

/** Whether an address is in one of the CIDR blocks (checked when stored); an IPv4 address may come IPv6-mapped. */
export function allowed(blocks: readonly string[], remoteAddress: string | undefined): boolean {
  if (!remoteAddress) return false;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(remoteAddress);
  const address = mapped?.[1] ?? remoteAddress;
  const family = isIP(address) === 6 ? "ipv6" : "ipv4";
  return blockListOf(blocks).check(address, family);
}

/** Each allowlist's BlockList, made on its first use: a key's list is replaced whole when it changes, never edited. */
const blockLists = new WeakMap<readonly string[], BlockList>();

function blockListOf(blocks: readonly string[]): BlockList {
  let list = blockLists.get(blocks);
  if (list) return list;
  list = new BlockList();
  for (const block of blocks) {
    const [network = "", prefix] = block.split("/");
    const type = isIP(network) === 6 ? "ipv6" : "ipv4";
    list.addSubnet(network, prefix === undefined ? (type === "ipv6" ? 128 : 32) : Number(prefix), type);
  }
  blockLists.set(blocks, list);
  return list;
}

/**
 * Throws unless the principal may call a route with this rule for this app: the route's own refusal
 * (`denied`, for API families that answer otherwise), else OneSignal's 403 "Access denied".
 */
export function authorize(
  rule: AuthRule,
  context: RequestContext,
  appId: string | undefined,
  denied: (context: RequestContext) => EmulatorError = accessDenied,
): void {
  const { principal } = context;
  if (rule === "none") return;
  if (principal.kind === "organization" && (rule === "organization" || rule === "organization-or-app")) return;
  if (principal.kind === "app" && (rule === "app" || rule === "organization-or-app") && principal.appId === appId) {
    return;
  }
  throw denied(context);
}
