import { Inject, Injectable, Optional } from '@nestjs/common';
import { and, eq, isNull, lt, or } from 'drizzle-orm';
import { KmsPort } from '@omnigate/crypto';
import { DbHandle } from '../db-handle';
import { consoleTotp } from './console-auth.schema';

const PLAIN = 'plain:';
const SEALED = 'kek:';

/**
 * TOTP secrets of console accounts. With encryption at rest on (DATA_KEKS) a secret is wrapped by
 * the KMS like a data key, bound to its agent (`console_totp:<agentId>`): a database copy alone
 * gives no second factor. `useStep` is the replay check: a code's time step is accepted once.
 */
@Injectable()
export class ConsoleTotpRepository {
  constructor(
    private readonly h: DbHandle,
    @Optional() @Inject(KmsPort) private readonly kms?: KmsPort | null,
  ) {}

  get encrypted(): boolean {
    return Boolean(this.kms);
  }

  /** Enrols (or replaces) the agent's secret; a replaced secret's used steps start again. */
  async enroll(agentId: string, secret: string, at: Date): Promise<void> {
    const sealed = await this.seal(agentId, secret);
    await this.h.db
      .insert(consoleTotp)
      .values({ agentId, secret: sealed, enrolledAt: at, lastStep: null })
      .onConflictDoUpdate({
        target: consoleTotp.agentId,
        set: { secret: sealed, enrolledAt: at, lastStep: null },
      });
  }

  /** The agent's secret (base32), or null when not enrolled. */
  async secretOf(agentId: string): Promise<string | null> {
    const [row] = await this.h.db
      .select({ secret: consoleTotp.secret })
      .from(consoleTotp)
      .where(eq(consoleTotp.agentId, agentId))
      .limit(1);
    return row ? this.open(agentId, row.secret) : null;
  }

  /** Records `step` as used; false when it (or a later one) was used already: a replay. */
  async useStep(agentId: string, step: number): Promise<boolean> {
    const rows = await this.h.db
      .update(consoleTotp)
      .set({ lastStep: step })
      .where(
        and(
          eq(consoleTotp.agentId, agentId),
          or(isNull(consoleTotp.lastStep), lt(consoleTotp.lastStep, step)),
        ),
      )
      .returning({ agentId: consoleTotp.agentId });
    return rows.length > 0;
  }

  async remove(agentId: string): Promise<void> {
    await this.h.db.delete(consoleTotp).where(eq(consoleTotp.agentId, agentId));
  }

  private async seal(agentId: string, secret: string): Promise<string> {
    if (!this.kms) return `${PLAIN}${secret}`;
    const w = await this.kms.wrap(Buffer.from(secret, 'utf8'), context(agentId));
    return `${SEALED}${w.kekId}:${w.blob}`;
  }

  private async open(agentId: string, stored: string): Promise<string> {
    if (stored.startsWith(PLAIN)) return stored.slice(PLAIN.length);
    if (!stored.startsWith(SEALED)) throw new Error('console_totp: unknown secret format');
    if (!this.kms) {
      throw new Error('a sealed TOTP secret was found but DATA_KEKS is not configured');
    }
    const rest = stored.slice(SEALED.length);
    const i = rest.indexOf(':');
    const key = await this.kms.unwrap(
      { kekId: rest.slice(0, i), blob: rest.slice(i + 1) },
      context(agentId),
    );
    return key.toString('utf8');
  }
}

const context = (agentId: string): string => `console_totp:${agentId}`;
