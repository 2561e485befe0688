import { isIP } from 'node:net';
import type { z } from 'zod';

/**
 * What an app refuses with NODE_ENV=production beyond its own keys' checks. The development
 * defaults (the sandbox as every provider, no NATS users, embedded PGlite) make `npm start` and the
 * tests work with nothing configured; in production each of them is a silent outage or a hole.
 */
export interface ProductionRules {
  /** The app keeps tables: without DATABASE_URL every pod would open its own embedded PGlite. */
  database?: boolean;
  /** Keys holding the URL of a provider or of the bank: the sandbox's loopback defaults are refused. */
  providerUrls?: readonly string[];
  /** Keys holding a provider's host name (e.g. the SMTP relay): loopback is refused. */
  providerHosts?: readonly string[];
  /** Keys that must be set in production, with the reason shown. */
  required?: Readonly<Record<string, string>>;
  /** Keys that must not be set in production (test-only switches), with the reason shown. */
  forbidden?: Readonly<Record<string, string>>;
}

export interface ProductionProblem {
  key: string;
  message: string;
}

/** The sandbox's stand-in credentials say so in their value (`sandbox-core-key`, ...). */
const SANDBOX_VALUE = /sandbox/i;
/** The sandbox's Twilio account: AC and 32 zeros. A real account SID is never all zeros. */
const ZERO_ACCOUNT = /^AC0{32}$/;

/** localhost, 127.0.0.0/8, ::1, 0.0.0.0: where the sandbox listens in development. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (isIP(h) === 4) return h.startsWith('127.') || h === '0.0.0.0';
  if (isIP(h) === 6) return h === '::1' || h === '::' || h.startsWith('::ffff:127.');
  return false;
}

function hostOfUrl(value: string): string | null {
  try {
    return new URL(value).hostname;
  } catch {
    return null;
  }
}

function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return [];
}

/** Every sandbox value, loopback provider and missing credential of `env` (parsed), none in dev. */
export function productionProblems(
  env: Record<string, unknown>,
  rules: ProductionRules = {},
): ProductionProblem[] {
  if (env.NODE_ENV !== 'production') return [];
  const problems: ProductionProblem[] = [];
  const add = (key: string, message: string) => problems.push({ key, message });
  for (const [key, value] of Object.entries(env)) {
    if (strings(value).some((v) => SANDBOX_VALUE.test(v) || ZERO_ACCOUNT.test(v))) {
      add(key, 'is a sandbox value: give the real one (NODE_ENV=production)');
    }
  }
  for (const key of rules.providerUrls ?? []) {
    const host = typeof env[key] === 'string' ? hostOfUrl(env[key]) : null;
    if (host !== null && isLoopbackHost(host)) {
      add(key, `points at ${host}, the sandbox's address in development: give the provider's URL`);
    }
  }
  for (const key of rules.providerHosts ?? []) {
    const host = env[key];
    if (typeof host === 'string' && isLoopbackHost(host)) {
      add(key, `is ${host}, the sandbox's address in development: give the provider's host`);
    }
  }
  if (rules.database && !env.DATABASE_URL) {
    add(
      'DATABASE_URL',
      'required with NODE_ENV=production (else each instance keeps its own PGlite)',
    );
  }
  problems.push(...natsCredentialProblems(env));
  for (const [key, why] of Object.entries(rules.required ?? {})) {
    if (env[key] === undefined || env[key] === '') {
      add(key, `required with NODE_ENV=production (${why})`);
    }
  }
  for (const [key, why] of Object.entries(rules.forbidden ?? {})) {
    if (env[key] !== undefined) add(key, `must not be set with NODE_ENV=production (${why})`);
  }
  return problems;
}

/** A user with its password, a token, or a TLS client certificate the server maps to a user. */
function natsCredentialProblems(env: Record<string, unknown>): ProductionProblem[] {
  if (env.NATS_USER && !env.NATS_PASS) {
    return [{ key: 'NATS_PASS', message: 'required with NATS_USER (NODE_ENV=production)' }];
  }
  if ((env.NATS_USER && env.NATS_PASS) || env.NATS_TOKEN || env.NATS_TLS_CERT) return [];
  return [
    {
      key: 'NATS_USER',
      message:
        "required with NODE_ENV=production: this service's NATS user and NATS_PASS (deploy/nats/nats-users.conf), NATS_TOKEN, or a client certificate (NATS_TLS_CERT)",
    },
  ];
}

/**
 * The production rules as a zod refinement, for an app's schema:
 * `.superRefine(refuseSandboxInProduction({ database: true }), { when: () => true })`.
 * Each problem is an issue on its key, so `parseConfig` lists them with every other bad key.
 */
export function refuseSandboxInProduction(rules: ProductionRules = {}) {
  return (env: Record<string, unknown>, ctx: z.RefinementCtx): void => {
    for (const p of productionProblems(env, rules)) {
      ctx.addIssue({ code: 'custom', path: [p.key], message: p.message });
    }
  };
}
