import { inspect } from 'node:util';
import { ED25519_KEY_TYPE, generateEd25519 } from './ed25519';
import type { Ed25519KeyMaterial } from './ed25519';
import { checkKeyComment } from './keyComment';
import {
  ed25519PublicKeyBlob,
  parseEd25519PrivateKey,
  serializeEd25519PrivateKey,
} from './opensshPrivateKey';
import { publicKeyFingerprint } from './publicKey';

/** What may be shown or logged about a key pair: never the private half. */
export interface SshKeyPairSummary {
  readonly type: typeof ED25519_KEY_TYPE;
  readonly fingerprint: string;
  readonly comment: string;
  readonly publicKeyLine: string;
}

/**
 * An ed25519 key pair. The private key is held in a private field and only comes out through
 * `privateKeyText()`; JSON.stringify and util.inspect show the public summary only.
 */
export class SshKeyPair {
  readonly type = ED25519_KEY_TYPE;
  readonly comment: string;
  /** `ssh-ed25519 AAAA… comment`, as `ssh-keygen -y` prints it. */
  readonly publicKeyLine: string;
  /** `SHA256:…`, as `ssh-keygen -l` prints it. */
  readonly fingerprint: string;
  readonly #privateKeyText: string;

  private constructor(material: Ed25519KeyMaterial, comment: string, privateKeyText: string) {
    this.comment = comment;
    const blob = ed25519PublicKeyBlob(material.publicKey);
    const base64 = blob.toString('base64');
    this.publicKeyLine =
      comment === '' ? `${ED25519_KEY_TYPE} ${base64}` : `${ED25519_KEY_TYPE} ${base64} ${comment}`;
    this.fingerprint = publicKeyFingerprint(blob);
    this.#privateKeyText = privateKeyText;
  }

  /** A fresh key pair from Node's crypto. `comment` ends up in both key files. */
  static generate(comment: string): SshKeyPair {
    checkKeyComment(comment);
    const material = generateEd25519();
    return new SshKeyPair(material, comment, serializeEd25519PrivateKey(material, comment));
  }

  /** Reads an unencrypted OpenSSH ed25519 private key. Throws InvalidPrivateKeyError. */
  static fromPrivateKeyText(text: string): SshKeyPair {
    const parsed = parseEd25519PrivateKey(text);
    return new SshKeyPair(parsed, parsed.comment, text);
  }

  /** The OpenSSH private key file content. Handle with care: never log it. */
  privateKeyText(): string {
    return this.#privateKeyText;
  }

  summary(): SshKeyPairSummary {
    return {
      type: this.type,
      fingerprint: this.fingerprint,
      comment: this.comment,
      publicKeyLine: this.publicKeyLine,
    };
  }

  toJSON(): SshKeyPairSummary {
    return this.summary();
  }

  [inspect.custom](): string {
    return `SshKeyPair(${this.fingerprint} ${this.comment})`;
  }
}
