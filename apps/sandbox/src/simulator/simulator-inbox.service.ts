import { Inject, Injectable } from '@nestjs/common';
import { SANDBOX_CONFIG } from '../config/sandbox.config';
import type { SandboxConfig } from '../config/sandbox.config';
import { EmailSinkService } from '../email/email-sink.service';
import { TelegramChatsService } from '../telegram/telegram-chats.service';
import { TwilioMessagesService } from '../twilio/twilio-messages.service';
import { WhatsAppStateService } from '../whatsapp/whatsapp-state.service';
import { InappCustomerClient } from './inapp-customer.client';
import {
  byTime,
  fromEmail,
  fromTelegram,
  fromTwilio,
  fromWhatsApp,
} from './simulator-inbox.mapper';
import type { InboxEntry } from './simulator-inbox.mapper';
import type { SimulatorChannel } from './simulator-personas.mapper';

export interface Inbox {
  messages: InboxEntry[];
  /** Why a channel could not be read right now (the in-app socket is down...), per channel. */
  problems: Array<{ channel: SimulatorChannel; problem: string }>;
}

/** What the gateways sent the customer, read where each stand-in keeps it. */
@Injectable()
export class SimulatorInboxService {
  constructor(
    @Inject(SANDBOX_CONFIG) private readonly config: SandboxConfig,
    private readonly twilio: TwilioMessagesService,
    private readonly whatsapp: WhatsAppStateService,
    private readonly telegram: TelegramChatsService,
    private readonly sink: EmailSinkService,
    private readonly inapp: InappCustomerClient,
  ) {}

  /** Every address given (one per channel), merged oldest first. */
  read(targets: Array<{ channel: SimulatorChannel; address: string }>): Inbox {
    const inbox: Inbox = { messages: [], problems: [] };
    for (const t of targets) {
      const { messages, problem } = this.readOne(t.channel, t.address);
      inbox.messages.push(...messages);
      if (problem) inbox.problems.push({ channel: t.channel, problem });
    }
    inbox.messages = byTime(inbox.messages);
    return inbox;
  }

  private readOne(
    channel: SimulatorChannel,
    address: string,
  ): { messages: InboxEntry[]; problem: string | null } {
    switch (channel) {
      case 'sms':
        return {
          messages: this.twilio
            .list(this.config.SANDBOX_TWILIO_ACCOUNT_SID, { to: address })
            .map(fromTwilio)
            .filter((e): e is InboxEntry => e !== null),
          problem: null,
        };
      case 'whatsapp': {
        const waId = address.replace(/\D/g, '');
        return {
          messages: this.whatsapp.sent
            .filter((s) => s.to === waId)
            .map((s) => fromWhatsApp(s, address)),
          problem: null,
        };
      }
      case 'telegram':
        return { messages: this.telegram.listSent(address).map(fromTelegram), problem: null };
      case 'email': {
        const wanted = address.toLowerCase();
        return {
          messages: this.sink
            .list()
            .filter((m) => m.envelope.rcptTo.some((r) => r.toLowerCase() === wanted))
            .map((m) => fromEmail(m, address)),
          problem: null,
        };
      }
      case 'inapp':
        return this.inapp.inbox(address);
    }
  }
}
