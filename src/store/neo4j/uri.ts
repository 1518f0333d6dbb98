/**
 * The form of a Neo4j server's address, checked before connecting: the driver takes a mistyped
 * one (no scheme, a broken host) as far as a name lookup, or fails with `Unknown scheme: null`,
 * and either read as a server that cannot be reached rather than a setting to correct.
 */

/** The schemes the driver speaks: routing (`neo4j`) or direct (`bolt`), plain or encrypted. */
export const NEO4J_SCHEMES = ['neo4j', 'neo4j+s', 'neo4j+ssc', 'bolt', 'bolt+s', 'bolt+ssc'] as const;

const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//;

/** Why `uri` is not the address of a Neo4j server (scheme://host[:port]), or null when it is one. */
export function neo4jUriProblem(uri: string): string | null {
  const expected = `scheme://host[:port] with a scheme of ${NEO4J_SCHEMES.join(', ')} (e.g. bolt://127.0.0.1:7687)`;
  const scheme = SCHEME.exec(uri)?.[1];
  if (scheme === undefined) return `"${uri}" is not the address of a Neo4j server: give ${expected}`;
  // The driver compares schemes as written: `BOLT://` is refused there too.
  if (!(NEO4J_SCHEMES as readonly string[]).includes(scheme))
    return `"${uri}" has the scheme "${scheme}": give ${expected}`;
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return `"${uri}" is not a valid address (a host name, an IP address or [IPv6 address], then :port, 0 to 65535)`;
  }
  if (url.hostname === '') return `"${uri}" names no host: give ${expected}`;
  return null;
}
