import { defineConfig } from 'tsup';

// Dual build: ESM for `import`, CommonJS for `require` (Jest's default config), with declarations.
// Two doors: the peer (`@fabric-peer/core`) and the client side the CLI stands on (`@fabric-peer/core/client`).
export default defineConfig({
  entry: { index: 'src/index.ts', client: 'src/client/index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
  platform: 'node',
  // In-process chaincode runs on the user's own fabric-shim / fabric-contract-api: never bundle a private copy
  // (its protobuf classes register globally and a second copy breaks serialization).
  external: ['fabric-shim', 'fabric-contract-api', /^fabric-shim\//],
});
