import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { AdminContext, RecordContextProvider, defaultI18nProvider, type AuthProvider, type DataProvider } from 'react-admin';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ShareInfoPanel } from './ShareInfo';
import { forgetAllSecrets, rememberSecret } from '../data/freshSecrets';

const record = {
  id: '12', vendorName: 'Canvas', consumerKey: 'ROLLCALL_canvas', status: 'active',
  share: { clientId: 'ROLLCALL_canvas', tokenUrl: 'http://x/oauth/token', baseUrl: 'http://x/ims/oneroster/', docsUrl: 'http://x/docs/', guidelinesUrl: 'http://x/docs/guidelines' },
};

function renderPanel(rec: Record<string, unknown>, role = 'sis_admin') {
  const reveal = vi.fn(async () => 'the-secret-40-chars');
  const dp = { revealConnectionSecret: reveal } as unknown as DataProvider;
  const auth: AuthProvider = {
    login: async () => undefined, logout: async () => undefined, checkAuth: async () => undefined,
    checkError: async () => undefined, getPermissions: async () => role,
  };
  render(
    <AdminContext dataProvider={dp} authProvider={auth} i18nProvider={defaultI18nProvider}>
      <RecordContextProvider value={rec}>
        <ShareInfoPanel />
      </RecordContextProvider>
    </AdminContext>,
  );
  return reveal;
}

afterEach(() => forgetAllSecrets());

describe('Information to Share', () => {
  it('hides the secret as **** until "Show secret" asks the server (audited) for it', async () => {
    const reveal = renderPanel(record);
    expect(screen.getByTestId('client-id')).toHaveTextContent('ROLLCALL_canvas');
    expect(screen.getByTestId('token-url')).toHaveTextContent('http://x/oauth/token');
    expect(screen.getByTestId('base-url')).toHaveTextContent('http://x/ims/oneroster/');
    expect(screen.getByTestId('client-secret')).toHaveTextContent('****');
    fireEvent.click(await screen.findByLabelText('Show secret'));
    await waitFor(() => expect(screen.getByTestId('client-secret')).toHaveTextContent('the-secret-40-chars'));
    expect(reveal).toHaveBeenCalledWith('12');
    fireEvent.click(screen.getByLabelText('Show secret'));
    expect(screen.getByTestId('client-secret')).toHaveTextContent('****');
    expect(screen.getAllByRole('button', { name: /^Copy / }).length).toBe(6);
  });

  it('shows a secret it has just received without another reveal', async () => {
    rememberSecret('12', { clientId: 'ROLLCALL_canvas', clientSecret: 'fresh-secret', tokenUrl: '', baseUrl: '', docsUrl: '', guidelinesUrl: '' });
    const reveal = renderPanel(record);
    expect(screen.getByText(/New credentials/)).toBeInTheDocument();
    fireEvent.click(await screen.findByLabelText('Show secret'));
    await waitFor(() => expect(screen.getByTestId('client-secret')).toHaveTextContent('fresh-secret'));
    expect(reveal).not.toHaveBeenCalled();
  });

  it('has no secret once revoked', () => {
    renderPanel({ ...record, status: 'revoked' });
    expect(screen.getByText(/Deleted when the connection was revoked/)).toBeInTheDocument();
    expect(screen.queryByLabelText('Show secret')).toBeNull();
  });

  it('lets only SIS administrators show the secret', async () => {
    renderPanel(record, 'analyst');
    expect(await screen.findByText(/Only SIS administrators can show the secret/)).toBeInTheDocument();
    expect(screen.queryByLabelText('Show secret')).toBeNull();
  });
});
