// shim.Success / shim.Error as Fabric's system chaincodes answer.
import { protos } from '@fabric-peer/protos';
export { errorMessage as errText } from '../errors/index.js';

export const success = (payload: Uint8Array = new Uint8Array()): protos.Response =>
  protos.Response.create({ status: 200, payload });

export const error = (message: string): protos.Response => protos.Response.create({ status: 500, message });
