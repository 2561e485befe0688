/**
 * The few PostgreSQL wire-protocol (v3) frames the PGlite server reads or writes itself: the
 * connection start (SSL and GSS requests, cancel, startup) and the backend's replies to it. Every
 * other message goes to PGlite as it came. Layouts: PostgreSQL docs, "Message Formats".
 */

/** Startup packets carry a code instead of a type byte. */
const PROTOCOL_3 = 196608;
const SSL_REQUEST = 80877103;
const GSS_ENC_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;

/** PostgreSQL refuses a startup packet over 10000 bytes; a typed message is capped far below 1 GB here. */
const MAX_STARTUP_LENGTH = 10_000;
export const MAX_MESSAGE_LENGTH = 256 * 1024 * 1024;

export type StartupFrame =
  | { kind: 'incomplete' }
  | { kind: 'ssl' }
  | { kind: 'gss' }
  | { kind: 'cancel'; length: number }
  | { kind: 'startup'; length: number; params: Record<string, string> }
  | { kind: 'invalid'; sqlState: string; message: string };

/** The first frame of a connection (no type byte: length, then a code or the protocol version). */
export function readStartupFrame(buf: Buffer): StartupFrame {
  if (buf.length < 8) return { kind: 'incomplete' };
  const length = buf.readInt32BE(0);
  if (length < 8 || length > MAX_STARTUP_LENGTH) {
    return {
      kind: 'invalid',
      sqlState: '08P01',
      message: `invalid startup packet length ${length}`,
    };
  }
  if (buf.length < length) return { kind: 'incomplete' };
  const code = buf.readInt32BE(4);
  if (code === SSL_REQUEST) return { kind: 'ssl' };
  if (code === GSS_ENC_REQUEST) return { kind: 'gss' };
  if (code === CANCEL_REQUEST) return { kind: 'cancel', length };
  if (code !== PROTOCOL_3) {
    return {
      kind: 'invalid',
      sqlState: '0A000',
      message: `unsupported frontend protocol ${code >>> 16}.${code & 0xffff}: only 3.0 is served`,
    };
  }
  const params: Record<string, string> = {};
  const fields = buf.subarray(8, length).toString('utf8').split('\0');
  for (let i = 0; i + 1 < fields.length && fields[i] !== ''; i += 2) {
    params[fields[i]!] = fields[i + 1]!;
  }
  return { kind: 'startup', length, params };
}

export type TypedFrames =
  | { kind: 'frames'; types: string[]; bytes: number }
  | { kind: 'invalid'; sqlState: string; message: string };

/**
 * The complete typed messages at the start of `buf` (type byte, then a length that counts itself):
 * their types and how many bytes they take. A partial last message is left for the next read.
 */
export function readTypedFrames(buf: Buffer): TypedFrames {
  const types: string[] = [];
  let at = 0;
  while (buf.length - at >= 5) {
    const length = buf.readInt32BE(at + 1);
    if (length < 4 || length > MAX_MESSAGE_LENGTH) {
      return { kind: 'invalid', sqlState: '08P01', message: `invalid message length ${length}` };
    }
    if (buf.length - at < 1 + length) break;
    types.push(String.fromCharCode(buf[at]!));
    at += 1 + length;
  }
  return { kind: 'frames', types, bytes: at };
}

/**
 * The transaction status of a backend reply that ends with ReadyForQuery ('I' idle, 'T' in a
 * transaction, 'E' in a failed one), or null when the reply does not end with one (the client
 * has not sent Sync yet). ReadyForQuery is always the last message of a reply to Sync or Query.
 */
export function readyStatusAtEnd(reply: Uint8Array): 'I' | 'T' | 'E' | null {
  const n = reply.length;
  if (n < 6 || reply[n - 6] !== 0x5a) return null;
  if (reply[n - 5] !== 0 || reply[n - 4] !== 0 || reply[n - 3] !== 0 || reply[n - 2] !== 5) {
    return null;
  }
  const status = String.fromCharCode(reply[n - 1]!);
  return status === 'I' || status === 'T' || status === 'E' ? status : null;
}

/** An ErrorResponse carries SQLSTATE under 'C' and the text under 'M'; null if `reply` has none. */
export function firstError(reply: Uint8Array): { code: string; message: string } | null {
  const buf = Buffer.from(reply.buffer, reply.byteOffset, reply.length);
  let at = 0;
  while (buf.length - at >= 5) {
    const type = buf[at];
    const length = buf.readInt32BE(at + 1);
    if (length < 4) return null;
    if (type === 0x45) {
      const fields = buf.subarray(at + 5, at + 1 + length);
      const out = { code: '', message: '' };
      for (const field of fields.toString('utf8').split('\0')) {
        if (field.startsWith('C')) out.code = field.slice(1);
        if (field.startsWith('M')) out.message = field.slice(1);
      }
      return out;
    }
    at += 1 + length;
  }
  return null;
}

function typed(type: string, body: Buffer): Buffer {
  const head = Buffer.alloc(5);
  head.write(type, 0, 'latin1');
  head.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([head, body]);
}

function cstrings(...values: string[]): Buffer {
  return Buffer.from(values.map((v) => `${v}\0`).join(''), 'utf8');
}

export function authenticationOk(): Buffer {
  return typed('R', Buffer.from([0, 0, 0, 0]));
}

export function parameterStatus(name: string, value: string): Buffer {
  return typed('S', cstrings(name, value));
}

export function backendKeyData(processId: number, secret: number): Buffer {
  const body = Buffer.alloc(8);
  body.writeInt32BE(processId, 0);
  body.writeInt32BE(secret, 4);
  return typed('K', body);
}

export function readyForQuery(status: 'I' | 'T' | 'E'): Buffer {
  return typed('Z', Buffer.from(status, 'latin1'));
}

/** A FATAL error: the client shows `message` with its SQLSTATE, then the server closes. */
export function fatalError(sqlState: string, message: string): Buffer {
  return typed(
    'E',
    Buffer.concat([cstrings('SFATAL', 'VFATAL', `C${sqlState}`, `M${message}`), Buffer.from([0])]),
  );
}

/** A simple Query message ('Q'), for what the server itself runs on the session. */
export function simpleQuery(sql: string): Buffer {
  return typed('Q', cstrings(sql));
}

/** Sync ('S'): ends an extended-protocol exchange a client left open when it went away. */
export function syncMessage(): Buffer {
  return typed('S', Buffer.alloc(0));
}
