import { BlockList, isIP } from 'node:net';
import type { IncomingMessage } from 'node:http';

/**
 * One TRUSTED_PROXIES entry: an IP address or a CIDR block, v4 or v6. Returns the reason it is
 * refused, or null when it is usable. A /0 block is refused: it would trust every peer, and any
 * client could then pick the address its rate limit is counted under.
 */
export function proxyEntryProblem(entry: string): string | null {
  const [address = '', prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) {
    return `"${entry}" is not an IP address or CIDR block (e.g. 10.0.0.7, 10.0.0.0/8, fd00::/8)`;
  }
  if (prefix === undefined) return null;
  const bits = /^\d{1,3}$/.test(prefix) ? Number(prefix) : NaN;
  const max = family === 4 ? 32 : 128;
  if (!(bits >= 0 && bits <= max)) return `"${entry}": the prefix must be 0-${max}`;
  if (bits === 0) return `"${entry}" would trust every peer: list the proxies' own addresses`;
  return null;
}

/** The address of a socket as a key: an IPv4 peer of a dual-stack listener without `::ffff:`. */
export function plainAddress(address: string): string {
  return /^::ffff:\d+\.\d+\.\d+\.\d+$/i.test(address) ? address.slice(7) : address;
}

/**
 * The proxies (load balancers, ingresses) whose X-Forwarded-For we believe. Only a hop written by
 * a trusted proxy is read: the client address is the first untrusted one from the right, so a
 * client that sends its own X-Forwarded-For cannot choose the address it is counted under.
 * Empty (the default): no header is believed and the client is the TCP peer.
 */
export class TrustedProxies {
  private readonly list = new BlockList();
  readonly size: number;

  constructor(entries: readonly string[]) {
    for (const entry of entries) {
      const problem = proxyEntryProblem(entry);
      if (problem) throw new Error(`TRUSTED_PROXIES: ${problem}`);
      const [address = '', prefix] = entry.split('/');
      const type = isIP(address) === 4 ? 'ipv4' : 'ipv6';
      if (prefix === undefined) this.list.addAddress(address, type);
      else this.list.addSubnet(address, Number(prefix), type);
    }
    this.size = entries.length;
  }

  trusts(address: string | undefined): boolean {
    if (!address || this.size === 0) return false;
    const plain = plainAddress(address);
    const family = isIP(plain);
    if (family === 0) return false;
    return this.list.check(plain, family === 4 ? 'ipv4' : 'ipv6');
  }

  /** Fastify's `trustProxy`: nothing believed when the list is empty. */
  fastifyTrust(): false | ((address: string, hop: number) => boolean) {
    return this.size === 0 ? false : (address) => this.trusts(address);
  }

  /** The client of a plain Node request (socket.io's engine), by the same rule as Fastify's. */
  clientOf(req: IncomingMessage): string {
    const peer = plainAddress(req.socket.remoteAddress ?? 'unknown');
    const header = req.headers['x-forwarded-for'];
    const raw = Array.isArray(header) ? header.join(',') : (header ?? '');
    const hops = raw
      .split(',')
      .map((h) => h.trim())
      .filter((h) => h.length > 0);
    let client = peer;
    while (this.trusts(client) && hops.length > 0) client = plainAddress(hops.pop()!);
    return client;
  }
}

/** The env value (comma-separated) → entries; the config schema reports every bad one. */
export function splitProxyList(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}
