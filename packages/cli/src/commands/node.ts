import type { CommandGroup } from '../program.js';

/**
 * `fabric-peer node`: operate a peer node. `start` will compose the peer through `createPeer` in
 * @fabric-peer/core; until core serves, it says what it will bring up rather than pretend.
 */
export const nodeGroup: CommandGroup = {
  name: 'node',
  description: 'Operate a peer node: start|status|reset|rollback|rebuild-dbs|pause|resume|unjoin.',
  register(cli, io, done) {
    cli
      .command('start', 'Starts the node.')
      .option('--peer-chaincodedev', 'start peer in chaincode development mode')
      .action(() => {
        io.stdout(
          [
            'fabric-peer node start',
            '',
            'The peer is under construction: its wire protocol (protos), MSP and ledger libraries exist;',
            'createPeer is being composed. When it lands, this command with no core.yaml will bring up a',
            'one-org development network in ./.fabric-peer: generated crypto, an embedded orderer, the',
            'channel "mychannel" joined, and connection-org1.json, then print how to connect.',
            '',
          ].join('\n'),
        );
        done(Promise.resolve(0));
      });
  },
};
