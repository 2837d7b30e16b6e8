// What .github/workflows pins, and whether README.md names the same: the versions a user building from source is told
// to use must be the ones the hosted CI builds the packages with. Used by workflows.test.mjs.
//
// README.md lists them in a table under the heading "### Versions the builds use": a row per pin, its name in the
// first column (`QT_VERSION` or `QTKEYCHAIN_VERSION` for the workflow's env entries, owner/name for an action, the
// container image) and its version in the second.
import { parse } from 'yaml';

const sha = /^[0-9a-f]{40}$/;

// Every pin of one workflow: { name, version, where }, and the problems met reading them.
export function workflowPins(fileName, text) {
  const pins = [];
  const problems = [];
  const doc = parse(text);
  for (const key of ['QT_VERSION', 'QTKEYCHAIN_VERSION']) {
    if (doc?.env?.[key] !== undefined)
      pins.push({ name: key, version: String(doc.env[key]), where: `${fileName}: env.${key}` });
  }
  for (const [jobName, job] of Object.entries(doc?.jobs ?? {})) {
    const image = typeof job.container === 'string' ? job.container : job.container?.image;
    if (image) {
      const [name, version = 'latest'] = image.split(':');
      pins.push({ name, version, where: `${fileName}: jobs.${jobName}.container` });
    }
  }
  // Actions: read from the text, since the version is the comment after the commit.
  text.split('\n').forEach((line, index) => {
    const match = line.match(/^\s*(?:-\s+)?uses:\s*([^@\s#]+)@(\S+)\s*(?:#\s*(\S+))?/);
    if (!match)
      return;
    const [, action, ref, version] = match;
    const where = `${fileName}:${index + 1}`;
    if (action.startsWith('./'))
      return; // an action of this repository
    if (!sha.test(ref))
      problems.push(`${where}: ${action}@${ref} is not pinned to a commit (use its 40-character SHA and "# vX.Y.Z")`);
    else if (!version)
      problems.push(`${where}: ${action}@${ref} does not say which version the commit is ("# vX.Y.Z" after it)`);
    else
      pins.push({ name: action, version, commit: ref, where });
  });
  return { pins, problems };
}

// The README's table of versions: a Map of name → { version, line }.
export function readmeVersions(text) {
  const lines = text.split('\n');
  const start = lines.findIndex((line) => /^#+\s+Versions the builds use\s*$/.test(line));
  const rows = new Map();
  if (start < 0)
    return rows;
  for (let i = start + 1; i < lines.length && !/^#/.test(lines[i]); ++i) {
    const cells = lines[i].split('|').map((cell) => cell.trim());
    if (cells.length < 4 || /^-+$/.test(cells[1]) || cells[1] === 'what')
      continue;
    const name = cells[1].replace(/`/g, '');
    const version = cells[2].replace(/`/g, '');
    rows.set(name, { version, line: i + 1 });
  }
  return rows;
}

// Every disagreement between the workflows and the README, as sentences; none when they agree.
export function checkPins(workflows, readme) {
  const problems = [];
  const all = [];
  for (const { name, text } of workflows) {
    const read = workflowPins(name, text);
    problems.push(...read.problems);
    all.push(...read.pins);
  }
  const named = readmeVersions(readme);
  if (named.size === 0)
    problems.push('README.md has no table under "### Versions the builds use"');
  const seen = new Map();
  for (const pin of all) {
    const earlier = seen.get(pin.name);
    if (earlier && (earlier.version !== pin.version || earlier.commit !== pin.commit))
      problems.push(`${pin.where}: ${pin.name} is ${pin.version}${pin.commit ? ` (${pin.commit})` : ''}, but ` +
                    `${earlier.version}${earlier.commit ? ` (${earlier.commit})` : ''} at ${earlier.where}`);
    seen.set(pin.name, pin);
    const row = named.get(pin.name);
    if (!row)
      problems.push(`${pin.where}: ${pin.name} ${pin.version} is not in README.md's "Versions the builds use"`);
    else if (row.version !== pin.version)
      problems.push(`${pin.where}: ${pin.name} is ${pin.version}, but README.md:${row.line} says ${row.version}`);
  }
  for (const [name, row] of named) {
    if (!seen.has(name))
      problems.push(`README.md:${row.line}: ${name} ${row.version} is named, but no workflow uses it`);
  }
  return problems;
}
