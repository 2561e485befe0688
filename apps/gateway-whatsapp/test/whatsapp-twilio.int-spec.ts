import twilio from 'twilio';
import { pollUntil } from '@omnigate/testing';
import {
  OUR_NUMBER,
  TWILIO_ACCOUNT_SID,
  TWILIO_AUTH_TOKEN,
  sandboxPost,
  startWhatsAppSystem,
} from './whatsapp-test-system';
import type { WhatsAppSystem } from './whatsapp-test-system';

interface TwilioMessage {
  sid: string;
  to: string;
  from: string | null;
  body: string;
  direction: string;
}

describe('gateway-whatsapp (Twilio WhatsApp) against the sandbox’s Twilio stand-in', () => {
  let sys: WhatsAppSystem;

  beforeAll(async () => {
    sys = await startWhatsAppSystem({ provider: 'twilio' });
  });
  afterAll(async () => {
    await sys?.stop();
  });

  const inject = async (from: string, body: string) => {
    const res = await sandboxPost(sys, '/sandbox/twilio/inbound', {
      from: `whatsapp:${from}`,
      to: `whatsapp:${OUR_NUMBER}`,
      body,
    });
    expect(res.status).toBe(200);
    return (await res.json()) as { messageSid: string; status: number; contentType: string };
  };
  const sentTo = async (to: string): Promise<TwilioMessage[]> => {
    const res = await fetch(
      `${sys.sandboxUrl}/2010-04-01/Accounts/${TWILIO_ACCOUNT_SID}/Messages.json?PageSize=1000`,
      {
        headers: {
          authorization:
            'Basic ' + Buffer.from(`${TWILIO_ACCOUNT_SID}:${TWILIO_AUTH_TOKEN}`).toString('base64'),
        },
      },
    );
    const page = (await res.json()) as { messages: TwilioMessage[] };
    return page.messages.filter((m) => m.direction === 'outbound-api' && m.to === to);
  };

  it('publishes a signed inbound WhatsApp with the whatsapp: prefix stripped (E.164 address)', async () => {
    const res = await inject('+393471234567', 'Ciao dalla chat');
    expect(res.status).toBe(200);
    expect(res.contentType).toMatch(/xml/);
    const msg = await pollUntil(
      async () => (await sys.inbound()).find((m) => m.providerMessageId === res.messageSid),
      { what: 'the Twilio WhatsApp message on the bus' },
    );
    expect(msg).toMatchObject({
      channel: 'whatsapp',
      from: { address: '+393471234567' },
      to: { address: OUR_NUMBER },
      text: 'Ciao dalla chat',
      meta: { provider: 'twilio' },
    });
  });

  it('refuses a webhook with a wrong X-Twilio-Signature: 403, nothing published', async () => {
    const before = (await sys.inbound()).length;
    const url = `${sys.gatewayUrl}/webhooks/twilio/whatsapp`;
    const params = {
      MessageSid: 'SM' + 'ab'.repeat(16),
      From: 'whatsapp:+393471234567',
      To: `whatsapp:${OUR_NUMBER}`,
      Body: 'forged',
    };
    const res = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': twilio.getExpectedTwilioSignature('not-the-token', url, params),
      },
      body: new URLSearchParams(params).toString(),
    });
    expect(res.status).toBe(403);
    expect(await sys.inbound()).toHaveLength(before);
  });

  it('sends within the window through the twilio SDK with whatsapp: addresses; statuses come back', async () => {
    const to = '+393476660001';
    await inject(to, 'Mi serve aiuto');
    const msg = await sys.publishOutbound(to, 'Eccoci, come possiamo aiutarla?');
    await sys.waitForStatus(msg.messageId, 'delivered');
    const [wire] = await sentTo(`whatsapp:${to}`);
    expect(wire).toMatchObject({
      from: `whatsapp:${OUR_NUMBER}`,
      body: 'Eccoci, come possiamo aiutarla?',
    });
    const states = (await sys.statuses(msg.messageId)).map((s) => s.state);
    expect(states).toEqual(expect.arrayContaining(['queued', 'sent', 'delivered']));
    for (const s of await sys.statuses(msg.messageId)) {
      expect(s.providerMessageId).toBe(wire!.sid);
    }
  });

  it('outside the window: failed with the clear reason, nothing sent to Twilio', async () => {
    const to = '+393476660002';
    const msg = await sys.publishOutbound(to, 'Promemoria');
    const failed = await sys.waitForStatus(msg.messageId, 'failed');
    expect(failed.error?.code).toBe('WHATSAPP.OUTSIDE_24H_WINDOW');
    expect(await sentTo(`whatsapp:${to}`)).toHaveLength(0);
  });

  it('outside the window with a template: sent as a Content SID with its variables', async () => {
    const to = '+393476660003';
    const msg = await sys.publishOutbound(to, 'Promemoria', {
      template: { name: 'HX' + '0'.repeat(32), language: 'it', params: ['Giulia'] },
    });
    await sys.waitForStatus(msg.messageId, 'queued');
    const [wire] = await sentTo(`whatsapp:${to}`);
    expect(wire!.body).toBe(`content HX${'0'.repeat(32)} {"1":"Giulia"}`);
  });
});
