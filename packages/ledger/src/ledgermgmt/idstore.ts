// IdStore: which ledgers exist and their status (Fabric's ledgerProvider idStore).
// Layout: 'l' id -> status record (JSON); 'u' -> the id of a ledger under construction;
// 'f' -> format version. A ledger is listed only once its genesis block is committed.
import { utf8 } from '../internal/bytes.js';
import { type Store } from '../internal/store.js';
import { LedgerError, LedgerErrorCode } from '../errors.js';

export type LedgerStatus = 'ACTIVE' | 'PAUSED' | 'UNDER_DELETION';

const LEDGER = 0x6c; // 'l'
const UNDER_CONSTRUCTION = Buffer.from('u');
const FORMAT = Buffer.from('f');
const FORMAT_VERSION = Buffer.from('fabric-peer-ledger-1');

const ledgerKey = (id: string): Buffer => Buffer.concat([Buffer.from([LEDGER]), utf8(id)]);

export class IdStore {
  constructor(private readonly db: Store) {}

  async init(): Promise<void> {
    const f = await this.db.get(FORMAT);
    if (f === undefined) await this.db.put(FORMAT, FORMAT_VERSION);
    else if (!f.equals(FORMAT_VERSION)) {
      throw new LedgerError(
        LedgerErrorCode.CORRUPT_RECORD,
        `unknown ledger data format ${f.toString('utf8')}`,
      );
    }
  }

  async status(id: string): Promise<LedgerStatus | undefined> {
    const raw = await this.db.get(ledgerKey(id));
    if (raw === undefined) return undefined;
    try {
      return (JSON.parse(raw.toString('utf8')) as { status: LedgerStatus }).status;
    } catch (cause) {
      throw new LedgerError(LedgerErrorCode.CORRUPT_RECORD, 'corrupt ledger id record', {
        channel: id,
        cause,
      });
    }
  }

  async setStatus(id: string, status: LedgerStatus): Promise<void> {
    await this.db.put(ledgerKey(id), utf8(JSON.stringify({ status })));
  }

  /** Lists the ledger and clears the under-construction mark in one batch. */
  async createDone(id: string): Promise<void> {
    await this.db.batch([
      { type: 'put', key: ledgerKey(id), value: utf8(JSON.stringify({ status: 'ACTIVE' })) },
      { type: 'del', key: UNDER_CONSTRUCTION },
    ]);
  }

  async remove(id: string): Promise<void> {
    await this.db.del(ledgerKey(id));
  }

  async underConstruction(): Promise<string | undefined> {
    const raw = await this.db.get(UNDER_CONSTRUCTION);
    return raw === undefined ? undefined : raw.toString('utf8');
  }

  async setUnderConstruction(id: string | undefined): Promise<void> {
    if (id === undefined) await this.db.del(UNDER_CONSTRUCTION);
    else await this.db.put(UNDER_CONSTRUCTION, utf8(id));
  }

  async list(): Promise<{ id: string; status: LedgerStatus }[]> {
    const out: { id: string; status: LedgerStatus }[] = [];
    for await (const [k, v] of this.db.iterator({
      gte: Buffer.from([LEDGER]),
      lt: Buffer.from([LEDGER + 1]),
    })) {
      out.push({
        id: k.subarray(1).toString('utf8'),
        status: (JSON.parse(v.toString('utf8')) as { status: LedgerStatus }).status,
      });
    }
    return out;
  }
}
