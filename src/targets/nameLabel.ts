import { isSageMakerName } from './sagemakerNames';

/*
 * How a SageMaker name becomes one lowercase alias label, reversibly.
 *
 * VS Code lowercases remote authorities, and SageMaker names may contain capitals, so two jobs
 * "MyJob" and "myjob" must not share an alias. A name without capitals is its own label (so
 * aliases stay compatible with sagemaker-ssh-helper). A name with capitals becomes
 *   <name in lowercase>-<case mask in base 36>-
 * where bit i of the mask is set when character i is uppercase. SageMaker names never end with a
 * hyphen, so the trailing "-" marks an encoded label unambiguously; the mapping is a bijection
 * between valid names and canonical labels, and decodeNameLabel inverts it.
 */

function caseMask(name: string): bigint {
  let mask = 0n;
  for (let i = 0; i < name.length; i++) {
    if (name[i] >= 'A' && name[i] <= 'Z') {
      mask |= 1n << BigInt(i);
    }
  }
  return mask;
}

function parseBase36(text: string): bigint {
  let value = 0n;
  for (const char of text) {
    value = value * 36n + BigInt(parseInt(char, 36));
  }
  return value;
}

/** The alias label for a valid SageMaker name (the caller validates the name first). */
export function encodeNameLabel(name: string): string {
  const mask = caseMask(name);
  const lower = name.toLowerCase();
  return mask === 0n ? lower : `${lower}-${mask.toString(36)}-`;
}

function decodeMaskedLabel(label: string): string | undefined {
  const body = label.slice(0, -1);
  const split = body.lastIndexOf('-');
  const lower = body.slice(0, split);
  const maskText = body.slice(split + 1);
  if (split < 0 || !/^[1-9a-z][0-9a-z]*$/.test(maskText) || !isLowercaseName(lower)) {
    return undefined;
  }
  const mask = parseBase36(maskText);
  if (mask >> BigInt(lower.length) !== 0n) {
    return undefined;
  }
  let name = '';
  for (let i = 0; i < lower.length; i++) {
    const upper = ((mask >> BigInt(i)) & 1n) === 1n;
    if (upper && !/[a-z]/.test(lower[i])) {
      return undefined;
    }
    name += upper ? lower[i].toUpperCase() : lower[i];
  }
  return name;
}

function isLowercaseName(value: string): boolean {
  return isSageMakerName(value) && value === value.toLowerCase();
}

/** The SageMaker name a label stands for, or undefined if the label is not canonical. */
export function decodeNameLabel(label: string): string | undefined {
  if (label.endsWith('-')) {
    return decodeMaskedLabel(label);
  }
  return isLowercaseName(label) ? label : undefined;
}
