import { UserFacingError } from '../util/errors';

/** Where public keys are uploaded: `s3://<bucket>/<prefix>` (prefix ends with "/" or is empty). */
export interface KeyLocation {
  readonly bucket: string;
  readonly prefix: string;
}

export class InvalidKeyPrefixError extends UserFacingError {
  readonly code = 'InvalidKeyPrefix';
  constructor(value: string) {
    super(
      `"${value}" is not an S3 location. Set "sagemakerSsh.keysS3Prefix" to s3://<bucket>/<prefix>/ or leave it empty ` +
        'for the default s3://sagemaker-<region>-<account>/ssh-authorized-keys/.',
      {
        actions: [
          {
            title: 'Open Settings',
            command: 'workbench.action.openSettings',
            args: ['sagemakerSsh.keysS3Prefix'],
          },
        ],
      },
    );
  }
}

const bucketPattern = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** The upstream default, shared with containers bootstrapped by the Python library. */
export function defaultKeyLocation(region: string, account: string): KeyLocation {
  return { bucket: `sagemaker-${region}-${account}`, prefix: 'ssh-authorized-keys/' };
}

export function parseKeyLocation(value: string): KeyLocation {
  const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(value.trim());
  if (!match || !bucketPattern.test(match[1])) {
    throw new InvalidKeyPrefixError(value);
  }
  const prefix = match[2] && !match[2].endsWith('/') ? `${match[2]}/` : match[2];
  return { bucket: match[1], prefix };
}
