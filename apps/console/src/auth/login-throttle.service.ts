import { Inject, Injectable } from '@nestjs/common';
import { counter } from '@omnigate/kit';
import { LoginFailuresRepository } from '@omnigate/store';
import { CONSOLE_CONFIG } from '../config/console.config';
import type { ConsoleConfig } from '../config/console.config';
import { LoginLockedError } from './auth.errors';
import { Clock } from './clock.port';
import { accountKey, addressKey } from './login-keys.mapper';

export type LockScope = 'account' | 'address';

/** Who is trying: the account id (null when it is not even a well-formed id) and the address. */
export interface LoginAttempt {
  agentId: string | null;
  ip: string;
}

const lockouts = counter(
  'omnigate_console_login_lockouts_total',
  'Console login keys locked after too many failures',
  ['scope'],
);
const lockedRefusals = counter(
  'omnigate_console_login_locked_total',
  'Console logins refused because the account or the address is locked',
  ['scope'],
);

/**
 * Password guessing: failures are counted per account (any address: many addresses on one account
 * still lock it) and per address (any account: one address spraying many accounts), in the
 * database so every console instance shares them. A locked key is refused before argon2 runs.
 */
@Injectable()
export class LoginThrottle {
  private readonly windowMs: number;
  private readonly lockMs: number;
  private readonly max: Record<LockScope, number>;

  constructor(
    @Inject(CONSOLE_CONFIG) config: ConsoleConfig,
    private readonly failures: LoginFailuresRepository,
    private readonly clock: Clock,
  ) {
    this.windowMs = config.CONSOLE_LOGIN_WINDOW_MIN * 60_000;
    this.lockMs = config.CONSOLE_LOGIN_LOCKOUT_MIN * 60_000;
    this.max = {
      account: config.CONSOLE_LOGIN_ACCOUNT_MAX_FAILURES,
      address: config.CONSOLE_LOGIN_ADDRESS_MAX_FAILURES,
    };
  }

  /** Throws CONSOLE.LOGIN_LOCKED (429, Retry-After) when the account or the address is locked. */
  async assertOpen(attempt: LoginAttempt): Promise<void> {
    const now = this.clock.now();
    const keys = this.keys(attempt);
    for (const state of await this.failures.states(keys.map((k) => k.key))) {
      const until = state.lockedUntil?.getTime() ?? 0;
      if (until > now) {
        const scope = keys.find((k) => k.key === state.key)!.scope;
        lockedRefusals.inc({ scope });
        throw new LoginLockedError(scope, (until - now) / 1000);
      }
    }
  }

  /** Counts a failure on both keys; the scopes this failure locked (then the caller refuses). */
  async failed(attempt: LoginAttempt): Promise<{ locked: LockScope[]; retryAfterSec: number }> {
    const now = new Date(this.clock.now());
    const windowStart = new Date(now.getTime() - this.windowMs);
    const locked: LockScope[] = [];
    for (const { key, scope } of this.keys(attempt)) {
      const state = await this.failures.recordFailure(key, now, windowStart);
      if (state.failures >= this.max[scope]) {
        await this.failures.lock(key, new Date(now.getTime() + this.lockMs), now);
        lockouts.inc({ scope });
        locked.push(scope);
      }
    }
    return { locked, retryAfterSec: this.lockMs / 1000 };
  }

  /** A login that passed every factor clears its account's failures (the address keeps its own). */
  async succeeded(agentId: string): Promise<void> {
    await this.failures.clear(accountKey(agentId));
  }

  /** Forgets keys idle for a day (called now and then, off the login path's answer). */
  async purge(): Promise<void> {
    await this.failures.purge(new Date(this.clock.now() - 24 * 3_600_000));
  }

  private keys(attempt: LoginAttempt): Array<{ key: string; scope: LockScope }> {
    const keys: Array<{ key: string; scope: LockScope }> = [
      { key: addressKey(attempt.ip), scope: 'address' },
    ];
    if (attempt.agentId) keys.unshift({ key: accountKey(attempt.agentId), scope: 'account' });
    return keys;
  }
}
