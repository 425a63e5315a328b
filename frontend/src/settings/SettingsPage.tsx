// District settings: the district, the OneRoster cache schedule, what the cache publishes, and the
// grading-period rule. Every field checks what the server checks (settings/settings.go); what the server
// still refuses is shown under its field and next to the save button.
import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useFormState, useWatch } from 'react-hook-form';
import {
  AutocompleteInput, BooleanInput, DateInput, Form, NumberInput, SaveButton, TextInput, Title, maxLength, maxValue, minValue, number, regex,
  required, useNotify, type Validator,
} from 'react-admin';
import { Alert, Box, Card, CardContent, CircularProgress, Divider, Typography } from '@mui/material';
import CheckCircleIcon from '@mui/icons-material/CheckCircle';
import { useCanWrite, useRollcall, useSettings } from '../hooks';
import { SETTINGS_KEYS, type Settings } from '../data/connectionsApi';
import { SourceInput } from './SourceInput';

export const validatePrefix = [required('Enter the site prefix.'), regex(/^[A-Za-z0-9]{8}$/, 'Exactly 8 letters or digits.')];
export const validateLifetime = [required(), number(), minValue(300, 'At least 300 seconds (5 minutes).'), maxValue(86400, 'At most 86,400 seconds (24 hours).')];

const CLOCK = /^([01][0-9]|2[0-3]):[0-5][0-9]$/;
const clock = (what: string): Validator => (v) => (CLOCK.test(String(v ?? '')) ? undefined : `${what}: a time of day, HH:MM (24-hour clock).`);

export const validateRefreshTime = [clock('Daily refresh time')];
export const validateHourlyFrom = [clock('From')];
export const validateHourlyUntil: Validator[] = [
  clock('Until'),
  (v, all) => (CLOCK.test(String(all?.cacheHourlyFrom ?? '')) && String(v) < String(all.cacheHourlyFrom) ? 'Until must not be before From.' : undefined),
];

/** Whether the browser knows the IANA time zone (the server loads it with Go's tzdata). */
export function isTimeZone(tz: string): boolean {
  if (!tz || /^local$/i.test(tz)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}
export const validateTimeZone: Validator[] = [
  (v) => (isTimeZone(String(v ?? '')) ? undefined : 'An IANA time zone such as America/Chicago or UTC.'),
];

export const validatePausedUntil: Validator[] = [
  (v) => (!v || /^\d{4}-\d{2}-\d{2}$/.test(String(v)) ? undefined : 'A date, YYYY-MM-DD, or empty to pause until you resume.'),
];
export const validateRetention = [
  required('Enter the retention in minutes.'), number(), minValue(10, 'At least 10 minutes.'), maxValue(10080, 'At most 10,080 minutes (a week).'),
];
export const validateWebhook: Validator[] = [
  (v) => {
    const s = String(v ?? '').trim();
    if (!s) return undefined;
    try {
      const u = new URL(s);
      if ((u.protocol === 'http:' || u.protocol === 'https:') && u.host) return undefined;
    } catch {
      // not a URL
    }
    return 'An absolute http(s) URL, or empty for no alerts.';
  },
];
export const validateSchoolYear = [regex(/^(\d{4})?$/, 'The year the school year ends (YYYY), or empty for every year.')];

/** Which input a server refusal is about: the server's messages start with the setting's name. */
const SERVER_FIELDS: [RegExp, keyof Settings][] = [
  [/^site prefix/i, 'sitePrefix'],
  [/^token lifetime/i, 'tokenLifetimeSeconds'],
  [/^district name/i, 'districtName'],
  [/^identifier source/i, 'identifierSource'],
  [/^username source/i, 'usernameSource'],
  [/^email source/i, 'emailSource'],
  [/^active school year/i, 'activeSchoolYear'],
  [/^cache refresh time/i, 'cacheRefreshTime'],
  [/^hourly refresh hours/i, 'cacheHourlyUntil'],
  [/^cache paused until/i, 'cachePausedUntil'],
  [/^cache retention/i, 'cacheRetentionMinutes'],
  [/^cache time zone/i, 'cacheTimeZone'],
  [/^cache alert webhook/i, 'cacheAlertWebhook'],
];

/** The field a server validation message belongs to, if it names one. */
export function settingsErrorField(message: string): keyof Settings | undefined {
  return SERVER_FIELDS.find(([re]) => re.test(message.trim()))?.[1];
}

/** A setting's value as the server stores it (trimmed strings, numbers, booleans; an empty date is ""). */
function normalize(key: keyof Settings, v: unknown): unknown {
  const sample = typeof ({ tokenLifetimeSeconds: 0, cacheRetentionMinutes: 0 } as Record<string, number>)[key];
  if (sample === 'number') return v === '' || v === null || v === undefined ? NaN : Number(v);
  if (['cacheHourly', 'cachePaused', 'publishGuardians', 'publishAides', 'refuseClosedGradingPeriods'].includes(key)) return Boolean(v);
  return typeof v === 'string' ? v.trim() : v === null || v === undefined ? '' : String(v);
}

/** The SettingsInput of what changed in the form (empty: nothing). */
export function settingsInput(values: Record<string, unknown>, stored: Partial<Settings>): Partial<Settings> {
  const input: Record<string, unknown> = {};
  for (const k of SETTINGS_KEYS) {
    if (!(k in values)) continue;
    const v = normalize(k, values[k]);
    if (v !== normalize(k, stored[k])) input[k] = v;
  }
  return input as Partial<Settings>;
}

let zones: { id: string; name: string }[] | undefined;
function timeZoneChoices(current?: string) {
  if (!zones) {
    const names = (Intl as unknown as { supportedValuesOf?: (k: string) => string[] }).supportedValuesOf?.('timeZone') ?? [];
    zones = [...new Set(['UTC', ...names])].map((id) => ({ id, name: id }));
  }
  return current && !zones.some((z) => z.id === current) ? [{ id: current, name: current }, ...zones] : zones;
}

type SaveState = { kind: 'idle' } | { kind: 'saved'; at: Date } | { kind: 'failed'; message: string };

export function SettingsPage() {
  const { data, isPending, error } = useSettings();
  const dp = useRollcall();
  const notify = useNotify();
  const queryClient = useQueryClient();
  const canWrite = useCanWrite();
  const [state, setState] = useState<SaveState>({ kind: 'idle' });

  const save = async (values: Record<string, unknown>) => {
    const input = settingsInput(values, data ?? {});
    if (Object.keys(input).length === 0) {
      notify('Nothing changed.', { type: 'info' });
      return;
    }
    try {
      const saved = await dp.updateSettings(input);
      queryClient.setQueryData(['rollcall', 'settings'], saved);
      queryClient.invalidateQueries({ queryKey: ['rollcall', 'cacheStatus'] });
      setState({ kind: 'saved', at: new Date() });
      notify('Settings saved.', { type: 'success' });
    } catch (e) {
      const message = (e as Error).message;
      setState({ kind: 'failed', message });
      notify(`Settings not saved: ${message}`, { type: 'error' });
      // Returned errors appear under their inputs (react-admin's submission errors): the field the server
      // names (extensions.field), else the one its message starts with.
      const named = ((e as { body?: { errors?: Record<string, string> } }).body?.errors) ?? {};
      if (Object.keys(named).length > 0) return named;
      const field = settingsErrorField(message);
      if (field) return { [field]: message };
    }
  };

  const ro = !canWrite;
  return (
    <Box sx={{ mt: 2, mb: 2, maxWidth: 980 }}>
      <Title title="Settings" />
      {isPending && <CircularProgress size={24} />}
      {error && <Alert severity="error">Could not load the settings: {(error as Error).message}</Alert>}
      {!canWrite && data && <Alert severity="info" sx={{ mb: 2 }}>Only SIS administrators can change settings.</Alert>}
      {data && (
        <Form record={{ ...data, id: 'district' }} onSubmit={save} mode="onChange">
          <Card sx={{ overflow: 'visible' }}>
            <CardContent>
              <Section title="District">
                <Row>
                  <TextInput source="districtName" label="District name" validate={[required(), maxLength(200)]} readOnly={ro} fullWidth />
                  <TextInput
                    source="sitePrefix"
                    label="Site prefix"
                    validate={validatePrefix}
                    readOnly={ro}
                    helperText="The fixed first 8 characters of every new consumer key (PREFIX_districtpart). Existing keys keep theirs."
                    inputProps={{ maxLength: 8, style: { fontFamily: 'monospace', textTransform: 'none' } }}
                    fullWidth
                  />
                </Row>
                <LifetimeInput readOnly={ro} />
              </Section>
              <CacheSchedule readOnly={ro} />
              <Publishing readOnly={ro} />
              <Section title="Grade passback">
                <BooleanInput
                  source="refuseClosedGradingPeriods"
                  label="Refuse vendor results for ended grading periods"
                  readOnly={ro}
                  helperText="When on, a vendor's result for a line item whose grading period (its academic session) ended before today, in the cache time zone, is refused."
                />
              </Section>
            </CardContent>
            {canWrite && <SaveBar state={state} />}
          </Card>
        </Form>
      )}
    </Box>
  );
}

function Section({ title, id, children, subtitle }: { title: string; id?: string; subtitle?: string; children: React.ReactNode }) {
  return (
    <Box component="section" id={id} aria-label={title} sx={{ '&:not(:first-of-type)': { mt: 1 } }}>
      <Divider sx={{ mb: 1.5, '&:first-of-type': { display: 'none' } }} />
      <Typography variant="h6">{title}</Typography>
      {subtitle && <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>{subtitle}</Typography>}
      {children}
    </Box>
  );
}

/** Inputs side by side on a laptop screen, one under the other on a narrow one. */
function Row({ children, columns = 2 }: { children: React.ReactNode; columns?: number }) {
  return <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', md: `repeat(${columns}, 1fr)` }, columnGap: 2, alignItems: 'start' }}>{children}</Box>;
}

function CacheSchedule({ readOnly }: { readOnly: boolean }) {
  const hourly = useWatch({ name: 'cacheHourly' });
  const paused = useWatch({ name: 'cachePaused' });
  const tz = useWatch({ name: 'cacheTimeZone' });
  return (
    <Section title="OneRoster cache schedule" id="cache" subtitle="Vendors read a published copy of the roster; it is rebuilt on this schedule (and with “Refresh now” on the OneRoster cache page).">
      <Row>
        <TextInput source="cacheRefreshTime" label="Daily refresh time" type="time" validate={validateRefreshTime} readOnly={readOnly} helperText="Every day at this time, in the time zone beside it." fullWidth />
        <AutocompleteInput
          source="cacheTimeZone"
          label="Time zone"
          choices={timeZoneChoices(tz)}
          validate={validateTimeZone}
          readOnly={readOnly}
          disableClearable
          helperText="IANA time zone of the schedule and of grading-period end dates."
          fullWidth
        />
      </Row>
      <Row columns={3}>
        <BooleanInput source="cacheHourly" label="Also refresh every hour" readOnly={readOnly} helperText="At the top of every hour in the window." />
        <TextInput source="cacheHourlyFrom" label="From" type="time" validate={validateHourlyFrom} readOnly={readOnly || !hourly} fullWidth />
        <TextInput source="cacheHourlyUntil" label="Until (inclusive)" type="time" validate={validateHourlyUntil} readOnly={readOnly || !hourly} fullWidth />
      </Row>
      <Row columns={3}>
        <BooleanInput source="cachePaused" label="Pause scheduled refreshes" readOnly={readOnly} helperText="“Refresh now” still works while paused." />
        <DateInput
          source="cachePausedUntil"
          label="Paused until (optional)"
          validate={validatePausedUntil}
          readOnly={readOnly || !paused}
          helperText={paused ? 'Scheduled refreshes resume on this day; empty: until you turn the pause off.' : ' '}
          parse={(v: string) => v || ''}
          fullWidth
        />
        <Box />
      </Row>
      <Row>
        <NumberInput
          source="cacheRetentionMinutes"
          label="Keep a replaced copy for (minutes)"
          validate={validateRetention}
          readOnly={readOnly}
          min={10}
          max={10080}
          helperText="Vendors paging through a list keep reading the copy they started with for this long (10 to 10,080)."
          fullWidth
        />
        <TextInput
          source="cacheAlertWebhook"
          label="Alert webhook URL (optional)"
          validate={validateWebhook}
          readOnly={readOnly}
          helperText="Receives a JSON POST for every failed refresh."
          fullWidth
        />
      </Row>
    </Section>
  );
}

function Publishing({ readOnly }: { readOnly: boolean }) {
  return (
    <Section title="What is published" subtitle="Applies to every connection from the next cache refresh.">
      <Row columns={3}>
        <SourceInput source="identifierSource" label="Users' identifier from" names={['identifier', 'userMasterIdentifier', 'username', 'sourcedId']} readOnly={readOnly} />
        <SourceInput source="usernameSource" label="Users' username from" names={['username', 'email', 'identifier', 'userMasterIdentifier']} readOnly={readOnly} />
        <SourceInput source="emailSource" label="Users' email from" names={['email', 'none']} readOnly={readOnly} />
      </Row>
      <Row columns={3}>
        <BooleanInput source="publishGuardians" label="Publish guardians" readOnly={readOnly} helperText="Guardians, parents and relatives, and links to them." />
        <BooleanInput source="publishAides" label="Publish aides" readOnly={readOnly} />
        <TextInput
          source="activeSchoolYear"
          label="Active school year (optional)"
          validate={validateSchoolYear}
          readOnly={readOnly}
          helperText="YYYY, the year it ends: only its sessions, courses, classes and enrollments. Empty: every year."
          inputProps={{ maxLength: 4, inputMode: 'numeric' }}
          fullWidth
        />
      </Row>
    </Section>
  );
}

/** The save button with what happened: saving, saved, or refused and why. Stays in view at the bottom. */
function SaveBar({ state }: { state: SaveState }) {
  const { isSubmitting, isDirty, isValid } = useFormState();
  let outcome: React.ReactNode = null;
  if (isSubmitting) outcome = <Typography variant="body2" color="text.secondary" role="status">Saving…</Typography>;
  else if (state.kind === 'failed') {
    outcome = (
      <Alert severity="error" sx={{ flex: 1, py: 0 }} role="alert" data-testid="settings-error">
        Not saved: {state.message}
      </Alert>
    );
  } else if (isDirty && !isValid) outcome = <Typography variant="body2" color="error" role="status">Fix the fields marked in red to save.</Typography>;
  else if (isDirty) outcome = <Typography variant="body2" color="text.secondary" role="status">Unsaved changes.</Typography>;
  else if (state.kind === 'saved') {
    outcome = (
      <Typography variant="body2" color="success.main" sx={{ display: 'flex', alignItems: 'center', gap: 0.5 }} role="status">
        <CheckCircleIcon fontSize="small" /> Saved at {state.at.toLocaleTimeString()}.
      </Typography>
    );
  }
  return (
    <Box
      sx={{ position: 'sticky', bottom: 0, zIndex: 2, display: 'flex', alignItems: 'center', gap: 2, px: 2, py: 1.5, bgcolor: 'background.paper', borderTop: 1, borderColor: 'divider' }}
      data-testid="settings-save-bar"
    >
      <SaveButton label="Save settings" alwaysEnable={false} />
      {outcome}
    </Box>
  );
}

function LifetimeInput({ readOnly }: { readOnly: boolean }) {
  return (
    <NumberInput
      source="tokenLifetimeSeconds"
      label="Access token lifetime (seconds)"
      validate={validateLifetime}
      readOnly={readOnly}
      min={300}
      max={86400}
      step={300}
      helperText={<LifetimeHelp />}
      fullWidth
    />
  );
}

function minutes(seconds: unknown): string {
  const s = Number(seconds);
  if (!Number.isFinite(s) || s <= 0) return '';
  return s % 3600 === 0 ? `${s / 3600} hour${s === 3600 ? '' : 's'}` : `${Math.round(s / 60)} minutes`;
}

function LifetimeHelp() {
  // react-hook-form's live value, shown in words.
  return <span>Between 300 (5 minutes) and 86,400 (24 hours). Applies to tokens issued from now on.<LifetimeWords /></span>;
}

function LifetimeWords() {
  const v = useWatch({ name: 'tokenLifetimeSeconds' });
  const words = minutes(v);
  return words ? <b> Now: {words}.</b> : null;
}
