/** What a customer is told after an identity command, in Italian and English. */
export type LinkOutcome =
  'linked' | 'already_linked' | 'invalid' | 'locked' | 'taken' | 'otp_sent' | 'otp_rate_limited';

const TEXTS: Record<LinkOutcome, string> = {
  linked:
    'Fatto: questo canale è ora collegato al tuo conto. Se non sei stato tu, scrivici subito.\n' +
    'Done: this channel is now linked to your account. If this was not you, tell us at once.',
  already_linked:
    'Questo canale è già collegato al tuo conto.\nThis channel is already linked to your account.',
  invalid:
    'Codice non valido o scaduto. Genera un nuovo codice nell’app e riprova.\n' +
    'Invalid or expired code. Create a new code in the app and try again.',
  locked:
    'Troppi tentativi con codici errati: per sicurezza riprova tra 15 minuti.\n' +
    'Too many wrong codes: for your security, try again in 15 minutes.',
  taken:
    'Questo canale è collegato a un altro conto: contatta l’assistenza per cambiarlo.\n' +
    'This channel is linked to another account: contact support to change it.',
  otp_sent:
    'Se questo recapito è registrato presso di noi, abbiamo inviato un codice di 6 cifre: scrivilo qui.\n' +
    'If this address is registered with us, we sent a 6-digit code: type it here.',
  otp_rate_limited:
    'Troppe richieste di codice: riprova più tardi.\nToo many code requests: try again later.',
};

export function linkReplyText(outcome: LinkOutcome): string {
  return TEXTS[outcome];
}

/** The OTP message sent to the bank-verified address (SMS or email). */
export function otpText(code: string, ttlMinutes: number): string {
  return (
    `Il tuo codice per collegare un canale è ${code} (valido ${ttlMinutes} minuti). Non condividerlo con nessuno.\n` +
    `Your code to link a channel is ${code} (valid ${ttlMinutes} minutes). Never share it with anyone.`
  );
}

/** What is stored instead of the OTP message: the code never rests in the database. */
export const OTP_STORED_BODY =
  'Codice di verifica inviato al recapito registrato. / Verification code sent to the registered address.';
