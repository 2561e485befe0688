import { AppError } from '@omnigate/kit';

export class ConversationNotFoundError extends AppError {
  constructor(id: string) {
    super('CONSOLE.CONVERSATION_NOT_FOUND', `conversation ${id} does not exist`);
  }
}
