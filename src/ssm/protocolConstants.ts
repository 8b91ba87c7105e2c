/** Values of the 32-byte MessageType field of a data-channel ClientMessage. */
export const MessageType = {
  InputStreamData: 'input_stream_data',
  OutputStreamData: 'output_stream_data',
  Acknowledge: 'acknowledge',
  ChannelClosed: 'channel_closed',
  StartPublication: 'start_publication',
  PausePublication: 'pause_publication',
  AgentSessionState: 'agent_session_state',
} as const;

/** PayloadType field (uint32 at offset 112). */
export const PayloadType = {
  Unset: 0,
  Output: 1,
  Error: 2,
  Size: 3,
  Parameter: 4,
  HandshakeRequest: 5,
  HandshakeResponse: 6,
  HandshakeComplete: 7,
  EncChallengeRequest: 8,
  EncChallengeResponse: 9,
  Flag: 10,
  StdErr: 11,
  ExitCode: 12,
} as const;
export type PayloadTypeValue = (typeof PayloadType)[keyof typeof PayloadType];

/** Codes carried in a Flag payload (PayloadType 10). */
export const FlagCode = {
  DisconnectToPort: 1,
  TerminateSession: 2,
  ConnectToPortError: 3,
} as const;
export type FlagCodeValue = (typeof FlagCode)[keyof typeof FlagCode];

/** Bits of the header Flags field. Acks carry both bits set. */
export const HeaderFlags = {
  None: 0,
  Syn: 1,
  Fin: 2,
  Ack: 3,
} as const;

/** The HeaderLength value every peer writes: the offset of PayloadLength. */
export const HEADER_LENGTH = 116;
/** Size of the fixed header including PayloadLength. */
export const FRAME_HEADER_SIZE = 120;
export const MESSAGE_TYPE_FIELD_SIZE = 32;
export const SCHEMA_VERSION = 1;
