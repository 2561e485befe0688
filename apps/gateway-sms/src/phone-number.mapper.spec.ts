import { toE164, toE164OrRaw } from './phone-number.mapper';

describe('toE164', () => {
  it('keeps valid E.164 numbers', () => {
    expect(toE164('+393471234567', 'IT')).toBe('+393471234567');
    expect(toE164('+14155550100', 'IT')).toBe('+14155550100');
  });

  it('reads national and spaced forms in the default region', () => {
    expect(toE164('347 123 4567', 'IT')).toBe('+393471234567');
    expect(toE164('tel:+39 347 1234567', 'IT')).toBe('+393471234567');
    expect(toE164('(415) 555-0100', 'US')).toBe('+14155550100');
  });

  it('refuses what is not a valid number', () => {
    expect(toE164('+1555', 'IT')).toBeNull();
    expect(toE164('+447700900123', 'IT')).toBeNull(); // UK drama range: not assigned
    expect(toE164('hello', 'IT')).toBeNull();
    expect(toE164('', 'IT')).toBeNull();
  });

  it('leaves short codes as they are', () => {
    expect(toE164OrRaw(' 12345 ', 'IT')).toBe('12345');
    expect(toE164OrRaw('3471234567', 'IT')).toBe('+393471234567');
  });
});
