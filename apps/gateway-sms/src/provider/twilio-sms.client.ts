import { TwilioCallError, TwilioRestClient } from '@omnigate/twilio';
import { mapTwilioStatus } from '../status/twilio-status.mapper';
import { classifyTwilioFailure } from './twilio-errors.mapper';
import { SmsProvider } from './sms-provider.port';
import type {
  SmsSendRequest,
  SmsSendResult,
  SmsStatusUpdate,
  WebhookParams,
} from './sms-provider.port';

export interface TwilioClientOptions {
  accountSid: string;
  authToken: string;
  /** Exactly one sender: our number, or a Messaging Service that picks one. */
  fromNumber?: string;
  messagingServiceSid?: string;
  /** Another API host for every Twilio domain (the sandbox); unset = Twilio. */
  apiBase?: string;
  timeoutMs: number;
}

/** The SMS provider on Twilio: the shared SDK wrapper (@omnigate/twilio) with our SMS sender. */
export class TwilioSmsClient extends SmsProvider {
  private readonly rest: TwilioRestClient;
  private readonly sender: { from: string } | { messagingServiceSid: string };

  constructor(opts: TwilioClientOptions) {
    super();
    this.sender = senderOf(opts);
    this.rest = new TwilioRestClient(opts);
  }

  async send(req: SmsSendRequest): Promise<SmsSendResult> {
    try {
      const m = await this.rest.createMessage({
        ...this.sender,
        to: req.to,
        body: req.body,
        statusCallback: req.statusCallbackUrl,
        mediaUrls: req.mediaUrls,
      });
      return { providerMessageId: m.sid, providerStatus: m.status };
    } catch (e) {
      if (e instanceof TwilioCallError) {
        throw classifyTwilioFailure({ status: e.status, code: e.twilioCode }, e.cause);
      }
      throw classifyTwilioFailure({ status: null, code: null }, e);
    }
  }

  verifySignature(url: string, params: WebhookParams, signature: string): boolean {
    return this.rest.validateSignature(url, params, signature);
  }

  parseStatus(params: WebhookParams): SmsStatusUpdate | null {
    return mapTwilioStatus(params);
  }

  replyDocument(text?: string): { contentType: string; body: string } {
    return this.rest.messagingResponse(text);
  }

  /** Frees the keep-alive sockets to the sandbox. */
  close(): void {
    this.rest.close();
  }
}

function senderOf(opts: TwilioClientOptions): { from: string } | { messagingServiceSid: string } {
  if (opts.fromNumber) return { from: opts.fromNumber };
  if (opts.messagingServiceSid) return { messagingServiceSid: opts.messagingServiceSid };
  throw new Error('Twilio needs a sender: a From number or a Messaging Service SID');
}
