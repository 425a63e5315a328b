// Calendar dates of connection expiry, computed as the server does (provision/service.go): days are UTC
// calendar days, months are calendar months (January 31 plus one month is the last day of February).

export const DEFAULT_VALIDITY_MONTHS = 12;
export const MAX_VALIDITY_MONTHS = 13;

/** YYYY-MM-DD of a date's UTC calendar day. */
export function isoDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** Today's UTC calendar day as a Date at 00:00 UTC. */
export function todayUTC(now: Date = new Date()): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
}

/** Adds n calendar months, keeping the day of the month or using the target month's last day. */
export function addMonths(d: Date, n: number): Date {
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth() + n;
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return new Date(Date.UTC(y, m, Math.min(d.getUTCDate(), lastDay)));
}

export function addDays(d: Date, n: number): Date {
  return new Date(d.getTime() + n * 86_400_000);
}

/** The default expiration date of new credentials: one year from today. */
export function defaultExpiration(now: Date = new Date()): string {
  return isoDay(addMonths(todayUTC(now), DEFAULT_VALIDITY_MONTHS));
}

/** The latest expiration date allowed: 13 months from today. */
export function latestExpiration(now: Date = new Date()): string {
  return isoDay(addMonths(todayUTC(now), MAX_VALIDITY_MONTHS));
}

/** The earliest expiration date allowed: tomorrow (credentials expiring today are already expired). */
export function earliestExpiration(now: Date = new Date()): string {
  return isoDay(addDays(todayUTC(now), 1));
}

/** Why an expiration date is refused, or undefined when it is allowed. */
export function checkExpiration(value: unknown, now: Date = new Date()): string | undefined {
  if (value === undefined || value === null || value === '') return 'Choose a token expiration date.';
  const s = String(value).slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s) || Number.isNaN(Date.parse(s))) return 'Enter the date as YYYY-MM-DD.';
  const earliest = earliestExpiration(now);
  const latest = latestExpiration(now);
  if (s < earliest) return `The expiration date must be after today (the earliest is ${earliest}).`;
  if (s > latest) return `The expiration date may be at most ${MAX_VALIDITY_MONTHS} months from today: the latest allowed is ${latest}.`;
  return undefined;
}

/** Whole days from today (UTC) to a YYYY-MM-DD date; 0 once reached. */
export function validDays(expiresOn: string, now: Date = new Date()): number {
  const d = Date.parse(expiresOn.slice(0, 10) + 'T00:00:00Z');
  return Math.max(0, Math.round((d - todayUTC(now).getTime()) / 86_400_000));
}
