// hoodiecrow-imap 2.1.0 (dev dependency, the offline IMAP server of the tests) ships no types.
// It is CommonJS (`module.exports = function`); the compiled default import's interop reaches it.
declare module 'hoodiecrow-imap' {
  export interface HoodiecrowServer {
    listen(port: number, host: string, cb: () => void): void;
    close(cb: () => void): void;
  }
  export default function hoodiecrow(options: Record<string, unknown>): HoodiecrowServer;
}
