import type { CustomerExportV1 } from '@omnigate/contracts';
import { CustomerDataRpcHandler } from './customer-data-rpc.handler';
import type { CustomerErasureService } from './customer-erasure.service';
import type { CustomerExportService } from './customer-export.service';

const bundle = (text: string): CustomerExportV1 => ({
  format: 'omnigate.customer-export.v1',
  customerId: '00000000-0000-4000-8000-000000000001',
  exportedAt: new Date(0).toISOString(),
  erased: false,
  customer: null,
  identities: [],
  conversations: [],
  messages: [
    {
      id: '00000000-0000-4000-8000-000000000002',
      conversationId: '00000000-0000-4000-8000-000000000003',
      seq: 1,
      direction: 'inbound',
      channel: 'sms',
      kind: 'text',
      text,
      address: '+390000000000',
      attachments: [],
      author: { kind: 'customer', id: null },
      status: null,
      statusHistory: [],
      createdAt: new Date(0).toISOString(),
    },
  ],
  tickets: [],
  facts: [],
  fraudAlerts: [],
  approvals: [],
  consents: [],
  identityProofs: [],
  vaultCards: [],
});

describe('CustomerDataRpcHandler: an export fits one bus reply or is refused with the reason', () => {
  const handlerFor = (b: CustomerExportV1) =>
    new CustomerDataRpcHandler(
      { export: () => Promise.resolve(b) } as unknown as CustomerExportService,
      {} as CustomerErasureService,
    );
  const req = { customerId: '00000000-0000-4000-8000-000000000001', actor: 'dora' };

  it('answers a bundle that fits', async () => {
    await expect(handlerFor(bundle('ciao')).exportCustomer(req)).resolves.toMatchObject({
      messages: [{ text: 'ciao' }],
    });
  });

  it('refuses one over the limit with PRIVACY.EXPORT_TOO_LARGE (413), never a lost reply', async () => {
    await expect(
      handlerFor(bundle('x'.repeat(1_000_000))).exportCustomer(req),
    ).rejects.toMatchObject({ code: 'PRIVACY.EXPORT_TOO_LARGE' });
  });
});
