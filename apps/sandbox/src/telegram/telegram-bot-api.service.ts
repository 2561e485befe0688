import { Inject, Injectable } from '@nestjs/common';
import { SANDBOX_CONFIG } from '../config/sandbox.config';
import type { SandboxConfig } from '../config/sandbox.config';
import { TelegramErrors } from './telegram-api.errors';
import { TelegramChatsService } from './telegram-chats.service';
import { TelegramUpdatesService } from './telegram-updates.service';
import { paramJson, paramNumber, paramString } from './telegram.types';
import type { ApiParams, SentRecord } from './telegram.types';

export const SANDBOX_BOT_NAME = 'Omnigate Sandbox Bot';
export const SANDBOX_BOT_USERNAME = 'omnigate_sandbox_bot';
const MAX_TEXT = 4096;
const MAX_CAPTION = 1024;

/** The Bot API methods the sandbox implements, by name (https://core.telegram.org/bots/api). */
@Injectable()
export class TelegramBotApiService {
  private readonly methods: Record<string, (p: ApiParams) => unknown> = {
    getMe: () => this.me(),
    setWebhook: (p) => this.setWebhook(p),
    deleteWebhook: (p) => {
      this.updates.deleteWebhook(isTrue(p.drop_pending_updates));
      return true;
    },
    getWebhookInfo: () => this.webhookInfo(),
    getUpdates: (p) =>
      this.updates.getUpdates(
        paramNumber(p, 'offset'),
        clamp(paramNumber(p, 'limit') ?? 100, 1, 100),
        clamp(paramNumber(p, 'timeout') ?? 0, 0, 50),
      ),
    sendMessage: (p) => this.send('sendMessage', p),
    sendPhoto: (p) => this.send('sendPhoto', p),
    sendDocument: (p) => this.send('sendDocument', p),
    sendChatAction: (p) => {
      this.chats.checkFault(this.chatIdOf(p));
      return true;
    },
    getFile: (p) => this.getFile(p),
  };

  constructor(
    @Inject(SANDBOX_CONFIG) private readonly config: SandboxConfig,
    private readonly updates: TelegramUpdatesService,
    private readonly chats: TelegramChatsService,
  ) {}

  get botId(): number {
    return Number(this.config.SANDBOX_TELEGRAM_BOT_TOKEN.split(':')[0]);
  }

  /** The method's result (getUpdates resolves later: a long poll). */
  call(method: string, params: ApiParams): Promise<unknown> {
    const fn = Object.hasOwn(this.methods, method) ? this.methods[method] : undefined;
    if (!fn) return Promise.reject(TelegramErrors.methodNotFound());
    try {
      return Promise.resolve(fn(params));
    } catch (e) {
      return Promise.reject(e instanceof Error ? e : new Error(String(e)));
    }
  }

  me(): Record<string, unknown> {
    return {
      id: this.botId,
      is_bot: true,
      first_name: SANDBOX_BOT_NAME,
      username: SANDBOX_BOT_USERNAME,
      can_join_groups: false,
      can_read_all_group_messages: false,
      supports_inline_queries: false,
    };
  }

  private setWebhook(p: ApiParams): true {
    const url = paramString(p, 'url') ?? '';
    const secret = paramString(p, 'secret_token') ?? null;
    if (url && !/^https?:\/\//.test(url)) {
      throw TelegramErrors.badRequest('bad webhook: invalid URL');
    }
    if (secret !== null && !/^[A-Za-z0-9_-]{1,256}$/.test(secret)) {
      throw TelegramErrors.badRequest('secret token contains unallowed characters');
    }
    this.updates.setWebhook(url, secret, isTrue(p.drop_pending_updates));
    return true;
  }

  private webhookInfo(): Record<string, unknown> {
    const w = this.updates.webhookInfo();
    return {
      url: w?.url ?? '',
      has_custom_certificate: false,
      pending_update_count: this.updates.pendingCount(),
      ...(w?.lastErrorDate ? { last_error_date: w.lastErrorDate } : {}),
      ...(w?.lastErrorMessage ? { last_error_message: w.lastErrorMessage } : {}),
    };
  }

  private chatIdOf(p: ApiParams): string {
    const chatId = paramString(p, 'chat_id');
    if (!chatId) throw TelegramErrors.badRequest('chat_id is empty');
    if (!/^-?\d+$/.test(chatId)) throw TelegramErrors.chatNotFound();
    return chatId;
  }

  private send(method: SentRecord['method'], p: ApiParams): Record<string, unknown> {
    const chatId = this.chatIdOf(p);
    const text = paramString(p, 'text');
    const caption = paramString(p, 'caption');
    const media = method === 'sendPhoto' ? paramString(p, 'photo') : paramString(p, 'document');
    if (method === 'sendMessage' && !text?.trim()) {
      throw TelegramErrors.badRequest('message text is empty');
    }
    if (text && text.length > MAX_TEXT) throw TelegramErrors.badRequest('message is too long');
    if (caption && caption.length > MAX_CAPTION) {
      throw TelegramErrors.badRequest('message caption is too long');
    }
    if (method !== 'sendMessage' && !media) {
      throw TelegramErrors.badRequest(
        `there is no ${method === 'sendPhoto' ? 'photo' : 'document'} in the request`,
      );
    }
    this.chats.checkFault(chatId);
    const record: SentRecord = {
      messageId: this.chats.newMessageId(),
      chatId,
      method,
      date: Math.floor(Date.now() / 1000),
      ...(text !== undefined ? { text } : {}),
      ...(caption !== undefined ? { caption } : {}),
      ...(media !== undefined ? { media } : {}),
      ...(p.reply_markup !== undefined ? { replyMarkup: paramJson(p, 'reply_markup') } : {}),
    };
    this.chats.record(record);
    return this.messageOf(record);
  }

  private messageOf(r: SentRecord): Record<string, unknown> {
    const file = { file_id: r.media ?? '', file_unique_id: (r.media ?? '').slice(-16) };
    return {
      message_id: r.messageId,
      date: r.date,
      from: {
        id: this.botId,
        is_bot: true,
        first_name: SANDBOX_BOT_NAME,
        username: SANDBOX_BOT_USERNAME,
      },
      chat: { id: Number(r.chatId), type: 'private' },
      ...(r.text !== undefined ? { text: r.text } : {}),
      ...(r.caption !== undefined ? { caption: r.caption } : {}),
      ...(r.method === 'sendPhoto' ? { photo: [{ ...file, width: 800, height: 600 }] } : {}),
      ...(r.method === 'sendDocument' ? { document: file } : {}),
    };
  }

  private getFile(p: ApiParams): Record<string, unknown> {
    const f = this.chats.fileById(paramString(p, 'file_id') ?? '');
    if (!f) throw TelegramErrors.badRequest('invalid file_id');
    return {
      file_id: f.fileId,
      file_unique_id: f.fileUniqueId,
      file_size: f.bytes.length,
      file_path: f.filePath,
    };
  }
}

function isTrue(v: unknown): boolean {
  return v === true || v === 'true' || v === '1';
}

function clamp(n: number, min: number, max: number): number {
  return Math.min(Math.max(Math.trunc(n), min), max);
}
