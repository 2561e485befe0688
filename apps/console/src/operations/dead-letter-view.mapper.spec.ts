import type { DeadLetterRecord } from '@omnigate/bus';
import { toDeadLetterView } from './dead-letter-view.mapper';

const entry = (payload: string, message = 'failed'): DeadLetterRecord => ({
  id: 7,
  type: 'omnigate.dlq.entry.v1',
  version: 1,
  stream: 'MSG_IN',
  consumer: 'router-inbound',
  subject: 'msg.in.v1.sms',
  streamSeq: 42,
  deliveryCount: 5,
  error: { code: 'HANDLER.FAILED', message },
  payload,
  at: '2026-01-01T10:00:00.000Z',
});

describe('toDeadLetterView', () => {
  const inbound = {
    channel: 'sms',
    kind: 'text',
    providerMessageId: 'SM123',
    from: { address: '+393471234567', name: 'Giulia Rossi' },
    text: 'La mia carta è bloccata, chiamatemi al +39 347 123 4567 o giulia@example.it',
    meta: { street: 'Via Roma 12', note: 'scrivere a giulia@example.it' },
  };

  it('shows no phone, address, name or body in clear, and keeps what an operator needs', () => {
    const view = toDeadLetterView(entry(JSON.stringify(inbound), 'no customer for +393471234567'));
    const text = JSON.stringify(view);
    for (const secret of ['3471234567', '347 123 4567', 'Giulia', 'giulia@', 'Via Roma', 'carta']) {
      expect(text).not.toContain(secret);
    }
    const payload = JSON.parse(view.payload) as typeof inbound;
    expect(payload).toMatchObject({ channel: 'sms', kind: 'text', providerMessageId: 'SM123' });
    expect(payload.text).toBe(`••• (${inbound.text.length} characters)`);
    expect(payload.from.address).toBe('•••567');
    expect(view).toMatchObject({ id: 7, stream: 'MSG_IN', consumer: 'router-inbound' });
    expect(view.error.code).toBe('HANDLER.FAILED');
  });

  it('shows nothing of a payload that is not JSON', () => {
    const view = toDeadLetterView(entry('chiamami al +393471234567'));
    expect(view.payload).toBe('••• (25 characters, not JSON)');
  });
});
