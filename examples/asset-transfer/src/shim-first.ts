// Import this module first when the contract runs in the same process as a fabric-gateway client
// (in-process chaincode). fabric-shim (@hyperledger/fabric-protos 0.2) and fabric-gateway (0.3)
// register their protobuf messages in google-protobuf's one global namespace; whichever loads last
// wins, and only shim-then-gateway leaves both working (otherwise the chaincode fails every call with
// "Error serializing response"). fabric-shim and fabric-contract-api also install process-wide
// uncaughtException / unhandledRejection handlers meant for a chaincode process, which would keep a
// failing app alive: they are taken off again.
import { createRequire } from 'node:module';

type Listener = (...args: unknown[]) => void;
const events = ['uncaughtException', 'unhandledRejection'] as const;
const listeners = (e: (typeof events)[number]): Listener[] => process.listeners(e as 'exit') as Listener[];
const before = events.map((e) => new Set(listeners(e)));
const require = createRequire(import.meta.url);
require('fabric-shim');
require('fabric-contract-api');
events.forEach((e, i) => {
  for (const l of listeners(e)) if (!before[i]!.has(l)) process.removeListener(e, l);
});
