import type { ServerResponse } from 'node:http';

/** ssmmessages' refusal of a Create…Channel call: the status and a JSON `{"message"}`. */
export function replyMgsError(response: ServerResponse, status: number, message: string): void {
  const text = JSON.stringify({ message });
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
}

/** HTTP 201 with the token the channel's WebSocket must open with (CreateControlChannel, CreateDataChannel). */
export function replyMgsToken(
  response: ServerResponse,
  operation: 'CreateControlChannel' | 'CreateDataChannel',
  token: string,
): void {
  const xml =
    `<${operation}Response><MessageSchemaVersion>1.0</MessageSchemaVersion>` +
    `<TokenValue>${token}</TokenValue></${operation}Response>`;
  response.writeHead(201, {
    'content-type': 'application/xml',
    'content-length': Buffer.byteLength(xml),
  });
  response.end(xml);
}
