import { Inject, Injectable, Logger } from '@nestjs/common';
import type { OnApplicationShutdown } from '@nestjs/common';
import { SANDBOX_CONFIG } from '../config/sandbox.config';
import type { SandboxConfig } from '../config/sandbox.config';
import { GRAPH_ERROR_TITLES, GraphErrors } from './whatsapp-graph.errors';
import { WhatsAppStateService } from './whatsapp-state.service';
import type { SentWhatsApp } from './whatsapp-state.service';
import { WhatsAppWebhookClient } from './whatsapp-webhook.client';
import { inboundWebhook, statusWebhook } from './whatsapp-webhook.mapper';
import type { BusinessNumber, InboundSpec } from './whatsapp-webhook.mapper';

const SEND_TYPES = new Set(['text', 'template', 'image', 'document', 'audio', 'video']);

export interface InjectWhatsApp {
  from: string;
  name: string;
  text?: string;
  type?: InboundSpec['type'];
  media?: { mimeType: string; base64: string; caption?: string; filename?: string };
  wamid?: string;
  webhookUrl?: string;
  /** Meta's `timestamp` (unix seconds): when the customer sent it; default now. */
  timestamp?: number;
}

/**
 * The fake Cloud API's behaviour: accepts sends (checking what Meta checks first), answers a
 * wamid, then pushes signed status webhooks sent → delivered → read (or failed when scripted);
 * plays customers' messages as signed webhooks.
 */
@Injectable()
export class WhatsAppMessagesService implements OnApplicationShutdown {
  private readonly logger = new Logger('whatsapp-sandbox');
  private abort = new AbortController();

  constructor(
    @Inject(SANDBOX_CONFIG) private readonly config: SandboxConfig,
    private readonly state: WhatsAppStateService,
    private readonly webhook: WhatsAppWebhookClient,
  ) {}

  get number(): BusinessNumber {
    return {
      wabaId: '102290129340398',
      phoneNumberId: this.config.SANDBOX_WHATSAPP_PHONE_NUMBER_ID,
      displayPhoneNumber: this.config.SANDBOX_WHATSAPP_DISPLAY_NUMBER.replace(/\D/g, ''),
    };
  }

  send(phoneNumberId: string, body: Record<string, unknown>): Record<string, unknown> {
    if (phoneNumberId !== this.config.SANDBOX_WHATSAPP_PHONE_NUMBER_ID) {
      throw GraphErrors.unknownPhoneNumber(phoneNumberId);
    }
    if (body.messaging_product !== 'whatsapp') {
      throw GraphErrors.invalidParameter('messaging_product must be whatsapp');
    }
    const to = typeof body.to === 'string' ? body.to.replace(/\D/g, '') : '';
    if (!/^[1-9]\d{6,14}$/.test(to)) throw GraphErrors.invalidParameter('to is not a phone number');
    const type = typeof body.type === 'string' ? body.type : 'text';
    if (!SEND_TYPES.has(type) || typeof body[type] !== 'object') {
      throw GraphErrors.invalidParameter(`${type} object is missing or not supported`);
    }
    const failure = this.state.takeFailure(to);
    if (failure?.at === 'send') throw GraphErrors.scripted(failure.code);
    const sent = this.state.record({
      id: this.state.newWamid(),
      phoneNumberId,
      to,
      type,
      request: body,
    });
    const opaque =
      typeof body.biz_opaque_callback_data === 'string' ? body.biz_opaque_callback_data : undefined;
    void this.pushStatuses(sent, opaque, failure?.code ?? null);
    return {
      messaging_product: 'whatsapp',
      contacts: [{ input: body.to, wa_id: to }],
      messages: [{ id: sent.id, ...(type === 'template' ? { message_status: 'accepted' } : {}) }],
    };
  }

  async inject(input: InjectWhatsApp): Promise<{ wamid: string; status: number; body: string }> {
    const waId = input.from.replace(/\D/g, '');
    const wamid = input.wamid ?? this.state.newWamid();
    const media = input.media
      ? this.state.putMedia(input.media.mimeType, Buffer.from(input.media.base64, 'base64'))
      : null;
    const payload = inboundWebhook(this.number, {
      wamid,
      waId,
      name: input.name,
      timestamp: input.timestamp ?? Math.floor(Date.now() / 1000),
      type: input.type ?? (media ? 'image' : 'text'),
      text: input.text,
      ...(media && input.media
        ? {
            media: {
              id: media.id,
              mimeType: media.mimeType,
              sha256: Buffer.from(media.sha256, 'hex').toString('base64'),
              caption: input.media.caption,
              filename: input.media.filename,
            },
          }
        : {}),
    });
    const res = await this.webhook.post(
      input.webhookUrl ?? this.config.SANDBOX_WHATSAPP_WEBHOOK_URL,
      payload,
    );
    this.logger.log({ msg: 'whatsapp inbound webhook answered', httpStatus: res.status });
    return { wamid, ...res };
  }

  reset(): void {
    this.abort.abort();
    this.abort = new AbortController();
    this.state.reset();
  }

  onApplicationShutdown(): void {
    this.abort.abort();
  }

  private async pushStatuses(
    sent: SentWhatsApp,
    opaque: string | undefined,
    failCode: number | null,
  ) {
    const signal = this.abort.signal;
    const states =
      failCode === null ? (['sent', 'delivered', 'read'] as const) : (['failed'] as const);
    for (const status of states) {
      await new Promise((r) => setTimeout(r, this.config.SANDBOX_WHATSAPP_STATUS_DELAY_MS));
      if (signal.aborted) return;
      const payload = statusWebhook(this.number, {
        wamid: sent.id,
        status,
        recipientWaId: sent.to,
        timestamp: Math.floor(Date.now() / 1000),
        bizOpaqueCallbackData: opaque,
        ...(failCode !== null
          ? { error: { code: failCode, title: GRAPH_ERROR_TITLES[failCode] ?? 'Scripted error' } }
          : {}),
      });
      try {
        const res = await this.webhook.post(this.config.SANDBOX_WHATSAPP_WEBHOOK_URL, payload, {
          signal,
        });
        sent.statuses.push(status);
        if (res.status >= 300) {
          this.logger.warn({
            msg: 'whatsapp status webhook refused',
            httpStatus: res.status,
            status,
          });
        }
      } catch {
        if (signal.aborted) return;
        this.logger.warn({ msg: 'whatsapp status webhook unreachable', status });
      }
    }
  }
}
