/**
 * What `npm run traffic` plays: customers' conversations as scripts of steps, and what the journey
 * dashboard should count from them. Pure data and arithmetic; tools/journey-traffic.runner.ts plays
 * a plan through the real paths.
 *
 * Spread over days: a scenario's first messages on WhatsApp or Telegram may be sent hours or days
 * before the run. Those providers stamp when the customer sent a message (Meta's `timestamp`,
 * Telegram's `date`), the simulator lets us set that stamp, and the journey projection times a
 * customer message by it. Everything after (the bot, the agent's answer, the resolution, messages
 * on SMS, email or the app, which carry no such stamp) happens now: as if the bank answered late.
 */

export type TrafficChannel = 'sms' | 'whatsapp' | 'telegram' | 'email' | 'inapp';
export type Journey = 'fraud' | 'onboarding' | 'dispute' | 'other';

/** Who writes: a seeded bank customer (simulator persona) or a stranger's address. */
export type Actor =
  | { persona: string; name: string }
  | { addresses: Partial<Record<TrafficChannel, string>>; name: string };

export type Step =
  /** Core banking's fraud engine blocks a card and signals it (signed event to the router). */
  | {
      do: 'fraud_signal';
      customerId: string;
      cardId: string;
      merchant: string;
      amountMinor: number;
    }
  /**
   * The customer writes on a channel. `repeats`: what in the text the conversation already knew
   * (the same card number written again after a switch): a context loss the dashboard counts.
   * `hoursAgo`: sent that long before the run (WhatsApp and Telegram only, whose providers stamp
   * the send time; only before the scenario's first agent step, and within the gateways' 7 days).
   */
  | { do: 'say'; channel: TrafficChannel; text: string; repeats?: 'card'; hoursAgo?: number }
  /** The agent answers through the console API (on the customer's last channel). */
  | { do: 'agent_reply'; text: string }
  /** The agent opens a ticket that stays open (its regulatory clock shows on the dashboard). */
  | { do: 'open_ticket'; subject: string; kind: 'complaint' | 'other' }
  /** The agent resolves the conversation's open tickets (but `keep`) and releases it. */
  | { do: 'resolve'; resolution: string };

export interface Scenario {
  id: string;
  journey: Journey;
  actor: Actor;
  steps: Step[];
}

// Luhn-valid test numbers (card networks' public test cards): never a real card.
const MARCO_CARD = '5555 5555 5555 4444';

const say = (channel: TrafficChannel, text: string, repeats?: 'card'): Step =>
  repeats ? { do: 'say', channel, text, repeats } : { do: 'say', channel, text };
/** Sent `hoursAgo` before the run: the provider's stamp says so (WhatsApp, Telegram). */
const saidEarlier = (hoursAgo: number, channel: 'whatsapp' | 'telegram', text: string): Step => ({
  do: 'say',
  channel,
  text,
  hoursAgo,
});

/** The channels whose providers stamp the customer's send time (the simulator may set it). */
export const STAMPED_CHANNELS: ReadonlySet<TrafficChannel> = new Set(['whatsapp', 'telegram']);
const reply = (text: string): Step => ({ do: 'agent_reply', text });
const resolve = (resolution: string): Step => ({ do: 'resolve', resolution });

export const FRAUD_GIULIA: Scenario = {
  id: 'fraud-giulia',
  journey: 'fraud',
  actor: { persona: 'cust-1001', name: 'Giulia Rossi' },
  steps: [
    {
      do: 'fraud_signal',
      customerId: 'cust-1001',
      cardId: 'card-1001-b',
      merchant: 'QUICKPAY*ELECTRO-DEALS',
      amountMinor: 124_900,
    },
    say('whatsapp', 'Mi avete bloccato la carta, ma quel pagamento non l’ho fatto io!'),
    reply('Giulia, il pagamento è stato rifiutato e non le è stato addebitato nulla.'),
    say('whatsapp', 'Grazie, allora va bene così.'),
    resolve('Pagamento fraudolento rifiutato, nessun addebito. Nuova carta in arrivo.'),
  ],
};

export const SWITCH_MARCO: Scenario = {
  id: 'switch-marco',
  journey: 'other',
  actor: { persona: 'cust-1002', name: 'Marco Bianchi' },
  steps: [
    // Two days ago; he tries the app and SMS only once someone answers, today.
    saidEarlier(50, 'whatsapp', `La mia carta ${MARCO_CARD} non funziona nei negozi`),
    say('inapp', `Vi riscrivo dall’app: la carta ${MARCO_CARD} continua a non funzionare`, 'card'),
    reply('Marco, vedo la carta: il limite giornaliero era esaurito, ora è di nuovo attivo.'),
    say('sms', `Scusate, la carta è ancora la ${MARCO_CARD}, ora funziona?`, 'card'),
    reply('Sì, può riprovare adesso.'),
    resolve('Limite giornaliero ripristinato.'),
  ],
};

export const DISPUTE_OLIVER: Scenario = {
  id: 'dispute-oliver',
  journey: 'dispute',
  actor: { persona: 'cust-1003', name: 'Oliver Bennett' },
  steps: [
    say('sms', 'I was charged twice for the same payment, I want a refund'),
    say('inapp', 'Writing from the app as well: the double charge is still there'),
    reply('Oliver, I have opened a complaint for the double charge; we will answer in writing.'),
    { do: 'open_ticket', subject: 'Double charge complaint', kind: 'complaint' },
  ],
};

export const ONBOARDING_LUCA: Scenario = {
  id: 'onboarding-luca',
  journey: 'onboarding',
  actor: { persona: 'cust-1005', name: 'Luca Romano' },
  steps: [
    // Three days ago, answered today.
    saidEarlier(
      74,
      'whatsapp',
      'Ho caricato i documenti per aprire il conto, a che punto è la verifica?',
    ),
    reply('Luca, manca ancora la prova di residenza: può caricarla dall’app.'),
    resolve('Indicati i documenti mancanti.'),
    // He comes back the same week: the first contact did not resolve it.
    say('sms', 'Ho caricato la bolletta come prova di residenza, il conto è attivo adesso?'),
    reply('Sì Luca, documenti completi: il conto è in attivazione.'),
    resolve('Documenti completi.'),
  ],
};

export const ONBOARDING_CHIARA: Scenario = {
  id: 'onboarding-chiara',
  journey: 'onboarding',
  actor: { persona: 'cust-1004', name: 'Chiara Esposito' },
  steps: [say('inapp', 'Ho fatto il riconoscimento video, quando sarà attivo il mio conto?')],
};

const prospect = (
  id: string,
  channel: TrafficChannel,
  address: string,
  name: string,
  text: string,
  answer: string,
  hoursAgo?: number,
): Scenario => ({
  id,
  journey: 'onboarding',
  actor: { addresses: { [channel]: address }, name },
  steps: [
    hoursAgo === undefined ? say(channel, text) : { do: 'say', channel, text, hoursAgo },
    reply(answer),
    resolve('Istruzioni per l’apertura inviate.'),
  ],
});

const OPEN_IN_APP =
  'Può aprire il conto dall’app in dieci minuti: le servono documento e codice fiscale.';

export const PROSPECT_SMS = prospect(
  'prospect-sms',
  'sms',
  '+393900000101',
  'prospect (SMS)',
  'Buongiorno, vorrei aprire un conto corrente',
  OPEN_IN_APP,
);
export const PROSPECT_WHATSAPP = prospect(
  'prospect-whatsapp',
  'whatsapp',
  '+393900000102',
  'prospect (WhatsApp)',
  'Vorrei aprire un conto, quali documenti servono?',
  OPEN_IN_APP,
  26,
);
export const PROSPECT_TELEGRAM = prospect(
  'prospect-telegram',
  'telegram',
  '99000103',
  'prospect (Telegram)',
  'Hi, I would like to open an account',
  'You can open an account in the app in ten minutes: you need an ID and your tax code.',
  20,
);
export const PROSPECT_EMAIL = prospect(
  'prospect-email',
  'email',
  'new.customer@example.net',
  'prospect (email)',
  'Salve, come posso aprire un conto da voi?',
  OPEN_IN_APP,
);

export const HOURS_QUESTION: Scenario = {
  id: 'hours-question',
  journey: 'other',
  actor: { addresses: { sms: '+393900000105' }, name: 'stranger (SMS)' },
  steps: [say('sms', 'Quali sono gli orari del servizio clienti?')],
};

/** `npm run traffic`: every journey of the issue, five customers and five strangers. */
export const FULL_PLAN: readonly Scenario[] = [
  FRAUD_GIULIA,
  SWITCH_MARCO,
  DISPUTE_OLIVER,
  ONBOARDING_LUCA,
  ONBOARDING_CHIARA,
  PROSPECT_SMS,
  PROSPECT_WHATSAPP,
  PROSPECT_TELEGRAM,
  PROSPECT_EMAIL,
  HOURS_QUESTION,
];

/** The browser test's: fraud, a switch with a repeated card, a reopened onboarding, a prospect. */
export const SHORT_PLAN: readonly Scenario[] = [
  FRAUD_GIULIA,
  SWITCH_MARCO,
  ONBOARDING_LUCA,
  PROSPECT_SMS,
];

/**
 * The same plan with the strangers' addresses made unique to one run (`run` 0–999 goes in the
 * three digits before the last three, or tags the email), so a second `npm run traffic` starts new
 * conversations instead of reopening the first run's. Seeded customers keep their one open
 * conversation. Pure.
 */
export function forRun(plan: readonly Scenario[], run: number): Scenario[] {
  const n = String(Math.trunc(Math.abs(run)) % 1000).padStart(3, '0');
  const retag = (channel: TrafficChannel, a: string) =>
    channel === 'email' ? a.replace('@', `+${n}@`) : a.slice(0, -6) + n + a.slice(-3);
  return plan.map((s) =>
    'persona' in s.actor
      ? s
      : {
          ...s,
          actor: {
            name: s.actor.name,
            addresses: Object.fromEntries(
              Object.entries(s.actor.addresses).map(([c, a]) => [c, retag(c as TrafficChannel, a)]),
            ),
          },
        },
  );
}
