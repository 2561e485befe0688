import { Controller, Get, HttpCode, Injectable, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { withinGrace } from './within-grace';

export interface HealthCheck {
  name: string;
  check(): Promise<boolean> | boolean;
}

/** A check that has not answered in this long counts as down (a database that black-holes). */
const CHECK_TIMEOUT_MS = 2000;

/**
 * Libs register their readiness checks here (bus: NATS connected, no consumer waiting out an
 * outage; store: database answers). A check that throws or does not answer in time is down.
 */
@Injectable()
export class HealthRegistry {
  private readonly checks: HealthCheck[] = [];
  register(check: HealthCheck): void {
    this.checks.push(check);
  }
  async run(): Promise<Record<string, boolean>> {
    const results = await Promise.all(this.checks.map((c) => runCheck(c)));
    return Object.fromEntries(this.checks.map((c, i) => [c.name, results[i] ?? false]));
  }
}

async function runCheck(c: HealthCheck): Promise<boolean> {
  let up = false;
  const answered = await withinGrace(
    Promise.resolve()
      .then(() => c.check())
      .then(
        (ok) => {
          up = ok;
        },
        () => undefined,
      ),
    CHECK_TIMEOUT_MS,
  );
  return answered && up;
}

@Controller()
export class HealthController {
  constructor(private readonly registry: HealthRegistry) {}

  /**
   * Ready only when every dependency answers: 200 or 503 with what is down. `/health/ready` is the
   * same answer under the name orchestrators expect beside `/health/live`.
   */
  @Get(['health', 'health/ready'])
  async ready(@Res() reply: FastifyReply): Promise<void> {
    const checks = await this.registry.run();
    const ok = Object.values(checks).every(Boolean);
    await reply.status(ok ? 200 : 503).send({ status: ok ? 'ok' : 'unavailable', checks });
  }

  @Get('health/live')
  @HttpCode(200)
  live(): { status: string } {
    return { status: 'ok' };
  }
}
