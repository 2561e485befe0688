import { classifyGraphFailure, statusErrorOf } from './cloud-errors.mapper';

describe('classifyGraphFailure', () => {
  it('131047 → rejected with the 24-hour window code and reason', () => {
    expect(classifyGraphFailure({ status: 400, code: 131047 })).toMatchObject({
      kind: 'rejected',
      code: 'WHATSAPP.OUTSIDE_24H_WINDOW',
      reason: expect.stringContaining('24-hour window') as unknown,
    });
  });

  it.each([131026, 131051, 132001, 190, 131009])('%s → rejected, with our own reason', (code) => {
    const e = classifyGraphFailure({ status: code === 190 ? 401 : 400, code });
    expect(e).toMatchObject({ kind: 'rejected', code: `WHATSAPP.${code}`, retryable: false });
    expect(e.reason).toMatch(new RegExp(`\\(Meta ${code}\\)$`));
  });

  it.each([
    [400, 130429],
    [400, 131056],
    [429, 80007],
    [500, 131000],
    [503, null],
    [400, 131016],
  ])('HTTP %s code %s → retry', (status, code) => {
    expect(classifyGraphFailure({ status, code })).toMatchObject({
      kind: 'retry',
      retryable: true,
    });
  });

  it('no answer at all (network) → retry', () => {
    expect(classifyGraphFailure({ status: null, code: null })).toMatchObject({
      kind: 'retry',
      code: 'WHATSAPP.PROVIDER_UNREACHABLE',
    });
  });
});

describe('statusErrorOf', () => {
  it('uses our wording for known codes, Meta’s generic title otherwise', () => {
    expect(statusErrorOf([{ code: 131047, title: 'Re-engagement message' }]).code).toBe(
      'WHATSAPP.OUTSIDE_24H_WINDOW',
    );
    expect(statusErrorOf([{ code: 135000, title: 'Generic user error' }])).toEqual({
      code: 'WHATSAPP.135000',
      reason: 'Generic user error (Meta 135000)',
    });
    expect(statusErrorOf(undefined).code).toBe('WHATSAPP.FAILED');
  });
});
