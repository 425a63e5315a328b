import { beforeEach, describe, expect, it, vi } from 'vitest';
import { authorizationURL, challengeOf, completeSignIn, endSessionURL, getSession, resetDiscovery, saveSession } from './oidc';
import { authProvider } from './authProvider';

const discovery = {
  issuer: 'http://localhost:3000',
  authorization_endpoint: 'http://localhost:3000/oauth/authorize',
  token_endpoint: 'http://localhost:3000/oauth/token',
  end_session_endpoint: 'http://localhost:3000/oauth/end_session',
};

function fakeFetch(token: Record<string, unknown> = { access_token: 'h.eyJzdWIiOiJhZGEifQ.s', id_token: 'id', expires_in: 3600, token_type: 'Bearer' }, status = 200) {
  const calls: { url: string; init?: RequestInit }[] = [];
  const fn = vi.fn(async (url: string, init?: RequestInit) => {
    calls.push({ url, init });
    if (url.endsWith('/.well-known/openid-configuration')) return new Response(JSON.stringify(discovery), { status: 200 });
    return new Response(JSON.stringify(token), { status });
  }) as unknown as typeof fetch;
  return { fn, calls };
}

beforeEach(() => {
  resetDiscovery();
  sessionStorage.clear();
});

describe('PKCE sign-in', () => {
  it('computes the S256 challenge of RFC 7636', async () => {
    expect(await challengeOf('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  });

  it('sends the public client to the authorize endpoint with PKCE, state and the /admin/callback redirect', async () => {
    const { fn } = fakeFetch();
    const url = new URL(await authorizationURL('/connections', fn));
    expect(url.origin + url.pathname).toBe(discovery.authorization_endpoint);
    const q = url.searchParams;
    expect(q.get('client_id')).toBe('rollcall-admin');
    expect(q.get('response_type')).toBe('code');
    expect(q.get('redirect_uri')).toBe(window.location.origin + '/admin/callback');
    expect(q.get('code_challenge_method')).toBe('S256');
    expect(q.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(q.get('scope')).toContain('openid');
    expect(q.get('state')).toBeTruthy();
  });

  it('exchanges the code with the verifier, stores the session and returns where to go', async () => {
    const { fn, calls } = fakeFetch();
    const state = new URL(await authorizationURL('/users?page=2', fn)).searchParams.get('state');
    const back = await completeSignIn(`?code=abc&state=${state}`, fn);
    expect(back).toBe('/users?page=2');
    const tokenCall = calls.find((c) => c.url === discovery.token_endpoint)!;
    const body = new URLSearchParams(String(tokenCall.init!.body));
    expect(body.get('grant_type')).toBe('authorization_code');
    expect(body.get('code')).toBe('abc');
    expect(body.get('client_id')).toBe('rollcall-admin');
    expect(body.get('code_verifier')).toMatch(/^[A-Za-z0-9_-]{43,128}$/);
    expect(getSession()).toMatchObject({ accessToken: 'h.eyJzdWIiOiJhZGEifQ.s', idToken: 'id', subject: 'ada' });
  });

  it('refuses an answer whose state does not match, an error answer, and a failed exchange', async () => {
    const { fn } = fakeFetch();
    await authorizationURL('/', fn);
    await expect(completeSignIn('?code=abc&state=forged', fn)).rejects.toThrow(/does not match/);
    await authorizationURL('/', fn);
    await expect(completeSignIn('?error=access_denied&error_description=no+way', fn)).rejects.toThrow(/refused: no way/);
    const bad = fakeFetch({ error: 'invalid_grant', error_description: 'code expired' }, 400);
    const state = new URL(await authorizationURL('/', bad.fn)).searchParams.get('state');
    await expect(completeSignIn(`?code=abc&state=${state}`, bad.fn)).rejects.toThrow(/code expired/);
    expect(getSession()).toBeUndefined();
  });

  it('treats a token about to expire as no session', () => {
    saveSession({ accessToken: 't', expiresAt: Date.now() + 5_000 });
    expect(getSession()).toBeUndefined();
  });
});

describe('auth provider', () => {
  it('signs out through end_session back to /admin/', async () => {
    vi.stubGlobal('fetch', fakeFetch().fn);
    saveSession({ accessToken: 't', idToken: 'the-id-token', expiresAt: Date.now() + 3_600_000 });
    const assign = vi.fn();
    vi.stubGlobal('location', { ...window.location, origin: window.location.origin, assign });
    expect(await authProvider.logout({})).toBe(false);
    const url = new URL(assign.mock.calls[0][0]);
    expect(url.origin + url.pathname).toBe(discovery.end_session_endpoint);
    expect(url.searchParams.get('id_token_hint')).toBe('the-id-token');
    expect(url.searchParams.get('post_logout_redirect_uri')).toBe(window.location.origin + '/admin/');
    expect(getSession()).toBeUndefined();
    vi.unstubAllGlobals();
    expect(await endSessionURL()).toContain('client_id=rollcall-admin');
  });

  it('sends the admin to sign in again on 401 but not on 403', async () => {
    saveSession({ accessToken: 't', expiresAt: Date.now() + 3_600_000 });
    await expect(authProvider.checkError({ status: 403 })).resolves.toBeUndefined();
    expect(getSession()).toBeDefined();
    await expect(authProvider.checkError({ status: 401 })).rejects.toMatchObject({ redirectTo: '/login' });
    expect(getSession()).toBeUndefined();
    await expect(authProvider.checkAuth({})).rejects.toMatchObject({ redirectTo: '/login' });
  });
});
