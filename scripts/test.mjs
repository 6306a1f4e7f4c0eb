#!/usr/bin/env node
// Runs every *.test.ts in the workspace with node's own test runner, TypeScript through tsx,
// and workspace packages resolved to their sources (the "source" export condition).
// Usage: node scripts/test.mjs [substring ...]   (only files whose path contains a substring)
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const roots = ['protos/test', 'packages', 'test'];
const skip = new Set(['node_modules', 'dist', 'fixtures']);

function walk(dir, out) {
  let entries;
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of entries) {
    if (skip.has(name)) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, out);
    else if (name.endsWith('.test.ts')) out.push(relative(root, path));
  }
  return out;
}

const filters = process.argv.slice(2);
const files = roots
  .flatMap((r) => walk(join(root, r), []))
  .filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)))
  .sort();
if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}
// A test that hangs fails after 5 minutes instead of stalling CI; --test-force-exit ends a file whose
// tests are done even if something it opened is still alive (each component's own tests check stop()).
const result = spawnSync(
  process.execPath,
  [
    '--conditions=source',
    '--import',
    'tsx',
    '--test',
    '--test-reporter=spec',
    '--test-timeout=300000',
    '--test-force-exit',
    ...files,
  ],
  { cwd: root, stdio: 'inherit', env: { ...process.env, FABRIC_PEER_TEST: '1' }, timeout: 45 * 60_000 },
);
if (result.error) console.error(`test run stopped: ${result.error.message}`);
process.exit(result.status ?? 1);
