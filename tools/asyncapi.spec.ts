import { readFileSync } from 'node:fs';
import Ajv from 'ajv';
import type { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { load } from 'js-yaml';
import {
  AllRequests,
  BroadcastSubjects,
  ChannelStreams,
  StreamSubjects,
  Subjects,
} from '@omnigate/contracts';
import type { BroadcastDeclaration, StreamDeclaration } from '@omnigate/contracts';
import { ALL_STREAMS } from '@omnigate/bus';
import { AppError } from '@omnigate/kit';
import { examples } from '../libs/contracts/src/examples.fixture';
import { toRpcError } from '../libs/bus/src/rpc-reply';
import { EVENT_CHANNELS } from './asyncapi-channels';
import { msgIdTemplate } from './asyncapi-document.mapper';
import { ASYNCAPI_FILE, asyncApiDocument, renderAsyncApi } from './asyncapi';
import { covers, overlaps, wildcardOf } from './asyncapi-subjects.mapper';

type Json = Record<string, unknown>;

const doc = asyncApiDocument();

/** A step into the generated document; a missing step fails the test that takes it. */
function at(value: unknown, ...path: string[]): Json {
  let here = value;
  for (const key of path) {
    if (typeof here !== 'object' || here === null || !(key in here)) {
      throw new Error(`no ${path.join('.')} in the document`);
    }
    here = (here as Json)[key];
  }
  return here as Json;
}

function usersOf(operation: string, key: string): string[] {
  const op = at(doc, 'operations', operation);
  return ((op[key] ?? []) as Json[]).map((g) => g.user as string);
}

/** A validator for payloads of this document, `#/components/...` references resolved in it. */
function payloadValidator(schema: object): ValidateFunction {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  return ajv.compile({ ...schema, components: at(doc, 'components') });
}

describe('docs/asyncapi.yaml', () => {
  it('is what `node -r @swc-node/register tools/asyncapi.ts` writes (run it after a contract change)', () => {
    expect(readFileSync(ASYNCAPI_FILE, 'utf8')).toBe(renderAsyncApi());
  });

  it('is a valid AsyncAPI 3.0 document (the official JSON Schema of @asyncapi/specs)', () => {
    const spec = JSON.parse(
      readFileSync(require.resolve('@asyncapi/specs/schemas/3.0.0.json'), 'utf8'),
    ) as object;
    // The bundled schema embeds the draft-07 meta-schema under its own id: ajv must not add its own.
    const ajv = new Ajv({ strict: false, allErrors: true, meta: false, validateSchema: false });
    addFormats(ajv);
    const validate = ajv.compile(spec);
    const written = load(readFileSync(ASYNCAPI_FILE, 'utf8'));
    expect(validate(written) ? [] : validate.errors).toEqual([]);
    // The validator is not a yes-machine: a wrong action or payload type is refused.
    const broken = structuredClone(doc);
    at(broken, 'operations', 'request_sendReply').action = 'publish';
    at(broken, 'components', 'schemas', 'InboundMessageV1').type = 42;
    expect(validate(broken)).toBe(false);
  });
});

describe('AsyncAPI coverage', () => {
  it('lists every declared event subject once, with the JetStream stream that stores it', () => {
    const declared: Array<StreamDeclaration | BroadcastDeclaration> = [
      ...Object.values(StreamSubjects),
      ...Object.values(ChannelStreams).flatMap((byChannel) =>
        Object.values(byChannel as Record<string, StreamDeclaration>),
      ),
      ...Object.values(BroadcastSubjects),
    ];
    const listed = EVENT_CHANNELS.flatMap((c) => c.declarations);
    expect(new Set(listed).size).toBe(listed.length);
    expect(new Set(listed)).toEqual(new Set(declared));
    for (const d of declared) {
      if (d.kind !== 'stream') continue;
      const channel = EVENT_CHANNELS.find((c) => c.declarations.includes(d))!;
      expect(at(doc, 'channels', channel.id, 'x-jetstream').stream).toBe(d.stream);
    }
  });

  it('gives every JetStream stream of libs/bus its channels (nothing stored undocumented)', () => {
    const stored = Object.values(at(doc, 'channels') as Record<string, Json>)
      .map((c) => (c['x-jetstream'] as Json | undefined)?.stream as string | undefined)
      .filter(Boolean);
    expect([...new Set(stored)].sort()).toEqual(ALL_STREAMS.map((s) => s.name).sort());
  });

  it('lists every request subject with its caller and exactly one serving service', () => {
    expect(
      Object.values(AllRequests)
        .map((d) => d.subject)
        .sort(),
    ).toEqual(Object.values(Subjects.rpc).sort());
    for (const [key, d] of Object.entries(AllRequests)) {
      expect(at(doc, 'channels', `rpc_${key}`).address).toBe(d.subject);
      const servers = usersOf(`serve_${key}`, 'x-nats-subscribers');
      expect(servers).toHaveLength(1);
      expect(at(doc, 'operations', `serve_${key}`, 'bindings', 'nats').queue).toBe(servers[0]);
      expect(usersOf(`request_${key}`, 'x-nats-publishers').length).toBeGreaterThan(0);
    }
  });

  it('names who may publish and who reads each event subject, from the NATS permissions', () => {
    expect(usersOf('publish_inbound', 'x-nats-publishers')).toEqual(
      expect.arrayContaining(['gateway-sms', 'gateway-email']),
    );
    expect(usersOf('publish_inbound', 'x-nats-publishers')).not.toContain('console');
    expect(usersOf('receive_outbound', 'x-jetstream-consumers')).toHaveLength(5);
    expect(usersOf('receive_sealedCards', 'x-jetstream-consumers')).toEqual(['vault']);
    expect(usersOf('publish_sealedCards', 'x-nats-publishers')).not.toContain('router');
    expect(usersOf('receive_typing', 'x-nats-subscribers').sort()).toEqual([
      'console',
      'gateway-inapp',
    ]);
  });
});

describe('AsyncAPI messages against the contracts’ golden examples', () => {
  const exampleOf: Record<string, string> = {
    InboundMessageV1: 'inbound-message.v1',
    OutboundMessageV1: 'outbound-message.v1',
    DeliveryStatusV1: 'delivery-status.v1',
    ConversationEventV1: 'conversation-event.v1',
    CoreBankingEventV1: 'core-banking-event.v1',
    SealedCardV1: 'sealed-card.v1',
    ConsentChangedV1: 'consent-changed.v1',
    DeadLetterV1: 'dead-letter.v1',
    TypingSignalV1: 'typing-signal.v1',
    InappPushV1: 'inapp-push.v1',
  };

  it.each(EVENT_CHANNELS.map((c) => [c.id, c] as const))(
    '%s: the payload schema accepts the example, published on a subject of the address',
    (_id, channel) => {
      const example = examples[exampleOf[channel.message]!];
      expect(example).toBeDefined();
      const validate = payloadValidator(at(doc, 'components', 'schemas', channel.message));
      expect(validate(example) ? [] : validate.errors).toEqual([]);
      const d = channel.declarations[0]!;
      const subject =
        d.kind === 'stream' && d.publishSubject ? d.publishSubject(example) : d.subject;
      expect(overlaps(wildcardOf(channel.address.address), subject)).toBe(true);
      const stored = at(doc, 'channels', channel.id)['x-jetstream'] as Json | undefined;
      if (stored) expect((stored.subjects as string[]).some((f) => covers(f, subject))).toBe(true);
    },
  );

  it('shows how each stored message gets its Nats-Msg-Id, and where traceparent goes', () => {
    expect(msgIdTemplate(StreamSubjects.inbound)).toBe('{channel}:{providerMessageId}');
    expect(msgIdTemplate(StreamSubjects.deadLetters)).toBe('dlq:{stream}:{consumer}:{streamSeq}');
    expect(msgIdTemplate(ChannelStreams.consentChanged.sms)).toBeNull();
    const header = at(doc, 'components', 'messages', 'InboundMessageV1', 'headers');
    expect(header.required).toEqual(['Nats-Msg-Id']);
    expect(at(header, 'properties', 'Nats-Msg-Id').description).toContain('{providerMessageId}');
    // The example of the W3C Trace Context recommendation matches; a bare trace id does not.
    const traceparent = new RegExp(at(header, 'properties', 'traceparent').pattern as string);
    expect(traceparent.test('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01')).toBe(true);
    expect(traceparent.test('4bf92f3577b34da6a3ce929d0e0e4736')).toBe(false);
    expect(at(doc, 'components', 'messages', 'SendReplyRequest', 'headers', 'properties')).toEqual({
      traceparent: at(header, 'properties', 'traceparent'),
    });
    expect(at(doc, 'components', 'messages', 'TypingSignalV1').headers).toBeUndefined();
  });

  it('describes the reply envelope the bus sends (a result, or an error with its code)', () => {
    const validate = payloadValidator(
      at(doc, 'components', 'messages', 'GetContextReply', 'payload'),
    );
    expect(validate({ ok: true, data: examples['customer-context.v1'] })).toBe(true);
    const refused = toRpcError(new AppError('CARD.NOT_FOUND', 'no such card'));
    expect(validate({ ok: false, error: refused })).toBe(true);
    expect(validate({ ok: true, data: { nonsense: 1 } })).toBe(false);
    expect(validate({ ok: false, error: { code: 'X' } })).toBe(false);
  });
});
