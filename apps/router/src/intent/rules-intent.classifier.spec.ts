import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Test } from '@nestjs/testing';
import { IntentResultSchema } from '@omnigate/contracts';
import type { Intent } from '@omnigate/contracts';
import { IntentClassifier } from './intent-classifier.port';
import { evaluateIntents, parseIntentCorpus } from './intent-metrics.mapper';
import { RulesIntentClassifier } from './rules-intent.classifier';

const classifier = new RulesIntentClassifier();
const FIXTURES = join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'intents');

describe('RulesIntentClassifier', () => {
  it('is what Nest injects for the IntentClassifier token', async () => {
    const moduleRef = await Test.createTestingModule({
      providers: [{ provide: IntentClassifier, useClass: RulesIntentClassifier }],
    }).compile();
    const injected = moduleRef.get(IntentClassifier);
    expect(injected).toBeInstanceOf(RulesIntentClassifier);
    expect(injected.classify('carta bloccata').intent).toBe('card_blocked');
    await moduleRef.close();
  });

  it.each<[string, Intent, 'it' | 'en']>([
    ['mi hanno clonato la carta', 'fraud', 'it'],
    ["c'è un addebito che non riconosco", 'fraud', 'it'],
    ['nn ho fatto io quel pagamento', 'fraud', 'it'],
    ["l’ho persa e qualcuno l'ha usata", 'fraud', 'it'],
    ['someone used my card', 'fraud', 'en'],
    ["I didn't authorise this payment", 'fraud', 'en'],
    ['carta bloccata', 'card_blocked', 'it'],
    ['la mia carta è stata rifiutata al supermercato', 'card_blocked', 'it'],
    ['my card is blocked', 'card_blocked', 'en'],
    ["can't pay, card declined", 'card_blocked', 'en'],
    ['bonifico non arrivato', 'transfer_stuck', 'it'],
    ['transfer pending for 3 days', 'transfer_stuck', 'en'],
    ['voglio contestare un pagamento', 'dispute', 'it'],
    ['I was charged twice, chargeback please', 'dispute', 'en'],
    ['documenti per aprire il conto', 'onboarding', 'it'],
    ['how do I open an account?', 'onboarding', 'en'],
    ['voglio parlare con un operatore', 'human', 'it'],
    ['talk to a human', 'human', 'en'],
    ['qual è il mio saldo?', 'other', 'it'],
    ['thanks, bye', 'other', 'en'],
  ])('%s → %s (%s)', (text, intent, language) => {
    const r = classifier.classify(text);
    expect(r).toMatchObject({ intent, language });
    expect(IntentResultSchema.parse(r)).toEqual(r);
  });

  it('calls a blocked card with a payment the customer did not make fraud, in both languages', () => {
    for (const text of [
      'mi hanno bloccato la carta, non ho fatto io quel pagamento',
      'you blocked my card but I did not make that payment',
    ]) {
      expect(classifier.classify(text).intent).toBe('fraud');
    }
    expect(
      classifier.classify('mi avete bloccato la carta ma non ho fatto niente di strano').intent,
    ).toBe('card_blocked');
  });

  it('is not confused by card tokens left by the PAN redactor', () => {
    const token = '[card visa ****1111 ref_abcdefghijklmnopabcd]';
    expect(classifier.classify(`la carta ${token} è bloccata`).intent).toBe('card_blocked');
    expect(classifier.classify(`${token} is blocked`)).toMatchObject({ intent: 'card_blocked' });
    expect(classifier.classify(`[card:ref_abcdefghijklmnop]`).intent).toBe('other');
    expect(classifier.classify(token).intent).toBe('other');
  });

  it('detects the language by its words, Italian by default', () => {
    expect(classifier.classify('buongiorno, vorrei sapere una cosa').language).toBe('it');
    expect(classifier.classify('good morning, I would like to know something').language).toBe('en');
    expect(classifier.classify('12345').language).toBe('it');
    expect(classifier.classify('').language).toBe('it');
  });

  it('gives a confidence in 0..1, higher for a clear message than for a mixed one', () => {
    const clear = classifier.classify(
      'mi hanno clonato la carta, truffa, addebito non autorizzato',
    );
    const mixed = classifier.classify('carta bloccata, voglio un operatore');
    for (const r of [clear, mixed]) {
      expect(r.confidence).toBeGreaterThanOrEqual(0);
      expect(r.confidence).toBeLessThanOrEqual(1);
    }
    expect(clear.confidence).toBeGreaterThan(mixed.confidence);
  });

  it.each([
    ['empty', ''],
    ['blank', '   \n\t '],
    ['emoji only', '🙏👍😡'],
    ['10k letters', 'x'.repeat(10_000)],
    ['10k digits', '1'.repeat(10_000)],
    ['not a string', 42 as unknown as string],
  ])('bad input (%s) → other, quickly', (_name, text) => {
    const start = performance.now();
    const r = classifier.classify(text);
    expect(performance.now() - start).toBeLessThan(50);
    expect(r.intent).toBe('other');
    expect(IntentResultSchema.safeParse(r).success).toBe(true);
  });

  // ~30 µs for a chat line and ~0.4 ms for a 1000-character message on an idle machine; the
  // bound is loose because the suite shares two cores with other test runs.
  it('classifies a long message in about a millisecond at most', () => {
    const text =
      'buongiorno, ieri ho fatto un bonifico di 500 euro e non è ancora arrivato. '.repeat(30);
    classifier.classify(text);
    const start = performance.now();
    for (let i = 0; i < 200; i++) classifier.classify(text);
    expect((performance.now() - start) / 200).toBeLessThan(3);
  });
});

describe('intent corpus', () => {
  const load = (file: string) => parseIntentCorpus(readFileSync(join(FIXTURES, file), 'utf8'));

  it.each([
    ['corpus.jsonl', 0.9, 25],
    ['holdout.jsonl', 0.8, 8],
  ])(
    '%s: well formed, every intent in both languages, macro P and R ≥ %s',
    (file, min, perLang) => {
      const { samples, errors } = load(file);
      expect(errors).toEqual([]);
      for (const lang of ['it', 'en'] as const) {
        for (const intent of [
          'fraud',
          'card_blocked',
          'transfer_stuck',
          'dispute',
          'onboarding',
          'human',
          'other',
        ] as const) {
          const n = samples.filter((s) => s.lang === lang && s.intent === intent).length;
          expect({ lang, intent, n: n >= perLang }).toEqual({ lang, intent, n: true });
        }
      }
      const e = evaluateIntents(samples, (t) => classifier.classify(t));
      expect(e.macroPrecision).toBeGreaterThanOrEqual(min);
      expect(e.macroRecall).toBeGreaterThanOrEqual(min);
    },
  );

  it('blind.jsonl (measured by the report, never asserted on) is well formed', () => {
    expect(load('blind.jsonl').errors).toEqual([]);
  });
});
