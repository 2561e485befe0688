import { InappPushV1Schema, OUTBOUND_MESSAGE_V1 } from '@omnigate/contracts';
import type { OutboundMessageV1 } from '@omnigate/contracts';
import { toPush } from './inapp-push.mapper';

const out: OutboundMessageV1 = {
  type: OUTBOUND_MESSAGE_V1,
  version: 1,
  id: '1d2c3b4a-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
  occurredAt: '2030-01-01T12:00:00.000Z',
  channel: 'inapp',
  conversationId: '2e3d4c5b-6f7a-4b8c-9d0e-1f2a3b4c5d6e',
  messageId: '3f4e5d6c-7a8b-4c9d-8e0f-2a3b4c5d6e7f',
  seq: 7,
  to: { address: 'app-user-1' },
  text: 'Buongiorno / Good morning',
  attachments: [],
  author: { kind: 'agent', id: 'agent-9' },
  purpose: 'service',
};

describe('toPush', () => {
  it('addresses the app user and carries the message with its seq and conversation', () => {
    const push = toPush(out);
    expect(InappPushV1Schema.parse(push)).toEqual(push);
    expect(push).toEqual({
      appUserId: 'app-user-1',
      message: {
        id: out.messageId,
        conversationId: out.conversationId,
        seq: 7,
        direction: 'outbound',
        channel: 'inapp',
        kind: 'text',
        text: 'Buongiorno / Good morning',
        attachments: [],
        author: { kind: 'agent', id: 'agent-9' },
        status: 'sent',
        statusError: null,
        clientMsgId: null,
        createdAt: '2030-01-01T12:00:00.000Z',
      },
    });
  });
});
