// The CLI's one way into the library: @fabric-peer/core's client door (signing, connections, the
// channel / chaincode / lifecycle / logging operations and node start).
export * from '@fabric-peer/core/client';
