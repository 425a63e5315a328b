// react-admin's auth provider over the OIDC session of oidc.ts. Roles come from the server (query me), not
// from the token: sis_admin may change things; analyst and auditor only read.
import type { AuthProvider } from 'react-admin';
import { forgetAllSecrets } from '../data/freshSecrets';
import { me, type Me } from '../data/connectionsApi';
import { cursors } from '../data/dataProvider';
import { clearSession, endSessionURL, getSession, setNotice, startSignIn, storedSession } from './oidc';

let mePromise: Promise<Me> | undefined;
let meToken: string | undefined;

/** Who is signed in (cached per access token). */
export function whoAmI(): Promise<Me> {
  const s = getSession();
  if (!s) return Promise.reject(new Error('not signed in'));
  if (!mePromise || meToken !== s.accessToken) {
    meToken = s.accessToken;
    mePromise = me().catch((e) => {
      mePromise = undefined;
      // Fall back to the token's subject, read-only, if the server cannot say (yet).
      if (s.subject && e?.status !== 401) return { username: s.subject, role: 'unknown' };
      throw e;
    });
  }
  return mePromise;
}

export const roleLabels: Record<string, string> = {
  sis_admin: 'SIS administrator',
  analyst: 'Analyst (read only)',
  auditor: 'Auditor (read only)',
  unknown: 'role unknown (read only)',
};

function forgetLocalState() {
  clearSession();
  forgetAllSecrets();
  cursors.clear();
  mePromise = undefined;
}

export const authProvider: AuthProvider = {
  async login(params?: { returnTo?: string }) {
    await startSignIn(params?.returnTo ?? '/');
  },

  async logout() {
    const s = storedSession();
    const stillValid = !!getSession();
    forgetLocalState();
    if (s && stillValid) {
      setNotice('You have signed out.');
      const url = await endSessionURL(s.idToken);
      if (url) {
        window.location.assign(url);
        return false;
      }
    }
    return '/login';
  },

  async checkAuth() {
    if (!getSession()) {
      if (storedSession()) {
        forgetLocalState();
        setNotice('Your session has ended (sign-ins last an hour). Sign in again to continue.');
      }
      throw { redirectTo: '/login', message: false };
    }
  },

  async checkError(error: { status?: number }) {
    if (error?.status === 401) {
      forgetLocalState();
      setNotice('The server no longer accepts your sign-in (it expired or your account changed). Sign in again.');
      throw { redirectTo: '/login', message: false };
    }
    // 403 and everything else: the page shows the error, the admin stays signed in.
  },

  async getIdentity() {
    const who = await whoAmI();
    return { id: who.username, fullName: who.username, role: who.role };
  },

  async getPermissions() {
    if (!getSession()) return undefined;
    const who = await whoAmI();
    return who.role;
  },
};

/** Whether a role may change data (every mutation needs the SIS product security role). */
export const canWrite = (role: unknown) => role === 'sis_admin';
