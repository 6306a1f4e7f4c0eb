// The generator itself: deterministic and up to date, and right on every scalar type and field shape it
// supports (a test-only schema, fixtures/kitchen, checked against protobufjs's reflection codec and tsc --strict).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import protobuf from 'protobufjs';
import { generate } from '../scripts/generate';

const protosDir = fileURLToPath(new URL('..', import.meta.url));
const generatedDir = join(protosDir, 'src', 'generated');
const kitchenDir = join(protosDir, 'test', 'fixtures');

test('generation is deterministic and the checked-in files are what it writes', () => {
  const first = generate();
  const second = generate();
  assert.deepEqual([...first.entries()], [...second.entries()]);
  assert.deepEqual(
    [...first.keys()].sort(),
    readdirSync(generatedDir)
      .filter((f) => f.endsWith('.ts'))
      .sort(),
  );
  for (const [name, text] of first) {
    assert.equal(
      readFileSync(join(generatedDir, name), 'utf8'),
      text,
      `${name} is stale: run pnpm proto:gen`,
    );
    assert.doesNotMatch(text, /\d{4}-\d{2}-\d{2}T\d{2}:/, `${name} carries no timestamp`);
  }
});

// ---------------------------------------------------------------------------------------------------------------

interface Codec {
  encode(m: unknown): Uint8Array;
  decode(b: Uint8Array): Record<string, unknown>;
  create(i?: unknown): Record<string, unknown>;
}
interface KitchenModule {
  Sink: Codec;
  Sink_Inner: Codec;
  Color: Record<string, number>;
  Sink_Inner_Mode: Record<string, number>;
  KitchenService: Record<
    string,
    { path: string; requestStream: boolean; responseStream: boolean; originalName: string }
  >;
}

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomSink(seed: number, depth = 0): Record<string, unknown> {
  const r = rng(seed);
  const int = (lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));
  const i32 = (): number => int(-2147483648, 2147483647);
  const u32 = (): number => int(0, 4294967295);
  const i53 = (): number => int(-(2 ** 53 - 1), 2 ** 53 - 1);
  const u53 = (): number => int(0, 2 ** 53 - 1);
  const dbl = (): number => (r() - 0.5) * 10 ** int(-5, 12);
  const flt = (): number => Math.fround((r() - 0.5) * 10 ** int(-3, 6));
  const str = (): string => ['', 'a', 'grüße', '🐟 fish', 'k'.repeat(int(0, 300))][int(0, 4)]!;
  const bytes = (): Uint8Array => Uint8Array.from({ length: int(0, 20) }, () => int(0, 255));
  const color = (): number => int(0, 3);
  const leaf = (): Record<string, unknown> => ({ name: str(), weight: u53() });
  const list = <T>(f: () => T): T[] => Array.from({ length: int(0, 4) }, f);
  const m: Record<string, unknown> = {
    fDouble: dbl(),
    fFloat: flt(),
    fInt32: i32(),
    fInt64: i53(),
    fUint32: u32(),
    fUint64: u53(),
    fSint32: i32(),
    fSint64: i53(),
    fFixed32: u32(),
    fFixed64: u53(),
    fSfixed32: i32(),
    fSfixed64: i53(),
    fBool: r() < 0.5,
    fString: str(),
    fBytes: bytes(),
    fEnum: color(),
    fLeaf: r() < 0.7 ? leaf() : undefined,
    fSelf: depth < 2 && r() < 0.5 ? randomSink(seed * 31 + 1, depth + 1) : undefined,
    rDouble: list(dbl),
    rFloat: list(flt),
    rInt32: list(i32),
    rInt64: list(i53),
    rUint32: list(u32),
    rUint64: list(u53),
    rSint32: list(i32),
    rSint64: list(i53),
    rFixed32: list(u32),
    rFixed64: list(u53),
    rSfixed32: list(i32),
    rSfixed64: list(i53),
    rBool: list(() => r() < 0.5),
    rString: list(str),
    rBytes: list(bytes),
    rEnum: list(color),
    rLeaf: list(leaf),
    mInt32String: Object.fromEntries(list(() => [String(int(0, 9999)), str()])),
    mBoolBytes: r() < 0.5 ? { true: bytes() } : {},
    mStringEnum: Object.fromEntries(list(() => ['key-' + str(), color()])),
    mSint32Leaf: Object.fromEntries(list(() => [String(int(0, 500)), leaf()])),
    mFixed32Double: Object.fromEntries(list(() => [String(u32()), dbl()])),
    inner: r() < 0.5 ? { mode: int(0, 1), children: list(() => ({ mode: 1, children: [] })) } : undefined,
  };
  switch (int(0, 4)) {
    case 1:
      m.oString = str();
      break;
    case 2:
      m.oSint64 = i53();
      break;
    case 3:
      m.oLeaf = leaf();
      break;
    case 4:
      m.oEnum = color();
      break;
  }
  if (r() < 0.5) m.pInt32 = r() < 0.3 ? 0 : i32();
  if (r() < 0.5) m.pString = r() < 0.3 ? '' : str();
  if (r() < 0.5) m.pLeaf = leaf();
  return m;
}

/** Comparable form: bytes as hex, no undefined/null properties. */
function normalize(v: unknown): unknown {
  if (v instanceof Uint8Array) return 'hex:' + Buffer.from(v).toString('hex');
  if (Array.isArray(v)) return v.map(normalize);
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined && x !== null) out[k] = normalize(x);
    return out;
  }
  return v;
}

test('the kitchen-sink schema: generated code agrees with protobufjs reflection and compiles under tsc --strict', async () => {
  const require = createRequire(import.meta.url);
  // inside node_modules, so module resolution finds the package's dependencies and no tool lints it
  const cache = join(protosDir, 'node_modules', '.cache');
  mkdirSync(cache, { recursive: true });
  const tmp = mkdtempSync(join(cache, 'protos-gen-test-'));
  try {
    let runtimeImport = relative(tmp, join(protosDir, 'src', 'runtime'))
      .split('\\')
      .join('/');
    if (!runtimeImport.startsWith('.')) runtimeImport = './' + runtimeImport;
    const files = generate({ protoDir: kitchenDir, runtimeImport });
    assert.deepEqual([...files.keys()], ['kitchen.ts', 'kitchen_other.ts', 'kitchen_sink.ts']);
    for (const [name, text] of files) writeFileSync(join(tmp, name), text);

    const tsc = require.resolve('typescript/bin/tsc', { paths: [join(protosDir, '..')] });
    const compiled = spawnSync(
      process.execPath,
      [
        tsc,
        '--noEmit',
        '--strict',
        '--noUncheckedIndexedAccess',
        '--target',
        'ES2022',
        '--module',
        'ESNext',
        '--moduleResolution',
        'Bundler',
        '--types',
        'node',
        '--skipLibCheck',
        join(tmp, 'kitchen.ts'),
      ],
      { encoding: 'utf8', cwd: protosDir },
    );
    assert.equal(compiled.status, 0, `tsc failed:\n${compiled.stdout}${compiled.stderr}`);

    const ours = (await import(pathToFileURL(join(tmp, 'kitchen_sink.ts')).href)) as KitchenModule;
    const root = new protobuf.Root();
    for (const f of ['kitchen/other.proto', 'kitchen/sink.proto']) {
      protobuf.parse(readFileSync(join(kitchenDir, f), 'utf8'), root, { keepCase: false });
    }
    root.resolveAll();
    const PbSink = root.lookupType('kitchen.sink.Sink');

    assert.equal(ours.Color.BLUE, 3);
    assert.equal(ours.Sink_Inner_Mode.ON, 1);
    assert.deepEqual(ours.KitchenService.serve, {
      ...ours.KitchenService.serve,
      path: '/kitchen.sink.Kitchen/Serve',
      requestStream: true,
      responseStream: true,
      originalName: 'Serve',
    });
    assert.equal(ours.KitchenService.cook?.path, '/kitchen.sink.Kitchen/Cook');

    const edge: Record<string, unknown> = ours.Sink.create({
      fInt32: -1,
      fInt64: -1,
      fSint32: -2147483648,
      fSint64: -(2 ** 53 - 1),
      fSfixed64: -5,
      fFixed64: 2 ** 52 + 1,
      fUint32: 4294967295,
      fDouble: -0,
      rSint64: [-1, 0, 1],
      oSint64: 0,
      pInt32: 0,
    });
    const samples = [edge, ...Array.from({ length: 150 }, (_, i) => ours.Sink.create(randomSink(i + 1)))];
    for (const [i, sample] of samples.entries()) {
      const bytes = ours.Sink.encode(sample);
      assert.deepStrictEqual(ours.Sink.decode(bytes), sample, `sample ${i} decodes back`);
      const theirs = PbSink.decode(bytes);
      assert.equal(
        Buffer.from(PbSink.encode(theirs).finish()).toString('hex'),
        Buffer.from(bytes).toString('hex'),
        `sample ${i}: protobufjs re-encodes identically`,
      );
      const theirObject = PbSink.toObject(theirs, {
        longs: Number,
        enums: Number,
        defaults: true,
        arrays: true,
        objects: true,
      });
      assert.deepStrictEqual(
        normalize(theirObject),
        normalize(sample),
        `sample ${i}: protobufjs reads the same values`,
      );
      const fromTheirs = PbSink.encode(PbSink.fromObject(theirObject)).finish();
      assert.deepStrictEqual(ours.Sink.decode(fromTheirs), sample, `sample ${i}: we read protobufjs's bytes`);
    }
    // -0 is not the default: it is written, as Go writes it
    assert.ok(ours.Sink.encode({ fDouble: -0 }).length > 0);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
