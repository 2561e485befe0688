/** Bot API parameters as they arrive: JSON values, or strings from a form / query string. */
export type ApiParams = Record<string, unknown>;

export interface SandboxFile {
  fileId: string;
  fileUniqueId: string;
  filePath: string;
  mimeType: string;
  bytes: Buffer;
}

/** One message the bot sent, as the control API lists it. */
export interface SentRecord {
  messageId: number;
  chatId: string;
  method: 'sendMessage' | 'sendPhoto' | 'sendDocument';
  text?: string;
  caption?: string;
  /** The photo or document as the bot gave it: a file_id or a URL. */
  media?: string;
  replyMarkup?: unknown;
  date: number;
}

/** A scripted failure for one chat: every call (blocked, chat_not_found) or the next `count` (429). */
export type ChatFault =
  | { kind: 'blocked' }
  | { kind: 'chat_not_found' }
  | { kind: 'rate_limited'; retryAfter: number; count: number };

export function paramString(p: ApiParams, key: string): string | undefined {
  const v = p[key];
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

export function paramNumber(p: ApiParams, key: string): number | undefined {
  const s = paramString(p, key);
  if (s === undefined || s.trim() === '') return undefined;
  const n = Number(s);
  return Number.isFinite(n) ? n : undefined;
}

/** reply_markup and allowed_updates come as JSON objects, or JSON text in a form. */
export function paramJson(p: ApiParams, key: string): unknown {
  const v = p[key];
  if (typeof v !== 'string') return v;
  try {
    return JSON.parse(v) as unknown;
  } catch {
    return v;
  }
}
