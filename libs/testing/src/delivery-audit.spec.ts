import { auditDelivery } from './delivery-audit';
import type { SentMessage, StoredRow } from './delivery-audit';

const sent: SentMessage[] = [
  { key: 'a0', sender: 0, n: 0 },
  { key: 'a1', sender: 0, n: 1 },
  { key: 'a2', sender: 0, n: 2 },
  { key: 'b0', sender: 1, n: 0 },
  { key: 'b1', sender: 1, n: 1 },
];
const row = (conversationId: string, seq: number, key: string): StoredRow => ({
  conversationId,
  seq,
  key,
});

describe('auditDelivery', () => {
  it('finds nothing wrong when each message is stored once, in its sender’s order', () => {
    const rows = [row('B', 2, 'b1'), row('A', 1, 'a0'), row('A', 2, 'a1'), row('A', 3, 'a2')];
    expect(auditDelivery(sent, [...rows, row('B', 1, 'b0')])).toEqual({
      sent: 5,
      stored: 5,
      lost: 0,
      duplicated: 0,
      unknown: 0,
      orderViolations: 0,
      lostBySender: {},
    });
  });

  it('counts the lost (by sender), the duplicated, the unknown and each overtaking', () => {
    const rows = [
      row('A', 1, 'a1'),
      row('A', 2, 'a0'),
      row('A', 3, 'a0'),
      row('B', 1, 'b0'),
      row('B', 2, 'x9'),
    ];
    expect(auditDelivery(sent, rows)).toEqual({
      sent: 5,
      stored: 5,
      lost: 2,
      duplicated: 1,
      unknown: 1,
      orderViolations: 1,
      lostBySender: { 0: [2], 1: [1] },
    });
  });

  it('counts two senders in one conversation as out of order', () => {
    const rows = [row('A', 1, 'a0'), row('A', 2, 'b0')];
    expect(auditDelivery(sent, rows).orderViolations).toBe(1);
  });
});
