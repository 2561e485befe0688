import type { AttachmentRef } from '@omnigate/contracts';

export interface AttachmentPolicy {
  maxBytes: number;
  /** Allowed MIME types, lower case. */
  allowed: string[];
}

export interface AttachmentCandidate {
  filename: string | null;
  /** What the sender's client declared. */
  contentType: string;
  content: Buffer;
}

export type AttachmentVerdict =
  | { ok: true; mimeType: string; kind: AttachmentRef['kind'] }
  | {
      ok: false;
      code: 'EMAIL.ATTACHMENT_TOO_LARGE' | 'EMAIL.ATTACHMENT_FORBIDDEN';
      reason: string;
    };

/** Magic bytes of the types we accept, checked when cheap (null: no fixed signature, e.g. text). */
const MAGIC: Record<string, ((b: Buffer) => boolean) | null> = {
  'application/pdf': (b) => b.subarray(0, 5).toString('latin1') === '%PDF-',
  'image/png': (b) =>
    b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  'image/jpeg': (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff,
  'image/gif': (b) => /^GIF8[79]a/.test(b.subarray(0, 6).toString('latin1')),
  'image/webp': (b) =>
    b.subarray(0, 4).toString('latin1') === 'RIFF' &&
    b.subarray(8, 12).toString('latin1') === 'WEBP',
  'image/heic': (b) => b.subarray(4, 8).toString('latin1') === 'ftyp',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': isZip,
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': isZip,
  'text/plain': isText,
  'text/csv': isText,
};

function isZip(b: Buffer): boolean {
  return b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;
}

function isText(b: Buffer): boolean {
  return !b.subarray(0, 4096).includes(0);
}

/** Executables are refused whatever they claim to be. */
function isExecutable(b: Buffer): boolean {
  const head = b.subarray(0, 4);
  return (
    (head[0] === 0x4d && head[1] === 0x5a) || // MZ: Windows PE
    head.equals(Buffer.from([0x7f, 0x45, 0x4c, 0x46])) || // ELF
    b.subarray(0, 2).toString('latin1') === '#!'
  );
}

const EXECUTABLE_NAME = /\.(exe|bat|cmd|com|scr|js|jse|vbs|vbe|ps1|msi|jar|sh|dll|lnk|iso|hta)$/i;

function kindOf(mime: string): AttachmentRef['kind'] {
  const top = mime.split('/')[0];
  if (top === 'image' || top === 'audio' || top === 'video') return top;
  return 'document';
}

function mb(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.ceil(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/**
 * Is this attachment accepted? Size limit, MIME allow-list, the declared type checked against the
 * content's magic bytes, no executables. The reason is what the agent (and the sender) read. Pure.
 */
export function checkAttachment(
  a: AttachmentCandidate,
  policy: AttachmentPolicy,
): AttachmentVerdict {
  const name = a.filename ?? 'attachment';
  if (a.content.length > policy.maxBytes) {
    return {
      ok: false,
      code: 'EMAIL.ATTACHMENT_TOO_LARGE',
      reason: `"${name}" is ${mb(a.content.length)}, over the ${mb(policy.maxBytes)} limit`,
    };
  }
  const mime = a.contentType.split(';')[0]!.trim().toLowerCase();
  if (isExecutable(a.content) || EXECUTABLE_NAME.test(name)) {
    return {
      ok: false,
      code: 'EMAIL.ATTACHMENT_FORBIDDEN',
      reason: `"${name}" is an executable file`,
    };
  }
  if (!policy.allowed.includes(mime)) {
    return {
      ok: false,
      code: 'EMAIL.ATTACHMENT_FORBIDDEN',
      reason: `"${name}" has type ${mime}, which is not accepted`,
    };
  }
  const magic = MAGIC[mime];
  if (magic && !magic(a.content)) {
    return {
      ok: false,
      code: 'EMAIL.ATTACHMENT_FORBIDDEN',
      reason: `"${name}" claims to be ${mime} but its content is not`,
    };
  }
  return { ok: true, mimeType: mime, kind: kindOf(mime) };
}

/** The note the agent reads for refused attachments (and the auto-reply quotes), in two languages. */
export function refusedNote(reasons: string[]): string {
  if (reasons.length === 0) return '';
  return [
    `[Allegati rifiutati / Attachments refused: ${reasons.length}]`,
    ...reasons.map((r) => `- ${r}`),
  ].join('\n');
}
