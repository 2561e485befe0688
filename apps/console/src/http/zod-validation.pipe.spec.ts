import { z } from 'zod';
import { RequestInvalidError, ZodValidationPipe } from './zod-validation.pipe';

describe('ZodValidationPipe', () => {
  const body = new ZodValidationPipe(
    z.object({ text: z.string().min(1), n: z.number().optional() }),
  );

  it('returns the parsed value', () => {
    expect(body.transform({ text: 'ciao', extra: 1 }, { type: 'body' })).toEqual({ text: 'ciao' });
  });

  it('throws REQUEST.INVALID naming every path at fault', () => {
    let error: unknown;
    try {
      body.transform({ text: '', n: 'x' }, { type: 'body' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RequestInvalidError);
    expect((error as RequestInvalidError).code).toBe('REQUEST.INVALID');
    expect((error as RequestInvalidError).message).toMatch(/^body text: .+; body n: .+$/);
  });

  it('names a param by its name', () => {
    const id = new ZodValidationPipe(z.uuid({ error: 'must be a UUID' }));
    expect(() => id.transform('nope', { type: 'param', data: 'id' })).toThrow(
      'param id: must be a UUID',
    );
  });

  it('says when the body is missing', () => {
    expect(() => body.transform(undefined, { type: 'body' })).toThrow(/^body: /);
  });
});
