// The frame of every page: app bar (district, who is signed in), menu, and the page.
import type { ReactNode } from 'react';
import { AppBar, Layout, Logout, Menu, TitlePortal, UserMenu, useGetIdentity, useSidebarState } from 'react-admin';
import { Box, Chip, ListSubheader, MenuItem, Typography } from '@mui/material';
import SettingsIcon from '@mui/icons-material/Settings';
import ApiIcon from '@mui/icons-material/Api';
import CachedIcon from '@mui/icons-material/Cached';
import { roleLabels } from '../auth/authProvider';
import { useSettings } from '../hooks';
import { rosterResources } from '../roster/resources';

function RoleItem() {
  const { identity } = useGetIdentity();
  const role = (identity as { role?: string } | undefined)?.role;
  return (
    <MenuItem disabled sx={{ '&.Mui-disabled': { opacity: 1 } }}>
      <Typography variant="body2" color="text.secondary">{role ? roleLabels[role] ?? role : '…'}</Typography>
    </MenuItem>
  );
}

function RollcallAppBar() {
  const { data: settings } = useSettings();
  return (
    <AppBar
      userMenu={
        <UserMenu>
          <RoleItem />
          <Logout />
        </UserMenu>
      }
    >
      <TitlePortal />
      {settings?.districtName && (
        <Chip label={settings.districtName} size="small" sx={{ color: 'inherit', borderColor: 'rgba(255,255,255,.6)', mr: 1 }} variant="outlined" />
      )}
    </AppBar>
  );
}

function Section({ children }: { children: ReactNode }) {
  const [open] = useSidebarState();
  if (!open) return <Box sx={{ my: 0.5, mx: 1.5, borderTop: 1, borderColor: 'divider' }} />;
  return (
    <ListSubheader disableSticky sx={{ lineHeight: '32px', bgcolor: 'transparent', fontSize: '0.75rem', textTransform: 'uppercase', letterSpacing: '.05em' }}>
      {children}
    </ListSubheader>
  );
}

function RollcallMenu() {
  return (
    <Menu>
      <Menu.DashboardItem />
      <Menu.ResourceItem name="connections" />
      <Section>Roster</Section>
      {rosterResources.map((r) => (
        <Menu.ResourceItem key={r.name} name={r.name} />
      ))}
      <Section>District</Section>
      <Menu.Item to="/cache" primaryText="OneRoster cache" leftIcon={<CachedIcon />} />
      <Menu.ResourceItem name="imports" />
      <Menu.ResourceItem name="auditEvents" />
      <Menu.Item to="/settings" primaryText="Settings" leftIcon={<SettingsIcon />} />
      <Menu.Item to="/api" primaryText="API & GraphQL" leftIcon={<ApiIcon />} />
    </Menu>
  );
}

export function AppLayout({ children }: { children: ReactNode }) {
  return (
    <Layout appBar={RollcallAppBar} menu={RollcallMenu}>
      {children}
    </Layout>
  );
}
