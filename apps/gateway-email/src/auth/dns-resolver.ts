import { promises as dns } from 'node:dns';

/** What mailauth calls for every DNS lookup (SPF, DKIM keys, DMARC policy). */
export type DnsResolver = (name: string, rrtype: string) => Promise<unknown>;

/** Nest token of the resolver: the system's DNS in production, a static map in tests. */
export const DNS_RESOLVER = Symbol('DNS_RESOLVER');

export const systemResolver: DnsResolver = (name, rrtype) => dns.resolve(name, rrtype);

function notFound(name: string): Error {
  return Object.assign(new Error(`queryTxt ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
}

/** TXT records from a map (names lower case); every other name and type: not found. */
export function staticResolver(txt: Record<string, string[]>): DnsResolver {
  const records = new Map(
    Object.entries(txt).map(([k, v]) => [k.toLowerCase().replace(/\.$/, ''), v]),
  );
  return (name, rrtype) => {
    const found = records.get(name.toLowerCase().replace(/\.$/, ''));
    if (rrtype !== 'TXT' || !found) return Promise.reject(notFound(name));
    // dns.resolveTxt shape: each record is an array of its <=255-character chunks.
    return Promise.resolve(found.map((r) => [r]));
  };
}
