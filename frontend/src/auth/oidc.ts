// OpenID Connect sign-in for the admin app: authorization code flow with PKCE (S256) against the Rollcall
// server's own provider. The app is the public client "rollcall-admin"; its redirect URI is
// <origin>/admin/callback. Tokens live in sessionStorage (per tab, gone when the tab closes); the access
// token lasts an hour and there is no refresh token, so an expired session signs in again.

export const CLIENT_ID = 'rollcall-admin';
export const SCOPES = 'openid profile';

const SESSION_KEY = 'rollcall.session';
const PENDING_KEY = 'rollcall.signin';
const NOTICE_KEY = 'rollcall.notice';

/** A signed-in admin's tokens. */
export interface Session {
  accessToken: string;
  idToken?: string;
  /** Milliseconds since the epoch at which the access token expires. */
  expiresAt: number;
  /** The token's subject: the admin's username. */
  subject?: string;
}

export interface Discovery {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  end_session_endpoint?: string;
}

interface Pending {
  state: string;
  verifier: string;
  nonce: string;
  returnTo: string;
}

/** Where the server serves the app (config.AdminPath without its slash); Vite's base and the router agree. */
export const APP_BASE = '/admin';

/** The app's base URL without a trailing slash, e.g. https://oneroster.district.org/admin. */
export function appBaseURL(): string {
  return window.location.origin + APP_BASE;
}

export function redirectURI(): string {
  return appBaseURL() + '/callback';
}

let discoveryPromise: Promise<Discovery> | undefined;

/** Reads the provider's discovery document (once per page load). */
export function discover(fetchFn: typeof fetch = fetch): Promise<Discovery> {
  if (!discoveryPromise) {
    discoveryPromise = fetchFn('/.well-known/openid-configuration', { headers: { Accept: 'application/json' } })
      .then(async (r) => {
        if (!r.ok) throw new Error(`The sign-in service did not answer (discovery: HTTP ${r.status}).`);
        return (await r.json()) as Discovery;
      })
      .catch((e: unknown) => {
        discoveryPromise = undefined;
        throw e instanceof Error && e.message.startsWith('The sign-in') ? e : new Error('The sign-in service cannot be reached: ' + String(e));
      });
  }
  return discoveryPromise;
}

export function base64url(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function randomString(bytes = 32): string {
  const a = new Uint8Array(bytes);
  crypto.getRandomValues(a);
  return base64url(a);
}

/** The S256 code challenge of a PKCE verifier. */
export async function challengeOf(verifier: string): Promise<string> {
  if (!crypto.subtle) {
    throw new Error('This browser blocks the cryptography sign-in needs on plain http: open the admin app over https (or on localhost).');
  }
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64url(new Uint8Array(digest));
}

/** Builds the authorization URL and remembers what the callback will need. */
export async function authorizationURL(returnTo: string, fetchFn: typeof fetch = fetch): Promise<string> {
  const d = await discover(fetchFn);
  const pending: Pending = { state: randomString(16), verifier: randomString(48), nonce: randomString(16), returnTo };
  sessionStorage.setItem(PENDING_KEY, JSON.stringify(pending));
  const q = new URLSearchParams({
    client_id: CLIENT_ID,
    redirect_uri: redirectURI(),
    response_type: 'code',
    scope: SCOPES,
    state: pending.state,
    nonce: pending.nonce,
    code_challenge: await challengeOf(pending.verifier),
    code_challenge_method: 'S256',
  });
  return `${d.authorization_endpoint}?${q}`;
}

/** Sends the browser to the server's sign-in page. */
export async function startSignIn(returnTo = '/'): Promise<void> {
  window.location.assign(await authorizationURL(returnTo));
}

/**
 * Finishes sign-in on /admin/callback: checks the state, exchanges the code (with the PKCE verifier) at the
 * token endpoint, stores the session, and returns the app path to go back to.
 */
export async function completeSignIn(search: string, fetchFn: typeof fetch = fetch): Promise<string> {
  const q = new URLSearchParams(search);
  const raw = sessionStorage.getItem(PENDING_KEY);
  sessionStorage.removeItem(PENDING_KEY);
  if (q.get('error')) {
    throw new Error(`Sign-in was refused: ${q.get('error_description') || q.get('error')}`);
  }
  const code = q.get('code');
  if (!code) throw new Error('The sign-in answer has no authorization code.');
  if (!raw) throw new Error('This sign-in was not started in this tab (or it was already used). Sign in again.');
  const pending = JSON.parse(raw) as Pending;
  if (q.get('state') !== pending.state) throw new Error('The sign-in answer does not match the request (state). Sign in again.');
  const d = await discover(fetchFn);
  const body = new URLSearchParams({
    grant_type: 'authorization_code',
    code,
    redirect_uri: redirectURI(),
    client_id: CLIENT_ID,
    code_verifier: pending.verifier,
  });
  const r = await fetchFn(d.token_endpoint, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
    body,
  });
  const json = (await r.json().catch(() => ({}))) as Record<string, unknown>;
  if (!r.ok || typeof json.access_token !== 'string') {
    const why = (json.error_description as string) || (json.error as string) || `HTTP ${r.status}`;
    throw new Error(`The token exchange failed: ${why}`);
  }
  const expiresIn = typeof json.expires_in === 'number' ? json.expires_in : 3600;
  const claims = decodeJWT(json.access_token);
  saveSession({
    accessToken: json.access_token,
    idToken: typeof json.id_token === 'string' ? json.id_token : undefined,
    expiresAt: Date.now() + expiresIn * 1000,
    subject: typeof claims?.sub === 'string' ? claims.sub : undefined,
  });
  return pending.returnTo.startsWith('/') && !pending.returnTo.startsWith('//') ? pending.returnTo : '/';
}

/** The payload of a JWT, or undefined when it is not one. The signature is the server's business. */
export function decodeJWT(token: string): Record<string, unknown> | undefined {
  const part = token.split('.')[1];
  if (!part) return undefined;
  try {
    const json = atob(part.replace(/-/g, '+').replace(/_/g, '/'));
    return JSON.parse(json) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

export function saveSession(s: Session): void {
  sessionStorage.setItem(SESSION_KEY, JSON.stringify(s));
}

/** The current session, or undefined when there is none or its token has (nearly) expired. */
export function getSession(now = Date.now()): Session | undefined {
  const raw = sessionStorage.getItem(SESSION_KEY);
  if (!raw) return undefined;
  try {
    const s = JSON.parse(raw) as Session;
    if (!s.accessToken || s.expiresAt - 15_000 <= now) return undefined;
    return s;
  } catch {
    return undefined;
  }
}

/** The stored session even when expired (sign-out still names its id token). */
export function storedSession(): Session | undefined {
  const raw = sessionStorage.getItem(SESSION_KEY);
  return raw ? (JSON.parse(raw) as Session) : undefined;
}

export function clearSession(): void {
  sessionStorage.removeItem(SESSION_KEY);
}

/** A message for the sign-in page to show once (signed out, session expired). */
export function setNotice(message: string): void {
  sessionStorage.setItem(NOTICE_KEY, message);
}

export function takeNotice(): string | undefined {
  const m = sessionStorage.getItem(NOTICE_KEY) ?? undefined;
  sessionStorage.removeItem(NOTICE_KEY);
  return m;
}

/** The end-session URL that brings the browser back to the app, or undefined without one. */
export async function endSessionURL(idToken?: string): Promise<string | undefined> {
  const d = await discover().catch(() => undefined);
  if (!d?.end_session_endpoint) return undefined;
  const q = new URLSearchParams({ client_id: CLIENT_ID, post_logout_redirect_uri: appBaseURL() + '/' });
  if (idToken) q.set('id_token_hint', idToken);
  return `${d.end_session_endpoint}?${q}`;
}

/** Resets the cached discovery document (tests). */
export function resetDiscovery(): void {
  discoveryPromise = undefined;
}
