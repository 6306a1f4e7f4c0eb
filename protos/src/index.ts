// @fabric-peer/protos: Fabric 2.5's messages, codecs and gRPC service definitions (generated from ../proto).
export * as common from './generated/common';
export * as msp from './generated/msp';
export * as protos from './generated/protos';
export * as orderer from './generated/orderer';
export * as etcdraft from './generated/etcdraft';
export * as gateway from './generated/gateway';
export * as discovery from './generated/discovery';
export * as gossip from './generated/gossip';
export * as rwset from './generated/rwset';
export * as kvrwset from './generated/kvrwset';
export * as queryresult from './generated/queryresult';
export * as lifecycle from './generated/lifecycle';
export * as transientstore from './generated/transientstore';
export * as google from './generated/google';
export * as grpc from './generated/grpc';

export { ProtoDecodeError, MAX_DEPTH, type Init, type MessageCodec } from './runtime';
