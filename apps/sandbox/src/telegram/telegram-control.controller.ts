import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { z } from 'zod';
import { TelegramBotApiService } from './telegram-bot-api.service';
import { TelegramChatsService } from './telegram-chats.service';
import { InjectRequest, buildUpdate } from './telegram-inject.mapper';
import type { FileInfo } from './telegram-inject.mapper';
import { TelegramUpdatesService } from './telegram-updates.service';
import type { DeliveryResult } from './telegram-updates.service';
import type { SentRecord } from './telegram.types';

const FaultRequest = z.discriminatedUnion('fault', [
  z.object({ chatId: z.coerce.string().regex(/^-?\d+$/), fault: z.literal('blocked') }),
  z.object({ chatId: z.coerce.string().regex(/^-?\d+$/), fault: z.literal('chat_not_found') }),
  z.object({
    chatId: z.coerce.string().regex(/^-?\d+$/),
    fault: z.literal('rate_limited'),
    retryAfter: z.number().int().min(0).max(3600).default(1),
    count: z.number().int().min(1).max(1000).default(1),
  }),
  z.object({ chatId: z.coerce.string().regex(/^-?\d+$/), fault: z.literal('none') }),
]);

/** Bytes of a tiny file of each kind (what getFile's download then serves). */
const SAMPLE = {
  photo: Buffer.from('ffd8ffe000104a46494600010100000100010000ffd9', 'hex'),
  document: Buffer.from('%PDF-1.4\n% sandbox document\n%%EOF\n'),
  voice: Buffer.from('OggS\u0000sandbox-voice'),
};

/**
 * The sandbox's own test/demo control API for the Bot API stand-in: a customer writes (text,
 * photo, document, voice, contact, block/unblock), scripted failures per chat, what the bot sent,
 * reset. Not part of Telegram; never used by gateways.
 */
@Controller('sandbox/telegram')
export class TelegramControlController {
  constructor(
    private readonly api: TelegramBotApiService,
    private readonly updates: TelegramUpdatesService,
    private readonly chats: TelegramChatsService,
  ) {}

  /** POSTed to the webhook (with the secret header) when one is set, else queued for getUpdates. */
  @Post('updates')
  @HttpCode(200)
  async inject(@Body() body: unknown): Promise<DeliveryResult & { update: unknown }> {
    const req = InjectRequest.parse(body);
    const files: { photo?: FileInfo; document?: FileInfo; voice?: FileInfo } = {};
    if (req.photo) files.photo = this.file('photos', 'image/jpeg', SAMPLE.photo, 'jpg');
    if (req.document) {
      files.document = this.file('documents', req.document.mimeType, SAMPLE.document, 'pdf');
    }
    if (req.voice) files.voice = this.file('voice', 'audio/ogg', SAMPLE.voice, 'oga');
    const updateId = req.updateId ?? this.updates.newUpdateId();
    this.updates.seen(updateId);
    const update = buildUpdate(
      req,
      {
        updateId,
        messageId: this.chats.newMessageId(),
        now: Math.floor(Date.now() / 1000),
        botId: this.api.botId,
      },
      files,
    );
    return { ...(await this.updates.deliver(update)), update };
  }

  /** Scripts the answer to the bot's sends to one chat (`none` clears it). */
  @Post('faults')
  @HttpCode(204)
  setFault(@Body() body: unknown): void {
    const req = FaultRequest.parse(body);
    this.chats.setFault(
      req.chatId,
      req.fault === 'none'
        ? null
        : req.fault === 'rate_limited'
          ? { kind: 'rate_limited', retryAfter: req.retryAfter, count: req.count }
          : { kind: req.fault },
    );
  }

  /** What the bot sent (optionally to one chat), oldest first. */
  @Get('sent')
  sent(@Query('chatId') chatId?: string): { messages: SentRecord[] } {
    return { messages: this.chats.listSent(chatId) };
  }

  @Post('reset')
  @HttpCode(204)
  reset(): void {
    this.updates.reset();
    this.chats.reset();
  }

  private file(
    kind: 'photos' | 'documents' | 'voice',
    mime: string,
    bytes: Buffer,
    ext: string,
  ): FileInfo {
    const f = this.chats.addFile(kind, mime, bytes, ext);
    return { file_id: f.fileId, file_unique_id: f.fileUniqueId, file_size: f.bytes.length };
  }
}
