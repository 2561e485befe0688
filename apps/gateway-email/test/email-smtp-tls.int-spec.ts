import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { createTransport } from 'nodemailer';
import { SUPPORT, startEmailSystem, waitInbound } from './email-test-system';
import type { EmailSystem } from './email-test-system';

// A throwaway self-signed pair that ships with the test IMAP server (never a real certificate).
const CERTS = join(__dirname, '..', '..', '..', 'node_modules', 'hoodiecrow-imap', 'cert');

describe('gateway-email SMTP listener with STARTTLS', () => {
  let sys: EmailSystem;

  beforeAll(async () => {
    sys = await startEmailSystem({
      EMAIL_SMTP_TLS_KEY_FILE: join(CERTS, 'server.key'),
      EMAIL_SMTP_TLS_CERT_FILE: join(CERTS, 'server.crt'),
    });
  });
  afterAll(async () => {
    await sys?.stop();
  });

  it('offers STARTTLS and takes mail over the upgraded connection', async () => {
    const transport = createTransport({
      host: '127.0.0.1',
      port: Number(sys.gatewayEnv.EMAIL_SMTP_PORT),
      secure: false,
      requireTLS: true,
      tls: { rejectUnauthorized: false },
    });
    const id = `<${randomUUID()}@mail.example.it>`;
    try {
      const info = (await transport.sendMail({
        from: 'giulia.rossi@example.it',
        to: SUPPORT,
        subject: 'tls',
        text: 'over TLS',
        messageId: id,
      })) as { response: string };
      expect(info.response).toMatch(/^250/);
    } finally {
      transport.close();
    }
    expect((await waitInbound(sys, id)).text).toBe('tls\n\nover TLS');
  });
});
