/** Cookie names: wire names the web UI relies on. */
export const SESSION_COOKIE = 'og_session';
export const OIDC_STATE_COOKIE = 'og_oidc';

const NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const VALUE = /^[!#-+\--:<-[\]-~]*$/;

/**
 * `Cookie:` header → name/value pairs (RFC 6265 §5.4: `a=1; b=2`). The first of two equal names
 * wins (the more specific path comes first); malformed pairs are skipped. Pure.
 */
export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    let value = part.slice(eq + 1).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) {
      value = value.slice(1, -1);
    }
    if (!NAME.test(name) || !VALUE.test(value) || Object.hasOwn(out, name)) continue;
    out[name] = value;
  }
  return out;
}

export interface CookieOptions {
  /** Seconds; 0 deletes the cookie. Absent: a browser-session cookie. */
  maxAgeSec?: number;
  path?: string;
  secure?: boolean;
  sameSite?: 'Strict' | 'Lax';
}

/** One `Set-Cookie` value, always HttpOnly. Throws on a name or value a cookie cannot carry. Pure. */
export function serializeCookie(name: string, value: string, opts: CookieOptions = {}): string {
  if (!NAME.test(name)) throw new Error(`invalid cookie name ${JSON.stringify(name)}`);
  if (!VALUE.test(value)) throw new Error(`invalid value for cookie ${name}`);
  const parts = [`${name}=${value}`, `Path=${opts.path ?? '/'}`, 'HttpOnly'];
  parts.push(`SameSite=${opts.sameSite ?? 'Strict'}`);
  if (opts.maxAgeSec !== undefined) {
    parts.push(`Max-Age=${Math.max(0, Math.floor(opts.maxAgeSec))}`);
  }
  if (opts.secure) parts.push('Secure');
  return parts.join('; ');
}
