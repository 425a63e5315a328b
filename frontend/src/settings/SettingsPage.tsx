// District settings: name, the consumer keys' site prefix, and the access token lifetime.
import { useQueryClient } from '@tanstack/react-query';
import { useWatch } from 'react-hook-form';
import { Form, NumberInput, SaveButton, TextInput, Title, maxLength, maxValue, minValue, number, regex, required, useNotify } from 'react-admin';
import { Alert, Box, Card, CardContent, CircularProgress, Typography } from '@mui/material';
import { useCanWrite, useRollcall, useSettings } from '../hooks';
import type { Settings } from '../data/connectionsApi';

export const validatePrefix = [required('Enter the site prefix.'), regex(/^[A-Za-z0-9]{8}$/, 'Exactly 8 letters or digits.')];
export const validateLifetime = [required(), number(), minValue(300, 'At least 300 seconds (5 minutes).'), maxValue(86400, 'At most 86,400 seconds (24 hours).')];

function minutes(seconds: unknown): string {
  const s = Number(seconds);
  if (!Number.isFinite(s) || s <= 0) return '';
  return s % 3600 === 0 ? `${s / 3600} hour${s === 3600 ? '' : 's'}` : `${Math.round(s / 60)} minutes`;
}

export function SettingsPage() {
  const { data, isPending, error } = useSettings();
  const dp = useRollcall();
  const notify = useNotify();
  const queryClient = useQueryClient();
  const canWrite = useCanWrite();

  const save = async (values: Record<string, unknown>) => {
    const input: Partial<Settings> = {};
    if (values.districtName !== data?.districtName) input.districtName = String(values.districtName ?? '').trim();
    if (values.sitePrefix !== data?.sitePrefix) input.sitePrefix = String(values.sitePrefix ?? '').trim();
    if (Number(values.tokenLifetimeSeconds) !== data?.tokenLifetimeSeconds) input.tokenLifetimeSeconds = Number(values.tokenLifetimeSeconds);
    if (Object.keys(input).length === 0) {
      notify('Nothing changed.', { type: 'info' });
      return;
    }
    try {
      const saved = await dp.updateSettings(input);
      queryClient.setQueryData(['rollcall', 'settings'], saved);
      notify('Settings saved.', { type: 'success' });
    } catch (e) {
      notify(`Settings not saved: ${(e as Error).message}`, { type: 'error' });
    }
  };

  return (
    <Box sx={{ mt: 2, maxWidth: 720 }}>
      <Title title="Settings" />
      <Card>
        <CardContent>
          <Typography variant="h6" gutterBottom>District settings</Typography>
          {isPending && <CircularProgress size={24} />}
          {error && <Alert severity="error">Could not load the settings: {(error as Error).message}</Alert>}
          {!canWrite && data && <Alert severity="info" sx={{ mb: 2 }}>Only SIS administrators can change settings.</Alert>}
          {data && (
            <Form record={data as unknown as Record<string, unknown> & { id: string }} onSubmit={save} mode="onChange">
              <TextInput source="districtName" label="District name" validate={[required(), maxLength(200)]} disabled={!canWrite} fullWidth />
              <TextInput
                source="sitePrefix"
                label="Site prefix"
                validate={validatePrefix}
                disabled={!canWrite}
                helperText="The fixed first 8 characters of every new consumer key (PREFIX_districtpart). Existing keys keep theirs."
                inputProps={{ maxLength: 8, style: { fontFamily: 'monospace', textTransform: 'none' } }}
                fullWidth
              />
              <LifetimeInput disabled={!canWrite} />
              {canWrite && <SaveButton label="Save settings" alwaysEnable={false} />}
            </Form>
          )}
        </CardContent>
      </Card>
      <Typography variant="body2" color="text.secondary" sx={{ mt: 2 }}>
        The OneRoster cache schedule and the publishing rules are not editable here yet: the server does not offer them over GraphQL.
      </Typography>
    </Box>
  );
}

function LifetimeInput({ disabled }: { disabled: boolean }) {
  return (
    <NumberInput
      source="tokenLifetimeSeconds"
      label="Access token lifetime (seconds)"
      validate={validateLifetime}
      disabled={disabled}
      min={300}
      max={86400}
      step={300}
      helperText={<LifetimeHelp />}
      fullWidth
    />
  );
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
