import { AppError } from '@omnigate/kit';

/** Only a supervisor or an admin puts dead letters back (→ 403). */
export class RedriveForbiddenError extends AppError {
  constructor(role: string) {
    super(
      'DLQ.REDRIVE_FORBIDDEN',
      `the role ${role} may not redrive dead letters: a supervisor or an admin may`,
    );
  }
}
