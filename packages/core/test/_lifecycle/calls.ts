// Argument builders and assertions shared by the _lifecycle refusal and upgrade tests.
import assert from 'node:assert/strict';
import { lifecycle, type protos } from '@fabric-peer/protos';
import { fn, packageId } from './harness.js';

const L = lifecycle;
export const BACKING = (f: string): string => `failed to invoke backing implementation of '${f}': `;

export const approve = (o: Partial<lifecycle.ApproveChaincodeDefinitionForMyOrgArgs> = {}): Uint8Array[] =>
  fn(
    'ApproveChaincodeDefinitionForMyOrg',
    L.ApproveChaincodeDefinitionForMyOrgArgs.encode({
      sequence: 1,
      name: 'asset',
      version: '1.0',
      source: { localPackage: { packageId: packageId() } },
      ...o,
    }),
  );
export const commit = (o: Partial<lifecycle.CommitChaincodeDefinitionArgs> = {}): Uint8Array[] =>
  fn(
    'CommitChaincodeDefinition',
    L.CommitChaincodeDefinitionArgs.encode({ sequence: 1, name: 'asset', version: '1.0', ...o }),
  );
export const readiness = (o: Partial<lifecycle.CheckCommitReadinessArgs> = {}): Uint8Array[] =>
  fn(
    'CheckCommitReadiness',
    L.CheckCommitReadinessArgs.encode({ sequence: 1, name: 'asset', version: '1.0', ...o }),
  );

export function fails(r: protos.Response, status: number, message: string): void {
  assert.equal(r.message, message);
  assert.equal(r.status, status);
}
