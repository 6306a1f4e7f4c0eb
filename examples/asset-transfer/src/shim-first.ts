// Import this module before @hyperledger/fabric-gateway when the contract runs in the same process
// as the client (in-process chaincode). fabric-shim (@hyperledger/fabric-protos 0.2) and
// fabric-gateway (0.3) register their protobuf messages in google-protobuf's one global namespace;
// whichever loads last wins, and only shim-then-gateway leaves both working ("Error serializing
// response" from the chaincode otherwise). Loading the shim also installs process-wide
// uncaughtException / unhandledRejection handlers meant for a chaincode process: they are taken off.
import { createRequire } from 'node:module';

type Listener = (...args: unknown[]) => void;
const events = ['uncaughtException', 'unhandledRejection'] as const;
const listeners = (e: (typeof events)[number]): Listener[] => process.listeners(e as 'exit') as Listener[];
const before = events.map((e) => new Set(listeners(e)));
createRequire(import.meta.url)('fabric-shim');
events.forEach((e, i) => {
  for (const l of listeners(e)) if (!before[i]!.has(l)) process.removeListener(e, l);
});
