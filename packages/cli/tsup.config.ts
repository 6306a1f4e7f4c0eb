import { defineConfig } from 'tsup';

// Dual build: ESM for `import`, CommonJS for `require` (Jest's default config), with declarations.
export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
  platform: 'node',
});
