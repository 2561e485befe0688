import type { IntentResult } from '@omnigate/contracts';
import { evaluateIntents, parseIntentCorpus } from './intent-metrics.mapper';

describe('parseIntentCorpus', () => {
  it('reads JSON lines and skips blank ones', () => {
    const r = parseIntentCorpus(
      '{"text":"ciao","intent":"other","lang":"it"}\n\n{"text":"hi","intent":"human","lang":"en"}\n',
    );
    expect(r).toEqual({
      samples: [
        { text: 'ciao', intent: 'other', lang: 'it' },
        { text: 'hi', intent: 'human', lang: 'en' },
      ],
      errors: [],
    });
  });

  it('names each malformed line', () => {
    const r = parseIntentCorpus(
      [
        '{"text":"ok","intent":"other","lang":"it"}',
        'not json',
        '{"text":1,"intent":"other","lang":"it"}',
        '{"text":"x","intent":"weather","lang":"it"}',
        '{"text":"x","intent":"other","lang":"fr"}',
        'null',
      ].join('\n'),
    );
    expect(r.samples).toHaveLength(1);
    expect(r.errors).toEqual([
      'line 2: not JSON',
      'line 3: text must be a string',
      'line 4: unknown intent weather',
      'line 5: lang must be it or en',
      'line 6: text must be a string',
    ]);
  });
});

describe('evaluateIntents', () => {
  it('computes precision, recall, F1, accuracy and the confusion pairs', () => {
    const predict: Record<string, IntentResult['intent']> = {
      a: 'fraud',
      b: 'fraud',
      c: 'card_blocked',
      d: 'other',
    };
    const e = evaluateIntents(
      [
        { text: 'a', intent: 'fraud', lang: 'it' },
        { text: 'b', intent: 'card_blocked', lang: 'it' },
        { text: 'c', intent: 'card_blocked', lang: 'en' },
        { text: 'd', intent: 'other', lang: 'en' },
      ],
      (t) => ({ intent: predict[t] ?? 'other', confidence: 1, language: 'it' }),
    );
    expect(e.perIntent).toEqual([
      { intent: 'fraud', precision: 0.5, recall: 1, f1: 2 / 3, support: 1 },
      { intent: 'card_blocked', precision: 1, recall: 0.5, f1: 2 / 3, support: 2 },
      { intent: 'other', precision: 1, recall: 1, f1: 1, support: 1 },
    ]);
    expect(e.accuracy).toBe(0.75);
    expect(e.languageAccuracy).toBe(0.5);
    expect(e.macroPrecision).toBeCloseTo(2.5 / 3);
    expect(e.confusions).toEqual([
      { expected: 'card_blocked', predicted: 'fraud', count: 1, texts: ['b'] },
    ]);
  });
});
