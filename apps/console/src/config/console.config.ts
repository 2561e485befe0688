import { z } from 'zod';
import { CommonEnv } from '@omnigate/kit';
import { parseRoles } from '../privacy/roles';

export interface AgentAccount {
  id: string;
  password: string;
}

const AGENT_ID = /^[A-Za-z0-9._-]{1,64}$/;
const MIN_PASSWORD = 8;

/**
 * `id:password,id:password`. Problems name the entry by position (and id once it is well formed),
 * never the password: parseConfig prints these messages at start.
 */
export function parseAgentAccounts(raw: string, ctx: z.RefinementCtx): AgentAccount[] {
  const accounts: AgentAccount[] = [];
  const entries = raw.split(',').map((e) => e.trim());
  entries.forEach((entry, i) => {
    const at = `entry ${i + 1}`;
    const colon = entry.indexOf(':');
    if (colon <= 0) {
      ctx.addIssue({ code: 'custom', message: `${at} is not "id:password"` });
      return;
    }
    const id = entry.slice(0, colon);
    const password = entry.slice(colon + 1);
    if (!AGENT_ID.test(id)) {
      ctx.addIssue({
        code: 'custom',
        message: `${at}: the agent id must be 1-64 of [A-Za-z0-9._-]`,
      });
    } else if (password.length < MIN_PASSWORD) {
      ctx.addIssue({
        code: 'custom',
        message: `${at} (agent ${id}): the password must be at least ${MIN_PASSWORD} characters`,
      });
    } else if (accounts.some((a) => a.id === id)) {
      ctx.addIssue({ code: 'custom', message: `${at}: agent ${id} is listed twice` });
    } else {
      accounts.push({ id, password });
    }
  });
  return accounts;
}

export const ConsoleEnv = CommonEnv.extend({
  CONSOLE_PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  /** Agent accounts for the simple login: `alice:s3cret12,bob:hunter22` (issue 6 brings hashed accounts and OIDC). */
  CONSOLE_AGENTS: z
    .string({ error: 'required: agent accounts as id:password pairs separated by commas' })
    .min(1, 'required: at least one id:password pair')
    .transform(parseAgentAccounts),
  /** HMAC-SHA256 key of the session tokens. */
  CONSOLE_SESSION_SECRET: z
    .string({ error: 'required: at least 32 characters' })
    .min(32, 'must be at least 32 characters'),
  CONSOLE_SESSION_TTL_MIN: z.coerce.number().int().min(1).max(10_080).default(480),
  CONSOLE_RPC_TIMEOUT_MS: z.coerce.number().int().min(50).max(60_000).default(5000),
  /** Roles beyond agent: `dora:dpo,sam:supervisor` (dpo: export/erasure/audit; supervisor: reveal a card). */
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
});
export type ConsoleConfig = z.infer<typeof ConsoleEnv>;

export const CONSOLE_CONFIG = Symbol('CONSOLE_CONFIG');
