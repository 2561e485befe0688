import { isIP } from 'node:net';

/**
 * The address key of a login: the client address as Fastify resolved it (X-Forwarded-For only
 * from TRUSTED_PROXIES). An IPv6 client is counted by its /64, which one subscriber usually holds
 * whole: rotating addresses inside it must not buy more guesses. Pure.
 */
export function addressKey(ip: string): string {
  const v4mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (v4mapped) return `address:${v4mapped[1]}`;
  if (isIP(ip) !== 6) return `address:${ip}`;
  return `address:${expandIpv6(ip).slice(0, 4).join(':')}::/64`;
}

/** The account key: ids are compared as typed (AGENT_ID), so `Sam` and `sam` are two keys. */
export function accountKey(agentId: string): string {
  return `account:${agentId}`;
}

function expandIpv6(ip: string): string[] {
  const [head = '', tail] = ip.split('%')[0]!.split('::') as [string, string | undefined];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const fill = tail === undefined ? [] : Array<string>(8 - left.length - right.length).fill('0');
  return [...left, ...fill, ...right].map((h) => h.toLowerCase().replace(/^0+(?=.)/, ''));
}
