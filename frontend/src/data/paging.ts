// Page numbers over Relay cursors.
//
// react-admin lists ask for "page N of size S"; ent's connections page with first/after and last/before.
// Offsets would make the server count through every skipped row, so this module remembers the cursors at
// the edges of every page it has seen (per resource, filter, sort and page size) and turns a page number
// into the cheapest cursor request:
//
//   page 1                      first: S
//   the page after a seen one   first: S, after: <that page's end cursor>
//   the page before a seen one  last: S, before: <that page's start cursor>
//   the last page               last: (total - (N-1)·S)            (no cursor needed)
//   any other page              walk from the nearest seen page (or from either end) in large, cursor-only
//                               steps, then fetch the page itself
//
// The pagination bar only offers neighbouring pages, the first and the last, so the walk is rare (a
// bookmarked deep page). In a 100,000-student district, every usual move is one small request.

export interface PageEdges {
  start?: string | null;
  end?: string | null;
}

export interface ListKey {
  resource: string;
  where?: unknown;
  orderBy?: unknown;
  perPage: number;
}

export type PageArgs = { first: number; after?: string } | { last: number; before?: string };

export interface Plan {
  /** The request for the page itself. */
  args: PageArgs;
  /** When set, first walk this many rows from the anchor (cursor-only requests) before asking for args. */
  walk?: { from: 'start' | 'end'; cursor?: string; rows: number; direction: 'forward' | 'backward' };
}

/** The largest cursor-only step of a walk: each row costs ~3 complexity points, the server allows 5,000. */
export const WALK_STEP = 1000;

const MAX_KEYS = 100;

export class CursorCache {
  private lists = new Map<string, { total?: number; pages: Map<number, PageEdges> }>();

  static keyOf(k: ListKey): string {
    return JSON.stringify([k.resource, k.where ?? null, k.orderBy ?? null, k.perPage]);
  }

  private entry(k: ListKey) {
    const key = CursorCache.keyOf(k);
    let e = this.lists.get(key);
    if (!e) {
      if (this.lists.size >= MAX_KEYS) this.lists.delete(this.lists.keys().next().value as string);
      e = { pages: new Map() };
      this.lists.set(key, e);
    }
    return e;
  }

  remember(k: ListKey, page: number, edges: PageEdges, total: number): void {
    const e = this.entry(k);
    if (e.total !== total) e.pages.clear(); // rows came or went: older cursors may sit on other page borders
    e.total = total;
    e.pages.set(page, edges);
  }

  total(k: ListKey): number | undefined {
    return this.lists.get(CursorCache.keyOf(k))?.total;
  }

  page(k: ListKey, page: number): PageEdges | undefined {
    return this.lists.get(CursorCache.keyOf(k))?.pages.get(page);
  }

  /** Forgets every list of a resource (after a change to its records). */
  forget(resource: string): void {
    for (const key of [...this.lists.keys()]) {
      if ((JSON.parse(key) as unknown[])[0] === resource) this.lists.delete(key);
    }
  }

  clear(): void {
    this.lists.clear();
  }

  /** The request (and walk, if needed) for `page` of the list. */
  plan(k: ListKey, page: number): Plan {
    const S = k.perPage;
    if (page <= 1) return { args: { first: S } };
    const e = this.lists.get(CursorCache.keyOf(k));
    const prev = e?.pages.get(page - 1);
    if (prev?.end) return { args: { first: S, after: prev.end } };
    const next = e?.pages.get(page + 1);
    if (next?.start) return { args: { last: S, before: next.start } };
    const total = e?.total;
    if (total !== undefined) {
      const lastPage = Math.max(1, Math.ceil(total / S));
      if (page >= lastPage) return { args: { last: Math.max(total - (lastPage - 1) * S, 1) } };
      const rowsAfter = total - page * S; // rows after the wanted page
      // Nearest known page edge, measured in rows to walk.
      let best: Plan | undefined;
      let bestRows = Infinity;
      for (const [p, edges] of e!.pages) {
        if (p < page && edges.end) {
          const rows = (page - 1 - p) * S;
          if (rows < bestRows) {
            bestRows = rows;
            best = { args: { first: S }, walk: { from: 'start', cursor: edges.end, rows, direction: 'forward' } };
          }
        } else if (p > page && edges.start) {
          const rows = (p - page - 1) * S;
          if (rows < bestRows) {
            bestRows = rows;
            best = { args: { last: S }, walk: { from: 'end', cursor: edges.start, rows, direction: 'backward' } };
          }
        }
      }
      const fromStart = (page - 1) * S;
      if (fromStart < bestRows && fromStart <= rowsAfter) {
        return { args: { first: S }, walk: { from: 'start', rows: fromStart, direction: 'forward' } };
      }
      if (rowsAfter < bestRows && rowsAfter < fromStart) {
        return { args: { last: S }, walk: { from: 'end', rows: rowsAfter, direction: 'backward' } };
      }
      if (best) return best;
    }
    // Nothing known (first visit of a deep page): walk from the start.
    return { args: { first: S }, walk: { from: 'start', rows: (page - 1) * S, direction: 'forward' } };
  }
}

/** Splits a walk of `rows` rows into request sizes of at most WALK_STEP. */
export function walkSteps(rows: number): number[] {
  const steps: number[] = [];
  for (let left = rows; left > 0; left -= WALK_STEP) steps.push(Math.min(WALK_STEP, left));
  return steps;
}
