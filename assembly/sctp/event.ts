// What an association tells its user, drained with pollEvent().

export const EVENT_CONNECTED: i32 = 1;
export const EVENT_CLOSED: i32 = 2; // graceful shutdown done, or aborted (see code/reason)
export const EVENT_MESSAGE: i32 = 3; // a complete user message on streamId with ppid
export const EVENT_STREAMS_RESET_INCOMING: i32 = 4; // the peer reset these streams (RFC 6525)
export const EVENT_STREAMS_RESET_DONE: i32 = 5; // our outgoing reset of these streams completed
export const EVENT_BUFFERED_AMOUNT_LOW: i32 = 6; // streamId's bufferedAmount fell to its threshold
export const EVENT_RESTARTED: i32 = 7;

// Why an association closed.
export const CLOSE_SHUTDOWN: i32 = 0; // graceful
export const CLOSE_PEER_ABORT: i32 = 1; // the peer sent ABORT (code: its first cause)
export const CLOSE_LOCAL_ABORT: i32 = 2; // we aborted (code: the cause we sent)
export const CLOSE_TIMEOUT: i32 = 3; // too many retransmissions

export class SctpEvent {
  streamId: u16 = 0;
  ppid: u32 = 0;
  data: Uint8Array | null = null;
  streams: Array<u16> = [];
  code: i32 = 0;
  reason: i32 = 0;
  constructor(public kind: i32) {}
}
