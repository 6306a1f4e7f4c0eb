// lifecycle/: the read side of `_lifecycle` (definitions from state) and its state encoding.
export {
  CHAINCODE_DEFINITION_TYPE,
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
