import { AsyncCallers } from './async-callers';

describe('AsyncCallers', () => {
  it('finds the function that awaited a thenable, whose then() runs in a later microtask', async () => {
    const callers = new AsyncCallers((stack) =>
      stack.includes('loadCustomerRow') ? 'loadCustomerRow' : '',
    );
    // Like a drizzle query builder: its work starts only when awaited.
    const query = {
      then(resolve: (caller: string) => void) {
        resolve(callers.now());
      },
    };
    async function loadCustomerRow(): Promise<string> {
      return await query;
    }
    await expect(loadCustomerRow()).resolves.toBe('loadCustomerRow');
  });

  it('answers empty when none of our frames led here', async () => {
    const callers = new AsyncCallers(() => '');
    await expect(Promise.resolve().then(() => callers.now())).resolves.toBe('');
  });
});
