import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { AdminContext, CreateBase, ResourceContextProvider, defaultI18nProvider, type DataProvider } from 'react-admin';
import { describe, expect, it, vi, type Mock } from 'vitest';
import { ConnectionForm, validateDistrictPart } from './ConnectionForm';
import { defaultExpiration, latestExpiration } from '../data/dates';

function fakeProvider(overrides: Partial<DataProvider> = {}) {
  const dp = {
    getList: vi.fn(async () => ({ data: [], total: 0 })),
    getOne: vi.fn(async () => ({ data: { id: 1 } })),
    getMany: vi.fn(async () => ({ data: [] })),
    getManyReference: vi.fn(async () => ({ data: [], total: 0 })),
    create: vi.fn(async (_r: string, p: { data: Record<string, unknown> }) => ({ data: { ...p.data, id: 1 } })),
    update: vi.fn(),
    updateMany: vi.fn(),
    delete: vi.fn(),
    deleteMany: vi.fn(),
    getSettings: vi.fn(async () => ({ districtName: 'Test District', sitePrefix: 'SPRNGFLD', tokenLifetimeSeconds: 3600 })),
    ...overrides,
  };
  return dp;
}

function renderForm(dp = fakeProvider()) {
  render(
    <AdminContext dataProvider={dp as unknown as DataProvider} i18nProvider={defaultI18nProvider}>
      <ResourceContextProvider value="connections">
        <CreateBase resource="connections" redirect={false}>
          <ConnectionForm mode="create" />
        </CreateBase>
      </ResourceContextProvider>
    </AdminContext>,
  );
  return dp;
}

const box = (name: string) => document.querySelector(`input[name="type-${name}"]`) as HTMLInputElement;

describe('new connection form', () => {
  it('shows the site prefix fixed before the editable district part', async () => {
    renderForm();
    const prefix = await screen.findByTestId('consumer-key-prefix');
    await waitFor(() => expect(prefix).toHaveTextContent('SPRNGFLD_'));
    const input = document.querySelector('input[name="districtPart"]') as HTMLInputElement;
    expect(input.value).toBe('');
    expect(input).not.toBeDisabled();
    expect(screen.getByText(/The site prefix "SPRNGFLD_" is fixed/)).toBeInTheDocument();
  });

  it('checks the district part as the server does', () => {
    expect(validateDistrictPart('canvas-2026_v1.2', {}, {})).toBeUndefined();
    expect(validateDistrictPart('', {}, {})).toMatch(/Enter the district part/);
    expect(validateDistrictPart('my lms', {}, {})).toMatch(/" " \(position 3\) is not allowed/);
    expect(validateDistrictPart('x'.repeat(41), {}, {})).toMatch(/At most 40 characters/);
  });

  it('enables gradebook and assessment only for partners (and assessment only in 1.2)', async () => {
    renderForm();
    await screen.findByText('Connection types');
    expect(box('roster')).toBeChecked();
    expect(box('roster')).toBeDisabled();
    expect(box('gradebook')).toBeDisabled();
    expect(box('assessment')).toBeDisabled();
    expect(screen.getByText(/Non-partner vendors get Roster Sync only/)).toBeInTheDocument();

    fireEvent.click(screen.getByLabelText('Digital Learning Partner'));
    await waitFor(() => expect(box('gradebook')).not.toBeDisabled());
    expect(box('assessment')).not.toBeDisabled();
    fireEvent.click(box('gradebook'));
    fireEvent.click(box('assessment'));
    await waitFor(() => expect(box('assessment')).toBeChecked());

    fireEvent.click(screen.getByLabelText('1.1'));
    await waitFor(() => expect(box('assessment')).toBeDisabled());
    expect(box('assessment')).not.toBeChecked(); // OneRoster 1.1 has no assessment service
    expect(box('gradebook')).toBeChecked();

    fireEvent.click(screen.getByLabelText('Digital Learning Partner')); // no longer a partner
    await waitFor(() => expect(box('gradebook')).toBeDisabled());
    expect(box('gradebook')).not.toBeChecked();
  });

  it('defaults the expiration to a year and refuses more than 13 months', async () => {
    const dp = renderForm();
    const date = (await waitFor(() => {
      const el = document.querySelector('input[name="expiresOn"]');
      expect(el).not.toBeNull();
      return el;
    })) as HTMLInputElement;
    expect(date.value).toBe(defaultExpiration());
    expect(date.max).toBe(latestExpiration());
    fireEvent.change(screen.getByLabelText(/Vendor name/), { target: { value: 'Canvas' } });
    fireEvent.change(document.querySelector('input[name="districtPart"]')!, { target: { value: 'canvas' } });
    const tooLate = new Date(latestExpiration() + 'T00:00:00Z');
    tooLate.setUTCDate(tooLate.getUTCDate() + 1);
    fireEvent.change(date, { target: { value: tooLate.toISOString().slice(0, 10) } });
    fireEvent.blur(date);
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText(/may be at most 13 months from today/)).toBeInTheDocument();
    expect(dp.create).not.toHaveBeenCalled();
  });

  it('saves what the admin entered, roster type included', async () => {
    const dp = renderForm();
    await screen.findByTestId('consumer-key-prefix');
    fireEvent.change(screen.getByLabelText(/Vendor name/), { target: { value: 'Canvas' } });
    fireEvent.change(document.querySelector('input[name="districtPart"]')!, { target: { value: 'canvas' } });
    fireEvent.change(screen.getByLabelText('Purpose'), { target: { value: 'Course rostering' } });
    fireEvent.click(screen.getByLabelText('Digital Learning Partner'));
    await waitFor(() => expect(box('gradebook')).not.toBeDisabled());
    fireEvent.click(box('gradebook'));
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(dp.create).toHaveBeenCalled());
    const data = ((dp.create as unknown as Mock).mock.calls[0] as [string, { data: Record<string, unknown> }])[1].data;
    expect(data).toMatchObject({
      vendorName: 'Canvas', districtPart: 'canvas', purpose: 'Course rostering', version: '1.2', partner: true,
      types: ['roster', 'gradebook'], demographics: false, expiresOn: defaultExpiration(), schoolSourcedIDs: [],
    });
  });

  it('shows the server refusal of a field under that field', async () => {
    const { HttpError } = await import('react-admin');
    vi.spyOn(console, 'error').mockImplementation(() => undefined); // react-admin logs the refused save
    const dp = fakeProvider({
      create: vi.fn(async () => {
        throw new HttpError('consumer key ROLLCALL_canvas is already used', 400, { errors: { districtPart: 'consumer key ROLLCALL_canvas is already used' } });
      }),
    });
    renderForm(dp);
    await screen.findByTestId('consumer-key-prefix');
    fireEvent.change(screen.getByLabelText(/Vendor name/), { target: { value: 'Canvas' } });
    fireEvent.change(document.querySelector('input[name="districtPart"]')!, { target: { value: 'canvas' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    const field = (document.querySelector('input[name="districtPart"]') as HTMLElement).closest('.MuiFormControl-root') as HTMLElement;
    await waitFor(() => expect(within(field).getByText('consumer key ROLLCALL_canvas is already used')).toBeInTheDocument());
  });
});
