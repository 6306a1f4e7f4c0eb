import { defineConfig } from 'tsup';

// The workspace packages stay external: until @fabric-peer/core's door exports its client module, the CLI
// reaches it by a relative path (src/core.ts); that code and its third-party imports are bundled.
const external = [/^@fabric-peer\//];
// Bundled CommonJS packages call require(): give ESM output one.
const banner = ({ format }: { format: string }): { js?: string } =>
  format === 'esm'
    ? { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" }
    : {};

// The library door (ESM + CommonJS) and the `fabric-peer` executable.
export default defineConfig([
  {
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'node20',
    platform: 'node',
    external,
    banner,
  },
  {
    entry: { bin: 'src/bin.ts' },
    format: ['esm'],
    sourcemap: true,
    target: 'node20',
    platform: 'node',
    external,
    banner,
  },
]);
