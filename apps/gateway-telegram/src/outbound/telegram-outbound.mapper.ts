import type { AttachmentRef, OutboundMessageV1 } from '@omnigate/contracts';
import { fileIdOf } from '../inbound/telegram-inbound.mapper';
import type { OutboundMedia } from '../provider/telegram-bot.client';

/** One Bot API call of a send: sendMessage, or sendPhoto/sendDocument with a caption. */
export type SendStep =
  { type: 'text'; text: string } | { type: 'media'; media: OutboundMedia; caption: string };

/** Telegram's caption limit (https://core.telegram.org/bots/api#sendphoto). */
export const MAX_CAPTION = 1024;

/** An attachment Telegram can fetch by itself: a file_id we received, or a public http(s) URL. */
function mediaOf(a: AttachmentRef): OutboundMedia | null {
  const fileId = fileIdOf(a.ref);
  const source = fileId ?? (/^https?:\/\//i.test(a.ref) ? a.ref : null);
  if (!source) return null;
  const kind = a.kind === 'image' ? 'photo' : 'document';
  return a.filename ? { kind, source, filename: a.filename } : { kind, source };
}

/**
 * An outbound message → the Bot API calls that deliver it, in order. Text alone: one sendMessage.
 * With media: the text rides as the first media's caption when it fits, else goes first on its
 * own. Attachments Telegram cannot fetch (an object-store key) are left out. Pure.
 */
export function toSendSteps(msg: OutboundMessageV1): SendStep[] {
  const media = msg.attachments.map(mediaOf).filter((m): m is OutboundMedia => m !== null);
  if (media.length === 0) return [{ type: 'text', text: msg.text }];
  const captionFits = msg.text.length <= MAX_CAPTION;
  const steps: SendStep[] = captionFits ? [] : [{ type: 'text', text: msg.text }];
  media.forEach((m, i) => {
    steps.push({ type: 'media', media: m, caption: i === 0 && captionFits ? msg.text : '' });
  });
  return steps;
}
