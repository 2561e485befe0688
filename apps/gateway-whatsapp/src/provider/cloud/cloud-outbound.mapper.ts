import type { WhatsAppSendRequest } from '../whatsapp-provider.port';

type GraphMediaType = 'image' | 'audio' | 'video' | 'document';

/** Cloud API caption limit; longer texts go as a separate text message is not our job here: cut. */
const MAX_CAPTION = 1024;

function mediaObject(ref: string, caption: string | undefined, filename?: string) {
  // A Cloud media id (digits) or a public link; both are accepted by the send endpoint.
  const source = /^https?:\/\//i.test(ref) ? { link: ref } : { id: ref.replace(/^.*\//, '') };
  return {
    ...source,
    ...(caption ? { caption: caption.slice(0, MAX_CAPTION) } : {}),
    ...(filename ? { filename } : {}),
  };
}

/**
 * Our send request → the Graph API message body. A template when one is set; else the first
 * attachment with the text as its caption (audio takes no caption); else text. Our message id
 * rides along in biz_opaque_callback_data, which Meta echoes in every status webhook.
 */
export function toGraphMessage(req: WhatsAppSendRequest): Record<string, unknown> {
  const base = {
    messaging_product: 'whatsapp',
    recipient_type: 'individual',
    to: req.to.replace(/^\+/, ''),
    biz_opaque_callback_data: req.messageId,
  };
  if (req.template) {
    const { name, language, params } = req.template;
    return {
      ...base,
      type: 'template',
      template: {
        name,
        language: { code: language },
        ...(params.length > 0
          ? {
              components: [
                { type: 'body', parameters: params.map((text) => ({ type: 'text', text })) },
              ],
            }
          : {}),
      },
    };
  }
  const first = req.attachments[0];
  if (first) {
    const type: GraphMediaType = first.kind === 'other' ? 'document' : first.kind;
    const caption = type === 'audio' ? undefined : req.text;
    return {
      ...base,
      type,
      [type]: mediaObject(first.ref, caption, type === 'document' ? first.filename : undefined),
    };
  }
  return { ...base, type: 'text', text: { body: req.text, preview_url: false } };
}
