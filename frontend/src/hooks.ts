// Shared queries: the district settings and the signed-in admin's role.
import { useQuery } from '@tanstack/react-query';
import { useDataProvider, usePermissions } from 'react-admin';
import type { RollcallDataProvider } from './data/dataProvider';
import { canWrite } from './auth/authProvider';

export function useRollcall() {
  return useDataProvider<RollcallDataProvider>();
}

export function useSettings() {
  const dp = useRollcall();
  return useQuery({ queryKey: ['rollcall', 'settings'], queryFn: () => dp.getSettings(), staleTime: 60_000 });
}

/** Whether the signed-in admin may change data (the SIS product security role). */
export function useCanWrite(): boolean {
  const { permissions } = usePermissions();
  return canWrite(permissions);
}

/** A short human name for any roster record. */
export function recordLabel(r: Record<string, unknown> | undefined): string {
  if (!r) return '';
  const name = [r.givenName, r.familyName].filter(Boolean).join(' ');
  return String(r.name || r.title || r.vendorName || name || r.sourcedID || r.id || '');
}
