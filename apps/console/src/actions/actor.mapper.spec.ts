import { actorFor } from './actor.mapper';

describe('actorFor', () => {
  it('makes a supervisor session a supervisor', () => {
    expect(actorFor({ agentId: 'sam', role: 'supervisor' })).toEqual({
      id: 'sam',
      role: 'supervisor',
    });
  });

  it.each(['agent', 'dpo', 'admin'] as const)(
    'makes a %s a plain agent for card and ticket actions',
    (role) => {
      expect(actorFor({ agentId: 'x', role })).toEqual({ id: 'x', role: 'agent' });
    },
  );
});
