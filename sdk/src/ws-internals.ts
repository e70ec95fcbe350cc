/**
 * Read-only access to three private fields of a `ws` WebSocket. The public API cannot
 * tell "the peer's close frame arrived and ws echoed it by calling close()" from "the
 * application called close()", nor whether the handshake completed both ways; these
 * flags can. They have existed unchanged since ws 1.x and `ws` itself relies on them
 * for `CloseEvent.wasClean`. Each is checked with `typeof`: when a future ws drops one,
 * callers fall back to inferring from the close code instead of misreading it.
 */
export interface WsCloseFlags {
  /** The peer's close frame arrived. */
  closeFrameReceived: boolean | undefined;
  /** Our close frame was written to the socket. */
  closeFrameSent: boolean | undefined;
  /** ws emitted 'error' (protocol violation, oversized message, write error). */
  errorEmitted: boolean | undefined;
}

interface WsPrivateFields {
  _closeFrameReceived?: unknown;
  _closeFrameSent?: unknown;
  _errorEmitted?: unknown;
}

function flag(value: unknown): boolean | undefined {
  return typeof value === 'boolean' ? value : undefined;
}

/** The flags of `socket`, each undefined when this ws version does not have it. */
export function readCloseFlags(socket: object): WsCloseFlags {
  const fields = socket as WsPrivateFields;
  return {
    closeFrameReceived: flag(fields._closeFrameReceived),
    closeFrameSent: flag(fields._closeFrameSent),
    errorEmitted: flag(fields._errorEmitted),
  };
}
