// End-to-end: the real binary, the real sign-in page, Debian's headless Chromium. One district, one story:
// sign in, create a connection, reveal its secret, trade it for a token, revoke it and see the token
// refused, renew it, see a record as the connection gets it, exclude its school and see the school's students
// vanish from the REST API after "Refresh now", import a bundle with an error and a good one, and look at every
// main screen (screenshots in artifacts/screenshots).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ADMIN, launch, screenshot, startServer } from './harness.mjs';
import { BAD_CLASS, badBundle, goodBundle } from './bundle.mjs';

let server;
let ui;
let page;
const creds = {};
const shots = [];

async function shot(name) {
  await page.mouse.move(0, 767); // no tooltip over what the screenshot shows
  await page.waitForTimeout(400); // let notifications finish fading in
  shots.push(await screenshot(page, name));
}

/** Waits until react-admin has finished loading what the page shows. */
async function settle() {
  await page.waitForLoadState('networkidle').catch(() => {});
  await page.locator('.MuiLinearProgress-root, [role="progressbar"]').first().waitFor({ state: 'hidden', timeout: 15_000 }).catch(() => {});
}

async function go(path) {
  await page.goto(server.url + '/admin' + path);
  await settle();
}

async function token(id, secret) {
  const r = await fetch(server.url + '/oauth/token', {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      Authorization: 'Basic ' + Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64'),
    },
    body: 'grant_type=client_credentials',
  });
  return { status: r.status, body: await r.json().catch(() => ({})) };
}

/** A protected endpoint's answer to a vendor token: the OneRoster students list (and GraphQL). */
async function statusWith(bearer) {
  const students = await fetch(server.url + '/ims/oneroster/rostering/v1p2/students?limit=1', { headers: { Authorization: `Bearer ${bearer}` } });
  const graphql = await fetch(server.url + '/graphql', { headers: { Authorization: `Bearer ${bearer}` } });
  return { students: students.status, graphql: graphql.status };
}

const ROSTERING = '/ims/oneroster/rostering/v1p2';

/** A OneRoster REST answer to the vendor's token: { status, body }. */
async function rest(path, bearer = creds.accessToken) {
  const r = await fetch(server.url + ROSTERING + path, { headers: { Authorization: `Bearer ${bearer}`, Accept: 'application/json' } });
  return { status: r.status, body: await r.json().catch(() => ({})) };
}

const GRADEBOOK = '/ims/oneroster/gradebook/v1p2';

/** A vendor's gradebook write (PUT): { status, text }. */
async function put(path, body) {
  const r = await fetch(server.url + GRADEBOOK + path, {
    method: 'PUT',
    headers: { Authorization: `Bearer ${creds.accessToken}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: r.status, text: await r.text() };
}

async function eventually(fn, check, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    last = await fn();
    if (check(last)) return last;
    await new Promise((r) => setTimeout(r, 500));
  }
  return last;
}

describe('the admin app', { timeout: 900_000 }, () => {
  before(async () => {
    server = await startServer({ students: 300 });
    ui = await launch();
    page = ui.page;
  });

  after(async () => {
    await ui?.browser.close();
    await server?.stop();
    if (shots.length) console.log(`screenshots:\n  ${shots.join('\n  ')}`);
  });

  test('signs in through the server sign-in page', async () => {
    await page.goto(server.url + '/admin/');
    await page.locator('#username').waitFor({ timeout: 20_000 });
    assert.match(new URL(page.url()).pathname, /^\/login$/, 'the server sign-in page');
    await shot('01-sign-in');
    await page.fill('#username', ADMIN.username);
    await page.fill('#password', ADMIN.password);
    await page.click('button[type=submit]');
    await page.getByText('Usable connections').waitFor({ timeout: 20_000 });
    await settle();
    await page.getByText(ADMIN.username, { exact: true }).first().waitFor();
    await shot('02-dashboard');
  });

  test('creates a connection and shows the Information to Share', async () => {
    await go('/connections');
    await page.getByRole('link', { name: 'New connection' }).click();
    await page.getByLabel('Vendor name').waitFor();
    assert.equal((await page.getByTestId('consumer-key-prefix').innerText()).trim(), 'ROLLCALL_');
    await page.getByLabel('Vendor name').fill('E2E Learning');
    await page.locator('input[name="districtPart"]').fill('e2elearning');
    await page.getByLabel('Purpose').fill('End-to-end test of the admin app');
    assert.equal(await page.locator('input[name="type-gradebook"]').isDisabled(), true, 'gradebook is partner-only');
    await page.getByLabel('Digital Learning Partner').check();
    await page.locator('input[name="type-gradebook"]').check();
    const schools = page.getByRole('combobox', { name: 'Schools' });
    await schools.click();
    await schools.fill('Lincoln');
    await page.getByRole('option', { name: 'Lincoln Middle School' }).click();
    const max = await page.locator('input[name="expiresOn"]').getAttribute('max');
    assert.match(max ?? '', /^\d{4}-\d{2}-\d{2}$/, 'the date picker has a 13-month maximum');
    await shot('03-new-connection');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByTestId('information-to-share').waitFor({ timeout: 20_000 });
    await page.getByText('Connection created').first().waitFor();
    assert.match(page.url(), /\/admin\/connections\/\d+\/show$/);
    creds.showUrl = page.url();
    creds.clientId = (await page.getByTestId('client-id').innerText()).trim();
    assert.equal(creds.clientId, 'ROLLCALL_e2elearning');
    assert.equal((await page.getByTestId('client-secret').innerText()).trim(), '****', 'the secret is hidden by default');
    await page.getByText('Lincoln Middle School').waitFor(); // the school picked, by name
    await shot('04-information-to-share');
  });

  test('reveals the secret (audited) and the vendor gets a token with it', async () => {
    await page.reload(); // forget the secret the app received at creation: reveal asks the server
    await settle();
    await page.getByTestId('information-to-share').waitFor();
    assert.equal((await page.getByTestId('client-secret').innerText()).trim(), '****');
    await page.getByLabel('Show secret').click(); // checked once the server has answered (the reveal is audited)
    await page.waitForFunction(() => {
      const t = document.querySelector('[data-testid="client-secret"]')?.textContent ?? '';
      return t.length > 8 && t !== '****';
    });
    creds.secret = (await page.getByTestId('client-secret').innerText()).trim();
    await page.getByText('This reveal is recorded in the audit log').waitFor();
    await shot('05-secret-shown');
    const t = await token(creds.clientId, creds.secret);
    assert.equal(t.status, 200, `token endpoint: ${JSON.stringify(t.body)}`);
    assert.ok(t.body.access_token);
    creds.accessToken = t.body.access_token;
    const s = await statusWith(creds.accessToken);
    assert.ok(![401, 403].includes(s.students), `a live vendor token is accepted by /students (got ${s.students})`);
    assert.equal(s.graphql, 403, 'GraphQL refuses vendor tokens (403) while the token is live');
  });

  test('edits the connection', async () => {
    await page.goto(creds.showUrl);
    await settle();
    await page.getByRole('link', { name: 'Edit' }).click();
    await page.getByLabel('Purpose').fill('Rostering for the e2e district');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Connection saved.').waitFor({ timeout: 20_000 });
    await page.getByText('Rostering for the e2e district').waitFor();
    assert.match(page.url(), /\/show$/);
  });

  test('lists the connection with three green indicators', async () => {
    await go('/connections');
    const row = page.locator('tr', { hasText: 'E2E Learning' });
    await row.waitFor();
    for (const k of ['enabled', 'active', 'notExpired']) {
      assert.equal(await row.locator(`[data-indicator="${k}"]`).getAttribute('data-state'), 'green', k);
    }
    await page.getByPlaceholder('Vendor, consumer key or purpose').fill('e2elearn');
    await page.waitForTimeout(800);
    await settle();
    assert.equal(await page.locator('tbody tr').count(), 1, 'search finds the connection');
    await page.getByPlaceholder('Vendor, consumer key or purpose').fill('');
    await settle();
    await shot('06-connections');
  });

  test('revokes the connection: read-only, secret gone, token refused', async () => {
    await page.goto(creds.showUrl);
    await settle();
    await page.getByRole('button', { name: 'Revoke' }).click();
    await page.getByRole('dialog').getByText('Revoke “E2E Learning”?').waitFor();
    await shot('07-revoke-confirm');
    await page.getByRole('dialog').getByRole('button', { name: 'Revoke' }).click();
    await page.getByText('Deleted when the connection was revoked').waitFor({ timeout: 20_000 });
    assert.equal(await page.getByRole('link', { name: 'Edit' }).count(), 0, 'no Edit on a revoked connection');
    assert.equal(await page.getByLabel('Show secret').count(), 0, 'no secret to show');
    await shot('08-revoked');
    const t = await token(creds.clientId, creds.secret);
    assert.equal(t.status, 401, `the revoked secret gets no token: ${JSON.stringify(t.body)}`);
    const s = await eventually(() => statusWith(creds.accessToken), (x) => x.students === 401 || x.students === 403);
    assert.ok([401, 403].includes(s.students), `/students refuses the revoked connection's token (got ${s.students})`);
    assert.equal(s.graphql, 401, 'GraphQL now refuses the token as dead (401)');
    await go('/connections');
    const row = page.locator('tr', { hasText: 'E2E Learning' });
    assert.equal(await row.locator('[data-indicator="enabled"]').getAttribute('data-state'), 'red');
    assert.equal(await row.locator('[data-indicator="active"]').getAttribute('data-state'), 'red');
    assert.equal(await row.locator('[data-indicator="notExpired"]').getAttribute('data-state'), 'green');
    await shot('09-connections-after-revoke');
  });

  test('renews the connection with a new secret that works', async () => {
    await page.goto(creds.showUrl);
    await settle();
    await page.getByRole('button', { name: 'Renew' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Renew' }).click();
    await page.getByText('New credentials').waitFor({ timeout: 20_000 });
    await page.getByLabel('Show secret').click(); // checked once the server has answered (the reveal is audited)
    await page.waitForFunction(() => (document.querySelector('[data-testid="client-secret"]')?.textContent ?? '****') !== '****');
    const secret = (await page.getByTestId('client-secret').innerText()).trim();
    assert.notEqual(secret, creds.secret, 'renewing issues a new secret');
    const t = await token(creds.clientId, secret);
    assert.equal(t.status, 200);
    creds.secret = secret;
    creds.accessToken = t.body.access_token;
    await shot('10-renewed');
  });

  test('the renewed connection reads its school (Lincoln Middle School) and its students', async () => {
    const schools = await eventually(() => rest('/schools'), (x) => x.status === 200);
    assert.equal(schools.status, 200, `GET /schools: ${JSON.stringify(schools.body)}`);
    const lincoln = (schools.body.orgs ?? []).find((o) => o.name === 'Lincoln Middle School');
    assert.ok(lincoln, `the connection sees its school: ${JSON.stringify(schools.body).slice(0, 300)}`);
    creds.school = lincoln.sourcedId;
    const students = await rest(`/schools/${creds.school}/students`);
    assert.equal(students.status, 200);
    assert.ok(students.body.users?.length > 0, 'the school has students');
    creds.student = students.body.users[0];
  });

  test("a record's page shows it as the connection gets it from the OneRoster API", async () => {
    await go('/users?filter=' + encodeURIComponent(JSON.stringify({ q: creds.student.sourcedId })));
    await page.locator('tbody tr').first().click();
    await page.getByTestId('oneroster-view').waitFor({ timeout: 15_000 });
    await page.getByRole('combobox', { name: 'Connection' }).click();
    await page.getByRole('option', { name: /^E2E Learning/ }).click();
    const json = page.getByTestId('oneroster-json');
    await json.waitFor({ timeout: 15_000 });
    assert.match(await json.innerText(), new RegExp(`"sourcedId": "${creds.student.sourcedId}"`));
    await page.getByText(`GET ${ROSTERING}/users/${creds.student.sourcedId}`).waitFor();
    await page.getByTestId('oneroster-json').scrollIntoViewIfNeeded();
    await shot('23-oneroster-view');
    creds.studentPage = page.url();
  });

  test('a line item the vendor writes shows in the roster browser with the vendor that wrote it', async () => {
    const classes = await rest(`/schools/${creds.school}/classes`);
    assert.equal(classes.status, 200);
    const cls = classes.body.classes.find((c) => c.status === 'active' && c.terms?.length);
    assert.ok(cls, 'an active class with a term');
    const ref = (root, coll, sid, type) => ({ href: `${server.url}${root}/${coll}/${sid}`, sourcedId: sid, type });
    const stamp = { status: 'active', dateLastModified: new Date().toISOString() };
    let r = await put('/categories/e2e-cat', { category: { sourcedId: 'e2e-cat', ...stamp, title: 'E2E quizzes' } });
    assert.ok([200, 201].includes(r.status), `PUT category: HTTP ${r.status} ${r.text.slice(0, 300)}`);
    r = await put('/lineItems/e2e-quiz-1', {
      lineItem: {
        sourcedId: 'e2e-quiz-1', ...stamp, title: 'E2E quiz 1', description: 'Written by the end-to-end test',
        assignDate: '2026-01-05T08:00:00.000Z', dueDate: '2026-01-12T08:00:00.000Z',
        class: ref(ROSTERING, 'classes', cls.sourcedId, 'class'),
        school: ref(ROSTERING, 'orgs', creds.school, 'org'),
        category: ref(GRADEBOOK, 'categories', 'e2e-cat', 'category'),
        gradingPeriod: ref(ROSTERING, 'academicSessions', cls.terms[0].sourcedId, 'academicSession'),
        resultValueMin: 0, resultValueMax: 10,
      },
    });
    assert.ok([200, 201].includes(r.status), `PUT lineItem: HTTP ${r.status} ${r.text.slice(0, 300)}`);
    await go('/lineItems?filter=' + encodeURIComponent(JSON.stringify({ q: 'E2E quiz 1' })));
    const row = page.locator('tbody tr', { hasText: 'E2E quiz 1' });
    await row.waitFor({ timeout: 15_000 });
    assert.match(await row.getByTestId('written-by').innerText(), /E2E Learning \(vendor\)/);
    await row.click();
    await page.getByText('Written by the end-to-end test').waitFor({ timeout: 15_000 });
    await shot('30-line-item-vendor');
  });

  test("excludes the connection's school with its checkbox and the change is saved", async () => {
    await go('/orgs?filter=' + encodeURIComponent(JSON.stringify({ type: 'school', q: 'Lincoln Middle School' })));
    const row = page.locator('tbody tr', { hasText: 'Lincoln Middle School' }).first();
    await row.waitFor();
    const box = row.locator('input[type="checkbox"]');
    const name = ((await box.getAttribute('aria-label')) ?? '').replace('External LMS Exclude: ', '');
    assert.equal(name, 'Lincoln Middle School', 'the checkbox names its school');
    assert.equal(await box.isChecked(), false);
    await box.check();
    await page.getByText(`Saved: “${name}” is excluded`).waitFor({ timeout: 20_000 });
    await shot('11-school-excluded');
    await page.reload();
    await settle();
    const again = page.getByLabel(`External LMS Exclude: ${name}`);
    await again.waitFor();
    assert.equal(await again.isChecked(), true, 'still excluded after a reload');
    await go('/orgs?filter=' + encodeURIComponent(JSON.stringify({ type: 'school', externalLmsExclude: true })));
    assert.equal(await page.locator('tbody tr').count(), 1, 'the filter finds exactly the excluded school');
    const students = await rest(`/schools/${creds.school}/students`);
    assert.equal(students.status, 200, 'vendors read the published copy: the exclusion waits for the next refresh');
    assert.ok(students.body.users?.length > 0);
  });

  test('"Refresh now" publishes the exclusion: the school and its students vanish from the REST API', async () => {
    await go('/cache');
    await page.getByTestId('cache-published').waitFor({ timeout: 15_000 });
    const before = await page.locator('[data-testid="cache-history"] tbody tr').count();
    await page.getByRole('button', { name: 'Refresh now' }).click();
    await page.getByText('Refresh started').first().waitFor({ timeout: 15_000 });
    await page.getByTestId('cache-published-alert').waitFor({ timeout: 120_000 });
    assert.match(await page.getByTestId('cache-published-alert').innerText(), /^Published/);
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid="cache-history"] tbody tr').length > n, before, { timeout: 10_000 });
    assert.match(await page.locator('[data-testid="cache-history"] tbody tr').first().innerText(), /published/);
    await shot('24-cache-refreshed');

    // The cache publishes what a connection may no longer see as tombstones (status tobedeleted, so that
    // vendors syncing deltas delete it), or not at all: nothing of the school is active any more.
    const gone = (r, key) => r.status === 404 || (r.status === 200 && r.body[key]?.status === 'tobedeleted');
    const school = await rest(`/schools/${creds.school}`);
    assert.ok(gone(school, 'org'), `the excluded school is gone or a tombstone: HTTP ${school.status} ${JSON.stringify(school.body).slice(0, 200)}`);
    const active = (r) => (r.body.users ?? []).filter((u) => u.status !== 'tobedeleted');
    const students = await rest(`/schools/${creds.school}/students`);
    assert.ok(students.status === 404 || (students.status === 200 && active(students).length === 0), `no active student of the school: HTTP ${students.status} ${JSON.stringify(students.body).slice(0, 200)}`);
    const all = await rest('/students');
    assert.equal(all.status, 200);
    assert.deepEqual(active(all), [], 'the connection (scoped to the school) has no active student left');
    const activeOnly = await rest(`/students?filter=${encodeURIComponent("status='active'")}`);
    assert.equal(activeOnly.status, 200);
    assert.deepEqual(activeOnly.body.users, [], "/students?filter=status='active' is empty");
    const filtered = await rest(`/students?filter=${encodeURIComponent(`sourcedId='${creds.student.sourcedId}'`)}`);
    assert.equal(filtered.status, 200);
    assert.deepEqual(active(filtered), [], `the student is no longer in /students?filter=sourcedId='…'`);
    const student = await rest(`/students/${creds.student.sourcedId}`);
    assert.ok(gone(student, 'user'), `GET /students/{id}: HTTP ${student.status}`);
  });

  test("the record's page now says the connection gets it as a deletion, or not at all", async () => {
    await page.goto(creds.studentPage);
    await settle();
    await page.getByRole('combobox', { name: 'Connection' }).click();
    await page.getByRole('option', { name: /^E2E Learning/ }).click();
    // A student of the excluded school reaches the connection as a tombstone (so its delta deletes it); one
    // never published to it would be "Not visible" with the reason.
    await page.locator('[data-testid="oneroster-tombstone"], [data-testid="oneroster-reason"]').first().waitFor({ timeout: 15_000 });
    assert.match(await page.getByTestId('oneroster-visible').innerText(), /Sent as a deletion|Not visible/);
    if (await page.getByTestId('oneroster-tombstone').count()) {
      assert.match(await page.getByTestId('oneroster-json').innerText(), /"status": "tobedeleted"/);
    }
  });

  test('the audit log shows the reveal, the revoke and the exclusion', async () => {
    await go('/auditEvents');
    for (const action of ['connection.create', 'secret.reveal', 'connection.revoke', 'connection.renew', 'record.exclude']) {
      await page.locator('td', { hasText: action }).first().waitFor({ timeout: 10_000 });
    }
    await shot('12-audit-log');
    await go('/auditEvents?filter=' + encodeURIComponent(JSON.stringify({ action: 'secret.reveal' })));
    assert.equal(await page.locator('tbody tr', { hasText: 'secret.reveal' }).count(), await page.locator('tbody tr').count());
  });

  test('browses the roster, settings and the API page', async () => {
    const screens = [
      ['/academicSessions', '13-academic-sessions', 'Academic sessions'],
      ['/courses', '14-courses', 'Courses'],
      ['/classes', '15-classes', 'Classes'],
      ['/users?filter=' + encodeURIComponent(JSON.stringify({ role: 'student' })), '16-users-students', 'Users'],
      ['/enrollments', '17-enrollments', 'Enrollments'],
      ['/lineItems', '18-line-items', 'Line items'],
      ['/results', '19-results', 'Results'],
    ];
    for (const [path, name] of screens) {
      await go(path);
      await page.locator('table, [data-testid="list-empty"]').first().waitFor({ timeout: 15_000 });
      await shot(name);
    }
    // Paging: page 2 of the students follows page 1's cursor and shows other people.
    await go('/users?filter=' + encodeURIComponent(JSON.stringify({ role: 'student' })) + '&perPage=10&page=1&sort=familyName&order=ASC');
    const p1 = await page.locator('tbody tr').first().innerText();
    await page.getByRole('button', { name: 'Go to page 2' }).click();
    await settle();
    await page.waitForFunction((t) => document.querySelector('tbody tr')?.textContent !== t, p1);
    assert.match(await page.getByText(/11-20 of \d+/).innerText(), /11-20 of 300/);
    await page.getByRole('button', { name: 'Go to last page' }).or(page.getByRole('button', { name: 'Go to page 30' })).first().click();
    await page.getByText(/291-300 of 300/).waitFor();

    await go('/settings');
    await page.getByLabel('Site prefix').waitFor();
    await shot('20-settings');
    await page.getByLabel('Access token lifetime (seconds)').fill('1800');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Settings saved.').waitFor({ timeout: 10_000 });

    await page.getByRole('region', { name: 'OneRoster cache schedule' }).scrollIntoViewIfNeeded();
    await page.getByLabel('Daily refresh time').fill('03:30');
    await page.getByLabel('Also refresh every hour').check();
    await page.getByLabel('Refuse vendor results for ended grading periods').check();
    await page.getByText('Unsaved changes.').waitFor();
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Settings saved.').waitFor({ timeout: 10_000 });
    await page.getByText(/Saved at/).waitFor();
    await shot('29-settings-cache');
    await go('/cache');
    await page.getByText('at 03:30 (UTC)').waitFor({ timeout: 15_000 });
    await page.getByText('every hour from 07:00 to 16:00').waitFor();

    await go('/api');
    await page.locator('.graphiql-container').waitFor({ timeout: 30_000 });
    await page.locator('.graphiql-execute-button').click();
    await page.locator('.result-window', { hasText: '"districtName"' }).waitFor({ timeout: 20_000 });
    await shot('21-api-graphql');
  });

  test('imports a bundle with an error: the problem (file, line, message) is on screen, nothing changes', async () => {
    await go('/imports');
    await page.getByTestId('import-upload').waitFor();
    await page.getByTestId('bundle-file').setInputFiles({ name: 'bad-bundle.zip', mimeType: 'application/zip', buffer: badBundle() });
    await page.getByText(/bad-bundle\.zip \(/).waitFor();
    await page.getByRole('button', { name: 'Upload and import' }).click();
    await page.waitForURL(/\/admin\/imports\/\d+\/show$/, { timeout: 20_000 });
    const outcome = page.getByTestId('import-message');
    await outcome.waitFor({ timeout: 60_000 });
    assert.match(await outcome.innerText(), /^Failed/);
    const problem = page.getByTestId('import-problems').locator('tbody tr').first();
    const text = await problem.innerText();
    assert.match(text, /enrollments\.csv/);
    assert.match(text, /\b2\b/, 'the line');
    assert.match(text, /classSourcedId/);
    assert.match(text, new RegExp(BAD_CLASS));
    assert.match(text, /unknown class/);
    await shot('25-import-errors');
  });

  test('imports a good bundle (delta) and shows its counts', async () => {
    await go('/imports');
    await page.getByTestId('bundle-file').setInputFiles({ name: 'good-bundle.zip', mimeType: 'application/zip', buffer: goodBundle() });
    await page.getByRole('button', { name: 'Upload and import' }).click();
    await page.waitForURL(/\/admin\/imports\/\d+\/show$/, { timeout: 20_000 });
    const outcome = page.getByTestId('import-message');
    await outcome.waitFor({ timeout: 60_000 });
    assert.match(await outcome.innerText(), /^Succeeded/);
    const counts = page.getByRole('table', { name: 'Rows per file' });
    assert.match(await counts.locator('tr', { hasText: 'users.csv' }).innerText(), /users\.csv\s+5\s+5/);
    await shot('26-import-succeeded');
    await go('/imports');
    assert.equal(await page.locator('tbody tr').count(), 2, 'both imports are listed');
    assert.match(await page.locator('tbody tr').nth(1).innerText(), /failed/);
    await shot('27-imports');
    // The bundle's line items and the vendor's, with who wrote them.
    await go('/lineItems?filter=%7B%7D');
    await page.locator('tbody tr').first().waitFor({ timeout: 15_000 });
    await page.getByText(/SIS import #\d+/).first().waitFor();
    await shot('28-line-items');
  });

  test('signs out through the end-session endpoint', async () => {
    await go('/');
    await page.getByRole('button', { name: 'Profile' }).click();
    await page.getByText('Logout').click();
    await page.getByText('You have signed out.').waitFor({ timeout: 20_000 });
    assert.equal(await page.evaluate(() => sessionStorage.getItem('rollcall.session')), null);
    await shot('22-signed-out');
  });

  test('the browser saw no script errors and no blocked resources', () => {
    const bad = ui.problems.filter((p) => /Content Security Policy|page error|Refused to/i.test(p));
    assert.deepEqual(bad, []);
  });
});
