import type { InboundMessageV1 } from '@omnigate/contracts';
import { parseIdentityCommand } from './link-code.mapper';

/** A command that needs a proven sender: linking (a code, an OTP request) or consent (STOP/START). */
export type UnprovenCommand = 'link' | 'consent';

/**
 * The command an unproven sender's message would have been, or null for ordinary text. A bare
 * six-digit number is not one (an amount, a reference). `unprovenConsent` is the email gateway's
 * note of a STOP/START it published as text. Pure.
 */
export function unprovenCommandOf(
  msg: Pick<InboundMessageV1, 'text' | 'kind' | 'meta'>,
): UnprovenCommand | null {
  const cmd = parseIdentityCommand(msg.text);
  if (cmd && (cmd.kind !== 'otp_code' || cmd.explicit)) return 'link';
  if (msg.kind === 'optout' || msg.kind === 'optin') return 'consent';
  const said = msg.meta?.unprovenConsent;
  return said === 'optout' || said === 'optin' ? 'consent' : null;
}

/** The answer to such a command: nothing about any customer, in Italian and English. */
export const UNPROVEN_SENDER_TEXT =
  'Non possiamo verificare che questa email provenga davvero dal tuo indirizzo (DMARC), quindi ' +
  'non abbiamo collegato nulla né cambiato le tue preferenze. Usa l’app, oppure scrivici da un ' +
  'indirizzo il cui dominio firma le email.\n' +
  'We cannot verify that this email really comes from your address (DMARC), so nothing was ' +
  'linked and no preference was changed. Use the app, or write from an address whose domain ' +
  'signs its mail.';
