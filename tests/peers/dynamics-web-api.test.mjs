// dynamics-web-api (a widely used Dataverse client no one here wrote) against autoclose-sandbox over real HTTP.
// Run by ctest as: node --test tests/peers/dynamics-web-api.test.mjs, with AUTOCLOSE_SANDBOX_BIN set.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DynamicsWebApi } from 'dynamics-web-api';
import { startSandbox } from './sandbox.mjs';

const token = 'peer-test-token';
const states = 'msdyn_occhannelstateconfigurations';
const conversations = 'msdyn_ocliveworkitems';
let sandbox;
let api;

before(async () => {
  sandbox = await startSandbox(token);
  api = new DynamicsWebApi({
    serverUrl: sandbox.url,
    dataApi: { version: '9.2' },
    onTokenRefresh: async () => token,
    propagateErrors: true,
  });
});

after(() => sandbox?.stop());

test('retrieveMultiple pages with maxPageSize and the next link', async () => {
  const request = { collection: conversations, select: ['subject'], maxPageSize: 50 };
  const first = await api.retrieveMultiple(request);
  assert.equal(first.value.length, 50);
  assert.ok(first.oDataNextLink, 'a next link after a full page');
  const second = await api.retrieveMultiple(request, first.oDataNextLink);
  assert.equal(second.value.length, 50);
  const firstIds = new Set(first.value.map((r) => r.activityid));
  assert.ok(second.value.every((r) => !firstIds.has(r.activityid)), 'pages do not overlap');
});

test('retrieveAll follows every page', async () => {
  const all = await api.retrieveAll({ collection: conversations, select: ['statuscode'], maxPageSize: 70 });
  assert.equal(all.value.length, 360);
  assert.equal(new Set(all.value.map((r) => r.activityid)).size, 360);
});

test('$filter and $select', async () => {
  const all = await api.retrieveAll({ collection: conversations, select: ['statuscode', 'msdyn_channel'] });
  const expected = all.value.filter((r) => r.statuscode === 3 && r.msdyn_channel.split(',').includes('192360000'));
  const filtered = await api.retrieveAll({
    collection: conversations,
    select: ['statuscode'],
    filter: "statuscode eq 3 and Microsoft.Dynamics.CRM.ContainValues(PropertyName='msdyn_channel',PropertyValues=['192360000'])",
  });
  assert.ok(expected.length > 0);
  assert.deepEqual(filtered.value.map((r) => r.activityid).sort(), expected.map((r) => r.activityid).sort());
  for (const row of filtered.value) {
    assert.equal(row.statuscode, 3);
    assert.equal(row.subject, undefined, '$select leaves other columns out');
  }
});

test('$expand of the channel lookup with a nested $select', async () => {
  const result = await api.retrieveMultiple({
    collection: states,
    select: ['msdyn_name', 'msdyn_ocliveworkitemstate'],
    expand: [{ property: 'msdyn_occhannelconfigurationid', select: ['msdyn_streamsource'] }],
  });
  assert.equal(result.value.length, 24);
  for (const row of result.value) {
    assert.equal(typeof row.msdyn_occhannelconfigurationid.msdyn_streamsource, 'number');
  }
  const chatOpen = result.value.find((r) => r.msdyn_name === 'Live Chat - Open');
  assert.equal(chatOpen.msdyn_occhannelconfigurationid.msdyn_streamsource, 192360000);
});

test('count, with and without a filter', async () => {
  assert.equal(await api.count({ collection: conversations }), 360);
  const all = await api.retrieveAll({ collection: conversations, select: ['statuscode'] });
  const open = all.value.filter((r) => r.statuscode === 1).length;
  assert.equal(await api.count({ collection: conversations, filter: 'statuscode eq 1' }), open);
});

test('update with ifmatch, and 412 when the ETag is stale', async () => {
  const rows = await api.retrieveMultiple({ collection: states, select: ['msdyn_autocloseliveworkitemafter'], top: 1 });
  const record = rows.value[0];
  const key = record.msdyn_occhannelstateconfigurationid;
  const staleEtag = record['@odata.etag'];
  await api.update({ collection: states, key, data: { msdyn_autocloseliveworkitemafter: 33 }, ifmatch: staleEtag });
  const after = await api.retrieve({ collection: states, key, select: ['msdyn_autocloseliveworkitemafter'] });
  assert.equal(after.msdyn_autocloseliveworkitemafter, 33);
  assert.notEqual(after['@odata.etag'], staleEtag);

  await assert.rejects(
    api.update({ collection: states, key, data: { msdyn_autocloseliveworkitemafter: 44 }, ifmatch: staleEtag }),
    (error) => error.status === 412 && error.code === '0x80060882',
  );
  const unchanged = await api.retrieve({ collection: states, key, select: ['msdyn_autocloseliveworkitemafter'] });
  assert.equal(unchanged.msdyn_autocloseliveworkitemafter, 33);
});

test('a batch with a change set applies all or nothing', async () => {
  const rows = await api.retrieveMultiple({ collection: states, select: ['msdyn_autocloseliveworkitemafter'], top: 3 });
  const [a, b, c] = rows.value;
  const key = (r) => r.msdyn_occhannelstateconfigurationid;

  api.startBatch();
  api.update({ collection: states, key: key(a), data: { msdyn_autocloseliveworkitemafter: 101 }, ifmatch: a['@odata.etag'] });
  api.update({ collection: states, key: key(b), data: { msdyn_autocloseliveworkitemafter: 102 }, ifmatch: b['@odata.etag'] });
  await api.executeBatch();
  const read = async (r) =>
    (await api.retrieve({ collection: states, key: key(r), select: ['msdyn_autocloseliveworkitemafter'] }))
      .msdyn_autocloseliveworkitemafter;
  assert.equal(await read(a), 101);
  assert.equal(await read(b), 102);

  // c's update is fine, a's ETag is stale now: the change set fails and c stays as it was.
  const before = await read(c);
  api.startBatch();
  api.update({ collection: states, key: key(c), data: { msdyn_autocloseliveworkitemafter: 103 }, ifmatch: c['@odata.etag'] });
  api.update({ collection: states, key: key(a), data: { msdyn_autocloseliveworkitemafter: 104 }, ifmatch: a['@odata.etag'] });
  await assert.rejects(api.executeBatch());
  assert.equal(await read(c), before);
  assert.equal(await read(a), 101);
});

test('WhoAmI', async () => {
  const me = await api.callFunction('WhoAmI');
  assert.match(me.UserId, /^[0-9a-f-]{36}$/);
  assert.match(me.OrganizationId, /^[0-9a-f-]{36}$/);
  assert.match(me.BusinessUnitId, /^[0-9a-f-]{36}$/);
});

test('a workstream, its change history and who changed it', async () => {
  const workstreams = 'msdyn_liveworkstreams';
  const column = 'msdyn_autocloseafterinactivity';
  const rows = await api.retrieveMultiple({
    collection: workstreams,
    select: ['msdyn_name', column, 'msdyn_blockcapacityforwrapup'],
    filter: "msdyn_name eq 'SMS support'",
  });
  const sms = rows.value[0];
  assert.equal(sms[column], 2880);
  const key = sms.msdyn_liveworkstreamid;
  await api.update({ collection: workstreams, key, data: { [column]: 240 }, ifmatch: sms['@odata.etag'] });

  const target = { '@odata.id': `${workstreams}(${key})` };
  const attribute = await api.callFunction({
    name: 'RetrieveAttributeChangeHistory',
    parameters: {
      Target: target,
      AttributeLogicalName: column,
      PagingInfo: { PageNumber: 1, Count: 10, ReturnTotalRecordCount: true },
    },
  });
  const collection = attribute.AuditDetailCollection;
  assert.equal(collection.TotalRecordCount, 1);
  assert.equal(collection.MoreRecords, false);
  assert.equal(collection.AuditDetails[0]['@odata.type'], '#Microsoft.Dynamics.CRM.AttributeAuditDetail');
  assert.equal(collection.AuditDetails[0].OldValue[column], 2880);
  assert.equal(collection.AuditDetails[0].NewValue[column], 240);

  const record = await api.callFunction({ name: 'RetrieveRecordChangeHistory', parameters: { Target: target } });
  assert.equal(record.AuditDetailCollection.AuditDetails.length, 1);

  // Who and when: the audit table, with the user's name as a formatted value.
  const audits = await api.retrieveMultiple({
    collection: 'audits',
    select: ['createdon', '_userid_value', 'operation'],
    filter: `_objectid_value eq ${key}`,
    orderBy: ['createdon desc'],
    includeAnnotations: 'OData.Community.Display.V1.FormattedValue',
  });
  assert.equal(audits.value.length, 1);
  const me = await api.callFunction('WhoAmI');
  assert.equal(audits.value[0]._userid_value, me.UserId);
  assert.equal(audits.value[0]['_userid_value@OData.Community.Display.V1.FormattedValue'], 'Demo Administrator');
  assert.equal(audits.value[0].operation, 2);
  const details = await api.callFunction({
    collection: 'audits',
    key: audits.value[0].auditid,
    name: 'Microsoft.Dynamics.CRM.RetrieveAuditDetails',
  });
  assert.equal(details.AuditDetail.NewValue[column], 240);
});
