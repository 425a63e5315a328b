// The dashboard's one query: totals (first: 0 asks for the count only) and credentials expiring soon.
export const DASHBOARD_QUERY = `query Dashboard($now: Time!, $soon: Time!) {
  connections(first: 0) { totalCount }
  usable: connections(first: 0, where: { status: active, enabled: true, expiresAtGT: $now }) { totalCount }
  schools: orgs(first: 0, where: { type: "school" }) { totalCount }
  students: users(first: 0, where: { hasRolesWith: [{ role: "student" }] }) { totalCount }
  classes(first: 0) { totalCount }
  enrollments(first: 0) { totalCount }
  expiring: connections(first: 5, where: { status: active, expiresAtGT: $now, expiresAtLTE: $soon }, orderBy: { field: EXPIRES_AT, direction: ASC }) {
    edges { node { id vendorName consumerKey expiresOn validDays indicators { enabled active notExpired } } }
  }
}`;
