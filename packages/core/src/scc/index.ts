// scc/: the system chaincodes behind one SystemChaincode interface, and their registry.
export { SystemChaincodeRegistry } from './registry.js';
export { CSCC, channelIdFromBlock, validateConfigBlock, type CSCCOptions } from './cscc.js';
export { QSCC, type QSCCOptions } from './qscc.js';
export { SYSTEM_CHAINCODE_NAMES, isSystemChaincode } from './names.js';
export type { SccACL, SccChannel, SccChannels, SystemChaincode, SystemChaincodeContext } from './types.js';
