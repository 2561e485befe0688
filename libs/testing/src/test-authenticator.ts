import { newTotpSecret, totpCode } from '@omnigate/crypto';

const PERIOD_MS = 30_000;

/**
 * The authenticator app of test agents: holds their TOTP secrets (what the console's
 * CONSOLE_AGENT_TOTP lists) and gives each login a code the console has not seen used yet. The
 * console accepts a time step once per account and one step either side of its clock, so within
 * one 30 s step a test gets two logins per agent; `advance` (the console's test clock, when the
 * test has it) makes room for more without waiting.
 */
export class TestAuthenticator {
  private readonly lastStep = new Map<string, number>();

  constructor(readonly secrets: ReadonlyMap<string, string>) {}

  /** Secrets for these agents, and their CONSOLE_AGENT_TOTP value. */
  static forAgents(ids: readonly string[]): TestAuthenticator {
    return new TestAuthenticator(new Map(ids.map((id) => [id, newTotpSecret()])));
  }

  get env(): string {
    return [...this.secrets].map(([id, s]) => `${id}:${s}`).join(',');
  }

  has(agentId: string): boolean {
    return this.secrets.has(agentId);
  }

  /**
   * A fresh code for `agentId` at the console's time `nowMs`. `advance(ms)` moves that clock; without
   * it a third login of one agent within a step fails here with the reason.
   */
  code(agentId: string, nowMs: number, advance?: (ms: number) => void): string {
    const secret = this.secrets.get(agentId);
    if (!secret) throw new Error(`no TOTP secret for ${agentId}`);
    const now = Math.floor(nowMs / PERIOD_MS);
    const last = this.lastStep.get(agentId) ?? -Infinity;
    let step = now > last ? now : now + 1;
    if (step <= last) {
      if (!advance) {
        throw new Error(`TOTP: a third login of ${agentId} within 30 s needs the console's clock`);
      }
      advance((last + 1 - now) * PERIOD_MS);
      step = last + 1;
    }
    this.lastStep.set(agentId, step);
    return totpCode(secret, step * PERIOD_MS);
  }
}
