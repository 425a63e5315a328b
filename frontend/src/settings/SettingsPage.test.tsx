import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { HttpError } from 'react-admin';
import { describe, expect, it, vi } from 'vitest';
import { SettingsPage, isTimeZone, settingsErrorField, settingsInput, validateHourlyUntil, validateWebhook } from './SettingsPage';
import { validateSource } from './SourceInput';
import type { Settings } from '../data/connectionsApi';
import { fakeProvider, renderAdmin } from '../test/admin';

const stored: Settings = {
  districtName: 'Springfield', sitePrefix: 'SPRNGFLD', tokenLifetimeSeconds: 3600,
  identifierSource: 'identifier', usernameSource: 'username', emailSource: 'email', publishGuardians: true, publishAides: true, activeSchoolYear: '',
  cacheRefreshTime: '02:00', cacheTimeZone: 'UTC', cacheHourly: false, cacheHourlyFrom: '07:00', cacheHourlyUntil: '16:00',
  cachePaused: false, cachePausedUntil: '', cacheRetentionMinutes: 180, cacheAlertWebhook: '', refuseClosedGradingPeriods: false,
};

function renderPage(updateSettings = vi.fn(async (input: Partial<Settings>) => ({ ...stored, ...input })), role = 'sis_admin') {
  const dp = fakeProvider({ getSettings: vi.fn(async () => stored), updateSettings });
  renderAdmin(<SettingsPage />, dp, role);
  return updateSettings;
}

const input = (name: string) => document.querySelector(`input[name="${name}"]`) as HTMLInputElement;
const fieldOf = (name: string) => input(name).closest('.MuiFormControl-root') as HTMLElement;
const save = () => screen.getByRole('button', { name: 'Save settings' });

describe('settings form', () => {
  it('shows every section: district, cache schedule, what is published, the grading-period rule', async () => {
    renderPage();
    await screen.findByLabelText(/Daily refresh time/);
    for (const s of ['District', 'OneRoster cache schedule', 'What is published', 'Grade passback']) expect(screen.getByRole('region', { name: s })).toBeInTheDocument();
    expect(input('cacheRefreshTime').value).toBe('02:00');
    expect(input('cacheRetentionMinutes').value).toBe('180');
    expect(screen.getByLabelText('Refuse vendor results for ended grading periods')).not.toBeChecked();
    expect(input('cacheHourlyFrom').readOnly).toBe(true); // hourly is off
  });

  it('sends only what changed, and says it saved', async () => {
    const update = renderPage();
    await screen.findByLabelText(/Daily refresh time/);
    fireEvent.change(input('cacheRefreshTime'), { target: { value: '03:30' } });
    fireEvent.click(screen.getByLabelText('Also refresh every hour'));
    fireEvent.click(screen.getByLabelText('Refuse vendor results for ended grading periods'));
    fireEvent.change(input('cacheRetentionMinutes'), { target: { value: '60' } });
    expect(await screen.findByText('Unsaved changes.')).toBeInTheDocument();
    await waitFor(() => expect(save()).toBeEnabled());
    fireEvent.click(save());
    await waitFor(() => expect(update).toHaveBeenCalledTimes(1));
    expect(update).toHaveBeenCalledWith({ cacheRefreshTime: '03:30', cacheHourly: true, refuseClosedGradingPeriods: true, cacheRetentionMinutes: 60 });
    expect(await screen.findByText(/Saved at/)).toBeInTheDocument();
  });

  it('checks the fields as the server does before saving', async () => {
    const update = renderPage();
    await screen.findByLabelText(/Daily refresh time/);
    fireEvent.click(screen.getByLabelText('Also refresh every hour'));
    fireEvent.change(input('cacheHourlyFrom'), { target: { value: '16:00' } });
    fireEvent.change(input('cacheHourlyUntil'), { target: { value: '07:00' } });
    fireEvent.change(input('cacheRetentionMinutes'), { target: { value: '5' } });
    fireEvent.change(input('cacheAlertWebhook'), { target: { value: 'ftp://alerts' } });
    fireEvent.change(input('activeSchoolYear'), { target: { value: '26' } });
    expect(await within(fieldOf('cacheHourlyUntil')).findByText('Until must not be before From.')).toBeInTheDocument();
    expect(within(fieldOf('cacheRetentionMinutes')).getByText('At least 10 minutes.')).toBeInTheDocument();
    expect(within(fieldOf('cacheAlertWebhook')).getByText(/An absolute http\(s\) URL/)).toBeInTheDocument();
    expect(within(fieldOf('activeSchoolYear')).getByText(/The year the school year ends/)).toBeInTheDocument();
    expect(screen.getByText('Fix the fields marked in red to save.')).toBeInTheDocument();
    fireEvent.click(save());
    await new Promise((r) => setTimeout(r, 100));
    expect(update).not.toHaveBeenCalled();
  });

  it('shows a server refusal under its field and next to the save button', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const update = vi.fn(async () => {
      throw new HttpError('cache time zone "Mars/Olympus": want an IANA time zone such as America/Chicago or UTC', 400);
    });
    renderPage(update);
    await screen.findByLabelText(/Daily refresh time/);
    fireEvent.change(input('cacheRefreshTime'), { target: { value: '04:00' } });
    await waitFor(() => expect(save()).toBeEnabled());
    fireEvent.click(save());
    expect(await screen.findByTestId('settings-error')).toHaveTextContent('Not saved: cache time zone "Mars/Olympus": want an IANA time zone');
    expect(await within(fieldOf('cacheTimeZone')).findByText(/want an IANA time zone/)).toBeInTheDocument();
  });

  it('puts a refusal under the field the server names', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const update = vi.fn(async () => {
      throw new HttpError('retention too short', 400, { errors: { cacheRetentionMinutes: 'retention too short' } });
    });
    renderPage(update);
    await screen.findByLabelText(/Daily refresh time/);
    fireEvent.change(input('cacheRefreshTime'), { target: { value: '04:00' } });
    await waitFor(() => expect(save()).toBeEnabled());
    fireEvent.click(save());
    expect(await within(fieldOf('cacheRetentionMinutes')).findByText('retention too short')).toBeInTheDocument();
  });

  it('is read-only for analysts and auditors', async () => {
    renderPage(undefined, 'auditor');
    await screen.findByLabelText(/Daily refresh time/);
    expect(screen.getByText('Only SIS administrators can change settings.')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Save settings' })).toBeNull();
  });

  it('rules', () => {
    expect(settingsErrorField('hourly refresh hours "16:00" to "07:00": the start is after the end')).toBe('cacheHourlyUntil');
    expect(settingsErrorField('cache alert webhook "x": want an absolute http(s) URL or empty')).toBe('cacheAlertWebhook');
    expect(settingsErrorField('something else')).toBeUndefined();
    expect(settingsInput({ ...stored, cachePausedUntil: null, cacheAlertWebhook: ' https://x/y ' }, stored)).toEqual({ cacheAlertWebhook: 'https://x/y' });
    expect(isTimeZone('America/Chicago')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
    expect(isTimeZone('Local')).toBe(false);
    expect(validateHourlyUntil[1]('06:00', { cacheHourlyFrom: '07:00' }, {})).toMatch(/not be before/);
    expect(validateWebhook[0]('https://hooks.example.org/rollcall', {}, {})).toBeUndefined();
    const ids = validateSource(['identifier', 'sourcedId']);
    expect(ids('userIds:LDAP', {}, {})).toBeUndefined();
    expect(ids('userIds:', {}, {})).toMatch(/Enter the userIds type/);
    expect(ids('email', {}, {})).toMatch(/One of identifier, sourcedId/);
  });
});
