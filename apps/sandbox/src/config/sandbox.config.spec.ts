import { ConfigError, parseConfig } from '@omnigate/kit';
import { SandboxEnv } from './sandbox.config';

describe('SandboxEnv', () => {
  it('runs with test defaults and no NATS or database keys', () => {
    const c = parseConfig(SandboxEnv, {});
    expect(c).toMatchObject({
      SANDBOX_PORT: 3100,
      SANDBOX_TWILIO_WEBHOOK_URL: 'http://127.0.0.1:3001/webhooks/twilio/sms',
      SANDBOX_TWILIO_STATUS_DELAY_MS: 50,
      SANDBOX_TWILIO_FAILING_NUMBERS: [],
    });
    expect(c.SANDBOX_TWILIO_ACCOUNT_SID).toMatch(/^AC[0-9a-f]{32}$/);
    expect(c.CORE_BANKING_API_KEY).toBeDefined();
  });

  it('reads the failing numbers as a list', () => {
    const c = parseConfig(SandboxEnv, {
      SANDBOX_TWILIO_FAILING_NUMBERS: '+393471234567, +14155550100,',
    });
    expect(c.SANDBOX_TWILIO_FAILING_NUMBERS).toEqual(['+393471234567', '+14155550100']);
  });

  it('keeps core events in a list unless a webhook URL is given, with a default retry schedule', () => {
    const c = parseConfig(SandboxEnv, {});
    expect(c.SANDBOX_CORE_EVENTS_URL).toBeUndefined();
    expect(c.SANDBOX_CORE_EVENTS_RETRY_MS).toEqual([250, 1000, 4000]);
    const set = parseConfig(SandboxEnv, {
      SANDBOX_CORE_EVENTS_URL: 'http://127.0.0.1:3003/core-banking/events',
      SANDBOX_CORE_EVENTS_SECRET: 'a-long-enough-secret',
      SANDBOX_CORE_EVENTS_RETRY_MS: '10,20',
    });
    expect(set.SANDBOX_CORE_EVENTS_RETRY_MS).toEqual([10, 20]);
    expect(() =>
      parseConfig(SandboxEnv, {
        SANDBOX_CORE_EVENTS_SECRET: 'short',
        SANDBOX_CORE_EVENTS_RETRY_MS: '1s',
      }),
    ).toThrow(
      /SANDBOX_CORE_EVENTS_SECRET[\s\S]*SANDBOX_CORE_EVENTS_RETRY_MS|SANDBOX_CORE_EVENTS_RETRY_MS[\s\S]*SANDBOX_CORE_EVENTS_SECRET/,
    );
  });

  it('lists every bad key', () => {
    try {
      parseConfig(SandboxEnv, {
        SANDBOX_TWILIO_ACCOUNT_SID: 'ACXYZ',
        SANDBOX_TWILIO_WEBHOOK_URL: 'nope',
        SANDBOX_PORT: '-1',
      });
      throw new Error('expected a ConfigError');
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      expect((e as ConfigError).problems).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^SANDBOX_TWILIO_ACCOUNT_SID: must be AC/),
          expect.stringMatching(/^SANDBOX_TWILIO_WEBHOOK_URL:/),
          expect.stringMatching(/^SANDBOX_PORT:/),
        ]),
      );
    }
  });
});
