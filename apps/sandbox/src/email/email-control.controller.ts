import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { z } from 'zod';
import { EmailSenderService } from './email-sender.service';
import type { SendResult } from './email-sender.service';
import { EmailSinkService } from './email-sink.service';
import type { SinkMessage } from './email-sink.service';

const Address = z.string().trim().min(3).max(320);
const InboundRequest = z.object({
  from: Address,
  fromName: z.string().max(200).optional(),
  to: Address,
  subject: z.string().max(2000).optional(),
  text: z.string().max(1_000_000).optional(),
  html: z.string().max(1_000_000).optional(),
  messageId: z.string().max(500).optional(),
  inReplyTo: z.string().max(500).optional(),
  references: z.array(z.string().max(500)).max(50).optional(),
  attachments: z
    .array(
      z.object({
        filename: z.string().max(255),
        contentType: z.string().max(255),
        contentBase64: z.string(),
      }),
    )
    .max(20)
    .optional(),
  dkim: z
    .union([
      z.boolean(),
      z.object({
        privateKey: z.string().min(1),
        selector: z.string().optional(),
        domain: z.string().optional(),
      }),
    ])
    .optional(),
  raw: z.string().max(40_000_000).optional(),
  envelopeFrom: z.string().max(320).optional(),
});
const RefusalRequest = z.object({
  address: Address,
  code: z.number().int().min(400).max(599).default(550),
  message: z.string().max(200).default('5.1.1 User unknown'),
});

/**
 * The email stand-in's control API: send a customer's mail to the gateway (optionally DKIM-signed,
 * with attachments, or raw bytes), list what the gateway sent us (parsed, with headers), script a
 * refusal for a recipient, reset.
 */
@Controller('sandbox/email')
export class EmailControlController {
  constructor(
    private readonly sink: EmailSinkService,
    private readonly sender: EmailSenderService,
  ) {}

  @Get('status')
  status(): { smtpPort: number } {
    return { smtpPort: this.sink.port };
  }

  @Get('messages')
  messages(): { messages: SinkMessage[] } {
    return { messages: this.sink.list() };
  }

  /** Answers what the gateway's SMTP listener answered (250, or its 4xx/5xx refusal). */
  @Post('inbound')
  @HttpCode(200)
  async inbound(@Body() body: unknown): Promise<SendResult> {
    return this.sender.send(InboundRequest.parse(body));
  }

  @Post('refusals')
  @HttpCode(204)
  refuse(@Body() body: unknown): void {
    const r = RefusalRequest.parse(body);
    this.sink.refuse(r.address, r.code, r.message);
  }

  @Post('reset')
  @HttpCode(204)
  reset(): void {
    this.sink.reset();
  }
}
