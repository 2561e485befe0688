/** Replaces card data in a text (CardRedaction.redactKept: cards sealed to the vault). */
export type RedactText = (text: string) => string;

/** One or more RFC 2047 encoded words in a row (a header split into several). */
const ENCODED_WORDS =
  /=\?[^?\s]+\?[BbQq]\?[^?\s]*\?=(?:[ \t]*(?:\r?\n[ \t]+)?=\?[^?\s]+\?[BbQq]\?[^?\s]*\?=)*/g;
const ENCODED_WORD = /=\?([^?\s]+)\?([BbQq])\?([^?\s]*)\?=/g;
/** Lines of base64 (a body part, an attachment): 16 characters or more each. */
const BASE64_BLOCK = /(?:^[A-Za-z0-9+/]{16,}={0,2}[ \t]*(?:\r?\n|$))+/gm;
/** A quoted-printable part: from its header's blank line to the next MIME boundary. */
const QP_PART =
  /(^content-transfer-encoding:[ \t]*quoted-printable[^\n]*\n(?:[^\n]+\n)*?\r?\n)([\s\S]*?)(?=^--|(?![\s\S]))/gim;
const LINE = 76;

/**
 * A raw mail the gateway could not read, with its card data taken out before it is kept: the
 * headers and plain parts, and the parts an operator's mail program would decode (base64 and
 * quoted-printable bodies, RFC 2047 encoded subjects and names), each decoded, redacted and
 * encoded again only when something was found. Binary parts (images, PDFs) are left as they are.
 * Pure.
 */
export function redactRawMail(raw: Buffer, redact: RedactText): Buffer {
  const { text, encoding } = decodeMail(raw);
  // Base64 blocks apart: the plain-text pass must never touch an attachment's encoding.
  let out = '';
  let prev = 0;
  for (const m of text.matchAll(BASE64_BLOCK)) {
    out += redactPlain(text.slice(prev, m.index), redact) + redactBase64(m[0], redact);
    prev = m.index + m[0].length;
  }
  out += redactPlain(text.slice(prev), redact);
  return out === text ? raw : Buffer.from(out, encoding);
}

function redactPlain(text: string, redact: RedactText): string {
  if (text === '') return text;
  return redact(
    text
      .replace(ENCODED_WORDS, (words) => redactEncodedWords(words, redact))
      .replace(QP_PART, (_all, head: string, body: string) => head + redactQp(body, redact)),
  );
}

function decodeMail(raw: Buffer): { text: string; encoding: BufferEncoding } {
  const utf8 = textOf(raw);
  return utf8 !== null && !utf8.latin1
    ? { text: utf8.text, encoding: 'utf8' }
    : { text: raw.toString('latin1'), encoding: 'latin1' };
}

/** The bytes as text (UTF-8, else Latin-1 without control bytes), or null for binary. */
function textOf(bytes: Buffer): { text: string; latin1: boolean } | null {
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), latin1: false };
  } catch {
    for (const b of bytes) if (b < 9 || (b > 13 && b < 32) || b === 127) return null;
    return { text: bytes.toString('latin1'), latin1: true };
  }
}

function redactBase64(block: string, redact: RedactText): string {
  const decoded = textOf(Buffer.from(block.replace(/\s/g, ''), 'base64'));
  if (decoded === null) return block;
  const red = redact(decoded.text);
  if (red === decoded.text) return block;
  const eol = block.includes('\r\n') ? '\r\n' : '\n';
  const b64 = Buffer.from(red, decoded.latin1 ? 'latin1' : 'utf8').toString('base64');
  const lines = b64.match(new RegExp(`.{1,${LINE}}`, 'g')) ?? [];
  return lines.join(eol) + (/\r?\n$/.test(block) ? eol : '');
}

function redactQp(body: string, redact: RedactText): string {
  const bytes = Buffer.from(
    body
      .replace(/=\r?\n/g, '')
      .replace(/=([0-9A-Fa-f]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16))),
    'latin1',
  );
  const decoded = textOf(bytes);
  if (decoded === null) return body;
  const red = redact(decoded.text);
  if (red === decoded.text) return body;
  const eol = body.includes('\r\n') ? '\r\n' : '\n';
  return encodeQp(Buffer.from(red, decoded.latin1 ? 'latin1' : 'utf8'), eol);
}

function encodeQp(bytes: Buffer, eol: string): string {
  const lines: string[] = [];
  let line = '';
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b === 10 || (b === 13 && bytes[i + 1] === 10)) {
      lines.push(line);
      line = '';
      if (b === 13) i++;
      continue;
    }
    const plain = (b >= 33 && b <= 126 && b !== 61) || b === 32;
    const piece = plain
      ? String.fromCharCode(b)
      : '=' + b.toString(16).toUpperCase().padStart(2, '0');
    if (line.length + piece.length > LINE - 1) {
      lines.push(line + '=');
      line = '';
    }
    line += piece;
  }
  lines.push(line);
  return lines.join(eol);
}

function redactEncodedWords(words: string, redact: RedactText): string {
  let decoded = '';
  for (const m of words.matchAll(ENCODED_WORD)) {
    const [, charset, kind, data] = m as unknown as [string, string, string, string];
    const bytes =
      kind.toUpperCase() === 'B'
        ? Buffer.from(data, 'base64')
        : Buffer.from(
            data
              .replace(/_/g, ' ')
              .replace(/=([0-9A-Fa-f]{2})/g, (_x, h: string) =>
                String.fromCharCode(parseInt(h, 16)),
              ),
            'latin1',
          );
    try {
      decoded += new TextDecoder(charset.toLowerCase()).decode(bytes);
    } catch {
      decoded += bytes.toString('latin1');
    }
  }
  const red = redact(decoded);
  return red === decoded ? words : `=?UTF-8?B?${Buffer.from(red, 'utf8').toString('base64')}?=`;
}
