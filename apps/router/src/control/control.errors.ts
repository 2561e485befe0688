import { AppError } from '@omnigate/kit';

/** Another agent answers this conversation: hand it back or release it only as that agent (→ 409). */
export class ControlConflictError extends AppError {
  constructor() {
    super('ROUTER.CONTROL_CONFLICT', 'another agent is answering this conversation');
  }
}
