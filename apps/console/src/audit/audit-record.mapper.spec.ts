import { ForbiddenException } from '@nestjs/common';
import { z } from 'zod';
import { AppError } from '@omnigate/kit';
import { auditEntryFor, factsFromResult, outcomeOfError } from './audit-record.mapper';

const CUSTOMER = '0b5b3f7e-2f0a-4a53-9a51-6f1f5a1b2c3d';
const CONV = '9a1c2b3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d';

describe('audit record mapper', () => {
  it('calls 401/403 denied, other errors failed, and leaves malformed requests (400) out', () => {
    expect(outcomeOfError(new AppError('CONSOLE.ROLE_FORBIDDEN', 'x'))).toEqual({
      outcome: 'denied',
      code: 'CONSOLE.ROLE_FORBIDDEN',
    });
    expect(outcomeOfError(new AppError('CONSOLE.TOKEN_EXPIRED', 'x'))?.outcome).toBe('denied');
    expect(outcomeOfError(new ForbiddenException())).toEqual({
      outcome: 'denied',
      code: 'HTTP.403',
    });
    expect(outcomeOfError(new AppError('BUS.UNAVAILABLE', 'x'))).toEqual({
      outcome: 'failed',
      code: 'BUS.UNAVAILABLE',
    });
    expect(outcomeOfError(new Error('boom'))).toEqual({ outcome: 'failed', code: 'INTERNAL' });
    expect(outcomeOfError(new AppError('REQUEST.INVALID', 'x'))).toBeNull();
    expect(outcomeOfError(z.uuid().safeParse('x').error)).toBeNull();
  });

  it('finds the customer and their assurance in the answers that carry them', () => {
    expect(factsFromResult({ customer: { id: CUSTOMER }, assurance: { level: 'strong' } })).toEqual(
      { customerId: CUSTOMER, assurance: 'strong' },
    );
    expect(factsFromResult({ conversation: { customer: { id: CUSTOMER } } })).toEqual({
      customerId: CUSTOMER,
    });
    expect(factsFromResult({ approval: { customerId: CUSTOMER } })).toEqual({
      customerId: CUSTOMER,
    });
    expect(factsFromResult({ customerId: 'not-a-uuid' })).toEqual({});
    expect(factsFromResult(null)).toEqual({});
    expect(factsFromResult([1, 2])).toEqual({});
  });

  it('takes the subject and the other ids from the route, short enums from the body, never free text', () => {
    const entry = auditEntryFor(
      { action: 'card.unblock', subjectParam: 'cardId', bodyFields: ['action'] },
      {
        params: { id: CONV, cardId: 'card-1' },
        body: { action: 'take_over', reason: 'the customer called from a new phone' },
      },
      { outcome: 'denied', code: 'ACTION.FRAUD_UNBLOCK_NEEDS_APPROVAL' },
    );
    expect(entry).toEqual({
      action: 'card.unblock',
      subject: 'card-1',
      outcome: 'denied',
      detail: {
        conversationId: CONV,
        action: 'take_over',
        code: 'ACTION.FRAUD_UNBLOCK_NEEDS_APPROVAL',
      },
    });
    expect(JSON.stringify(entry)).not.toContain('new phone');
  });

  it('uses a customer route param as the customer, a fixed subject when there is no id', () => {
    expect(
      auditEntryFor(
        { action: 'consent.view', customerParam: 'id' },
        { params: { id: CUSTOMER } },
        { outcome: 'ok' },
      ),
    ).toEqual({ action: 'consent.view', subject: CUSTOMER, customerId: CUSTOMER, outcome: 'ok' });
    expect(
      auditEntryFor(
        { action: 'conversation.list', subject: 'conversations' },
        { params: {} },
        { outcome: 'ok' },
        [{ customer: { id: CUSTOMER } }],
      ),
    ).toEqual({ action: 'conversation.list', subject: 'conversations', outcome: 'ok' });
  });

  it('cuts anything id-shaped that is too long', () => {
    const entry = auditEntryFor(
      { action: 'x.view' },
      { params: { id: 'a'.repeat(1000) } },
      { outcome: 'ok' },
    );
    expect(entry.subject).toHaveLength(128);
  });
});
