import type { OutboundMessageV1 } from '@omnigate/contracts';
import type { OutgoingMail } from '../provider/mail-transport.port';
import { replyHeaders, replySubject } from '../threading/threading.mapper';

export const DEFAULT_SUBJECT = 'Assistenza clienti / Customer support';

export interface ReplyContext {
  fromName: string;
  /** Our support address, e.g. support@bank.example. */
  fromAddress: string;
  messageId: string;
  /** The customer's newest mail, when there is one: our reply threads under it. */
  parent: { messageId: string; subject: string; references: string[] } | null;
}

/** `support+<conversationId>@domain`: replies that lose their headers still find the conversation. */
export function plusAddress(fromAddress: string, conversationId: string): string {
  const at = fromAddress.lastIndexOf('@');
  return `${fromAddress.slice(0, at)}+${conversationId}${fromAddress.slice(at)}`;
}

/** An outbound message → the mail to send, threaded under the customer's last mail. Pure. */
export function toOutgoingMail(msg: OutboundMessageV1, ctx: ReplyContext): OutgoingMail {
  const links = msg.attachments.map((a) => a.ref).filter((r) => /^https?:\/\//i.test(r));
  const text = links.length > 0 ? `${msg.text}\n\n${links.join('\n')}` : msg.text;
  return {
    from: { name: ctx.fromName, address: ctx.fromAddress },
    replyTo: plusAddress(ctx.fromAddress, msg.conversationId),
    to: msg.to.address,
    subject: ctx.parent ? replySubject(ctx.parent.subject, DEFAULT_SUBJECT) : DEFAULT_SUBJECT,
    text,
    messageId: ctx.messageId,
    ...(ctx.parent ? replyHeaders(ctx.parent) : {}),
  };
}
