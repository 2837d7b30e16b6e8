// Starts autoclose-sandbox (AUTOCLOSE_SANDBOX_BIN) on 127.0.0.1 with a fresh data directory for a Node peer test.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

// Resolves to { url, dataDir, stop() } once the sandbox prints "Listening on <url>".
export async function startSandbox(token) {
  const binary = process.env.AUTOCLOSE_SANDBOX_BIN;
  assert.ok(binary, 'AUTOCLOSE_SANDBOX_BIN names the autoclose-sandbox executable');
  const dataDir = mkdtempSync(join(tmpdir(), 'autoclose-peer-'));
  const sandbox = spawn(binary, ['--port', '0', '--data-dir', dataDir, '--token', token], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const stop = () => {
    sandbox.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const url = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the sandbox did not start in 20 s')), 20000);
      createInterface({ input: sandbox.stdout }).once('line', (line) => {
        clearTimeout(timer);
        const match = /^Listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(line);
        match ? resolve(match[1]) : reject(new Error(`unexpected first line: ${line}`));
      });
      sandbox.once('exit', (code) => reject(new Error(`the sandbox exited with ${code}`)));
    });
    return { url, dataDir, stop };
  } catch (error) {
    stop();
    throw error;
  }
}
