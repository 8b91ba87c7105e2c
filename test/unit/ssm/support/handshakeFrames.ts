/** A HandshakeRequest payload asking for `sessionType`, as AWS's agent words it. */
export function encodeHandshakeRequestForTest(sessionType: string): string {
  return JSON.stringify({
    AgentVersion: '3.3.987.0',
    RequestedClientActions: [
      { ActionType: 'SessionType', ActionParameters: { SessionType: sessionType, Properties: {} } },
    ],
  });
}
