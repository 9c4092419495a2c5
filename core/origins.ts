// Where traffic and credentials may go. An environment loads only its own origins (the base
// URL's, plus `hosts`); the environment's credentials (auth, headers, userinfo) go only to the
// base URL's origin, and never from https down to http. One rule for the engines, the checks'
// redirect chains, the drill probes, the alert traffic and page-load.

export interface OriginPolicy {
  /** the base URL's origin: the one credentials belong to */
  home: string
  /** every origin traffic may go to (home included) */
  allowed: ReadonlySet<string>
}

export function originPolicy(baseUrl: string, hosts: readonly string[] = []): OriginPolicy {
  const home = new URL(baseUrl).origin
  const allowed = new Set([home, ...hosts.map((h) => new URL(h).origin)])
  return { home, allowed }
}

/** May golive send a request to this URL at all? */
export function mayLoad(policy: OriginPolicy, url: string | URL): boolean {
  return policy.allowed.has(new URL(url).origin)
}

/** May the environment's credentials ride on a request to this URL? Only to their own origin
 *  (a cross-origin redirect drops Authorization, as fetch does), so never over a downgrade. */
export function mayCarryCredentials(policy: OriginPolicy, url: string | URL): boolean {
  return new URL(url).origin === policy.home
}

/** The one-line refusal a step or probe reports instead of sending the request. */
export function notAllowedMessage(url: string | URL): string {
  const o = new URL(url).origin
  return `${o} is not one of this environment's hosts; add it to hosts to load it`
}
