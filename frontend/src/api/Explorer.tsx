// GraphiQL, bundled (loaded on demand so the rest of the app stays small), with the admin's bearer token.
import { GraphiQL } from 'graphiql';
import type { Fetcher } from '@graphiql/toolkit';
import 'graphiql/style.css';
import { getSession } from '../auth/oidc';
import { GRAPHQL_PATH } from '../data/graphql';

const DEFAULT_QUERY = `# Every list is a Relay connection: first/after, last/before, where, orderBy, totalCount.
query Overview {
  me { username role }
  settings { districtName sitePrefix tokenLifetimeSeconds }
  connections(first: 10, orderBy: { field: VENDOR_NAME }) {
    totalCount
    edges { node { id vendorName consumerKey expiresOn validDays indicators { enabled active notExpired } } }
  }
  orgs(first: 5, where: { type: "school" }) { totalCount edges { node { id sourcedID name externalLmsExclude } } }
}
`;

export const fetcher: Fetcher = async (params) => {
  const token = getSession()?.accessToken;
  const r = await fetch(GRAPHQL_PATH, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(params),
  });
  const text = await r.text();
  try {
    return JSON.parse(text);
  } catch {
    return { errors: [{ message: `HTTP ${r.status}: ${text.slice(0, 300)}` }] };
  }
};

export default function Explorer() {
  return <GraphiQL fetcher={fetcher} defaultQuery={DEFAULT_QUERY} shouldPersistHeaders={false} />;
}
