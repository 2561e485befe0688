import {
  matchThread,
  messageIdsOf,
  plusConversationId,
  replyHeaders,
  replySubject,
} from './threading.mapper';

const CONV = '0b9c2f1e-6a47-4c0e-9a51-3d3c6f1b2a10';
const OTHER = '5f1d7c2a-1b3e-4f5a-8c9d-0e1f2a3b4c5d';
const plus = { base: 'support', domains: ['bank.example'] };

describe('messageIdsOf', () => {
  it('reads one id given as a string and several given as an array (mailparser does both)', () => {
    expect(messageIdsOf('<a@x>')).toEqual(['<a@x>']);
    expect(messageIdsOf(['<a@x>', '<b@y>'])).toEqual(['<a@x>', '<b@y>']);
    expect(messageIdsOf('<a@x> <b@y>\r\n <a@x>')).toEqual(['<a@x>', '<b@y>']);
  });

  it('wraps a bare id and ignores nothing-values', () => {
    expect(messageIdsOf('a@x')).toEqual(['<a@x>']);
    expect(messageIdsOf(undefined)).toEqual([]);
    expect(messageIdsOf('')).toEqual([]);
  });
});

describe('matchThread', () => {
  const known = new Map([
    ['<ours-1@bank.example>', CONV],
    ['<ours-0@bank.example>', OTHER],
  ]);

  it('prefers In-Reply-To', () => {
    expect(
      matchThread(
        {
          inReplyTo: ['<ours-1@bank.example>'],
          references: ['<ours-0@bank.example>'],
          recipients: [],
        },
        known,
        plus,
      ),
    ).toEqual({ conversationId: CONV, by: 'in_reply_to' });
  });

  it('falls back to References, newest first', () => {
    expect(
      matchThread(
        {
          inReplyTo: ['<unknown@client>'],
          references: ['<ours-0@bank.example>', '<ours-1@bank.example>', '<unknown@client>'],
          recipients: [],
        },
        known,
        plus,
      ),
    ).toEqual({ conversationId: CONV, by: 'references' });
  });

  it('then to the plus-address, and to nothing', () => {
    expect(
      matchThread(
        { inReplyTo: [], references: [], recipients: [`support+${CONV}@bank.example`] },
        known,
        plus,
      ),
    ).toEqual({ conversationId: CONV, by: 'plus_address' });
    expect(
      matchThread(
        { inReplyTo: [], references: [], recipients: ['support@bank.example'] },
        known,
        plus,
      ),
    ).toBeNull();
  });
});

describe('plusConversationId', () => {
  it('only reads a UUID tag on our own domains and base address', () => {
    expect(plusConversationId([`SUPPORT+${CONV}@Bank.Example`], 'support', ['bank.example'])).toBe(
      CONV,
    );
    expect(
      plusConversationId([`support+${CONV}@evil.example`], 'support', ['bank.example']),
    ).toBeNull();
    expect(
      plusConversationId([`sales+${CONV}@bank.example`], 'support', ['bank.example']),
    ).toBeNull();
    expect(
      plusConversationId(['support+not-a-uuid@bank.example'], 'support', ['bank.example']),
    ).toBeNull();
  });
});

describe('reply subject and headers', () => {
  it('adds one "Re: " whatever the customer’s client wrote', () => {
    expect(replySubject('Carta bloccata', 'x')).toBe('Re: Carta bloccata');
    expect(replySubject('RE: Carta bloccata', 'x')).toBe('RE: Carta bloccata');
    expect(replySubject('R: Carta bloccata', 'x')).toBe('R: Carta bloccata');
    expect(replySubject('  ', 'Assistenza')).toBe('Assistenza');
  });

  it('threads under the parent: In-Reply-To the parent, References the chain plus the parent', () => {
    expect(replyHeaders({ messageId: '<p@c>', references: ['<root@b>', '<x@b>'] })).toEqual({
      inReplyTo: '<p@c>',
      references: ['<root@b>', '<x@b>', '<p@c>'],
    });
  });

  it('keeps the root and the newest references of a long chain', () => {
    const refs = Array.from({ length: 30 }, (_, i) => `<r${i}@b>`);
    const h = replyHeaders({ messageId: '<p@c>', references: refs });
    expect(h.references).toHaveLength(20);
    expect(h.references[0]).toBe('<r0@b>');
    expect(h.references.at(-1)).toBe('<p@c>');
  });
});
