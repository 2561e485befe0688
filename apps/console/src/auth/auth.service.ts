import { Inject, Injectable, Logger } from '@nestjs/common';
import { counter } from '@omnigate/kit';
import { safeEqual } from '@omnigate/crypto';
import { CONSOLE_CONFIG } from '../config/console.config';
import type { AgentAccount, ConsoleConfig } from '../config/console.config';
import { ConsoleUnauthorizedError } from './auth.errors';
import { SessionTokenService } from './session-token.service';

export interface LoginResult {
  token: string;
  agentId: string;
  /** ISO 8601. */
  expiresAt: string;
}

const logins = counter('omnigate_console_logins_total', 'Console login attempts', ['outcome']);

/** The simple login of issue 2: accounts from configuration, compared in constant time. */
@Injectable()
export class AuthService {
  private readonly logger = new Logger('console-auth');
  private readonly agents: AgentAccount[];

  constructor(
    @Inject(CONSOLE_CONFIG) config: ConsoleConfig,
    private readonly tokens: SessionTokenService,
  ) {
    this.agents = config.CONSOLE_AGENTS;
  }

  login(agentId: string, password: string): LoginResult {
    const agent = this.match(agentId, password);
    if (!agent) {
      logins.inc({ outcome: 'refused' });
      // No agent id in the log: a mistyped password pasted as the id would land there.
      this.logger.warn({ msg: 'login refused', code: 'CONSOLE.UNAUTHORIZED' });
      throw new ConsoleUnauthorizedError('wrong agent id or password');
    }
    const { token, session } = this.tokens.issue(agent.id);
    logins.inc({ outcome: 'ok' });
    this.logger.log({ msg: 'agent logged in', agentId: agent.id });
    return { token, agentId: agent.id, expiresAt: new Date(session.expiresAt).toISOString() };
  }

  /** Compares against every account without stopping early: timing tells nothing about which part was wrong. */
  private match(agentId: string, password: string): AgentAccount | null {
    let found: AgentAccount | null = null;
    for (const a of this.agents) {
      const idOk = safeEqual(a.id, agentId);
      const passwordOk = safeEqual(a.password, password);
      if (idOk && passwordOk) found = a;
    }
    return found;
  }
}
