import { AppError } from './app-error';
import { isTransientFailure } from './transient-failure';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('isTransientFailure', () => {
  it.each([
    ['a refused connection', withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')],
    ['a reset connection', withCode('read ECONNRESET', 'ECONNRESET')],
    ['PostgreSQL shutting down (57P01)', withCode('terminating connection', '57P01')],
    ['a connection exception (08006)', withCode('connection failure', '08006')],
    ['a serialization failure (40001)', withCode('could not serialize', '40001')],
    ['the pool losing a connection', new Error('Connection terminated unexpectedly')],
    ['the pool timing out', new Error('timeout exceeded when trying to connect')],
    [
      'an AppError marked transient',
      new AppError('CORE_BANKING.UNAVAILABLE', 'x', { transient: true }),
    ],
    [
      'drizzle wrapping a refused connection',
      new Error('Failed query: select 1', {
        cause: withCode('connect ECONNREFUSED', 'ECONNREFUSED'),
      }),
    ],
    [
      'every address of a host refusing',
      Object.assign(new AggregateError([withCode('refused', 'ECONNREFUSED')], 'x'), {}),
    ],
  ])('%s is transient', (_what, e) => {
    expect(isTransientFailure(e)).toBe(true);
  });

  it.each([
    ['a bug', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['a unique violation (23505)', withCode('duplicate key', '23505')],
    ['a retryable AppError of its own', new AppError('PROVIDER.5XX', 'x', { retryable: true })],
    [
      'a permanent AppError, whatever its cause',
      new AppError('X.INVALID', 'x', { cause: withCode('refused', 'ECONNREFUSED') }),
    ],
    [
      'a deliberate, limited retry (an identity lookup deferred), whatever its cause',
      new AppError('X.DEFERRED', 'x', {
        retryable: true,
        cause: new AppError('BUS.UNAVAILABLE', 'no answer', { transient: true }),
      }),
    ],
    ['nothing', undefined],
    ['a string', 'ECONNREFUSED'],
  ])('%s is not', (_what, e) => {
    expect(isTransientFailure(e)).toBe(false);
  });

  it('a transient AppError is retryable too', () => {
    expect(new AppError('X.UNAVAILABLE', 'x', { transient: true }).retryable).toBe(true);
  });
});
