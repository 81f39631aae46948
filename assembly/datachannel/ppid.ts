// RFC 8831 §8: SCTP payload protocol identifiers of WebRTC data channels.
export const PPID_DCEP: u32 = 50;
export const PPID_STRING: u32 = 51;
export const PPID_BINARY_PARTIAL: u32 = 52; // deprecated
export const PPID_BINARY: u32 = 53;
export const PPID_STRING_PARTIAL: u32 = 54; // deprecated
export const PPID_STRING_EMPTY: u32 = 56;
export const PPID_BINARY_EMPTY: u32 = 57;
