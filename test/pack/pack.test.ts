// The published shape: each workspace package packs to a tarball that installs with plain npm in a fresh
// folder outside the repository, loads from CommonJS and ESM, runs under Jest's default configuration,
// and puts a working `fabric-peer` on the PATH; and the Jest story as users meet it: a plain CommonJS Jest
// test, fabric-gateway imported before the contract API, an in-memory peer running a contract class in
// process, a real submit and evaluate. Needs the npm registry for third-party dependencies.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const packages = ['protos', 'packages/msp', 'packages/ledger', 'packages/core', 'packages/cli'];
const pnpm = ['-y', 'pnpm@9.15.9'];

function run(cmd: string, args: string[], cwd: string): string {
  return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

test(
  'packed tarballs install in a fresh folder and load from CJS, ESM, Jest and the CLI',
  { timeout: 300_000 },
  () => {
    if (packages.some((p) => !existsSync(join(root, p, 'dist', 'index.cjs')))) {
      run('npx', [...pnpm, 'run', 'build'], root);
    }
    const work = mkdtempSync(join(tmpdir(), 'fabric-peer-pack-'));
    try {
      const tgz = join(work, 'tgz');
      for (const p of packages) run('npx', [...pnpm, 'pack', '--pack-destination', tgz], join(root, p));
      const tarballs = readdirSync(tgz).map((f) => join(tgz, f));
      assert.equal(tarballs.length, packages.length);

      const app = join(work, 'app');
      run('mkdir', ['-p', app], work);
      // fabric-contract-api 2.5.8 needs class-transformer 0.4.0 (0.4.1 lacks classToPlain).
      writeFileSync(
        join(app, 'package.json'),
        JSON.stringify({ name: 'app', private: true, overrides: { 'class-transformer': '0.4.0' } }),
      );
      run(
        'npm',
        [
          'install',
          '--no-audit',
          '--no-fund',
          ...tarballs,
          'jest@29',
          '@hyperledger/fabric-gateway@1.11.0',
          '@grpc/grpc-js@^1.12.0',
          'fabric-contract-api@2.5.8',
          'fabric-shim@2.5.8',
        ],
        app,
      );

      const cjs = run(
        'node',
        [
          '-e',
          `const core = require('@fabric-peer/core'); const { common } = require('@fabric-peer/protos');
         const { generateOrg } = require('@fabric-peer/msp'); const { LedgerManager } = require('@fabric-peer/ledger');
         console.log([typeof core.loadPeerConfig, typeof common.Block.decode, typeof generateOrg, typeof LedgerManager].join())`,
        ],
        app,
      );
      assert.equal(cjs.trim(), 'function,function,function,function');

      const esm = run(
        'node',
        [
          '--input-type=module',
          '-e',
          `import { loadPeerConfig } from '@fabric-peer/core'; import { common } from '@fabric-peer/protos';
         const bytes = common.BlockHeader.encode({ number: 7 });
         console.log(typeof loadPeerConfig, common.BlockHeader.decode(bytes).number)`,
        ],
        app,
      );
      assert.equal(esm.trim(), 'function 7');

      writeFileSync(
        join(app, 'lib.test.js'),
        `const { common } = require('@fabric-peer/protos');
       const { main } = require('fabric-peer');
       test('the library loads under Jest defaults', () => {
         expect(common.BlockHeader.decode(common.BlockHeader.encode({ number: 3 })).number).toBe(3);
         expect(typeof main).toBe('function');
       });`,
      );
      writeFileSync(
        join(app, 'contract.test.js'),
        `const { createPrivateKey } = require('node:crypto');
       const grpc = require('@grpc/grpc-js');
       const { connect, signers, hash } = require('@hyperledger/fabric-gateway');
       const { Contract } = require('fabric-contract-api');
       const { createPeer } = require('@fabric-peer/core');

       class Counter extends Contract {
         async Add(ctx, key, by) {
           const now = Number(Buffer.from((await ctx.stub.getState(key)) || '0').toString()) + Number(by);
           await ctx.stub.putState(key, Buffer.from(String(now)));
           return String(now);
         }
         async Get(ctx, key) {
           return Buffer.from((await ctx.stub.getState(key)) || '0').toString();
         }
       }

       let peer, client, gateway;
       afterAll(async () => { gateway?.close(); client?.close(); await peer?.stop(); });

       test('an in-memory peer runs a contract class in process for fabric-gateway', async () => {
         peer = await createPeer({}, { inMemory: true, chaincodes: { counter: { contracts: [Counter] } } });
         await peer.start();
         const { connectionProfile, user, channelId } = peer.devNetwork;
         const { url, tlsCACerts } = Object.values(connectionProfile.peers)[0];
         client = new grpc.Client(url.replace('grpcs://', ''), grpc.credentials.createSsl(Buffer.from(tlsCACerts.pem)));
         gateway = connect({
           client,
           identity: { mspId: user.mspId, credentials: Buffer.from(user.certificate) },
           signer: signers.newPrivateKeySigner(createPrivateKey(user.privateKey)),
           hash: hash.sha256,
         });
         const contract = gateway.getNetwork(channelId).getContract('counter');
         expect(Buffer.from(await contract.submitTransaction('Add', 'k', '2')).toString()).toBe('2');
         expect(Buffer.from(await contract.submitTransaction('Add', 'k', '3')).toString()).toBe('5');
         expect(Buffer.from(await contract.evaluateTransaction('Get', 'k')).toString()).toBe('5');
       });`,
      );
      const jest = spawnSync('npx', ['jest', '--ci', '--detectOpenHandles'], { cwd: app, encoding: 'utf8' });
      assert.equal(jest.status, 0, jest.stderr);
      assert.match(jest.stderr, /2 passed/);

      const help = run(join(app, 'node_modules', '.bin', 'fabric-peer'), ['--help'], app);
      assert.match(help, /Available Commands:/);
      const version = run(join(app, 'node_modules', '.bin', 'fabric-peer'), ['version'], app);
      assert.match(version, /^fabric-peer:\n Version: 0\.1\.0/);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  },
);
