import type { AttachmentRef } from '@omnigate/contracts';
import { formString } from './twilio-status.mapper';
import type { FormParams } from './twilio-status.mapper';

/** What one inbound message may carry (Twilio sends at most 10 media). */
const MAX_MEDIA = 10;

/** A MIME type as an attachment kind. Pure. */
export function mediaKindOf(mime: string): AttachmentRef['kind'] {
  const top = mime.split('/')[0];
  if (top === 'image' || top === 'audio' || top === 'video') return top;
  if (mime === 'application/pdf' || mime.startsWith('text/')) return 'document';
  return 'other';
}

/**
 * The media of an inbound Twilio webhook (SMS/MMS, WhatsApp), `NumMedia`, `MediaUrl<i>`,
 * `MediaContentType<i>`: they stay at Twilio, described by reference (size unknown until
 * fetched, so 0). Pure.
 */
export function twilioMediaOf(form: FormParams): AttachmentRef[] {
  const n = Math.min(Number(formString(form, 'NumMedia') ?? '0') || 0, MAX_MEDIA);
  const out: AttachmentRef[] = [];
  for (let i = 0; i < n; i++) {
    const ref = formString(form, `MediaUrl${i}`);
    const mimeType = formString(form, `MediaContentType${i}`) ?? 'application/octet-stream';
    if (ref) out.push({ kind: mediaKindOf(mimeType), mimeType, size: 0, sha256: null, ref });
  }
  return out;
}
