import { Injectable } from '@nestjs/common';
import { INTENTS } from '@omnigate/contracts';
import type { Intent, IntentResult } from '@omnigate/contracts';
import { IntentClassifier } from './intent-classifier.port';
import { detectLanguage, normalizeIntentText } from './intent-text.mapper';
import { INTENT_RULES } from './intent.rules';

/** Below this much evidence the message is `other`: one strong cue is enough, one weak is not. */
export const MIN_INTENT_SCORE = 2;
/**
 * Fraud outranks the intents it is usually mixed with ("you blocked my card, I did not make that
 * payment" is fraud): sending a fraud case to the card queue costs more than the other way round.
 */
const FRAUD_BOOST = 1.5;
const OTHER = INTENTS.indexOf('other');
const FRAUD = INTENTS.indexOf('fraud');

interface CompiledRule {
  readonly index: number;
  readonly weight: number;
  readonly all: readonly RegExp[];
}

/**
 * Rules in Italian and English (intent.rules.ts) over a normalised text: each rule that matches
 * adds its weight to its intent; the highest score wins if it reaches MIN_INTENT_SCORE and beats
 * the evidence for `other`. Confidence grows with the score and with the margin over the runner-up.
 */
@Injectable()
export class RulesIntentClassifier extends IntentClassifier {
  private readonly rules: readonly CompiledRule[];
  /** Reused between calls: classify is synchronous, so no two calls share it at once. */
  private readonly scores = new Float64Array(INTENTS.length);

  // No constructor parameters: Nest builds it from `{ provide: IntentClassifier, useClass: … }`.
  constructor() {
    super();
    this.rules = INTENT_RULES.map((r) => ({
      index: INTENTS.indexOf(r.intent),
      weight: r.weight,
      all: r.all,
    }));
  }

  classify(text: string): IntentResult {
    const normalized = normalizeIntentText(typeof text === 'string' ? text : '');
    const language = detectLanguage(normalized);
    const scores = this.score(normalized);
    let best = -1;
    let bestScore = 0;
    let second = 0;
    for (let i = 0; i < scores.length; i++) {
      if (i === OTHER) continue;
      const s = scores[i] ?? 0;
      if (s > bestScore) {
        second = bestScore;
        bestScore = s;
        best = i;
      } else if (s > second) second = s;
    }
    const otherScore = scores[OTHER] ?? 0;
    if (best < 0 || bestScore < MIN_INTENT_SCORE || otherScore >= bestScore) {
      return { intent: 'other', confidence: otherConfidence(bestScore, otherScore), language };
    }
    const intent = INTENTS[best] as Intent;
    return { intent, confidence: confidence(bestScore, Math.max(second, otherScore)), language };
  }

  private score(normalized: string): Float64Array {
    const scores = this.scores;
    scores.fill(0);
    for (const rule of this.rules) {
      let matched = true;
      for (const re of rule.all) {
        if (!re.test(normalized)) {
          matched = false;
          break;
        }
      }
      if (matched) scores[rule.index] = (scores[rule.index] ?? 0) + rule.weight;
    }
    scores[FRAUD] = (scores[FRAUD] ?? 0) * FRAUD_BOOST;
    return scores;
  }
}

function confidence(best: number, runnerUp: number): number {
  const strength = 1 - Math.exp(-best / 3);
  const margin = (best - runnerUp) / best;
  return round2(strength * (0.5 + 0.5 * margin));
}

function otherConfidence(bestTopic: number, other: number): number {
  if (other > 0 && other >= bestTopic) return round2(1 - Math.exp(-other / 3));
  return round2(Math.max(0.5, 1 - bestTopic / (2 * MIN_INTENT_SCORE)));
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
