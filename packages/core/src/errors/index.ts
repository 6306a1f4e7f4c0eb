export {
  ERRORS,
  formatErrorMessage,
  type ErrorArgs,
  type ErrorCatalogue,
  type ErrorDescriptor,
  type ErrorSection,
  type FabricStatus,
  type TemplateArgs,
} from './catalogue.js';
export {
  ConfigError,
  FabricPeerError,
  LoggingError,
  OperationsError,
  errorMessage,
  type ErrorDetails,
} from './fabric-peer-error.js';
