import { Injectable, Logger } from '@nestjs/common';
import type { OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { LoginThrottle } from './login-throttle.service';
import { SessionTokenService } from './session-token.service';

const EVERY_MS = 60 * 60_000;

/** Hourly: forgets sessions expired a day ago and login-failure keys idle for a day. */
@Injectable()
export class AuthHousekeeping implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('console-auth');
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly tokens: SessionTokenService,
    private readonly throttle: LoginThrottle,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.run(), EVERY_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  async run(): Promise<void> {
    try {
      await this.tokens.purgeExpired();
      await this.throttle.purge();
    } catch (e) {
      this.logger.warn({ msg: 'auth housekeeping failed', error: (e as Error).message });
    }
  }
}
