// Small fields shared by the roster screens.
import { useGetList, useRecordContext } from 'react-admin';
import { Box, Chip, Link as MuiLink, Tooltip, Typography } from '@mui/material';
import { Link } from 'react-router-dom';

/** The value at a dotted path of a record. */
export function get(record: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), record);
}

/** Connections by service account, to name the vendor behind a "vendor:<service account>" modifiedBy. */
export function useVendors() {
  const { data } = useGetList('connections', { pagination: { page: 1, perPage: 100 }, sort: { field: 'vendorName', order: 'ASC' } }, { staleTime: 60_000 });
  const byAccount = new Map<string, { id: string; vendorName: string; serviceAccount: string }>();
  for (const c of data ?? []) byAccount.set(String(c.serviceAccount), c as never);
  return { list: data ?? [], byAccount };
}

/** Who last changed a record: a vendor (its connection), an admin, an import, or the system. */
export function ModifiedByField(_props: { label?: string; sortable?: boolean; source?: string }) {
  const record = useRecordContext();
  const { byAccount } = useVendors();
  const raw = String(record?.modifiedBy ?? '');
  if (!raw) return null;
  const [kind, ...rest] = raw.split(':');
  const name = rest.join(':');
  if (kind === 'vendor') {
    const c = byAccount.get(name);
    return (
      <Tooltip title={raw}>
        {c ? (
          <MuiLink component={Link} to={`/connections/${c.id}/show`} onClick={(e: React.MouseEvent) => e.stopPropagation()}>
            {c.vendorName} <Typography component="span" variant="caption" color="text.secondary">(vendor)</Typography>
          </MuiLink>
        ) : (
          <span>{name} (vendor)</span>
        )}
      </Tooltip>
    );
  }
  if (kind === 'import' && name) {
    return (
      <MuiLink component={Link} to={`/imports/${name}/show`} onClick={(e: React.MouseEvent) => e.stopPropagation()} variant="body2">
        SIS import #{name}
      </MuiLink>
    );
  }
  const text = kind === 'admin' ? `${name} (admin)` : raw;
  return <Typography variant="body2">{text}</Typography>;
}

/** The vendor that last wrote a line item or result: its connection, else who modifiedBy names. */
export function WrittenByField(props: { label?: string; sortable?: boolean; source?: string }) {
  const record = useRecordContext();
  const c = record?.writtenBy as { id: string; vendorName: string } | null | undefined;
  if (!c) return <ModifiedByField {...props} />;
  return (
    <Tooltip title={String(record?.modifiedBy ?? '')}>
      <MuiLink component={Link} to={`/connections/${c.id}/show`} onClick={(e: React.MouseEvent) => e.stopPropagation()} data-testid="written-by">
        {c.vendorName} <Typography component="span" variant="caption" color="text.secondary">(vendor)</Typography>
      </MuiLink>
    </Tooltip>
  );
}

/** Given and family name of a nested user (source: "user", "student"). */
export function PersonField({ source }: { source: string; label?: string; sortable?: boolean }) {
  const record = useRecordContext();
  const p = get(record, source) as { givenName?: string; familyName?: string; identifier?: string } | undefined;
  if (!p) return null;
  return (
    <span>
      {p.familyName}, {p.givenName}
      {p.identifier && <Typography component="span" variant="caption" color="text.secondary"> · {p.identifier}</Typography>}
    </span>
  );
}

/** A nested object's name or title. */
export function NestedField({ source, field = 'name' }: { source: string; field?: string; label?: string; sortable?: boolean }) {
  const record = useRecordContext();
  const v = get(record, `${source}.${field}`);
  return v ? <span>{String(v)}</span> : <Typography variant="body2" color="text.secondary">—</Typography>;
}

/** A list of strings (grades, subjects) or of nested records (their title or name) as chips. */
export function ChipsField({ source }: { source: string; label?: string; sortable?: boolean }) {
  const record = useRecordContext();
  const raw = (get(record, source) as unknown[] | undefined) ?? [];
  const values = raw.map((v) => (v && typeof v === 'object' ? String((v as Record<string, unknown>).title ?? (v as Record<string, unknown>).name ?? '') : String(v)));
  return (
    <Box sx={{ display: 'flex', gap: 0.5, flexWrap: 'wrap' }}>
      {values.map((v, i) => <Chip key={`${v}-${i}`} label={v} size="small" variant="outlined" />)}
    </Box>
  );
}

/** A user's roles: "student @ Lincoln Elementary". */
export function RolesField(_props: { label?: string; sortable?: boolean }) {
  const record = useRecordContext();
  const roles = (record?.roles as { role: string; roleType: string; org?: { name: string } }[] | undefined) ?? [];
  return (
    <Box sx={{ display: 'flex', gap: 0.5, flexWrap: 'wrap' }}>
      {roles.slice(0, 3).map((r, i) => (
        <Chip key={i} size="small" label={`${r.role}${r.org ? ` @ ${r.org.name}` : ''}`} variant={r.roleType === 'primary' ? 'filled' : 'outlined'} />
      ))}
      {roles.length > 3 && <Chip size="small" label={`+${roles.length - 3}`} />}
    </Box>
  );
}
