// The roster browser's resources, in menu order.
import type { ComponentType } from 'react';
import SchoolIcon from '@mui/icons-material/School';
import EventIcon from '@mui/icons-material/Event';
import MenuBookIcon from '@mui/icons-material/MenuBook';
import ClassIcon from '@mui/icons-material/Class';
import PeopleIcon from '@mui/icons-material/People';
import HowToRegIcon from '@mui/icons-material/HowToReg';
import AssignmentIcon from '@mui/icons-material/Assignment';
import GradingIcon from '@mui/icons-material/Grading';
import * as L from './lists';
import * as S from './shows';

export interface RosterResource {
  name: string;
  label: string;
  icon: ComponentType;
  list: ComponentType;
  show: ComponentType;
  represent: string | ((r: Record<string, unknown>) => string);
}

const person = (r: Record<string, unknown>) => `${r.givenName ?? ''} ${r.familyName ?? ''}`.trim();

export const rosterResources: RosterResource[] = [
  { name: 'orgs', label: 'Schools & orgs', icon: SchoolIcon, list: L.OrgList, show: S.OrgShow, represent: 'name' },
  { name: 'academicSessions', label: 'Academic sessions', icon: EventIcon, list: L.AcademicSessionList, show: S.AcademicSessionShow, represent: 'title' },
  { name: 'courses', label: 'Courses', icon: MenuBookIcon, list: L.CourseList, show: S.CourseShow, represent: 'title' },
  { name: 'classes', label: 'Classes', icon: ClassIcon, list: L.ClassList, show: S.ClassShow, represent: 'title' },
  { name: 'users', label: 'Users', icon: PeopleIcon, list: L.UserList, show: S.UserShow, represent: person },
  { name: 'enrollments', label: 'Enrollments', icon: HowToRegIcon, list: L.EnrollmentList, show: S.EnrollmentShow, represent: 'sourcedID' },
  { name: 'lineItems', label: 'Line items', icon: AssignmentIcon, list: L.LineItemList, show: S.LineItemShow, represent: 'title' },
  { name: 'results', label: 'Results', icon: GradingIcon, list: L.ResultList, show: S.ResultShow, represent: 'sourcedID' },
];
