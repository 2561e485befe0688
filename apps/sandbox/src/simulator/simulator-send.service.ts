import { Inject, Injectable, Logger } from '@nestjs/common';
import { SANDBOX_CONFIG } from '../config/sandbox.config';
import type { SandboxConfig } from '../config/sandbox.config';
import { EmailGatewayUnreachableError, EmailSenderService } from '../email/email-sender.service';
import { EmailSinkService } from '../email/email-sink.service';
import { TelegramBotApiService } from '../telegram/telegram-bot-api.service';
import { TelegramChatsService } from '../telegram/telegram-chats.service';
import { buildUpdate } from '../telegram/telegram-inject.mapper';
import type { InjectRequest } from '../telegram/telegram-inject.mapper';
import { TelegramUpdatesService } from '../telegram/telegram-updates.service';
import { TwilioInboundService, WebhookUnavailableError } from '../twilio/twilio-inbound.service';
import { WhatsAppMessagesService } from '../whatsapp/whatsapp-messages.service';
import { InappCustomerClient } from './inapp-customer.client';
import {
  SimulatorChannelNotConfiguredError,
  SimulatorGatewayRefusedError,
  SimulatorGatewayUnavailableError,
  SimulatorRequestInvalidError,
} from './simulator.errors';
import type { SendRequest, Target } from './simulator-request.mapper';

/** What the simulator did, as POST /simulator/api/send answers it. */
export interface SendOutcome {
  channel: string;
  address: string;
  persona: string | null;
  text: string;
  sentAt: string;
  /** How it reached the gateway: its webhook, its SMTP listener, its socket, or a getUpdates queue. */
  via: 'webhook' | 'smtp' | 'socket' | 'getUpdates';
  /** The provider-side id (Twilio SID, wamid, Telegram update id, Message-ID, clientMsgId). */
  providerMessageId: string;
  /** What the gateway answered (HTTP status, SMTP code), when it answers synchronously. */
  gatewayStatus?: number;
}

/**
 * Sends as the customer, through what the provider would do: the stand-ins' own signed webhooks
 * (Twilio, Meta, Telegram), an SMTP delivery to the gateway's listener, or the app's socket.
 */
@Injectable()
export class SimulatorSendService {
  private readonly logger = new Logger('simulator');

  constructor(
    @Inject(SANDBOX_CONFIG) private readonly config: SandboxConfig,
    private readonly twilio: TwilioInboundService,
    private readonly whatsapp: WhatsAppMessagesService,
    private readonly telegramApi: TelegramBotApiService,
    private readonly telegramChats: TelegramChatsService,
    private readonly telegramUpdates: TelegramUpdatesService,
    private readonly email: EmailSenderService,
    private readonly sink: EmailSinkService,
    private readonly inapp: InappCustomerClient,
  ) {}

  async send(target: Target, req: SendRequest): Promise<SendOutcome> {
    const text = req.text ?? '';
    // The provider's stamp: whole seconds, as Meta and Telegram send it.
    const sentAt = new Date(
      Math.floor((req.sentAt ? Date.parse(req.sentAt) : Date.now()) / 1000) * 1000,
    );
    const base = {
      channel: target.channel,
      address: target.address,
      persona: target.persona?.id ?? null,
      text,
      sentAt: sentAt.toISOString(),
    };
    const sent = await this.dispatch(target, req, text, sentAt.getTime() / 1000);
    this.logger.log({ msg: 'customer message sent', channel: target.channel, via: sent.via });
    return { ...base, ...sent };
  }

  private dispatch(target: Target, req: SendRequest, text: string, unix: number): Promise<Sent> {
    switch (target.channel) {
      case 'sms':
        return this.sms(target.address, text);
      case 'whatsapp':
        return this.whatsApp(target, text, unix);
      case 'telegram':
        return this.telegram(target, req, text, unix);
      case 'email':
        return this.mail(target, req, text);
      case 'inapp':
        return this.app(target.address, text);
    }
  }

  private async sms(from: string, body: string): Promise<Sent> {
    const to = this.config.SANDBOX_SIMULATOR_SMS_TO;
    if (!to) throw new SimulatorChannelNotConfiguredError('sms', ['SANDBOX_SIMULATOR_SMS_TO']);
    try {
      const res = await this.twilio.inject({ from, to, body });
      refusedUnless2xx('sms', res.status);
      return { via: 'webhook', providerMessageId: res.messageSid, gatewayStatus: res.status };
    } catch (e) {
      if (e instanceof WebhookUnavailableError) {
        throw new SimulatorGatewayUnavailableError('sms', 'its Twilio webhook is unreachable', e);
      }
      throw e;
    }
  }

  private async whatsApp(target: Target, text: string, timestamp: number): Promise<Sent> {
    let res: { wamid: string; status: number };
    try {
      res = await this.whatsapp.inject({
        from: target.address,
        name: target.persona?.name ?? 'Sandbox Customer',
        text,
        timestamp,
      });
    } catch (e) {
      throw new SimulatorGatewayUnavailableError('whatsapp', 'its webhook is unreachable', e);
    }
    refusedUnless2xx('whatsapp', res.status);
    return { via: 'webhook', providerMessageId: res.wamid, gatewayStatus: res.status };
  }

  private async telegram(
    target: Target,
    req: SendRequest,
    text: string,
    date: number,
  ): Promise<Sent> {
    const [firstName = 'Cliente', ...rest] = (target.persona?.name ?? 'Cliente').split(' ');
    const phone = target.persona?.addresses.sms;
    if (req.shareContact && !phone) {
      throw new SimulatorRequestInvalidError('shareContact needs a persona (with a phone)');
    }
    const inject: InjectRequest = {
      from: {
        id: Number(target.address),
        firstName,
        ...(rest.length ? { lastName: rest.join(' ') } : {}),
        ...(target.persona ? { languageCode: target.persona.language } : {}),
      },
      ...(req.shareContact && phone
        ? { contact: { phoneNumber: phone.replace(/^\+/, ''), firstName } }
        : { text }),
    };
    const updateId = this.telegramUpdates.newUpdateId();
    const update = buildUpdate(
      inject,
      {
        updateId,
        messageId: this.telegramChats.newMessageId(),
        now: date,
        botId: this.telegramApi.botId,
      },
      {},
    );
    const res = await this.telegramUpdates.deliver(update);
    const id = String(updateId);
    if (res.delivered === 'queued') return { via: 'getUpdates', providerMessageId: id };
    if (!res.status) {
      throw new SimulatorGatewayUnavailableError('telegram', 'its webhook is unreachable');
    }
    refusedUnless2xx('telegram', res.status);
    return { via: 'webhook', providerMessageId: id, gatewayStatus: res.status };
  }

  private async mail(target: Target, req: SendRequest, text: string): Promise<Sent> {
    const to = this.config.SANDBOX_SIMULATOR_EMAIL_TO;
    if (!to) throw new SimulatorChannelNotConfiguredError('email', ['SANDBOX_SIMULATOR_EMAIL_TO']);
    // Like a mail client's "Reply": in the thread of the last mail we sent this customer.
    const last = this.sink
      .list()
      .filter((m) => m.envelope.rcptTo.some((r) => sameAddress(r, target.address)))
      .at(-1);
    const thread = last?.messageId
      ? { inReplyTo: last.messageId, references: [...last.references, last.messageId] }
      : {};
    try {
      const res = await this.email.send({
        from: target.address,
        ...(target.persona ? { fromName: target.persona.name } : {}),
        to,
        subject: req.subject ?? subjectOf(text, last?.subject),
        text,
        ...thread,
        ...(this.config.SANDBOX_EMAIL_DKIM_PRIVATE_KEY ? { dkim: true } : {}),
      });
      if (!res.accepted) {
        throw new SimulatorGatewayRefusedError('email', `SMTP ${res.responseCode} ${res.response}`);
      }
      return { via: 'smtp', providerMessageId: res.messageId ?? '', gatewayStatus: 250 };
    } catch (e) {
      if (e instanceof EmailGatewayUnreachableError) {
        throw new SimulatorGatewayUnavailableError('email', 'its SMTP listener is unreachable', e);
      }
      throw e;
    }
  }

  private async app(appUserId: string, text: string): Promise<Sent> {
    const missing = this.inapp.missingKeys();
    if (missing.length) throw new SimulatorChannelNotConfiguredError('inapp', missing);
    const { clientMsgId } = await this.inapp.send(appUserId, text);
    return { via: 'socket', providerMessageId: clientMsgId };
  }
}

type Sent = Pick<SendOutcome, 'via' | 'providerMessageId' | 'gatewayStatus'>;

function refusedUnless2xx(channel: string, status: number): void {
  if (status < 200 || status >= 300) {
    throw new SimulatorGatewayRefusedError(channel, `its webhook answered HTTP ${status}`);
  }
}

function sameAddress(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

/** A reply keeps the thread's subject; a first mail takes the text's first line. */
function subjectOf(text: string, lastSubject: string | undefined): string {
  if (lastSubject) return /^re:/i.test(lastSubject) ? lastSubject : `Re: ${lastSubject}`;
  const line = text.split('\n')[0]!.trim();
  return line.length > 78 ? `${line.slice(0, 75)}...` : line;
}
