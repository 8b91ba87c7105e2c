/**
 * A payload is a view into the buffer a socket read filled (64 KiB, however few bytes arrived). Kept
 * for long, say queued behind a slow consumer, a 1 KiB view holds the whole allocation, so memory
 * bounded in payload bytes is not bounded in RSS. This returns a right-sized copy for such views.
 */
export function compactBuffer(view: Buffer): Buffer {
  return view.buffer.byteLength > view.length * 2 + 4096 ? Buffer.from(view) : view;
}
