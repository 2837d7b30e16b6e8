// The snapshot JSON Schema (resources/schema/snapshot.schema.json) checked by Ajv, a JSON Schema validator no one here
// wrote, against what autoclose-cli really exports from autoclose-sandbox, the committed golden file, and files it
// must refuse. Run by ctest as: node --test tests/peers/snapshot-schema.test.mjs, with AUTOCLOSE_SANDBOX_BIN and
// AUTOCLOSE_CLI_BIN set.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { startSandbox } from './sandbox.mjs';

const repo = new URL('../../', import.meta.url);
const schema = JSON.parse(readFileSync(new URL('resources/schema/snapshot.schema.json', repo)));
const golden = JSON.parse(readFileSync(new URL('tests/data/snapshot-golden.json', repo))); // version 1
const goldenV2 = JSON.parse(readFileSync(new URL('tests/data/snapshot-golden-v2.json', repo)));
const ajv = new Ajv2020({ allErrors: true, strict: true });
addFormats(ajv);
const validate = ajv.compile(schema);
const token = 'schema-test-token';
let sandbox;

before(async () => {
  sandbox = await startSandbox(token);
});

after(() => sandbox?.stop());

const errorsOf = () => ajv.errorsText(validate.errors);

test('an export of the demo environment is valid', () => {
  const cli = process.env.AUTOCLOSE_CLI_BIN;
  assert.ok(cli, 'AUTOCLOSE_CLI_BIN names the autoclose-cli executable');
  const text = execFileSync(cli, ['--url', sandbox.url, '--access-token-env', 'SCHEMA_TOKEN', 'export'], {
    env: { ...process.env, SCHEMA_TOKEN: token, HOME: sandbox.dataDir, AUTOCLOSE_DATA_DIR: sandbox.dataDir },
    encoding: 'utf8',
  });
  const exported = JSON.parse(text);
  assert.ok(validate(exported), errorsOf());
  assert.equal(exported.schemaVersion, 2);
  assert.equal(exported.records.length, 24);
  assert.ok(exported.records.some((r) => r.minutes === null), 'a "never" value is exported as null');
  assert.equal(exported.workstreams.length, 6);
  assert.ok(exported.workstreams.some((w) => w.autoCloseAfterInactivity === 2880));
  assert.ok(exported.workstreams.some((w) => w.autoCloseAfterInactivity === null), 'none is exported as null');
});

test('the golden files are valid: version 1 and version 2', () => {
  assert.equal(golden.schemaVersion, 1);
  assert.ok(validate(golden), errorsOf());
  assert.equal(goldenV2.schemaVersion, 2);
  assert.ok(validate(goldenV2), errorsOf());
});

const withWorkstream = (fields) => ({ ...goldenV2, workstreams: [{ ...goldenV2.workstreams[1], ...fields }] });
const withoutField = (field) => {
  const { [field]: _, ...rest } = goldenV2.workstreams[1];
  return { ...goldenV2, workstreams: [rest] };
};

test('what the importer reads in version 2, the schema accepts', () => {
  const accepted = [
    ['no workstreams', { ...goldenV2, workstreams: [] }],
    ['a hand-made workstream: no id, no channel', { ...goldenV2, workstreams: [{ name: 'Support', autoCloseAfterInactivity: 60, blockCapacityForWrapUp: null }] }],
    ['the largest wrap-up block', withWorkstream({ blockCapacityForWrapUp: 43200 })],
    ['no inactivity held', withWorkstream({ autoCloseAfterInactivity: null })],
  ];
  for (const [name, document] of accepted) assert.ok(validate(document), `${name}: ${errorsOf()}`);
});

test('what the importer refuses, the schema refuses', () => {
  const broken = [
    ['unknown version', { ...golden, schemaVersion: 3 }],
    ['version 1 with workstreams', { ...goldenV2, schemaVersion: 1 }],
    ['version 2 without workstreams', { ...golden, schemaVersion: 2 }],
    ['workstreams not a list', { ...goldenV2, workstreams: {} }],
    ['wrap-up block over its maximum', withWorkstream({ blockCapacityForWrapUp: 43201 })],
    ['inactivity over its maximum', withWorkstream({ autoCloseAfterInactivity: 2147483648 })],
    ['negative inactivity', withWorkstream({ autoCloseAfterInactivity: -1 })],
    ['inactivity as text', withWorkstream({ autoCloseAfterInactivity: '2 days' })],
    ['fractional wrap-up block', withWorkstream({ blockCapacityForWrapUp: 2.5 })],
    ['workstream id not a guid', withWorkstream({ id: 'sms' })],
    ['missing inactivity', withoutField('autoCloseAfterInactivity')],
    ['missing wrap-up block', withoutField('blockCapacityForWrapUp')],
    ['missing workstream name', withoutField('name')],
    ['no records', (({ records, ...rest }) => rest)(golden)],
    ['minutes as text', { ...golden, records: [{ ...golden.records[0], minutes: '20 min' }] }],
    ['fractional minutes', { ...golden, records: [{ ...golden.records[0], minutes: 2.5 }] }],
    ['state out of range', { ...golden, records: [{ ...golden.records[0], state: { code: 7 } }] }],
    ['id not a guid', { ...golden, records: [{ ...golden.records[0], id: '42' }] }],
    ['missing minutes', { ...golden, records: [(({ minutes, ...rest }) => rest)(golden.records[0])] }],
  ];
  for (const [name, document] of broken) assert.equal(validate(document), false, `${name} must be refused`);
});
