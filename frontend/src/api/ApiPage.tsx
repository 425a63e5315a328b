// The API page: where vendors and analysts go (REST documentation, OneRoster base URLs, the token URL and
// OpenID discovery), and a GraphQL explorer bundled into the app (no CDN), signed in as the current admin.
import { lazy, Suspense } from 'react';
import { Title } from 'react-admin';
import { Box, Card, CardContent, CircularProgress, Link, Table, TableBody, TableCell, TableRow, Typography } from '@mui/material';

const Explorer = lazy(() => import('./Explorer'));

const origin = () => window.location.origin;

export const API_LINKS: [string, string, string][] = [
  ['REST documentation client', '/docs/', 'The OneRoster REST API, documented and tryable.'],
  ['OneRoster 1.2 base URL', '/ims/oneroster/', 'Vendors on OneRoster 1.2 start here.'],
  ['OneRoster 1.1 base URL', '/ims/oneroster/v1p1', 'Vendors on OneRoster 1.1 start here.'],
  ['Token URL', '/oauth/token', 'OAuth 2 client credentials: vendors trade their client ID and secret for a token.'],
  ['OpenID discovery', '/.well-known/openid-configuration', 'The sign-in and token endpoints, machine-readable.'],
  ['GraphQL endpoint', '/graphql', 'POST only, with an admin or API-client token (the explorer below uses yours).'],
];

export function ApiPage() {
  return (
    <Box sx={{ mt: 2, display: 'flex', flexDirection: 'column', gap: 2 }}>
      <Title title="API & GraphQL" />
      <Card>
        <CardContent>
          <Typography variant="h6" gutterBottom>Links</Typography>
          <Table size="small">
            <TableBody>
              {API_LINKS.map(([label, path, what]) => (
                <TableRow key={path}>
                  <TableCell sx={{ whiteSpace: 'nowrap' }}>{label}</TableCell>
                  <TableCell>
                    <Link href={path} target="_blank" rel="noreferrer" sx={{ fontFamily: 'monospace' }}>{origin() + path}</Link>
                  </TableCell>
                  <TableCell sx={{ color: 'text.secondary' }}>{what}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </CardContent>
      </Card>
      <Card>
        <CardContent>
          <Typography variant="h6" gutterBottom>GraphQL explorer</Typography>
          <Typography variant="body2" color="text.secondary" gutterBottom>
            Queries run as you, with your role's rights. Mutations change real data and are audited.
          </Typography>
          <Box sx={{ height: '70vh', minHeight: 480, border: 1, borderColor: 'divider' }} data-testid="graphql-explorer">
            <Suspense fallback={<Box sx={{ p: 2, display: 'flex', gap: 1, alignItems: 'center' }}><CircularProgress size={20} /> Loading the explorer…</Box>}>
              <Explorer />
            </Suspense>
          </Box>
        </CardContent>
      </Card>
    </Box>
  );
}
