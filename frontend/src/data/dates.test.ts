import { describe, expect, it } from 'vitest';
import { addMonths, checkExpiration, defaultExpiration, earliestExpiration, isoDay, latestExpiration, validDays } from './dates';

const at = (s: string) => new Date(s + 'T15:00:00Z');

describe('expiration dates', () => {
  it('adds calendar months like the server (end of month clamps)', () => {
    expect(isoDay(addMonths(new Date(Date.UTC(2026, 0, 31)), 1))).toBe('2026-02-28');
    expect(isoDay(addMonths(new Date(Date.UTC(2027, 0, 31)), 13))).toBe('2028-02-29');
    expect(isoDay(addMonths(new Date(Date.UTC(2026, 11, 31)), 13))).toBe('2028-01-31');
  });

  it('defaults to one year and allows at most 13 months, from tomorrow on', () => {
    const now = at('2026-11-22');
    expect(defaultExpiration(now)).toBe('2027-11-22');
    expect(latestExpiration(now)).toBe('2027-12-22');
    expect(earliestExpiration(now)).toBe('2026-11-23');
  });

  it('refuses a date more than 13 months ahead, today or before, or not a date', () => {
    const now = at('2026-11-22');
    expect(checkExpiration('2027-12-22', now)).toBeUndefined();
    expect(checkExpiration('2027-12-23', now)).toMatch(/at most 13 months.*2027-12-22/);
    expect(checkExpiration('2026-11-22', now)).toMatch(/after today/);
    expect(checkExpiration('', now)).toMatch(/Choose/);
    expect(checkExpiration('22/11/2027', now)).toMatch(/YYYY-MM-DD/);
  });

  it('counts valid days from today (UTC)', () => {
    expect(validDays('2026-12-22', at('2026-11-22'))).toBe(30);
    expect(validDays('2026-11-01', at('2026-11-22'))).toBe(0);
  });
});
