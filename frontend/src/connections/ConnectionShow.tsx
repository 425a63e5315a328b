// One vendor connection: the vendor record (seeds: "OneRoster Vendor Fields"), the Information to Share,
// and Edit / Renew / Revoke.
import {
  BooleanField, ChipField, DateField, EditButton, Labeled, NumberField, ReferenceArrayField, Show, SingleFieldList,
  TextField, TopToolbar, useRecordContext,
} from 'react-admin';
import { Alert, Box, Card, CardContent, Typography } from '@mui/material';
import { Indicators, StatusChip, TypesField, type IndicatorValues } from './Indicators';
import { ShareInfoPanel } from './ShareInfo';
import { RenewButton, RevokeButton } from './Lifecycle';
import { useCanWrite } from '../hooks';

function Actions() {
  const record = useRecordContext();
  const canWrite = useCanWrite();
  return (
    <TopToolbar>
      {canWrite && record?.status !== 'revoked' && <EditButton />}
      <RenewButton />
      <RevokeButton />
    </TopToolbar>
  );
}

function Title() {
  const record = useRecordContext();
  return <span>Connection {record ? `“${record.vendorName}”` : ''}</span>;
}

function Schools() {
  const record = useRecordContext();
  if (!record) return null;
  if (record.allSchools || !(record.schoolSourcedIDs as string[])?.length) return <Typography variant="body2">All schools</Typography>;
  return (
    <ReferenceArrayField source="schoolSourcedIDs" reference="schoolChoices">
      <SingleFieldList linkType={false}>
        <ChipField source="name" size="small" />
      </SingleFieldList>
    </ReferenceArrayField>
  );
}

function VendorRecord() {
  const record = useRecordContext();
  if (!record) return null;
  const revoked = record.status === 'revoked';
  return (
    <Card variant="outlined">
      <CardContent>
        <Box sx={{ display: 'flex', alignItems: 'center', gap: 1.5, mb: 1 }}>
          <Typography variant="h6" sx={{ flex: 1 }}>{String(record.vendorName)}</Typography>
          <Indicators value={record.indicators as IndicatorValues} />
          <StatusChip />
        </Box>
        {revoked && (
          <Alert severity="warning" sx={{ mb: 1 }}>
            Revoked{record.revokedAt ? ` on ${new Date(String(record.revokedAt)).toLocaleString()}` : ''}: the record is read-only and its secret is deleted. Renew to reinstate it.
          </Alert>
        )}
        <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', sm: '1fr 1fr' }, gap: 1.5 }}>
          <Labeled label="Client enabled"><BooleanField source="enabled" /></Labeled>
          <Labeled label="Status"><TextField source="status" sx={{ textTransform: 'capitalize' }} /></Labeled>
          <Labeled label="Consumer key"><TextField source="consumerKey" sx={{ fontFamily: 'monospace' }} /></Labeled>
          <Labeled label="Service account (modifiedBy)"><TextField source="serviceAccount" sx={{ fontFamily: 'monospace' }} /></Labeled>
          <Box sx={{ gridColumn: { sm: '1 / span 2' } }}>
            <Labeled label="Purpose"><TextField source="purpose" emptyText="—" /></Labeled>
          </Box>
          <Labeled label="OneRoster version"><TextField source="version" /></Labeled>
          <Labeled label="Digital Learning Partner"><BooleanField source="partner" /></Labeled>
          <Labeled label="Connection types"><TypesField /></Labeled>
          <Labeled label="Demographics access"><BooleanField source="demographics" /></Labeled>
          <Labeled label="Token expiration date"><TextField source="expiresOn" /></Labeled>
          <Labeled label="Valid days"><NumberField source="validDays" /></Labeled>
          <Box sx={{ gridColumn: { sm: '1 / span 2' } }}>
            <Labeled label="Schools"><Schools /></Labeled>
          </Box>
          <Labeled label="Created"><DateField source="createdAt" showTime /></Labeled>
          <Labeled label="Created by"><TextField source="createdBy" /></Labeled>
          <Labeled label="Last token issued"><DateField source="lastTokenAt" showTime emptyText="never" /></Labeled>
          <Labeled label="Last changed"><DateField source="updatedAt" showTime /></Labeled>
        </Box>
      </CardContent>
    </Card>
  );
}

export function ConnectionShow() {
  return (
    <Show title={<Title />} actions={<Actions />} emptyWhileLoading>
      <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', lg: 'minmax(0, 1fr) minmax(0, 1fr)' }, gap: 2, p: 2 }}>
        <VendorRecord />
        <ShareInfoPanel />
      </Box>
    </Show>
  );
}
