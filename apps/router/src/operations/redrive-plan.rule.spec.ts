import { REDRIVABLE_STREAMS } from '@omnigate/contracts';
import { Streams } from '@omnigate/bus';
import { mayRedrive, redrivePlan, selectionDetail } from './redrive-plan.rule';

const sam = { id: 'sam', role: 'supervisor' } as const;

describe('redrive plan', () => {
  it('lets supervisors and admins redrive, not agents', () => {
    expect(mayRedrive(sam)).toBe(true);
    expect(mayRedrive({ id: 'ada', role: 'admin' })).toBe(true);
    expect(mayRedrive({ id: 'alice', role: 'agent' })).toBe(false);
  });

  it('asks for one entry by id, or one stream when given', () => {
    expect(redrivePlan({ id: 7, actor: sam })).toEqual([{ id: 7 }]);
    expect(redrivePlan({ all: true, stream: 'MSG_IN', actor: sam })).toEqual([
      { all: true, stream: 'MSG_IN' },
    ]);
  });

  it('takes "all" stream by stream, never CARDS (only gateways may publish a sealed card)', () => {
    const plan = redrivePlan({ all: true, actor: sam });
    expect(plan).toEqual(REDRIVABLE_STREAMS.map((stream) => ({ all: true, stream })));
    expect(plan).not.toContainEqual({ all: true, stream: Streams.CARDS.name });
  });

  it('names only streams that exist, and every stream but CARDS and the DLQ itself', () => {
    const names = Object.values(Streams).map((s) => s.name);
    expect([...REDRIVABLE_STREAMS].sort()).toEqual(
      names.filter((n) => n !== Streams.CARDS.name && n !== Streams.DLQ.name).sort(),
    );
  });

  it('records the selection without anything of the entries', () => {
    expect(selectionDetail({ id: 7, actor: sam })).toEqual({ id: 7 });
    expect(selectionDetail({ all: true, actor: sam })).toEqual({ all: true });
    expect(selectionDetail({ all: true, stream: 'MSG_OUT', actor: sam })).toEqual({
      all: true,
      stream: 'MSG_OUT',
    });
  });
});
