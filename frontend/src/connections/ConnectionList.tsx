// The connections list: status indicators, vendor, consumer key, version, types, partner, expiration date
// and valid days; search, filters, and sort on the columns the server can order by.
import {
  BooleanField, CreateButton, Datagrid, FilterButton, List, NullableBooleanInput, NumberField, Pagination, SearchInput,
  SelectInput, TextField, TopToolbar,
} from 'react-admin';
import { IndicatorsField, TypesField } from './Indicators';
import { useCanWrite } from '../hooks';

const filters = [
  <SearchInput key="q" source="q" alwaysOn placeholder="Vendor, consumer key or purpose" />,
  <SelectInput key="status" source="status" label="Status" choices={[{ id: 'active', name: 'Active' }, { id: 'revoked', name: 'Revoked' }]} />,
  <SelectInput key="version" source="version" label="Version" choices={[{ id: '1.1', name: '1.1' }, { id: '1.2', name: '1.2' }]} />,
  <NullableBooleanInput key="partner" source="partner" label="Partner" />,
  <NullableBooleanInput key="enabled" source="enabled" label="Client enabled" />,
  <NullableBooleanInput key="expired" source="expired" label="Expired" />,
];

function Actions() {
  const canWrite = useCanWrite();
  return (
    <TopToolbar>
      <FilterButton />
      {canWrite && <CreateButton label="New connection" />}
    </TopToolbar>
  );
}

export function ConnectionList() {
  return (
    <List
      title="Connections"
      filters={filters}
      actions={<Actions />}
      sort={{ field: 'vendorName', order: 'ASC' }}
      perPage={25}
      pagination={<Pagination rowsPerPageOptions={[10, 25, 50, 100]} />}
      exporter={false}
      empty={false}
    >
      <Datagrid rowClick="show" bulkActionButtons={false} size="small">
        <IndicatorsField label="Status" sortable={false} />
        <TextField source="vendorName" label="Vendor" />
        <TextField source="consumerKey" label="Consumer key" />
        <TextField source="version" label="Version" />
        <TypesField source="types" label="Types" sortable={false} />
        <BooleanField source="partner" label="Partner" sortable={false} />
        <TextField source="expiresOn" label="Expiration date" />
        <NumberField source="validDays" label="Valid days" />
      </Datagrid>
    </List>
  );
}
