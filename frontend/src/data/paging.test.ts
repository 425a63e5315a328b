import { describe, expect, it } from 'vitest';
import { CursorCache, WALK_STEP, walkSteps } from './paging';

const key = { resource: 'users', perPage: 100 };

describe('CursorCache.plan', () => {
  it('starts at the beginning without any cursor', () => {
    expect(new CursorCache().plan(key, 1)).toEqual({ args: { first: 100 } });
  });

  it('uses the end cursor of the page before, or the start cursor of the page after', () => {
    const c = new CursorCache();
    c.remember(key, 4, { start: 's4', end: 'e4' }, 1000);
    expect(c.plan(key, 5)).toEqual({ args: { first: 100, after: 'e4' } });
    expect(c.plan(key, 3)).toEqual({ args: { last: 100, before: 's4' } });
  });

  it('asks for the last page with last and the size of that page', () => {
    const c = new CursorCache();
    c.remember(key, 1, { start: 'a', end: 'b' }, 1234);
    expect(c.plan(key, 13)).toEqual({ args: { last: 34 } });
    expect(c.plan(key, 99)).toEqual({ args: { last: 34 } }); // past the end: still the last page
  });

  it('walks from whichever known place is nearest: a seen page, the start or the end', () => {
    const c = new CursorCache();
    c.remember(key, 1, { start: 'a', end: 'e1' }, 100_000);
    // page 10: 800 rows after page 1's end
    expect(c.plan(key, 10)).toEqual({ args: { first: 100 }, walk: { from: 'start', cursor: 'e1', rows: 800, direction: 'forward' } });
    // page 995: 500 rows before the end
    expect(c.plan(key, 995)).toEqual({ args: { last: 100 }, walk: { from: 'end', rows: 500, direction: 'backward' } });
    c.remember(key, 600, { start: 's600', end: 'e600' }, 100_000);
    expect(c.plan(key, 598)).toEqual({ args: { last: 100 }, walk: { from: 'end', cursor: 's600', rows: 100, direction: 'backward' } });
  });

  it('drops known cursors when the total changes (rows came or went)', () => {
    const c = new CursorCache();
    c.remember(key, 1, { start: 'a', end: 'e1' }, 500);
    c.remember(key, 1, { start: 'a', end: 'e1b' }, 501);
    expect(c.page(key, 1)).toEqual({ start: 'a', end: 'e1b' });
    c.remember(key, 3, { start: 's3', end: 'e3' }, 501);
    c.remember(key, 2, { start: 's2', end: 'e2' }, 480);
    expect(c.page(key, 3)).toBeUndefined();
  });

  it('keeps lists apart by filter, sort and page size, and forgets a resource', () => {
    const c = new CursorCache();
    c.remember({ ...key, where: { role: 'student' } }, 1, { end: 'x' }, 300);
    expect(c.plan({ ...key, where: { role: 'teacher' } }, 2).walk).toBeDefined();
    expect(c.plan({ ...key, where: { role: 'student' } }, 2)).toEqual({ args: { first: 100, after: 'x' } });
    c.forget('users');
    expect(c.total({ ...key, where: { role: 'student' } })).toBeUndefined();
  });
});

describe('walkSteps', () => {
  it('splits a walk into steps the complexity limit allows', () => {
    expect(walkSteps(0)).toEqual([]);
    expect(walkSteps(2500)).toEqual([WALK_STEP, WALK_STEP, 500]);
  });
});
