import { sql } from 'drizzle-orm';
import { DbHandle, VaultAuditRepository } from '@omnigate/store';
import { metricValue } from '@omnigate/testing';
import { cardKnown, startVaultSystem } from './vault-test-system';
import type { VaultSystem } from './vault-test-system';

const REASON = 'chargeback form 2291';

describe('vault: reveal only to an allowed role, every call audited', () => {
  let sys: VaultSystem;
  let ref: string;
  const audit = () => sys.peer.get(VaultAuditRepository);

  beforeAll(async () => {
    sys = await startVaultSystem();
    const card = (await sys.seal('4111 1111 1111 1111')).sealed[0]!;
    await sys.publish(card, 'sms');
    await cardKnown(sys, card.ref);
    ref = card.ref;
  });
  afterAll(async () => {
    await sys?.stop();
  });

  it('refuses an agent (and any role but supervisor and admin), audited as denied', async () => {
    for (const role of ['agent', 'dpo', 'root']) {
      await expect(sys.reveal({ ref, actor: 'alice', role, reason: REASON })).rejects.toMatchObject(
        { code: 'VAULT.ROLE_FORBIDDEN' },
      );
      const [last] = await audit().recent(1, ref);
      expect(last).toMatchObject({
        actor: 'alice',
        action: 'card.reveal',
        subject: ref,
        detail: { role, reason: REASON, outcome: 'denied', code: 'VAULT.ROLE_FORBIDDEN' },
      });
    }
    expect(
      await metricValue(sys.vault, 'omnigate_vault_reveals_total', { outcome: 'denied' }),
    ).toBe(3);
  });

  it('reveals the number to a supervisor and an admin, audited with the reason', async () => {
    for (const [actor, role] of [
      ['sam', 'supervisor'],
      ['ada', 'admin'],
    ] as const) {
      expect(await sys.reveal({ ref, actor, role, reason: REASON })).toEqual({
        pan: '4111111111111111',
        brand: 'visa',
        last4: '1111',
      });
      const [last] = await audit().recent(1, ref);
      expect(last).toMatchObject({
        actor,
        subject: ref,
        detail: {
          role,
          reason: REASON,
          outcome: 'ok',
          channel: 'sms',
          token: (await sys.cardOf(ref)).token,
        },
      });
    }
  });

  it('answers VAULT.NOT_FOUND for a reference it never received, audited too', async () => {
    const unknown = 'ref_aaaabbbbccccddddeeee';
    await expect(
      sys.reveal({ ref: unknown, actor: 'sam', role: 'supervisor', reason: REASON }),
    ).rejects.toMatchObject({ code: 'VAULT.NOT_FOUND' });
    await expect(sys.cardOf(unknown)).rejects.toMatchObject({ code: 'VAULT.NOT_FOUND' });
    expect((await audit().recent(1, unknown))[0]).toMatchObject({
      detail: { outcome: 'not_found', code: 'VAULT.NOT_FOUND' },
    });
  });

  it('keeps no number in the audit, a chain that verifies, and refuses to change it', async () => {
    const all = await audit().recent(100);
    expect(all).toHaveLength(6);
    expect(JSON.stringify(all)).not.toContain('4111111111111111');
    expect(await audit().verify()).toMatchObject({ checked: 6, brokenAt: null, reason: null });
    const db = sys.peer.get(DbHandle).db;
    for (const statement of [
      sql`UPDATE vault_audit SET actor = 'mallory' WHERE seq = 1`,
      sql`DELETE FROM vault_audit WHERE seq = 1`,
      sql`TRUNCATE vault_audit`,
    ]) {
      await expect(db.execute(statement)).rejects.toMatchObject({
        cause: expect.objectContaining({
          message: expect.stringContaining('vault_audit is append-only') as unknown,
        }) as unknown,
      });
    }
    // The owner can switch the trigger off; the chain still shows the change.
    await db.execute(sql`ALTER TABLE vault_audit DISABLE TRIGGER vault_audit_no_change`);
    await db.execute(sql`UPDATE vault_audit SET actor = 'mallory' WHERE seq = 4`);
    await db.execute(sql`ALTER TABLE vault_audit ENABLE TRIGGER vault_audit_no_change`);
    expect(await audit().verify()).toMatchObject({ brokenAt: 4, reason: 'hash_mismatch' });
  });
});
