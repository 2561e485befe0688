import { Body, Controller, Get, HttpCode, Post, UseFilters, UseGuards } from '@nestjs/common';
import { z } from 'zod';
import { AppErrorFilter } from '@omnigate/kit';
import { CoreBankingAuthGuard } from './core-banking-auth.guard';
import { CoreBankingScenarioService } from './core-banking-scenario.service';
import type { FraudBlockResult } from './core-banking-scenario.service';
import { CoreBankingState } from './core-banking-state.service';
import { CoreEventsService } from './core-events.service';
import type { CoreEventRecord, SandboxCoreEvent } from './core-events.service';

const Id = z.string().min(1).max(128);
const DownBody = z.object({ down: z.boolean() });
const LatencyBody = z.object({ delayMs: z.number().int().min(0).max(30_000) });
const FraudBlockBody = z.object({
  customerId: Id,
  cardId: Id.optional(),
  merchant: z.string().min(1).max(200).optional(),
  amountMinor: z.number().int().min(-100_000_000).max(100_000_000).optional(),
});
const CustomerBody = z.object({ customerId: Id });
const PhoneChangeBody = z.object({
  customerId: Id,
  phone: z.string().regex(/^\+[1-9]\d{6,14}$/, 'must be an E.164 number'),
});
const TargetBody = z.object({
  url: z.url({ protocol: /^https?$/ }).nullable(),
  secret: z.string().min(16).optional(),
});

/**
 * Test and demo controls of the core-banking stand-in (not part of a bank's API): outages,
 * latency, the seed story's fraud signals, and the events it emitted.
 */
@Controller('core/v1/_control')
@UseGuards(CoreBankingAuthGuard)
@UseFilters(AppErrorFilter)
export class CoreBankingControlController {
  constructor(
    private readonly state: CoreBankingState,
    private readonly scenario: CoreBankingScenarioService,
    private readonly events: CoreEventsService,
  ) {}

  @Post('down')
  @HttpCode(200)
  setDown(@Body() body: unknown): { down: boolean } {
    const { down } = DownBody.parse(body);
    this.state.setDown(down);
    return { down };
  }

  @Post('latency')
  @HttpCode(200)
  setLatency(@Body() body: unknown): { delayMs: number } {
    const { delayMs } = LatencyBody.parse(body);
    this.state.setLatency(delayMs);
    return { delayMs };
  }

  /** Back to the seed, up, no latency, no events (the webhook target stays). */
  @Post('reset')
  @HttpCode(200)
  reset(): { reset: true } {
    this.state.reset();
    this.events.clear();
    return { reset: true };
  }

  @Post('fraud-block')
  @HttpCode(200)
  fraudBlock(@Body() body: unknown): FraudBlockResult {
    return this.scenario.fraudBlock(FraudBlockBody.parse(body));
  }

  @Post('sim-swap')
  @HttpCode(200)
  simSwap(@Body() body: unknown): { event: SandboxCoreEvent } {
    return { event: this.scenario.signal('sim_swap', CustomerBody.parse(body).customerId) };
  }

  @Post('new-device')
  @HttpCode(200)
  newDevice(@Body() body: unknown): { event: SandboxCoreEvent } {
    return { event: this.scenario.signal('new_device', CustomerBody.parse(body).customerId) };
  }

  @Post('phone-change')
  @HttpCode(200)
  phoneChange(@Body() body: unknown): { event: SandboxCoreEvent } {
    const { customerId, phone } = PhoneChangeBody.parse(body);
    return { event: this.scenario.phoneChange(customerId, phone) };
  }

  @Get('events')
  list(): { events: CoreEventRecord[] } {
    return { events: this.events.list() };
  }

  /** Where events go from now on (a test's router listens on a random port); null: kept only. */
  @Post('events-target')
  @HttpCode(200)
  setTarget(@Body() body: unknown): { url: string | null } {
    const { url, secret } = TargetBody.parse(body);
    this.events.setTarget(url, secret);
    return { url };
  }
}
