import { Injectable } from '@nestjs/common';
import { TwilioErrors } from './twilio-api.errors';
import { TwilioOptOutsService } from './twilio-opt-outs.service';
import { parseCreateMessage } from './twilio-request.mapper';
import { newSid } from './twilio-resource.mapper';
import { TwilioScenarioService } from './twilio-scenario.service';
import { TwilioStatusCallbacksService } from './twilio-status-callbacks.service';
import { segmentsOf } from './twilio-webhook.mapper';
import type { FormBody, TwilioMessageRecord } from './twilio.types';

export interface MessageFilter {
  to?: string;
  from?: string;
}

export interface InboundRecord {
  accountSid: string;
  sid: string;
  from: string;
  to: string;
  body: string;
  messagingServiceSid: string | null;
}

/** The fake Twilio's message log: what went over the wire, outbound and inbound. */
@Injectable()
export class TwilioMessagesService {
  private readonly messages = new Map<string, TwilioMessageRecord>();

  constructor(
    private readonly optOuts: TwilioOptOutsService,
    private readonly scenario: TwilioScenarioService,
    private readonly callbacks: TwilioStatusCallbacksService,
  ) {}

  /** Create Message: validated like Twilio, stored, then progressed with status callbacks. */
  create(accountSid: string, form: FormBody): TwilioMessageRecord {
    const fault = this.scenario.takeFault();
    if (fault !== null) throw TwilioErrors.fault(fault);
    const req = parseCreateMessage(form);
    const sender = req.from ?? req.messagingServiceSid ?? '';
    if (this.optOuts.isOptedOut(sender, req.to)) throw TwilioErrors.unsubscribed();
    const now = new Date();
    const record: TwilioMessageRecord = {
      sid: newSid(req.mediaUrls.length > 0 ? 'MM' : 'SM'),
      accountSid,
      direction: 'outbound-api',
      from: req.from,
      to: req.to,
      body: req.body,
      // Twilio answers `accepted` when a Messaging Service will pick the sender, else `queued`.
      status: req.from ? 'queued' : 'accepted',
      numSegments: segmentsOf(req.body),
      numMedia: req.mediaUrls.length,
      messagingServiceSid: req.messagingServiceSid,
      statusCallback: req.statusCallback,
      errorCode: null,
      errorMessage: null,
      dateCreated: now,
      dateUpdated: now,
      dateSent: null,
    };
    this.messages.set(record.sid, record);
    this.callbacks.start(record);
    return record;
  }

  recordInbound(input: InboundRecord): TwilioMessageRecord {
    const now = new Date();
    const record: TwilioMessageRecord = {
      ...input,
      direction: 'inbound',
      status: 'received',
      numSegments: segmentsOf(input.body),
      numMedia: 0,
      statusCallback: null,
      errorCode: null,
      errorMessage: null,
      dateCreated: now,
      dateUpdated: now,
      dateSent: now,
    };
    this.messages.set(record.sid, record);
    return record;
  }

  get(accountSid: string, sid: string): TwilioMessageRecord | null {
    const r = this.messages.get(sid);
    return r && r.accountSid === accountSid ? r : null;
  }

  /** Newest first, like Twilio's list. */
  list(accountSid: string, filter: MessageFilter): TwilioMessageRecord[] {
    return [...this.messages.values()]
      .filter((r) => r.accountSid === accountSid)
      .filter(
        (r) =>
          (filter.to === undefined || r.to === filter.to) &&
          (filter.from === undefined || r.from === filter.from),
      )
      .reverse();
  }

  reset(): void {
    this.messages.clear();
  }
}
