import { Controller, Get, HttpCode, Injectable, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { renderMetrics } from './metrics';

export interface HealthCheck {
  name: string;
  check(): Promise<boolean> | boolean;
}

/** Libs register their readiness checks here (bus: NATS connected; store: database answers). */
@Injectable()
export class HealthRegistry {
  private readonly checks: HealthCheck[] = [];
  register(check: HealthCheck): void {
    this.checks.push(check);
  }
  async run(): Promise<Record<string, boolean>> {
    const out: Record<string, boolean> = {};
    for (const c of this.checks) {
      try {
        out[c.name] = await c.check();
      } catch {
        out[c.name] = false;
      }
    }
    return out;
  }
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

  @Get('metrics')
  async metrics(@Res() reply: FastifyReply): Promise<void> {
    const m = await renderMetrics();
    await reply.header('content-type', m.contentType).send(m.body);
  }
}
