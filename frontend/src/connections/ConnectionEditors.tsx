// "New connection" and "Edit connection".
import { Create, Edit, SaveButton, ShowButton, Toolbar, useNotify, useRecordContext, useRedirect } from 'react-admin';
import { Alert, Box } from '@mui/material';
import { ConnectionForm } from './ConnectionForm';

function SaveOnly({ label }: { label: string }) {
  return (
    <Toolbar>
      <SaveButton label={label} />
    </Toolbar>
  );
}

export function ConnectionCreate() {
  const notify = useNotify();
  const redirect = useRedirect();
  return (
    <Create
      title="New connection"
      redirect={false}
      mutationOptions={{
        onSuccess: (data: { id: string | number }) => {
          notify('Connection created. Send the Information to Share to the vendor.', { type: 'success' });
          redirect('show', 'connections', data.id);
        },
      }}
    >
      <ConnectionForm mode="create" toolbar={<SaveOnly label="Save" />} />
    </Create>
  );
}

function ConnectionTitle() {
  const record = useRecordContext();
  return <span>Connection {record ? `“${record.vendorName}”` : ''}</span>;
}

/** A revoked connection is read-only until renewed: say so instead of showing a form. */
function EditBody() {
  const record = useRecordContext();
  if (!record) return null;
  if (record.status === 'revoked') {
    return (
      <Box sx={{ p: 2, display: 'flex', flexDirection: 'column', gap: 2, alignItems: 'flex-start' }}>
        <Alert severity="warning">This connection is revoked and read-only. Renew it (on its page) to make changes.</Alert>
        <ShowButton />
      </Box>
    );
  }
  return <ConnectionForm mode="edit" toolbar={<SaveOnly label="Save changes" />} />;
}

export function ConnectionEdit() {
  const notify = useNotify();
  const redirect = useRedirect();
  return (
    <Edit
      title={<ConnectionTitle />}
      mutationMode="pessimistic"
      actions={<Box sx={{ display: 'flex', justifyContent: 'flex-end', pt: 1 }}><ShowButton /></Box>}
      mutationOptions={{
        onSuccess: (data: { id: string | number }) => {
          notify('Connection saved.', { type: 'success' });
          redirect('show', 'connections', data.id);
        },
      }}
    >
      <EditBody />
    </Edit>
  );
}

