import { loadSharedConfigFiles } from '@smithy/shared-ini-file-loader';

/** Key/value settings of one profile or section of the shared AWS files. */
export type IniSection = Readonly<Record<string, string | undefined>>;

/** What ~/.aws/config and ~/.aws/credentials hold, as the SDK parses them. */
export interface SharedConfig {
  /** Sections of the config file keyed as the SDK keys them: `dev`, `services.local`, `sso-session.x`. */
  readonly configFile: Readonly<Record<string, IniSection>>;
  readonly credentialsFile: Readonly<Record<string, IniSection>>;
}

/** Explicit file locations; by default AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE or ~/.aws/*. */
export interface SharedConfigPaths {
  readonly configFile?: string;
  readonly credentialsFile?: string;
}

const nonProfilePrefixes = ['services.', 'sso-session.'];

/**
 * Reads the shared files fresh every time (the SDK's loader caches by default, which would hide a
 * profile the user just added). AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE are honoured by the
 * loader itself.
 */
export async function readSharedConfig(paths: SharedConfigPaths = {}): Promise<SharedConfig> {
  const files = await loadSharedConfigFiles({
    ignoreCache: true,
    configFilepath: paths.configFile,
    filepath: paths.credentialsFile,
  });
  return { configFile: files.configFile, credentialsFile: files.credentialsFile };
}

/** Profile names from both files, config-file order first, without duplicates. */
export function profileNames(config: SharedConfig): string[] {
  const names = new Set<string>();
  for (const key of Object.keys(config.configFile)) {
    if (!nonProfilePrefixes.some((prefix) => key.startsWith(prefix))) {
      names.add(key);
    }
  }
  for (const key of Object.keys(config.credentialsFile)) {
    names.add(key);
  }
  return [...names];
}

/** A profile's settings merged the way the SDK merges them: config file wins over credentials file. */
export function profileSection(config: SharedConfig, profile: string): IniSection | undefined {
  const fromConfig = config.configFile[profile];
  const fromCredentials = config.credentialsFile[profile];
  if (!fromConfig && !fromCredentials) {
    return undefined;
  }
  return { ...fromCredentials, ...fromConfig };
}

/** How a profile gets its credentials, for display in the profile picker. */
export function describeProfileKind(section: IniSection): string {
  if (section.sso_session || section.sso_start_url) {
    return 'IAM Identity Center (SSO)';
  }
  if (section.role_arn) {
    return section.source_profile
      ? `assumes ${section.role_arn} via ${section.source_profile}`
      : 'assumed role';
  }
  if (section.credential_process) {
    return 'credential_process';
  }
  if (section.web_identity_token_file) {
    return 'web identity';
  }
  if (section.aws_access_key_id) {
    return 'access key';
  }
  if (section.login_session) {
    return 'console login';
  }
  return 'settings only';
}
