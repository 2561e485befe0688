import type { IntentResult } from '@omnigate/contracts';

/**
 * What a customer message is about, and in which language. A port so that a model can replace
 * the rules later without touching the inbound path. Synchronous and cheap by contract: it runs
 * on every inbound message, before the reply is decided.
 */
export abstract class IntentClassifier {
  abstract classify(text: string): IntentResult;
}
