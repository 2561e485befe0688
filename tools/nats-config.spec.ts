import { readFileSync } from 'node:fs';
import { CHANNELS } from '@omnigate/contracts';
import { NATS_USERS_FILE, renderNatsUsers } from './nats-config';
import { SERVICE_PERMISSIONS } from './nats-permissions';

describe('deploy/nats/nats-users.conf', () => {
  it('is exactly what tools/nats-config.ts generates (run it after changing the table)', () => {
    expect(readFileSync(NATS_USERS_FILE, 'utf8')).toBe(renderNatsUsers());
  });

  it('has one user per service, each with its own password variable and inbox', () => {
    const users = SERVICE_PERMISSIONS.map((s) => s.user);
    expect(users).toEqual([
      'gateway-sms',
      'gateway-inapp',
      'gateway-telegram',
      'gateway-whatsapp',
      'gateway-email',
      'router',
      'console',
      'vault',
    ]);
    expect(new Set(SERVICE_PERMISSIONS.map((s) => s.passwordEnv)).size).toBe(users.length);
    for (const s of SERVICE_PERMISSIONS) {
      expect(s.subscribe).toContain(`_INBOX.${s.user}.>`);
      expect(s.subscribe).not.toContain('_INBOX.>');
    }
  });

  it('lets a gateway publish only its own inbound and status, and read nothing inbound', () => {
    const sms = SERVICE_PERMISSIONS.find((s) => s.user === 'gateway-sms');
    expect(sms?.publish).toContain('msg.in.v1.sms');
    expect(sms?.publish).toContain('msg.status.v1.sms');
    const messageSubjects = sms?.publish.filter((p) => p.startsWith('msg.')) ?? [];
    expect(messageSubjects).toEqual(['msg.in.v1.sms', 'msg.status.v1.sms']);
    expect(sms?.subscribe.some((p) => p.startsWith('msg.'))).toBe(false);
    // It creates only its own KV buckets' streams (the kit's opt-out list and sent ledger).
    expect(sms?.publish.filter((p) => p.includes('STREAM.CREATE'))).toEqual([
      '$JS.API.STREAM.CREATE.KV_sms_vetoes',
      '$JS.API.STREAM.CREATE.KV_sms_ledger',
    ]);
  });

  it('gives every gateway the kit: its own send and consent consumers, opt-out list and ledger', () => {
    for (const channel of CHANNELS) {
      const g = SERVICE_PERMISSIONS.find((s) => s.user === `gateway-${channel}`)!;
      expect(g.publish).toEqual(
        expect.arrayContaining([
          `$JS.API.CONSUMER.CREATE.MSG_OUT.gateway-${channel}-send.msg.out.v1.${channel}`,
          `$JS.API.CONSUMER.CREATE.CONSENT_EVENTS.gateway-${channel}-consent.consent.v1.changed.${channel}`,
          `$KV.${channel}_vetoes.>`,
          `$KV.${channel}_ledger.>`,
        ]),
      );
      // Only its own channel's consumers: no other filter, no other channel's durable.
      const consumers = g.publish.filter((p) => p.includes('CONSUMER.CREATE.MSG_OUT'));
      expect(consumers).toEqual([
        `$JS.API.CONSUMER.CREATE.MSG_OUT.gateway-${channel}-send.msg.out.v1.${channel}`,
      ]);
    }
  });

  it('lets only the vault read sealed cards and serve reveal; only the console ask for a reveal', () => {
    const who = (pred: (s: (typeof SERVICE_PERMISSIONS)[number]) => boolean) =>
      SERVICE_PERMISSIONS.filter(pred).map((s) => s.user);
    expect(who((s) => s.publish.some((p) => p.includes('CONSUMER.CREATE.CARDS')))).toEqual([
      'vault',
    ]);
    expect(who((s) => s.subscribe.includes('rpc.v1.vault.reveal'))).toEqual(['vault']);
    expect(who((s) => s.publish.includes('rpc.v1.vault.reveal'))).toEqual(['console']);
    expect(who((s) => s.publish.includes('rpc.v1.vault.card_of'))).toEqual(['router', 'console']);
    const vault = SERVICE_PERMISSIONS.find((s) => s.user === 'vault')!;
    expect(vault.publish.filter((p) => !p.startsWith('$JS.'))).toEqual([
      expect.stringMatching(/^dlq\.v1\./),
    ]);
  });

  it('gives the stream create/update rights to the router only', () => {
    const owners = SERVICE_PERMISSIONS.filter((s) =>
      s.publish.some((p) => p === '$JS.API.STREAM.CREATE.MSG_IN'),
    ).map((s) => s.user);
    expect(owners).toEqual(['router']);
  });
});
