import {
  MAX_MESSAGE_LENGTH,
  fatalError,
  firstError,
  readStartupFrame,
  readTypedFrames,
  readyForQuery,
  readyStatusAtEnd,
  simpleQuery,
  syncMessage,
} from './wire-frames.mapper';

function startupPacket(params: Record<string, string>, version = 196608): Buffer {
  const body = Buffer.from(
    Object.entries(params)
      .map(([k, v]) => `${k}\0${v}\0`)
      .join('') + '\0',
    'utf8',
  );
  const head = Buffer.alloc(8);
  head.writeInt32BE(8 + body.length, 0);
  head.writeInt32BE(version, 4);
  return Buffer.concat([head, body]);
}

function code(n: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeInt32BE(8, 0);
  b.writeInt32BE(n, 4);
  return b;
}

describe('readStartupFrame', () => {
  it('reads the user and database of a 3.0 startup packet', () => {
    const packet = startupPacket({ user: 'omnigate_router', database: 'postgres' });
    expect(readStartupFrame(packet)).toEqual({
      kind: 'startup',
      length: packet.length,
      params: { user: 'omnigate_router', database: 'postgres' },
    });
  });

  it('waits for the rest of a packet that came in pieces', () => {
    const packet = startupPacket({ user: 'u' });
    expect(readStartupFrame(packet.subarray(0, 5))).toEqual({ kind: 'incomplete' });
    expect(readStartupFrame(packet.subarray(0, packet.length - 1))).toEqual({ kind: 'incomplete' });
  });

  it('tells SSL, GSS encryption and cancel requests apart', () => {
    expect(readStartupFrame(code(80877103))).toEqual({ kind: 'ssl' });
    expect(readStartupFrame(code(80877104))).toEqual({ kind: 'gss' });
    const cancel = Buffer.alloc(16);
    cancel.writeInt32BE(16, 0);
    cancel.writeInt32BE(80877102, 4);
    expect(readStartupFrame(cancel)).toEqual({ kind: 'cancel', length: 16 });
  });

  it('refuses another protocol version and a length out of bounds, with SQLSTATEs', () => {
    expect(readStartupFrame(startupPacket({ user: 'u' }, 2 << 16))).toEqual({
      kind: 'invalid',
      sqlState: '0A000',
      message: 'unsupported frontend protocol 2.0: only 3.0 is served',
    });
    const huge = code(196608);
    huge.writeInt32BE(20_000, 0);
    expect(readStartupFrame(huge)).toMatchObject({ kind: 'invalid', sqlState: '08P01' });
    const tiny = code(196608);
    tiny.writeInt32BE(3, 0);
    expect(readStartupFrame(tiny)).toMatchObject({ kind: 'invalid', sqlState: '08P01' });
  });
});

describe('readTypedFrames', () => {
  it('counts whole messages and leaves a partial one for the next read', () => {
    const two = Buffer.concat([simpleQuery('SELECT 1'), syncMessage()]);
    const partial = simpleQuery('SELECT 2').subarray(0, 7);
    expect(readTypedFrames(Buffer.concat([two, partial]))).toEqual({
      kind: 'frames',
      types: ['Q', 'S'],
      bytes: two.length,
    });
  });

  it('refuses a length that cannot be', () => {
    const bad = Buffer.from([0x51, 0, 0, 0, 2]);
    expect(readTypedFrames(bad)).toEqual({
      kind: 'invalid',
      sqlState: '08P01',
      message: 'invalid message length 2',
    });
    const huge = Buffer.alloc(5);
    huge.write('Q', 0, 'latin1');
    huge.writeInt32BE(MAX_MESSAGE_LENGTH + 1, 1);
    expect(readTypedFrames(huge)).toMatchObject({ kind: 'invalid', sqlState: '08P01' });
  });
});

describe('readyStatusAtEnd', () => {
  it('reads the status of a reply that ends with ReadyForQuery', () => {
    const rows = Buffer.from([0x43, 0, 0, 0, 4]);
    expect(readyStatusAtEnd(Buffer.concat([rows, readyForQuery('I')]))).toBe('I');
    expect(readyStatusAtEnd(readyForQuery('T'))).toBe('T');
    expect(readyStatusAtEnd(readyForQuery('E'))).toBe('E');
  });

  it('is null while the client has not sent Sync (no ReadyForQuery at the end)', () => {
    const parseComplete = Buffer.from([0x31, 0, 0, 0, 4]);
    expect(readyStatusAtEnd(parseComplete)).toBeNull();
    expect(readyStatusAtEnd(new Uint8Array())).toBeNull();
  });
});

describe('firstError', () => {
  it('finds the SQLSTATE and text of an ErrorResponse after other messages', () => {
    const reply = Buffer.concat([
      Buffer.from([0x31, 0, 0, 0, 4]),
      fatalError('42704', 'role "x" does not exist'),
      readyForQuery('I'),
    ]);
    expect(firstError(reply)).toEqual({ code: '42704', message: 'role "x" does not exist' });
  });

  it('is null for a reply without one', () => {
    expect(firstError(readyForQuery('I'))).toBeNull();
  });
});
