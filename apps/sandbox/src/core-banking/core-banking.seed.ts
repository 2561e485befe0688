/**
 * The stand-in's customers, cards and recent transactions. Tests refer to these records by id,
 * phone and app user id; every instance of the module starts from a deep copy of this seed.
 * Phones are E.164 numbers that libphonenumber-js (max metadata) accepts as valid mobiles.
 * Amounts are signed minor units: a card payment is negative, a refund positive.
 */
export type KycStatus = 'verified' | 'pending' | 'missing_documents' | 'rejected';
export type CardStatus = 'active' | 'blocked';
export type CardBlocker = 'fraud_engine' | 'customer' | 'bank';

export interface SeedCustomer {
  id: string;
  fullName: string;
  /** The phone the bank verified at onboarding, E.164. */
  phone: string;
  email: string | null;
  appUserId: string | null;
  kycStatus: KycStatus;
  /** What onboarding still waits for (empty unless kycStatus is missing_documents). */
  missingDocuments: string[];
  /** Preferred language for customer-facing text. */
  language: 'it' | 'en';
}

export interface SeedCard {
  id: string;
  customerId: string;
  brand: string;
  last4: string;
  status: CardStatus;
  blockReason: string | null;
  blockedBy: CardBlocker | null;
  blockedAt: string | null;
  /** Every block and unblock of the card, oldest first (the seed's blocks are not in it). */
  history: CardHistoryEntry[];
}

export interface CardHistoryEntry {
  action: 'blocked' | 'unblocked';
  at: string;
  /** Who acted: an agent's id, 'fraud_engine', the customer's app. */
  actor: string;
  reason: string;
  /** For a block, who blocked; for an unblock, who had blocked the card. */
  blockedBy: CardBlocker | null;
}

export interface SeedTransaction {
  id: string;
  customerId: string;
  at: string;
  amountMinor: number;
  currency: string;
  merchant: string;
  status: 'settled' | 'pending' | 'declined' | 'refunded';
  cardId: string | null;
}

export interface CoreBankingSeed {
  customers: SeedCustomer[];
  cards: SeedCard[];
  transactions: SeedTransaction[];
}

// Times are relative to when the process loaded the seed, so "a few minutes ago" stays true in a demo.
const LOADED_AT = Date.now();
const minutesAgo = (m: number): string => new Date(LOADED_AT - m * 60_000).toISOString();
const DAY_MIN = 24 * 60;

export const SEED_IDS = {
  giulia: 'cust-1001',
  marco: 'cust-1002',
  oliver: 'cust-1003',
  chiara: 'cust-1004',
  luca: 'cust-1005',
  giuliaBlockedCard: 'card-1001-a',
  giuliaActiveCard: 'card-1001-b',
  suspiciousTransaction: 'tx-1001-09',
} as const;

const customers: SeedCustomer[] = [
  {
    id: SEED_IDS.giulia,
    fullName: 'Giulia Rossi',
    phone: '+393471234567',
    email: 'giulia.rossi@example.it',
    appUserId: 'app-giulia',
    kycStatus: 'verified',
    missingDocuments: [],
    language: 'it',
  },
  {
    id: SEED_IDS.marco,
    fullName: 'Marco Bianchi',
    phone: '+393489876543',
    email: 'marco.bianchi@example.it',
    appUserId: 'app-marco',
    kycStatus: 'verified',
    missingDocuments: [],
    language: 'it',
  },
  {
    id: SEED_IDS.oliver,
    fullName: 'Oliver Bennett',
    phone: '+447911123456',
    email: 'oliver.bennett@example.co.uk',
    appUserId: 'app-oliver',
    kycStatus: 'verified',
    missingDocuments: [],
    language: 'en',
  },
  {
    id: SEED_IDS.chiara,
    fullName: 'Chiara Esposito',
    phone: '+393331122334',
    email: 'chiara.esposito@example.it',
    appUserId: 'app-chiara',
    kycStatus: 'pending',
    missingDocuments: [],
    language: 'it',
  },
  {
    id: SEED_IDS.luca,
    fullName: 'Luca Romano',
    phone: '+393409876512',
    email: 'luca.romano@example.it',
    appUserId: 'app-luca',
    kycStatus: 'missing_documents',
    missingDocuments: ['proof_of_address', 'identity_document_back'],
    language: 'it',
  },
];

const cards: SeedCard[] = [
  {
    id: SEED_IDS.giuliaBlockedCard,
    customerId: SEED_IDS.giulia,
    brand: 'visa',
    last4: '4821',
    status: 'blocked',
    blockReason:
      'Suspicious payment of EUR 1,249.00 to QUICKPAY*ELECTRO-DEALS (online, HK) after a EUR 1.00 test charge',
    blockedBy: 'fraud_engine',
    blockedAt: minutesAgo(12),
    history: [],
  },
  {
    id: SEED_IDS.giuliaActiveCard,
    customerId: SEED_IDS.giulia,
    brand: 'mastercard',
    last4: '7702',
    status: 'active',
    blockReason: null,
    blockedBy: null,
    blockedAt: null,
    history: [],
  },
  {
    id: 'card-1002-a',
    customerId: SEED_IDS.marco,
    brand: 'visa',
    last4: '3390',
    status: 'active',
    blockReason: null,
    blockedBy: null,
    blockedAt: null,
    history: [],
  },
  {
    id: 'card-1003-a',
    customerId: SEED_IDS.oliver,
    brand: 'mastercard',
    last4: '5144',
    status: 'blocked',
    blockReason: 'Reported lost by the customer in the app',
    blockedBy: 'customer',
    blockedAt: minutesAgo(3 * DAY_MIN),
    history: [],
  },
];

type TxSeed = [
  id: string,
  minutesAgo: number,
  amountMinor: number,
  merchant: string,
  status: SeedTransaction['status'],
  cardId: string | null,
];

function txs(customerId: string, rows: TxSeed[]): SeedTransaction[] {
  return rows.map(([id, ago, amountMinor, merchant, status, cardId]) => ({
    id,
    customerId,
    at: minutesAgo(ago),
    amountMinor,
    currency: 'EUR',
    merchant,
    status,
    cardId,
  }));
}

const transactions: SeedTransaction[] = [
  ...txs(SEED_IDS.giulia, [
    [
      'tx-1001-01',
      9 * DAY_MIN,
      -4590,
      'Esselunga Milano Viale Piave',
      'settled',
      SEED_IDS.giuliaBlockedCard,
    ],
    [
      'tx-1001-02',
      8 * DAY_MIN,
      -3990,
      'Trenitalia Frecciarossa',
      'settled',
      SEED_IDS.giuliaBlockedCard,
    ],
    [
      'tx-1001-03',
      7 * DAY_MIN,
      -1250,
      'Bar Pasticceria Marchesi',
      'settled',
      SEED_IDS.giuliaActiveCard,
    ],
    ['tx-1001-04', 6 * DAY_MIN, -8999, 'Zalando SE', 'settled', SEED_IDS.giuliaBlockedCard],
    [
      'tx-1001-05',
      5 * DAY_MIN,
      8999,
      'Zalando SE (rimborso)',
      'refunded',
      SEED_IDS.giuliaBlockedCard,
    ],
    ['tx-1001-06', 3 * DAY_MIN, -6500, 'Enel Energia bolletta', 'settled', null],
    [
      'tx-1001-07',
      2 * DAY_MIN,
      -2730,
      'Farmacia Centrale Milano',
      'settled',
      SEED_IDS.giuliaActiveCard,
    ],
    ['tx-1001-08', 15, -100, 'QUICKPAY*ELECTRO-DEALS', 'settled', SEED_IDS.giuliaBlockedCard],
    [
      SEED_IDS.suspiciousTransaction,
      12,
      -124_900,
      'QUICKPAY*ELECTRO-DEALS',
      'declined',
      SEED_IDS.giuliaBlockedCard,
    ],
    ['tx-1001-10', DAY_MIN, -1800, 'ATM Intesa Sanpaolo', 'settled', SEED_IDS.giuliaActiveCard],
    ['tx-1001-11', 10 * DAY_MIN, -5400, 'Decathlon Assago', 'settled', SEED_IDS.giuliaActiveCard],
    ['tx-1001-12', 11 * DAY_MIN, -990, 'Spotify AB', 'settled', SEED_IDS.giuliaActiveCard],
  ]),
  ...txs(SEED_IDS.marco, [
    ['tx-1002-01', 2 * DAY_MIN, -2350, 'Conad Bologna', 'settled', 'card-1002-a'],
    ['tx-1002-02', DAY_MIN, -150_000, 'Bonifico a Immobiliare Aurora srl', 'pending', null],
    ['tx-1002-03', 90, -1200, 'Autostrade per l’Italia', 'pending', 'card-1002-a'],
  ]),
  ...txs(SEED_IDS.oliver, [
    ['tx-1003-01', 4 * DAY_MIN, -3200, 'Trattoria da Luigi Roma', 'settled', 'card-1003-a'],
    ['tx-1003-02', 3 * DAY_MIN + 30, -1490, 'Uber BV', 'settled', 'card-1003-a'],
  ]),
];

export const CORE_BANKING_SEED: Readonly<CoreBankingSeed> = Object.freeze({
  customers,
  cards,
  transactions,
});

/** A fresh, mutable copy for one instance of the stand-in. */
export function cloneSeed(seed: Readonly<CoreBankingSeed> = CORE_BANKING_SEED): CoreBankingSeed {
  return structuredClone({
    customers: seed.customers,
    cards: seed.cards,
    transactions: seed.transactions,
  });
}
