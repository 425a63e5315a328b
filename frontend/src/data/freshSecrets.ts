// Secrets the app has just received (after creating or renewing a connection, or an audited reveal), kept
// in memory only: never in storage, gone on reload or sign-out. The "Information to Share" panel reads them.
import { useSyncExternalStore } from 'react';
import type { Identifier } from 'react-admin';

export interface Credentials {
  clientId: string;
  clientSecret: string;
  tokenUrl: string;
  baseUrl: string;
  docsUrl: string;
  guidelinesUrl: string;
}

const secrets = new Map<string, Credentials>();
const listeners = new Set<() => void>();
let version = 0;

function changed() {
  version++;
  listeners.forEach((l) => l());
}

export function rememberSecret(id: Identifier, c: Credentials | undefined): void {
  if (c) secrets.set(String(id), c);
  else secrets.delete(String(id));
  changed();
}

export function freshCredentials(id: Identifier | undefined): Credentials | undefined {
  return id === undefined ? undefined : secrets.get(String(id));
}

export function forgetAllSecrets(): void {
  secrets.clear();
  changed();
}

/** The fresh credentials of a connection, re-rendering when they change. */
export function useFreshCredentials(id: Identifier | undefined): Credentials | undefined {
  useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => version,
  );
  return freshCredentials(id);
}
