import { classifyTelegramFailure } from './telegram-errors.mapper';

const f = (
  status: number | null,
  description: string | null = null,
  retryAfterS: number | null = null,
) => classifyTelegramFailure({ status, description, retryAfterS });

describe('classifyTelegramFailure', () => {
  it('403 bot was blocked → blocked, not retryable, with a reason an agent understands', () => {
    const e = f(403, 'Forbidden: bot was blocked by the user');
    expect(e).toMatchObject({ kind: 'blocked', code: 'TELEGRAM.BLOCKED', retryable: false });
    expect(e.reason).toMatch(/blocked our Telegram bot/);
  });

  it('400 chat not found and other 4xx → rejected, not retried', () => {
    expect(f(400, 'Bad Request: chat not found')).toMatchObject({
      kind: 'rejected',
      code: 'TELEGRAM.CHAT_NOT_FOUND',
      retryable: false,
    });
    expect(f(400, 'Bad Request: message text is empty')).toMatchObject({
      kind: 'rejected',
      code: 'TELEGRAM.400',
    });
    expect(f(403, 'Forbidden: user is deactivated')).toMatchObject({
      kind: 'rejected',
      code: 'TELEGRAM.FORBIDDEN',
    });
  });

  it('429 → retry after exactly retry_after (5 s when Telegram gave none)', () => {
    expect(f(429, 'Too Many Requests: retry after 7', 7)).toMatchObject({
      kind: 'retry_after',
      retryAfterMs: 7000,
      retryable: true,
    });
    expect(f(429, 'Too Many Requests').retryAfterMs).toBe(5000);
  });

  it('5xx, no answer, and a refused token → retry with backoff', () => {
    expect(f(502, 'Bad Gateway')).toMatchObject({ kind: 'retry', code: 'TELEGRAM.UNAVAILABLE' });
    expect(f(null)).toMatchObject({ kind: 'retry', code: 'TELEGRAM.UNREACHABLE' });
    expect(f(401, 'Unauthorized')).toMatchObject({ kind: 'retry', code: 'TELEGRAM.UNAUTHORIZED' });
  });
});
