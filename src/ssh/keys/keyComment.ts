import { hasControlCharacters } from '../controlCharacters';
import { InvalidKeyCommentError } from './errors';

export const MAX_KEY_COMMENT_LENGTH = 255;

/** Returns the comment unchanged, or throws InvalidKeyCommentError. */
export function checkKeyComment(comment: string): string {
  if (comment.length > MAX_KEY_COMMENT_LENGTH) {
    throw new InvalidKeyCommentError(`it is ${comment.length} characters long`);
  }
  if (hasControlCharacters(comment)) {
    throw new InvalidKeyCommentError('it contains a line break or control character');
  }
  if (comment !== comment.trim()) {
    throw new InvalidKeyCommentError('it starts or ends with whitespace');
  }
  return comment;
}
