import { Admin, CustomRoutes, Resource } from 'react-admin';
import { Route } from 'react-router-dom';
import { authProvider } from './auth/authProvider';
import { dataProvider } from './data/dataProvider';
import { AppLayout } from './layout/AppLayout';
import { Dashboard } from './layout/Dashboard';
import { theme } from './theme';
import { ConnectionList } from './connections/ConnectionList';
import { ConnectionCreate, ConnectionEdit } from './connections/ConnectionEditors';
import { ConnectionShow } from './connections/ConnectionShow';
import { rosterResources } from './roster/resources';
import { AuditList } from './audit/AuditList';
import { SettingsPage } from './settings/SettingsPage';
import { ApiPage } from './api/ApiPage';
import { CachePage } from './cache/CachePage';
import { ImportList, ImportShow } from './imports/Imports';
import LinkIcon from '@mui/icons-material/Link';
import UploadFileIcon from '@mui/icons-material/UploadFile';
import HistoryIcon from '@mui/icons-material/History';

export function App() {
  return (
    <Admin
      dataProvider={dataProvider}
      authProvider={authProvider}
      loginPage={false}
      layout={AppLayout}
      dashboard={Dashboard}
      theme={theme}
      title="Rollcall"
      requireAuth
      disableTelemetry
    >
      <Resource
        name="connections"
        options={{ label: 'Connections' }}
        icon={LinkIcon}
        list={ConnectionList}
        create={ConnectionCreate}
        edit={ConnectionEdit}
        show={ConnectionShow}
        recordRepresentation="vendorName"
      />
      {rosterResources.map((r) => (
        <Resource key={r.name} name={r.name} options={{ label: r.label }} icon={r.icon} list={r.list} show={r.show} recordRepresentation={r.represent} />
      ))}
      <Resource name="schoolChoices" recordRepresentation="name" />
      <Resource name="imports" options={{ label: 'Imports' }} icon={UploadFileIcon} list={ImportList} show={ImportShow} recordRepresentation="source" />
      <Resource name="cacheGenerations" />
      <Resource name="auditEvents" options={{ label: 'Audit log' }} icon={HistoryIcon} list={AuditList} />
      <CustomRoutes>
        <Route path="/cache" element={<CachePage />} />
        <Route path="/settings" element={<SettingsPage />} />
        <Route path="/api" element={<ApiPage />} />
      </CustomRoutes>
    </Admin>
  );
}
