import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { RecordContextProvider, ResourceContextProvider } from 'react-admin';
import { describe, expect, it, vi } from 'vitest';
import { OneRosterViewPanel } from './OneRosterView';
import { WrittenByField } from './fields';
import { fakeProvider, renderAdmin } from '../test/admin';

const connections = [
  { id: '3', vendorName: 'Canvas', consumerKey: 'ROLLCALL_canvas', version: '1.2', status: 'active', serviceAccount: 'svc_canvas' },
  { id: '4', vendorName: 'Clever', consumerKey: 'ROLLCALL_clever', version: '1.1', status: 'active', serviceAccount: 'svc_clever' },
];

function renderPanel(oneRosterView: ReturnType<typeof vi.fn>) {
  const dp = fakeProvider({ getList: vi.fn(async () => ({ data: connections, total: 2 })), oneRosterView });
  renderAdmin(
    <ResourceContextProvider value="users">
      <RecordContextProvider value={{ id: '77', sourcedID: 'u77', givenName: 'Ada' }}>
        <OneRosterViewPanel />
      </RecordContextProvider>
    </ResourceContextProvider>,
    dp,
  );
}

async function pick(name: RegExp) {
  fireEvent.mouseDown(await screen.findByRole('combobox', { name: 'Connection' }));
  fireEvent.click(await screen.findByRole('option', { name }));
}

describe('As a connection sees it', () => {
  it('shows the JSON the API sends the chosen connection', async () => {
    const view = vi.fn(async () => ({
      connection: { id: '3', vendorName: 'Canvas' }, version: 'v1p2', path: '/ims/oneroster/rostering/v1p2/users/u77', visible: true,
      record: { sourcedId: 'u77', givenName: 'Ada' }, reason: null,
    }));
    renderPanel(view);
    expect(await screen.findByText(/Pick a vendor connection/)).toBeInTheDocument();
    await pick(/^Canvas/);
    expect(await screen.findByTestId('oneroster-json')).toHaveTextContent('"givenName": "Ada"');
    expect(view).toHaveBeenCalledWith('3', 'users', 'u77');
    expect(screen.getByText('GET /ims/oneroster/rostering/v1p2/users/u77')).toBeInTheDocument();
    expect(screen.getByTestId('oneroster-visible')).toHaveTextContent('Visible');
  });

  it('says when the connection gets the record as a deletion', async () => {
    const view = vi.fn(async () => ({
      connection: { id: '3', vendorName: 'Canvas' }, version: 'v1p2', path: '/ims/oneroster/rostering/v1p2/users/u77', visible: true,
      record: { sourcedId: 'u77', status: 'tobedeleted', givenName: 'Ada' }, reason: null,
    }));
    renderPanel(view);
    await pick(/^Canvas/);
    expect(await screen.findByTestId('oneroster-tombstone')).toHaveTextContent('Canvas gets this record with status tobedeleted');
    expect(screen.getByTestId('oneroster-visible')).toHaveTextContent('Sent as a deletion');
    expect(screen.getByTestId('oneroster-json')).toHaveTextContent('"status": "tobedeleted"');
  });

  it('says why a connection does not see the record', async () => {
    const view = vi.fn(async () => ({
      connection: { id: '4', vendorName: 'Clever' }, version: 'v1p1', path: '/ims/oneroster/v1p1/users/u77', visible: false, record: null,
      reason: 'the user is not in a school the connection may see',
    }));
    renderPanel(view);
    await pick(/^Clever/);
    expect(await screen.findByTestId('oneroster-reason')).toHaveTextContent('Clever does not get this record: the user is not in a school the connection may see.');
    expect(screen.getByText('(OneRoster 1.1)')).toBeInTheDocument();
  });
});

describe('written by', () => {
  it('names the vendor connection, or falls back to who modifiedBy names', async () => {
    const dp = fakeProvider({ getList: vi.fn(async () => ({ data: connections, total: 2 })) });
    renderAdmin(
      <>
        <RecordContextProvider value={{ id: '1', modifiedBy: 'vendor:svc_canvas', writtenBy: { id: '3', vendorName: 'Canvas' } }}>
          <div data-testid="a"><WrittenByField /></div>
        </RecordContextProvider>
        <RecordContextProvider value={{ id: '2', modifiedBy: 'import:12', writtenBy: null }}>
          <div data-testid="b"><WrittenByField /></div>
        </RecordContextProvider>
      </>,
      dp,
    );
    expect(within(screen.getByTestId('a')).getByRole('link')).toHaveAttribute('href', expect.stringMatching(/\/connections\/3\/show$/));
    expect(screen.getByTestId('a')).toHaveTextContent('Canvas (vendor)');
    await waitFor(() => expect(screen.getByTestId('b')).toHaveTextContent('SIS import #12'));
  });
});
