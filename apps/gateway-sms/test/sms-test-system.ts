import twilio from 'twilio';
import { startGatewaySystem } from '@omnigate/testing';
import type { GatewaySystem, GatewaySystemOptions } from '@omnigate/testing';
import { bootstrap as startGateway } from '../src/bootstrap';
// Tests compose apps in-process, as the all-in-one launcher does; production code never imports another app.
import { bootstrap as startSandbox } from '../../sandbox/src/bootstrap';
// The one source of the deploy permissions (tools/nats-config.spec.ts keeps the committed file equal).
import { deployNatsUsers as deployNatsUsersOf } from '../../../tools/nats-test-users';

export const ACCOUNT_SID = 'AC' + '5e'.repeat(16);
export const AUTH_TOKEN = 'gateway-sms-test-token';
export const OUR_NUMBER = '+390212345678';

export type SmsSystem = GatewaySystem;

/** The SMS gateway on the kit's test system, with the sandbox playing Twilio. */
export function startSmsSystem(
  extraEnv: Record<string, string> = {},
  opts: Pick<
    GatewaySystemOptions,
    'nats' | 'probeAuth' | 'waitReady' | 'probeDeclaresStreams'
  > = {},
): Promise<SmsSystem> {
  return startGatewaySystem({
    channel: 'sms',
    ...opts,
    sandbox: {
      start: startSandbox,
      env: (u) => ({
        SANDBOX_PORT: String(u.sandboxPort),
        SANDBOX_TWILIO_ACCOUNT_SID: ACCOUNT_SID,
        SANDBOX_TWILIO_AUTH_TOKEN: AUTH_TOKEN,
        SANDBOX_TWILIO_WEBHOOK_URL: `${u.gatewayUrl}/webhooks/twilio/sms`,
        SANDBOX_TWILIO_STATUS_DELAY_MS: '20',
      }),
    },
    gateway: {
      start: startGateway,
      env: (u) => ({
        SMS_GATEWAY_PORT: String(u.gatewayPort),
        SMS_PUBLIC_URL: u.gatewayUrl,
        TWILIO_ACCOUNT_SID: ACCOUNT_SID,
        TWILIO_AUTH_TOKEN: AUTH_TOKEN,
        TWILIO_FROM_NUMBER: OUR_NUMBER,
        TWILIO_API_BASE: u.sandboxUrl,
        SMS_SEND_BACKOFF_MS: '150',
        SMS_SEND_MAX_ATTEMPTS: '50',
        ...extraEnv,
      }),
    },
  });
}

/** The deploy's NATS users with random passwords: the gateway runs as `gateway-sms`. */
export const deployNatsUsers = () => deployNatsUsersOf('gateway-sms');

export interface InjectResult {
  messageSid: string;
  status: number;
  body: string;
  contentType: string | null;
}

/** A customer's SMS through the sandbox: signed exactly as Twilio signs it, POSTed to the gateway. */
export async function injectSms(
  sys: SmsSystem,
  from: string,
  body: string,
  extra: Record<string, string> = {},
): Promise<InjectResult> {
  const res = await sandboxControl(sys, 'inbound', { from, to: OUR_NUMBER, body, ...extra });
  if (res.status !== 200) {
    throw new Error(`sandbox inbound failed: ${res.status} ${await res.text()}`);
  }
  return (await res.json()) as InjectResult;
}

/** POSTs a form to the gateway, signed with `token` for the URL (or unsigned with token null). */
export async function postSigned(
  sys: SmsSystem,
  path: string,
  params: Record<string, string>,
  token: string | null = AUTH_TOKEN,
): Promise<Response> {
  const url = sys.gatewayUrl + path;
  return fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(token
        ? { 'x-twilio-signature': twilio.getExpectedTwilioSignature(token, url, params) }
        : {}),
    },
    body: new URLSearchParams(params).toString(),
  });
}

export interface SandboxMessage {
  sid: string;
  to: string;
  from: string | null;
  body: string;
  direction: string;
  status: string;
}

/** What went over the wire to "Twilio": the sandbox's Messages list (its real list endpoint). */
export async function sandboxOutbound(sys: SmsSystem): Promise<SandboxMessage[]> {
  const res = await fetch(
    `${sys.sandboxUrl}/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json?PageSize=1000`,
    {
      headers: {
        authorization: 'Basic ' + Buffer.from(`${ACCOUNT_SID}:${AUTH_TOKEN}`).toString('base64'),
      },
    },
  );
  const page = (await res.json()) as { messages: SandboxMessage[] };
  return page.messages.filter((m) => m.direction === 'outbound-api');
}

export async function sandboxControl(
  sys: SmsSystem,
  path: string,
  body: unknown,
): Promise<Response> {
  return fetch(`${sys.sandboxUrl}/sandbox/twilio/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}
