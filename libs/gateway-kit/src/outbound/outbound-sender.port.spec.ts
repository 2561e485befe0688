import { AppError } from '@omnigate/kit';
import { ProviderSendError } from '../gateway-kit.errors';
import { sendFailureOf } from './outbound-sender.port';

class TestSendError extends ProviderSendError {}

describe('sendFailureOf (what the send loop does with a failed send)', () => {
  it('takes a provider error at its word: rejected, opted out and blocked end in a failed status', () => {
    for (const kind of ['rejected', 'opted_out', 'blocked'] as const) {
      expect(sendFailureOf(new TestSendError(kind, 'TEST.NO', 'Not sent: because'))).toEqual({
        kind,
        code: 'TEST.NO',
        reason: 'Not sent: because',
      });
    }
  });

  it('retries everything else under its code: a provider retry, an AppError, a bug', () => {
    const retry = new TestSendError('retry', 'TEST.LATER', 'try later');
    expect(retry.retryable).toBe(true);
    expect(sendFailureOf(retry)).toEqual({ kind: 'retry', code: 'TEST.LATER' });
    const kv = new AppError('GATEWAY.STATE_UNAVAILABLE', 'kv', { retryable: true });
    expect(sendFailureOf(kv)).toEqual({ kind: 'retry', code: 'GATEWAY.STATE_UNAVAILABLE' });
    expect(sendFailureOf(new TypeError('x is undefined'))).toEqual({
      kind: 'retry',
      code: 'GATEWAY.SEND_FAILED',
    });
  });
});
