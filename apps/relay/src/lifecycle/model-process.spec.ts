import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { describe, it } from 'node:test';
import { LogRing } from './log-ring';
import { ModelProcess, OWNER_ENV, PARENT_ENV, expandCommand } from './model-process';
import { findStaleProcesses, killStaleProcesses } from './stale-processes';

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const waitUntil = async (check: () => boolean, timeoutMs = 5000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

describe('ModelProcess', () => {
  it('expands ${PORT} and ${MODEL}, stripping shell metacharacters from the model name', () => {
    assert.equal(
      expandCommand('serve --port ${PORT} -m ${MODEL}', 8081, 'qwen;rm -rf $HOME'),
      'serve --port 8081 -m qwenrm-rfHOME',
    );
  });

  it('gives the command LLAMA_PORT, captures its output and stops its whole process group', async () => {
    const ring = new LogRing(4096);
    const owner = `spec-${process.pid}-${Date.now()}`;
    // the shell starts a grandchild (sleep) that must go too
    const proc = new ModelProcess({
      model: 'm',
      command: 'echo "port=$LLAMA_PORT macro=${PORT}"; sleep 30 & echo "child=$!"; wait',
      stopCommand: '',
      port: 18123,
      owner,
      ring,
    });
    await waitUntil(() => ring.lines(10).some((line) => line.startsWith('child=')));
    assert.ok(ring.lines(10).includes('port=18123 macro=18123'));
    const child = Number(
      ring
        .lines(10)
        .find((line) => line.startsWith('child='))!
        .slice(6),
    );
    assert.ok(alive(child));
    assert.equal(findStaleProcesses(owner).length >= 1, true, 'marked with the owner');
    const exit = await proc.stop(2000);
    assert.equal(exit.signal, 'SIGTERM');
    await waitUntil(() => !alive(child));
    assert.equal(proc.running, false);
  });

  it('stale cleanup kills processes an earlier run (same owner) left behind, and nothing else', async () => {
    const owner = `stale-${process.pid}-${Date.now()}`;
    const orphan = spawn('/bin/sh', ['-c', 'sleep 30'], {
      detached: true,
      stdio: 'ignore',
      env: { ...process.env, [OWNER_ENV]: owner },
    });
    const bystander = spawn('/bin/sh', ['-c', 'sleep 30'], {
      detached: true,
      stdio: 'ignore',
      env: { ...process.env, [OWNER_ENV]: `${owner}-other` },
    });
    // same data directory, but its relay (here: this test's parent process) is alive
    const live = spawn('/bin/sh', ['-c', 'sleep 30'], {
      detached: true,
      stdio: 'ignore',
      env: { ...process.env, [OWNER_ENV]: owner, [PARENT_ENV]: String(process.ppid) },
    });
    try {
      await waitUntil(() => findStaleProcesses(owner).length > 0);
      const killed = killStaleProcesses(owner);
      assert.ok(killed.some((stale) => stale.pid === orphan.pid));
      await waitUntil(() => orphan.exitCode !== null || orphan.signalCode !== null);
      assert.ok(alive(bystander.pid!));
      assert.ok(!killed.some((stale) => stale.pid === live.pid));
      assert.ok(alive(live.pid!));
    } finally {
      process.kill(-bystander.pid!, 'SIGKILL');
      process.kill(-live.pid!, 'SIGKILL');
      try {
        process.kill(-orphan.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  });
});
