import { dueForWatermark } from './receipts.mapper';

describe('dueForWatermark', () => {
  const rows = [
    { id: 'a', seq: 2, status: 'sent' as const },
    { id: 'b', seq: 4, status: 'delivered' as const },
    { id: 'c', seq: 5, status: 'read' as const },
    { id: 'd', seq: 6, status: null },
    { id: 'e', seq: 7, status: 'failed' as const },
    { id: 'f', seq: 9, status: 'sent' as const },
  ];

  it('keeps the messages up to the watermark whose state moves forward', () => {
    expect(dueForWatermark(rows, 'delivered', 8).map((r) => r.id)).toEqual(['a', 'd']);
    expect(dueForWatermark(rows, 'read', 8).map((r) => r.id)).toEqual(['a', 'b', 'd']);
  });

  it('is empty below the first outbound message', () => {
    expect(dueForWatermark(rows, 'read', 1)).toEqual([]);
  });
});
