// shim.Success / shim.Error as Fabric's system chaincodes answer.
import { protos } from '@fabric-peer/protos';

export const success = (payload: Uint8Array = new Uint8Array()): protos.Response =>
  protos.Response.create({ status: 200, payload });

export const error = (message: string): protos.Response => protos.Response.create({ status: 500, message });

export const errText = (err: unknown): string => (err instanceof Error ? err.message : String(err));
