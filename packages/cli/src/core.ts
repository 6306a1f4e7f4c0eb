// The CLI's one way into @fabric-peer/core's client module.
// TODO(core composer): @fabric-peer/core's door (packages/core/src/index.ts) does not export
// `./client/index.js` yet. Once it does (`export * from './client/index.js'`), replace the line below
// with `export * from '@fabric-peer/core';` restricted to the client names, and drop the tsup
// `external` list that keeps this relative import from bundling third-party packages.
export * from '../../core/src/client/index.js';
