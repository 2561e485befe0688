import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { z } from 'zod';
import { WhatsAppMessagesService } from './whatsapp-messages.service';
import { WhatsAppStateService } from './whatsapp-state.service';
import type { SentWhatsApp } from './whatsapp-state.service';

const InboundRequest = z.object({
  from: z.string().regex(/^\+?[1-9]\d{6,14}$/, 'must be a phone number (E.164)'),
  name: z.string().min(1).max(200).default('Sandbox Customer'),
  text: z.string().max(4096).optional(),
  type: z.enum(['text', 'image', 'document', 'audio', 'video']).optional(),
  media: z
    .object({
      mimeType: z.string().min(3).max(255),
      base64: z.string().max(5_000_000),
      caption: z.string().max(1024).optional(),
      filename: z.string().max(255).optional(),
    })
    .optional(),
  wamid: z.string().min(1).max(256).optional(),
  webhookUrl: z.url({ protocol: /^https?$/ }).optional(),
  /** Meta's `timestamp` (unix seconds): when the customer sent it; default now. */
  timestamp: z.number().int().nonnegative().optional(),
});

const FailureRequest = z.object({
  code: z.number().int().min(1).max(999_999),
  at: z.enum(['send', 'status']).default('send'),
  to: z
    .string()
    .regex(/^\+?[1-9]\d{6,14}$/)
    .transform((v) => v.replace(/^\+/, ''))
    .optional(),
  count: z.number().int().min(1).max(1000).default(1),
});

/**
 * The sandbox's own control API for the Cloud API stand-in (not Meta's): inject a customer's
 * message (signed webhook to the gateway), script failures (131047, 131026, 130429...), list what
 * was sent, reset.
 */
@Controller('sandbox/whatsapp')
export class WhatsAppControlController {
  constructor(
    private readonly messages: WhatsAppMessagesService,
    private readonly state: WhatsAppStateService,
  ) {}

  @Post('inbound')
  @HttpCode(200)
  inject(@Body() body: unknown): Promise<{ wamid: string; status: number; body: string }> {
    return this.messages.inject(InboundRequest.parse(body));
  }

  @Post('failures')
  @HttpCode(204)
  script(@Body() body: unknown): void {
    const req = FailureRequest.parse(body);
    this.state.script({ code: req.code, at: req.at, to: req.to, remaining: req.count });
  }

  @Get('messages')
  list(): { messages: SentWhatsApp[] } {
    return { messages: this.state.sent };
  }

  @Post('reset')
  @HttpCode(204)
  reset(): void {
    this.messages.reset();
  }
}
