import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { CommonEnv, envFlag, productionProblems } from '@omnigate/kit';
import {
  parseAccountsFile,
  parseAgentAccounts,
  parseAgentQueues,
  parseAgentTotp,
} from '../auth/accounts.mapper';
import type { ConsoleAccount, PlainAgentAccount } from '../auth/accounts.mapper';
import { parseRoles } from '../privacy/roles';
import { ConsoleOidcEnv, checkOidcKeys } from './console-oidc.config';

export type { ConsoleAccount, PlainAgentAccount };

/** `transform` helper: a parser that reports problems through the zod context. */
const issues = (ctx: z.RefinementCtx) => (message: string) =>
  ctx.addIssue({ code: 'custom', message });

export const ConsoleEnv = CommonEnv.extend({
  CONSOLE_PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  /**
   * Development and test accounts: `alice:s3cret12,bob:hunter22`. Hashed with argon2 at start;
   * only the hashes are kept. Real deployments use CONSOLE_ACCOUNTS_FILE or OIDC.
   */
  CONSOLE_AGENTS: z
    .string()
    .optional()
    .transform((raw, ctx) => (raw?.trim() ? parseAgentAccounts(raw, issues(ctx)) : [])),
  /** Queues of CONSOLE_AGENTS agents: `alice:general|fraud,bob:fraud` (unlisted: every queue). */
  CONSOLE_AGENT_QUEUES: z
    .string()
    .optional()
    .transform((raw, ctx) => parseAgentQueues(raw, issues(ctx))),
  /** Roles of CONSOLE_AGENTS accounts: `dora:dpo,sam:supervisor,ada:admin` (unlisted: agent). */
  CONSOLE_ROLES: z
    .string()
    .optional()
    .transform((raw, ctx) => {
      try {
        return parseRoles(raw);
      } catch (e) {
        ctx.addIssue({ code: 'custom', message: (e as Error).message });
        return z.NEVER;
      }
    }),
  /** JSON file `[{id, passwordHash (argon2id), role, queues}]` (`npm run console:account`). */
  CONSOLE_ACCOUNTS_FILE: z
    .string()
    .min(1)
    .optional()
    .transform((path, ctx): ConsoleAccount[] => {
      if (path === undefined) return [];
      let text: string;
      try {
        text = readFileSync(path, 'utf8');
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code ?? 'unreadable';
        ctx.addIssue({ code: 'custom', message: `cannot read ${path} (${code})` });
        return [];
      }
      return parseAccountsFile(text, issues(ctx));
    }),
  /** HMAC-SHA256 key of the session tokens, the CSRF tokens and the OIDC state cookie. */
  CONSOLE_SESSION_SECRET: z
    .string({ error: 'required: at least 32 characters' })
    .min(32, 'must be at least 32 characters'),
  CONSOLE_SESSION_TTL_MIN: z.coerce.number().int().min(1).max(10_080).default(480),
  /** Mark the session cookie `Secure` (set it whenever the console is served over HTTPS). */
  CONSOLE_COOKIE_SECURE: z
    .string()
    .optional()
    .transform((v) => envFlag(v, false)),
  /**
   * Login lockout: failed logins of one account (any address) and from one address (any account)
   * within the window; reaching either locks that key for the lockout time (429 + Retry-After).
   */
  CONSOLE_LOGIN_ACCOUNT_MAX_FAILURES: z.coerce.number().int().min(1).max(1000).default(5),
  CONSOLE_LOGIN_ADDRESS_MAX_FAILURES: z.coerce.number().int().min(1).max(100_000).default(20),
  CONSOLE_LOGIN_WINDOW_MIN: z.coerce.number().int().min(1).max(1440).default(15),
  CONSOLE_LOGIN_LOCKOUT_MIN: z.coerce.number().int().min(1).max(1440).default(15),
  /**
   * argon2 verifications at once (each takes CONSOLE's 19 MiB) and waiting at most: beyond, a
   * login is refused with 503 CONSOLE.LOGIN_UNAVAILABLE instead of exhausting memory.
   */
  CONSOLE_ARGON2_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  CONSOLE_ARGON2_QUEUE: z.coerce.number().int().min(0).max(10_000).default(32),
  /**
   * TOTP secrets (base32) of CONSOLE_AGENTS accounts, for development and tests: `sam:JBSW...`.
   * Real accounts enrol with `npm run console:account -- totp <id>` (stored sealed in the database).
   */
  CONSOLE_AGENT_TOTP: z
    .string()
    .optional()
    .transform((raw, ctx) => parseAgentTotp(raw, issues(ctx))),
  /** The issuer shown in authenticator apps. */
  CONSOLE_TOTP_ISSUER: z.string().min(1).max(64).default('Omnigate'),
  /** How often a connected socket's session is checked again (revoked on another instance). */
  CONSOLE_SESSION_RECHECK_SEC: z.coerce.number().int().min(1).max(3600).default(30),
  CONSOLE_RPC_TIMEOUT_MS: z.coerce.number().int().min(50).max(60_000).default(5000),
  /** An erasure sweeps the streams (linear in their size): it may take minutes on a busy bus. */
  CONSOLE_ERASURE_TIMEOUT_MS: z.coerce.number().int().min(1000).max(900_000).default(120_000),
  /** A redrive of every dead letter reads the DLQ once per stream (about 2 s per 1000 entries). */
  CONSOLE_REDRIVE_TIMEOUT_MS: z.coerce.number().int().min(1000).max(900_000).default(120_000),
  /** The resolution time before Omnigate, ms: the journey dashboard's −35% target is against it. */
  JOURNEY_BASELINE_RESOLUTION_MS: z.coerce.number().int().min(1).default(86_400_000),
  /** The built web UI (index.html + assets/); default dist/console-web under the working directory. */
  CONSOLE_WEB_DIR: z.string().min(1).optional(),
  ...ConsoleOidcEnv.shape,
}).superRefine(
  (env, ctx) => {
    const at = (path: string, message: string) =>
      ctx.addIssue({ code: 'custom', path: [path], message });
    // Runs even when a key failed (to list every problem at once): values may be missing then.
    const list = <T>(v: unknown): T[] => (Array.isArray(v) ? (v as T[]) : []);
    const keys = (v: unknown): string[] =>
      v instanceof Map ? [...(v.keys() as Iterable<string>)] : [];
    const plain = new Set(list<PlainAgentAccount>(env.CONSOLE_AGENTS).map((a) => a.id));
    const file = list<ConsoleAccount>(env.CONSOLE_ACCOUNTS_FILE);
    if (plain.size === 0 && file.length === 0 && !env.CONSOLE_OIDC_ISSUER) {
      at(
        'CONSOLE_AGENTS',
        'required: at least one account (CONSOLE_AGENTS id:password pairs, CONSOLE_ACCOUNTS_FILE) or CONSOLE_OIDC_ISSUER',
      );
    }
    for (const id of keys(env.CONSOLE_ROLES)) {
      if (!plain.has(id)) at('CONSOLE_ROLES', `${id} is not an account of CONSOLE_AGENTS`);
    }
    for (const id of keys(env.CONSOLE_AGENT_QUEUES)) {
      if (!plain.has(id)) at('CONSOLE_AGENT_QUEUES', `${id} is not an account of CONSOLE_AGENTS`);
    }
    for (const id of keys(env.CONSOLE_AGENT_TOTP)) {
      if (!plain.has(id)) at('CONSOLE_AGENT_TOTP', `${id} is not an account of CONSOLE_AGENTS`);
    }
    for (const a of file) {
      if (plain.has(a.id)) at('CONSOLE_ACCOUNTS_FILE', `${a.id} is also in CONSOLE_AGENTS`);
    }
    checkOidcKeys(env, at);
    // The sandbox plays the OIDC provider in development (its issuer on loopback).
    const rules = { database: true, providerUrls: ['CONSOLE_OIDC_ISSUER'] };
    for (const p of productionProblems(env, rules)) at(p.key, p.message);
  },
  { when: () => true },
);
export type ConsoleConfig = z.infer<typeof ConsoleEnv>;

export const CONSOLE_CONFIG = Symbol('CONSOLE_CONFIG');
