import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Test } from '@nestjs/testing';
import type { TestingModule } from '@nestjs/testing';
import { AckPolicy } from 'nats';
import {
  BusModule,
  BusClient,
  DeadLetterReader,
  NatsConnection,
  Streams,
  isPermissionError,
} from '@omnigate/bus';
import { Subjects, VaultRequests } from '@omnigate/contracts';
import { CommonEnv, KitModule, busOptionsFrom } from '@omnigate/kit';
import { pollUntil } from '@omnigate/testing';
import { startVaultSystem } from './vault-test-system';
import type { VaultSystem } from './vault-test-system';
import { SERVICE_PERMISSIONS } from '../../../tools/nats-permissions';

/**
 * The vault under deploy/nats/nats-users.conf on a real nats-server: it runs as user `vault`, and
 * the other users can do with the vault exactly what tools/nats-permissions.ts says.
 */
const USERS_CONF = join(__dirname, '..', '..', '..', 'deploy', 'nats', 'nats-users.conf');
const passwords = Object.fromEntries(
  SERVICE_PERMISSIONS.map((s) => [s.passwordEnv, 'p' + randomBytes(12).toString('hex')]),
);
const passwordOf = (user: string) =>
  passwords[SERVICE_PERMISSIONS.find((s) => s.user === user)!.passwordEnv]!;
const creds = (user: string) => ({ NATS_USER: user, NATS_PASS: passwordOf(user) });

// database-incidental: who may publish and ask what on NATS; the vault's tables are tested on both
// databases in vault-cards and vault-reveal.

describe('vault permissions on the bus (least-privilege NATS users)', () => {
  let sys: VaultSystem;
  const modules: TestingModule[] = [];
  const as: Record<string, TestingModule> = {};

  async function busAs(url: string, user: string): Promise<TestingModule> {
    const env = CommonEnv.parse({ NATS_URL: url, ...creds(user) });
    const mod = await Test.createTestingModule({
      imports: [
        KitModule,
        BusModule.forRoot({ ...busOptionsFrom(env, user), publishTimeoutMs: 2000 }),
      ],
    }).compile();
    modules.push(mod);
    await mod.init();
    return mod;
  }
  const reveal = (user: string, ref: string) =>
    as[user]!.get(BusClient).request(
      VaultRequests.reveal,
      { ref, actor: 'sam', role: 'supervisor', reason: 'permission test' },
      { timeoutMs: 2000 },
    );
  const cardOf = (user: string, ref: string) =>
    as[user]!.get(BusClient).request(VaultRequests.cardOf, { ref }, { timeoutMs: 2000 });

  beforeAll(async () => {
    sys = await startVaultSystem(creds('vault'), {
      nats: { extraConfig: readFileSync(USERS_CONF, 'utf8'), env: passwords },
      // The gateways' side: the peer publishes sealed cards as gateway-sms.
      peerBus: {
        user: 'gateway-sms',
        pass: passwordOf('gateway-sms'),
        inboxPrefix: '_INBOX.gateway-sms',
      },
      // Only the router may create the streams: it starts first, as in production.
      beforeVault: async (nats) => {
        as.router = await busAs(nats.url, 'router');
      },
    });
    for (const user of ['console', 'gateway-telegram', 'gateway-inapp']) {
      as[user] = await busAs(sys.nats.url, user);
    }
  });
  afterAll(async () => {
    for (const m of modules.reverse()) await m.close().catch(() => undefined);
    await sys?.stop();
  });

  it('takes in what gateway-sms sealed, as user vault, and dead-letters a mismatch', async () => {
    const text = '4111 1111 1111 1111 e 5555 5555 5555 4444';
    const [card, claimsInapp] = (await sys.seal(text)).sealed;
    await sys.publish(card!, 'sms');
    expect(await known('router', card!.ref)).toMatchObject({ brand: 'visa', last4: '1111' });
    // gateway-sms may publish on its own subject only; claiming inapp there is refused by the vault.
    await sys.publish(claimsInapp!, 'inapp', { subject: Subjects.sealedCard('sms') });
    const dead = await pollUntil(
      async () =>
        (await as.console!.get(DeadLetterReader).recent(20)).entries.find((d) =>
          d.payload.includes(claimsInapp!.ref),
        ),
      { what: 'the dead letter of the mismatch' },
    );
    expect(dead).toMatchObject({
      consumer: 'vault-cards',
      error: { code: 'VAULT.CHANNEL_MISMATCH' },
    });
    await expect(sys.publish(card!, 'inapp')).rejects.toMatchObject({
      code: 'BUS.PERMISSION_DENIED',
    });
    // A gateway cannot ask the vault anything.
    await expect(sys.cardOf(card!.ref)).rejects.toMatchObject({ code: 'BUS.PERMISSION_DENIED' });
  });

  it('lets only the console ask for a reveal; the router may ask card_of only', async () => {
    const card = (await sys.seal('4111 1111 1111 1111')).sealed[0]!;
    await sys.publish(card, 'sms');
    await known('console', card.ref);
    expect((await reveal('console', card.ref)).pan).toBe('4111111111111111');
    for (const user of ['router', 'gateway-telegram', 'gateway-inapp']) {
      await expect(reveal(user, card.ref)).rejects.toMatchObject({ code: 'BUS.PERMISSION_DENIED' });
    }
    for (const user of ['gateway-telegram', 'gateway-inapp']) {
      await expect(cardOf(user, card.ref)).rejects.toMatchObject({ code: 'BUS.PERMISSION_DENIED' });
    }
  });

  it("lets only the router ask the vault to erase a customer's cards", async () => {
    const card = (await sys.seal('4111 1111 1111 1111')).sealed[0]!;
    await sys.publish(card, 'sms');
    await known('router', card.ref);
    const erase = (user: string) =>
      as[user]!.get(BusClient).request(
        VaultRequests.eraseCards,
        { refs: [card.ref], actor: 'dora', reason: 'permission test' },
        { timeoutMs: 2000 },
      );
    for (const user of ['console', 'gateway-telegram', 'gateway-inapp']) {
      await expect(erase(user)).rejects.toMatchObject({ code: 'BUS.PERMISSION_DENIED' });
    }
    await expect(cardOf('router', card.ref)).resolves.toMatchObject({ last4: '1111' });
    await expect(erase('router')).resolves.toMatchObject({ refsErased: 1 });
    await expect(cardOf('router', card.ref)).rejects.toMatchObject({ code: 'VAULT.NOT_FOUND' });
  });

  it('lets no gateway, router or console read the sealed cards', async () => {
    for (const user of ['router', 'console', 'gateway-telegram']) {
      const jsm = await as[user]!.get(NatsConnection).manager();
      for (const durable of ['vault-cards', `spy-${user}`]) {
        const err: unknown = await jsm.consumers
          .add(Streams.CARDS.name, {
            durable_name: durable,
            ack_policy: AckPolicy.Explicit,
            filter_subject: Subjects.sealedCardAll,
          })
          .then(
            () => null,
            (e: unknown) => e,
          );
        expect(isPermissionError(err)).toBe(true);
      }
    }
  });

  function known(user: string, ref: string) {
    return pollUntil(() => cardOf(user, ref).catch(() => null), { what: `${ref} in the vault` });
  }
});
