// ACL denials in the catalogue's shape; the message is the one cscc / qscc / the endorser return
// (`access denied for [JoinChain]: ...`), the status Fabric's 403.
import { type ErrorArgs, type ErrorDescriptor, type ErrorDetails, FabricPeerError } from '../errors/index.js';

export const ACL_ERRORS = {
  ACCESS_DENIED: {
    code: 'ACL_ACCESS_DENIED',
    title: 'Access denied by the resource policy',
    message: 'access denied for [{function}]: {reason}',
    status: 403,
    grpcCode: 7,
  },
  UNMAPPED_RESOURCE: {
    code: 'ACL_UNMAPPED_RESOURCE',
    title: 'Resource has no policy',
    message: 'Unmapped policy for {resource}',
    status: 403,
    grpcCode: 7,
  },
} as const satisfies Record<string, ErrorDescriptor>;

export class AccessDeniedError<D extends ErrorDescriptor = ErrorDescriptor> extends FabricPeerError<D> {
  get resource(): string {
    return String(this.args.resource ?? this.args.function ?? '');
  }
}

export function accessDenied(
  resource: string,
  reason: string,
  details: ErrorDetails = {},
): AccessDeniedError {
  const fn = resource.slice(resource.lastIndexOf('/') + 1);
  const args: ErrorArgs<typeof ACL_ERRORS.ACCESS_DENIED> = { function: fn, reason };
  return new AccessDeniedError(ACL_ERRORS.ACCESS_DENIED, { ...args, resource } as typeof args, details);
}
