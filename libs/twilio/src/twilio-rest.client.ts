import { Agent } from 'node:http';
import twilio from 'twilio';
import { AppError } from '@omnigate/kit';

export interface TwilioRestOptions {
  accountSid: string;
  authToken: string;
  /** Another API host for every Twilio domain (the sandbox); unset = Twilio. */
  apiBase?: string;
  timeoutMs: number;
}

/** One Create Message call, channel-agnostic: SMS numbers or `whatsapp:+E164` addresses. */
export interface TwilioCreateMessage {
  to: string;
  from?: string;
  messagingServiceSid?: string;
  body?: string;
  mediaUrls?: string[];
  statusCallback?: string;
  /** An approved Content template (WhatsApp outside the 24-hour window) and its variables. */
  contentSid?: string;
  contentVariables?: Record<string, string>;
}

/** A failed Twilio API call: HTTP status and Twilio error code when there was an answer, null otherwise. */
export class TwilioCallError extends AppError {
  constructor(
    readonly status: number | null,
    readonly twilioCode: number | null,
    cause: unknown,
  ) {
    super(
      'TWILIO.CALL_FAILED',
      status === null ? 'Twilio could not be reached' : `Twilio answered HTTP ${status}`,
      { cause, retryable: status === null || status === 429 || status >= 500 },
    );
  }
}

type RequestOptions<T> = Parameters<twilio.RequestClient['request']>[0] & { data?: T };

/**
 * The SDK has no base-URL option (its domains are hard-coded); the documented hook is a custom
 * httpClient (twilio-node advanced-examples/custom-http-client.md): every request's absolute URI
 * is rewritten onto `base`, path and query kept.
 */
class SandboxRequestClient extends twilio.RequestClient {
  constructor(
    private readonly base: string,
    opts: { timeout: number },
    readonly agent = new Agent({ keepAlive: true }),
  ) {
    super({ timeout: opts.timeout, autoRetry: false });
    this.axios.defaults.httpAgent = agent;
  }

  override request<TData>(opts: RequestOptions<TData>) {
    const u = new URL(opts.uri);
    return super.request<TData>({
      ...opts,
      uri: this.base.replace(/\/+$/, '') + u.pathname + u.search,
    });
  }
}

/**
 * The one wrapper of the twilio SDK, shared by the SMS and WhatsApp gateways: Create Message,
 * webhook signature check, TwiML answers. Knows nothing of channels.
 */
export class TwilioRestClient {
  private readonly client: twilio.Twilio;
  private readonly sandboxClient: SandboxRequestClient | null;

  constructor(private readonly opts: TwilioRestOptions) {
    this.sandboxClient = opts.apiBase
      ? new SandboxRequestClient(opts.apiBase, { timeout: opts.timeoutMs })
      : null;
    const httpClient =
      this.sandboxClient ?? new twilio.RequestClient({ timeout: opts.timeoutMs, autoRetry: false });
    this.client = twilio(opts.accountSid, opts.authToken, { httpClient, autoRetry: false });
  }

  /** Throws TwilioCallError (with Twilio's status and code when it answered). */
  async createMessage(req: TwilioCreateMessage): Promise<{ sid: string; status: string }> {
    try {
      const m = await this.client.messages.create({
        to: req.to,
        ...(req.from ? { from: req.from } : {}),
        ...(req.messagingServiceSid ? { messagingServiceSid: req.messagingServiceSid } : {}),
        ...(req.body !== undefined ? { body: req.body } : {}),
        ...(req.statusCallback ? { statusCallback: req.statusCallback } : {}),
        ...(req.mediaUrls && req.mediaUrls.length > 0 ? { mediaUrl: req.mediaUrls } : {}),
        ...(req.contentSid ? { contentSid: req.contentSid } : {}),
        ...(req.contentVariables ? { contentVariables: JSON.stringify(req.contentVariables) } : {}),
      });
      return { sid: m.sid, status: m.status };
    } catch (e) {
      if (e instanceof twilio.RestException) {
        throw new TwilioCallError(e.status, e.code ?? null, e);
      }
      throw new TwilioCallError(null, null, e);
    }
  }

  /** Is this webhook really from Twilio? `url` is the full public URL it called. */
  validateSignature(url: string, params: Record<string, unknown>, signature: string): boolean {
    return twilio.validateRequest(this.opts.authToken, signature, url, params);
  }

  /** A TwiML answer document, optionally replying to the sender with `text`. */
  messagingResponse(text?: string): { contentType: string; body: string } {
    const twiml = new twilio.twiml.MessagingResponse();
    if (text) twiml.message(text);
    return { contentType: 'text/xml; charset=utf-8', body: twiml.toString() };
  }

  /** Frees the keep-alive sockets to the sandbox (the SDK's own agent is global). */
  close(): void {
    this.sandboxClient?.agent.destroy();
  }
}
