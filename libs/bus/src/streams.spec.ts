import { ChannelStreams, StreamSubjects } from '@omnigate/contracts';
import type { StreamDeclaration } from '@omnigate/contracts';
import { Streams } from './streams';

/** A subject matches a stream's subject filter (NATS wildcards: `*` one token, `>` the rest). */
function covers(filter: string, subject: string): boolean {
  const f = filter.split('.');
  const s = subject.split('.');
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '>') return s.length > i;
    if (f[i] !== '*' && f[i] !== s[i]) return false;
  }
  return f.length === s.length;
}

const perChannel = Object.entries(ChannelStreams).flatMap(([kind, byChannel]) =>
  Object.entries(byChannel as Record<string, StreamDeclaration>).map(
    ([c, d]): [string, StreamDeclaration] => [`${kind}.${c}`, d],
  ),
);
const declared: Array<[string, StreamDeclaration]> = [
  ...Object.entries(StreamSubjects),
  ...perChannel,
];

describe('stream declarations (libs/contracts) against the streams libs/bus creates', () => {
  it.each(declared)('%s names a stream that stores its subject', (_n, d) => {
    const stream = Object.values(Streams).find((s) => s.name === d.stream);
    expect(stream).toBeDefined();
    expect(stream!.subjects.some((f) => covers(f, d.subject))).toBe(true);
  });

  it('matches wildcards as NATS does', () => {
    expect(covers('msg.in.v1.>', 'msg.in.v1.>')).toBe(true);
    expect(covers('msg.in.v1.>', 'msg.in.v1.sms')).toBe(true);
    expect(covers('msg.in.v1.>', 'msg.out.v1.sms')).toBe(false);
    expect(covers('conv.v1.*.event', 'conv.v1.x.event')).toBe(true);
    expect(covers('conv.v1.*.event', 'conv.v1.x.y.event')).toBe(false);
  });
});
