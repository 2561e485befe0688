import type { Provider } from '@nestjs/common';
import { startGatewaySystem } from '@omnigate/testing';
import type { GatewaySystem } from '@omnigate/testing';
import { bootstrap as startGateway } from '../src/bootstrap';
// Tests compose apps in-process, as the all-in-one launcher does; production code never imports another app.
import { bootstrap as startSandbox } from '../../sandbox/src/bootstrap';

export const ACCESS_TOKEN = 'wa-int-test-access-token';
export const APP_SECRET = 'wa-int-test-app-secret';
export const VERIFY_TOKEN = 'wa-int-test-verify-token';
export const PHONE_NUMBER_ID = '106540352242922';
export const OUR_NUMBER = '+390212345678';
export const TWILIO_ACCOUNT_SID = 'AC' + '7a'.repeat(16);
export const TWILIO_AUTH_TOKEN = 'wa-int-test-twilio-token';

export type WhatsAppSystem = GatewaySystem;

export interface SystemOptions {
  provider?: 'cloud' | 'twilio' | 'webjs';
  env?: Record<string, string>;
  /** Provider overrides for the gateway (the web.js fake Client). */
  overrides?: Provider[];
  withSandbox?: boolean;
}

/** The WhatsApp gateway on the kit's test system, with the sandbox playing Meta and Twilio. */
export function startWhatsAppSystem(opts: SystemOptions = {}): Promise<WhatsAppSystem> {
  return startGatewaySystem({
    channel: 'whatsapp',
    ...(opts.withSandbox === false
      ? {}
      : {
          sandbox: {
            start: startSandbox,
            env: (u) => ({
              SANDBOX_PORT: String(u.sandboxPort),
              SANDBOX_WHATSAPP_ACCESS_TOKEN: ACCESS_TOKEN,
              SANDBOX_WHATSAPP_APP_SECRET: APP_SECRET,
              SANDBOX_WHATSAPP_PHONE_NUMBER_ID: PHONE_NUMBER_ID,
              SANDBOX_WHATSAPP_DISPLAY_NUMBER: OUR_NUMBER,
              SANDBOX_WHATSAPP_WEBHOOK_URL: `${u.gatewayUrl}/webhooks/whatsapp`,
              SANDBOX_WHATSAPP_STATUS_DELAY_MS: '20',
              SANDBOX_TWILIO_ACCOUNT_SID: TWILIO_ACCOUNT_SID,
              SANDBOX_TWILIO_AUTH_TOKEN: TWILIO_AUTH_TOKEN,
              SANDBOX_TWILIO_WEBHOOK_URL: `${u.gatewayUrl}/webhooks/twilio/whatsapp`,
              SANDBOX_TWILIO_STATUS_DELAY_MS: '20',
            }),
          },
        }),
    gateway: {
      start: (env) => startGateway(env, opts.overrides),
      env: (u) => ({
        WHATSAPP_GATEWAY_PORT: String(u.gatewayPort),
        WHATSAPP_PUBLIC_URL: u.gatewayUrl,
        WHATSAPP_PROVIDER: opts.provider ?? 'cloud',
        WHATSAPP_GRAPH_BASE: u.sandboxUrl,
        WHATSAPP_PHONE_NUMBER_ID: PHONE_NUMBER_ID,
        WHATSAPP_ACCESS_TOKEN: ACCESS_TOKEN,
        WHATSAPP_APP_SECRET: APP_SECRET,
        WHATSAPP_VERIFY_TOKEN: VERIFY_TOKEN,
        TWILIO_ACCOUNT_SID,
        TWILIO_AUTH_TOKEN,
        TWILIO_WHATSAPP_FROM: OUR_NUMBER,
        TWILIO_API_BASE: u.sandboxUrl,
        WHATSAPP_SEND_BACKOFF_MS: '150',
        WHATSAPP_SEND_MAX_ATTEMPTS: '50',
        ...opts.env,
      }),
    },
  });
}

export async function sandboxPost(
  sys: WhatsAppSystem,
  path: string,
  body: unknown,
): Promise<Response> {
  return fetch(`${sys.sandboxUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

export interface SandboxWhatsApp {
  id: string;
  to: string;
  type: string;
  request: Record<string, unknown>;
  statuses: string[];
}

/** What went over the wire to the fake Graph API. */
export async function sentAtSandbox(sys: WhatsAppSystem): Promise<SandboxWhatsApp[]> {
  const res = await fetch(`${sys.sandboxUrl}/sandbox/whatsapp/messages`);
  return ((await res.json()) as { messages: SandboxWhatsApp[] }).messages;
}
