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
