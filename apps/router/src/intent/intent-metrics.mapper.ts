import { INTENTS, IntentSchema, LanguageSchema } from '@omnigate/contracts';
import type { Intent, IntentResult, Language } from '@omnigate/contracts';

/** One labelled phrasing of the intent corpus (test/fixtures/intents/*.jsonl). */
export interface IntentSample {
  text: string;
  intent: Intent;
  lang: Language;
}

export interface CorpusParse {
  samples: IntentSample[];
  /** "line 12: …" for each malformed line; a corpus with errors must not be scored. */
  errors: string[];
}

/** JSON lines `{"text","intent","lang"}`; blank lines are skipped, anything else is an error. Pure. */
export function parseIntentCorpus(jsonl: string): CorpusParse {
  const samples: IntentSample[] = [];
  const errors: string[] = [];
  jsonl.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      errors.push(`line ${i + 1}: not JSON`);
      return;
    }
    const v = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
    const intent = IntentSchema.safeParse(v['intent']);
    const lang = LanguageSchema.safeParse(v['lang']);
    if (typeof v['text'] !== 'string') errors.push(`line ${i + 1}: text must be a string`);
    else if (!intent.success) errors.push(`line ${i + 1}: unknown intent ${String(v['intent'])}`);
    else if (!lang.success) errors.push(`line ${i + 1}: lang must be it or en`);
    else samples.push({ text: v['text'], intent: intent.data, lang: lang.data });
  });
  return { samples, errors };
}

export interface IntentScore {
  intent: Intent;
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface IntentEvaluation {
  perIntent: IntentScore[];
  /** Means over the intents that have support or predictions. */
  macroPrecision: number;
  macroRecall: number;
  accuracy: number;
  languageAccuracy: number;
  /** expected → predicted, most frequent first, with the texts. */
  confusions: { expected: Intent; predicted: Intent; count: number; texts: string[] }[];
  total: number;
}

/** Precision, recall and F1 per intent, accuracy and the confusion pairs of a classifier. Pure. */
export function evaluateIntents(
  samples: readonly IntentSample[],
  classify: (text: string) => IntentResult,
): IntentEvaluation {
  const tp = new Map<Intent, number>();
  const predicted = new Map<Intent, number>();
  const support = new Map<Intent, number>();
  const pairs = new Map<
    string,
    { expected: Intent; predicted: Intent; count: number; texts: string[] }
  >();
  let correct = 0;
  let langCorrect = 0;
  for (const s of samples) {
    const r = classify(s.text);
    inc(support, s.intent);
    inc(predicted, r.intent);
    if (r.language === s.lang) langCorrect++;
    if (r.intent === s.intent) {
      inc(tp, s.intent);
      correct++;
      continue;
    }
    const key = `${s.intent}>${r.intent}`;
    const pair = pairs.get(key) ?? { expected: s.intent, predicted: r.intent, count: 0, texts: [] };
    pair.count++;
    pair.texts.push(s.text);
    pairs.set(key, pair);
  }
  const perIntent = INTENTS.filter((i) => (support.get(i) ?? 0) + (predicted.get(i) ?? 0) > 0).map(
    (intent) => {
      const t = tp.get(intent) ?? 0;
      const p = predicted.get(intent) ?? 0;
      const n = support.get(intent) ?? 0;
      const precision = p === 0 ? 0 : t / p;
      const recall = n === 0 ? 0 : t / n;
      const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
      return { intent, precision, recall, f1, support: n };
    },
  );
  const total = samples.length;
  return {
    perIntent,
    macroPrecision: mean(perIntent.map((s) => s.precision)),
    macroRecall: mean(perIntent.map((s) => s.recall)),
    accuracy: total === 0 ? 0 : correct / total,
    languageAccuracy: total === 0 ? 0 : langCorrect / total,
    confusions: [...pairs.values()].sort((a, b) => b.count - a.count),
    total,
  };
}

function inc(m: Map<Intent, number>, k: Intent): void {
  m.set(k, (m.get(k) ?? 0) + 1);
}

function mean(xs: readonly number[]): number {
  return xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length;
}
