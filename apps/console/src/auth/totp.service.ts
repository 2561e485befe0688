import { Inject, Injectable } from '@nestjs/common';
import { totpStep } from '@omnigate/crypto';
import { counter } from '@omnigate/kit';
import { ConsoleTotpRepository } from '@omnigate/store';
import { CONSOLE_CONFIG } from '../config/console.config';
import type { ConsoleConfig } from '../config/console.config';
import type { Role } from '../privacy/roles';
import { Clock } from './clock.port';

/** The roles that reveal cards, approve, search the audit log or export customers. */
export const TOTP_ROLES: readonly Role[] = ['supervisor', 'admin', 'dpo'];

export type TotpCheck = 'ok' | 'not_enrolled' | 'invalid' | 'replayed';

const checks = counter('omnigate_console_totp_checks_total', 'Console TOTP checks by result', [
  'result',
]);

/**
 * The TOTP second factor. Secrets come from CONSOLE_AGENT_TOTP (development accounts, in memory)
 * or the database (enrolled with `npm run console:account -- totp <id>`, sealed with the KMS). A
 * code's time step is accepted once per account: a code seen over a shoulder or in a proxy log
 * cannot be replayed, even within its 30 s (in the database, so across instances).
 */
@Injectable()
export class TotpService {
  private readonly configured: ReadonlyMap<string, string>;
  /** Last used step of CONSOLE_AGENT_TOTP accounts (development: one instance). */
  private readonly configuredSteps = new Map<string, number>();

  constructor(
    @Inject(CONSOLE_CONFIG) config: ConsoleConfig,
    private readonly stored: ConsoleTotpRepository,
    private readonly clock: Clock,
  ) {
    this.configured = config.CONSOLE_AGENT_TOTP;
  }

  requiredFor(role: Role): boolean {
    return TOTP_ROLES.includes(role);
  }

  async isEnrolled(agentId: string): Promise<boolean> {
    return this.configured.has(agentId) || (await this.stored.secretOf(agentId)) !== null;
  }

  async check(agentId: string, code: string): Promise<TotpCheck> {
    const result = await this.verify(agentId, code);
    checks.inc({ result });
    return result;
  }

  private async verify(agentId: string, code: string): Promise<TotpCheck> {
    const own = this.configured.get(agentId);
    const secret = own ?? (await this.stored.secretOf(agentId));
    if (!secret) return 'not_enrolled';
    const step = totpStep(secret, code, this.clock.now());
    if (step === null) return 'invalid';
    if (own === undefined) return (await this.stored.useStep(agentId, step)) ? 'ok' : 'replayed';
    if ((this.configuredSteps.get(agentId) ?? -1) >= step) return 'replayed';
    this.configuredSteps.set(agentId, step);
    return 'ok';
  }
}
