/** `att:<uuid>`: content we hold (email attachments, sealed in the database). Pure. */
const STORED_REF = /^att:([0-9a-f-]{36})$/;

export function storedAttachmentId(ref: string): string | null {
  return STORED_REF.exec(ref)?.[1] ?? null;
}

/**
 * Response headers for a customer's file: always a download (never rendered in the console's
 * origin) with the type as stored; the API's CSP (default-src 'none') covers the rest.
 */
export function downloadHeaders(
  mimeType: string,
  filename: string | null,
  size: number,
): Record<string, string> {
  const safeType = /^[a-z]+\/[a-z0-9.+-]+$/i.test(mimeType) ? mimeType : 'application/octet-stream';
  const name = filename ?? 'attachment';
  const ascii = name.replace(/[^A-Za-z0-9._ -]/g, '_').slice(0, 100) || 'attachment';
  return {
    'content-type': safeType,
    'content-length': String(size),
    'content-disposition': `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`,
    'x-content-type-options': 'nosniff',
    'cache-control': 'no-store',
  };
}
