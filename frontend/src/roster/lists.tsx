// The roster browser's lists: schools and other orgs, academic sessions, courses, classes, users,
// enrollments, line items and results. Each searches and filters on the server and pages with cursors,
// so a 100,000-student district lists as fast as a small one.
import type { ReactElement, ReactNode } from 'react';
import {
  AutocompleteInput, BooleanField, Datagrid, DateField, FilterButton, List, NullableBooleanInput, NumberField, Pagination,
  ReferenceInput, SearchInput, SelectInput, TextField, TopToolbar, useListContext,
} from 'react-admin';
import { Box, Button, Typography } from '@mui/material';
import { ExcludeToggle } from './ExcludeToggle';
import { ChipsField, NestedField, PersonField, RolesField, WrittenByField, useVendors } from './fields';

const choices = (...ids: string[]) => ids.map((id) => ({ id, name: id }));
export const ORG_TYPES = choices('district', 'school', 'department', 'local', 'state', 'national');
export const SESSION_TYPES = choices('schoolYear', 'semester', 'term', 'gradingPeriod');
export const USER_ROLES = choices('student', 'teacher', 'administrator', 'aide', 'guardian', 'parent', 'relative', 'proctor', 'districtAdministrator', 'siteAdministrator', 'systemAdministrator', 'principal');
export const ENROLLMENT_ROLES = choices('student', 'teacher', 'administrator', 'proctor');
const STATUS = [<SelectInput key="status" source="status" label="Status" choices={choices('active', 'tobedeleted')} />];
const EXCLUDE = [<NullableBooleanInput key="x" source="externalLmsExclude" label="External LMS Exclude" />];

function ref(source: string, reference: string, label: string, extra: Record<string, unknown> = {}, optionText = 'name') {
  return (
    <ReferenceInput key={source} source={source} reference={reference} filter={extra} sort={{ field: optionText, order: 'ASC' }}>
      <AutocompleteInput label={label} optionText={optionText} sx={{ minWidth: 240 }} />
    </ReferenceInput>
  );
}

/** "Written by": the vendor whose service account changed the record last. */
function WrittenByInput(props: { source: string; label?: string; alwaysOn?: boolean }) {
  const { list } = useVendors();
  const options = [
    { id: 'vendor:', name: 'Any vendor' },
    ...list.map((c) => ({ id: `vendor:${c.serviceAccount}`, name: String(c.vendorName) })),
  ];
  return <SelectInput {...props} choices={options} sx={{ minWidth: 180 }} />;
}

interface RosterListProps {
  title: string;
  filters: ReactElement[];
  sort: { field: string; order: 'ASC' | 'DESC' };
  children: ReactNode;
  /** What an empty list means (no filter set). */
  emptyText?: string;
}

function Empty({ text }: { text?: string }) {
  const { filterValues, setFilters } = useListContext();
  const filtered = Object.keys(filterValues ?? {}).length > 0;
  return (
    <Box sx={{ p: 2 }} data-testid="list-empty">
      <Typography variant="body2" color="text.secondary" component="span">
        {filtered ? 'Nothing matches these filters.' : text ?? 'No records yet: they arrive with the SIS import.'}
      </Typography>
      {filtered && <Button size="small" onClick={() => setFilters({}, [])} sx={{ ml: 1 }}>Clear filters</Button>}
    </Box>
  );
}

function RosterList({ title, filters, sort, children, emptyText }: RosterListProps) {
  return (
    <List
      title={title}
      filters={filters}
      sort={sort}
      perPage={25}
      pagination={<Pagination rowsPerPageOptions={[10, 25, 50, 100]} />}
      exporter={false}
      empty={false}
      actions={<TopToolbar><FilterButton /></TopToolbar>}
      disableSyncWithLocation={false}
    >
      <Datagrid
        rowClick="show"
        bulkActionButtons={false}
        size="small"
        empty={<Empty text={emptyText} />}
        sx={{
          '& th.column-externalLmsExclude': { width: 92, lineHeight: 1.25, fontSize: '0.8rem' },
          '& td.column-startDate, & td.column-endDate, & td.column-beginDate, & td.column-dueDate': { whiteSpace: 'nowrap' },
        }}
      >
        {children}
      </Datagrid>
    </List>
  );
}

const search = (placeholder: string) => <SearchInput key="q" source="q" alwaysOn placeholder={placeholder} />;

export const OrgList = () => (
  <RosterList
    title="Schools & orgs"
    sort={{ field: 'name', order: 'ASC' }}
    filters={[search('Name, identifier or sourcedId'), <SelectInput key="type" source="type" label="Type" choices={ORG_TYPES} alwaysOn />, ...EXCLUDE, ...STATUS]}
  >
    <ExcludeToggle source="externalLmsExclude" label="External LMS Exclude" sortable={false} />
    <TextField source="name" label="Name" />
    <TextField source="type" label="Type" />
    <TextField source="identifier" label="Identifier" sortable={false} />
    <TextField source="sourcedID" label="sourcedId" />
    <NestedField source="parent" label="Parent" sortable={false} />
    <TextField source="status" label="Status" />
  </RosterList>
);

export const AcademicSessionList = () => (
  <RosterList
    title="Academic sessions"
    sort={{ field: 'startDate', order: 'DESC' }}
    filters={[search('Title, school year or sourcedId'), <SelectInput key="type" source="type" label="Type" choices={SESSION_TYPES} alwaysOn />, <SelectInput key="sy" source="schoolYear" label="School year" choices={choices(...years())} />, ...EXCLUDE, ...STATUS]}
  >
    <ExcludeToggle source="externalLmsExclude" label="External LMS Exclude" sortable={false} />
    <TextField source="title" label="Title" />
    <TextField source="type" label="Type" />
    <TextField source="startDate" label="Start" />
    <TextField source="endDate" label="End" sortable={false} />
    <TextField source="schoolYear" label="School year" sortable={false} />
    <NestedField source="parent" field="title" label="Parent" sortable={false} />
    <TextField source="sourcedID" label="sourcedId" />
  </RosterList>
);

function years(): string[] {
  const y = new Date().getFullYear();
  return [y + 1, y, y - 1, y - 2, y - 3].map(String);
}

export const CourseList = () => (
  <RosterList
    title="Courses"
    sort={{ field: 'title', order: 'ASC' }}
    filters={[search('Title, course code or sourcedId'), ref('orgID', 'orgs', 'School or org'), ...EXCLUDE, ...STATUS]}
  >
    <ExcludeToggle source="externalLmsExclude" label="External LMS Exclude" sortable={false} />
    <TextField source="title" label="Title" />
    <TextField source="courseCode" label="Course code" />
    <ChipsField source="grades" label="Grades" sortable={false} />
    <NestedField source="org" label="Org" sortable={false} />
    <NestedField source="schoolYear" field="title" label="School year" sortable={false} />
    <TextField source="sourcedID" label="sourcedId" />
  </RosterList>
);

export const ClassList = () => (
  <RosterList
    title="Classes"
    sort={{ field: 'title', order: 'ASC' }}
    filters={[
      search('Title, class code or sourcedId'), ref('schoolID', 'orgs', 'School', { type: 'school' }), ref('courseID', 'courses', 'Course', {}, 'title'),
      <SelectInput key="ct" source="classType" label="Class type" choices={choices('scheduled', 'homeroom')} />, ...EXCLUDE, ...STATUS,
    ]}
  >
    <ExcludeToggle source="externalLmsExclude" label="External LMS Exclude" sortable={false} />
    <TextField source="title" label="Title" />
    <TextField source="classCode" label="Class code" />
    <TextField source="classType" label="Type" sortable={false} />
    <NestedField source="course" field="title" label="Course" sortable={false} />
    <NestedField source="school" label="School" sortable={false} />
    <ChipsField source="periods" label="Periods" sortable={false} />
    <TextField source="sourcedID" label="sourcedId" />
  </RosterList>
);

export const UserList = () => (
  <RosterList
    title="Users"
    sort={{ field: 'familyName', order: 'ASC' }}
    filters={[
      search('Name, username, identifier, email'), <SelectInput key="role" source="role" label="Role" choices={USER_ROLES} alwaysOn />,
      ref('schoolID', 'orgs', 'School', { type: 'school' }), <NullableBooleanInput key="en" source="enabledUser" label="Enabled user" />, ...EXCLUDE, ...STATUS,
    ]}
  >
    <ExcludeToggle source="externalLmsExclude" label="External LMS Exclude" sortable={false} />
    <TextField source="familyName" label="Family name" />
    <TextField source="givenName" label="Given name" />
    <TextField source="identifier" label="Identifier" />
    <TextField source="username" label="Username" />
    <RolesField label="Roles" sortable={false} />
    <ChipsField source="grades" label="Grades" sortable={false} />
    <BooleanField source="enabledUser" label="Enabled" sortable={false} />
  </RosterList>
);

export const EnrollmentList = () => (
  <RosterList
    title="Enrollments"
    sort={{ field: 'sourcedID', order: 'ASC' }}
    filters={[
      search('Student or teacher name, class, sourcedId'), <SelectInput key="role" source="role" label="Role" choices={ENROLLMENT_ROLES} alwaysOn />,
      ref('schoolID', 'orgs', 'School', { type: 'school' }), ref('classID', 'classes', 'Class', {}, 'title'),
      <NullableBooleanInput key="p" source="primary" label="Primary" />, ...EXCLUDE, ...STATUS,
    ]}
  >
    <ExcludeToggle source="externalLmsExclude" label="External LMS Exclude" sortable={false} />
    <PersonField source="user" label="User" sortable={false} />
    <TextField source="role" label="Role" />
    <NestedField source="class" field="title" label="Class" sortable={false} />
    <NestedField source="school" label="School" sortable={false} />
    <BooleanField source="primary" label="Primary" sortable={false} />
    <TextField source="beginDate" label="Begins" sortable={false} emptyText="—" />
    <TextField source="sourcedID" label="sourcedId" />
  </RosterList>
);

export const LineItemList = () => (
  <RosterList
    title="Line items"
    sort={{ field: 'dueDate', order: 'DESC' }}
    emptyText="No line items yet: vendors with Gradebook Sync write them through the OneRoster API, and they show here with the vendor that wrote them."

    filters={[search('Title or sourcedId'), <WrittenByInput key="mb" source="modifiedBy" label="Written by" alwaysOn />, ref('classID', 'classes', 'Class', {}, 'title'), ...STATUS]}
  >
    <TextField source="title" label="Title" />
    <NestedField source="class" field="title" label="Class" sortable={false} />
    <NestedField source="category" field="title" label="Category" sortable={false} />
    <DateField source="assignDate" label="Assigned" sortable={false} />
    <DateField source="dueDate" label="Due" />
    <WrittenByField label="Written by" sortable={false} />
    <DateField source="dateLastModified" label="Last modified" showTime />
  </RosterList>
);

export const ResultList = () => (
  <RosterList
    title="Results"
    sort={{ field: 'dateLastModified', order: 'DESC' }}
    emptyText="No results yet: vendors with Gradebook Sync write them through the OneRoster API, and they show here with the vendor that wrote them."

    filters={[search('Student, line item or sourcedId'), <WrittenByInput key="mb" source="modifiedBy" label="Written by" alwaysOn />, ref('lineItemID', 'lineItems', 'Line item', {}, 'title'), ref('classID', 'classes', 'Class', {}, 'title'), ...STATUS]}
  >
    <PersonField source="student" label="Student" sortable={false} />
    <NestedField source="lineItem" field="title" label="Line item" sortable={false} />
    <NumberField source="score" label="Score" sortable={false} />
    <TextField source="scoreStatus" label="Score status" sortable={false} />
    <TextField source="scoreDate" label="Score date" sortable={false} />
    <WrittenByField label="Written by" sortable={false} />
    <DateField source="dateLastModified" label="Last modified" showTime />
  </RosterList>
);
