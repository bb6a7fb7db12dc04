import { accessDenied } from "./errors";
import type { AuthRule, Principal, RequestContext } from "./router";
import type { Store } from "./store";

/**
 * Who the `Authorization` header speaks for. OneSignal ignores the scheme word (`Key`, `Basic`,
 * `Bearer`) and looks only at the token, so the emulator does too.
 */
export function resolvePrincipal(store: Store, header: string | undefined): Principal {
  if (!header) return { kind: "none" };
  const match = /^\s*(?:key|basic|bearer)\s+(\S+)\s*$/i.exec(header);
  const token = match?.[1];
  if (!token) return { kind: "none" };
  if (token === store.organization.apiKey) return { kind: "organization" };
  const apiKey = store.findApiKeyBySecret(token);
  if (apiKey) return { kind: "app", appId: apiKey.appId, tokenId: apiKey.tokenId };
  return { kind: "none" };
}

/** Throws OneSignal's 403 unless the principal may call a route with this rule for this app. */
export function authorize(rule: AuthRule, context: RequestContext, appId: string | undefined): void {
  const { principal } = context;
  if (rule === "none") return;
  if (principal.kind === "organization" && (rule === "organization" || rule === "organization-or-app")) return;
  if (principal.kind === "app" && (rule === "app" || rule === "organization-or-app") && principal.appId === appId) {
    return;
  }
  throw accessDenied();
}
