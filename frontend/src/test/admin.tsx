// Renders a screen inside react-admin with a fake data provider and a signed-in role, for component tests.
import type { ReactNode } from 'react';
import { render } from '@testing-library/react';
import { AdminContext, defaultI18nProvider, type AuthProvider, type DataProvider } from 'react-admin';
import { vi } from 'vitest';

/** A data provider whose every method resolves to nothing, with overrides. */
export function fakeProvider<T extends Record<string, unknown>>(overrides: T = {} as T) {
  return {
    getList: vi.fn(async () => ({ data: [], total: 0 })),
    getOne: vi.fn(async () => ({ data: { id: 1 } })),
    getMany: vi.fn(async () => ({ data: [] })),
    getManyReference: vi.fn(async () => ({ data: [], total: 0 })),
    create: vi.fn(),
    update: vi.fn(),
    updateMany: vi.fn(),
    delete: vi.fn(),
    deleteMany: vi.fn(),
    ...overrides,
  };
}

export function renderAdmin(ui: ReactNode, dp: Record<string, unknown>, role = 'sis_admin') {
  const auth: AuthProvider = {
    login: async () => undefined, logout: async () => undefined, checkAuth: async () => undefined,
    checkError: async () => undefined, getPermissions: async () => role,
  };
  return render(
    <AdminContext dataProvider={dp as unknown as DataProvider} authProvider={auth} i18nProvider={defaultI18nProvider}>
      {ui}
    </AdminContext>,
  );
}
