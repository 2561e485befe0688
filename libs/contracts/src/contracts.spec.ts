import { z } from 'zod';
import {
  ConversationEventV1Schema,
  CustomerContextV1Schema,
  DeadLetterV1Schema,
  DeliveryStatusV1Schema,
  GetContextRequestV1Schema,
  InboundMessageV1Schema,
  OutboundMessageV1Schema,
  SendReplyRequestV1Schema,
  SendReplyResponseV1Schema,
  Subjects,
  TypingSignalV1Schema,
  InappPushV1Schema,
  deliveryStatusV1,
  inboundMsgId,
  isStatusProgress,
  outboundMsgId,
  statusMsgId,
  subjectToken,
  CoreBankingEventV1Schema,
  SealedCardV1Schema,
  SealedObjectV1Schema,
  AppHistoryRequestV1Schema,
  AppHistoryResponseV1Schema,
  VaultCardOfRequestV1Schema,
  VaultCardOfResponseV1Schema,
  VaultRevealRequestV1Schema,
  VaultRevealResponseV1Schema,
  ConsentChangedV1Schema,
  consentChangedEvents,
  consentChangedMsgId,
} from './index';
import { examples } from './examples.fixture';
import { expectGolden as golden } from './golden.fixture';

/** Golden tests: the JSON Schema of every wire contract and every subject name (golden/). */
const schemas: Record<string, z.ZodType> = {
  'inbound-message.v1': InboundMessageV1Schema,
  'outbound-message.v1': OutboundMessageV1Schema,
  'delivery-status.v1': DeliveryStatusV1Schema,
  'conversation-event.v1': ConversationEventV1Schema,
  'customer-context.v1': CustomerContextV1Schema,
  'send-reply-request.v1': SendReplyRequestV1Schema,
  'send-reply-response.v1': SendReplyResponseV1Schema,
  'get-context-request.v1': GetContextRequestV1Schema,
  'typing-signal.v1': TypingSignalV1Schema,
  'inapp-push.v1': InappPushV1Schema,
  'dead-letter.v1': DeadLetterV1Schema,
  'core-banking-event.v1': CoreBankingEventV1Schema,
  'sealed-card.v1': SealedCardV1Schema,
  'sealed-object.v1': SealedObjectV1Schema,
  'app-history-request.v1': AppHistoryRequestV1Schema,
  'app-history-response.v1': AppHistoryResponseV1Schema,
  'vault-reveal-request.v1': VaultRevealRequestV1Schema,
  'vault-reveal-response.v1': VaultRevealResponseV1Schema,
  'vault-card-of-request.v1': VaultCardOfRequestV1Schema,
  'vault-card-of-response.v1': VaultCardOfResponseV1Schema,
  'consent-changed.v1': ConsentChangedV1Schema,
};

describe.each(Object.entries(schemas))('contract %s', (name, schema) => {
  it('matches its golden JSON Schema', () => {
    golden(`${name}.schema.json`, z.toJSONSchema(schema, { io: 'input' }));
  });

  it('accepts its golden example and round-trips it through JSON unchanged', () => {
    const example = examples[name];
    expect(example).toBeDefined();
    const parsed = schema.parse(JSON.parse(JSON.stringify(example)));
    expect(parsed).toEqual(example);
    golden(`${name}.example.json`, example);
  });
});

describe('contract validation', () => {
  it('refuses an inbound message without a version or with inline bytes', () => {
    const { version: _v, ...noVersion } = examples['inbound-message.v1'] as Record<string, unknown>;
    expect(InboundMessageV1Schema.safeParse(noVersion).success).toBe(false);
    const inline = structuredClone(examples['inbound-message.v1']) as {
      attachments: Array<Record<string, unknown>>;
    };
    inline.attachments = [{ kind: 'image', mimeType: 'image/png', size: 3, sha256: null }];
    expect(InboundMessageV1Schema.safeParse(inline).success).toBe(false);
  });

  it('ignores unknown fields at the consumer (tolerant parsing)', () => {
    const extra = { ...(examples['delivery-status.v1'] as object), addedInV1_1: true };
    const parsed = DeliveryStatusV1Schema.parse(extra);
    expect(parsed).not.toHaveProperty('addedInV1_1');
  });

  it('refuses an empty reply text after trimming', () => {
    const r = SendReplyRequestV1Schema.safeParse({
      ...(examples['send-reply-request.v1'] as object),
      text: '   ',
    });
    expect(r.success).toBe(false);
  });
});

describe('subjects (wire contracts)', () => {
  it('match the golden list', () => {
    const id = '7b0f6a2e-3c1d-4e5f-8a9b-0c1d2e3f4a5b';
    golden('subjects.json', {
      inbound: ['sms', 'whatsapp', 'telegram', 'email', 'inapp'].map((c) =>
        Subjects.inbound(c as never),
      ),
      inboundAll: Subjects.inboundAll,
      outbound: Subjects.outbound('sms'),
      outboundAll: Subjects.outboundAll,
      status: Subjects.status('sms'),
      statusAll: Subjects.statusAll,
      conversationEvent: Subjects.conversationEvent(id),
      conversationEventAll: Subjects.conversationEventAll,
      deadLetter: Subjects.deadLetter('MSG_IN', 'router-inbound'),
      deadLetterAll: Subjects.deadLetterAll,
      inappPush: Subjects.inappPush('app-giulia'),
      inappPushAll: Subjects.inappPushAll,
      typing: Subjects.typing(id),
      typingAll: Subjects.typingAll,
      rpc: Subjects.rpc,
      msgIds: [inboundMsgId('sms', 'SM123'), outboundMsgId(id), statusMsgId(id, 'sent')],
    });
  });

  it('keep only safe tokens', () => {
    for (const s of [
      Subjects.inappPush('user@example.com'),
      Subjects.inappPush('a.b>c*'),
      Subjects.deadLetter('X', 'a b'),
    ]) {
      expect(s).toMatch(/^[a-z0-9_.-]+$/i);
    }
    expect(subjectToken('app-giulia')).toBe('app-giulia');
    expect(subjectToken('Giulia.Rossi')).toMatch(/^h[0-9a-f]{32}$/);
  });
});

describe('deliveryStatusV1', () => {
  it('builds a valid status for any channel and cuts the error to the contract limits', () => {
    const s = deliveryStatusV1(
      'inapp',
      '0b6f7f5e-6a1c-4b7e-9d2f-1a2b3c4d5e6f',
      'failed',
      { error: { code: 'X'.repeat(80), reason: 'r'.repeat(900) } },
      '9b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e',
      new Date('2030-01-01T00:00:00Z'),
    );
    expect(DeliveryStatusV1Schema.parse(s)).toEqual(s);
    expect(s).toMatchObject({
      channel: 'inapp',
      state: 'failed',
      occurredAt: '2030-01-01T00:00:00.000Z',
    });
    expect(s.error!.code).toHaveLength(64);
    expect(s.error!.reason).toHaveLength(500);
    expect(s).not.toHaveProperty('providerMessageId');
  });
});

describe('delivery states', () => {
  it('only move forward, failed and read are final', () => {
    expect(isStatusProgress(null, 'queued')).toBe(true);
    expect(isStatusProgress('queued', 'sent')).toBe(true);
    expect(isStatusProgress('delivered', 'sent')).toBe(false);
    expect(isStatusProgress('read', 'delivered')).toBe(false);
    expect(isStatusProgress('sent', 'failed')).toBe(true);
    expect(isStatusProgress('failed', 'delivered')).toBe(false);
  });
});

describe('consentChangedEvents', () => {
  const at = new Date('2030-01-01T10:00:00Z');
  let n = 0;
  const newId = () => `0b6f7f5e-6a1c-4b7e-9d2f-1a2b3c4d5e6${n++}`;
  const identities = [
    { channel: 'sms', address: '+393471234567' },
    { channel: 'sms', address: '+393471234567' },
    { channel: 'telegram', address: '81234567' },
  ];

  it("makes one event per channel naming the customer's addresses there, valid on the wire", () => {
    const events = consentChangedEvents({
      identities,
      changes: [
        { channel: 'sms', purpose: 'service', granted: false },
        { channel: 'sms', purpose: 'marketing', granted: false },
        { channel: 'telegram', purpose: 'marketing', granted: true },
      ],
      source: 'app',
      at,
      newId,
    });
    expect(events.map((e) => [e.channel, e.addresses, e.changes])).toEqual([
      [
        'sms',
        ['+393471234567'],
        [
          { purpose: 'service', granted: false },
          { purpose: 'marketing', granted: false },
        ],
      ],
      ['telegram', ['81234567'], [{ purpose: 'marketing', granted: true }]],
    ]);
    for (const e of events) expect(ConsentChangedV1Schema.parse(e)).toEqual(e);
    expect(consentChangedMsgId('cus-1', events[0]!)).toBe(
      'consent:cus-1:sms:app:2030-01-01T10:00:00.000Z',
    );
  });

  it('makes none for a channel where the customer has no address (nobody to veto)', () => {
    expect(
      consentChangedEvents({
        identities,
        changes: [{ channel: 'email', purpose: 'service', granted: false }],
        source: 'agent',
        at,
        newId,
      }),
    ).toEqual([]);
  });
});
