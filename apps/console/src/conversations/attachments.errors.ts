import { AppError } from '@omnigate/kit';

export class AttachmentNotFoundError extends AppError {
  constructor(reason: string) {
    super('CONSOLE.ATTACHMENT_NOT_FOUND', reason);
  }
}
