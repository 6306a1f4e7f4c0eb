/* global module */
/** Jest's defaults with ts-jest, as `npx ts-jest config:init` writes them. */
module.exports = {
  preset: 'ts-jest',
  testEnvironment: 'node',
  // Inside this monorepo only: read the workspace's fabric-peer packages from their TypeScript sources
  // (the "source" export condition) rather than their builds. From npm you need neither line.
  testEnvironmentOptions: { customExportConditions: ['source', 'node', 'node-addons'] },
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
};
