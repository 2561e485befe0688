import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { z } from 'zod';
import { TwilioInboundService } from './twilio-inbound.service';
import type { InjectResult } from './twilio-inbound.service';
import { TwilioMessagesService } from './twilio-messages.service';
import { TwilioOptOutsService } from './twilio-opt-outs.service';
import type { OptOutEntry } from './twilio-opt-outs.service';
import { MAX_BODY } from './twilio-request.mapper';
import { TwilioScenarioService } from './twilio-scenario.service';
import { TwilioStatusCallbacksService } from './twilio-status-callbacks.service';

const InboundRequest = z.object({
  from: z.string().trim().min(1).max(64),
  to: z.string().trim().min(1).max(64),
  body: z.string().max(MAX_BODY),
  messageSid: z
    .string()
    .regex(/^(SM|MM)[0-9a-f]{32}$/, 'must be SM + 32 hex digits')
    .optional(),
  messagingServiceSid: z
    .string()
    .regex(/^MG[0-9a-f]{32}$/, 'must be MG + 32 hex digits')
    .optional(),
  webhookUrl: z.url({ protocol: /^https?$/ }).optional(),
});

const FailingNumberRequest = z.object({
  number: z.string().trim().min(1).max(64),
  status: z.enum(['undelivered', 'failed']).default('undelivered'),
  errorCode: z.number().int().min(30001).max(30999).default(30003),
});

const FaultsRequest = z.object({
  status: z.union([z.literal(429), z.literal(500), z.literal(502), z.literal(503)]),
  count: z.number().int().min(0).max(1000),
});

/**
 * The sandbox's own test/demo control API, kept apart from the Twilio-faithful routes: inject an
 * inbound SMS, script failures, inspect opt-outs, reset. Not part of Twilio; never used by gateways.
 */
@Controller('sandbox/twilio')
export class TwilioControlController {
  constructor(
    private readonly inbound: TwilioInboundService,
    private readonly messages: TwilioMessagesService,
    private readonly optOuts: TwilioOptOutsService,
    private readonly scenario: TwilioScenarioService,
    private readonly callbacks: TwilioStatusCallbacksService,
  ) {}

  /** A customer's SMS: signed and POSTed to the webhook; answers what the webhook answered. */
  @Post('inbound')
  @HttpCode(200)
  async injectInbound(@Body() body: unknown): Promise<InjectResult> {
    return this.inbound.inject(InboundRequest.parse(body));
  }

  /** Messages to this recipient end `undelivered` (or `failed`) with the given error code. */
  @Post('failing-numbers')
  @HttpCode(204)
  addFailingNumber(@Body() body: unknown): void {
    const req = FailingNumberRequest.parse(body);
    this.scenario.setFailing(req.number, { status: req.status, errorCode: req.errorCode });
  }

  /** The next `count` Create Message calls answer `status` (429 Too Many Requests, 5xx). */
  @Post('faults')
  @HttpCode(204)
  setFaults(@Body() body: unknown): void {
    const req = FaultsRequest.parse(body);
    this.scenario.setFaults(req.status, req.count);
  }

  @Get('opt-outs')
  listOptOuts(): { optOuts: OptOutEntry[] } {
    return { optOuts: this.optOuts.list() };
  }

  /** Forgets every message, opt-out and scripted behaviour; stops pending status callbacks. */
  @Post('reset')
  @HttpCode(204)
  reset(): void {
    this.callbacks.reset();
    this.messages.reset();
    this.optOuts.reset();
    this.scenario.reset();
  }
}
