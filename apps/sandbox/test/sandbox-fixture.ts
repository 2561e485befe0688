import twilio from 'twilio';
import type { RunningHttpApp } from '@omnigate/kit';
import { bootstrap } from '../src/bootstrap';
import { startWebhookReceiver } from './webhook-receiver';
import type { WebhookReceiver } from './webhook-receiver';

export const ACCOUNT = 'AC' + 'a1'.repeat(16);
export const TOKEN = 'sandbox-test-token-1234';
export const OUR_NUMBER = '+390212345678';
export const CUSTOMER = '+393471234567';
export const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>';

type RequestOpts = Parameters<twilio.RequestClient['request']>[0];

/** The unchanged SDK, pointed at the sandbox the documented way (a custom httpClient). */
export class SandboxRequestClient extends twilio.RequestClient {
  constructor(private readonly base: string) {
    super({ timeout: 5000 });
  }
  override request<T>(opts: RequestOpts & { data?: T }) {
    const u = new URL(opts.uri);
    return super.request<T>({ ...opts, uri: this.base + u.pathname + u.search });
  }
}

export interface SandboxFixture {
  sandbox: RunningHttpApp;
  /** Plays the customer's webhooks (inbound SMS URL and status callback URLs). */
  receiver: WebhookReceiver;
  /** The real twilio SDK, talking to the sandbox. */
  client: twilio.Twilio;
  /** The sandbox's control API: GET without a body, POST JSON with one. */
  control(path: string, body?: unknown): Promise<Response>;
  reset(): Promise<void>;
  stop(): Promise<void>;
}

export async function startSandboxFixture(): Promise<SandboxFixture> {
  const receiver = await startWebhookReceiver((w) =>
    w.url.includes('/sms')
      ? { status: 200, contentType: 'text/xml', body: EMPTY_TWIML }
      : { status: 204 },
  );
  const sandbox = await bootstrap({
    SANDBOX_PORT: '0',
    LOG_LEVEL: 'warn',
    SANDBOX_TWILIO_ACCOUNT_SID: ACCOUNT,
    SANDBOX_TWILIO_AUTH_TOKEN: TOKEN,
    SANDBOX_TWILIO_STATUS_DELAY_MS: '10',
    SANDBOX_TWILIO_WEBHOOK_URL: `${receiver.url}/webhooks/twilio/sms`,
  });
  const control = (path: string, body?: unknown) =>
    fetch(`${sandbox.url}/sandbox/twilio/${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  return {
    sandbox,
    receiver,
    client: twilio(ACCOUNT, TOKEN, { httpClient: new SandboxRequestClient(sandbox.url) }),
    control,
    reset: async () => {
      const res = await control('reset', {});
      if (res.status !== 204) throw new Error(`reset failed: ${res.status}`);
      receiver.received.length = 0;
    },
    stop: async () => {
      await sandbox.close();
      await receiver.close();
    },
  };
}
