import { startGatewaySystem } from '@omnigate/testing';
import type { GatewaySystem } from '@omnigate/testing';
import { bootstrap as startGateway } from '../src/bootstrap';
// Tests compose apps in-process, as the all-in-one launcher does; production code never imports another app.
import { bootstrap as startSandbox } from '../../sandbox/src/bootstrap';

export const BOT_TOKEN = '987654321:gateway-telegram-test-token-abcdef';
export const BOT_ID = '987654321';
export const WEBHOOK_SECRET = 'telegram-int-test-secret_0123';

export type TelegramSystem = GatewaySystem;

/** The Telegram gateway on the kit's test system, with the sandbox playing the Bot API. */
export function startTelegramSystem(
  extraEnv: Record<string, string> = {},
): Promise<TelegramSystem> {
  return startGatewaySystem({
    channel: 'telegram',
    sandbox: {
      start: startSandbox,
      env: (u) => ({ SANDBOX_PORT: String(u.sandboxPort), SANDBOX_TELEGRAM_BOT_TOKEN: BOT_TOKEN }),
    },
    gateway: {
      start: startGateway,
      env: (u) => ({
        TELEGRAM_GATEWAY_PORT: String(u.gatewayPort),
        TELEGRAM_PUBLIC_URL: u.gatewayUrl,
        TELEGRAM_BOT_TOKEN: BOT_TOKEN,
        TELEGRAM_WEBHOOK_SECRET: WEBHOOK_SECRET,
        TELEGRAM_API_ROOT: u.sandboxUrl,
        TELEGRAM_POLL_TIMEOUT_S: '1',
        TELEGRAM_SEND_BACKOFF_MS: '150',
        TELEGRAM_SEND_MAX_ATTEMPTS: '50',
        ...extraEnv,
      }),
    },
  });
}

export interface InjectResult {
  updateId: number;
  delivered: 'webhook' | 'queued';
  status?: number;
  body?: string;
  update: Record<string, unknown>;
}

/** The dedupe key the gateway publishes an injected message under: bot, chat and message id. */
export function keyOf(res: InjectResult): string {
  const m = res.update.message as { chat: { id: number }; message_id: number } | undefined;
  if (!m) throw new Error('the injected update carries no message');
  return `${BOT_ID}:${m.chat.id}:${m.message_id}`;
}

/** A customer action through the sandbox: POSTed to the webhook, or queued for getUpdates. */
export async function injectUpdate(sys: TelegramSystem, body: unknown): Promise<InjectResult> {
  const res = await sandboxControl(sys, 'updates', body);
  if (res.status !== 200) {
    throw new Error(`sandbox inject failed: ${res.status} ${await res.text()}`);
  }
  return (await res.json()) as InjectResult;
}

export async function sandboxControl(
  sys: TelegramSystem,
  path: string,
  body: unknown,
): Promise<Response> {
  return fetch(`${sys.sandboxUrl}/sandbox/telegram/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

export interface SentRecord {
  messageId: number;
  chatId: string;
  method: string;
  text?: string;
  caption?: string;
  media?: string;
  replyMarkup?: unknown;
}

/** What went over the wire to "Telegram": the sandbox's list of what the bot sent. */
export async function sandboxSent(sys: TelegramSystem, chatId?: string): Promise<SentRecord[]> {
  const q = chatId ? `?chatId=${chatId}` : '';
  const res = await fetch(`${sys.sandboxUrl}/sandbox/telegram/sent${q}`);
  return ((await res.json()) as { messages: SentRecord[] }).messages;
}

/** POSTs an update to the gateway's webhook with the given secret header (null: none). */
export async function postUpdate(
  sys: TelegramSystem,
  update: unknown,
  secret: string | null,
): Promise<Response> {
  return fetch(`${sys.gatewayUrl}/webhooks/telegram`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(secret === null ? {} : { 'x-telegram-bot-api-secret-token': secret }),
    },
    body: JSON.stringify(update),
  });
}
