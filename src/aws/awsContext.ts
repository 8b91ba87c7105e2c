import { advice } from './awsErrors';
import type { AwsServiceName } from './services';
import { awsServices } from './services';
import type { IniSection, SharedConfig } from './sharedConfig';
import { profileSection } from './sharedConfig';

/** Where a resolved value came from, so messages can say "region us-east-1 (from AWS_REGION)". */
export type ValueSource =
  'setting' | 'environment' | 'profile' | 'profile services section' | 'default profile' | 'none';

export interface Sourced<T> {
  readonly value: T;
  readonly source: ValueSource;
  /** The exact setting, variable or file key, e.g. `AWS_ENDPOINT_URL_SSM` or `[profile dev] region`. */
  readonly origin: string;
}

/**
 * Where the user chooses profile and region, so errors name the right way to fix them: the VS Code
 * commands and settings, or the CLI's flags.
 */
export type AdviceSurface = 'extension' | 'cli';

/** What the user asked for in VS Code settings (or on the CLI command line). */
export interface AwsSelection {
  readonly profile?: string;
  readonly region?: string;
  /** Default: extension. */
  readonly surface?: AdviceSurface;
}

export interface AwsContext {
  /** undefined means the SDK's default chain without a named profile (e.g. environment keys). */
  readonly profile: Sourced<string | undefined>;
  readonly region: Sourced<string | undefined>;
  readonly endpoints: Readonly<Record<AwsServiceName, Sourced<string | undefined>>>;
  /** True when the named profile was chosen but exists in neither shared file. */
  readonly profileMissing: boolean;
  /** Where profile and region were chosen; default extension. */
  readonly surface?: AdviceSurface;
}

export type Environment = Readonly<Record<string, string | undefined>>;

const defaultProfileName = 'default';

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

export function resolveProfile(selection: AwsSelection, env: Environment): Sourced<string | undefined> {
  const fromSetting = nonEmpty(selection.profile);
  if (fromSetting) {
    return { value: fromSetting, source: 'setting', origin: advice(selection.surface, 'profileOrigin') };
  }
  const fromEnv = nonEmpty(env.AWS_PROFILE);
  if (fromEnv) {
    return { value: fromEnv, source: 'environment', origin: 'AWS_PROFILE' };
  }
  return { value: undefined, source: 'none', origin: 'default credential chain' };
}

function profileLabel(name: string): string {
  return name === defaultProfileName ? '[default]' : `[profile ${name}]`;
}

export function resolveRegion(
  selection: AwsSelection,
  env: Environment,
  profileName: string,
  profile: IniSection | undefined,
): Sourced<string | undefined> {
  const fromSetting = nonEmpty(selection.region);
  if (fromSetting) {
    return { value: fromSetting, source: 'setting', origin: advice(selection.surface, 'regionOrigin') };
  }
  for (const variable of ['AWS_REGION', 'AWS_DEFAULT_REGION']) {
    const fromEnv = nonEmpty(env[variable]);
    if (fromEnv) {
      return { value: fromEnv, source: 'environment', origin: variable };
    }
  }
  const fromProfile = nonEmpty(profile?.region);
  if (fromProfile) {
    return { value: fromProfile, source: 'profile', origin: `${profileLabel(profileName)} region` };
  }
  return { value: undefined, source: 'none', origin: 'no region configured' };
}

function isTrue(value: string | undefined): boolean {
  return value?.trim().toLowerCase() === 'true';
}

/**
 * The standard "configured endpoints" precedence of the AWS SDKs and CLI:
 * AWS_ENDPOINT_URL_<SERVICE>, AWS_ENDPOINT_URL, the profile's `services` section, the profile's
 * `endpoint_url`. We resolve it ourselves because the SDK only consults AWS_PROFILE here, not the
 * profile chosen in our settings.
 */
export function resolveEndpoint(
  service: AwsServiceName,
  env: Environment,
  config: SharedConfig,
  profileName: string,
  profile: IniSection | undefined,
): Sourced<string | undefined> {
  if (isTrue(env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS) || isTrue(profile?.ignore_configured_endpoint_urls)) {
    return { value: undefined, source: 'none', origin: 'configured endpoints ignored' };
  }
  const info = awsServices[service];
  const serviceVariable = `AWS_ENDPOINT_URL_${info.serviceId.toUpperCase().replace(/ /g, '_')}`;
  for (const variable of [serviceVariable, 'AWS_ENDPOINT_URL']) {
    const fromEnv = nonEmpty(env[variable]);
    if (fromEnv) {
      return { value: fromEnv, source: 'environment', origin: variable };
    }
  }
  const servicesName = nonEmpty(profile?.services);
  if (servicesName) {
    const key = `${info.serviceId.toLowerCase().replace(/ /g, '_')}.endpoint_url`;
    const fromSection = nonEmpty(config.configFile[`services.${servicesName}`]?.[key]);
    if (fromSection) {
      return {
        value: fromSection,
        source: 'profile services section',
        origin: `[services ${servicesName}] ${key.replace('.', ' ')}`,
      };
    }
  }
  const fromProfile = nonEmpty(profile?.endpoint_url);
  if (fromProfile) {
    return { value: fromProfile, source: 'profile', origin: `${profileLabel(profileName)} endpoint_url` };
  }
  return { value: undefined, source: 'none', origin: 'AWS default endpoint' };
}

/** Resolves profile, region and per-service endpoints in the precedence AWS users know. */
export function resolveAwsContext(
  selection: AwsSelection,
  env: Environment,
  config: SharedConfig,
): AwsContext {
  const profile = resolveProfile(selection, env);
  const effectiveProfileName = profile.value ?? defaultProfileName;
  const section = profileSection(config, effectiveProfileName);
  const region = resolveRegion(selection, env, effectiveProfileName, section);
  const endpoints = {} as Record<AwsServiceName, Sourced<string | undefined>>;
  for (const service of Object.keys(awsServices) as AwsServiceName[]) {
    endpoints[service] = resolveEndpoint(service, env, config, effectiveProfileName, section);
  }
  return {
    profile,
    region,
    endpoints,
    profileMissing: profile.value !== undefined && section === undefined,
    surface: selection.surface,
  };
}

/** A stable key for caches that must not survive a profile, region or endpoint change. */
export function contextKey(context: AwsContext): string {
  const endpoints = Object.values(context.endpoints)
    .map((e) => e.value ?? '')
    .join(',');
  return `${context.profile.value ?? ''}|${context.region.value ?? ''}|${endpoints}`;
}

export function describeContext(context: AwsContext): string {
  const profile = context.profile.value ?? '(default chain)';
  const region = context.region.value ?? '(no region)';
  return `${profile} · ${region}`;
}
