import { z } from 'zod';
import { SKILLS } from '@omnigate/contracts';
import type { Skill } from '@omnigate/contracts';
import { ROLES, isRole } from '../privacy/roles';
import type { Role } from '../privacy/roles';

/** A console account as the login checks it: only the argon2id hash is ever kept. */
export interface ConsoleAccount {
  id: string;
  /** argon2id PHC string (`$argon2id$v=19$m=…,t=…,p=…$salt$hash`). */
  passwordHash: string;
  role: Role;
  /** The queues the account belongs to (an agent sees only these). */
  queues: Skill[];
}

/** A development account from CONSOLE_AGENTS: hashed at start, the plaintext then dropped. */
export interface PlainAgentAccount {
  id: string;
  password: string;
}

export const AGENT_ID = /^[A-Za-z0-9._-]{1,64}$/;
export const MIN_PASSWORD = 8;
const ARGON2ID_PHC =
  /^\$argon2id\$v=19\$[mtp]=\d+,[mtp]=\d+,[mtp]=\d+\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/;

type Issue = (message: string) => void;

/**
 * `id:password,id:password`. Problems name the entry by position (and id once it is well formed),
 * never the password: parseConfig prints these messages at start.
 */
export function parseAgentAccounts(raw: string, issue: Issue): PlainAgentAccount[] {
  const accounts: PlainAgentAccount[] = [];
  raw
    .split(',')
    .map((e) => e.trim())
    .forEach((entry, i) => {
      const at = `entry ${i + 1}`;
      const colon = entry.indexOf(':');
      if (colon <= 0) return issue(`${at} is not "id:password"`);
      const id = entry.slice(0, colon);
      const password = entry.slice(colon + 1);
      if (!AGENT_ID.test(id)) return issue(`${at}: the agent id must be 1-64 of [A-Za-z0-9._-]`);
      if (password.length < MIN_PASSWORD) {
        return issue(
          `${at} (agent ${id}): the password must be at least ${MIN_PASSWORD} characters`,
        );
      }
      if (accounts.some((a) => a.id === id)) return issue(`${at}: agent ${id} is listed twice`);
      accounts.push({ id, password });
    });
  return accounts;
}

/** A list of queue names, each one of SKILLS; `what` names the entry in the messages. */
export function parseQueueList(names: string[], what: string, issue: Issue): Skill[] {
  const out: Skill[] = [];
  for (const name of names) {
    if (!(SKILLS as readonly string[]).includes(name)) {
      issue(`${what}: "${name}" is not a queue (one of ${SKILLS.join(', ')})`);
    } else if (!out.includes(name as Skill)) {
      out.push(name as Skill);
    }
  }
  return out;
}

/** `CONSOLE_AGENT_QUEUES="alice:general|fraud,bob:fraud"`. */
export function parseAgentQueues(raw: string | undefined, issue: Issue): Map<string, Skill[]> {
  const map = new Map<string, Skill[]>();
  const entries = (raw ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  for (const entry of entries) {
    const [id, list, extra] = entry.split(':');
    if (!id || !list || extra !== undefined || !AGENT_ID.test(id)) {
      issue(`"${entry}" is not "agentId:queue|queue"`);
      continue;
    }
    if (map.has(id)) issue(`agent ${id} is listed twice`);
    map.set(id, parseQueueList(list.split('|'), `agent ${id}`, issue));
  }
  return map;
}

/** A base32 TOTP secret of at least 128 bits (RFC 4226 asks for 128, recommends 160). */
export const TOTP_SECRET = /^[A-Z2-7]{26,128}$/;

/** `CONSOLE_AGENT_TOTP="sam:JBSWY3DP...,ada:..."`; problems name the agent, never the secret. */
export function parseAgentTotp(raw: string | undefined, issue: Issue): Map<string, string> {
  const map = new Map<string, string>();
  const entries = (raw ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  entries.forEach((entry, i) => {
    const [id, secret, extra] = entry.split(':');
    if (!id || !AGENT_ID.test(id) || secret === undefined || extra !== undefined) {
      return issue(`entry ${i + 1} is not "agentId:BASE32SECRET"`);
    }
    if (!TOTP_SECRET.test(secret.toUpperCase())) {
      return issue(`agent ${id}: the secret must be base32, at least 26 characters (128 bits)`);
    }
    if (map.has(id)) return issue(`agent ${id} is listed twice`);
    map.set(id, secret.toUpperCase());
  });
  return map;
}

const FileAccountSchema = z.strictObject({
  id: z.string().regex(AGENT_ID, 'must be 1-64 of [A-Za-z0-9._-]'),
  passwordHash: z
    .string()
    .regex(ARGON2ID_PHC, 'must be an argon2id hash (npm run console:account creates one)'),
  role: z.enum(ROLES),
  queues: z.array(z.string()).max(SKILLS.length * 2),
});

/**
 * The JSON of CONSOLE_ACCOUNTS_FILE: `[{id, passwordHash, role, queues}]`. An agent must name at
 * least one queue (no silent "every queue"). Problems name the entry, never its hash.
 */
export function parseAccountsFile(text: string, issue: Issue): ConsoleAccount[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    issue('is not valid JSON');
    return [];
  }
  if (!Array.isArray(json)) {
    issue('must be a JSON array of {id, passwordHash, role, queues}');
    return [];
  }
  const accounts: ConsoleAccount[] = [];
  json.forEach((item: unknown, i) => {
    const parsed = FileAccountSchema.safeParse(item);
    const at = `entry ${i + 1}`;
    if (!parsed.success) {
      for (const p of parsed.error.issues) {
        issue(`${at}: ${p.path.join('.') || 'entry'}: ${p.message}`);
      }
      return;
    }
    const a = parsed.data;
    const queues = parseQueueList(a.queues, `${at} (${a.id}) queues`, issue);
    if (a.role === 'agent' && a.queues.length === 0) {
      return issue(`${at} (${a.id}): an agent needs at least one queue`);
    }
    if (accounts.some((x) => x.id === a.id)) return issue(`${at}: ${a.id} is listed twice`);
    accounts.push({ id: a.id, passwordHash: a.passwordHash, role: a.role, queues });
  });
  return accounts;
}

/** The queues a session carries: an agent's own, every queue for the other roles. Pure. */
export function effectiveQueues(role: Role, queues: readonly Skill[]): Skill[] {
  return role === 'agent' ? [...queues] : [...SKILLS];
}

/** The claims of an OIDC id_token → role and queues, or the reason they are unusable. Pure. */
export function accountFromClaims(
  claims: Record<string, unknown>,
  roleClaim: string,
  queuesClaim: string,
): { role: Role; queues: Skill[] } | { problem: string } {
  const role = claims[roleClaim];
  if (!isRole(role)) return { problem: `the identity token has no valid ${roleClaim} claim` };
  const raw = claims[queuesClaim];
  const names =
    typeof raw === 'string'
      ? raw.split(/[\s,|]+/).filter(Boolean)
      : Array.isArray(raw)
        ? raw.filter((q): q is string => typeof q === 'string')
        : [];
  const problems: string[] = [];
  const queues = parseQueueList(names, queuesClaim, (m) => problems.push(m));
  if (problems.length) return { problem: problems.join('; ') };
  if (role === 'agent' && queues.length === 0) {
    return { problem: `an agent needs at least one queue in ${queuesClaim}` };
  }
  return { role, queues: effectiveQueues(role, queues) };
}
