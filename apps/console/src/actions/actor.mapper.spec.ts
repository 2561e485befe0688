import { actorFor } from './actor.mapper';
import { parseRoles } from '../privacy/roles';

describe('actorFor', () => {
  const roles = parseRoles('sam:supervisor,dora:dpo');

  it('makes a listed supervisor a supervisor', () => {
    expect(actorFor(roles, 'sam')).toEqual({ id: 'sam', role: 'supervisor' });
  });

  it.each(['alice', 'dora'])('makes %s a plain agent for card and ticket actions', (id) => {
    expect(actorFor(roles, id)).toEqual({ id, role: 'agent' });
  });
});
