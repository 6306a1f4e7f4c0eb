// The names of this peer's system chaincodes (Fabric's builtin ones, internal/peer/node/start.go).
import { LIFECYCLE_NAMESPACE } from '../lifecycle/index.js';

export const SYSTEM_CHAINCODE_NAMES: readonly string[] = ['cscc', 'qscc', 'lscc', LIFECYCLE_NAMESPACE];

/** Every peer runs them (the gateway's registry.hasChaincode), lscc deploys none of them, and a call to one from a chaincode needs no ACL check. */
export const isSystemChaincode = (name: string): boolean => SYSTEM_CHAINCODE_NAMES.includes(name);
