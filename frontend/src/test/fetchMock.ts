// A fetch stand-in for the data provider tests: records every GraphQL request and answers from a queue
// (or a function of the request).
import { vi } from 'vitest';
import { saveSession } from '../auth/oidc';

export interface Recorded {
  url: string;
  headers: Record<string, string>;
  query: string;
  variables: Record<string, unknown>;
  /** The fields of a multipart body (FormData), files as File. */
  form?: Record<string, FormDataEntryValue>;
}

type Answer = { status?: number; json?: unknown; text?: string; networkError?: boolean };

export function mockFetch(answer: (req: Recorded, n: number) => Answer) {
  const requests: Recorded[] = [];
  const fn = vi.fn(async (url: string, init: RequestInit = {}) => {
    const multipart = init.body instanceof FormData;
    const body = multipart ? {} : JSON.parse(String(init.body ?? '{}'));
    const req: Recorded = {
      url: String(url),
      headers: Object.fromEntries(Object.entries((init.headers ?? {}) as Record<string, string>)),
      query: body.query,
      variables: body.variables ?? {},
      ...(multipart ? { form: Object.fromEntries((init.body as FormData).entries()) } : {}),
    };
    requests.push(req);
    const a = answer(req, requests.length - 1);
    if (a.networkError) throw new TypeError('Failed to fetch');
    const text = a.text ?? JSON.stringify(a.json ?? {});
    return new Response(text, { status: a.status ?? 200, headers: { 'Content-Type': 'application/json' } });
  });
  vi.stubGlobal('fetch', fn);
  return requests;
}

export function signIn(token = 'test-token') {
  saveSession({ accessToken: token, expiresAt: Date.now() + 3_600_000, subject: 'ada' });
}

/** A Relay page of nodes with cursors c<i>. */
export function page(nodes: Record<string, unknown>[], totalCount: number, first = 0) {
  const edges = nodes.map((node, i) => ({ cursor: `c${first + i}`, node }));
  return {
    data: {
      page: {
        totalCount,
        pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: edges[0]?.cursor ?? null, endCursor: edges.at(-1)?.cursor ?? null },
        edges,
      },
    },
  };
}
