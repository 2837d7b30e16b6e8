// The snapshot JSON Schema (resources/schema/snapshot.schema.json) checked by Ajv, a JSON Schema validator no one here
// wrote, against what autoclose-cli really exports from autoclose-sandbox, the committed golden file, and files it
// must refuse. Run by ctest as: node --test tests/peers/snapshot-schema.test.mjs, with AUTOCLOSE_SANDBOX_BIN and
// AUTOCLOSE_CLI_BIN set.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

const repo = new URL('../../', import.meta.url);
const schema = JSON.parse(readFileSync(new URL('resources/schema/snapshot.schema.json', repo)));
const golden = JSON.parse(readFileSync(new URL('tests/data/snapshot-golden.json', repo)));
const ajv = new Ajv2020({ allErrors: true, strict: true });
addFormats(ajv);
const validate = ajv.compile(schema);
const token = 'schema-test-token';
let sandbox;
let dataDir;
let url;

before(async () => {
  const binary = process.env.AUTOCLOSE_SANDBOX_BIN;
  assert.ok(binary, 'AUTOCLOSE_SANDBOX_BIN names the autoclose-sandbox executable');
  dataDir = mkdtempSync(join(tmpdir(), 'autoclose-schema-'));
  sandbox = spawn(binary, ['--port', '0', '--data-dir', dataDir, '--token', token], { stdio: ['ignore', 'pipe', 'inherit'] });
  url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the sandbox did not start in 20 s')), 20000);
    createInterface({ input: sandbox.stdout }).once('line', (line) => {
      clearTimeout(timer);
      const match = /^Listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(line);
      match ? resolve(match[1]) : reject(new Error(`unexpected first line: ${line}`));
    });
    sandbox.once('exit', (code) => reject(new Error(`the sandbox exited with ${code}`)));
  });
});

after(() => {
  sandbox?.kill('SIGTERM');
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const errorsOf = () => ajv.errorsText(validate.errors);

test('an export of the demo environment is valid', () => {
  const cli = process.env.AUTOCLOSE_CLI_BIN;
  assert.ok(cli, 'AUTOCLOSE_CLI_BIN names the autoclose-cli executable');
  const text = execFileSync(cli, ['--url', url, '--access-token-env', 'SCHEMA_TOKEN', 'export'], {
    env: { ...process.env, SCHEMA_TOKEN: token, HOME: dataDir },
    encoding: 'utf8',
  });
  const exported = JSON.parse(text);
  assert.ok(validate(exported), errorsOf());
  assert.equal(exported.records.length, 24);
  assert.ok(exported.records.some((r) => r.minutes === null), 'a "never" value is exported as null');
});

test('the golden file is valid', () => {
  assert.ok(validate(golden), errorsOf());
});

test('what the importer refuses, the schema refuses', () => {
  const broken = [
    ['unknown version', { ...golden, schemaVersion: 2 }],
    ['no records', (({ records, ...rest }) => rest)(golden)],
    ['minutes as text', { ...golden, records: [{ ...golden.records[0], minutes: '20 min' }] }],
    ['fractional minutes', { ...golden, records: [{ ...golden.records[0], minutes: 2.5 }] }],
    ['state out of range', { ...golden, records: [{ ...golden.records[0], state: { code: 7 } }] }],
    ['id not a guid', { ...golden, records: [{ ...golden.records[0], id: '42' }] }],
    ['missing minutes', { ...golden, records: [(({ minutes, ...rest }) => rest)(golden.records[0])] }],
  ];
  for (const [name, document] of broken) assert.equal(validate(document), false, `${name} must be refused`);
});
