import { NO_SCHEME, processedOnOf, reasonOptions, schemeBody } from './scheme-dispute.mapper';

describe('scheme dispute form', () => {
  it("offers each scheme's reasons with a name", () => {
    expect(reasonOptions('visa')[3]).toEqual({
      value: '10.4',
      label: '10.4 Other fraud, card absent',
    });
    expect(reasonOptions('mastercard').map((o) => o.value)).toEqual([
      '4808',
      '4834',
      '4837',
      '4853',
      '4870',
      '4871',
    ]);
  });

  it('sends nothing without a scheme, and a delivery date only where it counts', () => {
    expect(schemeBody(NO_SCHEME)).toEqual({});
    const visa = {
      scheme: 'visa' as const,
      reason: '10.4',
      processedOn: '2026-11-02',
      deliveryOn: '2026-11-20',
    };
    expect(schemeBody(visa)).toEqual({
      cardScheme: 'visa',
      schemeReason: '10.4',
      transactionProcessedOn: '2026-11-02',
    });
    expect(schemeBody({ ...visa, reason: '13.1' }).deliveryOn).toBe('2026-11-20');
  });

  it("fills the processing date from a transaction's time, in a given time zone", () => {
    // 23:30Z on 30 Nov is 1 December in Rome, still 30 November in New York.
    expect(processedOnOf('2026-11-30T23:30:00Z', 'Europe/Rome')).toBe('2026-12-01');
    expect(processedOnOf('2026-11-30T23:30:00Z', 'America/New_York')).toBe('2026-11-30');
  });
});
