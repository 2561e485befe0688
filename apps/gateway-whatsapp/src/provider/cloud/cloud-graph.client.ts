import { WhatsAppProvider } from '../whatsapp-provider.port';
import type { WhatsAppSendRequest, WhatsAppSendResult } from '../whatsapp-provider.port';
import { classifyGraphFailure } from './cloud-errors.mapper';
import { toGraphMessage } from './cloud-outbound.mapper';

export interface CloudClientOptions {
  /** https://graph.facebook.com, or the sandbox. */
  graphBase: string;
  version: string;
  phoneNumberId: string;
  accessToken: string;
  timeoutMs: number;
}

interface GraphSendAnswer {
  messages?: Array<{ id?: string }>;
}

interface GraphErrorAnswer {
  error?: { code?: number; error_subcode?: number };
}

export interface CloudMediaInfo {
  url: string;
  mimeType: string;
  sha256: string | null;
  size: number;
}

/** The only file that talks (Node's fetch) to the Graph API: send (POST /{version}/{phone-number-id}/messages) and media. */
export class CloudGraphClient extends WhatsAppProvider {
  readonly kind = 'cloud' as const;
  readonly hasServiceWindow = true;

  constructor(private readonly opts: CloudClientOptions) {
    super();
  }

  async send(req: WhatsAppSendRequest): Promise<WhatsAppSendResult> {
    const url = `${this.opts.graphBase}/${this.opts.version}/${this.opts.phoneNumberId}/messages`;
    const answer = await this.call<GraphSendAnswer>(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(toGraphMessage(req)),
    });
    const id = answer.messages?.[0]?.id;
    if (!id) throw classifyGraphFailure({ status: 502, code: null });
    return { providerMessageId: id };
  }

  /** GET /{version}/{media-id}: a short-lived download URL and what the media is. */
  async mediaInfo(mediaId: string): Promise<CloudMediaInfo> {
    const info = await this.call<{
      url?: string;
      mime_type?: string;
      sha256?: string;
      file_size?: number;
    }>(`${this.opts.graphBase}/${this.opts.version}/${encodeURIComponent(mediaId)}`, {
      method: 'GET',
    });
    if (!info.url) throw classifyGraphFailure({ status: 502, code: null });
    return {
      url: info.url,
      mimeType: info.mime_type ?? 'application/octet-stream',
      sha256: info.sha256 ?? null,
      size: info.file_size ?? 0,
    };
  }

  /** The media's bytes (the download URL needs the same bearer token). */
  async downloadMedia(mediaId: string): Promise<{ mimeType: string; bytes: Buffer }> {
    const info = await this.mediaInfo(mediaId);
    const res = await this.raw(info.url, { method: 'GET' });
    if (!res.ok) throw classifyGraphFailure({ status: res.status, code: null });
    return { mimeType: info.mimeType, bytes: Buffer.from(await res.arrayBuffer()) };
  }

  private async raw(
    url: string,
    init: { method: string; headers?: Record<string, string>; body?: string },
  ) {
    try {
      return await fetch(url, {
        ...init,
        headers: { ...init.headers, authorization: `Bearer ${this.opts.accessToken}` },
        signal: AbortSignal.timeout(this.opts.timeoutMs),
      });
    } catch (e) {
      throw classifyGraphFailure({ status: null, code: null }, e);
    }
  }

  private async call<T>(
    url: string,
    init: { method: string; headers?: Record<string, string>; body?: string },
  ): Promise<T> {
    const res = await this.raw(url, init);
    const text = await res.text();
    const body = parseOrNull(text);
    if (!res.ok) {
      const code = (body as GraphErrorAnswer | null)?.error?.code ?? null;
      throw classifyGraphFailure({ status: res.status, code });
    }
    return (body ?? {}) as T;
  }
}

function parseOrNull(text: string): unknown {
  try {
    return text.length > 0 ? (JSON.parse(text) as unknown) : null;
  } catch {
    return null;
  }
}
