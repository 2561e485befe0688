import { Body, Controller, Get, HttpCode, Post, Query, Req, UseFilters } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import {
  SimulatorChannelNotConfiguredError,
  SimulatorRequestInvalidError,
} from './simulator.errors';
import { SimulatorDirectoryService } from './simulator-directory.service';
import type { ChannelState } from './simulator-directory.service';
import { SimulatorErrorFilter } from './simulator-error.filter';
import { SimulatorInboxService } from './simulator-inbox.service';
import type { Inbox } from './simulator-inbox.service';
import { SIMULATOR_CHANNELS } from './simulator-personas.mapper';
import type { Persona, SimulatorChannel } from './simulator-personas.mapper';
import {
  InboxQuerySchema,
  SendRequestSchema,
  findPersona,
  parseOr400,
  resolveTarget,
} from './simulator-request.mapper';
import { SimulatorSendService } from './simulator-send.service';
import type { SendOutcome } from './simulator-send.service';

/**
 * The customer simulator's JSON API (the page at /simulator uses it; so can a test). No auth, like
 * the rest of the sandbox: it is a local test and demo tool, never deployed.
 */
@Controller('simulator/api')
@UseFilters(SimulatorErrorFilter)
export class SimulatorApiController {
  constructor(
    private readonly directory: SimulatorDirectoryService,
    private readonly sender: SimulatorSendService,
    private readonly inbox: SimulatorInboxService,
  ) {}

  @Get('personas')
  personas(): { personas: readonly Persona[]; channels: ChannelState[] } {
    return { personas: this.directory.personas, channels: this.directory.channels() };
  }

  /** Plays the customer writing on one channel: 202 once the gateway took it. */
  @Post('send')
  @HttpCode(202)
  async send(@Req() req: FastifyRequest, @Body() body: unknown): Promise<SendOutcome> {
    // JSON only: a cross-site HTML form cannot send it without a preflight.
    if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) {
      throw new SimulatorRequestInvalidError('send a JSON body (content-type: application/json)');
    }
    const r = parseOr400(SendRequestSchema, body);
    const target = resolveTarget(this.directory.personas, r.channel, r.persona, r.address);
    this.ensureConfigured(r.channel);
    return this.sender.send(target, r);
  }

  /** What the customer received: one channel (channel + persona or address) or all of a persona's. */
  @Get('inbox')
  read(@Query() query: unknown): Inbox {
    const q = parseOr400(InboxQuerySchema, query);
    const personas = this.directory.personas;
    if (q.channel !== undefined) {
      this.ensureConfigured(q.channel);
      const t = resolveTarget(personas, q.channel, q.persona, q.address);
      return this.inbox.read([t]);
    }
    if (q.persona === undefined) {
      throw new SimulatorRequestInvalidError('give persona, or channel with persona or address');
    }
    if (q.address !== undefined) throw new SimulatorRequestInvalidError('address needs a channel');
    const p = findPersona(personas, q.persona);
    const channels = SIMULATOR_CHANNELS.filter((c) => p.addresses[c] !== undefined);
    const ready = channels.filter((c) => this.directory.missingKeys(c).length === 0);
    const inbox = this.inbox.read(ready.map((c) => ({ channel: c, address: p.addresses[c]! })));
    for (const c of channels.filter((x) => !ready.includes(x))) {
      inbox.problems.push({
        channel: c,
        problem: `not configured: set ${this.directory.missingKeys(c).join(' and ')}`,
      });
    }
    return inbox;
  }

  private ensureConfigured(channel: SimulatorChannel): void {
    const missing = this.directory.missingKeys(channel);
    if (missing.length) throw new SimulatorChannelNotConfiguredError(channel, missing);
  }
}
