import { randomBytes, randomUUID } from 'node:crypto';
import type { TestingModule } from '@nestjs/testing';
import { BusPublisher } from '@omnigate/bus';
import { SEALED_CARD_V1, SealedCardV1Schema, Subjects, sealedCardMsgId } from '@omnigate/contracts';
import { CardSealer, HpkeSealer, PanRedactor, generateHpkeKeyPair } from '@omnigate/crypto';
import type { RunningHttpApp } from '@omnigate/kit';
import { AuditLogRepository, VaultAuditRepository, VaultStoreModule } from '@omnigate/store';
import { databaseEnvAs, freePort, pollUntil } from '@omnigate/testing';
import { Test } from '@nestjs/testing';
import { KitModule } from '@omnigate/kit';
// The real vault app beside the console, as in production (tests may compose apps; src never does).
import { bootstrap as startVault } from '../../vault/src/bootstrap';
import { errorOf, startConsole, startRouterDouble } from './console.harness';
import type { ConsoleHarness } from './console.harness';

const PW = { alice: 'alice-pw-8f2c91', sam: 'sam-password-77', ada: 'ada-password-12' };
type Person = keyof typeof PW;

/**
 * POST /api/cards/:ref/reveal through the real vault over NATS: the card was sealed at the edge
 * with the vault's public key and published on the CARDS stream; only the vault can open it.
 */
describe('console: card reveal through the vault', () => {
  let h: ConsoleHarness;
  let vault: RunningHttpApp;
  let vaultEnv: Record<string, string>;
  let edge: TestingModule;
  let vaultDb: TestingModule;
  let ref: string;
  const tokens: Partial<Record<Person, string>> = {};
  const reveal = (who: Person, cardRef: string, body: unknown = { reason: 'chargeback form' }) =>
    h.call('POST', `/api/cards/${cardRef}/reveal`, { token: tokens[who], body });
  const consoleAudit = async () =>
    (await edge.get(AuditLogRepository).search({ action: 'card.reveal', limit: 50 })).reverse();

  beforeAll(async () => {
    h = await startConsole({
      CONSOLE_AGENTS: Object.entries(PW)
        .map(([id, pw]) => `${id}:${pw}`)
        .join(','),
      CONSOLE_ROLES: 'sam:supervisor,ada:admin',
      CONSOLE_RPC_TIMEOUT_MS: '1500',
    });
    const keys = await generateHpkeKeyPair('v1');
    vaultEnv = {
      NATS_URL: h.nats.url,
      ...databaseEnvAs(h.db, 'vault'),
      VAULT_PORT: String(await freePort()),
      VAULT_PRIVATE_KEYS: keys.privateKey,
      VAULT_TOKEN_KEY: randomBytes(32).toString('hex'),
    };
    vault = await startVault(vaultEnv);
    // A gateway's part: seal the card found in the text and publish it (edge holds the PUBLIC key).
    edge = await startRouterDouble(h);
    const sealer = new CardSealer(new PanRedactor(), HpkeSealer.fromConfig(keys.publicKey));
    const { sealed } = await sealer.redactAndSeal('la mia carta 4111 1111 1111 1111');
    const card = sealed[0]!;
    await edge.get(BusPublisher).publish(
      Subjects.sealedCard('sms'),
      SealedCardV1Schema,
      {
        type: SEALED_CARD_V1,
        version: 1,
        id: randomUUID(),
        occurredAt: new Date().toISOString(),
        channel: 'sms',
        ...card,
      },
      { msgId: sealedCardMsgId(card.ref) },
    );
    ref = card.ref;
    vaultDb = await Test.createTestingModule({
      imports: [KitModule, VaultStoreModule.forRoot(h.db.config)],
    }).compile();
    await vaultDb.init();
    for (const who of Object.keys(PW) as Person[]) {
      const res = await h.call('POST', '/api/login', { body: { agentId: who, password: PW[who] } });
      tokens[who] = ((await res.json()) as { token: string }).token;
    }
    await pollUntil(async () => (await reveal('sam', ref)).status === 200, {
      what: 'the vault to take in the sealed card',
    });
  });
  afterAll(async () => {
    await vaultDb?.close();
    await edge?.close();
    await vault?.close().catch(() => undefined);
    await h?.stop();
  });

  it('refuses an agent at the console (403), audited there; the vault is not even asked', async () => {
    const before = (await vaultDb.get(VaultAuditRepository).recent(100)).length;
    expect(await errorOf(await reveal('alice', ref))).toMatchObject({
      status: 403,
      code: 'CONSOLE.ROLE_FORBIDDEN',
    });
    expect((await consoleAudit()).at(-1)).toMatchObject({
      actor: 'alice',
      subject: ref,
      detail: { role: 'agent', outcome: 'denied', code: 'CONSOLE.ROLE_FORBIDDEN' },
    });
    expect(await vaultDb.get(VaultAuditRepository).recent(100)).toHaveLength(before);
  });

  it('reveals the number to a supervisor and an admin, audited by the console and the vault', async () => {
    for (const who of ['sam', 'ada'] as const) {
      const res = await reveal(who, ref);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ pan: '4111111111111111', brand: 'visa', last4: '1111' });
      expect((await consoleAudit()).at(-1)).toMatchObject({
        actor: who,
        subject: ref,
        detail: { outcome: 'ok' },
      });
      expect((await vaultDb.get(VaultAuditRepository).recent(1, ref))[0]).toMatchObject({
        actor: who,
        detail: {
          role: who === 'sam' ? 'supervisor' : 'admin',
          reason: 'chargeback form',
          outcome: 'ok',
        },
      });
    }
    expect(await vaultDb.get(VaultAuditRepository).verify()).toMatchObject({ brokenAt: null });
  });

  it('answers 404 for a reference the vault never received, 400 for a bad request', async () => {
    expect(await errorOf(await reveal('sam', 'ref_aaaabbbbccccddddeeee'))).toMatchObject({
      status: 404,
      code: 'VAULT.NOT_FOUND',
    });
    expect((await reveal('sam', ref, {})).status).toBe(400);
    expect((await reveal('sam', 'not-a-ref')).status).toBe(400);
    expect((await reveal('sam', 'vtk_abcdefghijklmnopabcdefghijklmnop')).status).toBe(400);
  });

  it('answers 503 while the vault is down, and works again when it is back', async () => {
    await vault.close();
    expect(await errorOf(await reveal('sam', ref))).toMatchObject({
      status: 503,
      code: 'BUS.UNAVAILABLE',
    });
    vault = await startVault(vaultEnv);
    expect((await reveal('sam', ref)).status).toBe(200);
  });
});
