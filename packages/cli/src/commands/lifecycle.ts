// `fabric-peer lifecycle chaincode ...`: the Fabric 2.x lifecycle, as the Go peer's flags, output
// and `--output json` shapes. package and calculatepackageid run offline; the rest talk to _lifecycle.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Command } from 'cac';
import {
  approveForMyOrg,
  calculatePackageId,
  checkCommitReadiness,
  commitDefinition,
  createChaincodePackage,
  getInstalledPackage,
  goJsonIndent,
  installChaincode,
  lifecycleFormat as fmt,
  queryAllCommitted,
  queryApproved,
  queryCommitted,
  queryInstalled,
  readSettingFile,
} from '../core.js';
import { rawValue, required, type CommandGroup } from '../program.js';
import { addOrdererFlags, addPeerFlags, addWaitForEventFlags, info, progress } from './common.js';
import {
  MODULE,
  addDefinitionFlags,
  channel,
  definition,
  json,
  name,
  onePeer,
  out,
  submit,
} from './lifecycle-common.js';

export const lifecycleGroup: CommandGroup = {
  name: 'lifecycle chaincode',
  description:
    'Perform chaincode operations: package|calculatepackageid|install|queryinstalled|getinstalledpackage|approveformyorg|queryapproved|checkcommitreadiness|commit|querycommitted.',
  register(cli, ctx, done) {
    const argv = ctx.argv;
    const c = (sub: string, desc: string): Command => cli.command(sub, desc);
    c('package <outputfile>', 'Package a chaincode')
      .option('-p, --path <path>', 'Path to the chaincode source')
      .option('-l, --lang <lang>', 'Language the chaincode is written in (default "golang")')
      .option('--label <label>', 'The package label contains a human-readable description of the package')
      .action((file: string) =>
        done(
          (async () => {
            const pkg = await createChaincodePackage({
              path: rawValue(argv, '', '-p', '--path'),
              lang: rawValue(argv, 'golang', '-l', '--lang'),
              label: rawValue(argv, '', '--label'),
              cwd: ctx.cwd,
            });
            await writeFile(resolve(ctx.cwd, file), pkg);
            return 0;
          })(),
        ),
      );
    c('calculatepackageid <packagefile>', 'Calculate the package ID for a chaincode.')
      .option(
        '-O, --output <format>',
        'The output format for query results. Default is human-readable plain-text. json is currently the only supported format.',
      )
      .action((file: string) =>
        done(
          (async () => {
            const id = calculatePackageId(
              await readFile(resolve(ctx.cwd, file)).catch(() =>
                readSettingFile(file, 'the chaincode package', ctx.cwd),
              ),
            );
            return out(ctx, json(ctx) ? goJsonIndent({ package_id: id }) : id);
          })(),
        ),
      );
    addPeerFlags(c('install <packagefile>', 'Install a chaincode.')).action((file: string) =>
      done(
        (async () => {
          const pkg = readSettingFile(file, 'the chaincode install package', ctx.cwd);
          progress(ctx, `Installing ${pkg.length} bytes (the peer builds the chaincode)...`);
          const r = await onePeer(ctx, (p) => installChaincode(p, pkg));
          info(ctx, MODULE, fmt.installedRemotely(r));
          info(ctx, MODULE, `Chaincode code package identifier: ${r.packageId}`);
          return 0;
        })(),
      ),
    );
    addPeerFlags(c('queryinstalled', 'Query the installed chaincodes on a peer.'))
      .option('-O, --output <format>', 'The output format for query results (json)')
      .action(() =>
        done(
          (async () => {
            const asJson = json(ctx);
            const r = await onePeer(ctx, (p) => queryInstalled(p));
            return out(ctx, asJson ? fmt.installedJson(r) : fmt.installedText(r));
          })(),
        ),
      );
    addPeerFlags(c('getinstalledpackage', 'Get an installed chaincode package from a peer.'))
      .option('--package-id <id>', 'The identifier of the chaincode install package')
      .option(
        '--output-directory <dir>',
        'The output destination directory for the chaincode install package',
      )
      .action(() =>
        done(
          (async () => {
            const id = required(
              rawValue(argv, '', '--package-id'),
              "The required parameter 'package-id' is empty. Rerun the command with --package-id flag",
            );
            const pkg = await onePeer(ctx, (p) => getInstalledPackage(p, id));
            const dir = resolve(ctx.cwd, rawValue(argv, '.', '--output-directory'));
            await mkdir(dir, { recursive: true });
            await writeFile(join(dir, `${id}.tar.gz`), pkg);
            return 0;
          })(),
        ),
      );
    addWaitForEventFlags(
      addOrdererFlags(
        addPeerFlags(
          addDefinitionFlags(c('approveformyorg', 'Approve the chaincode definition for my org.')),
        ),
      ),
      true,
    )
      .option('--package-id <id>', 'The identifier of the chaincode install package')
      .action(() =>
        done(
          (async () => {
            const d = await definition(ctx);
            return submit(ctx, (peers, o, ch, w) =>
              approveForMyOrg(peers, o, ch, d, rawValue(argv, '', '--package-id'), w),
            );
          })(),
        ),
      );
    addPeerFlags(c('queryapproved', "Query an org's approved chaincode definition from its peer."))
      .option('-C, --channelID <id>', 'The channel on which this command should be executed')
      .option('-n, --name <name>', 'Name of the chaincode')
      .option('--sequence <n>', 'The sequence number of the chaincode definition (default: the latest)')
      .option('-O, --output <format>', 'The output format for query results (json)')
      .action(() =>
        done(
          (async () => {
            const asJson = json(ctx);
            const ch = channel(ctx);
            const n = name(ctx);
            const r = await onePeer(ctx, (p) =>
              queryApproved(p, ch, n, Number(rawValue(argv, '0', '--sequence'))),
            );
            return out(ctx, asJson ? fmt.approvedJson(r) : fmt.approvedText(n, ch, r));
          })(),
        ),
      );
    addPeerFlags(
      addDefinitionFlags(
        c(
          'checkcommitreadiness',
          'Check whether a chaincode definition is ready to be committed on a channel.',
        ),
      ),
    )
      .option('-O, --output <format>', 'The output format for query results (json)')
      .action(() =>
        done(
          (async () => {
            const asJson = json(ctx);
            const ch = channel(ctx);
            const d = await definition(ctx);
            const r = await onePeer(ctx, (p) => checkCommitReadiness(p, ch, d));
            return out(
              ctx,
              asJson ? fmt.readinessJson(r) : fmt.readinessText(d.name, d.version, d.sequence, ch, r),
            );
          })(),
        ),
      );
    addWaitForEventFlags(
      addOrdererFlags(
        addPeerFlags(addDefinitionFlags(c('commit', 'Commit the chaincode definition on the channel.'))),
      ),
      true,
    ).action(() =>
      done(
        (async () => {
          const d = await definition(ctx);
          return submit(ctx, (peers, o, ch, w) => commitDefinition(peers, o, ch, d, w));
        })(),
      ),
    );
    addPeerFlags(c('querycommitted', 'Query the committed chaincode definitions by channel on a peer.'))
      .option('-C, --channelID <id>', 'The channel on which this command should be executed')
      .option('-n, --name <name>', 'Name of the chaincode')
      .option('-O, --output <format>', 'The output format for query results (json)')
      .action(() =>
        done(
          (async () => {
            const asJson = json(ctx);
            const ch = channel(ctx);
            const n = rawValue(argv, '', '-n', '--name');
            if (n !== '') {
              const r = await onePeer(ctx, (p) => queryCommitted(p, ch, n));
              return out(ctx, asJson ? fmt.committedJson(r) : fmt.committedText(n, ch, r));
            }
            const r = await onePeer(ctx, (p) => queryAllCommitted(p, ch));
            return out(ctx, asJson ? fmt.allCommittedJson(r) : fmt.allCommittedText(ch, r));
          })(),
        ),
      );
  },
};
