// The home page: how big the district is, how its connections stand, what expires soon.
import { useQuery } from '@tanstack/react-query';
import { Title, useCreatePath } from 'react-admin';
import { Link } from 'react-router-dom';
import { Alert, Box, Card, CardContent, Skeleton, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import { gql } from '../data/graphql';
import { Indicators } from '../connections/Indicators';
import { DASHBOARD_QUERY } from './dashboardQuery';



interface Counts {
  [k: string]: { totalCount: number } | undefined;
}
interface Expiring {
  expiring: { edges: { node: { id: string; vendorName: string; consumerKey: string; expiresOn: string; validDays: number; indicators: { enabled: boolean; active: boolean; notExpired: boolean } } }[] };
}

function Stat({ label, value, to }: { label: string; value?: number; to: string }) {
  return (
    <Card component={Link} to={to} sx={{ textDecoration: 'none', flex: '1 1 150px', minWidth: 150 }}>
      <CardContent>
        <Typography variant="body2" color="text.secondary">{label}</Typography>
        <Typography variant="h5">{value === undefined ? <Skeleton width={60} /> : value.toLocaleString()}</Typography>
      </CardContent>
    </Card>
  );
}

export function Dashboard() {
  const createPath = useCreatePath();
  const { data, error } = useQuery({
    queryKey: ['rollcall', 'dashboard'],
    queryFn: () => {
      const now = new Date();
      const soon = new Date(now.getTime() + 30 * 86_400_000);
      return gql<Counts & Expiring>(DASHBOARD_QUERY, { now: now.toISOString(), soon: soon.toISOString() });
    },
  });
  const n = (k: string) => data?.[k as keyof Counts]?.totalCount as number | undefined;
  return (
    <Box sx={{ mt: 2, display: 'flex', flexDirection: 'column', gap: 2 }}>
      <Title title="Rollcall" />
      {error && <Alert severity="error">Could not load the overview: {(error as Error).message}</Alert>}
      <Box sx={{ display: 'flex', flexWrap: 'wrap', gap: 2 }}>
        <Stat label="Usable connections" value={n('usable')} to={createPath({ resource: 'connections', type: 'list' })} />
        <Stat label="All connections" value={n('connections')} to={createPath({ resource: 'connections', type: 'list' })} />
        <Stat label="Schools" value={n('schools')} to="/orgs?filter=%7B%22type%22%3A%22school%22%7D" />
        <Stat label="Students" value={n('students')} to="/users?filter=%7B%22role%22%3A%22student%22%7D" />
        <Stat label="Classes" value={n('classes')} to="/classes" />
        <Stat label="Enrollments" value={n('enrollments')} to="/enrollments" />
      </Box>
      <Card>
        <CardContent>
          <Typography variant="h6" gutterBottom>Credentials expiring in the next 30 days</Typography>
          {data && data.expiring.edges.length === 0 && <Typography color="text.secondary">None.</Typography>}
          {data && data.expiring.edges.length > 0 && (
            <Table size="small">
              <TableHead>
                <TableRow><TableCell>Status</TableCell><TableCell>Vendor</TableCell><TableCell>Consumer key</TableCell><TableCell>Expires</TableCell><TableCell align="right">Valid days</TableCell></TableRow>
              </TableHead>
              <TableBody>
                {data.expiring.edges.map(({ node }) => (
                  <TableRow key={node.id} hover component={Link} to={createPath({ resource: 'connections', id: node.id, type: 'show' })} sx={{ textDecoration: 'none' }}>
                    <TableCell><Indicators value={node.indicators} /></TableCell>
                    <TableCell>{node.vendorName}</TableCell>
                    <TableCell>{node.consumerKey}</TableCell>
                    <TableCell>{node.expiresOn}</TableCell>
                    <TableCell align="right">{node.validDays}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
        </CardContent>
      </Card>
    </Box>
  );
}
