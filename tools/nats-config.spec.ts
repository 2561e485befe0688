import { readFileSync } from 'node:fs';
import { CHANNELS, REDRIVABLE_STREAMS } from '@omnigate/contracts';
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
      'operator',
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
    // Its inbound partitions (msg.in.v1.sms.p07), and the unpartitioned subject of older builds.
    expect(messageSubjects).toEqual(['msg.in.v1.sms', 'msg.in.v1.sms.*', 'msg.status.v1.sms']);
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

  it('lets the router and the operator redrive dead letters, the console only read the DLQ', () => {
    const of = (user: string) => SERVICE_PERMISSIONS.find((s) => s.user === user)!;
    const redrive = [
      '$JS.API.STREAM.MSG.GET.DLQ',
      '$JS.API.STREAM.MSG.DELETE.DLQ',
      ...REDRIVABLE_STREAMS.map((s) => `$JS.API.STREAM.MSG.GET.${s}`),
      'msg.in.v1.>',
      'msg.status.v1.>',
      'msg.out.v1.>',
    ];
    for (const user of ['router', 'operator']) {
      expect(of(user).publish).toEqual(expect.arrayContaining(redrive));
      // A sealed card for the vault stays the gateways' to publish.
      expect(of(user).publish.some((p) => p.startsWith('card.v1.sealed'))).toBe(false);
    }
    expect(of('router').subscribe).toContain('rpc.v1.router.redrive_dead_letters');
    const consoleUser = of('console');
    expect(consoleUser.publish).toContain('rpc.v1.router.redrive_dead_letters');
    expect(consoleUser.publish).toContain('$JS.API.STREAM.MSG.GET.DLQ');
    expect(consoleUser.publish.filter((p) => /^(msg|core|consent|conv|card)\./.test(p))).toEqual(
      [],
    );
    expect(
      consoleUser.publish.filter((p) => p.includes('MSG.DELETE') || p.includes('MSG.GET.MSG')),
    ).toEqual([]);
    // The operator is a person with a CLI: no stream ownership, no consumer, no KV, and of the
    // RPCs only the journey rebuild (`npm run journeys:rebuild`).
    const operator = of('operator');
    expect(
      operator.publish.filter((p) => /CREATE|UPDATE|PURGE|CONSUMER|^rpc\.|^\$KV/.test(p)),
    ).toEqual(['rpc.v1.router.rebuild_journeys']);
    expect(of('router').subscribe).toContain('rpc.v1.router.rebuild_journeys');
    expect(operator.subscribe).toEqual(['_INBOX.operator.>']);
  });

  it('gives the stream create/update rights to the router only', () => {
    const owners = SERVICE_PERMISSIONS.filter((s) =>
      s.publish.some((p) => p === '$JS.API.STREAM.CREATE.MSG_IN'),
    ).map((s) => s.user);
    expect(owners).toEqual(['router']);
  });
});
