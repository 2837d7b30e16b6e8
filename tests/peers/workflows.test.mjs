// The hosted CI's workflows (.github/workflows), which cannot run here, checked here: each is valid for
// action-validator (a validator no one here wrote, pinned in package-lock.json), pins every action to a commit, and
// pins the same versions README.md tells a user to build with. Run by ctest as:
// node --test tests/peers/workflows.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { checkPins, workflowPins } from './workflow-pins.mjs';

const repo = new URL('../../', import.meta.url);
const validator = fileURLToPath(new URL('node_modules/@action-validator/cli/cli.mjs', import.meta.url));
const workflowDir = new URL('.github/workflows/', repo);
const workflows = readdirSync(workflowDir)
  .filter((name) => /\.ya?ml$/.test(name))
  .map((name) => ({ name: `.github/workflows/${name}`, text: readFileSync(new URL(name, workflowDir), 'utf8') }));
const readme = readFileSync(new URL('README.md', repo), 'utf8');
const build = workflows.find((w) => w.name === '.github/workflows/build.yml');

function validate(text) {
  const dir = mkdtempSync(join(tmpdir(), 'workflow-'));
  try {
    const file = join(dir, 'workflow.yml');
    writeFileSync(file, text);
    return spawnSync(process.execPath, [validator, file], { encoding: 'utf8' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('every workflow is valid for action-validator', () => {
  assert.ok(build, 'the build workflow is .github/workflows/build.yml');
  for (const { name, text } of workflows) {
    const run = validate(text);
    assert.equal(run.status, 0, `${name}:\n${run.stdout}${run.stderr}`);
  }
});

test('action-validator refuses a workflow that is not valid', () => {
  // A job with its runner misspelt, and one that needs a job that does not exist.
  const misspelt = validate(build.text.replace('runs-on: macos-14', 'runs_on: macos-14'));
  assert.notEqual(misspelt.status, 0);
  assert.match(misspelt.stdout + misspelt.stderr, /runs_on/);
  const unresolved = validate(build.text.replace('needs: [linux, windows, macos]', 'needs: [linux, windows, mac]'));
  assert.notEqual(unresolved.status, 0);
  assert.match(unresolved.stdout + unresolved.stderr, /unresolved job mac/);
});

test('the versions the workflows pin are the ones README.md names', () => {
  assert.deepEqual(checkPins(workflows, readme), []);
  const names = workflowPins(build.name, build.text).pins.map((pin) => pin.name);
  for (const expected of ['QT_VERSION', 'QTKEYCHAIN_VERSION', 'debian', 'actions/checkout', 'jurplel/install-qt-action'])
    assert.ok(names.includes(expected), `build.yml pins ${expected}`);
});

test('a version out of step, an unpinned action or a stale README row is reported', () => {
  const env = parse(build.text).env;
  const others = workflows.filter((w) => w !== build);
  const check = (text, readmeText = readme) => checkPins([...others, { name: build.name, text }], readmeText);

  const olderQt = readme.replace(`| \`QT_VERSION\` | ${env.QT_VERSION} |`, '| `QT_VERSION` | 6.8.2 |');
  assert.notEqual(olderQt, readme, 'README.md has the row "| `QT_VERSION` | <version> |"');
  assert.deepEqual(check(build.text, olderQt).map((p) => p.replace(/:\d+/g, '')),
                   [`${build.name}: env.QT_VERSION: QT_VERSION is ${env.QT_VERSION}, but README.md says 6.8.2`]);

  const floating = build.text.replace(/actions\/checkout@[0-9a-f]{40} # \S+/, 'actions/checkout@v7');
  assert.ok(check(floating).some((p) => /actions\/checkout@v7 is not pinned to a commit/.test(p)));

  const twoCommits = build.text.replace(/(actions\/cache@)[0-9a-f]{40}( # \S+)$/m, `$1${'0'.repeat(40)}$2`);
  assert.ok(check(twoCommits).some((p) => /actions\/cache is .* but .* at /.test(p)), check(twoCommits).join('\n'));

  const staleRow = readme.replace('### Versions the builds use\n', '### Versions the builds use\n\n| `someone/gone` | v1.0.0 | |\n');
  assert.ok(check(build.text, staleRow).some((p) => /someone\/gone v1\.0\.0 is named, but no workflow uses it/.test(p)));
});

test('the Linux job is the README test command in Debian 12; the hosted jobs run the labels that need no Linux service', () => {
  const jobs = parse(build.text).jobs;
  const runs = (job) => job.steps.map((step) => step.run ?? '').join('\n');
  assert.equal(jobs.linux.container, 'debian:12');
  assert.match(runs(jobs.linux), /packaging\/debian\/dev\.sh test/);
  assert.match(readme, /packaging\/debian\/dev\.sh test/);
  const labels = readFileSync(new URL('tests/CMakeLists.txt', repo), 'utf8').match(/set\(AUTOCLOSE_TEST_LABELS ([^)]*)\)/);
  assert.ok(labels, 'tests/CMakeLists.txt sets AUTOCLOSE_TEST_LABELS');
  for (const job of [jobs.windows, jobs.macos]) {
    const ctest = runs(job).match(/ctest --preset ci -L '\^\(([a-z|]+)\)\$'/);
    assert.ok(ctest, `${job.name} runs ctest with a label expression`);
    for (const label of ctest[1].split('|'))
      assert.ok(labels[1].split(/\s+/).includes(label), `${label} is a label of tests/CMakeLists.txt`);
  }
});

test("README.md's build-from-source steps use the pinned Qt and QtKeychain", () => {
  const env = parse(build.text).env;
  const fromSource = readme.slice(readme.indexOf('## Build from source'));
  assert.ok(fromSource.length > 0 && readme.includes('## Build from source'), 'README.md has "## Build from source"');
  assert.ok(fromSource.includes(`--branch ${env.QTKEYCHAIN_VERSION}`), `it clones QtKeychain ${env.QTKEYCHAIN_VERSION}`);
  assert.ok(fromSource.includes(`Qt ${env.QT_VERSION}`), `it names Qt ${env.QT_VERSION}`);
  assert.ok(readme.indexOf('## Download') < readme.indexOf('## Build from source'), 'Download comes first');
});
