import type { Language } from '@omnigate/contracts';

/** Customer-facing texts of the bot, Italian and English. Pure: no I/O, no clock. */

export interface FraudBlockFacts {
  last4: string;
  /** When the fraud engine blocked the card; null when unknown. */
  at: Date | null;
  /** The payment that triggered the block, when core banking knows it. */
  payment: { amountMinor: number; currency: string; merchant: string } | null;
}

export interface PaymentLine {
  at: string;
  amountMinor: number;
  currency: string;
  merchant: string;
}

type Texts = Record<Language, string>;
const pick = (t: Texts, lang: Language): string => t[lang];

/** 950.00 EUR (EN) / 950,00 EUR (IT): a payment's size, sign dropped. */
export function formatAmount(amountMinor: number, currency: string, lang: Language): string {
  const value = (Math.abs(amountMinor) / 100).toFixed(2);
  return `${lang === 'it' ? value.replace('.', ',') : value} ${currency}`;
}

/** 10:32 in the bank's time zone. */
export function formatTime(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone,
  }).format(at);
}

/** 23/11 in the bank's time zone. */
export function formatDay(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', { day: '2-digit', month: '2-digit', timeZone }).format(
    at,
  );
}

export const OPERATOR_TAKING_OVER: Texts = {
  it: 'Un operatore ti risponde adesso.',
  en: 'An operator is taking over now.',
};

/** What happened, at possession or above: card, time, payment; then the handoff. */
export function fraudDetailText(f: FraudBlockFacts, lang: Language, timeZone: string): string {
  const when = f.at ? formatTime(f.at, timeZone) : null;
  const pay = f.payment;
  const it =
    `La tua carta •••• ${f.last4} è stata bloccata` +
    (when ? ` alle ${when}` : '') +
    ' dal nostro sistema antifrode' +
    (pay
      ? ` per un pagamento di ${formatAmount(pay.amountMinor, pay.currency, 'it')} a ${pay.merchant}`
      : '') +
    '. Sei stato tu? ';
  const en =
    `Your card •••• ${f.last4} was blocked` +
    (when ? ` at ${when}` : '') +
    ' by our fraud system' +
    (pay
      ? ` because of a payment of ${formatAmount(pay.amountMinor, pay.currency, 'en')} to ${pay.merchant}`
      : '') +
    '. Was it you? ';
  return (lang === 'it' ? it : en) + pick(OPERATOR_TAKING_OVER, lang);
}

/** Below possession (or after a SIM swap): no card or payment details, only how to get them. */
export function fraudNoDetailText(lang: Language): string {
  return pick(
    {
      it: 'È in corso un controllo di sicurezza sul tuo conto. Ti abbiamo inviato una richiesta di conferma nell’app: dopo averla approvata potremo darti i dettagli. Un operatore ti risponde adesso.',
      en: 'A security check is in progress on your account. We sent a confirmation request to your app: once you approve it we can tell you more. An operator is taking over now.',
    },
    lang,
  );
}

export function fraudNoAlertText(lang: Language): string {
  return pick(
    {
      it: 'Capito, trattiamo subito la tua segnalazione come possibile frode. Se non l’hai già fatto, puoi bloccare la carta dall’app. Un operatore del team antifrode ti risponde adesso.',
      en: 'Understood, we are treating this as possible fraud right away. If you have not already, you can block your card in the app. An operator from our fraud team is taking over now.',
    },
    lang,
  );
}

export function cardBlockedText(last4: string, blockedBy: string | null, lang: Language): string {
  const by: Texts =
    blockedBy === 'customer'
      ? { it: ' da te dall’app', en: ' by you in the app' }
      : blockedBy === 'bank'
        ? { it: ' dalla banca', en: ' by the bank' }
        : { it: '', en: '' };
  return pick(
    {
      it: `La tua carta •••• ${last4} risulta bloccata${by.it}. Se l’hai bloccata tu puoi sbloccarla dall’app. Vuoi parlare con un operatore? Scrivi "operatore".`,
      en: `Your card •••• ${last4} is blocked${by.en}. If you blocked it yourself you can unblock it in the app. Would you like to talk to an operator? Write "operator".`,
    },
    lang,
  );
}

export function noBlockedCardText(lang: Language): string {
  return pick(
    {
      it: 'Non vedo carte bloccate sul tuo conto. Se il pagamento viene rifiutato, vuoi parlare con un operatore? Scrivi "operatore".',
      en: 'I see no blocked cards on your account. If a payment is being declined, would you like to talk to an operator? Write "operator".',
    },
    lang,
  );
}

export function transferPendingText(p: PaymentLine, lang: Language, timeZone: string): string {
  const day = formatDay(new Date(p.at), timeZone);
  const amount = formatAmount(p.amountMinor, p.currency, lang);
  return pick(
    {
      it: `Vedo un bonifico di ${amount} a ${p.merchant} del ${day} ancora in lavorazione: di solito arriva entro un giorno lavorativo. Vuoi parlare con un operatore? Scrivi "operatore".`,
      en: `I see a transfer of ${amount} to ${p.merchant} on ${day} still in progress: it usually arrives within one business day. Would you like to talk to an operator? Write "operator".`,
    },
    lang,
  );
}

export function noPendingTransferText(lang: Language): string {
  return pick(
    {
      it: 'Non vedo bonifici in lavorazione tra i tuoi ultimi movimenti. Vuoi parlare con un operatore? Scrivi "operatore".',
      en: 'I see no transfers in progress among your latest movements. Would you like to talk to an operator? Write "operator".',
    },
    lang,
  );
}

/** Asks which payment to dispute, listing the last few. */
export function disputeAskText(lines: PaymentLine[], lang: Language, timeZone: string): string {
  const list = lines
    .map(
      (p, i) =>
        `${i + 1}) ${formatDay(new Date(p.at), timeZone)} ${formatAmount(p.amountMinor, p.currency, lang)} ${p.merchant}`,
    )
    .join('\n');
  return pick(
    {
      it: `Quale pagamento vuoi contestare? Rispondi con l’esercente o l’importo.\n${list}`,
      en: `Which payment do you want to dispute? Reply with the merchant or the amount.\n${list}`,
    },
    lang,
  );
}

export function disputeOpenedText(p: PaymentLine, lang: Language, timeZone: string): string {
  const day = formatDay(new Date(p.at), timeZone);
  const amount = formatAmount(p.amountMinor, p.currency, lang);
  return pick(
    {
      it: `Ho aperto una contestazione per il pagamento di ${amount} a ${p.merchant} del ${day}. Un operatore del team contestazioni ti risponde adesso.`,
      en: `I opened a dispute for the payment of ${amount} to ${p.merchant} on ${day}. An operator from our disputes team is taking over now.`,
    },
    lang,
  );
}

/** The fraud case's ticket subject: the card and, when known, the payment that triggered the block. */
export function fraudTicketSubject(b: FraudBlockFacts): string {
  const payment = b.payment
    ? ` after ${formatAmount(b.payment.amountMinor, b.payment.currency, 'en')} ${b.payment.merchant}`
    : '';
  return `Fraud: card •••• ${b.last4} blocked by the fraud engine${payment}`;
}

/** The ticket's subject (sealed at rest like every ticket subject). */
export function disputeTicketSubject(p: PaymentLine): string {
  return `Dispute: ${formatAmount(p.amountMinor, p.currency, 'en')} ${p.merchant} (${p.at.slice(0, 10)})`;
}

export function disputeNotFoundText(lang: Language): string {
  return pick(
    {
      it: 'Non trovo quel pagamento tra i tuoi ultimi movimenti. Un operatore del team contestazioni ti risponde adesso.',
      en: 'I cannot find that payment among your latest movements. An operator from our disputes team is taking over now.',
    },
    lang,
  );
}

export const ONBOARDING_TICKET_SUBJECT = 'Onboarding: documents missing';

const DOCUMENT_NAMES: Record<string, Texts> = {
  proof_of_address: { it: 'un documento che attesti la residenza', en: 'a proof of address' },
  identity_document_back: {
    it: 'il retro del documento d’identità',
    en: 'the back of your identity document',
  },
  identity_document_front: {
    it: 'il fronte del documento d’identità',
    en: 'the front of your identity document',
  },
  selfie: { it: 'un selfie per la verifica', en: 'a selfie for the check' },
  tax_code: { it: 'il codice fiscale', en: 'your tax code' },
  proof_of_income: { it: 'un documento di reddito', en: 'a proof of income' },
};

/** "a proof of address and the back of your identity document" (unknown codes spelled out). Pure. */
export function documentList(codes: readonly string[], lang: Language): string {
  const names = codes.map((c) => DOCUMENT_NAMES[c]?.[lang] ?? c.replace(/_/g, ' '));
  if (names.length <= 1) return names[0] ?? '';
  const and = lang === 'it' ? ' e ' : ' and ';
  return `${names.slice(0, -1).join(', ')}${and}${names.at(-1)!}`;
}

export function onboardingText(
  kycStatus: string | null,
  lang: Language,
  missingDocuments: readonly string[] = [],
): string {
  switch (kycStatus ?? 'unknown') {
    case 'verified':
      return pick(
        {
          it: 'La verifica della tua identità è completa: non manca nessun documento.',
          en: 'Your identity check is complete: no documents are missing.',
        },
        lang,
      );
    case 'pending':
      return pick(
        {
          it: 'Stiamo controllando i tuoi documenti: di solito ci vuole un giorno lavorativo. Ti avviseremo nell’app.',
          en: 'We are reviewing your documents: it usually takes one business day. We will let you know in the app.',
        },
        lang,
      );
    case 'missing_documents': {
      const which = documentList(missingDocuments, lang);
      return pick(
        {
          it: `Per completare l’apertura del conto ci ${which ? `manca ${which}` : 'mancano alcuni documenti'}: puoi caricarli dall’app (Profilo > Documenti). Ho aperto una richiesta così un operatore può aiutarti. Scrivi "operatore" se vuoi parlarci subito.`,
          en: `To finish opening your account we still need ${which || 'some documents'}: you can upload them in the app (Profile > Documents). I opened a request so an operator can help you. Write "operator" to talk to them now.`,
        },
        lang,
      );
    }
    default:
      return pick(
        {
          it: 'Un operatore del team aperture conto controlla la tua pratica e ti risponde adesso.',
          en: 'An operator from our account-opening team will check your application and is taking over now.',
        },
        lang,
      );
  }
}

export function stepUpNeededText(lang: Language): string {
  return pick(
    {
      it: 'Per sicurezza ti abbiamo inviato nell’app una richiesta per confermare che sei tu: l’operatore che ti risponde adesso la vedrà.',
      en: 'For your security we sent a request to your app to confirm it is you: the operator taking over now will see it.',
    },
    lang,
  );
}

export function unverifiedText(lang: Language): string {
  return pick(
    {
      it: 'Questo canale non è ancora collegato al tuo conto, quindi non posso vedere i tuoi dati. Puoi collegarlo dall’app (Impostazioni > Canali collegati). Un operatore ti risponde adesso.',
      en: 'This channel is not linked to your account yet, so I cannot see your details. You can link it in the app (Settings > Linked channels). An operator is taking over now.',
    },
    lang,
  );
}

export function contextUnavailableText(lang: Language): string {
  return pick(
    {
      it: 'I nostri sistemi non rispondono in questo momento. Un operatore ti risponde adesso.',
      en: 'Our systems are not answering right now. An operator is taking over now.',
    },
    lang,
  );
}

export function handoffText(lang: Language): string {
  return pick(
    {
      it: 'Ti passo a un operatore: vedrà tutto quello che ci hai già detto.',
      en: 'I am passing you to an operator: they will see everything you already told us.',
    },
    lang,
  );
}

export function menuText(lang: Language): string {
  return pick(
    {
      it: 'Posso aiutarti con una carta bloccata, un pagamento che non riconosci, una contestazione, un bonifico in ritardo o l’apertura del conto. Oppure scrivi "operatore".',
      en: 'I can help with a blocked card, a payment you do not recognise, a dispute, a late transfer or opening your account. Or write "operator".',
    },
    lang,
  );
}
