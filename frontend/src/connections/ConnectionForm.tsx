// The vendor record form, shared by "New connection" and "Edit": vendor name, purpose, consumer key (site
// prefix fixed, district part editable), version, partner, connection types (gradebook and assessment only
// for partners; assessment only in 1.2), demographics, schools, token expiration date (default a year, at
// most 13 months ahead) and, when editing, client enabled.
import { useEffect, useMemo } from 'react';
import { useWatch } from 'react-hook-form';
import {
  AutocompleteArrayInput, BooleanInput, DateInput, RadioButtonGroupInput, ReferenceArrayInput, SimpleForm, TextInput,
  maxLength, required, useInput, useRecordContext, type Validator,
} from 'react-admin';
import { Box, Checkbox, FormControlLabel, FormGroup, FormHelperText, FormLabel, InputAdornment } from '@mui/material';
import { checkExpiration, defaultExpiration, earliestExpiration, latestExpiration } from '../data/dates';
import { useSettings } from '../hooks';
import { typeLabels } from './Indicators';

export const DISTRICT_PART = /^[A-Za-z0-9._-]+$/;
export const MAX_DISTRICT_PART = 40;

/** Mirrors the server's check of a consumer key's district part (provision.ValidateDistrictPart). */
export const validateDistrictPart: Validator = (value: unknown) => {
  const v = String(value ?? '').trim();
  if (!v) return 'Enter the district part of the consumer key, e.g. the vendor name.';
  const bad = [...v].findIndex((c) => !DISTRICT_PART.test(c));
  if (bad >= 0) return `"${[...v][bad]}" (position ${bad + 1}) is not allowed: use letters, digits, ".", "-" and "_".`;
  if (v.length > MAX_DISTRICT_PART) return `At most ${MAX_DISTRICT_PART} characters after the prefix (this is ${v.length}).`;
  return undefined;
};

export const validateExpiration: Validator = (value: unknown) => checkExpiration(value);

/** The consumer key input: the site prefix is fixed, the district part is typed. */
function ConsumerKeyInput() {
  const { data: settings, isPending, error } = useSettings();
  const prefix = settings?.sitePrefix;
  return (
    <TextInput
      source="districtPart"
      label="Consumer key"
      validate={validateDistrictPart}
      helperText={
        error
          ? `Could not load the site prefix: ${(error as Error).message}`
          : `The site prefix ${prefix ? `"${prefix}_"` : ''} is fixed; the part after it is yours (include the vendor's name).`
      }
      slotProps={{
        input: {
          startAdornment: (
            <InputAdornment position="start" data-testid="consumer-key-prefix" sx={{ mr: 0, '& p': { fontFamily: 'monospace', color: 'text.primary' } }}>
              {isPending ? '…' : `${prefix ?? '????????'}_`}
            </InputAdornment>
          ),
        },
      }}
      inputProps={{ style: { fontFamily: 'monospace' }, autoComplete: 'off', spellCheck: false }}
    />
  );
}

/** Connection types as checkboxes: roster always; gradebook and assessment only for partners. */
export function ConnectionTypesInput({ disabled }: { disabled?: boolean }) {
  const { field, fieldState } = useInput({ source: 'types', defaultValue: ['roster'] });
  const partner = Boolean(useWatch({ name: 'partner' }));
  const version = useWatch({ name: 'version' }) as string | undefined;
  const value = useMemo(() => new Set<string>(Array.isArray(field.value) ? field.value : []), [field.value]);

  // Keep the value consistent with what is allowed: roster always, no partner-only types for non-partners.
  useEffect(() => {
    const next = new Set(value);
    next.add('roster');
    if (!partner) {
      next.delete('gradebook');
      next.delete('assessment');
    }
    if (version === '1.1') next.delete('assessment');
    if (next.size !== value.size || [...next].some((t) => !value.has(t))) field.onChange(order(next));
  }, [partner, version, value, field]);

  const allowed = (t: string) => t === 'roster' ? false : partner && !(t === 'assessment' && version === '1.1');
  const why = (t: string) =>
    t === 'roster' ? 'Every connection has Roster Sync.'
      : !partner ? 'Only for Digital Learning Partners.'
        : t === 'assessment' && version === '1.1' ? 'OneRoster 1.1 has no assessment service.' : '';
  return (
    <Box sx={{ my: 1 }}>
      <FormLabel component="legend">Connection types</FormLabel>
      <FormGroup row>
        {['roster', 'gradebook', 'assessment'].map((t) => (
          <FormControlLabel
            key={t}
            label={<span title={why(t)}>{typeLabels[t]}</span>}
            control={
              <Checkbox
                name={`type-${t}`}
                checked={value.has(t)}
                disabled={disabled || !allowed(t)}
                onChange={(e) => {
                  const next = new Set(value);
                  if (e.target.checked) next.add(t);
                  else next.delete(t);
                  field.onChange(order(next));
                }}
              />
            }
          />
        ))}
      </FormGroup>
      {fieldState.error && <FormHelperText error>{String(fieldState.error.message ?? '')}</FormHelperText>}
      <FormHelperText>{partner ? 'Gradebook and assessment let the vendor send data back.' : 'Non-partner vendors get Roster Sync only: mark the vendor as a partner for gradebook and assessment.'}</FormHelperText>
    </Box>
  );
}

const order = (s: Set<string>) => ['roster', 'gradebook', 'assessment'].filter((t) => s.has(t));

function ExpirationInput() {
  const latest = latestExpiration();
  const record = useRecordContext();
  // Editing other fields of a connection keeps its date as it is, even one that has passed (renew for that).
  const validate = useMemo<Validator>(
    () => (value: unknown, all: unknown, props: unknown) => (record && value === record.expiresOn ? undefined : validateExpiration(value, all, props)),
    [record],
  );
  return (
    <DateInput
      source="expiresOn"
      label="Token expiration date"
      validate={validate}
      helperText={`Default one year from today; at most 13 months (latest ${latest}).`}
      inputProps={{ min: earliestExpiration(), max: latest }}
    />
  );
}

export function connectionDefaults() {
  return {
    vendorName: '', purpose: '', districtPart: '', version: '1.2', partner: false, types: ['roster'],
    demographics: false, schoolSourcedIDs: [], expiresOn: defaultExpiration(),
  };
}

export function ConnectionFormFields({ mode }: { mode: 'create' | 'edit' }) {
  return (
    <>
      <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', md: '1fr 1fr' }, columnGap: 3, width: '100%', maxWidth: 960 }}>
        <TextInput source="vendorName" label="Vendor name" validate={[required('Enter the vendor name.'), maxLength(200)]} />
        {mode === 'create' ? <ConsumerKeyInput /> : <TextInput source="consumerKey" label="Consumer key" disabled helperText="The consumer key cannot change." />}
        <TextInput source="purpose" label="Purpose" multiline minRows={2} validate={maxLength(2000)} helperText="Why this connection was made." sx={{ gridColumn: { md: '1 / span 2' } }} />
        <RadioButtonGroupInput source="version" label="OneRoster version" choices={[{ id: '1.1', name: '1.1' }, { id: '1.2', name: '1.2' }]} validate={required('Choose the version the vendor supports.')} />
        <ExpirationInput />
        <BooleanInput source="partner" label="Digital Learning Partner" helperText="Partners may have Gradebook and Assessment." />
        <BooleanInput source="demographics" label="Demographics access" helperText="Lets the vendor read demographics." />
      </Box>
      <ConnectionTypesInput />
      <ReferenceArrayInput source="schoolSourcedIDs" reference="schoolChoices" perPage={50} sort={{ field: 'name', order: 'ASC' }}>
        <AutocompleteArrayInput
          label="Schools"
          optionText="name"
          helperText={mode === 'edit'
            ? 'Leave empty for all schools. After changing the schools, ask the vendor to run a full sync: records it may no longer see are not sent as deletions.'
            : 'Leave empty for all schools.'}
          sx={{ maxWidth: 960 }}
          fullWidth
        />
      </ReferenceArrayInput>
      {mode === 'edit' && <BooleanInput source="enabled" label="Client enabled" helperText="A disabled client cannot get tokens; its live tokens stop working." />}
    </>
  );
}

export function ConnectionForm({ mode, toolbar }: { mode: 'create' | 'edit'; toolbar?: React.ReactElement | false }) {
  return (
    <SimpleForm defaultValues={mode === 'create' ? connectionDefaults() : undefined} toolbar={toolbar} mode="onBlur" reValidateMode="onChange">
      <ConnectionFormFields mode={mode} />
    </SimpleForm>
  );
}
