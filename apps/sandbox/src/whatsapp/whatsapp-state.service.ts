import { createHash, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';

export interface SentWhatsApp {
  id: string;
  phoneNumberId: string;
  to: string;
  type: string;
  /** The request body as received (what went over the wire). */
  request: Record<string, unknown>;
  statuses: string[];
  createdAt: string;
}

export interface ScriptedFailure {
  code: number;
  /** send: the send call answers the error; status: accepted, then a failed status webhook. */
  at: 'send' | 'status';
  /** Only for this recipient (wa_id digits); any recipient when unset. */
  to?: string;
  /** How many sends it applies to. */
  remaining: number;
}

export interface StoredMedia {
  id: string;
  mimeType: string;
  bytes: Buffer;
  sha256: string;
}

/** The fake Cloud API's memory: what was sent, scripted failures, media. Reset by the control API. */
@Injectable()
export class WhatsAppStateService {
  readonly sent: SentWhatsApp[] = [];
  private failures: ScriptedFailure[] = [];
  private readonly media = new Map<string, StoredMedia>();

  newWamid(): string {
    return 'wamid.' + randomBytes(24).toString('base64url');
  }

  record(m: Omit<SentWhatsApp, 'statuses' | 'createdAt'>): SentWhatsApp {
    const entry = { ...m, statuses: [], createdAt: new Date().toISOString() };
    this.sent.push(entry);
    return entry;
  }

  script(f: ScriptedFailure): void {
    this.failures.push(f);
  }

  /** The scripted failure for a send to `to`, consumed once. */
  takeFailure(to: string): ScriptedFailure | null {
    const f = this.failures.find((x) => x.remaining > 0 && (!x.to || x.to === to));
    if (!f) return null;
    f.remaining -= 1;
    this.failures = this.failures.filter((x) => x.remaining > 0);
    return f;
  }

  putMedia(mimeType: string, bytes: Buffer): StoredMedia {
    const id = String(10n ** 15n + BigInt(this.media.size + 1));
    // Meta's webhook carries the hash base64-encoded; the media endpoint answers it hex.
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const m = { id, mimeType, bytes, sha256 };
    this.media.set(id, m);
    return m;
  }

  getMedia(id: string): StoredMedia | undefined {
    return this.media.get(id);
  }

  reset(): void {
    this.sent.length = 0;
    this.failures = [];
    this.media.clear();
  }
}
