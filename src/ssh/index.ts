// Public surface of the SSH library: keys, aliases, known_hosts and SSH config. No vscode import.
export type { FileInfo, SshFileSystem } from './fs/fileSystem';
export { nodeFileSystem } from './fs/fileSystem';
export { FileReadError, FileWriteError } from './fs/errors';

export { SshKeyPair } from './keys/sshKeyPair';
export type { SshKeyPairSummary } from './keys/sshKeyPair';
export { SshKeyStore, defaultKeyComment } from './keys/keyStore';
export type { KeyStoreOptions, StoredKey } from './keys/keyStore';
export { isValidPublicKey, parsePublicKey, publicKeyFingerprint } from './keys/publicKey';
export type { ParsePublicKeyOptions, SshPublicKey } from './keys/publicKey';
export { SUPPORTED_PUBLIC_KEY_TYPES } from './keys/publicKeyBlob';
export type { PublicKeyType } from './keys/publicKeyBlob';
export {
  InvalidKeyCommentError,
  InvalidKeyNameError,
  InvalidPrivateKeyError,
  InvalidPublicKeyError,
} from './keys/errors';

export {
  STABLE_STUDIO_ALIAS,
  STABLE_TRAINING_ALIAS,
  aliasFor,
  isSageMakerAlias,
  parseAlias,
  stableAliasFor,
  studioAlias,
  trainingAlias,
} from './aliases/hostAlias';
export type {
  AliasTarget,
  ParsedAlias,
  PartialStudioTarget,
  StableAlias,
  StudioTarget,
  TrainingTarget,
} from './aliases/hostAlias';
export { InvalidHostAliasError, InvalidSageMakerNameError } from './aliases/errors';

export { KnownHostsFile } from './knownHosts/knownHostsFile';
export type { KnownHostsFileOptions } from './knownHosts/knownHostsFile';
export { InvalidHostKeyError } from './knownHosts/errors';

export { ROOT_USER, STUDIO_SPACE_USER, SshConfigStore } from './config/sshConfigStore';
export type {
  HostSpec,
  ProxyCommandUpdate,
  SshConfigStoreOptions,
  UpsertHostOptions,
} from './config/sshConfigStore';
export type { ManagedHost } from './config/managedConfig';
export { expandHomePath, localSshConfigPaths, opensshHomeDir, sshConfigPaths } from './config/sshConfigPaths';
export type { SshConfigPaths, SshConfigPathsOptions } from './config/sshConfigPaths';
export type { ConfigPlatform } from './config/configValues';
export { PROXY_COMMAND_TOKENS, proxyCommandText } from './config/proxyCommand';
export { verifyEffectiveConfig } from './config/effectiveConfig';
export type { VerifyOptions, VerifyTarget } from './config/effectiveConfig';
export { execFileRunner } from './config/processRunner';
export type { ProcessResult, ProcessRunner } from './config/processRunner';
export { BLOCK_BEGIN, BLOCK_END } from './config/includeBlock';
export {
  DanglingConfigSymlinkError,
  InvalidHostEntryError,
  InvalidProxyCommandError,
  ManagedBlockMarkersError,
  SshConfigConflictError,
  SshConfigNotReadError,
  SshConfigSyntaxError,
  SshNotFoundError,
  UnsupportedConfigPathError,
  UserSshConfigParseError,
  UserSshConfigReadError,
} from './config/errors';
export type { ConfigLocation, EffectiveOptionConflict } from './config/errors';
