// The GraphQL transport of the admin app: POST /graphql with the admin's bearer token, and errors that say
// what went wrong in words an admin can act on.
import { HttpError } from 'react-admin';
import { getSession } from '../auth/oidc';

export const GRAPHQL_PATH = '/graphql';

export interface GraphQLErrorEntry {
  message: string;
  path?: (string | number)[];
  extensions?: Record<string, unknown>;
}

/** Field-level messages react-admin shows under the form inputs (body.errors). */
export type FieldErrors = Record<string, string>;

/** Maps a server field name to the form input it belongs to. */
const fieldAliases: Record<string, string> = { schools: 'schoolSourcedIDs' };

/**
 * Turns GraphQL errors into one HttpError: the message joins the server's messages (without duplicates);
 * the body carries `errors` (per-field messages, when the server names a field) for react-admin's forms.
 */
export function errorFromGraphQL(errors: GraphQLErrorEntry[], status = 400): HttpError {
  const messages: string[] = [];
  const fields: FieldErrors = {};
  for (const e of errors) {
    const msg = (e.message || 'unknown error').replace(/^input: /, '');
    if (!messages.includes(msg)) messages.push(msg);
    const field = e.extensions?.field;
    if (typeof field === 'string' && field) fields[fieldAliases[field] ?? field] = msg;
  }
  let message = messages.join('; ');
  if (errors.some((e) => e.extensions?.code === 'COMPLEXITY_LIMIT_EXCEEDED' || /complexity/i.test(e.message))) {
    message = `The query asks for too much at once (${message}). Show fewer rows per page.`;
  }
  const body: Record<string, unknown> = { graphqlErrors: errors };
  if (Object.keys(fields).length > 0) body.errors = fields;
  return new HttpError(message, status, body);
}

/** The HttpError of a failed HTTP answer (GraphQL errors, OAuth errors, {"error": ...} bodies, or the status). */
export async function httpError(r: Response): Promise<HttpError> {
  const text = await r.text().catch(() => '');
  let detail = '';
  try {
    const j = JSON.parse(text) as { errors?: GraphQLErrorEntry[]; error_description?: string; error?: string; message?: string };
    if (j.errors?.length) return errorFromGraphQL(j.errors, r.status);
    detail = j.error_description || j.message || j.error || '';
  } catch {
    detail = text.trim().slice(0, 200);
  }
  switch (r.status) {
    case 401:
      return new HttpError('Your session has ended or was refused: sign in again.' + (detail ? ` (${detail})` : ''), 401);
    case 403:
      return new HttpError(`Your account may not do this${detail ? `: ${detail}` : '.'}`, 403);
    case 413:
      return new HttpError('The request is too large for the server.', 413);
    case 502:
    case 503:
    case 504:
      return new HttpError(`The Rollcall server is not answering (HTTP ${r.status}). Try again in a moment.`, r.status);
    default:
      return new HttpError(`The server answered HTTP ${r.status}${detail ? `: ${detail}` : ''}`, r.status);
  }
}

export interface RequestOptions {
  /** Overrides the session token (tests). */
  token?: string;
  signal?: AbortSignal;
}

/**
 * POSTs to the server with the admin's bearer token (as /graphql gets it); throws an HttpError when there is
 * no session or the server cannot be reached. The caller reads the answer.
 */
export async function post(path: string, body: BodyInit, headers: Record<string, string>, opts: RequestOptions = {}): Promise<Response> {
  const token = opts.token ?? getSession()?.accessToken;
  if (!token) throw new HttpError('You are not signed in (or your session expired): sign in again.', 401);
  try {
    return await fetch(path, { method: 'POST', headers: { ...headers, Accept: 'application/json', Authorization: `Bearer ${token}` }, body, signal: opts.signal });
  } catch (e) {
    if ((e as Error)?.name === 'AbortError') throw e;
    throw new HttpError('The Rollcall server cannot be reached: check your network connection and try again.', 0);
  }
}

/** Runs one GraphQL operation and returns its data, or throws an HttpError that says why not. */
export async function gql<T = Record<string, unknown>>(
  query: string,
  variables: Record<string, unknown> = {},
  opts: RequestOptions = {},
): Promise<T> {
  const r = await post(GRAPHQL_PATH, JSON.stringify({ query, variables }), { 'Content-Type': 'application/json' }, opts);
  if (!r.ok) throw await httpError(r);
  let json: { data?: T; errors?: GraphQLErrorEntry[] };
  try {
    json = await r.json();
  } catch {
    throw new HttpError('The server sent an answer that is not JSON.', r.status);
  }
  if (json.errors?.length) throw errorFromGraphQL(json.errors, 400);
  if (!json.data) throw new HttpError('The server sent no data.', r.status);
  return json.data;
}
