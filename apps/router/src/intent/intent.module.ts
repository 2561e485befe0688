import { Module } from '@nestjs/common';
import { IntentClassifier } from './intent-classifier.port';
import { RulesIntentClassifier } from './rules-intent.classifier';

/** What a message is about and its language. */
@Module({
  // The rules now; a model later behind the same port.
  providers: [{ provide: IntentClassifier, useFactory: () => new RulesIntentClassifier() }],
  exports: [IntentClassifier],
})
export class IntentModule {}
