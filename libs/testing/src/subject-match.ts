/**
 * Whether a NATS subject matches a filter with wildcards (`*` one token, `>` the rest), as the
 * server matches them: tests read `msg.in.v1.sms.*` (every partition of a channel). Pure.
 */
export function subjectMatches(filter: string, subject: string): boolean {
  const f = filter.split('.');
  const s = subject.split('.');
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '>') return s.length > i;
    if (i >= s.length || (f[i] !== '*' && f[i] !== s[i])) return false;
  }
  return f.length === s.length;
}
