import { ConfigError, parseConfig } from '@omnigate/kit';
import { GatewayWhatsAppEnv } from './gateway-whatsapp.config';

const VAULT = { VAULT_PUBLIC_KEY: 'vault-1:' + 'A'.repeat(43) };

describe('GatewayWhatsAppEnv', () => {
  it('cloud (the default) needs the phone number id, token, app secret and verify token', () => {
    try {
      parseConfig(GatewayWhatsAppEnv, { ...VAULT });
      throw new Error('should have failed');
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      const msg = (e as ConfigError).message;
      for (const key of [
        'WHATSAPP_PHONE_NUMBER_ID',
        'WHATSAPP_ACCESS_TOKEN',
        'WHATSAPP_APP_SECRET',
        'WHATSAPP_VERIFY_TOKEN',
      ]) {
        expect(msg).toContain(key);
      }
    }
  });

  it('twilio needs its account, token and WhatsApp sender; webjs needs nothing more and defaults to Debian chromium', () => {
    expect(() =>
      parseConfig(GatewayWhatsAppEnv, { ...VAULT, WHATSAPP_PROVIDER: 'twilio' }),
    ).toThrow(/TWILIO_WHATSAPP_FROM/);
    const c = parseConfig(GatewayWhatsAppEnv, {
      ...VAULT,
      WHATSAPP_PROVIDER: 'webjs',
      // Not a gateway's key: the web.js session folder is its own setting.
      DATA_DIR: '/var/lib/og',
    });
    expect(c).toMatchObject({
      WHATSAPP_GATEWAY_PORT: 3005,
      WHATSAPP_WEBJS_CHROMIUM_PATH: '/usr/bin/chromium',
      WHATSAPP_WEBJS_DATA_PATH: '.data/wwebjs_auth',
      WHATSAPP_PUBLIC_URL: 'http://127.0.0.1:3005',
    });
    expect(c).not.toHaveProperty('DATA_DIR');
  });
});

describe('GatewayWhatsAppEnv with NODE_ENV=production', () => {
  const cloud = {
    ...VAULT,
    NODE_ENV: 'production',
    WHATSAPP_PHONE_NUMBER_ID: '106540352242922',
    WHATSAPP_ACCESS_TOKEN: 'EAA' + 'x'.repeat(40),
    WHATSAPP_APP_SECRET: 'a'.repeat(32),
    WHATSAPP_VERIFY_TOKEN: 'v'.repeat(32),
    NATS_USER: 'gateway-whatsapp',
    NATS_PASS: 'nats-password',
  };
  const keysOf = (env: Record<string, string>) => {
    try {
      parseConfig(GatewayWhatsAppEnv, env);
      return [];
    } catch (e) {
      return (e as ConfigError).problems.map((p) => p.split(':')[0]).sort();
    }
  };

  it('refuses the sandbox Graph API and its access token', () => {
    expect(
      keysOf({
        ...cloud,
        WHATSAPP_GRAPH_BASE: 'http://127.0.0.1:3100',
        WHATSAPP_ACCESS_TOKEN: 'sandbox-whatsapp-access-token',
      }),
    ).toEqual(['WHATSAPP_ACCESS_TOKEN', 'WHATSAPP_GRAPH_BASE']);
  });

  it('twilio: requires the public URL Twilio signs', () => {
    const twilio = {
      ...VAULT,
      NODE_ENV: 'production',
      WHATSAPP_PROVIDER: 'twilio',
      TWILIO_ACCOUNT_SID: 'AC' + '1f'.repeat(16),
      TWILIO_AUTH_TOKEN: 't'.repeat(32),
      TWILIO_WHATSAPP_FROM: '+390212345678',
      NATS_TOKEN: 'nats-token',
    };
    expect(keysOf(twilio)).toEqual(['WHATSAPP_PUBLIC_URL']);
    expect(keysOf({ ...twilio, WHATSAPP_PUBLIC_URL: 'https://wa.bank.example' })).toEqual([]);
  });

  it('starts with real values (Meta Graph API by default)', () => {
    expect(keysOf(cloud)).toEqual([]);
  });
});
