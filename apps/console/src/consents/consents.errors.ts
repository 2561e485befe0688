import { AppError } from '@omnigate/kit';

export class CustomerNotFoundError extends AppError {
  constructor() {
    super('CONSOLE.CUSTOMER_NOT_FOUND', 'no such customer');
  }
}
