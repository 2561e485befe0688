/**
 * NATS subject patterns as the AsyncAPI generator needs them: address templates built from the
 * contracts' own subject functions, and who of tools/nats-permissions.ts may use a subject. Pure.
 */
import type { ServicePermissions } from './nats-permissions';

/** An AsyncAPI address (`msg.in.v1.{channel}`) and its parameters, in order of appearance. */
export interface AddressTemplate {
  address: string;
  names: string[];
}

const PLACEHOLDER = /^p(\d+)-param$/;

/**
 * Runs a subject function of libs/contracts with a placeholder per parameter and reads the
 * address back, so the document says what the code publishes on. A placeholder is a safe subject
 * token (`p0-param`), so a function that hashes unsafe ids (subjectToken) keeps it as it is.
 */
export function addressTemplate(
  build: (param: (name: string) => string) => string,
): AddressTemplate {
  const names: string[] = [];
  const raw = build((name) => {
    names.push(name);
    return `p${names.length - 1}-param`;
  });
  const seen = new Set<number>();
  const address = raw
    .split('.')
    .map((token) => {
      const m = PLACEHOLDER.exec(token);
      if (!m) return token;
      seen.add(Number(m[1]));
      return `{${names[Number(m[1])]}}`;
    })
    .join('.');
  if (seen.size !== names.length) {
    throw new Error(`subject ${raw} does not keep every parameter as a whole token`);
  }
  return { address, names };
}

/** The address with each parameter as a one-token wildcard: what its subjects look like to NATS. */
export function wildcardOf(address: string): string {
  return address
    .split('.')
    .map((t) => (/^\{.+\}$/.test(t) ? '*' : t))
    .join('.');
}

/**
 * Whether some subject matches both patterns (NATS wildcards: `*` one token, `>` one or more
 * tokens at the end). A permission on `msg.in.v1.sms` overlaps the channel `msg.in.v1.*`.
 */
export function overlaps(a: string, b: string): boolean {
  const x = a.split('.');
  const y = b.split('.');
  for (let i = 0; ; i++) {
    const s = x[i];
    const t = y[i];
    if (s === undefined && t === undefined) return true;
    if (s === '>') return t !== undefined;
    if (t === '>') return s !== undefined;
    if (s === undefined || t === undefined) return false;
    if (s !== '*' && t !== '*' && s !== t) return false;
  }
}

/** Whether `pattern` matches every subject `subject` stands for (a concrete subject: itself). */
export function covers(pattern: string, subject: string): boolean {
  const p = pattern.split('.');
  const s = subject.split('.');
  for (let i = 0; i < p.length; i++) {
    if (p[i] === '>') return s.length > i;
    const t = s[i];
    if (t === undefined || t === '>') return false;
    // A literal covers only itself (never a wildcard token of `subject`).
    if (p[i] !== '*' && p[i] !== t) return false;
  }
  return p.length === s.length;
}

/** One NATS user's grants that reach a subject pattern. */
export interface Grant {
  user: string;
  allow: string[];
}

const JS_API = '$JS.API.';
const INBOX = '_INBOX.';

/** Who may publish (or subscribe) on some subject of `pattern`, with the grants that let them. */
export function grantsOn(
  services: readonly ServicePermissions[],
  pattern: string,
  direction: 'publish' | 'subscribe',
): Grant[] {
  return services
    .map((s) => ({
      user: s.user,
      allow: [...new Set(s[direction])].filter(
        (p) => !p.startsWith(JS_API) && !p.startsWith(INBOX) && overlaps(p, pattern),
      ),
    }))
    .filter((g) => g.allow.length > 0);
}

/** A durable pull consumer a NATS user may create: its stream, name and filter subject. */
export interface DurableGrant {
  user: string;
  stream: string;
  durable: string;
  filter: string;
}

const CONSUMER_CREATE = /^\$JS\.API\.CONSUMER\.CREATE\.([^.]+)\.([^.]+)\.(.+)$/;

/**
 * The durable consumers on `stream` whose filter overlaps `pattern`, read from the
 * `$JS.API.CONSUMER.CREATE.<stream>.<durable>.<filter>` grants (the server checks the filter in
 * that subject against the request, so these are the only durables that can exist).
 */
export function durablesOn(
  services: readonly ServicePermissions[],
  stream: string,
  pattern: string,
): DurableGrant[] {
  return services.flatMap((s) =>
    [...new Set(s.publish)].flatMap((p) => {
      const m = CONSUMER_CREATE.exec(p);
      if (!m || m[1] !== stream || !overlaps(m[3]!, pattern)) return [];
      return [{ user: s.user, stream, durable: m[2]!, filter: m[3]! }];
    }),
  );
}

/**
 * Who may read a stream's stored messages one by one (`$JS.API.STREAM.MSG.GET.<stream>`): the
 * dead-letter views, erasure and redrive, which read without a consumer.
 */
export function messageReadersOf(
  services: readonly ServicePermissions[],
  stream: string,
): string[] {
  const get = `${JS_API}STREAM.MSG.GET.${stream}`;
  return services.filter((s) => s.publish.includes(get)).map((s) => s.user);
}
