import { randomUUID } from 'node:crypto';
import { RouterRequests } from '@omnigate/contracts';
import { AuditLogRepository } from '@omnigate/store';
import { pollUntil } from '@omnigate/testing';
// Test-only: the real router answers the console's unlink, on the same NATS and database, so the
// test covers console → bus → router → database → audit. Production code never imports another app.
import { inbound, startRouterSystem } from '../../router/test/router.harness';
import type { RouterSystem } from '../../router/test/router.harness';
import { errorOf, startConsoleBeside } from './console.harness';
import type { ConsoleBeside } from './console.harness';

const AGENTS = { alice: 'alice-pw-8f2c91', sam: 'sam-password-11', dora: 'dora-password-22' };
const PHONE = '+393471234567';

describe('console: unlinking a customer channel (DELETE /api/customers/:id/identities/:identityId)', () => {
  let sys: RouterSystem;
  let console: ConsoleBeside;
  const call = (method: string, path: string, token: string, body?: unknown) =>
    console.call(token, method, path, body);
  const login = (agentId: keyof typeof AGENTS) => console.login(agentId);
  const sms = async (text: string) => {
    const from = sys.events.length;
    await sys.sendInbound(inbound({ from: { address: PHONE }, text }));
    const e = await pollUntil(
      () =>
        sys.events
          .slice(from)
          .map((x) => x.event)
          .find((x) => x.kind === 'message.created' && x.message.text === text),
      { what: 'the stored SMS' },
    );
    if (e.kind !== 'message.created') throw new Error('unreachable');
    return e.conversation;
  };

  beforeAll(async () => {
    sys = await startRouterSystem();
    console = await startConsoleBeside(sys, AGENTS, { CONSOLE_ROLES: 'sam:supervisor,dora:dpo' });
  });
  afterAll(async () => {
    await console?.app.close();
    await sys?.close();
  });

  it('lets an agent or supervisor (not a dpo) revoke a link with a reason, audited by the router', async () => {
    const conversation = await sms('la carta non va');
    const ctx = await sys.rpc.request(RouterRequests.getContext, {
      conversationId: conversation.id,
    });
    const link = ctx.linkedChannels.find((c) => c.channel === 'sms')!;
    expect(link.linkMethod).toBe('bank_verified_phone');
    const path = `/api/customers/${ctx.customer.id}/identities/${link.identityId}`;

    const dpo = await call('DELETE', path, await login('dora'), { reason: 'not my role' });
    expect(await errorOf(dpo)).toMatchObject({ status: 403, code: 'CONSOLE.ROLE_FORBIDDEN' });
    const alice = await login('alice');
    expect((await errorOf(await call('DELETE', path, alice, {}))).status).toBe(400);
    const other = `/api/customers/${randomUUID()}/identities/${link.identityId}`;
    expect(
      await errorOf(await call('DELETE', other, alice, { reason: 'wrong customer' })),
    ).toMatchObject({ status: 404, code: 'IDENTITY.NOT_FOUND' });

    const res = await call('DELETE', path, alice, { reason: 'the customer changed phone' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ identityId: link.identityId, revoked: true });
    const audit = (await sys.router.app.get(AuditLogRepository).recent(20)).find(
      (a) => a.action === 'identity.unlinked' && a.subject === link.identityId,
    );
    expect(audit).toMatchObject({
      actor: 'alice',
      detail: { channel: 'sms', reason: 'the customer changed phone' },
    });
    expect(JSON.stringify(audit)).not.toContain(PHONE);
    const again = await call('DELETE', path, await login('sam'), { reason: 'clicked twice' });
    expect(await again.json()).toEqual({ identityId: link.identityId, revoked: false });

    // The bank still vouches for the number, so it links again, but as a new link (new id).
    const next = await sms('sono sempre io');
    const nextCtx = await sys.rpc.request(RouterRequests.getContext, { conversationId: next.id });
    expect(nextCtx.linkedChannels.find((c) => c.channel === 'sms')?.identityId).not.toBe(
      link.identityId,
    );
  });
});
