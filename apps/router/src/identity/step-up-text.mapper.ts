import type { Channel, StepUpOperation } from '@omnigate/contracts';

const CHANNEL_NAMES: Record<Channel, string> = {
  sms: 'SMS',
  whatsapp: 'WhatsApp',
  telegram: 'Telegram',
  email: 'email',
  inapp: 'app',
};

function brandName(brand: string): string {
  return brand.charAt(0).toUpperCase() + brand.slice(1);
}

function who(op: StepUpOperation): { it: string; en: string } {
  return op.requestedBy.kind === 'agent'
    ? { it: `l’operatore ${op.requestedBy.id}`, en: `agent ${op.requestedBy.id}` }
    : { it: 'il nostro assistente automatico', en: 'our virtual assistant' };
}

/**
 * The step-up request the app shows, in Italian and English: the action, the card (brand and
 * last four), who asks, through which channel and why, and that an approval covers this action
 * only, once, for a few minutes (PSD2 dynamic linking). Pure.
 */
export function stepUpText(op: StepUpOperation, ttlMinutes: number): string {
  const by = who(op);
  const via = CHANNEL_NAMES[op.via];
  if (op.action === 'unblock_card' && op.card) {
    const card = `${brandName(op.card.brand)} •••• ${op.card.last4}`;
    return (
      `Richiesta di conferma: ${by.it}, su una richiesta arrivata via ${via}, vuole SBLOCCARE la tua carta ${card}, ` +
      `bloccata dal nostro sistema antifrode. Approva solo se l’hai chiesto tu: l’approvazione vale solo per questo ` +
      `sblocco, una volta, entro ${ttlMinutes} minuti, e non autorizza nient’altro. Se non sei stato tu, rifiuta e chiamaci.\n` +
      `Confirmation request: ${by.en}, on a request that came via ${via}, wants to UNBLOCK your ${card} card, ` +
      `blocked by our fraud system. Approve only if you asked for it: the approval covers this unblock only, once, ` +
      `within ${ttlMinutes} minutes, and authorises nothing else. If it was not you, reject it and call us.`
    );
  }
  return (
    `Richiesta di conferma: ${by.it}, via ${via}, chiede di confermare che sei tu per continuare la conversazione. ` +
    `Approvare non autorizza nessuna operazione. Se non ci hai scritto tu, rifiuta e chiamaci.\n` +
    `Confirmation request: ${by.en}, via ${via}, asks you to confirm it is you to continue the conversation. ` +
    `Approving authorises no operation. If you did not write to us, reject it and call us.`
  );
}
