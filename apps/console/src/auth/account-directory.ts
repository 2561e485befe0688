import { randomBytes } from 'node:crypto';
import { argon2id, hash, verify } from 'argon2';
import type { HashOptions } from 'argon2';
import { SKILLS } from '@omnigate/contracts';
import type { ConsoleConfig } from '../config/console.config';
import { effectiveQueues } from './accounts.mapper';
import type { ConsoleAccount } from './accounts.mapper';

/**
 * argon2id, m=19 MiB, t=2, p=1: the OWASP password storage cheat sheet's baseline. Verification
 * reads the parameters from each hash, so a file may carry stronger ones.
 */
export const ARGON2_OPTIONS: HashOptions = {
  type: argon2id,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
};

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2_OPTIONS);
}

async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    // A hash argon2 cannot read counts as a wrong password; the file's format is checked at start.
    return false;
  }
}

/**
 * The local accounts: CONSOLE_ACCOUNTS_FILE as written, plus CONSOLE_AGENTS hashed at start (their
 * plaintext is not kept). A CONSOLE_AGENTS agent missing from CONSOLE_AGENT_QUEUES belongs to
 * every queue: those accounts are for development and tests, where one agent plays everything.
 * Not an @Injectable: the module builds it once with `AccountDirectory.build` (a factory).
 */
export class AccountDirectory {
  private constructor(
    private readonly accounts: ReadonlyMap<string, ConsoleAccount>,
    /** Verified against when the id is unknown, so a wrong id costs what a wrong password costs. */
    private readonly decoyHash: string,
  ) {}

  static async build(config: ConsoleConfig): Promise<AccountDirectory> {
    const accounts = new Map<string, ConsoleAccount>();
    for (const a of config.CONSOLE_ACCOUNTS_FILE) accounts.set(a.id, a);
    for (const a of config.CONSOLE_AGENTS) {
      const role = config.CONSOLE_ROLES.get(a.id) ?? 'agent';
      const queues = config.CONSOLE_AGENT_QUEUES.get(a.id) ?? [...SKILLS];
      accounts.set(a.id, { id: a.id, passwordHash: await hashPassword(a.password), role, queues });
    }
    const decoy = await hashPassword(randomBytes(24).toString('base64url'));
    return new AccountDirectory(accounts, decoy);
  }

  /** The account, with the queues its role gives (every queue for a non-agent). */
  find(id: string): ConsoleAccount | undefined {
    const a = this.accounts.get(id);
    return a && { ...a, queues: effectiveQueues(a.role, a.queues) };
  }

  /** One argon2 verification whether or not the id exists: the answer's timing tells nothing. */
  async verify(id: string, password: string): Promise<ConsoleAccount | null> {
    const account = this.find(id);
    const ok = await verifyPassword(account?.passwordHash ?? this.decoyHash, password);
    return ok && account ? account : null;
  }
}
