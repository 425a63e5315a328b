// One roster record: its fields, its External LMS Exclude checkbox, and links to what belongs to it.
import type { ReactNode } from 'react';
import { BooleanField, DateField, Labeled, NumberField, Show, TextField, TopToolbar, useRecordContext } from 'react-admin';
import { Box, Button, Card, CardContent, Typography } from '@mui/material';
import { Link } from 'react-router-dom';
import { recordLabel } from '../hooks';
import { ExcludeToggle } from './ExcludeToggle';
import { ChipsField, ModifiedByField, NestedField, PersonField, RolesField, WrittenByField } from './fields';
import { OneRosterViewPanel } from './OneRosterView';

const filterLink = (resource: string, filter: Record<string, unknown>) => `/${resource}?filter=${encodeURIComponent(JSON.stringify(filter))}`;

function Related({ links }: { links: (r: Record<string, unknown>) => [string, string][] }) {
  const record = useRecordContext();
  if (!record) return null;
  return (
    <Box sx={{ display: 'flex', gap: 1, flexWrap: 'wrap' }}>
      {links(record).map(([label, to]) => (
        <Button key={label} component={Link} to={to} size="small" variant="outlined">{label}</Button>
      ))}
    </Box>
  );
}

function Heading({ excludable }: { excludable: boolean }) {
  const record = useRecordContext();
  return (
    <Box sx={{ display: 'flex', alignItems: 'center', gap: 2, mb: 1, flexWrap: 'wrap' }}>
      <Typography variant="h6" sx={{ flex: 1 }}>{recordLabel(record)}</Typography>
      {excludable && <ExcludeToggle withLabel />}
    </Box>
  );
}

function Meta() {
  return (
    <>
      <Labeled label="sourcedId"><TextField source="sourcedID" sx={{ fontFamily: 'monospace' }} /></Labeled>
      <Labeled label="Status"><TextField source="status" /></Labeled>
      <Labeled label="Last modified"><DateField source="dateLastModified" showTime /></Labeled>
      <Labeled label="Modified by"><ModifiedByField /></Labeled>
    </>
  );
}

function RosterShow({ title, excludable = true, children, links }: { title: string; excludable?: boolean; children: ReactNode; links?: (r: Record<string, unknown>) => [string, string][] }) {
  return (
    <Show title={title} actions={<TopToolbar />} emptyWhileLoading>
      <Card variant="outlined" sx={{ m: 2 }}>
        <CardContent>
          <Heading excludable={excludable} />
          <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', sm: 'repeat(2, 1fr)', md: 'repeat(3, 1fr)' }, gap: 1.5, mb: 2 }}>
            {children}
            <Meta />
          </Box>
          {links && <Related links={links} />}
        </CardContent>
      </Card>
      <OneRosterViewPanel />
    </Show>
  );
}

export const OrgShow = () => (
  <RosterShow
    title="School or org"
    links={(r) => [
      ['Classes', filterLink('classes', { schoolID: r.id })],
      ['Users', filterLink('users', { schoolID: r.id })],
      ['Enrollments', filterLink('enrollments', { schoolID: r.id })],
      ['Courses', filterLink('courses', { orgID: r.id })],
      ['Child orgs', filterLink('orgs', { parentID: r.id })],
    ]}
  >
    <Labeled label="Name"><TextField source="name" /></Labeled>
    <Labeled label="Type"><TextField source="type" /></Labeled>
    <Labeled label="Identifier"><TextField source="identifier" emptyText="—" /></Labeled>
    <Labeled label="Parent"><NestedField source="parent" /></Labeled>
  </RosterShow>
);

export const AcademicSessionShow = () => (
  <RosterShow title="Academic session" links={(r) => [['Classes in this session', filterLink('classes', { termID: r.id })], ['Child sessions', filterLink('academicSessions', { parentID: r.id })]]}>
    <Labeled label="Title"><TextField source="title" /></Labeled>
    <Labeled label="Type"><TextField source="type" /></Labeled>
    <Labeled label="School year"><TextField source="schoolYear" /></Labeled>
    <Labeled label="Start"><TextField source="startDate" /></Labeled>
    <Labeled label="End"><TextField source="endDate" /></Labeled>
    <Labeled label="Parent"><NestedField source="parent" field="title" /></Labeled>
    <Labeled label="Org"><NestedField source="org" /></Labeled>
  </RosterShow>
);

export const CourseShow = () => (
  <RosterShow title="Course" links={(r) => [['Classes of this course', filterLink('classes', { courseID: r.id })]]}>
    <Labeled label="Title"><TextField source="title" /></Labeled>
    <Labeled label="Course code"><TextField source="courseCode" /></Labeled>
    <Labeled label="Org"><NestedField source="org" /></Labeled>
    <Labeled label="School year"><NestedField source="schoolYear" field="title" /></Labeled>
    <Labeled label="Grades"><ChipsField source="grades" /></Labeled>
    <Labeled label="Subjects"><ChipsField source="subjects" /></Labeled>
  </RosterShow>
);

export const ClassShow = () => (
  <RosterShow
    title="Class"
    links={(r) => [
      ['Enrollments', filterLink('enrollments', { classID: r.id })],
      ['Line items', filterLink('lineItems', { classID: r.id })],
      ['Results', filterLink('results', { classID: r.id })],
    ]}
  >
    <Labeled label="Title"><TextField source="title" /></Labeled>
    <Labeled label="Class code"><TextField source="classCode" /></Labeled>
    <Labeled label="Class type"><TextField source="classType" /></Labeled>
    <Labeled label="Course"><NestedField source="course" field="title" /></Labeled>
    <Labeled label="School"><NestedField source="school" /></Labeled>
    <Labeled label="Location"><TextField source="location" emptyText="—" /></Labeled>
    <Labeled label="Periods"><ChipsField source="periods" /></Labeled>
    <Labeled label="Grades"><ChipsField source="grades" /></Labeled>
    <Labeled label="Terms"><ChipsField source="terms" /></Labeled>
  </RosterShow>
);

export const UserShow = () => (
  <RosterShow title="User" links={(r) => [['Enrollments', filterLink('enrollments', { userID: r.id })], ['Results', filterLink('results', { studentID: r.id })]]}>
    <Labeled label="Given name"><TextField source="givenName" /></Labeled>
    <Labeled label="Family name"><TextField source="familyName" /></Labeled>
    <Labeled label="Preferred first name"><TextField source="preferredFirstName" emptyText="—" /></Labeled>
    <Labeled label="Username"><TextField source="username" /></Labeled>
    <Labeled label="Identifier"><TextField source="identifier" /></Labeled>
    <Labeled label="Email"><TextField source="email" emptyText="—" /></Labeled>
    <Labeled label="Enabled user"><BooleanField source="enabledUser" /></Labeled>
    <Labeled label="Primary org"><NestedField source="primaryOrg" /></Labeled>
    <Labeled label="Grades"><ChipsField source="grades" /></Labeled>
    <Box sx={{ gridColumn: '1 / -1' }}><Labeled label="Roles"><RolesField /></Labeled></Box>
  </RosterShow>
);

export const EnrollmentShow = () => (
  <RosterShow title="Enrollment">
    <Labeled label="User"><PersonField source="user" /></Labeled>
    <Labeled label="Role"><TextField source="role" /></Labeled>
    <Labeled label="Primary"><BooleanField source="primary" /></Labeled>
    <Labeled label="Class"><NestedField source="class" field="title" /></Labeled>
    <Labeled label="School"><NestedField source="school" /></Labeled>
    <Labeled label="Begins"><TextField source="beginDate" emptyText="—" /></Labeled>
    <Labeled label="Ends"><TextField source="endDate" emptyText="—" /></Labeled>
  </RosterShow>
);

export const LineItemShow = () => (
  <RosterShow title="Line item" excludable={false} links={(r) => [['Results', filterLink('results', { lineItemID: r.id })]]}>
    <Labeled label="Title"><TextField source="title" /></Labeled>
    <Labeled label="Description"><TextField source="description" emptyText="—" /></Labeled>
    <Labeled label="Class"><NestedField source="class" field="title" /></Labeled>
    <Labeled label="Category"><NestedField source="category" field="title" /></Labeled>
    <Labeled label="Grading period"><NestedField source="academicSession" field="title" /></Labeled>
    <Labeled label="Assigned"><DateField source="assignDate" /></Labeled>
    <Labeled label="Due"><DateField source="dueDate" /></Labeled>
    <Labeled label="Min score"><NumberField source="resultValueMin" emptyText="—" /></Labeled>
    <Labeled label="Max score"><NumberField source="resultValueMax" emptyText="—" /></Labeled>
    <Labeled label="Written by"><WrittenByField /></Labeled>
  </RosterShow>
);

export const ResultShow = () => (
  <RosterShow title="Result" excludable={false}>
    <Labeled label="Student"><PersonField source="student" /></Labeled>
    <Labeled label="Line item"><NestedField source="lineItem" field="title" /></Labeled>
    <Labeled label="Class"><NestedField source="class" field="title" /></Labeled>
    <Labeled label="Score"><NumberField source="score" emptyText="—" /></Labeled>
    <Labeled label="Text score"><TextField source="textScore" emptyText="—" /></Labeled>
    <Labeled label="Score status"><TextField source="scoreStatus" /></Labeled>
    <Labeled label="Score date"><TextField source="scoreDate" /></Labeled>
    <Labeled label="Comment"><TextField source="comment" emptyText="—" /></Labeled>
    <Labeled label="Written by"><WrittenByField /></Labeled>
  </RosterShow>
);
