// lifecycle/: the read side of `_lifecycle` (definitions from state) and its state encoding.
export {
  CHAINCODE_DEFINITION_TYPE,
  CHAINCODE_SOURCES_NAME,
  encodeApproval,
  encodeStateObject,
  type ChaincodeParameters,
  DEFINITION_FIELDS,
  IMPLICIT_COLLECTION_PREFIX,
  LIFECYCLE_NAMESPACE,
  LifecycleStateError,
  NAMESPACES_NAME,
  decodeChaincodeDefinition,
  encodeChaincodeDefinition,
  endorsementPolicyOf,
  fieldKey,
  implicitCollectionName,
  metadataKey,
  type ChaincodeDefinition,
} from './state.js';
export { ChaincodeDefinitionReader, readChaincodeDefinition } from './reader.js';
export { lifecycleV20 } from './capability.js';
