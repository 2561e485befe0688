import { Markup, Telegraf, TelegramError } from 'telegraf';
import type { Update } from 'telegraf/types';
import { classifyTelegramFailure } from './telegram-errors.mapper';
import type { TelegramSendError } from './telegram-send.errors';

export interface TelegramClientOptions {
  token: string;
  /** Another Bot API server (the sandbox); undefined = https://api.telegram.org. */
  apiRoot?: string;
}

export interface SentMessage {
  providerMessageId: string;
}

export type OutboundMedia = { kind: 'photo' | 'document'; source: string; filename?: string };

/** Texts of the bot itself, Italian first then English (the customer's language is unknown). */
export const CONTACT_PROMPT =
  'Ciao! Per riconoscerti, condividi il tuo numero di telefono con il pulsante qui sotto.\n' +
  'Hi! To recognise you, share your phone number with the button below.';
export const CONTACT_BUTTON = 'Condividi il mio numero / Share my number';
export const CONTACT_THANKS =
  'Grazie, abbiamo ricevuto il tuo numero. Scrivici pure qui.\n' +
  'Thank you, we received your number. Write to us here.';

/**
 * The only file that knows telegraf: every Bot API call goes through its real client, pointed at
 * TELEGRAM_API_ROOT. Errors come out as TelegramSendError (what to do), never as TelegramError.
 */
export class TelegramBotClient {
  readonly bot: Telegraf;

  constructor(opts: TelegramClientOptions) {
    // webhookReply off: every call is a real HTTP request whose answer we read.
    this.bot = new Telegraf(opts.token, {
      telegram: {
        webhookReply: false,
        ...(opts.apiRoot ? { apiRoot: opts.apiRoot.replace(/\/+$/, '') } : {}),
      },
    });
  }

  /** The bot's own id: the part of the token before ':' (no call needed). */
  static botIdOf(token: string): string {
    return token.split(':')[0]!;
  }

  setWebhook(url: string, secretToken: string): Promise<true> {
    return this.call(() =>
      this.bot.telegram.setWebhook(url, {
        secret_token: secretToken,
        allowed_updates: ['message', 'my_chat_member'],
      }),
    );
  }

  deleteWebhook(): Promise<true> {
    return this.call(() => this.bot.telegram.deleteWebhook());
  }

  /** One long poll: updates with update_id >= offset (which also confirms those before it). */
  getUpdates(offset: number, timeoutS: number, signal: AbortSignal): Promise<Update[]> {
    return this.call(() =>
      this.bot.telegram.callApi(
        'getUpdates',
        { offset, timeout: timeoutS, allowed_updates: ['message', 'my_chat_member'] },
        // telegraf types its own AbortSignal shim; the standard one works at run time.
        { signal: signal as never },
      ),
    );
  }

  async sendText(chatId: string, text: string): Promise<SentMessage> {
    const m = await this.call(() => this.bot.telegram.sendMessage(chatId, text));
    return { providerMessageId: String(m.message_id) };
  }

  /** Media by URL or by a Telegram file_id (Telegram fetches it): no upload from our side. */
  async sendMedia(chatId: string, media: OutboundMedia, caption: string): Promise<SentMessage> {
    const extra = caption ? { caption: caption.slice(0, 1024) } : {};
    const m = await this.call<{ message_id: number }>(() =>
      media.kind === 'photo'
        ? this.bot.telegram.sendPhoto(chatId, media.source, extra)
        : this.bot.telegram.sendDocument(chatId, media.source, extra),
    );
    return { providerMessageId: String(m.message_id) };
  }

  /** The reply keyboard with Telegram's "share my contact" button. */
  async askForContact(chatId: number): Promise<void> {
    await this.call(() =>
      this.bot.telegram.sendMessage(
        chatId,
        CONTACT_PROMPT,
        Markup.keyboard([Markup.button.contactRequest(CONTACT_BUTTON)])
          .oneTime()
          .resize(),
      ),
    );
  }

  async thankForContact(chatId: number): Promise<void> {
    await this.call(() =>
      this.bot.telegram.sendMessage(chatId, CONTACT_THANKS, Markup.removeKeyboard()),
    );
  }

  /** Where a file we were sent can be downloaded now (the link holds the token: never store it). */
  async fileLink(fileId: string): Promise<URL> {
    return this.call(() => this.bot.telegram.getFileLink(fileId));
  }

  private async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      throw toSendError(e);
    }
  }
}

function toSendError(e: unknown): TelegramSendError {
  if (e instanceof TelegramError) {
    return classifyTelegramFailure(
      {
        status: e.code,
        description: e.description,
        retryAfterS: e.parameters?.retry_after ?? null,
      },
      e,
    );
  }
  return classifyTelegramFailure({ status: null, description: null, retryAfterS: null }, e);
}
