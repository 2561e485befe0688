import { Injectable } from '@nestjs/common';
import type { Language } from '@omnigate/contracts';
import { MessagesRepository } from '@omnigate/store';
import { IntentClassifier } from '../intent/intent-classifier.port';

export const DEFAULT_LANGUAGE: Language = 'it';

/**
 * The language to write to the customer in: the intent classifier's language of the customer's
 * last message in the conversation; Italian when the customer has not written yet.
 */
@Injectable()
export class ConversationLanguageService {
  constructor(
    private readonly messages: MessagesRepository,
    private readonly classifier: IntentClassifier,
  ) {}

  async of(conversationId: string): Promise<Language> {
    const all = await this.messages.listAfter(conversationId, 0);
    const last = all.filter((m) => m.direction === 'inbound' && m.kind === 'text').at(-1);
    if (!last?.body.trim()) return DEFAULT_LANGUAGE;
    return this.classifier.classify(last.body).language;
  }
}
